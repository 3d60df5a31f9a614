# Sourced by the measure-*-cpu.sh scripts: CPU of a node agent and its ffmpeg children, sampled from /proc.

# User + system clock ticks a process has used.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Starts the built node agent with a config file (logging errors only) in the background; sets $agent to its pid.
start_agent() {
  local config=$1 log=$2
  dotnet node/CctvEdge.Node/bin/Release/net10.0/cctvedge-node.dll --config "$config" --Logging:LogLevel:Default Error > "$log" 2>&1 &
  agent=$!
}

# After a warm-up, prints "agent-percent ffmpeg-percent" (of one core; ffmpeg summed over the agent's ffmpeg children)
# over a window, then stops the agent. Fails with its log when the agent died during the warm-up.
#   sample_agent_cpu warmup-seconds window-seconds log
sample_agent_cpu() {
  local warmup=$1 window=$2 log=$3 hz children a0 a1 f0=0 f1=0 t0 t1 pid
  hz=$(getconf CLK_TCK)
  sleep "$warmup"
  kill -0 "$agent" 2>/dev/null || { cat "$log" >&2; return 1; }
  children=$(pgrep -P "$agent" ffmpeg || true)
  a0=$(ticks "$agent"); for pid in $children; do f0=$((f0 + $(ticks "$pid"))); done; t0=$(date +%s.%N)
  sleep "$window"
  a1=$(ticks "$agent"); for pid in $children; do f1=$((f1 + $(ticks "$pid"))); done; t1=$(date +%s.%N)
  kill "$agent"; wait "$agent" 2>/dev/null || true; agent=""
  echo "$(echo "($a1 - $a0) / $hz / ($t1 - $t0) * 100" | bc -l) $(echo "($f1 - $f0) / $hz / ($t1 - $t0) * 100" | bc -l)"
}
