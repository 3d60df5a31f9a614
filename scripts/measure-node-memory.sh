#!/usr/bin/env bash
# What the node agent's own .NET process holds in memory (issue 16: 4 cameras at 5 fps detection in at most 80 MB):
# starts the real server and a real node with N synthetic cameras (640x360 at 10 fps, detection 320x180 at 5 fps,
# JPEG snapshots every 2 s, recording into the segment ring, motion and recording plugins on as in the demo, clips cut
# and uploaded), lets each node settle, and prints the node process's VmRSS and VmHWM (peak), split into anonymous
# memory, mapped files (the runtime, assemblies) and shared memory (the JIT's double-mapped code), and the resident
# part of the GC heap (the GC's reserved range in /proc/PID/smaps). Only the agent's .NET process: not ffmpeg, not
# the short ffmpeg runs that cut clips.
#
# The reference runs in the same invocation, one configuration after another against one server:
#   before  the runtime settings the node had before issue 16 (DOTNET_TieredPGO=1 in the environment outranks the
#           node's runtimeconfig.json); with CCTVEDGE_MEMORY_BEFORE=<git revision> it is also that revision's code,
#           built from `git archive` in a temporary folder (e.g. CCTVEDGE_MEMORY_BEFORE=fb08aa8, the commit before)
#   after   the node as built from this tree, with its defaults
# each with 1 camera and with N.
#
#   usage: scripts/measure-node-memory.sh [cameras=4] [settle-seconds=60]
#   CCTVEDGE_MEMORY_LIMIT_MB=80 adds a row for the node run inside a memory cgroup of that limit (root; cgroup v1 or v2),
#   with its ffmpeg processes moved out of it so the limit is the agent's own: the cgroup's charged peak, how often it
#   reached the limit (the kernel then reclaims the agent's file-backed pages: runtime and assemblies), OOM kills, and
#   the motion plugin's frames and drops, i.e. whether the agent keeps up within that much memory.
#   CCTVEDGE_MEMORY_METRICS=1 also serves the node's metrics and reads the runtime's own GC heap figures and the motion
#   plugin's processed and dropped frames from them; the metrics endpoint costs the node about 9 MB itself (every row
#   includes it then). CCTVEDGE_SKIP_BUILD=1 uses the existing Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh
ensure_dotnet
ensure_packages ffmpeg curl
cameras=${1:-4}
settle=${2:-60}
metrics=${CCTVEDGE_MEMORY_METRICS:-0}
work=$(mktemp -d)
server=""
node=""
cleanup() {
  # The node stops its own ffmpeg on SIGTERM; whatever of either program's session is left after 20 s is killed.
  local pid
  for pid in $node $server; do
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  [ -n "$cgroup" ] && rmdir "$cgroup" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cgroup=""
limits=()
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "${CCTVEDGE_SKIP_BUILD:-0}" != 1 ]; then
  for project in server/CctvEdge.Server node/CctvEdge.Node; do
    dotnet build "$project" -c Release -nologo --disable-build-servers > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  done
fi
after_dll=node/CctvEdge.Node/bin/Release/net10.0/cctvedge-node.dll
before_dll=$after_dll
before_label="before (runtime settings)"
if [ -n "${CCTVEDGE_MEMORY_BEFORE:-}" ]; then
  revision=$(git rev-parse --short "$CCTVEDGE_MEMORY_BEFORE")
  echo "Building the node of $revision for the reference ..."
  mkdir "$work/before"
  git archive "$revision" | tar -x -C "$work/before"
  dotnet build "$work/before/node/CctvEdge.Node" -c Release -nologo --disable-build-servers > "$work/before-build.log" 2>&1 || { cat "$work/before-build.log"; exit 1; }
  before_dll=$work/before/node/CctvEdge.Node/bin/Release/net10.0/cctvedge-node.dll
  before_label="before ($revision)"
fi
# The runtime settings the node's runtimeconfig.json had before issue 16, for the reference rows.
before_env=(DOTNET_TieredPGO=1)

# One server for every configuration: the node uploads its clips and results as it would in the field.
setsid dotnet server/CctvEdge.Server/bin/Release/net10.0/cctvedge-server.dll --bind 127.0.0.1 --grpc-port 0 --web-port 0 \
  --data "$work/server" < /dev/null > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  grep -q "CctvEdge server ready" "$work/server.log" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done
grpc=$(grep -m1 -o "grpc http://[0-9.:]*" "$work/server.log" | cut -d' ' -f2)
[ -n "$grpc" ] || { echo "The server did not start within a minute."; cat "$work/server.log"; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The node's VmRSS, VmHWM, RssAnon, RssFile, RssShmem and the GC heap's resident size, in MB. The GC reserves one
# large range (256 GB by default) and commits regions inside it; the run of adjacent anonymous mappings that covers
# the most address space is that range, and its Rss is the heap's resident memory.
memory() {
  python3 - "$1" <<'PY'
import re, sys
pid = sys.argv[1]
status = dict(re.findall(r"^(\w+):\s+(\d+) kB", open(f"/proc/{pid}/status").read(), re.M))
spans, current, last_end, anonymous = [], None, None, False
for line in open(f"/proc/{pid}/smaps"):
    m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$", line)
    if m:
        start, end, name = int(m[1], 16), int(m[2], 16), m[3].strip()
        anonymous = name == ""
        if anonymous and current is not None and start == last_end:
            current[0] += end - start
        elif anonymous:
            current = [end - start, 0]
            spans.append(current)
        else:
            current = None
        last_end = end
    elif anonymous and current is not None and line.startswith("Rss:"):
        current[1] += int(line.split()[1])
gc = max(spans, default=[0, 0])[1]
print(" ".join(f"{int(status.get(k, 0)) / 1024:.1f}" for k in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem")), f"{gc / 1024:.1f}")
PY
}

# From the node's metrics: the runtime's GC heap after its last collection and its committed memory (MB), and the
# motion plugin's frames processed and dropped, summed over cameras.
scrape() {
  curl -s "http://127.0.0.1:$1/metrics" | awk '
    /^dotnet_gc_last_collection_heap_size_bytes/ { heap += $2 }
    /^dotnet_gc_last_collection_memory_committed_size_bytes/ { committed = $2 }
    /^cctvedge_plugin_frames_processed_total.*plugin="motion"/ { processed += $2 }
    /^cctvedge_plugin_frames_dropped_total.*plugin="motion"/ { dropped += $2 }
    END { printf "%.1f %.1f %d %d\n", heap / 1048576, committed / 1048576, processed, dropped }'
}

# A memory cgroup of $1 MB for the node (v2 where the unified hierarchy is mounted at /sys/fs/cgroup, else v1), and an
# ffmpeg that moves itself back to this script's own cgroup first, so only the agent is charged.
limit_cgroup() {
  local root outside
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    root=/sys/fs/cgroup
    outside=$root$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)
    cgroup=$outside/cctvedge-memory-$$
    mkdir "$cgroup" && echo $(($1 * 1048576)) > "$cgroup/memory.max"
  else
    root=/sys/fs/cgroup/memory
    outside=$root$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
    cgroup=$outside/cctvedge-memory-$$
    mkdir "$cgroup" && echo $(($1 * 1048576)) > "$cgroup/memory.limit_in_bytes"
  fi
  printf '#!/bin/sh\necho $$ > "%s/cgroup.procs"\nexec ffmpeg "$@"\n' "$outside" > "$work/ffmpeg-outside"
  chmod +x "$work/ffmpeg-outside"
}

# The cgroup's charged peak (MB), how often it reached its limit, and OOM kills in it.
charged() {
  if [ -f "$cgroup/memory.events" ]; then
    awk -v peak="$(cat "$cgroup/memory.peak" 2>/dev/null || echo 0)" '$1 == "max" { hits = $2 } $1 == "oom_kill" { oom = $2 }
      END { printf "%.1f %d %d\n", peak / 1048576, hits, oom }' "$cgroup/memory.events"
  else
    awk -v peak="$(cat "$cgroup/memory.max_usage_in_bytes")" -v hits="$(cat "$cgroup/memory.failcnt")" '$1 == "oom_kill" { oom = $2 }
      END { printf "%.1f %d %d\n", peak / 1048576, hits, oom }' "$cgroup/memory.oom_control"
  fi
}

rows=()
# Runs one node: $1 label, $2 dll, $3 cameras, then VAR=value pairs for its environment.
measure() {
  local label=$1 dll=$2 count=$3 name="run${#rows[@]}" list="" i port=0 mem extra="- - - -"
  shift 3
  for i in $(seq 1 "$count"); do
    list+="${list:+,}{ \"Id\": \"cam$i\", \"Source\": { \"Kind\": \"synthetic\", \"Width\": 640, \"Height\": 360, \"Fps\": 10 },"
    list+=" \"Detect\": { \"Width\": 320, \"Height\": 180, \"Fps\": 5 }, \"SnapshotSeconds\": 2,"
    list+=" \"Recording\": { \"SegmentSeconds\": 2, \"RingSeconds\": 300 },"
    list+=" \"Plugins\": { \"motion\": { \"Threshold\": 25, \"MinChangedPercent\": 0.3, \"GapSeconds\": 2 },"
    list+=" \"recording\": { \"PreRollSeconds\": 3, \"PostRollSeconds\": 2, \"MaxClipSeconds\": 60 } } }"
  done
  local ffmpeg=ffmpeg
  [ "$metrics" = 1 ] || [ -n "$cgroup" ] && port=$(free_port)
  [ -n "$cgroup" ] && ffmpeg=$work/ffmpeg-outside
  cat > "$work/$name.json" <<JSON
{ "Node": { "Id": "memory-$name", "DataDirectory": "$work/$name" }, "Server": { "Address": "$grpc" },
  "Ffmpeg": { "Path": "$ffmpeg" }, "Metrics": { "Port": $port }, "Cameras": [ $list ] }
JSON
  echo "$label, $count camera(s): settling for $settle s ..." >&2
  if [ -n "$cgroup" ]; then
    # shellcheck disable=SC2016 # $$ and $0 belong to the inner shell: it joins the cgroup, then becomes the node
    setsid sh -c 'echo $$ > "$0/cgroup.procs"; exec "$@"' "$cgroup" env "$@" dotnet "$dll" --config "$work/$name.json" < /dev/null > "$work/$name.log" 2>&1 &
  else
    setsid env "$@" dotnet "$dll" --config "$work/$name.json" < /dev/null > "$work/$name.log" 2>&1 &
  fi
  node=$!
  sleep "$settle"
  kill -0 "$node" 2>/dev/null || { cat "$work/$name.log"; exit 1; }
  mem=$(memory "$node")
  [ "$port" != 0 ] && extra=$(scrape "$port")
  [ -n "$cgroup" ] && limits+=("$(printf '%-28s %7s %8s %6s %4s' "$label" "$count" $(charged))")
  # shellcheck disable=SC2086 # the figures are words on purpose
  rows+=("$(printf '%-28s %7s %6s %6s %6s %6s %6s %6s | %6s %6s %7s %5s' "$label" "$count" $mem $extra)")
  kill -TERM "$node"
  for _ in $(seq 1 200); do kill -0 "$node" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$node" 2>/dev/null || true
  wait "$node" 2>/dev/null || true
  node=""
}

measure "$before_label" "$before_dll" 1 "${before_env[@]}"
measure "$before_label" "$before_dll" "$cameras" "${before_env[@]}"
measure "after" "$after_dll" 1
measure "after" "$after_dll" "$cameras"
if [ -n "${CCTVEDGE_MEMORY_LIMIT_MB:-}" ]; then
  limit_cgroup "$CCTVEDGE_MEMORY_LIMIT_MB"
  measure "after, in $CCTVEDGE_MEMORY_LIMIT_MB MB" "$after_dll" "$cameras"
fi

echo
echo "node agent (.NET process only), synthetic 640x360 at 10 fps, detection 320x180 at 5 fps, motion + recording,"
echo "sampled after $settle s; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); MB"
printf '%-28s %7s %6s %6s %6s %6s %6s %6s | %6s %6s %7s %5s\n' configuration cameras VmRSS VmHWM anon files shmem gc-res gc-heap gc-comm frames dropped
printf '%s\n' "${rows[@]}"
echo "anon, files, shmem: RssAnon, RssFile, RssShmem; gc-res: resident part of the GC's reserved range; gc-heap, gc-comm:"
echo "the runtime's heap size and committed memory after its last collection; frames, dropped: the motion plugin's (the"
echo "last four with CCTVEDGE_MEMORY_METRICS=1)"
if [ ${#limits[@]} -gt 0 ]; then
  echo
  printf '%-28s %7s %8s %6s %4s\n' "in a memory cgroup" cameras "peak MB" "hits" oom
  printf '%s\n' "${limits[@]}"
  echo "peak: the cgroup's charged peak; hits: how often it reached its limit (the kernel reclaimed pages); oom: kills"
fi
