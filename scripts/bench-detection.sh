#!/usr/bin/env bash
# The detection plugin's figures:
#  1. pre- and post-processing around inference at a 640x640 model input, ms per frame (bench/CctvEdge.Bench detection):
#     letterboxing a 640x360 RGB frame, decoding YOLOv8 [1,84,8400] and YOLOv5 [1,25200,85] outputs, NMS, rules;
#  2. what colour frames cost ffmpeg: CPU seconds per second of video decoding a 1280x720 15 fps H.264 camera stream
#     with the node's usual outputs (gray 320x180 at 5 fps, a snapshot a second), then with the colour branch the
#     detection plugin asks for by default (RGB24 640x360 at 2 fps) and at 5 fps;
#  3. central detection on the server: the decoding the server does per event picture (a 768x576 JPEG of OpenCV's
#     vtest.avi to 640-wide RGB, one ffmpeg run as the server starts it) and per clip (4 s of H.264 sampled at 1 fps);
#     the backend's time per frame (1.) comes on top for each picture or sampled frame.
# Usage: bash scripts/bench-detection.sh [frames=1000] [seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages ffmpeg time opencv-doc
frames=${1:-1000}
seconds=${2:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build bench/CctvEdge.Bench -c Release -nologo -v q >/dev/null
dotnet bench/CctvEdge.Bench/bin/Release/net10.0/CctvEdge.Bench.dll detection "$frames"

# A camera's stream: what ffmpeg decodes for a rtsp camera (no B-frames, a keyframe every 2 s).
ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1280x720:rate=15,noise=alls=6:allf=t" -t "$seconds" \
  -c:v libx264 -preset ultrafast -bf 0 -g 30 -pix_fmt yuv420p "$work/camera.mp4"

# CPU (user + system) seconds of one ffmpeg run over the whole stream, as fast as it goes.
cpu() {
  local split=$1 extra=$2
  /usr/bin/time -f "%U %S" -o "$work/time" ffmpeg -loglevel error -nostats -i "$work/camera.mp4" -filter_complex \
    "[0:v]split=$split[d][s]${extra:+[c]};[d]fps=5,scale=320:180:flags=area,format=gray[gray];[s]fps=1,scale='min(1280,iw)':-2[snap]${extra:+;[c]$extra[rgb]}" \
    -map "[gray]" -f rawvideo -pix_fmt gray -y /dev/null \
    -map "[snap]" -q:v 5 -f image2 -update 1 -y "$work/snap.jpg" \
    ${extra:+-map "[rgb]" -f rawvideo -pix_fmt rgb24 -y /dev/null}
  awk '{print $1 + $2}' "$work/time"
}

base=$(cpu 2 "")
rgb2=$(cpu 3 "fps=2,scale=640:360:flags=area,format=rgb24")
rgb5=$(cpu 3 "fps=5,scale=640:360:flags=area,format=rgb24")
echo
echo "ffmpeg, ${seconds} s of 1280x720 15 fps H.264     CPU s   % of a core per camera   colour costs"
awk -v s="$seconds" -v b="$base" -v c2="$rgb2" -v c5="$rgb5" 'BEGIN {
  printf "gray 320x180 5 fps + snapshots               %6.2f   %6.1f\n", b, 100 * b / s;
  printf "  + RGB24 640x360 2 fps (detection default)  %6.2f   %6.1f                  %+5.1f %% of a core\n", c2, 100 * c2 / s, 100 * (c2 - b) / s;
  printf "  + RGB24 640x360 5 fps                      %6.2f   %6.1f                  %+5.1f %% of a core\n", c5, 100 * c5 / s, 100 * (c5 - b) / s;
}'

# 3. Central detection: ffmpeg as FfmpegPictures runs it, wall time per call (a process start included), 20 calls.
footage=/usr/share/doc/opencv-doc/examples/data/vtest.avi
ffmpeg -loglevel error -ss 3 -i "$footage" -frames:v 1 -q:v 3 "$work/picture.jpg"
ffmpeg -loglevel error -ss 10 -t 4 -i "$footage" -an -c:v libx264 -preset ultrafast -g 7 -pix_fmt yuv420p "$work/clip.mp4"
decode() {
  local input=$1 filter=$2 frames=$3 start end
  start=$(date +%s%N)
  for _ in $(seq 1 20); do
    ffmpeg -hide_banner -nostdin -loglevel error -i "$input" -vf "$filter" -frames:v "$frames" -f image2pipe -c:v ppm -pix_fmt rgb24 - > /dev/null
  done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%7.1f", ns / 20 / 1e6 }'
}
echo
echo "central detection, server-side decoding                 ms per call"
echo "event picture 768x576 JPEG -> RGB 640x480             $(decode "$work/picture.jpg" "scale='min(640,iw)':-2" 1)"
echo "event clip 4 s H.264 -> 4 RGB frames at 1 fps        $(decode "$work/clip.mp4" "fps=1,scale='min(640,iw)':-2" 4)"
