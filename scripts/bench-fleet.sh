#!/usr/bin/env bash
# The fleet simulator (`cctvedge-bench fleet`): simulated nodes speak the real protocol to a real server process on
# 127.0.0.1 with the node's own ResultSender; a node back from an outage drains its real SQLite outbox. This build's
# server runs twice, side by side: on its SQLite file and on a PostgreSQL 15 started for the run (fsync on);
# CCTVEDGE_FLEET_DATABASE=sqlite|postgres|both (default both) picks.
# Two runs, each side by side with the reference ("today's rate"): the server of CCTVEDGE_FLEET_BEFORE (default: the
# merge-base with main, built from `git archive` in a temporary folder) with the node's batching of that time
# (batches of 200 results, at most 2000 ahead of the acks); CCTVEDGE_FLEET_BEFORE=none skips the reference.
#   1. replay after an outage: one node's backlog of results (100,000)
#   2. steady load: N nodes (50) sending R results/s between them (20,000) for S seconds (30)
# Prints results/s persisted, ack latency p50/p99, the server's CPU and memory, the simulated nodes' CPU, and checks
# the server's rows against what the nodes had acknowledged (nothing lost, nothing doubled).
# Usage: bash scripts/bench-fleet.sh [backlog (100000)] [nodes (50)] [results-per-second (20000)] [seconds (30)]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages postgresql-15

dotnet build bench/CctvEdge.Bench -c Release -nologo -v q >/dev/null
reference=()
before=${CCTVEDGE_FLEET_BEFORE:-$(git merge-base HEAD main 2>/dev/null || echo none)}
if [ "$before" != none ]; then
  revision=$(git rev-parse --short "$before")
  work=$(mktemp -d /tmp/cctvedge-fleet-before.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  echo "Building the server of $revision for the reference ..."
  git archive "$revision" | tar -x -C "$work"
  dotnet build "$work/server/CctvEdge.Server" -c Release -nologo --disable-build-servers > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  reference=(--reference-server-dll "$work/server/CctvEdge.Server/bin/Release/net10.0/cctvedge-server.dll")
fi

bench=bench/CctvEdge.Bench/bin/Release/net10.0/CctvEdge.Bench.dll
echo "Replay after an outage: one node's backlog of ${1:-100000} results"
dotnet "$bench" fleet --nodes 1 --backlog "${1:-100000}" --database "${CCTVEDGE_FLEET_DATABASE:-both}" "${reference[@]}"
echo
echo "Steady load: ${2:-50} nodes, ${3:-20000} results/s between them, ${4:-30} s"
dotnet "$bench" fleet --nodes "${2:-50}" --results-per-second "${3:-20000}" --seconds "${4:-30}" --database "${CCTVEDGE_FLEET_DATABASE:-both}" "${reference[@]}"
