#!/usr/bin/env bash
# The plugin host's two figures:
#  1. per-frame overhead: a frame through the camera's fan-out, a plugin instance (bounded queue, loop, call guard)
#     and a no-op IFrameAnalyzer, against a direct call (bench/CctvEdge.Bench plugin-host);
#  2. time from dropping a plugin folder into a running node's plugins directory to its first result stored on the
#     server (the end-to-end test PluginLifecycleTests prints it).
# Usage: bash scripts/bench-plugins.sh [frames]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages ffmpeg

dotnet build bench/CctvEdge.Bench -c Release -nologo -v q >/dev/null
dotnet bench/CctvEdge.Bench/bin/Release/net10.0/CctvEdge.Bench.dll plugin-host "${1:-20000}"

dotnet build tests/CctvEdge.EndToEnd.Tests -c Release -nologo -v q >/dev/null
dotnet test tests/CctvEdge.EndToEnd.Tests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~PluginLifecycleTests" --logger "console;verbosity=detailed" \
  | grep -E "first result stored|Passed!|Failed!" | sed 's/^.*plugin folder/plugin folder/'
