#!/usr/bin/env bash
# What the node agent costs per camera at 5 fps detection (320x180), with and without the motion plugin: runs the
# agent alone (no server: results wait in memory, as on a broken link) with N synthetic cameras (640x360 at 5 fps, a
# box crossing, sensor noise), samples the agent's CPU from /proc over a window after a warm-up, then again with
# motion switched off. ffmpeg's own CPU (decoding, scaling) is reported apart: on a real camera it depends on the stream.
#   usage: scripts/measure-motion-cpu.sh [cameras=4] [window-seconds=60] [warmup-seconds=15]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/agent-cpu.sh
ensure_dotnet
ensure_packages ffmpeg
cameras=${1:-4}
window=${2:-60}
warmup=${3:-15}
work=$(mktemp -d)
agent=""
trap '[ -n "$agent" ] && kill "$agent" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

dotnet build node/CctvEdge.Node -c Release -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

# Prints "agent-percent ffmpeg-percent" (of one core, summed over the processes) for one configuration.
measure() {
  local motion=$1 config="$work/node-$1.json" list=""
  for i in $(seq 1 "$cameras"); do
    list+="${list:+,}{ \"Id\": \"cam$i\", \"Source\": { \"Kind\": \"synthetic\", \"Width\": 640, \"Height\": 360, \"Fps\": 5 },"
    list+=" \"Detect\": { \"Width\": 320, \"Height\": 180, \"Fps\": 5 }, \"Plugins\": { \"motion\": { \"Enabled\": $motion } } }"
  done
  echo "{ \"Node\": { \"Id\": \"cpu-$motion\", \"DataDirectory\": \"$work/data-$motion\" }, \"Server\": { \"Address\": \"http://127.0.0.1:9\" }, \"Cameras\": [ $list ] }" > "$config"
  start_agent "$config" "$work/node-$motion.log"
  sample_agent_cpu "$warmup" "$window" "$work/node-$motion.log" || exit 1
}

read -r on on_ffmpeg <<< "$(measure true)"
read -r off off_ffmpeg <<< "$(measure false)"
printf 'node agent, %s synthetic cameras, detection 320x180 at 5 fps, %s s window after %s s, %s cores\n' "$cameras" "$window" "$warmup" "$(nproc)"
printf 'agent with motion:    %5.2f %% of one core (%5.2f %% per camera)\n' "$on" "$(echo "$on / $cameras" | bc -l)"
printf 'agent without motion: %5.2f %% of one core (%5.2f %% per camera)\n' "$off" "$(echo "$off / $cameras" | bc -l)"
printf 'motion plugin:        %5.2f %% of one core per camera\n' "$(echo "($on - $off) / $cameras" | bc -l)"
printf 'ffmpeg (all cameras): %5.2f %% with motion, %5.2f %% without\n' "$on_ffmpeg" "$off_ffmpeg"
