#!/usr/bin/env bash
# gRPC benchmark, side by side on this machine in one run (a command, not a test):
#   unary calls/s with 1 and 16 concurrent callers, client-stream and server-stream MB/s with 64 KiB messages,
#   for grpc-dotnet (Grpc.Net.Client -> Grpc.AspNetCore, configured as the node and server configure them),
#   grpc-js -> grpc-dotnet, grpc-js -> grpc-js and grpcio -> grpcio,
#   all over h2c on 127.0.0.1, each client and server its own process; plus bytes our client allocates per unary call.
# Usage: bash scripts/bench-grpc.sh [seconds-per-unary-run (3)] [messages-per-stream (2048 = 128 MiB)]
# CCTVEDGE_BENCH_BASELINE=/path/CctvEdge.Grpc.Interop.dll adds a row for an earlier build of the interop program
# (copy its bin/Release/net10.0 folder away before a transport change), measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages python3-grpcio nodejs npm
seconds=${1:-3}
messages=${2:-2048}

dotnet build tools/interop/CctvEdge.Grpc.Interop -c Release -nologo -v q >/dev/null
(cd tools/interop/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
interop="dotnet tools/interop/CctvEdge.Grpc.Interop/bin/Release/net10.0/CctvEdge.Grpc.Interop.dll"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
$interop descriptors "$work/set.pb"

# start_server NAME COMMAND...: runs it in the background and sets $port from its "LISTENING <port>" line.
start_server() {
  local name=$1; shift
  "$@" > "$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    port=$(sed -n 's/^LISTENING \([0-9]*\).*/\1/p' "$work/$name.log")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "$name did not start:" >&2; cat "$work/$name.log" >&2; exit 1
}

start_server csharp $interop server --port 0
csharp=$port
start_server grpc-js bash -c "cd tools/interop/js && exec node server.js --port 0"
grpcjs=$port
start_server grpcio bash -c "cd tools/interop/python && exec /usr/bin/python3 server.py --descriptors $work/set.pb --port 0"
grpcio=$port
baseline=${CCTVEDGE_BENCH_BASELINE:-}
if [ -n "$baseline" ]; then
  start_server baseline dotnet "$baseline" server --port 0
  baseline_port=$port
fi

run() { "$@" | sed -n 's/^RESULT //p'; }
row() { printf '| %-28s | %10s | %11s | %14s | %14s | %16s |\n' "$@"; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
row "client -> server" "unary/s x1" "unary/s x16" "client-stream MB/s" "server-stream MB/s" "client B/unary call"
row "---" "---" "---" "---" "---" "---"
row "grpc-dotnet -> grpc-dotnet" $(run $interop bench --address "http://127.0.0.1:$csharp" --seconds "$seconds" --messages "$messages")
[ -n "$baseline" ] && row "baseline -> baseline" $(run dotnet "$baseline" bench --address "http://127.0.0.1:$baseline_port" --seconds "$seconds" --messages "$messages")
row "grpc-js -> grpc-dotnet" $(cd tools/interop/js && run node bench.js --address "127.0.0.1:$csharp" --seconds "$seconds" --messages "$messages")
row "grpc-js -> grpc-js" $(cd tools/interop/js && run node bench.js --address "127.0.0.1:$grpcjs" --seconds "$seconds" --messages "$messages")
row "grpcio -> grpcio" $(cd tools/interop/python && run /usr/bin/python3 bench.py --descriptors "$work/set.pb" --address "127.0.0.1:$grpcio" --seconds "$seconds" --messages "$messages")
