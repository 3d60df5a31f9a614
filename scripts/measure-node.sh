#!/usr/bin/env bash
# Measures what the node costs with the demo's camera (synthetic 1280x720 at 15 fps, detection 320x180 at 5 fps):
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
# The REST API needs a signed-in user: create the (fresh) demo server's admin once it answers, keep the cookie.
cookies="$CCTVEDGE_DEMO_DIR/cookies"
until curl -sf -c "$cookies" -H 'Content-Type: application/json' -d '{"name":"admin","password":"measure-node"}' \
    "http://127.0.0.1:$CCTVEDGE_WEB_PORT/api/auth/setup" >/dev/null 2>&1; do
  kill -0 $demo 2>/dev/null || { cat "$CCTVEDGE_DEMO_DIR.log"; exit 1; }
  sleep 0.2
done
until curl -s -b "$cookies" "http://127.0.0.1:$CCTVEDGE_WEB_PORT/api/events" 2>/dev/null | grep -q '"kind":"motion"'; do
  kill -0 $demo 2>/dev/null || { cat "$CCTVEDGE_DEMO_DIR.log"; exit 1; }
  sleep 0.2
done
printf 'first motion event stored %.1f s after start (includes an incremental build check)\n' "$(echo "$(date +%s.%N) - $start" | bc)"

agent=$(pgrep -f "cctvedge-node.dll" | head -n 1)
sleep "$warmup"
ffmpeg=$(pgrep -P "$agent" ffmpeg | head -n 1)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
a0=$(ticks "$agent"); f0=$(ticks "$ffmpeg"); t0=$(date +%s.%N)
sleep "$window"
a1=$(ticks "$agent"); f1=$(ticks "$ffmpeg"); t1=$(date +%s.%N)
wall=$(echo "$t1 - $t0" | bc)
printf 'agent  (dotnet): CPU %5.1f %% of one core, RSS %s MB\n' "$(echo "($a1 - $a0) / $hz / $wall * 100" | bc -l)" "$(rss_mb "$agent")"
printf 'ffmpeg (camera): CPU %5.1f %% of one core, RSS %s MB\n' "$(echo "($f1 - $f0) / $hz / $wall * 100" | bc -l)" "$(rss_mb "$ffmpeg")"
printf 'window %.0f s after %s s warm-up, %s cores\n' "$wall" "$warmup" "$(nproc)"
