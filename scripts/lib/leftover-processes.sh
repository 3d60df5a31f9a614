#!/usr/bin/env bash
# Usage: leftover-processes.sh MARKER
# Lists (pid and command line) and kills every process whose environment holds CCTVEDGE_TEST_RUN=MARKER, except
# this script and its ancestors. The compiler and MSBuild servers that tests may start (packing the SDK, building a
# sample plugin) are the SDK's own and are shut down first, so they are not reported.
marker=$1
CCTVEDGE_TEST_RUN= dotnet build-server shutdown >/dev/null 2>&1 || true
sleep 1
keep=" $$ "
pid=$$
while [ -n "$pid" ] && [ "$pid" != 0 ]; do
  keep+="$pid "
  pid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
done
for dir in /proc/[0-9]*; do
  pid=${dir#/proc/}
  case "$keep" in *" $pid "*) continue ;; esac
  if { tr '\0' '\n' < "$dir/environ"; } 2>/dev/null | grep -qx "CCTVEDGE_TEST_RUN=$marker"; then
    echo "  $pid $({ tr '\0' ' ' < "$dir/cmdline"; } 2>/dev/null | cut -c1-200)"
    kill -9 "$pid" 2>/dev/null || true
  fi
done
