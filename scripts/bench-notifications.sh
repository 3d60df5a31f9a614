#!/usr/bin/env bash
# Notifications under load, in one run: a node session sends motion events at a steady rate to a real server, first
# with no rules (the reference: ingest alone), then with 20 rules sending every event to 4 webhook receivers on
# loopback, then with the same rules adaptive (each reads the camera's last 24 h of peaks). Prints the server's CPU per event, the rules' own time per event, deliveries sent per second, the delay
# from an event's start to its webhook (p50 / p95 / max) and what was still waiting at the end.
# Usage: bash scripts/bench-notifications.sh [events-per-minute (1000)] [seconds (60)] [rules (20)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet

dotnet build bench/CctvEdge.Bench -c Release -nologo -v q >/dev/null
dotnet bench/CctvEdge.Bench/bin/Release/net10.0/CctvEdge.Bench.dll notifications \
  --events-per-minute "${1:-1000}" --seconds "${2:-60}" --rules "${3:-20}"
