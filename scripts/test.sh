#!/usr/bin/env bash
# Runs every test: unit tests, functional tests against real servers on 127.0.0.1, and end-to-end tests with real
# server, node, ffmpeg and Chromium processes. Installs ffmpeg, Chromium, mosquitto, PostgreSQL, OpenCV's sample footage and an arm64 userland for qemu
# when missing. Ends with one line "N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet || exit 1
# GStreamer's RTSP server plays an IP camera (tests/CctvEdge.Testing/rtsp-camera.py); pure-ftpd is the FTP server push
# cameras upload to (tests/CctvEdge.Testing/PureFtpServer.cs). opencv-doc has OpenCV's sample of people walking
# (vtest.avi), the detection plugin's opencv-hog footage; libgtk-3-0 is what OpenCvSharp's native library needs;
# postgresql-15 is the server stores' second engine (tools/CctvEdge.Harness/PostgresServer.cs starts its own cluster).
ensure_packages ffmpeg chromium python3-grpcio nodejs npm mosquitto pure-ftpd opencv-doc libgtk-3-0 postgresql-15 \
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly || { echo "0 passed, 1 failed"; exit 1; }
# The ARM64 end-to-end test runs the linux-arm64 node bundle under qemu with this arm64 userland.
CCTVEDGE_ARM64_SYSROOT=$(ensure_arm64_sysroot) || { echo "0 passed, 1 failed"; exit 1; }
export CCTVEDGE_ARM64_SYSROOT
# The grpc-js peer of the gRPC interop tests, exactly as locked (the lock records no download addresses).
if ! (cd tools/interop/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  echo "npm ci in tools/interop/js failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# s3rver, the S3 API the S3 clip store's tests run against (tests/CctvEdge.Testing/S3rverServer.cs), as locked.
if ! (cd tools/s3rver && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  echo "npm ci in tools/s3rver failed"
  echo "0 passed, 1 failed"
  exit 1
fi

results="$PWD/TestResults"
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build CctvEdge.sln -c Release -nologo > "$results/build.log" 2>&1; then
  grep -E ": error |error [A-Z]+[0-9]+" "$results/build.log" | sort -u || cat "$results/build.log"
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# The plugin SDK packages, as a release makes them (artifacts/ is git-ignored). The tests pack their own copies into
# their temporary folders; this is the build's artifact for plugin authors.
dotnet pack plugins/CctvEdge.Plugins.Sdk -c Release --no-build -nologo -o artifacts/packages >> "$results/build.log" 2>&1
dotnet pack server/CctvEdge.Server.Plugins.Sdk -c Release --no-build -nologo -o artifacts/packages >> "$results/build.log" 2>&1

# One test project at a time (the end-to-end tests run ffmpeg and Chromium, and CI machines have two cores), each
# with its own report name: default report names are timestamps and two quick projects can share a second.
# Every process the tests start inherits this marker, so whatever is still alive afterwards can be named.
# MSBuild's reusable nodes would carry it too and outlive the run on purpose: the tests ask for none.
export CCTVEDGE_TEST_RUN="cctvedge-test-$$-$(date +%s%N)"
export MSBUILDDISABLENODEREUSE=1
status=0
# A test that hangs fails the run (with the test named and a dump in the results) instead of holding CI to its limit.
hang="--blame-hang --blame-hang-timeout 10m"
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  # Benchmarks written as tests (Category=Benchmark) run from their scripts/bench-*.sh, not here.
  dotnet test "$project" -c Release --no-build -nologo --filter "Category!=Benchmark" $hang --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
done
# The server suite once more with every in-process server's rows in PostgreSQL (tests/CctvEdge.Server.Tests/
# TestEngine.cs starts one throwaway cluster): each store runs on either engine. The store tests under Engines/ run on
# both engines already, so they are not run twice; a test about SQLite itself (its query planner) carries Engine=sqlite.
CCTVEDGE_TEST_DATABASE=postgres dotnet test tests/CctvEdge.Server.Tests/CctvEdge.Server.Tests.csproj -c Release --no-build -nologo $hang \
  --filter "Category!=Benchmark&Engine!=sqlite&FullyQualifiedName!~CctvEdge.Server.Tests.Engines." \
  --logger "trx;LogFileName=CctvEdge.Server.Tests.postgres.trx" --results-directory "$results" || status=$?
leftovers=$(bash scripts/lib/leftover-processes.sh "$CCTVEDGE_TEST_RUN")
unset CCTVEDGE_TEST_RUN

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
done

# A crashed test host can fail the run without a failed test in any report: never let that pass quietly.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status without a failed test in the reports (crashed test host?)"
  failed=1
fi

if [ -n "$leftovers" ]; then
  echo "processes started by the tests were still running after them (now killed):"
  echo "$leftovers"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
