#!/usr/bin/env bash
# Motion detection, side by side: the motion plugin (through `cctvedge-node bench motion`) and the same pipeline in
# OpenCV 4.6 (plugins/CctvEdge.Plugins.Motion/bench/opencv_motion.py), on the same generated footage and settings,
# one thread each, at 640x360 and 320x180. Prints one table: ms per frame, speed-up, frames with motion, events and
# the share of frames on which both agree about motion.
#   usage: scripts/bench-motion.sh [seconds=120] [settings=plugins/CctvEdge.Plugins.Motion/bench/bench-motion.json]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages ffmpeg python3-opencv python3-numpy
seconds=${1:-120}
settings=${2:-plugins/CctvEdge.Plugins.Motion/bench/bench-motion.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build node/CctvEdge.Node -c Release -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
node=node/CctvEdge.Node/bin/Release/net10.0/cctvedge-node.dll

# Colour bars with sensor noise; a white box crosses the lower half (4-14 s of every 40 s), a small dark one the
# upper (20-27 s of every 40), and the lights go up at 60 s and back down at 75 s.
footage() {
  local w=$1 h=$2
  ffmpeg -loglevel error -f lavfi -i "smptehdbars=size=${w}x${h}:rate=5" \
    -f lavfi -i "color=c=white:size=$((w / 16))x$((h / 5)):rate=5" -f lavfi -i "color=c=black:size=$((w / 24))x$((h / 9)):rate=5" \
    -filter_complex "[0][1]overlay=x='mod(t*$((w / 8)),$((w * 9 / 8)))-$((w / 16))':y=$((h / 2)):enable='between(mod(t,40),4,14)'[a];[a][2]overlay=x='$w-mod(t*$((w / 12)),$w)':y=$((h / 5)):enable='between(mod(t,40),20,27)',eq=brightness=0.3:enable='between(t,60,75)',format=gray,noise=alls=8:allf=t" \
    -t "$seconds" -f rawvideo -pix_fmt gray "$work/${w}x${h}.gray"
}

field() { sed -n "s|^$1 *||p" "$2" | head -n 1; }

rows=()
for size in 640x360 320x180; do
  w=${size%x*}
  h=${size#*x}
  footage "$w" "$h"
  dotnet "$node" bench motion --input "$work/$size.gray" --width "$w" --height "$h" --config "$settings" --flags "$work/$size.ours" > "$work/$size.ours.txt"
  /usr/bin/python3 plugins/CctvEdge.Plugins.Motion/bench/opencv_motion.py --input "$work/$size.gray" --width "$w" --height "$h" --config "$settings" --flags "$work/$size.cv" > "$work/$size.cv.txt"
  ours_ms=$(field "ms/frame: mean" "$work/$size.ours.txt" | awk '{print $1}')
  ours_p95=$(field "ms/frame: mean" "$work/$size.ours.txt" | awk '{print $3}')
  cv_ms=$(field "ms/frame: mean" "$work/$size.cv.txt" | awk '{print $1}')
  cv_p95=$(field "ms/frame: mean" "$work/$size.cv.txt" | awk '{print $3}')
  agreement=$(paste -d' ' "$work/$size.ours" "$work/$size.cv" | awk '{n++; if ($1 == $2) a++} END {printf "%.2f %%", 100 * a / n}')
  rows+=("$(printf '%-8s %8s %8s %9s %9s %8s %11s %11s %7s %7s %10s' "$size" "$ours_ms" "$ours_p95" "$cv_ms" "$cv_p95" \
    "$(echo "$cv_ms / $ours_ms" | bc -l | xargs printf '%.1fx')" \
    "$(field "frames with motion:" "$work/$size.ours.txt" | awk '{print $1}')" "$(field "frames with motion:" "$work/$size.cv.txt" | awk '{print $1}')" \
    "$(field "events:" "$work/$size.ours.txt")" "$(field "events:" "$work/$size.cv.txt")" "$agreement")")
done

echo "motion detection, one thread, $seconds s of footage at 5 fps per size, settings $settings"
echo "ours: $(head -n 1 "$work/320x180.ours.txt" | sed 's/.*; plugin/plugin/')"
echo "opencv: $(head -n 1 "$work/320x180.cv.txt" | sed 's/ reference.*//')"
printf '%-8s %8s %8s %9s %9s %8s %11s %11s %7s %7s %10s\n' size "ours ms" "p95" "opencv ms" "p95" speed-up "motion ours" "motion cv" "ev ours" "ev cv" agreement
printf '%s\n' "${rows[@]}"
