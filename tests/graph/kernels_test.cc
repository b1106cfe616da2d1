// The CSR, its filtered views, the Boost adaptor and the hot kernels, checked against networkx
// (live) and against Boost's own algorithms on the same view.
#include "graph/kernels.h"

#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/page_rank.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <catch2/catch.hpp>
#include <set>

#include "graph/bgl.h"
#include "tests/graph/graph_test_util.h"

namespace geokg::graph {
namespace {

using testing::BuildFrom;
using testing::RandomArc;
using testing::RandomArcs;
using testing::Request;
using testing::RunNetworkx;

std::vector<int32_t> BoostBfs(const BglDirected& g, VertexIndex s) {
  std::vector<int32_t> depth(num_vertices(g), -1);
  depth[s] = 0;
  struct Recorder : boost::default_bfs_visitor {
    std::vector<int32_t>* d;
    void tree_edge(const BglEdge& e, const BglDirected&) const {
      (*d)[e.target] = (*d)[e.source] + 1;
    }
  } vis;
  vis.d = &depth;
  std::vector<boost::default_color_type> color(num_vertices(g));
  boost::breadth_first_search(g, s,
                              boost::visitor(vis).color_map(boost::make_iterator_property_map(
                                  color.begin(), get(boost::vertex_index, g))));
  return depth;
}

// Pairs of the arcs that pass `f`, read in `dir` (kIn reverses them).
std::vector<std::pair<uint32_t, uint32_t>> Pairs(const std::vector<RandomArc>& arcs,
                                                 const EdgeFilter& f, Dir dir) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (const auto& a : arcs) {
    if (!f.Accepts(static_cast<uint8_t>(a.type), a.time, static_cast<uint8_t>(a.status))) continue;
    if (dir == Dir::kIn) {
      out.push_back({a.dst, a.src});
    } else {
      out.push_back({a.src, a.dst});
    }
  }
  return out;
}

TEST_CASE("Graph: the CSR holds every arc on both sides with its attributes", "[graph]") {
  const uint32_t n = 50;
  auto arcs = RandomArcs(n, 300, 7, /*self_loops=*/true);
  CsrGraph g = BuildFrom(n, arcs);
  REQUIRE(g.Validate().ok());
  REQUIRE(g.num_vertices() == n);
  REQUIRE(g.num_arcs() == arcs.size());
  for (size_t j = 0; j < arcs.size(); ++j) {
    VertexIndex u = *g.IndexOf(testing::TestId(arcs[j].src));
    bool found_out = false, found_in = false;
    for (uint64_t a = g.out().begin(u); a < g.out().end(u); ++a) {
      if (g.out().edge[a] == j + 1) {
        found_out = g.out().neighbor[a] == arcs[j].dst && g.out().time[a] == arcs[j].time &&
                    g.out().type[a] == static_cast<uint8_t>(arcs[j].type) &&
                    g.out().status[a] == static_cast<uint8_t>(arcs[j].status);
      }
    }
    VertexIndex v = arcs[j].dst;
    for (uint64_t a = g.in().begin(v); a < g.in().end(v); ++a) {
      if (g.in().edge[a] == j + 1) found_in = g.in().neighbor[a] == arcs[j].src;
    }
    REQUIRE(found_out);
    REQUIRE(found_in);
  }
  REQUIRE_FALSE(g.IndexOf(testing::TestId(n)).has_value());
}

TEST_CASE("Graph: BFS equals Boost's and networkx's in every direction and under filters",
          "[graph]") {
  const uint32_t n = 400;
  auto arcs = RandomArcs(n, 1400, 11);
  CsrGraph g = BuildFrom(n, arcs);
  EdgeFilter window;
  window.t1 = 20;
  window.t2 = 70;
  EdgeFilter typed;
  typed.type_mask =
      EdgeFilter::TypeBit(EdgeType::kInitiator) | EdgeFilter::TypeBit(EdgeType::kHost);
  typed.status_mask =
      EdgeFilter::StatusBit(FactStatus::kOccurred) | EdgeFilter::StatusBit(FactStatus::kOngoing);
  for (const EdgeFilter& f : {EdgeFilter{}, window, typed}) {
    for (Dir dir : {Dir::kOut, Dir::kIn, Dir::kBoth}) {
      GraphView view(g, f, dir);
      auto req = Request(n, Pairs(arcs, f, dir), dir != Dir::kBoth);
      req["tasks"] = {"bfs"};
      for (VertexIndex s : {0u, 17u, 399u}) {
        auto fast = BfsDepths(view, s);
        REQUIRE(fast == BfsDepthsTopDown(view, s));
        if (dir != Dir::kBoth) REQUIRE(fast == BoostBfs(BglDirected(view), s));
        req["source"] = s;
        if (auto nx = RunNetworkx(req)) {
          REQUIRE(fast == (*nx)["bfs"].get<std::vector<int32_t>>());
        } else {
          WARN("networkx not installed: BFS checked against Boost only");
        }
        // k-hop: the same distances cut at k.
        auto two = BfsDepths(view, s, 2);
        for (VertexIndex v = 0; v < n; ++v) {
          REQUIRE(two[v] == (fast[v] >= 0 && fast[v] <= 2 ? fast[v] : -1));
        }
      }
    }
  }
}

TEST_CASE("Graph: direction-optimizing BFS switches to bottom-up and stays exact", "[graph]") {
  // A dense core makes the frontier large enough for the bottom-up steps to run.
  const uint32_t n = 3000;
  auto arcs = RandomArcs(n, 60000, 5);
  CsrGraph g = BuildFrom(n, arcs);
  EdgeFilter f;
  f.t1 = 10;
  f.t2 = 60;
  for (const GraphView& view : {GraphView(g), GraphView(g, f, Dir::kBoth)}) {
    for (VertexIndex s : {0u, 1234u}) {
      REQUIRE(BfsDepths(view, s) == BfsDepthsTopDown(view, s));
      REQUIRE(BfsDepths(view, s, 1) == BfsDepthsTopDown(view, s, 1));
    }
  }
}

TEST_CASE("Graph: PageRank equals networkx's to 1e-6 and Boost's page_rank exactly", "[graph]") {
  const uint32_t n = 300;
  auto arcs = RandomArcs(n, 900, 23);  // leaves dangling vertices
  CsrGraph g = BuildFrom(n, arcs);
  EdgeFilter f;
  f.t2 = 80;
  for (const EdgeFilter& filter : {EdgeFilter{}, f}) {
    for (Dir dir : {Dir::kOut, Dir::kBoth}) {
      GraphView view(g, filter, dir);
      PageRankOptions nxopt;
      nxopt.max_iterations = 10000;
      nxopt.tolerance = 1e-13;
      auto ours = PageRank(view, nxopt);
      auto req = Request(n, Pairs(arcs, filter, dir), dir != Dir::kBoth);
      req["tasks"] = {"pagerank"};
      if (auto nx = RunNetworkx(req)) {
        auto want = (*nx)["pagerank"].get<std::vector<double>>();
        for (VertexIndex v = 0; v < n; ++v) REQUIRE(ours[v] == Approx(want[v]).margin(1e-6));
      } else {
        WARN("networkx not installed: PageRank checked against Boost only");
      }
    }
    // Boost's formula, 20 iterations, on the same filtered view.
    GraphView view(g, filter, Dir::kOut);
    PageRankOptions bopt;
    bopt.mode = PageRankOptions::Mode::kBoost;
    auto ours = PageRank(view, bopt);
    std::vector<double> theirs(n);
    BglDirected bg(view);
    boost::graph::page_rank(
        bg, boost::make_iterator_property_map(theirs.begin(), get(boost::vertex_index, bg)));
    for (VertexIndex v = 0; v < n; ++v) REQUIRE(ours[v] == Approx(theirs[v]).epsilon(1e-12));
  }
}

TEST_CASE("Graph: PageRank on two threads gives exactly the one-thread answer", "[graph]") {
  // Above the size at which the pull is split between two threads.
  const uint32_t n = 40000;
  auto arcs = RandomArcs(n, (1u << 20) + 1000, 5);
  CsrGraph g = BuildFrom(n, arcs);
  EdgeFilter f;
  f.t2 = 80;
  for (const EdgeFilter& filter : {EdgeFilter{}, f}) {
    for (Dir dir : {Dir::kOut, Dir::kIn, Dir::kBoth}) {
      GraphView view(g, filter, dir);
      for (auto mode : {PageRankOptions::Mode::kNormalized, PageRankOptions::Mode::kBoost}) {
        PageRankOptions two;
        two.mode = mode;
        PageRankOptions one = two;
        one.threads = 1;
        auto a = PageRank(view, two);
        auto b = PageRank(view, one);
        REQUIRE(a == b);
        double sum = 0;
        for (double r : a) sum += r;
        if (mode == PageRankOptions::Mode::kNormalized) REQUIRE(sum == Approx(1.0));
      }
    }
  }
}

TEST_CASE("Graph: Boost's components, betweenness and Dijkstra run on the view", "[graph]") {
  const uint32_t n = 120;
  auto arcs = RandomArcs(n, 150, 3);  // sparse: several components
  CsrGraph g = BuildFrom(n, arcs);
  EdgeFilter f;
  f.type_mask = EdgeFilter::TypeBit(EdgeType::kInitiator) | EdgeFilter::TypeBit(EdgeType::kTarget) |
                EdgeFilter::TypeBit(EdgeType::kParticipant);
  for (const EdgeFilter& filter : {EdgeFilter{}, f}) {
    BglUndirected ug(GraphView(g, filter, Dir::kBoth));
    std::vector<uint32_t> comp(n);
    size_t count = boost::connected_components(
        ug, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, ug)));
    BglDirected dg(GraphView(g, filter, Dir::kOut));
    std::vector<double> bc(n), ubc(n);
    boost::brandes_betweenness_centrality(
        dg, boost::make_iterator_property_map(bc.begin(), get(boost::vertex_index, dg)));
    boost::brandes_betweenness_centrality(
        ug, boost::make_iterator_property_map(ubc.begin(), get(boost::vertex_index, ug)));
    // Dijkstra with weight = 1 + time/100 per arc (read through the edge descriptor).
    auto weight = boost::make_function_property_map<BglEdge, double>(
        [&](const BglEdge& e) { return 1.0 + g.out().time[e.arc] / 100.0; });
    std::vector<double> dist(n);
    boost::dijkstra_shortest_paths(
        dg, VertexIndex{0},
        boost::weight_map(weight).distance_map(
            boost::make_iterator_property_map(dist.begin(), get(boost::vertex_index, dg))));

    auto undirected = Request(n, Pairs(arcs, filter, Dir::kOut), false);
    undirected["tasks"] = {"components", "betweenness"};
    auto directed = Request(n, Pairs(arcs, filter, Dir::kOut), true);
    directed["tasks"] = {"betweenness", "dijkstra"};
    directed["source"] = 0;
    directed["weights"] = nlohmann::json::array();
    for (const auto& a : arcs) {
      if (filter.Accepts(static_cast<uint8_t>(a.type), a.time, static_cast<uint8_t>(a.status))) {
        directed["weights"].push_back(1.0 + a.time / 100.0);
      }
    }
    auto nxu = RunNetworkx(undirected);
    auto nxd = RunNetworkx(directed);
    if (!nxu || !nxd) {
      WARN("networkx not installed: components/betweenness not compared");
      continue;
    }
    auto label = (*nxu)["components"].get<std::vector<uint32_t>>();
    std::set<uint32_t> distinct(label.begin(), label.end());
    REQUIRE(count == distinct.size());
    for (VertexIndex u = 0; u < n; ++u) {
      for (VertexIndex v = 0; v < n; ++v) REQUIRE((comp[u] == comp[v]) == (label[u] == label[v]));
    }
    auto want_bc = (*nxd)["betweenness"].get<std::vector<double>>();
    auto want_ubc = (*nxu)["betweenness"].get<std::vector<double>>();
    auto want_dist = (*nxd)["dijkstra"].get<std::vector<double>>();
    for (VertexIndex v = 0; v < n; ++v) {
      REQUIRE(bc[v] == Approx(want_bc[v]).margin(1e-9));
      REQUIRE(ubc[v] == Approx(want_ubc[v]).margin(1e-9));
      if (want_dist[v] >= 0) REQUIRE(dist[v] == Approx(want_dist[v]));
    }
  }
}

TEST_CASE("Graph: a hand-made graph gives the distances a person would count", "[graph]") {
  // 0 -> 1 -> 2 -> 3, 0 -> 4 -> 3, 5 isolated; 2 -> 3 is dated outside the window.
  CsrBuilder b;
  for (uint32_t i = 0; i < 6; ++i) b.AddNode(testing::TestId(i));
  auto add = [&](uint32_t u, uint32_t v, Time t) {
    b.AddArc(testing::TestId(u), testing::TestId(v), EdgeType::kRelatedTo, t, FactStatus::kOccurred,
             u * 10 + v);
  };
  add(0, 1, 5);
  add(1, 2, 5);
  add(2, 3, 50);
  add(0, 4, 5);
  add(4, 3, 5);
  CsrGraph g = std::move(b.Build()).value();
  REQUIRE(BfsDepths(GraphView(g), 0) == std::vector<int32_t>{0, 1, 2, 2, 1, -1});
  REQUIRE(BfsDepths(GraphView(g, {}, Dir::kIn), 3) == std::vector<int32_t>{2, 2, 1, 0, 1, -1});
  EdgeFilter f;
  f.t2 = 10;
  REQUIRE(BfsDepths(GraphView(g, f, Dir::kIn), 3) == std::vector<int32_t>{2, -1, -1, 0, 1, -1});
  // Undated arcs pass only an open-ended window.
  CsrBuilder b2;
  b2.AddArc(testing::TestId(0), testing::TestId(1), EdgeType::kAllyOf, kUnknownTime,
            FactStatus::kOngoing, 1);
  CsrGraph g2 = std::move(b2.Build()).value();
  REQUIRE(BfsDepths(GraphView(g2), 0)[1] == 1);
  REQUIRE(BfsDepths(GraphView(g2, f), 0)[1] == -1);
}

TEST_CASE("Graph: packed CAMEO codes match by prefix", "[graph]") {
  REQUIRE(UnpackCode(PackCode("0431")) == "0431");
  REQUIRE(UnpackCode(PackCode("04")) == "04");
  REQUIRE(CodeHasPrefix(PackCode("0431"), PackCode("04"), 2));
  REQUIRE(CodeHasPrefix(PackCode("043"), PackCode("043"), 3));
  REQUIRE_FALSE(CodeHasPrefix(PackCode("0431"), PackCode("05"), 2));
  REQUIRE_FALSE(CodeHasPrefix(PackCode("04"), PackCode("043"), 3));
  REQUIRE(CodeHasPrefix(PackCode("19"), 0, 0));
}

}  // namespace
}  // namespace geokg::graph
