#!/usr/bin/env bash
# What a vibration sensor costs the node, measured side by side in one run: a real server, a reference node with no
# camera and no sensor, and a node reading a simulated MPU6050 asked for 400 Hz (it samples at 500 Hz, 1 kHz divided,
# into its FIFO; the node collects ten times a second) through Iot.Device.Bindings (per-second RMS, peak and DFT
# frequency, vibration events) plus a BME280 every 10 s, both sending to the server. Prints CPU
# (percent of one core) and resident memory of each agent over a window after a warm-up, and the readings stored.
#   usage: scripts/measure-sensors.sh [window-seconds=60] [warmup-seconds=20] [sample-rate=400]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
window=${1:-60}
warmup=${2:-20}
rate=${3:-400}
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"' EXIT

if [ "${CCTVEDGE_SKIP_BUILD:-0}" != 1 ]; then
  for project in server/CctvEdge.Server node/CctvEdge.Node; do
    dotnet build "$project" -c Release -nologo -v q > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  done
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
web=$(free_port); grpc=$(free_port)
dotnet server/CctvEdge.Server/bin/Release/net10.0/cctvedge-server.dll --web-port "$web" --grpc-port "$grpc" --data "$work/server" > "$work/server.log" 2>&1 &
pids+=($!)
until grep -q "CctvEdge server ready" "$work/server.log"; do kill -0 "${pids[0]}" || { cat "$work/server.log"; exit 1; }; sleep 0.2; done

cat > "$work/reference.json" <<JSON
{ "Node": { "Id": "reference", "DataDirectory": "$work/reference" }, "Cameras": [], "Hardware": { "Simulated": true } }
JSON
cat > "$work/vibration.json" <<JSON
{ "Node": { "Id": "vibration", "DataDirectory": "$work/vibration" }, "Cameras": [], "Hardware": { "Simulated": true },
  "Sensors": [
    { "Id": "pump", "Plugin": "sense", "Settings": { "Device": "mpu6050", "SampleRate": $rate, "Threshold": 0.05 } },
    { "Id": "barn", "Plugin": "sense", "Settings": { "Device": "bme280", "IntervalSeconds": 10 } } ] }
JSON
for name in reference vibration; do
  dotnet node/CctvEdge.Node/bin/Release/net10.0/cctvedge-node.dll --config "$work/$name.json" --Server:Address "http://127.0.0.1:$grpc" > "$work/$name.log" 2>&1 &
  pids+=($!)
done
reference=${pids[1]}; vibration=${pids[2]}
sleep "$warmup"
grep -q "2 of 2 sensor(s) reading" "$work/vibration.log" || { cat "$work/vibration.log"; exit 1; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
r0=$(ticks "$reference"); v0=$(ticks "$vibration"); t0=$(date +%s.%N)
sleep "$window"
r1=$(ticks "$reference"); v1=$(ticks "$vibration"); t1=$(date +%s.%N)
wall=$(echo "$t1 - $t0" | bc)
rcpu=$(echo "($r1 - $r0) / $hz / $wall * 100" | bc -l)
vcpu=$(echo "($v1 - $v0) / $hz / $wall * 100" | bc -l)
printf 'reference node (no camera, no sensor): CPU %5.2f %% of one core, RSS %s MB\n' "$rcpu" "$(rss_mb "$reference")"
printf 'vibration node (MPU6050 asked for %s Hz, FIFO + BME280): CPU %5.2f %% of one core, RSS %s MB\n' "$rate" "$vcpu" "$(rss_mb "$vibration")"
printf 'the sensors cost: %.2f %% of one core\n' "$(echo "$vcpu - $rcpu" | bc -l)"
python3 - "$work/server/cctvedge.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
for node, sensor, count in db.execute("SELECT s.node_id, s.sensor_id, COUNT(*) FROM sensor_readings r JOIN sensor_series s ON s.id = r.series_id GROUP BY 1, 2 ORDER BY 1, 2"):
    print(f"stored on the server: {count} readings of {node}/{sensor}")
PY
printf 'window %.0f s after %s s warm-up, %s cores\n' "$wall" "$warmup" "$(nproc)"
