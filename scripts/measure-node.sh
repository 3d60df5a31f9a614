#!/usr/bin/env bash
# Measures what the node costs with the demo's camera (synthetic 1280x720 at 15 fps, detection 320x180 at 5 fps,
# recording with x264; or the camera of CCTVEDGE_NODE_CONFIG):
# CPU (percent of one core) and resident memory of the agent process and of its ffmpeg, sampled from /proc over a
# window after a warm-up. Also reports the time from start to the first stored motion event.
#   usage: scripts/measure-node.sh [window-seconds=60] [warmup-seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
window=${1:-60}
warmup=${2:-20}
export CCTVEDGE_WEB_PORT=${CCTVEDGE_WEB_PORT:-5180} CCTVEDGE_GRPC_PORT=${CCTVEDGE_GRPC_PORT:-5181}
export CCTVEDGE_DEMO_DIR=$(mktemp -d)
trap 'kill $demo 2>/dev/null; wait 2>/dev/null; rm -rf "$CCTVEDGE_DEMO_DIR"' EXIT

start=$(date +%s.%N)
bash scripts/demo.sh > "$CCTVEDGE_DEMO_DIR.log" 2>&1 &
demo=$!
until grep -q "Camera .*: ffmpeg started" "$CCTVEDGE_DEMO_DIR.log" 2>/dev/null; do
  kill -0 $demo 2>/dev/null || { cat "$CCTVEDGE_DEMO_DIR.log"; exit 1; }
  sleep 0.2
done
printf 'camera started %.1f s after start (includes an incremental build check)\n' "$(echo "$(date +%s.%N) - $start" | bc)"

# The first motion event in the server's database (what the overview page shows next), polled read-only.
first_event() {
  python3 - "$CCTVEDGE_DEMO_DIR/server/cctvedge.db" <<'PY'
import sqlite3, sys
try:
    db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=1)
    sys.exit(0 if db.execute("SELECT 1 FROM events WHERE kind = 'motion' LIMIT 1").fetchone() else 1)
except sqlite3.Error:
    sys.exit(1)
PY
}
for _ in $(seq 1 600); do first_event && break; sleep 0.1; done
first_event || { echo "no motion event within a minute"; exit 1; }
printf 'first motion event stored %.1f s after start\n' "$(echo "$(date +%s.%N) - $start" | bc)"

# This demo's agent only (its data directory is unique): other nodes may run on the same machine.
agent=$(pgrep -f "cctvedge-node.dll.*$CCTVEDGE_DEMO_DIR" | head -n 1)
sleep "$warmup"
ffmpeg=$(pgrep -P "$agent" ffmpeg | head -n 1)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU of the agent's children that have exited (clip cutting and thumbnails run as short ffmpeg processes).
child_ticks() { awk '{print $16 + $17}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
a0=$(ticks "$agent"); c0=$(child_ticks "$agent"); f0=$(ticks "$ffmpeg"); t0=$(date +%s.%N)
sleep "$window"
a1=$(ticks "$agent"); c1=$(child_ticks "$agent"); f1=$(ticks "$ffmpeg"); t1=$(date +%s.%N)
wall=$(echo "$t1 - $t0" | bc)
printf 'agent  (dotnet): CPU %5.1f %% of one core, RSS %s MB\n' "$(echo "($a1 - $a0) / $hz / $wall * 100" | bc -l)" "$(rss_mb "$agent")"
printf 'ffmpeg (camera): CPU %5.1f %% of one core, RSS %s MB\n' "$(echo "($f1 - $f0) / $hz / $wall * 100" | bc -l)" "$(rss_mb "$ffmpeg")"
printf 'short ffmpeg runs (clip cutting, thumbnails): CPU %5.1f %% of one core\n' "$(echo "($c1 - $c0) / $hz / $wall * 100" | bc -l)"
printf 'window %.0f s after %s s warm-up, %s cores\n' "$wall" "$warmup" "$(nproc)"
