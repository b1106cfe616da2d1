// The actor projection on the ICEWS18 slice, checked against networkx on a graph that
// tests/graph/nx_icews_reference.py builds from the raw slice file with its own filtering:
// links and their statistics, BFS, ego, all shortest paths, k shortest paths, PageRank,
// betweenness and components, under time, code, status, direction and min-events filters; and a
// property test that no path ever uses an event outside the filter.
#include "graph/projection.h"

#include <boost/graph/betweenness_centrality.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "graph/bgl.h"
#include "graph/kernels.h"
#include "graph/paths.h"
#include "graph/snapshot.h"
#include "storage/store.h"
#include "tests/graph/graph_test_util.h"
#include "tests/graph/icews_fixture.h"

namespace geokg::graph {
namespace {

using nlohmann::json;
using testing::kSliceEpoch;

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  std::vector<testing::SliceFact> facts;
  CsrGraph base;
  std::map<VertexIndex, std::string> name_of;
  std::map<std::string, VertexIndex> index_of;
  std::map<VertexIndex, size_t> row_of_event;

  Fixture() {
    storage::OpenOptions opts;
    opts.create_if_missing = true;
    store = std::move(storage::Store::Open(dir.path() + "/db", opts)).value();
    facts = testing::ReadSlice();
    Status st = testing::LoadSlice(*store, facts, 0, facts.size());
    if (!st.ok()) throw std::runtime_error(st.ToString());
    base = std::move(LoadGraph(*store)).value().graph;
    for (const auto& f : facts) {
      for (const std::string& n : {f.subject, f.object}) {
        VertexIndex v = *base.IndexOf(testing::SliceActorId(n));
        name_of[v] = n;
        index_of[n] = v;
      }
    }
    for (size_t i = 0; i < facts.size(); ++i) {
      row_of_event[*base.IndexOf(testing::SliceEventId(i))] = i;
    }
  }
};

Fixture& Shared() {
  static Fixture f;
  return f;
}

struct Case {
  std::string name;
  ProjectionFilter filter;
  json request;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  cases.push_back({"no filter", {}, json::object()});
  {
    Case c{"day 2 only", {}, json::object()};
    c.filter.edges.t1 = kSliceEpoch + 24 * 3600;
    c.filter.edges.t2 = kSliceEpoch + 48 * 3600 - 1;
    c.request["t1"] = c.filter.edges.t1;
    c.request["t2"] = c.filter.edges.t2;
    cases.push_back(c);
  }
  {
    Case c{"CAMEO 04 (consult)", {}, json::object()};
    c.filter.code_prefix = "04";
    c.request["code_prefix"] = "04";
    cases.push_back(c);
  }
  {
    Case c{"occurred only", {}, json::object()};
    c.filter.edges.status_mask = EdgeFilter::StatusBit(FactStatus::kOccurred);
    c.request["statuses"] = {"occurred"};
    cases.push_back(c);
  }
  {
    Case c{"two events or more", {}, json::object()};
    c.filter.min_events = 2;
    c.request["min_events"] = 2;
    cases.push_back(c);
  }
  {
    Case c{"initiator to target", {}, json::object()};
    c.filter.dir = Dir::kOut;
    c.request["dir"] = "out";
    cases.push_back(c);
  }
  return cases;
}

std::vector<std::string> Names(const Fixture& fx, const Path& p) {
  std::vector<std::string> out;
  for (VertexIndex v : p) out.push_back(fx.name_of.at(v));
  return out;
}

NeighborFn Neighbors(ActorLinker& linker) {
  return [&linker](VertexIndex v, std::vector<VertexIndex>* out) {
    for (const LinkStats& l : linker.Links(v)) out->push_back(l.other);
  };
}

TEST_CASE("Projection: the ICEWS18 slice's actor graph equals networkx's under every filter",
          "[graph]") {
  Fixture& fx = Shared();
  REQUIRE(fx.base.num_arcs() == 2 * fx.facts.size());
  const std::string src = "Donald Trump", dst = "Kim Jong-Un";
  for (Case c : Cases()) {
    SECTION(c.name) {
      json req = c.request;
      req["slice"] = testing::SlicePath();
      req["source"] = src;
      req["target"] = dst;
      req["k"] = 6;
      req["tasks"] = {"links",      "bfs",      "ego2",        "all_shortest",
                      "k_shortest", "pagerank", "betweenness", "components"};
      auto nx = testing::RunNetworkx(req, "nx_icews_reference.py");
      if (!nx) {
        WARN("networkx not installed: projection not compared");
        return;
      }
      ActorLinker linker(fx.base, c.filter);
      const VertexIndex s = fx.index_of.at(src), t = fx.index_of.at(dst);

      // Links of the source with their statistics.
      CHECK(testing::LinkMismatch(linker.Links(s), fx.name_of, (*nx)["links"]) == "");

      // Paths and neighbourhoods over the lazily computed projection.
      auto ego = Neighborhood(Neighbors(linker), s, 2);
      std::set<std::string> ego_names;
      for (auto [v, d] : ego) ego_names.insert(fx.name_of.at(v));
      auto want_ego = (*nx)["ego2"].get<std::vector<std::string>>();
      REQUIRE(ego_names == std::set<std::string>(want_ego.begin(), want_ego.end()));

      std::vector<std::vector<std::string>> all;
      for (const Path& p : AllShortestPaths(Neighbors(linker), s, t)) all.push_back(Names(fx, p));
      std::sort(all.begin(), all.end());
      REQUIRE(all == (*nx)["all_shortest"].get<std::vector<std::vector<std::string>>>());

      std::vector<size_t> lens;
      for (const Path& p : KShortestPaths(Neighbors(linker), s, t, 6)) lens.push_back(p.size() - 1);
      REQUIRE(lens == (*nx)["k_shortest"].get<std::vector<size_t>>());

      // Whole-graph algorithms on the built projection.
      auto ag = BuildActorGraph(fx.base, c.filter);
      REQUIRE(ag.ok());
      REQUIRE(ag->graph.Validate().ok());
      const Dir d = c.filter.dir == Dir::kBoth ? Dir::kBoth : Dir::kOut;
      GraphView view(ag->graph, {}, d);
      auto depth = BfsDepths(view, s);
      auto want_bfs = (*nx)["bfs"];
      for (const auto& [v, name] : fx.name_of) {
        int32_t want = want_bfs.contains(name) ? want_bfs[name].get<int32_t>() : -1;
        REQUIRE(depth[v] == want);
      }

      PageRankOptions pr;
      pr.max_iterations = 10000;
      pr.tolerance = 1e-13;
      auto rank = PageRank(view, pr);
      for (const auto& [v, name] : fx.name_of) {
        REQUIRE(rank[v] == Approx((*nx)["pagerank"][name].get<double>()).margin(1e-6));
      }

      std::vector<double> bc(ag->graph.num_vertices());
      auto bc_map = boost::make_iterator_property_map(
          bc.begin(), boost::typed_identity_property_map<VertexIndex>());
      if (d == Dir::kBoth) {
        boost::brandes_betweenness_centrality(BglUndirected(view), bc_map);
      } else {
        boost::brandes_betweenness_centrality(BglDirected(view), bc_map);
      }
      for (const auto& [v, name] : fx.name_of) {
        REQUIRE(bc[v] == Approx((*nx)["betweenness"][name].get<double>()).margin(1e-6));
      }

      auto ours_comps = testing::ComponentNames(ag->graph, fx.name_of);
      REQUIRE(ours_comps == (*nx)["components"].get<std::vector<std::vector<std::string>>>());
    }
  }
}

TEST_CASE("Projection: no path ever uses an event outside the filter (property)", "[graph]") {
  Fixture& fx = Shared();
  std::mt19937_64 rng(2024);
  const std::vector<std::string> prefixes = {"", "0", "01", "04", "1", "19", "042"};
  std::vector<VertexIndex> actors;
  for (const auto& [v, n] : fx.name_of) actors.push_back(v);
  for (int trial = 0; trial < 40; ++trial) {
    ProjectionFilter f;
    int d1 = static_cast<int>(rng() % 3), d2 = d1 + static_cast<int>(rng() % 3);
    f.edges.t1 = kSliceEpoch + d1 * 24 * 3600;
    f.edges.t2 = kSliceEpoch + d2 * 24 * 3600 - 1 + (rng() % 2) * 24 * 3600;
    f.code_prefix = prefixes[rng() % prefixes.size()];
    if (rng() % 2) f.edges.status_mask = EdgeFilter::StatusBit(FactStatus::kReported);
    f.dir = rng() % 3 == 0 ? Dir::kOut : Dir::kBoth;
    ActorLinker linker(fx.base, f);
    for (int q = 0; q < 10; ++q) {
      VertexIndex s = actors[rng() % actors.size()], t = actors[rng() % actors.size()];
      for (const Path& p : KShortestPaths(Neighbors(linker), s, t, 3)) {
        REQUIRE(p.front() == s);
        REQUIRE(p.back() == t);
        for (size_t h = 0; h + 1 < p.size(); ++h) {
          auto events = linker.SharedEvents(p[h], p[h + 1]);
          REQUIRE_FALSE(events.empty());
          for (VertexIndex e : events) {
            const size_t row = fx.row_of_event.at(e);
            const auto& fact = fx.facts[row];
            const Time time = kSliceEpoch + fact.hours * 3600;
            REQUIRE(time >= f.edges.t1);
            REQUIRE(time <= f.edges.t2);
            REQUIRE(fact.code.rfind(f.code_prefix, 0) == 0);
            const bool reported = row % 5 == 0;
            if (f.edges.status_mask == EdgeFilter::StatusBit(FactStatus::kReported)) {
              REQUIRE(reported);
            }
            const std::string& a = fx.name_of.at(p[h]);
            const std::string& b = fx.name_of.at(p[h + 1]);
            if (f.dir == Dir::kOut) {
              REQUIRE((fact.subject == a && fact.object == b));
            } else {
              REQUIRE(((fact.subject == a && fact.object == b) ||
                       (fact.subject == b && fact.object == a)));
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace geokg::graph
