#!/usr/bin/env bash
# Measures the web app's first render with seeded volumes: the events page for a day of 10 000 events and the
# overview with 50 nodes, seeded straight into SQLite. Prints the server's render time (the prerendered page with
# its data; the first request and the median of the next N) and Chromium's time until the data shows and until the
# page is interactive (N runs each).
#   usage: scripts/bench-web.sh [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/bench-test.sh
ensure_dotnet
ensure_packages chromium
export CCTVEDGE_BENCH_RUNS=${1:-5}

run_bench_test WebPerformanceTests bench-web.txt
