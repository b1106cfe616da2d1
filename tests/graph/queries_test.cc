// The graph questions end to end on the ICEWS18 slice: `neighbors` read from RocksDB agrees with
// the projection computed on the snapshot, and the CLI's neighbors / ego / path / rank /
// components print what networkx computes from the raw slice.
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>

#include "graph/snapshot.h"
#include "io/curated_loader.h"
#include "query/neighbors.h"
#include "query/path.h"
#include "query/rank.h"
#include "query/traversal.h"
#include "storage/store.h"
#include "tests/graph/graph_test_util.h"
#include "tests/graph/icews_fixture.h"
#include "tests/test_util.h"

namespace geokg::query {
namespace {

using graph::testing::kSliceEpoch;
using nlohmann::json;

struct SliceStore {
  graph::testing::TempDir dir;
  std::string path;
  std::unique_ptr<storage::Store> store;
  SliceStore() {
    path = dir.path() + "/db";
    storage::OpenOptions opts;
    opts.create_if_missing = true;
    store = std::move(storage::Store::Open(path, opts)).value();
    auto facts = graph::testing::ReadSlice();
    Status st = graph::testing::LoadSlice(*store, facts, 0, facts.size());
    if (!st.ok()) throw std::runtime_error(st.ToString());
  }
};

SliceStore& Shared() {
  static SliceStore s;
  return s;
}

std::vector<GraphFilter> Filters() {
  std::vector<GraphFilter> out(6);
  out[1].t1 = kSliceEpoch + 24 * 3600;
  out[1].t2 = kSliceEpoch + 48 * 3600 - 1;
  out[2].code_prefix = "0";
  out[3].statuses = {FactStatus::kReported};
  out[4].dir = graph::Dir::kOut;
  out[4].types = {EdgeType::kInitiator, EdgeType::kTarget};
  out[5].dir = graph::Dir::kIn;
  out[5].min_events = 2;
  return out;
}

TEST_CASE("Graph queries: neighbors from RocksDB equal the snapshot projection", "[graph]") {
  SliceStore& s = Shared();
  auto gc = LoadGraphContext(*s.store);
  REQUIRE(gc.ok());
  for (const std::string name : {"Donald Trump", "India", "Kim Jong-Un", "Citizen (India)"}) {
    NodeId id = graph::testing::SliceActorId(name);
    for (const GraphFilter& f : Filters()) {
      auto rows = Neighbors(*s.store, id, f);
      REQUIRE(rows.ok());
      graph::ActorLinker linker(gc->graph(), f.ToProjection());
      const auto& links = linker.Links(*gc->VertexOf(id));
      REQUIRE(rows->size() == links.size());
      std::map<NodeId, graph::LinkStats> want;
      for (const auto& l : links) want[gc->graph().node_id(l.other)] = l;
      for (const auto& r : *rows) {
        REQUIRE(want.count(r.actor.id));
        const auto& w = want[r.actor.id];
        REQUIRE(r.stats.events == w.events);
        REQUIRE(r.stats.first == w.first);
        REQUIRE(r.stats.last == w.last);
        REQUIRE(r.stats.mean_goldstein() == Approx(w.mean_goldstein()));
        for (int q = 0; q < 5; ++q) REQUIRE(r.stats.quad[q] == w.quad[q]);
      }
    }
  }
}

TEST_CASE("Graph queries: the stored projection answers exactly as computing it does", "[graph]") {
  SliceStore& s = Shared();
  auto gc = LoadGraphContext(*s.store);
  REQUIRE(gc.ok());
  REQUIRE(gc->loaded.actor_links.present());
  // The same context without the stored links computes every link from the role arcs.
  GraphContext computed;
  computed.store = gc->store;
  computed.loaded.graph = graph::CsrGraph::FromViews(gc->graph().views(), nullptr);
  REQUIRE_FALSE(computed.loaded.actor_links.present());

  graph::ActorLinker linker(gc->graph(), {});
  REQUIRE_FALSE(linker.uses_stored());
  size_t total = 0;
  for (graph::VertexIndex a = 0; a < linker.num_actors(); ++a) {
    std::vector<graph::LinkStats> want;
    linker.ComputeLinks(a, &want);
    auto got = gc->loaded.actor_links.Of(a);
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) REQUIRE(graph::testing::SameLink(got[i], want[i]));
    total += want.size();
  }
  REQUIRE(total > 100);

  std::vector<GraphFilter> filters(2);
  filters[1].min_events = 2;  // still read from the stored links, then thresholded
  for (const GraphFilter& f : filters) {
    graph::ActorLinker stored(gc->graph(), f.ToProjection(), gc->loaded.actor_links);
    REQUIRE(stored.uses_stored());
    for (const std::string name : {"Donald Trump", "India", "Kim Jong-Un", "Citizen (India)"}) {
      NodeId id = graph::testing::SliceActorId(name);
      for (int hops : {1, 2, 3}) {
        auto x = Ego(*gc, id, hops, f);
        auto y = Ego(computed, id, hops, f);
        REQUIRE(x.ok());
        REQUIRE(y.ok());
        REQUIRE(x->nodes.size() == y->nodes.size());
        REQUIRE(x->edges.size() == y->edges.size());
        REQUIRE(x->num_edges == x->edges.size());
        auto counted = Ego(*gc, id, hops, f, 0, /*with_edges=*/false);
        REQUIRE(counted.ok());
        REQUIRE(counted->edges.empty());
        REQUIRE(counted->num_edges == x->edges.size());
        REQUIRE(counted->nodes.size() == x->nodes.size());
        for (size_t i = 0; i < x->nodes.size(); ++i) {
          REQUIRE(counted->nodes[i].id == x->nodes[i].id);
          REQUIRE(counted->nodes[i].degree == x->nodes[i].degree);
        }
        for (size_t i = 0; i < x->nodes.size(); ++i) {
          REQUIRE(x->nodes[i].id == y->nodes[i].id);
          REQUIRE(x->nodes[i].hops == y->nodes[i].hops);
          REQUIRE(x->nodes[i].degree == y->nodes[i].degree);
        }
        for (size_t i = 0; i < x->edges.size(); ++i) {
          REQUIRE(x->edges[i].a == y->edges[i].a);
          REQUIRE(x->edges[i].b == y->edges[i].b);
          REQUIRE(graph::testing::SameLink(x->edges[i].stats, y->edges[i].stats));
        }
      }
    }
    for (RankBy by : {RankBy::kDegree, RankBy::kPageRank}) {
      auto x = Rank(*gc, by, 20, f);
      auto y = Rank(computed, by, 20, f);
      REQUIRE(x.ok());
      REQUIRE(y.ok());
      REQUIRE(x->size() == y->size());
      for (size_t i = 0; i < x->size(); ++i) {
        REQUIRE((*x)[i].actor.id == (*y)[i].actor.id);
        REQUIRE((*x)[i].score == Approx((*y)[i].score).epsilon(1e-12));
      }
    }
  }
}

void RequireSameRows(const std::vector<NeighborRow>& x, const std::vector<NeighborRow>& y) {
  REQUIRE(x.size() == y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    INFO(x[i].actor.label);
    REQUIRE(x[i].actor.id == y[i].actor.id);
    REQUIRE(x[i].actor.label == y[i].actor.label);
    REQUIRE(graph::testing::SameLink(x[i].stats, y[i].stats));
    REQUIRE(x[i].relations == y[i].relations);
  }
}

TEST_CASE("Graph queries: neighbors from the snapshot equal neighbors from RocksDB", "[graph]") {
  SliceStore& s = Shared();
  REQUIRE(LoadGraphContext(*s.store).ok());  // writes the snapshot
  auto gc = LoadCurrentGraphContext(*s.store);
  REQUIRE(gc.has_value());
  for (const std::string name : {"Donald Trump", "India", "Kim Jong-Un", "Citizen (India)"}) {
    NodeId id = graph::testing::SliceActorId(name);
    for (const GraphFilter& f : Filters()) {
      auto x = Neighbors(*s.store, id, f);
      auto y = Neighbors(*gc, id, f);
      REQUIRE(x.ok());
      REQUIRE(y.ok());
      REQUIRE(x->size() > 0);
      RequireSameRows(*x, *y);
    }
  }

  // Relations (leader_of, ally_of, ...) and every role type: the bundled example dataset.
  graph::testing::TempDir dir;
  storage::OpenOptions opts;
  opts.create_if_missing = true;
  auto store = std::move(storage::Store::Open(dir.path() + "/db", opts)).value();
  auto report = io::LoadCuratedFiles(
      *store, {std::string(GEOKG_SOURCE_DIR) + "/data/examples/kim-putin-summit.jsonl"}, {});
  REQUIRE(report.ok());
  REQUIRE(report->ok());
  REQUIRE_FALSE(LoadCurrentGraphContext(*store).has_value());  // no snapshot yet: not built
  REQUIRE(LoadGraphContext(*store).ok());
  auto egc = LoadCurrentGraphContext(*store);
  REQUIRE(egc.has_value());
  size_t with_relations = 0;
  const graph::CsrGraph& g = egc->graph();
  for (graph::VertexIndex a = 0; a < g.KindEnd(NodeKind::kActor); ++a) {
    GraphFilter all, dated;
    dated.t1 = 0;  // a window: undated relations drop out
    dated.t2 = 4102444800;
    for (const GraphFilter& f : {all, dated}) {
      auto x = Neighbors(*store, g.node_id(a), f);
      auto y = Neighbors(*egc, g.node_id(a), f);
      REQUIRE(x.ok());
      REQUIRE(y.ok());
      RequireSameRows(*x, *y);
      for (const auto& r : *x) with_relations += !r.relations.empty();
    }
  }
  REQUIRE(with_relations > 0);
}

// Runs the geokg binary; returns stdout (exit code in *rc).
std::string RunGeokg(const std::string& args, int* rc) {
  std::string cmd = std::string(GEOKG_BINARY) + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while (p && (n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  *rc = p ? WEXITSTATUS(pclose(p)) : -1;
  return out;
}

TEST_CASE("Graph queries: the CLI answers from a damaged snapshot as from an intact one",
          "[graph]") {
  SliceStore s;  // its own: this test damages the snapshot
  const std::string db = "--db " + s.path + " --format json ";
  const std::vector<std::string> commands = {
      "ego 'Donald Trump' --hops 2 --limit 0", "path 'Donald Trump' 'kim jong un' --all",
      "rank --by degree --top 20", "rank --by pagerank --top 20", "components --top 5"};
  auto answers = [&] {
    std::vector<std::string> out;
    for (const std::string& c : commands) {
      int rc = -1;
      out.push_back(RunGeokg(db + c, &rc));
      INFO(c);
      REQUIRE(rc == 0);
    }
    return out;
  };
  const std::vector<std::string> want = answers();  // builds the snapshot
  const std::string path = graph::SnapshotPath(*s.store);
  const std::string good = test::ReadFile(path);
  REQUIRE(answers() == want);  // from the snapshot
  for (const auto& [name, bytes] : graph::testing::DamagedSnapshots(good)) {
    INFO(name);
    test::WriteFile(path, bytes);
    REQUIRE(answers() == want);
    REQUIRE(test::ReadFile(path) == good);  // rebuilt
  }
}

TEST_CASE("Graph queries: the CLI's answers equal networkx's on the slice", "[graph]") {
  SliceStore& s = Shared();
  const std::string db = "--db " + s.path + " --format json ";
  json req;
  req["slice"] = graph::testing::SlicePath();
  req["source"] = "Donald Trump";
  req["target"] = "Kim Jong-Un";
  req["code_prefix"] = "0";
  req["tasks"] = {"links", "ego2", "all_shortest", "components", "degree"};
  auto nx = graph::testing::RunNetworkx(req, "nx_icews_reference.py");
  if (!nx) {
    WARN("networkx not installed: CLI answers not compared");
    return;
  }
  int rc = -1;
  auto out = json::parse(RunGeokg(db + "path 'Donald Trump' 'kim jong un' --all --code 0", &rc));
  REQUIRE(rc == 0);
  auto want_paths = (*nx)["all_shortest"];
  REQUIRE(out["count"] == want_paths.size());
  std::vector<std::vector<std::string>> got;
  for (const auto& p : out["paths"]) {
    std::vector<std::string> names{p["hops"][0]["from"]["label"]};
    for (const auto& h : p["hops"]) {
      names.push_back(h["to"]["label"]);
      REQUIRE(h["events"].size() >= 1);
      for (const auto& e : h["events"]) REQUIRE(e["code"].get<std::string>().rfind("0", 0) == 0);
    }
    got.push_back(names);
  }
  std::sort(got.begin(), got.end());
  REQUIRE(got == want_paths.get<std::vector<std::vector<std::string>>>());

  out = json::parse(RunGeokg(db + "ego 'Donald Trump' --hops 2 --code 0", &rc));
  REQUIRE(rc == 0);
  REQUIRE(out["node_count"] == (*nx)["ego2"].size());

  out = json::parse(RunGeokg(db + "neighbors 'Donald Trump' --code 0 --limit 0", &rc));
  REQUIRE(rc == 0);
  REQUIRE(out["count"] == (*nx)["links"].size());
  for (const auto& n : out["neighbors"]) {
    REQUIRE(n["link"]["events"] == (*nx)["links"][n["label"].get<std::string>()][0]);
  }

  out = json::parse(RunGeokg(db + "components --code 0 --top 3", &rc));
  REQUIRE(rc == 0);
  size_t linked = 0, isolated = 0, largest = 0;
  for (const auto& c : (*nx)["components"]) {
    if (c.size() == 1) {
      ++isolated;
    } else {
      ++linked;
      largest = std::max(largest, c.size());
    }
  }
  REQUIRE(out["components"] == linked);
  REQUIRE(out["isolated_actors"] == isolated);
  REQUIRE(out["largest"][0]["size"] == largest);

  out = json::parse(RunGeokg(db + "rank --by degree --top 5 --code 0", &rc));
  REQUIRE(rc == 0);
  int max_degree = 0;
  for (auto& [name, d] : (*nx)["degree"].items()) max_degree = std::max(max_degree, d.get<int>());
  REQUIRE(out["actors"][0]["score"].get<double>() == max_degree);

  // Bad input is a usage error with a message, not a crash.
  RunGeokg(db + "path 'Donald Trump' 'kim jong un' --direction sideways", &rc);
  REQUIRE(rc == 1);
  RunGeokg(db + "ego 'Nobody At All' --hops 2", &rc);
  REQUIRE(rc == 3);
}

}  // namespace
}  // namespace geokg::query
