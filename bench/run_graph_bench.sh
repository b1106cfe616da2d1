#!/bin/bash
# Traversal benchmarks, peers side by side (docs/benchmarks.md, "Traversal").
#   bench/run_graph_bench.sh [BUILD_DIR]      (default: build)
# 1. graph_bench on the synthetic R-MAT graph (2^20 vertices, 10.5 M arcs; GEOKG_BENCH_SCALE to
#    change) against Boost adjacency_list<vecS,vecS> and compressed_sparse_row_graph in-process;
#    and on ICEWS18 imported into a temporary store (when ../shared/data/ICEWS18 exists).
# 2. networkx (Debian python3-networkx) on the same R-MAT edges at GEOKG_BENCH_NX_SCALE (default
#    17: networkx needs ~1 KB per edge), next to graph_bench at that scale.
# 3. Kùzu (npm kuzu@0.11.3; or KUZU_NODE_PATH=.../node_modules) on the same edges, verified
#    against networkx (bench/kuzu_graph_peer.js); then the three side by side with ratios.
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
  "$BENCH" "${COMMON[@]}" --benchmark_filter='Bfs_Ours$|Bfs_BoostAdj|KHop_Ours|PageRank20_Ours(/|$|OneThread)|PageRank20_Boost' |
  tee "$WORK/geokg_small.txt"
if /usr/bin/python3 -c 'import networkx' 2>/dev/null; then
  /usr/bin/python3 - "$WORK/edges.txt" "$REPS" "$WORK/reference.json" <<'EOF'
# networkx timings, then the reference answers for the Kùzu driver (bench/kuzu_graph_peer.js).
import json, random, statistics, sys, time
import networkx as nx
import numpy as np
path, reps, ref_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
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
# graph_bench's k-hop sources: std::mt19937(7), v = rng() % n, kept when out-degree > 0.
# Python's random is MT19937 too; seed its state the way std::mt19937 does (init_genrand).
mt = [7]
for i in range(1, 624):
    mt.append((1812433253 * (mt[-1] ^ (mt[-1] >> 30)) + i) & 0xFFFFFFFF)
rng = random.Random()
rng.setstate((3, tuple(mt + [624]), None))
khop_sources = []
while len(khop_sources) < 16:
    v = rng.getrandbits(32) % n
    if out[v] > 0:
        khop_sources.append(v)
dist = nx.single_source_shortest_path_length(G, src)
far = max(dist.values())
target = min(v for v, d in dist.items() if d == far)  # a farthest vertex from the BFS source
def bfs():
    return nx.single_source_shortest_path_length(G, src)
def khop(k):
    return lambda: [nx.single_source_shortest_path_length(G, v, cutoff=k) for v in khop_sources]
def sp():
    return nx.shortest_path_length(G, src, target)
def pr20():
    try:
        nx.pagerank(G, alpha=0.85, max_iter=20, tol=1e-300)
    except nx.PowerIterationFailedConvergence:
        pass  # 20 iterations done, as asked
for name, fn, per in (("networkx BFS", bfs, 1), ("networkx 2-hop", khop(2), 16),
                      ("networkx 3-hop", khop(3), 16), ("networkx shortest path", sp, 1),
                      ("networkx PageRank 20 it.", pr20, 1)):
    times = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); times.append((time.perf_counter() - t) / per)
    print(f"{name:<28} median {statistics.median(times) * 1000:10.1f} ms  ({n} vertices, {len(edges)} arcs)")
hist = [0] * (far + 1)
for d in dist.values():
    hist[d] += 1
khop_ref = {}
for k in (2, 3):
    ball, walk = [], []
    for v in khop_sources:
        b = nx.single_source_shortest_path_length(G, v, cutoff=k)
        ball.append(len(b) - 1)
        # A walk of length <= k back to v exists iff some in-neighbour of v is within k - 1.
        back = any(b.get(p, k) <= k - 1 for p in G.predecessors(v))
        walk.append(len(b) - 1 + back)
    khop_ref[k] = {"ball": ball, "walk": walk}
# PageRank with Kùzu's formula (not networkx's: Kùzu drops dangling mass): start at 1/n, then
# 20 times rank' = (1 - d)/n + d * sum over arcs u->v of rank(u)/outdeg(u).
e = np.array(edges, dtype=np.int64).reshape(-1, 2)
deg = np.bincount(e[:, 0], minlength=n).astype(float)
rank = np.full(n, 1.0 / n)
for _ in range(20):
    rank = 0.15 / n + 0.85 * np.bincount(e[:, 1], weights=rank[e[:, 0]] / deg[e[:, 0]], minlength=n)
with open(ref_path, "w") as f:
    json.dump({"n": n, "arcs": len(edges), "source": src, "bfs_hist": hist,
               "khop_sources": khop_sources, "khop": khop_ref, "sp_target": target,
               "sp_length": nx.shortest_path_length(G, src, target),
               "pagerank": rank.tolist()}, f)
EOF
else
  echo "networkx: not installed (apt-get install python3-networkx)"
fi | tee "$WORK/networkx.txt"

echo "== Kùzu on the same edges"
# npm kuzu@0.11.3: installed where node finds it, or KUZU_NODE_PATH names a node_modules holding it.
if NODE_PATH="${KUZU_NODE_PATH:-}" node -e "require('kuzu')" 2>/dev/null; then
  if [ -f "$WORK/reference.json" ]; then
    NODE_PATH="${KUZU_NODE_PATH:-}" node "$ROOT/bench/kuzu_graph_peer.js" "$WORK/edges.txt" \
      "$WORK/reference.json" "$WORK" "$REPS" | tee "$WORK/kuzu.txt"
  else
    echo "Kùzu: no networkx reference to verify against: not measured"
  fi
else
  echo "Kùzu: not installed here (npm install kuzu@0.11.3; or KUZU_NODE_PATH=.../node_modules): not measured"
fi

echo "== scale $NXSCALE side by side (medians, ms; ratio = peer / geokg: 10x = geokg 10x faster)"
/usr/bin/python3 - "$WORK/geokg_small.txt" "$WORK/networkx.txt" "$WORK/kuzu.txt" <<'EOF'
import re, sys
def lines(path):
    try:
        return open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return []
unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
ours = {}
for l in lines(sys.argv[1]):  # Google Benchmark: "BM_Bfs_Ours_median  4.4 ms  4.3 ms  3"
    m = re.match(r"BM_(\S+)_median\s+([\d.]+) (\w+)", l)
    if m:
        ours[m[1].replace("/real_time", "")] = float(m[2]) * unit[m[3]]
peer = {}
for l in lines(sys.argv[2]) + lines(sys.argv[3]):  # "networkx BFS   median   3739.0 ms  (...)"
    m = re.match(r"(.+?)\s+median\s+([\d.]+) ms", l)
    if m:
        peer[m[1].strip()] = float(m[2])
rows = (("BFS", "Bfs_Ours", "networkx BFS", "Kùzu BFS"),
        ("2-hop", "KHop_Ours/2", "networkx 2-hop", "Kùzu 2-hop (SHORTEST)"),
        ("3-hop", "KHop_Ours/3", "networkx 3-hop", "Kùzu 3-hop (SHORTEST)"),
        ("shortest path", None, "networkx shortest path", "Kùzu shortest path"),
        ("PageRank 20 it.", "PageRank20_Ours", "networkx PageRank 20 it.", "Kùzu PageRank 20 it."))
fmt = lambda x: "-" if x is None else f"{x:.3f}" if x < 1 else f"{x:.1f}"
ratio = lambda p, g: "" if p is None or not g else f"({p / g:.0f}x)"
print(f"{'kernel':<16} {'geokg':>10} {'networkx':>12} {'':>8} {'Kùzu':>10} {'':>8}")
for name, g, n, k in rows:
    gv, nv, kv = ours.get(g), peer.get(n), peer.get(k)
    print(f"{name:<16} {fmt(gv):>10} {fmt(nv):>12} {ratio(nv, gv):>8} {fmt(kv):>10} {ratio(kv, gv):>8}")
EOF

if [ -n "${GEOKG_BENCH_ICEWS_DB:-}" ]; then
  echo "== geokg ego \"Vladimir Putin\" --hops 2 (wall, process start included)"
  for i in 1 2 3 4 5 6 7; do
    s=$(date +%s%N)
    "$GEOKG" --db "$GEOKG_BENCH_ICEWS_DB" ego "Vladimir Putin" --hops 2 --limit 10 >/dev/null 2>&1
    e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done | sort -n | sed -n 4p | xargs -I{} echo "median {} ms"
fi
