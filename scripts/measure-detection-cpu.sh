#!/usr/bin/env bash
# What object detection costs the node per camera: runs the agent alone (no server: results wait, as on a broken
# link) with N cameras playing OpenCV's footage of people walking (vtest.avi, Debian opencv-doc) as file sources,
# the motion plugin on each, and samples the agent's and its ffmpegs' CPU from /proc over a window after a warm-up:
# once with the detection plugin (backend opencv-hog, colour frames 640 wide at 2 fps, run only while motion is
# present), once with it switched off. The difference is detection's cost: the plugin's work and the colour branch.
#   usage: scripts/measure-detection-cpu.sh [cameras=2] [window-seconds=60] [warmup-seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/agent-cpu.sh
ensure_dotnet
ensure_packages ffmpeg opencv-doc libgtk-3-0
cameras=${1:-2}
window=${2:-60}
warmup=${3:-20}
footage=/usr/share/doc/opencv-doc/examples/data/vtest.avi
work=$(mktemp -d)
agent=""
trap '[ -n "$agent" ] && kill "$agent" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

dotnet build node/CctvEdge.Node -c Release -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

# Prints "agent-percent ffmpeg-percent detection-events" (of one core, summed over the processes) for one configuration.
measure() {
  local detection=$1 config="$work/node-$1.json" list=""
  for i in $(seq 1 "$cameras"); do
    list+="${list:+,}{ \"Id\": \"cam$i\", \"Source\": { \"Kind\": \"file\", \"Path\": \"$footage\" }, \"Recording\": { \"Enabled\": false },"
    list+=" \"Detect\": { \"Width\": 320, \"Height\": 180, \"Fps\": 5 }, \"Plugins\": { \"motion\": { \"GapSeconds\": 2 },"
    list+=" \"detection\": { \"Enabled\": $detection, \"Backend\": \"opencv-hog\", \"Fps\": 2, \"OnlyDuringMotion\": true, \"MinScore\": 0.2 } } }"
  done
  echo "{ \"Node\": { \"Id\": \"det-$detection\", \"DataDirectory\": \"$work/data-$detection\" }, \"Server\": { \"Address\": \"http://127.0.0.1:9\" }, \"Cameras\": [ $list ] }" > "$config"
  start_agent "$config" "$work/node-$detection.log"
  # Not in a $( ) subshell: the agent is this shell's child, so sampling can wait for it to end.
  sample_agent_cpu "$warmup" "$window" "$work/node-$detection.log" > "$work/cpu-$detection" || exit 1
  local events
  events=$(python3 - "$work/data-$detection/outbox.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
# Results are protobuf blobs; a detection result carries its plugin id "detection", a motion one does not.
print(db.execute("SELECT COUNT(*) FROM results WHERE instr(payload, CAST('detection' AS BLOB)) > 0").fetchone()[0])
PY
)
  echo "$(cat "$work/cpu-$detection") $events"
}

read -r on on_ffmpeg on_events <<< "$(measure true)"
read -r off off_ffmpeg _ <<< "$(measure false)"
printf 'node agent, %s cameras of vtest.avi (768x576, 10 fps), motion at 320x180 5 fps, %s s window after %s s, %s cores, load %s\n' \
  "$cameras" "$window" "$warmup" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'agent with detection (opencv-hog, 2 fps during motion): %5.2f %% of one core (%5.2f %% per camera), %s detection results\n' "$on" "$(echo "$on / $cameras" | bc -l)" "$on_events"
printf 'agent without detection:                                %5.2f %% of one core (%5.2f %% per camera)\n' "$off" "$(echo "$off / $cameras" | bc -l)"
printf 'detection in the agent:                                 %5.2f %% of one core per camera\n' "$(echo "($on - $off) / $cameras" | bc -l)"
printf 'ffmpeg (all cameras): %5.2f %% with detection (colour branch), %5.2f %% without\n' "$on_ffmpeg" "$off_ffmpeg"
