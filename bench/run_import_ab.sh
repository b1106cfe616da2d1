#!/usr/bin/env bash
# Alternated comparison of import_bench variants on one data set (docs/benchmarks.md, "Import").
#
#   bench/run_import_ab.sh BUILD_DIR ROUNDS SET_DIR VARIANT...
#
# Each VARIANT is one argument: the import_bench options of that variant, quoted ("" for the
# defaults), or BINARY:OPTIONS to run another build's import_bench. Each round runs every variant
# once (`import_bench --runs 1`, verified as always), one after the other, so that the machine's
# drift between minutes falls on all of them alike; the medians over the rounds are printed, one
# line per variant: wall seconds (import + compaction wait), process CPU seconds, merge CPU.
# Example, direct against buffered SST writes on ICEWS18:
#   bench/run_import_ab.sh build 15 ../shared/data/ICEWS18 "" "--buffered-writes"
set -euo pipefail
if [[ $# -lt 4 ]]; then
  echo "usage: $0 BUILD_DIR ROUNDS SET_DIR VARIANT..." >&2
  exit 1
fi
BUILD="$1" ROUNDS="$2" SET="$3"
shift 3
DEFAULT_BENCH="$BUILD/bench/import_bench"
WORK="${TMPDIR:-/tmp}/geokg-import-ab.$$"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

field() { grep -o " $1=[0-9.]*" | head -1 | cut -d= -f2; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for ((r = 1; r <= ROUNDS; r++)); do
  for ((v = 1; v <= $#; v++)); do
    spec="${!v}" bin="$DEFAULT_BENCH" opts="${!v}"
    if [[ "$spec" == *:* ]]; then
      bin="${spec%%:*}" opts="${spec#*:}"
    fi
    # shellcheck disable=SC2086  # the options are words
    line=$("$bin" --runs 1 --dir "$WORK/store" $opts "$SET" | grep '^run=1 ')
    printf '%s %s %s\n' "$(echo " $line" | field seconds)" "$(echo " $line" | field cpu_s)" \
      "$(echo " $line" | field merge_cpu_s)" >>"$WORK/v$v"
  done
done
for ((v = 1; v <= $#; v++)); do
  printf 'variant %d (%s): wall %s s, cpu %s s, merge cpu %s s (medians of %d rounds)\n' "$v" \
    "${!v:-defaults}" "$(cut -d' ' -f1 "$WORK/v$v" | median)" \
    "$(cut -d' ' -f2 "$WORK/v$v" | median)" "$(cut -d' ' -f3 "$WORK/v$v" | median)" "$ROUNDS"
done
