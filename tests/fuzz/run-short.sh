#!/usr/bin/env bash
# One harness's short run, as ctest runs it (label fuzz):
#   run-short.sh BINARY SEED_CORPUS SECONDS ARTIFACT_DIR [DICTIONARY]
# Fuzzes for SECONDS over a throw-away copy of the seed corpus, so the repository's corpus is
# only read. A finding (crash, sanitizer report, broken invariant, timeout, leak) fails the test
# and leaves its input in ARTIFACT_DIR/<harness>-crash-<sha1> (also -timeout-, -leak-, -oom-).
set -euo pipefail
binary=$1 seeds=$2 seconds=$3 artifacts=$4 dict=${5:-}
[[ -x $binary ]] || { echo "error: no harness at $binary" >&2; exit 2; }
[[ -d $seeds ]] || { echo "error: no seed corpus at $seeds" >&2; exit 2; }
# Sanitizer findings with their stack (UBSan prints none by default).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
work=$(mktemp -d "${TMPDIR:-/tmp}/microstore-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$seeds/." "$work/"
mkdir -p "$artifacts"
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
      -artifact_prefix="$artifacts/$(basename "$binary")-")
[[ -n $dict ]] && args+=(-dict="$dict")
status=0
"$binary" "${args[@]}" "$work" || status=$?
if ((status != 0)); then
  echo "==> $(basename "$binary") failed (exit $status); the input is in $artifacts (reproduce: $binary FILE)" >&2
fi
exit "$status"
