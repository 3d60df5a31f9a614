#!/usr/bin/env bash
# Runs the demo CCTV network: the server (gRPC + web app, SQLite under .demo/) and a node agent with one synthetic
# camera (node/demo-node.json). Installs ffmpeg when missing. Ctrl+C stops everything.
#   CCTVEDGE_WEB_PORT (5080), CCTVEDGE_GRPC_PORT (5081), CCTVEDGE_DEMO_DIR (.demo) and CCTVEDGE_NODE_CONFIG
#   (node/demo-node.json) change the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages ffmpeg

web_port=${CCTVEDGE_WEB_PORT:-5080}
grpc_port=${CCTVEDGE_GRPC_PORT:-5081}
demo_dir=$(realpath -m "${CCTVEDGE_DEMO_DIR:-.demo}")
node_config=${CCTVEDGE_NODE_CONFIG:-node/demo-node.json}
mkdir -p "$demo_dir"

echo "Building (Release) ..."
for project in server/CctvEdge.Server node/CctvEdge.Node; do
  if ! dotnet build "$project" -c Release -nologo > "$demo_dir/build.log" 2>&1; then
    grep -E "error|Error" "$demo_dir/build.log" || cat "$demo_dir/build.log"
    exit 1
  fi
done

pids=()
cleanup() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

server_log="$demo_dir/server.log"
: > "$server_log"
dotnet server/CctvEdge.Server/bin/Release/net10.0/cctvedge-server.dll \
  --web-port "$web_port" --grpc-port "$grpc_port" --data "$demo_dir/server" \
  > >(tee -a "$server_log" | sed -u 's/^/[server] /') 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  grep -q "CctvEdge server ready" "$server_log" && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "The server stopped; see the lines above."; exit 1; }
  sleep 0.5
done
grep -q "CctvEdge server ready" "$server_log" || { echo "The server did not start within a minute."; exit 1; }

dotnet node/CctvEdge.Node/bin/Release/net10.0/cctvedge-node.dll --config "$node_config" \
  --Server:Address "http://127.0.0.1:$grpc_port" --Node:DataDirectory "$demo_dir/node" \
  > >(sed -u 's/^/[node]   /') 2>&1 &
pids+=($!)

echo
echo "CctvEdge demo is running. Open http://127.0.0.1:$web_port/ in a browser. Ctrl+C stops it."
echo
wait -n "${pids[@]}"
