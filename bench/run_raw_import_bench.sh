#!/usr/bin/env bash
# Raw-file import benchmark (docs/benchmarks.md, "Raw ICEWS and GDELT files").
#
#   bench/run_raw_import_bench.sh [RUNS] GEOKG_BINARY...
#
# Builds two large inputs from the bundled samples (not timed): the ICEWS sample's 2,359 rows
# repeated 100 times with new Event IDs (235,900 rows, ~61 MB), and the GDELT 1.0 sample's rows
# repeated 50,000 times with new GLOBALEVENTIDs and days (200,000 rows). Then, RUNS times, imports
# each into a fresh store with every binary given in turn (so that builds compare on runs seconds
# apart) and prints the median rows/s of each binary and file, from `geokg import --format json`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="$ROOT/../shared/data/raw_samples"
RUNS="${1:-5}"
shift || true
if [[ $# -eq 0 ]]; then
  echo "usage: $0 [RUNS] GEOKG_BINARY..." >&2
  exit 1
fi
if [[ ! -f "$DATA/icews_events.2018-06-01.tab" ]]; then
  echo "no $DATA: skipping the raw import benchmark"
  exit 0
fi
WORK="${TMPDIR:-/tmp}/geokg-raw-bench.$$"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

python3 - "$DATA" "$WORK" <<'EOF'
import sys
data, work = sys.argv[1], sys.argv[2]
lines = open(f"{data}/icews_events.2018-06-01.tab", encoding="utf-8").read().split("\n")
header, rows = lines[0], [l for l in lines[1:] if l.strip()]
with open(f"{work}/icews.tab", "w", encoding="utf-8") as f:
    f.write(header + "\n")
    for k in range(100):
        for l in rows:
            c = l.split("\t")
            c[0] = str(int(c[0]) + k * 10_000_000)
            f.write("\t".join(c) + "\n")
rows = [l.split("\t") for l in open(f"{data}/gdelt1_rows.geoutils.tsv", encoding="utf-8")
        .read().split("\n") if l.strip()]
with open(f"{work}/gdelt1.tsv", "w", encoding="utf-8") as f:
    for k in range(50_000):
        for i, c in enumerate(rows):
            c = list(c)
            c[0] = str(900_000_000 + k * len(rows) + i)
            c[1] = "201806%02d" % (1 + k % 28)
            f.write("\t".join(c) + "\n")
EOF

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A RATES
for ROUND in $(seq "$RUNS"); do
  for BIN in "$@"; do
    for FILE in icews.tab gdelt1.tsv; do
      rm -rf "$WORK/db"
      # The format is detected (an ICEWS header; 57/58 fields); --format asks for JSON.
      RATE=$("$BIN" --db "$WORK/db" import "$WORK/$FILE" --format json |
        python3 -c 'import json,sys; s=json.load(sys.stdin); print(round(s["rows"]/s["seconds"]))')
      RATES["$BIN|$FILE"]+="$RATE "
      echo "round $ROUND $BIN $FILE: $RATE rows/s"
    done
  done
done
echo "== medians of $RUNS rounds (rows/s)"
for BIN in "$@"; do
  for FILE in icews.tab gdelt1.tsv; do
    echo "  $BIN $FILE: $(echo ${RATES["$BIN|$FILE"]} | tr ' ' '\n' | median)"
  done
done
