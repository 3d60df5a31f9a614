#!/usr/bin/env bash
# What the node agent costs per camera at 5 fps detection (320x180), with and without the motion plugin: runs the
# agent alone (no server: results wait in memory, as on a broken link) with N synthetic cameras (640x360 at 5 fps, a
# box crossing, sensor noise), samples the agent's CPU from /proc over a window after a warm-up, then again with
# motion switched off. ffmpeg's own CPU (decoding, scaling) is reported apart: on a real camera it depends on the stream.
#   usage: scripts/measure-motion-cpu.sh [cameras=4] [window-seconds=60] [warmup-seconds=15]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages ffmpeg
cameras=${1:-4}
window=${2:-60}
warmup=${3:-15}
work=$(mktemp -d)
agent=""
trap '[ -n "$agent" ] && kill "$agent" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

dotnet build node/CctvEdge.Node -c Release -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Prints "agent-percent ffmpeg-percent" (of one core, summed over the processes) for one configuration.
measure() {
  local motion=$1 config="$work/node-$1.json" list=""
  for i in $(seq 1 "$cameras"); do
    list+="${list:+,}{ \"Id\": \"cam$i\", \"Source\": { \"Kind\": \"synthetic\", \"Width\": 640, \"Height\": 360, \"Fps\": 5 },"
    list+=" \"Detect\": { \"Width\": 320, \"Height\": 180, \"Fps\": 5 }, \"Plugins\": { \"motion\": { \"Enabled\": $motion } } }"
  done
  echo "{ \"Node\": { \"Id\": \"cpu-$motion\", \"DataDirectory\": \"$work/data-$motion\" }, \"Server\": { \"Address\": \"http://127.0.0.1:9\" }, \"Cameras\": [ $list ] }" > "$config"
  dotnet node/CctvEdge.Node/bin/Release/net10.0/cctvedge-node.dll --config "$config" --Logging:LogLevel:Default Error > "$work/node-$motion.log" 2>&1 &
  agent=$!
  sleep "$warmup"
  kill -0 "$agent" 2>/dev/null || { cat "$work/node-$motion.log"; exit 1; }
  local children a0 a1 f0=0 f1=0 t0 t1 pid
  children=$(pgrep -P "$agent" ffmpeg || true)
  a0=$(ticks "$agent"); for pid in $children; do f0=$((f0 + $(ticks "$pid"))); done; t0=$(date +%s.%N)
  sleep "$window"
  a1=$(ticks "$agent"); for pid in $children; do f1=$((f1 + $(ticks "$pid"))); done; t1=$(date +%s.%N)
  kill "$agent"; wait "$agent" 2>/dev/null || true; agent=""
  echo "$(echo "($a1 - $a0) / $hz / ($t1 - $t0) * 100" | bc -l) $(echo "($f1 - $f0) / $hz / ($t1 - $t0) * 100" | bc -l)"
}

read -r on on_ffmpeg <<< "$(measure true)"
read -r off off_ffmpeg <<< "$(measure false)"
printf 'node agent, %s synthetic cameras, detection 320x180 at 5 fps, %s s window after %s s, %s cores\n' "$cameras" "$window" "$warmup" "$(nproc)"
printf 'agent with motion:    %5.2f %% of one core (%5.2f %% per camera)\n' "$on" "$(echo "$on / $cameras" | bc -l)"
printf 'agent without motion: %5.2f %% of one core (%5.2f %% per camera)\n' "$off" "$(echo "$off / $cameras" | bc -l)"
printf 'motion plugin:        %5.2f %% of one core per camera\n' "$(echo "($on - $off) / $cameras" | bc -l)"
printf 'ffmpeg (all cameras): %5.2f %% with motion, %5.2f %% without\n' "$on_ffmpeg" "$off_ffmpeg"
