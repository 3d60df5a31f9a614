# Runs one end-to-end test class that writes a benchmark report, then prints the report with the machine's cores.
#   usage: run_bench_test <test-class> <report file under TestResults>
run_bench_test() {
  local log
  log=$(mktemp)
  if ! dotnet build tests/CctvEdge.EndToEnd.Tests -c Release -nologo > "$log" 2>&1; then
    grep -E ": error " "$log" | sort -u || cat "$log"
    rm -f "$log"
    return 1
  fi
  rm -f "TestResults/$2"
  if ! dotnet test tests/CctvEdge.EndToEnd.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~$1" > "$log" 2>&1; then
    cat "$log"
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  cat "TestResults/$2"
  printf '%s cores, %s\n' "$(nproc)" "$(date -u +%Y-%m-%dT%H:%MZ)"
}
