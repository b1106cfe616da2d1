// The actor projection of the whole ICEWS18 set (468,558 facts, all splits) against networkx:
// tests/data/graph/make_icews18_slice.py --all writes every fact in the slice format and
// tests/graph/nx_icews_reference.py builds its own graph from that file. Checked: the stored
// projection equals the computed one for every actor; a source's links, BFS distances, the 2-hop
// ego network, all shortest and the 6 shortest path lengths, PageRank and components, with and
// without filters. Betweenness is left to the slice test (networkx needs hours on 23 k actors).
// Slow (about a minute): tagged [.slow]; skipped when ../shared/data/ICEWS18 is absent.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>

#include "graph/kernels.h"
#include "graph/paths.h"
#include "graph/projection.h"
#include "graph/snapshot.h"
#include "storage/store.h"
#include "tests/graph/graph_test_util.h"
#include "tests/graph/icews_fixture.h"

namespace geokg::graph {
namespace {

using nlohmann::json;

const std::string kIcews18 = std::string(GEOKG_SOURCE_DIR) + "/../shared/data/ICEWS18";

TEST_CASE("Projection: the whole ICEWS18 set's actor graph equals networkx's", "[graph][.slow]") {
  if (!std::filesystem::exists(kIcews18 + "/train.txt")) {
    WARN("no " << kIcews18 << ": skipped");
    return;
  }
  if (!testing::NetworkxAvailable()) {
    WARN("networkx not installed: skipped");
    return;
  }
  testing::TempDir dir;
  const std::string tsv = dir.path() + "/icews18_full.tsv";
  const std::string make = "/usr/bin/python3 " + std::string(GEOKG_SOURCE_DIR) +
                           "/tests/data/graph/make_icews18_slice.py " + kIcews18 + " " +
                           GEOKG_SOURCE_DIR + "/data/cameo --all > " + tsv;
  REQUIRE(std::system(make.c_str()) == 0);
  auto facts = testing::ReadSlice(tsv);
  REQUIRE(facts.size() == 468558);

  storage::OpenOptions opts;
  opts.create_if_missing = true;
  auto store = std::move(storage::Store::Open(dir.path() + "/db", opts)).value();
  REQUIRE(testing::LoadSlice(*store, facts, 0, facts.size()).ok());
  auto loaded = LoadGraph(*store);
  REQUIRE(loaded.ok());
  const CsrGraph& base = loaded->graph;
  REQUIRE(base.num_arcs() == 2 * facts.size());
  std::map<VertexIndex, std::string> name_of;
  for (const auto& f : facts) {
    for (const std::string& n : {f.subject, f.object}) {
      name_of[*base.IndexOf(testing::SliceActorId(n))] = n;
    }
  }
  auto index_of = [&](const std::string& n) { return *base.IndexOf(testing::SliceActorId(n)); };

  // The stored projection is the computed one, actor by actor.
  {
    ActorLinker computed(base, {});
    REQUIRE(loaded->actor_links.present());
    std::vector<LinkStats> want;
    for (VertexIndex a = 0; a < computed.num_actors(); ++a) {
      computed.ComputeLinks(a, &want);
      auto got = loaded->actor_links.Of(a);
      REQUIRE(got.size() == want.size());
      for (size_t i = 0; i < want.size(); ++i) REQUIRE(testing::SameLink(got[i], want[i]));
    }
  }

  struct Case {
    std::string name;
    ProjectionFilter filter;
    json request;
    std::string source, target;
  };
  std::vector<Case> cases;
  cases.push_back({"no filter", {}, json::object(), "Donald Trump", "Kim Jong-Un"});
  {
    Case c{"June 2018, occurred", {}, json::object(), "Vladimir Putin", "Kim Jong-Un"};
    c.filter.edges.t1 = 1527811200;  // 2018-06-01
    c.filter.edges.t2 = 1530403199;  // 2018-06-30T23:59:59
    c.filter.edges.status_mask = EdgeFilter::StatusBit(FactStatus::kOccurred);
    c.request = {{"t1", c.filter.edges.t1}, {"t2", c.filter.edges.t2}, {"statuses", {"occurred"}}};
    cases.push_back(c);
  }
  {
    Case c{"consult (04), initiator to target, 2+ events",
           {},
           json::object(),
           "Donald Trump",
           "Kim Jong-Un"};
    c.filter.code_prefix = "04";
    c.filter.dir = Dir::kOut;
    c.filter.min_events = 2;
    c.request = {{"code_prefix", "04"}, {"dir", "out"}, {"min_events", 2}};
    cases.push_back(c);
  }
  for (const Case& c : cases) {
    SECTION(c.name) {
      json req = c.request;
      req["slice"] = tsv;
      req["source"] = c.source;
      req["target"] = c.target;
      req["k"] = 6;
      req["tasks"] = {"links",      "bfs",      "ego2",      "all_shortest",
                      "k_shortest", "pagerank", "components"};
      auto nx = testing::RunNetworkx(req, "nx_icews_reference.py");
      REQUIRE(nx.has_value());
      ActorLinker linker(base, c.filter, loaded->actor_links);
      const VertexIndex s = index_of(c.source), t = index_of(c.target);
      NeighborFn nbrs = [&](VertexIndex v, std::vector<VertexIndex>* out) {
        for (const LinkStats& l : linker.Links(v)) out->push_back(l.other);
      };
      auto names = [&](const Path& p) {
        std::vector<std::string> out;
        for (VertexIndex v : p) out.push_back(name_of.at(v));
        return out;
      };

      REQUIRE(testing::LinkMismatch(linker.Links(s), name_of, (*nx)["links"]) == "");

      std::set<std::string> ego;
      for (auto [v, d] : Neighborhood(nbrs, s, 2)) ego.insert(name_of.at(v));
      auto want_ego = (*nx)["ego2"].get<std::vector<std::string>>();
      REQUIRE(ego == std::set<std::string>(want_ego.begin(), want_ego.end()));

      std::vector<std::vector<std::string>> all;
      for (const Path& p : AllShortestPaths(nbrs, s, t)) all.push_back(names(p));
      std::sort(all.begin(), all.end());
      REQUIRE(all == (*nx)["all_shortest"].get<std::vector<std::vector<std::string>>>());
      std::vector<size_t> lens;
      for (const Path& p : KShortestPaths(nbrs, s, t, 6)) lens.push_back(p.size() - 1);
      REQUIRE(lens == (*nx)["k_shortest"].get<std::vector<size_t>>());

      auto ag = BuildActorGraph(base, c.filter, loaded->actor_links);
      REQUIRE(ag.ok());
      const Dir d = c.filter.dir == Dir::kBoth ? Dir::kBoth : Dir::kOut;
      GraphView view(ag->graph, {}, d);
      auto depth = BfsDepths(view, s);
      const auto& want_bfs = (*nx)["bfs"];
      size_t reached = 0;
      for (const auto& [v, name] : name_of) {
        int32_t want = want_bfs.contains(name) ? want_bfs[name].get<int32_t>() : -1;
        REQUIRE(depth[v] == want);
        reached += depth[v] >= 0;
      }
      REQUIRE(reached == want_bfs.size());

      PageRankOptions pr;
      pr.max_iterations = 10000;
      pr.tolerance = 1e-13;
      auto rank = PageRank(view, pr);
      for (const auto& [v, name] : name_of) {
        REQUIRE(rank[v] == Approx((*nx)["pagerank"][name].get<double>()).margin(1e-6));
      }

      auto ours_comps = testing::ComponentNames(ag->graph, name_of);
      REQUIRE(ours_comps == (*nx)["components"].get<std::vector<std::vector<std::string>>>());
    }
  }
}

}  // namespace
}  // namespace geokg::graph
