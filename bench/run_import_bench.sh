#!/usr/bin/env bash
# Import benchmark, peers side by side on the same facts (docs/benchmarks.md, "Import").
#
#   bench/run_import_bench.sh [BUILD_DIR] [RUNS]
#
# Peers, run in turn within each of RUNS rounds (geokg, SQLite, Kùzu, then the next round), so
# that each round's ratio compares runs seconds apart: this machine's speed drifts by 10-40 %
# between minutes, which medians of back-to-back runs of one peer do not cancel.
# 1. geokg: bench/import_bench imports the full ICEWS18 set (train+valid+test, 468,558 facts) and
#    the GDELT set into a fresh store, all indexes built, each run verified (counts read back);
#    facts/s and peak RSS.
# 2. SQLite (python3 sqlite3): the same quadruples into an edge table with two indexes
#    ((s,r,t) and (o,r,t)), parsing included.
# 3. Kùzu (npm kuzu@0.11.3) where installed (node can require('kuzu'), or KUZU_NODE_PATH points
#    to a node_modules holding it): COPY FROM CSV of entities and facts.
# 4. Kùzu again, loading what geokg stores ("kuzu-events"): actors with their names, one event
#    node per distinct fact (an integer id; key, relation, time, relation name, data set, file,
#    line: geokg's event and its provenance) and two role relationships per event. Rows
#    repeating a fact keep the last one, as geokg does.
# The CSV files are written before the rounds, untimed.
# Prints each round, then medians of facts/s and the medians of the rounds' ratios.
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

sqlite_once() {  # DIR -> seconds
  rm -f "$WORK/edges.sqlite"
  python3 - "$1" "$WORK/edges.sqlite" <<'EOF'
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
}

kuzu_once() {  # N -> seconds (entities.csv and facts.csv written beforehand)
  rm -rf "$WORK/kuzu.db"
  NODE_PATH="${KUZU_NODE_PATH:-}" node - "$WORK" "$1" <<'EOF'
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
}

kuzu_events_once() {  # EVENTS -> seconds (actors.csv, events.csv, roles.csv written beforehand)
  rm -rf "$WORK/kuzu-ev.db"
  NODE_PATH="${KUZU_NODE_PATH:-}" node - "$WORK" "$1" <<'EOF'
const kuzu = require("kuzu");
const [work, n] = [process.argv[2], Number(process.argv[3])];
(async () => {
  const db = new kuzu.Database(work + "/kuzu-ev.db");
  const conn = new kuzu.Connection(db);
  await conn.query("CREATE NODE TABLE Actor(id INT64, name STRING, PRIMARY KEY(id))");
  await conn.query("CREATE NODE TABLE Event(id INT64, key STRING, code INT64, t INT64, " +
                   "summary STRING, dataset STRING, file STRING, line INT64, PRIMARY KEY(id))");
  await conn.query("CREATE REL TABLE Role(FROM Actor TO Event, role STRING)");
  const t0 = process.hrtime.bigint();
  await conn.query(`COPY Actor FROM '${work}/actors.csv'`);
  await conn.query(`COPY Event FROM '${work}/events.csv'`);
  await conn.query(`COPY Role FROM '${work}/roles.csv'`);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const res = await conn.query("MATCH ()-[r:Role]->() RETURN count(*) AS c");
  const rows = await res.getAll();
  if (Number(rows[0].c) !== 2 * n) throw new Error("kuzu roles " + rows[0].c + " != " + 2 * n);
  console.log(secs);
  process.exit(0);
})();
EOF
}

# geokg's model as CSV for kuzu_events_once: DIR SPLIT... -> prints the number of events.
write_event_csvs() {
  python3 - "$WORK" "$@" <<'EOF'
import csv, os, sys
work, d, splits = sys.argv[1], sys.argv[2], sys.argv[3:]
name = os.path.basename(d.rstrip("/"))
def vocab(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 2: out[int(f[1])] = f[0]
    return out
ents, rels = vocab(os.path.join(d, "entity2id.txt")), vocab(os.path.join(d, "relation2id.txt"))
events = {}
for path in splits:
    for ln, line in enumerate(open(path), 1):
        f = line.split("\t")
        if len(f) < 4: continue
        s, r, o, t = (int(x) for x in f[:4])
        key = f"event:tkg:{name}:{s}-{r}-{o}-{t}"
        events.pop(key, None)  # the last row of a fact wins, in input order
        events[key] = (s, r, o, t, os.path.basename(path), ln)
with open(os.path.join(work, "actors.csv"), "w", newline="") as fa:
    w = csv.writer(fa)
    for i, n in sorted(ents.items()): w.writerow([i, n])
with open(os.path.join(work, "events.csv"), "w", newline="") as fe, \
     open(os.path.join(work, "roles.csv"), "w", newline="") as fr:
    we, wr = csv.writer(fe), csv.writer(fr)
    # An integer id per event, as geokg keys an event by a 64-bit id and keeps its key inside.
    for i, (key, (s, r, o, t, file, ln)) in enumerate(events.items()):
        we.writerow([i, key, r, t, rels[r], "tkg:" + name, file, ln])
        wr.writerow([s, i, "initiator"])
        wr.writerow([o, i, "target"])
print(len(events))
EOF
}

HAVE_KUZU=0
if NODE_PATH="${KUZU_NODE_PATH:-}" node -e "require('kuzu')" 2>/dev/null; then HAVE_KUZU=1; fi
SUMMARY=()
for SET in ICEWS18 GDELT; do
  DIR="$DATA/$SET"
  [[ -d "$DIR" ]] || continue
  SPLITS=()
  for S in train valid test; do [[ -f "$DIR/$S.txt" ]] && SPLITS+=("$DIR/$S.txt"); done
  N=$(cat "${SPLITS[@]}" | grep -c .)
  echo "== $SET: $N facts"
  if [[ $HAVE_KUZU == 1 ]]; then
    awk -F'\t' '{print $2}' "$DIR/entity2id.txt" | tr -d ' ' > "$WORK/entities.csv"
    cat "${SPLITS[@]}" |
      awk -F'\t' 'NF>=4 {gsub(/ /,""); print $1","$3","$2","$4}' > "$WORK/facts.csv"
    EVENTS=$(write_event_csvs "$DIR" "${SPLITS[@]}")
  else
    echo "  kuzu: not installed here (npm install kuzu@0.11.3; or KUZU_NODE_PATH=.../node_modules): not measured"
  fi
  G=() S=() K=() E=() RS=() RK=() RE=() RSS=()
  for ROUND in $(seq "$RUNS"); do
    OUT=$("$BENCH" --runs 1 --expect-facts "$N" --dir "$WORK/geokg" "$DIR")
    RATE=$(echo "$OUT" | sed -n 's/.*median_facts_per_s=\([0-9.]*\).*/\1/p')
    RSS+=("$(echo "$OUT" | sed -n 's/.*peak_rss_mb=\([0-9.]*\).*/\1/p')")
    SQ=$(awk -v n="$N" -v s="$(sqlite_once "$DIR")" 'BEGIN {printf "%.0f", n / s}')
    G+=("$RATE") S+=("$SQ") RS+=("$(ratio "$RATE" "$SQ")")
    LINE="  round $ROUND: $(echo "$OUT" | grep '^run=' | sed 's/^run=1 //')
           sqlite $SQ facts/s (x${RS[-1]})"
    if [[ $HAVE_KUZU == 1 ]]; then
      KZ=$(awk -v n="$N" -v s="$(kuzu_once "$N")" 'BEGIN {printf "%.0f", n / s}')
      K+=("$KZ") RK+=("$(ratio "$RATE" "$KZ")")
      KE=$(awk -v n="$N" -v s="$(kuzu_events_once "$EVENTS")" 'BEGIN {printf "%.0f", n / s}')
      E+=("$KE") RE+=("$(ratio "$RATE" "$KE")")
      LINE="$LINE, kuzu $KZ facts/s (x${RK[-1]}), kuzu-events $KE facts/s (x${RE[-1]})"
    fi
    echo "$LINE"
  done
  MG=$(printf '%s\n' "${G[@]}" | median)
  MS=$(printf '%s\n' "${S[@]}" | median)
  PEAK=$(printf '%s\n' "${RSS[@]}" | sort -g | tail -1)
  LINE="$SET: geokg $MG facts/s (peak RSS $PEAK MB), sqlite $MS (x$(printf '%s\n' "${RS[@]}" | median))"
  if [[ $HAVE_KUZU == 1 ]]; then
    LINE="$LINE, kuzu $(printf '%s\n' "${K[@]}" | median) (x$(printf '%s\n' "${RK[@]}" | median))"
    LINE="$LINE, kuzu-events $(printf '%s\n' "${E[@]}" | median) (x$(printf '%s\n' "${RE[@]}" | median))"
  fi
  SUMMARY+=("$LINE")
done

echo "== summary (facts/s, medians of $RUNS rounds; xR = median of the rounds' geokg / peer)"
for LINE in "${SUMMARY[@]}"; do echo "  $LINE"; done
