#!/usr/bin/env bash
# Runs the demo CCTV network: the server (gRPC + web app, SQLite under .demo/) and a node agent with one synthetic
# camera (node/demo-node.json). Installs ffmpeg when missing. Ctrl+C stops everything.
#   CCTVEDGE_WEB_PORT (5080), CCTVEDGE_GRPC_PORT (5081), CCTVEDGE_BOARD_PORT (5091: the node's microcontroller
#   endpoint), CCTVEDGE_DEMO_DIR (.demo) and CCTVEDGE_NODE_CONFIG (node/demo-node.json) change the defaults; CCTVEDGE_SKIP_BUILD=1 runs what is already built (Release), as the
#   test of this script does.
# Ctrl+C (SIGINT) or SIGTERM stops the node (and its ffmpeg), then the server, each gracefully within 20 s, then kills
# whatever of theirs is left: nothing the demo started outlives it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages ffmpeg curl

web_port=${CCTVEDGE_WEB_PORT:-5080}
grpc_port=${CCTVEDGE_GRPC_PORT:-5081}
board_port=${CCTVEDGE_BOARD_PORT:-5091}
demo_dir=$(realpath -m "${CCTVEDGE_DEMO_DIR:-.demo}")
node_config=${CCTVEDGE_NODE_CONFIG:-node/demo-node.json}
mkdir -p "$demo_dir"

if [ "${CCTVEDGE_SKIP_BUILD:-0}" != 1 ]; then
  echo "Building (Release) ..."
  for project in server/CctvEdge.Server node/CctvEdge.Node; do
    # No build servers: a Ctrl+C during the build must not leave MSBuild or compiler servers running either.
    if ! dotnet build "$project" -c Release -nologo --disable-build-servers > "$demo_dir/build.log" 2>&1; then
      grep -E "error|Error" "$demo_dir/build.log" || cat "$demo_dir/build.log"
      exit 1
    fi
  done
fi

# Each program runs in its own session (setsid), so its process group holds it and its ffmpeg even after a crash
# orphans them, and a Ctrl+C in the terminal reaches only this script (and the log filters, which ignore it so the
# last lines still show), which stops them in order: the node first (it flushes its outbox and stops ffmpeg), then
# the server.
pids=()
stop_group() {
  local pid=$1 name=$2
  # SIGTERM to the program alone, as systemd's KillMode=mixed does: the node stops its own ffmpeg (one killed under it
  # would look like a camera failure); whatever of the group is left after 20 s is killed.
  kill -TERM "$pid" 2>/dev/null || kill -0 -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 1 200); do
    kill -0 -- "-$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "The $name did not stop within 20 s; killing it."
  kill -KILL -- "-$pid" 2>/dev/null || true
}
cleanup() {
  # A second Ctrl+C must not cut the stop short and leave the programs behind.
  trap '' INT TERM
  trap - EXIT
  local names=(server node board) i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    stop_group "${pids[i]}" "${names[i]}"
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

server_log="$demo_dir/server.log"
: > "$server_log"
setsid dotnet server/CctvEdge.Server/bin/Release/net10.0/cctvedge-server.dll \
  --web-port "$web_port" --grpc-port "$grpc_port" --data "$demo_dir/server" --Server:RequireEnrolment true \
  < /dev/null > >(trap '' INT; tee -a "$server_log" | sed -u 's/^/[server] /') 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  grep -q "CctvEdge server ready" "$server_log" && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "The server stopped; see the lines above."; exit 1; }
  sleep 0.5
done
grep -q "CctvEdge server ready" "$server_log" || { echo "The server did not start within a minute."; exit 1; }

# The server accepts enrolled nodes only, as a real installation should: the first run issues a one-time code on
# the server's console and enrols the node with it, as an installer does on a Pi (cctvedge-node enrol).
node_args=(--config "$node_config" --Node:DataDirectory "$demo_dir/node")
if [ ! -f "$demo_dir/node/enrolment.json" ]; then
  if ! code=$(dotnet server/CctvEdge.Server/bin/Release/net10.0/cctvedge-server.dll enrolment-code --data "$demo_dir/server" --comment "demo node" 2> "$demo_dir/enrol.log"); then
    cat "$demo_dir/enrol.log"
    exit 1
  fi
  dotnet node/CctvEdge.Node/bin/Release/net10.0/cctvedge-node.dll enrol --server "http://127.0.0.1:$grpc_port" --code "$code" "${node_args[@]}"
fi

setsid dotnet node/CctvEdge.Node/bin/Release/net10.0/cctvedge-node.dll "${node_args[@]}" --Server:Address "http://127.0.0.1:$grpc_port" \
  --Microcontroller:Port "$board_port" < /dev/null > >(trap '' INT; sed -u 's/^/[node]   /') 2>&1 &
pids+=($!)

# A board on the farm's Wi-Fi (sensor vib-1 of the demo config, an ESP32 in the shed): every 5 s it posts a vibration
# and a temperature to the node's POST /input, as its firmware would; the node keeps them through its outbox.
setsid bash -c '
  while sleep 5; do
    body=$(printf "{\"device\": \"vib-1\", \"values\": {\"vibration\": 0.%03d, \"temperature\": {\"value\": %d.%d, \"unit\": \"°C\"}}}" \
      $((RANDOM % 300)) $((17 + RANDOM % 4)) $((RANDOM % 10)))
    curl -s -o /dev/null -H "Authorization: Bearer demo-board-token" -H "Content-Type: application/json" --data "$body" "http://127.0.0.1:$0/input" || true
  done' "$board_port" < /dev/null > /dev/null 2>&1 &
pids+=($!)

echo
echo "CctvEdge demo is running. Open http://127.0.0.1:$web_port/ in a browser. Ctrl+C stops it."
echo
wait -n "${pids[@]}"
