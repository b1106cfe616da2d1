// Snapshot files: exact round trip through the memory mapping, corrupt files rejected (never a
// crash; any damaged byte caught by the checksum), and LoadGraph never using a snapshot older
// than the store or a damaged one.
#include "graph/snapshot.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <string_view>
#include <thread>

#include "graph/kernels.h"
#include "storage/store.h"
#include "tests/graph/graph_test_util.h"
#include "tests/graph/icews_fixture.h"
#include "tests/test_util.h"

namespace geokg::graph {
namespace {

using testing::TempDir;

template <typename T>
std::vector<T> Vec(std::span<const T> s) {
  return std::vector<T>(s.begin(), s.end());
}

void RequireSameGraph(const CsrGraph& a, const CsrGraph& b) {
  REQUIRE(Vec(a.views().node_ids) == Vec(b.views().node_ids));
  REQUIRE(Vec(a.views().kinds) == Vec(b.views().kinds));
  REQUIRE(Vec(a.views().codes) == Vec(b.views().codes));
  REQUIRE(Vec(a.views().quad_class) == Vec(b.views().quad_class));
  REQUIRE(a.views().goldstein.size() == b.views().goldstein.size());
  for (size_t i = 0; i < a.views().goldstein.size(); ++i) {
    float x = a.views().goldstein[i], y = b.views().goldstein[i];
    REQUIRE(((std::isnan(x) && std::isnan(y)) || x == y));
  }
  for (auto side : {&CsrGraph::out, &CsrGraph::in}) {
    const CsrSide& x = (a.*side)();
    const CsrSide& y = (b.*side)();
    REQUIRE(Vec(x.offsets) == Vec(y.offsets));
    REQUIRE(Vec(x.neighbor) == Vec(y.neighbor));
    REQUIRE(Vec(x.type) == Vec(y.type));
    REQUIRE(Vec(x.time) == Vec(y.time));
    REQUIRE(Vec(x.status) == Vec(y.status));
    REQUIRE(Vec(x.edge) == Vec(y.edge));
  }
}

TEST_CASE("Snapshot: a written snapshot maps back to the same graph", "[graph]") {
  TempDir dir;
  const std::string path = dir.path() + "/snapshot.capnp";
  for (uint32_t n : {0u, 1u, 500u}) {
    auto arcs = testing::RandomArcs(std::max(n, 2u), n ? n * 4 : 0, n);
    CsrGraph g = testing::BuildFrom(n, n ? arcs : std::vector<testing::RandomArc>{});
    REQUIRE(WriteSnapshot(g, {42, 7}, path).ok());
    auto opened = OpenSnapshot(path);
    REQUIRE(opened.ok());
    REQUIRE(opened->header.store_id == 42);
    REQUIRE(opened->header.generation == 7);
    RequireSameGraph(g, opened->graph);
    if (n > 0) REQUIRE(BfsDepths(GraphView(opened->graph), 0) == BfsDepths(GraphView(g), 0));
  }
  // Zero copy: the arrays point into the mapping, not into a heap copy of it.
  auto g = testing::BuildFrom(10, testing::RandomArcs(10, 30, 1));
  REQUIRE(WriteSnapshot(g, {1, 1}, path).ok());
  auto a = OpenSnapshot(path);
  auto b = OpenSnapshot(path);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->graph.out().neighbor.data() != g.out().neighbor.data());
  REQUIRE(std::filesystem::file_size(path) >= a->graph.num_arcs() * 2 * (4 + 1 + 8 + 1 + 8));
}

TEST_CASE("Snapshot: a corrupt or foreign file is Corruption, never a crash", "[graph]") {
  TempDir dir;
  const std::string path = dir.path() + "/snapshot.capnp";
  REQUIRE(OpenSnapshot(path).status().IsNotFound());
  auto write_bytes = [&](const std::string& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << bytes;
  };
  write_bytes("");
  REQUIRE(OpenSnapshot(path).status().IsCorruption());
  write_bytes(std::string(4096, '\x7f'));
  REQUIRE(OpenSnapshot(path).status().IsCorruption());

  CsrGraph g = testing::BuildFrom(200, testing::RandomArcs(200, 800, 9));
  REQUIRE(WriteSnapshot(g, {1, 1}, path).ok());
  std::string good;
  {
    std::ifstream f(path, std::ios::binary);
    good.assign(std::istreambuf_iterator<char>(f), {});
  }
  SECTION("truncated") {
    for (size_t len : {size_t{8}, size_t{64}, good.size() / 2, good.size() - 8}) {
      write_bytes(good.substr(0, len));
      REQUIRE(OpenSnapshot(path).status().IsCorruption());
    }
  }
  SECTION("random bytes overwritten: either rejected or a graph that validates") {
    std::mt19937_64 rng(3);
    for (int trial = 0; trial < 300; ++trial) {
      std::string bad = good;
      for (int k = 0; k < 4; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
      write_bytes(bad);
      auto opened = OpenSnapshot(path);
      if (opened.ok()) {
        REQUIRE(opened->graph.Validate().ok());
        BfsDepths(GraphView(opened->graph), 0);  // must not read out of bounds (ASan run)
      } else {
        REQUIRE(opened.status().IsCorruption());
      }
    }
  }
  SECTION("an arc pointing past the last vertex") {
    CsrArrays a;
    a.node_ids = {testing::TestId(0), testing::TestId(1)};
    a.kinds = {0, 0};
    a.codes = {0, 0};
    a.goldstein = {0, 0};
    a.quad_class = {0, 0};
    for (auto* s : {&a.out, &a.in}) {
      s->offsets = {0, 1, 1};
      s->neighbor = {5};
      s->type = {0};
      s->time = {0};
      s->status = {0};
      s->edge = {1};
    }
    REQUIRE(WriteSnapshot(CsrGraph::FromArrays(std::move(a)), {1, 1}, path).ok());
    auto opened = OpenSnapshot(path);
    REQUIRE(opened.status().IsCorruption());
    REQUIRE_THAT(opened.status().message(), Catch::Contains("out of range"));
  }
}

// Copies a graph's arrays so that one value can be broken before validating.
CsrArrays CopyArrays(const CsrGraph& g) {
  CsrArrays a;
  const auto& v = g.views();
  a.node_ids = Vec(v.node_ids);
  a.kinds = Vec(v.kinds);
  a.codes = Vec(v.codes);
  a.goldstein = Vec(v.goldstein);
  a.quad_class = Vec(v.quad_class);
  for (auto [dst, src] : {std::pair{&a.out, &v.out}, std::pair{&a.in, &v.in}}) {
    dst->offsets = Vec(src->offsets);
    dst->neighbor = Vec(src->neighbor);
    dst->type = Vec(src->type);
    dst->time = Vec(src->time);
    dst->status = Vec(src->status);
    dst->edge = Vec(src->edge);
  }
  return a;
}

TEST_CASE("Snapshot: validation finds one bad value anywhere in a large graph", "[graph]") {
  // Above the size at which the two sides are checked on two threads, and with positions in the
  // vectorized blocks and in the scalar tail of each array.
  const uint32_t n = 5000;
  const uint32_t m = (1u << 20) + 37;
  CsrGraph g = testing::BuildFrom(n, testing::RandomArcs(n, m, 11));
  REQUIRE(g.Validate().ok());
  for (bool in_side : {false, true}) {
    for (uint64_t pos : {uint64_t{0}, uint64_t{4097}, uint64_t{m} - 1}) {
      auto side = [&](CsrArrays& a) -> CsrArrays::Side& { return in_side ? a.in : a.out; };
      CsrArrays a = CopyArrays(g);
      side(a).neighbor[pos] = n;
      Status s = CsrGraph::FromArrays(std::move(a)).Validate();
      CHECK_THAT(s.message(), Catch::Contains("out of range"));
      a = CopyArrays(g);
      side(a).type[pos] = kEdgeTypeCount;
      CHECK_THAT(CsrGraph::FromArrays(std::move(a)).Validate().message(),
                 Catch::Contains("bad type or status"));
      a = CopyArrays(g);
      side(a).status[pos] = 200;
      CHECK_THAT(CsrGraph::FromArrays(std::move(a)).Validate().message(),
                 Catch::Contains("bad type or status"));
    }
    for (uint32_t v : {1u, 2500u, n - 1}) {
      CsrArrays a = CopyArrays(g);
      auto& off = in_side ? a.in.offsets : a.out.offsets;
      off[v] = off[v + 1] + 1;
      CHECK_THAT(CsrGraph::FromArrays(std::move(a)).Validate().message(),
                 Catch::Contains("offsets decrease"));
    }
  }
  for (uint32_t v : {0u, 17u, n - 1}) {
    CsrArrays a = CopyArrays(g);
    a.kinds[v] = 3;
    CHECK_THAT(CsrGraph::FromArrays(std::move(a)).Validate().message(),
               Catch::Contains("vertex " + std::to_string(v) + " has a bad id or kind"));
  }
  CsrArrays a = CopyArrays(g);
  std::swap(a.node_ids[10], a.node_ids[11]);
  CHECK_THAT(CsrGraph::FromArrays(std::move(a)).Validate().message(),
             Catch::Contains("vertex 11 has a bad id or kind"));
}

// A new store under `dir` holding the first `count` facts of the ICEWS18 slice.
std::unique_ptr<storage::Store> SliceStore(const TempDir& dir,
                                           const std::vector<testing::SliceFact>& facts,
                                           size_t count) {
  storage::OpenOptions opts;
  opts.create_if_missing = true;
  auto store = storage::Store::Open(dir.path() + "/db", opts);
  REQUIRE(store.ok());
  REQUIRE(testing::LoadSlice(**store, facts, 0, count).ok());
  return std::move(store).value();
}

TEST_CASE("Snapshot: a stale snapshot is never used after the store changes", "[graph]") {
  TempDir dir;
  auto facts = testing::ReadSlice();
  auto store = SliceStore(dir, facts, 200);

  auto first = LoadGraph(*store);
  REQUIRE(first.ok());
  REQUIRE(first->rebuilt);
  REQUIRE(first->why == "missing");
  REQUIRE(first->write_status.ok());
  REQUIRE(first->graph.num_arcs() == 400);

  auto second = LoadGraph(*store);
  REQUIRE(second.ok());
  REQUIRE_FALSE(second->rebuilt);
  RequireSameGraph(first->graph, second->graph);

  // The store changes: 100 more facts. The old snapshot must not be used.
  REQUIRE(testing::LoadSlice(*store, facts, 200, 100).ok());
  auto third = LoadGraph(*store);
  REQUIRE(third.ok());
  REQUIRE(third->rebuilt);
  REQUIRE(third->why == "stale");
  REQUIRE(third->graph.num_arcs() == 600);
  REQUIRE(third->graph.IndexOf(testing::SliceEventId(250)).has_value());

  // Rewriting the same facts changes nothing, so the snapshot stays current.
  REQUIRE(testing::LoadSlice(*store, facts, 200, 100).ok());
  auto fourth = LoadGraph(*store);
  REQUIRE(fourth.ok());
  REQUIRE_FALSE(fourth->rebuilt);

  // A corrupt snapshot file is rebuilt, not trusted.
  {
    std::fstream f(SnapshotPath(*store), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f << "garbage!garbage!";
  }
  auto fifth = LoadGraph(*store);
  REQUIRE(fifth.ok());
  REQUIRE(fifth->rebuilt);
  REQUIRE_THAT(fifth->why, Catch::Contains("Corruption"));
  RequireSameGraph(third->graph, fifth->graph);
}

TEST_CASE("Snapshot: any damage to the file is Corruption, and LoadGraph rebuilds the same graph",
          "[graph]") {
  TempDir dir;
  auto store = SliceStore(dir, testing::ReadSlice(), 300);
  auto built = LoadGraph(*store);
  REQUIRE(built.ok());
  REQUIRE(built->rebuilt);
  REQUIRE(built->write_status.ok());
  const std::string path = SnapshotPath(*store);
  const std::string good = test::ReadFile(path);
  REQUIRE(OpenSnapshot(path).ok());

  auto damages = testing::DamagedSnapshots(good);
  // A flip inside each array that no structural check can judge (times, edge ids, event codes,
  // Goldstein values, link counts), found by searching the file for the array's bytes.
  auto flip_inside = [&](const char* name, auto span, size_t byte_in_middle_element) {
    const std::string_view bytes(reinterpret_cast<const char*>(span.data()), span.size_bytes());
    const size_t at = good.find(bytes);
    REQUIRE(at != std::string::npos);
    std::string b = good;
    b[at + span.size() / 2 * sizeof(span[0]) + byte_in_middle_element] ^= 0x10;
    damages.emplace_back(std::string("a bit flipped inside ") + name, b);
  };
  const CsrGraph& g = built->graph;
  flip_inside("out.time", g.out().time, 0);
  flip_inside("in.time", g.in().time, 0);
  flip_inside("out.edge", g.out().edge, 0);
  flip_inside("codes", g.views().codes, 0);
  flip_inside("goldstein", g.views().goldstein, 1);
  flip_inside("actorLinks (events)", built->actor_links.links, offsetof(LinkStats, events));

  for (const auto& [name, bytes] : damages) {
    INFO(name);
    test::WriteFile(path, bytes);
    {
      auto opened = OpenSnapshot(path);
      REQUIRE(opened.status().IsCorruption());
    }
    REQUIRE_FALSE(LoadCurrentGraph(*store).has_value());
    auto loaded = LoadGraph(*store);
    REQUIRE(loaded.ok());
    REQUIRE(loaded->rebuilt);
    REQUIRE_THAT(loaded->why, Catch::Contains("Corruption"));
    REQUIRE(loaded->write_status.ok());
    RequireSameGraph(built->graph, loaded->graph);
    REQUIRE(Vec(loaded->actor_links.offsets) == Vec(built->actor_links.offsets));
    REQUIRE(std::memcmp(loaded->actor_links.links.data(), built->actor_links.links.data(),
                        built->actor_links.links.size_bytes()) == 0);
    REQUIRE(test::ReadFile(path) == good);  // rewritten, byte for byte
  }
  SECTION("the checksum is checked before the message is read") {
    std::string bad = good;
    bad[good.size() / 2] = static_cast<char>(~bad[good.size() / 2]);
    test::WriteFile(path, bad);
    REQUIRE_THAT(OpenSnapshot(path).status().message(), Catch::Contains("checksum mismatch"));
    test::WriteFile(path, good.substr(32));
    REQUIRE_THAT(OpenSnapshot(path).status().message(), Catch::Contains("bad magic"));
  }
}

TEST_CASE("Snapshot: a file unwritten since its checksum last matched is not hashed again",
          "[graph]") {
  TempDir dir;
  const std::string path = dir.path() + "/snapshot.capnp";
  const std::string stamp = path + ".verified";
  auto g = testing::BuildFrom(200, testing::RandomArcs(200, 800, 5));
  REQUIRE(WriteSnapshot(g, {1, 1}, path).ok());
  // A fresh file is hashed and not stamped: its times are too recent to tell a later write.
  auto fresh = OpenSnapshot(path);
  REQUIRE(fresh.ok());
  CHECK(fresh->hashed);
  CHECK_FALSE(std::filesystem::exists(stamp));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto first = OpenSnapshot(path);  // hashed, and now stamped
  REQUIRE(first.ok());
  CHECK(first->hashed);
  REQUIRE(std::filesystem::exists(stamp));
  auto second = OpenSnapshot(path);
  REQUIRE(second.ok());
  CHECK_FALSE(second->hashed);
  RequireSameGraph(g, second->graph);

  // A copy of the file with the stamp beside it is another file: hashed.
  const std::string copy = dir.path() + "/copy.capnp";
  std::filesystem::copy_file(path, copy);
  std::filesystem::copy_file(stamp, copy + ".verified");
  auto copied = OpenSnapshot(copy);
  REQUIRE(copied.ok());
  CHECK(copied->hashed);
  // A damaged stamp only means hashing again (and stamping anew).
  test::WriteFile(stamp, "not a stamp");
  auto restamped = OpenSnapshot(path);
  REQUIRE(restamped.ok());
  CHECK(restamped->hashed);
  REQUIRE(OpenSnapshot(path).ok());
  CHECK_FALSE(OpenSnapshot(path)->hashed);
  // A byte written in place, the size and the modification time kept: the change time moves.
  const auto mtime = std::filesystem::last_write_time(path);
  {
    const auto middle = static_cast<std::streamoff>(std::filesystem::file_size(path) / 2);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    char c = 0;
    f.seekg(middle);
    f.read(&c, 1);
    c = static_cast<char>(~c);
    f.seekp(middle);
    f.write(&c, 1);
  }
  std::filesystem::last_write_time(path, mtime);
  REQUIRE_THAT(OpenSnapshot(path).status().message(), Catch::Contains("checksum mismatch"));
}

TEST_CASE("Snapshot: the stored actor projection maps back exactly and is validated", "[graph]") {
  TempDir dir;
  auto store = SliceStore(dir, testing::ReadSlice(), 300);
  auto built = LoadGraph(*store);
  REQUIRE(built.ok());
  REQUIRE(built->rebuilt);
  REQUIRE(built->actor_links.present());
  auto mapped = LoadGraph(*store);
  REQUIRE(mapped.ok());
  REQUIRE_FALSE(mapped->rebuilt);
  REQUIRE(mapped->actor_links_owned == nullptr);  // views the mapping
  const ActorLinks& a = built->actor_links;
  const ActorLinks& b = mapped->actor_links;
  REQUIRE(Vec(a.offsets) == Vec(b.offsets));
  REQUIRE(a.links.size() == b.links.size());
  REQUIRE(a.links.size() > 10);
  REQUIRE(std::memcmp(a.links.data(), b.links.data(), a.links.size_bytes()) == 0);

  const std::string path = dir.path() + "/links.capnp";
  auto write_with = [&](std::vector<uint64_t> offsets, std::vector<LinkStats> links) {
    ActorLinksArrays arrays{std::move(offsets), std::move(links)};
    REQUIRE(WriteSnapshot(built->graph, {1, 1}, path, arrays.view()).ok());
    return OpenSnapshot(path);
  };
  SECTION("a link to a vertex that is not an actor") {
    std::vector<LinkStats> links(a.links.begin(), a.links.end());
    links[links.size() / 2].other = built->graph.num_vertices() - 1;  // an event
    auto opened = write_with(Vec(a.offsets), links);
    REQUIRE(opened.status().IsCorruption());
    REQUIRE_THAT(opened.status().message(), Catch::Contains("actor links"));
  }
  SECTION("offsets that do not fit the graph or the links") {
    std::vector<uint64_t> offsets = Vec(a.offsets);
    offsets.pop_back();
    REQUIRE(write_with(offsets, Vec(a.links)).status().IsCorruption());
    offsets = Vec(a.offsets);
    offsets[1] = offsets.back() + 1;
    REQUIRE(write_with(offsets, Vec(a.links)).status().IsCorruption());
  }
  SECTION("a snapshot without the projection is rebuilt by LoadGraph") {
    REQUIRE(
        WriteSnapshot(built->graph, {store->store_id(), store->generation()}, SnapshotPath(*store))
            .ok());
    auto again = LoadGraph(*store);
    REQUIRE(again.ok());
    REQUIRE(again->rebuilt);
    REQUIRE(again->why == "without the actor projection");
    REQUIRE(again->actor_links.present());
  }
}

}  // namespace
}  // namespace geokg::graph
