#!/usr/bin/env bash
# Measures the live grid with 16 cameras on one node: time until the first and all tiles are painted in Chromium,
# and the CPU of the server, the node agent and its ffmpegs with nobody watching, with the grid open, and with the
# 16 cameras open as live streams instead (the comparison the grid is for).
#   usage: scripts/bench-live-grid.sh [window-seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages ffmpeg chromium
export CCTVEDGE_BENCH_WINDOW=${1:-10}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! dotnet build tests/CctvEdge.EndToEnd.Tests -c Release -nologo > "$log" 2>&1; then
  grep -E ": error " "$log" | sort -u || cat "$log"
  exit 1
fi
rm -f TestResults/bench-live-grid.txt
if ! dotnet test tests/CctvEdge.EndToEnd.Tests -c Release --no-build -nologo \
    --filter "FullyQualifiedName~LiveGridBenchmarkTests" > "$log" 2>&1; then
  cat "$log"
  exit 1
fi
cat TestResults/bench-live-grid.txt
printf '%s cores, %s\n' "$(nproc)" "$(date -u +%Y-%m-%dT%H:%MZ)"
