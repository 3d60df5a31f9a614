#!/usr/bin/env bash
# Sensors at farm scale against a real server process: 50 nodes x 10 sensors x 1 Hz through node sessions (readings a
# second, server CPU per reading, ack delay), then a year of one-minute data for a BME280 and the readings API timed over
# 1 h, 24 h, 7 d, 31 d and 1 y, and in Chromium the time from choosing "1 y" on the Sensors page to the year drawn
# (the target: a one-year chart in <= 1 s).
# Usage: bash scripts/bench-sensors.sh [nodes (50)] [sensors per node (10)] [seconds (60)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
source scripts/lib/bench-test.sh
ensure_dotnet
ensure_packages chromium

dotnet build bench/CctvEdge.Bench -c Release -nologo -v q >/dev/null
dotnet bench/CctvEdge.Bench/bin/Release/net10.0/CctvEdge.Bench.dll sensors \
  --nodes "${1:-50}" --sensors "${2:-10}" --seconds "${3:-60}"

# A year of minute data: the readings API over each range, and the chart drawn on the Sensors page in Chromium.
echo
run_bench_test SensorChartPerformanceTests bench-sensor-chart.txt
