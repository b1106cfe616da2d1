#!/bin/bash
# Traversal benchmarks, peers side by side (docs/benchmarks.md, "Traversal").
#   bench/run_graph_bench.sh [BUILD_DIR]      (default: build)
# 1. graph_bench on the synthetic R-MAT graph (2^20 vertices, 10.5 M arcs; GEOKG_BENCH_SCALE to
#    change) against Boost adjacency_list<vecS,vecS> and compressed_sparse_row_graph in-process;
#    and on ICEWS18 imported into a temporary store (when ../shared/data/ICEWS18 exists).
# 2. networkx (Debian python3-networkx) on the same R-MAT edges at GEOKG_BENCH_NX_SCALE (default
#    17: networkx needs ~1 KB per edge), next to graph_bench at that scale.
# 3. Kùzu (npm kuzu@0.11.3) where installed; otherwise says so.
# 4. `geokg ego "Vladimir Putin" --hops 2` wall time, process start included (median of 7).
# Every kernel verifies its answer against the reference before it is timed (see graph_bench.cc).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
BENCH=$BUILD/bench/graph_bench
GEOKG=$BUILD/geokg
DATA=${GEOKG_DATA:-$ROOT/../shared/data}
WORK=$(mktemp -d /tmp/geokg_graph_bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -x "$BENCH" ] || { echo "build $BENCH first (cmake -DGEOKG_BUILD_BENCH=ON)" >&2; exit 1; }
REPS=${GEOKG_BENCH_REPS:-3}
COMMON=(--benchmark_repetitions="$REPS" --benchmark_report_aggregates_only=true
        --benchmark_display_aggregates_only=true)

echo "== ICEWS18 store"
if [ -d "$DATA/ICEWS18" ]; then
  "$GEOKG" --db "$WORK/icews.db" import "$DATA/ICEWS18" | tail -1
  export GEOKG_BENCH_ICEWS_DB="$WORK/icews.db"
  "$GEOKG" --db "$WORK/icews.db" ego "Vladimir Putin" --hops 1 --limit 1 >/dev/null  # snapshot
else
  echo "($DATA/ICEWS18 not found: ICEWS18 cases are skipped)"
fi

echo "== graph_bench (synthetic scale ${GEOKG_BENCH_SCALE:-20}, ICEWS18)"
"$BENCH" "${COMMON[@]}"

NXSCALE=${GEOKG_BENCH_NX_SCALE:-17}
echo "== same kernels at scale $NXSCALE, then networkx on the same edges"
GEOKG_BENCH_SCALE=$NXSCALE GEOKG_BENCH_EDGES_OUT="$WORK/edges.txt" GEOKG_BENCH_ICEWS_DB= \
  "$BENCH" "${COMMON[@]}" --benchmark_filter='Bfs_Ours$|Bfs_BoostAdj|PageRank20_Ours$|PageRank20_Boost'
if /usr/bin/python3 -c 'import networkx' 2>/dev/null; then
  /usr/bin/python3 - "$WORK/edges.txt" "$REPS" <<'EOF'
import statistics, sys, time
import networkx as nx
path, reps = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    n = int(f.readline())
    edges = [tuple(map(int, line.split())) for line in f]
G = nx.MultiDiGraph()
G.add_nodes_from(range(n))
G.add_edges_from(edges)
out = [0] * n
for u, _ in edges:
    out[u] += 1
src = max(range(n), key=lambda v: out[v])
def bfs():
    return nx.single_source_shortest_path_length(G, src)
def pr20():
    try:
        nx.pagerank(G, alpha=0.85, max_iter=20, tol=1e-300)
    except nx.PowerIterationFailedConvergence:
        pass  # 20 iterations done, as asked
for name, fn in (("networkx BFS", bfs), ("networkx PageRank 20 it.", pr20)):
    times = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    print(f"{name:<28} median {statistics.median(times) * 1000:10.1f} ms  ({n} vertices, {len(edges)} arcs)")
EOF
else
  echo "networkx: not installed (apt-get install python3-networkx)"
fi

echo "== Kùzu"
if node -e "require('kuzu')" 2>/dev/null; then
  echo "kuzu is installed, but this script has no Kùzu driver yet: not measured"
else
  echo "Kùzu: not installed here (npm install kuzu@0.11.3): not measured"
fi

if [ -n "${GEOKG_BENCH_ICEWS_DB:-}" ]; then
  echo "== geokg ego \"Vladimir Putin\" --hops 2 (wall, process start included)"
  for i in 1 2 3 4 5 6 7; do
    s=$(date +%s%N)
    "$GEOKG" --db "$GEOKG_BENCH_ICEWS_DB" ego "Vladimir Putin" --hops 2 --limit 10 >/dev/null 2>&1
    e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done | sort -n | sed -n 4p | xargs -I{} echo "median {} ms"
fi
