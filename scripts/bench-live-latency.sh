#!/usr/bin/env bash
# Measures live view glass to glass on loopback: the synthetic camera burns the wall clock into its picture and
# Chromium reads it back off the frames it shows. Prints p50 and max for the old path (whole 1 s segments) and for
# 200 ms fragments, measured one after the other in the same run.
#   usage: scripts/bench-live-latency.sh [samples=20]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/bench-test.sh
ensure_dotnet
ensure_packages ffmpeg chromium
export CCTVEDGE_BENCH_SAMPLES=${1:-20}

run_bench_test LiveLatencyBenchmarkTests bench-live-latency.txt
