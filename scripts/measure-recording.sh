#!/usr/bin/env bash
# What recording costs: a 1080p H.264 camera (a file played in a loop at its own rate, standing in for an RTSP camera)
# recorded in copy mode, detection at 320x180 and 5 fps, measured twice with scripts/measure-node.sh: recording on
# (continuous, so every segment is also cut and uploaded) and recording off. The difference is what recording costs.
#   usage: scripts/measure-recording.sh [window-seconds=45] [warmup-seconds=15]
set -euo pipefail
cd "$(dirname "$0")/.."
window=${1:-45}
warmup=${2:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
video="$work/camera-1080p.mp4"
echo "Encoding a 60 s 1920x1080 25 fps H.264 test video (about 6 Mbit/s, a camera-like stream) ..."
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i "testsrc2=size=1920x1080:rate=25" -t 60 \
  -c:v libx264 -preset veryfast -b:v 6M -maxrate 6M -bufsize 6M -g 50 -bf 0 -pix_fmt yuv420p "$video"

config() { # $1 = true|false: recording
  cat > "$work/node-$1.json" <<JSON
{
  "Node": { "Id": "measure", "DataDirectory": "$work/node-$1" },
  "Cameras": [ {
    "Id": "cam1080", "Source": { "Kind": "file", "Path": "$video" },
    "Detect": { "Width": 320, "Height": 180, "Fps": 5 },
    "Recording": { "Enabled": $1, "Continuous": $1, "ContinuousClipSeconds": 30 },
    "Plugins": { "motion": {} }
  } ]
}
JSON
  echo "$work/node-$1.json"
}

for recording in true false; do
  echo
  echo "== recording $([ $recording = true ] && echo on, copy mode, continuous || echo off) =="
  CCTVEDGE_NODE_CONFIG=$(config $recording) bash scripts/measure-node.sh "$window" "$warmup"
done
