#!/usr/bin/env bash
# The long run of the libFuzzer harnesses (figures in docs/reliability.md); ./microstore fuzz
# builds the fuzz preset and calls this.
#   run-long.sh [--runs N | --minutes M] [HARNESS...]
# Runs each harness (all by default, in the order of tests/fuzz/CMakeLists.txt) in turn, one
# process on one core, for N executions (default 10000000) or M minutes, over a corpus kept
# between runs in build/fuzz/fuzz-corpus/<harness> (the repository's corpus/<harness> is read
# as a second directory, never written). Logs go to build/fuzz/fuzz-logs/<harness>.log, findings
# to build/fuzz/fuzz-artifacts/<harness>-crash-<sha1> (-timeout-, -leak-, -oom-). Prints a
# Markdown table, one row per harness (also appended to build/fuzz/fuzz-logs/summary.md); exits
# non-zero when a harness found something. MICROSTORE_FUZZ_BUILD_DIR overrides build/fuzz.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${MICROSTORE_FUZZ_BUILD_DIR:-$root/build/fuzz}
manifest=$build/fuzz-harnesses.txt
die() { echo "error: $*" >&2; exit 2; }

# Sanitizer findings with their stack (UBSan prints none by default).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
runs=10000000
seconds=
wanted=()
while (($#)); do
  case $1 in
    --runs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"; runs=$2; seconds=; shift 2 ;;
    --minutes) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--minutes needs a positive number"; seconds=$(($2 * 60)); runs=; shift 2 ;;
    -h | --help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) wanted+=("$1"); shift ;;
  esac
done
[[ -f $manifest ]] || die "no $manifest: build the fuzz preset first (./microstore build fuzz)"

names=() binaries=() seeds=() dicts=()
while read -r name binary seed dict; do
  [[ -n $name ]] || continue
  if ((${#wanted[@]})) && [[ " ${wanted[*]} " != *" $name "* ]]; then continue; fi
  names+=("$name") binaries+=("$binary") seeds+=("$seed") dicts+=("$dict")
done <"$manifest"
((${#names[@]})) || die "no harness named ${wanted[*]} (see $manifest)"

mkdir -p "$build/fuzz-logs" "$build/fuzz-artifacts"
summary=$build/fuzz-logs/summary.md
budget=$([[ -n $runs ]] && echo "-runs=$runs" || echo "-max_total_time=$seconds")
header="| harness | executions | exec/s | cov | ft | corpus (units/bytes) | duration | peak RSS | result |"
{
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $budget, $(nproc) cores, $(clang++-14 --version | head -1)"
  echo
  echo "$header"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
} | tee -a "$summary"

failed=0
for i in "${!names[@]}"; do
  name=${names[$i]}
  corpus=$build/fuzz-corpus/$name
  log=$build/fuzz-logs/$name.log
  mkdir -p "$corpus"
  # A unit takes well under a millisecond; 20 s of wall time is a hang even on a machine shared with
  # builds (with 5 s, a fuzzer at nice 19 behind a test run once stopped on an input that took 60 ms).
  args=("$budget" -timeout=20 -rss_limit_mb=2048 -use_value_profile=1 -print_final_stats=1
        -artifact_prefix="$build/fuzz-artifacts/$name-")
  [[ ${dicts[$i]} != - ]] && args+=(-dict="${dicts[$i]}")
  started=$(date +%s)
  status=0
  "${binaries[$i]}" "${args[@]}" "$corpus" "${seeds[$i]}" >"$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - started))
  figure() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  # The last status line: "#N DONE cov: C ft: F corp: U/Sb ..." (or the last NEW/REDUCE/pulse).
  last=$(grep -E '^#[0-9]+.* cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  if ((status == 0)); then
    result="no finding"
  elif [[ $artifact == *-timeout-* ]] && "${binaries[$i]}" -timeout=20 "$artifact" >>"$log" 2>&1; then
    # Wall-clock timeouts also fire when the machine starves the fuzzer: say so rather than fail.
    result="stopped on a timeout that did not repeat when re-run alone (busy machine): $artifact"
  else
    failed=1
    result="FINDING (exit $status): ${artifact:-see $log}"
  fi
  printf '| %s | %s | %s | %s | %s | %s | %dm%02ds | %s MB | %s |\n' "$name" "$(figure number_of_executed_units)" \
    "$(figure average_exec_per_sec)" "$cov" "$ft" "$corp" $((elapsed / 60)) $((elapsed % 60)) "$(figure peak_rss_mb)" \
    "$result" | tee -a "$summary"
done
exit "$failed"
