#!/usr/bin/env bash
# Import benchmark, peers side by side on the same facts (docs/benchmarks.md, "Import").
#
#   bench/run_import_bench.sh [BUILD_DIR] [RUNS]
#
# 1. geokg: bench/import_bench imports the full ICEWS18 set (train+valid+test, 468,558 facts) and
#    the GDELT set into a fresh store, all indexes built, each run verified (counts read back);
#    median facts/s and peak RSS.
# 2. SQLite (python3 sqlite3): the same quadruples into an edge table with two indexes
#    ((s,r,t) and (o,r,t)), parsing included; median seconds.
# 3. Kùzu (npm kuzu@0.11.3) where installed (node can require('kuzu'), or KUZU_NODE_PATH points
#    to a node_modules holding it): COPY FROM CSV of entities and facts; median seconds.
# Needs ../shared/data next to the repository; exits 0 with a message if it is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
RUNS="${2:-3}"
DATA="$ROOT/../shared/data"
BENCH="$BUILD/bench/import_bench"
WORK="${TMPDIR:-/tmp}/geokg-import-bench.$$"

if [[ ! -d "$DATA/ICEWS18" ]]; then
  echo "no $DATA/ICEWS18: skipping the import benchmark"
  exit 0
fi
if [[ ! -x "$BENCH" ]]; then
  echo "build $BENCH first (cmake --build $BUILD --target import_bench)" >&2
  exit 1
fi
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A GEOKG_RATE SQLITE_SECS KUZU_SECS FACTS
for SET in ICEWS18 GDELT; do
  DIR="$DATA/$SET"
  [[ -d "$DIR" ]] || continue
  SPLITS=()
  for S in train valid test; do [[ -f "$DIR/$S.txt" ]] && SPLITS+=("$DIR/$S.txt"); done
  N=$(cat "${SPLITS[@]}" | grep -c .)
  FACTS[$SET]=$N
  echo "== $SET: $N facts"
  OUT=$("$BENCH" --runs "$RUNS" --expect-facts "$N" --dir "$WORK/geokg" "$DIR")
  echo "$OUT" | sed 's/^/  geokg: /'
  GEOKG_RATE[$SET]=$(echo "$OUT" | sed -n 's/.*median_facts_per_s=\([0-9.]*\).*/\1/p')

  SQLITE_SECS[$SET]=$(for _ in $(seq "$RUNS"); do
    rm -f "$WORK/edges.sqlite"
    python3 - "$DIR" "$WORK/edges.sqlite" <<'EOF'
import sqlite3, sys, time, os
d, db = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=OFF"); con.execute("PRAGMA synchronous=OFF")
con.execute("CREATE TABLE edge(s INTEGER, r INTEGER, o INTEGER, t INTEGER)")
rows = []
for split in ("train.txt", "valid.txt", "test.txt"):
    p = os.path.join(d, split)
    if not os.path.exists(p): continue
    for line in open(p):
        f = line.split("\t")
        if len(f) >= 4: rows.append((int(f[0]), int(f[1]), int(f[2]), int(f[3])))
con.executemany("INSERT INTO edge VALUES (?,?,?,?)", rows)
con.execute("CREATE INDEX edge_out ON edge(s, r, t)")
con.execute("CREATE INDEX edge_in ON edge(o, r, t)")
con.commit()
n = con.execute("SELECT count(*) FROM edge").fetchone()[0]
assert n == len(rows), (n, len(rows))
con.close()
print(time.perf_counter() - t0)
EOF
  done | median)
  echo "  sqlite: median ${SQLITE_SECS[$SET]} s"

  KUZU_SECS[$SET]=""
  if NODE_PATH="${KUZU_NODE_PATH:-}" node -e "require('kuzu')" 2>/dev/null; then
    awk -F'\t' '{print $2}' "$DIR/entity2id.txt" | tr -d ' ' > "$WORK/entities.csv"
    cat "${SPLITS[@]}" |
      awk -F'\t' 'NF>=4 {gsub(/ /,""); print $1","$3","$2","$4}' > "$WORK/facts.csv"
    KUZU_SECS[$SET]=$(for _ in $(seq "$RUNS"); do
      rm -rf "$WORK/kuzu.db"
      NODE_PATH="${KUZU_NODE_PATH:-}" node - "$WORK" "$N" <<'EOF'
const kuzu = require("kuzu");
const [work, n] = [process.argv[2], Number(process.argv[3])];
(async () => {
  const db = new kuzu.Database(work + "/kuzu.db");
  const conn = new kuzu.Connection(db);
  await conn.query("CREATE NODE TABLE Entity(id INT64, PRIMARY KEY(id))");
  await conn.query("CREATE REL TABLE Fact(FROM Entity TO Entity, r INT64, t INT64)");
  const t0 = process.hrtime.bigint();
  await conn.query(`COPY Entity FROM '${work}/entities.csv'`);
  await conn.query(`COPY Fact FROM '${work}/facts.csv'`);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const res = await conn.query("MATCH ()-[f:Fact]->() RETURN count(*) AS c");
  const rows = await res.getAll();
  if (Number(rows[0].c) !== n) throw new Error("kuzu count " + rows[0].c + " != " + n);
  console.log(secs);
  process.exit(0);
})();
EOF
    done | median)
    echo "  kuzu: median ${KUZU_SECS[$SET]} s (COPY FROM CSV)"
  else
    echo "  kuzu: not installed here (npm install kuzu@0.11.3; or KUZU_NODE_PATH=.../node_modules): not measured"
  fi
done

echo "== summary (facts/s, medians of $RUNS runs; ratio = geokg / peer)"
for SET in "${!FACTS[@]}"; do
  N=${FACTS[$SET]}
  G=${GEOKG_RATE[$SET]}
  S=$(awk -v n="$N" -v s="${SQLITE_SECS[$SET]}" 'BEGIN {printf "%.0f", n / s}')
  LINE="$SET: geokg $G, sqlite $S (x$(awk -v g="$G" -v s="$S" 'BEGIN {printf "%.2f", g / s}'))"
  if [[ -n "${KUZU_SECS[$SET]}" ]]; then
    K=$(awk -v n="$N" -v s="${KUZU_SECS[$SET]}" 'BEGIN {printf "%.0f", n / s}')
    LINE="$LINE, kuzu $K (x$(awk -v g="$G" -v k="$K" 'BEGIN {printf "%.2f", g / k}'))"
  fi
  echo "  $LINE"
done
