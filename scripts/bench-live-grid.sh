#!/usr/bin/env bash
# Measures the live grid with 16 cameras on one node: time until the first and all tiles are painted in Chromium,
# and the CPU of the server, the node agent and its ffmpegs with nobody watching, with the grid open, and with the
# 16 cameras open as live streams instead (the comparison the grid is for).
#   usage: scripts/bench-live-grid.sh [window-seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/bench-test.sh
ensure_dotnet
ensure_packages ffmpeg chromium
export CCTVEDGE_BENCH_WINDOW=${1:-10}

run_bench_test LiveGridBenchmarkTests bench-live-grid.txt
