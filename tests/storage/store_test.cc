#include "storage/store.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "codec/key_codec.h"
#include "codec/value_codec.h"
#include "tests/test_util.h"

namespace geokg::storage {
namespace {

Node MakeActor(const std::string& key, const std::string& name,
               std::vector<std::string> aliases = {}) {
  Node n;
  n.key = key;
  Actor a;
  a.kind = ActorKind::kPerson;
  a.name = name;
  a.aliases = std::move(aliases);
  n.body = a;
  n.id = MakeNodeId(NodeKind::kActor, key);
  return n;
}

Node MakeEvent(const std::string& key, const std::string& code, Time t,
               FactStatus status = FactStatus::kOccurred) {
  Node n;
  n.key = key;
  Event e;
  e.cameo_code = code;
  e.time.start = e.time.end = t;
  e.time.precision = TimePrecision::kDay;
  e.status = status;
  e.summary = key;
  n.body = e;
  n.id = MakeNodeId(NodeKind::kEvent, key);
  return n;
}

Edge Role(const Node& actor, const Node& event, EdgeType type) {
  Edge e;
  e.type = type;
  e.src = actor.id;
  e.dst = event.id;
  e.owner = event.id;
  e.id = MakeOwnedEdgeId(event.id, type, actor.id, event.id);
  e.validity = std::get<Event>(event.body).time;
  e.status = std::get<Event>(event.body).status;
  return e;
}

// A standalone (keyed) edge valid from `t`.
Edge KeyedEdge(EdgeType type, NodeId src, NodeId dst, const std::string& key, Time t) {
  return test::KeyedEdge(type, src, dst, key, {t, t, TimePrecision::kSecond});
}

std::vector<AdjEntry> Scan(const Store& s, NodeId node, Direction dir, AdjQuery q) {
  std::vector<AdjEntry> out;
  REQUIRE(s.ScanAdjacency(node, dir, q, [&](const AdjEntry& e) {
             out.push_back(e);
             return true;
           }).ok());
  return out;
}

constexpr Time kDay = 86400;

}  // namespace

TEST_CASE("Store: open refuses a missing store unless asked to create one", "[storage]") {
  test::TempDir dir;
  auto missing = Store::Open(dir.path() + "/db", OpenOptions{});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().IsInvalidArgument());
  CHECK_THAT(missing.status().message(), Catch::Contains("no store at"));

  OpenOptions create;
  create.create_if_missing = true;
  auto made = Store::Open(dir.path() + "/db", create);
  REQUIRE(made.ok());
  CHECK((*made)->generation() == 0);
}

TEST_CASE("Store: a directory that is not a geokg store is refused", "[storage]") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() + "/x");
  test::WriteFile(dir.path() + "/x/notes.txt", "hello");
  OpenOptions create;
  create.create_if_missing = true;
  auto r = Store::Open(dir.path() + "/x", create);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("not a geokg store"));
}

// Overwrites the store's format info, as a store written by another version would have it.
void PutStoreInfo(Store& store, uint32_t version, const std::string& created_by) {
  codec::StoreInfo info;
  info.format_version = version;
  info.created_by = created_by;
  info.store_id = 42;
  REQUIRE(
      store.raw_db()
          ->Put(rocksdb::WriteOptions(), store.cf(Cf::kMeta), "info", codec::EncodeStoreInfo(info))
          .ok());
}

TEST_CASE("Store: another format version is a clear error", "[storage]") {
  test::TempDir dir;
  std::string path = dir.path() + "/db";
  uint32_t version = 0;
  {
    OpenOptions create;
    create.create_if_missing = true;
    auto s = Store::Open(path, create);
    REQUIRE(s.ok());
    SECTION("a later version") {
      version = kFormatVersion + 7;
      PutStoreInfo(**s, version, "geokg 9.9");
    }
    SECTION("format 3, whose event index held one key per event") {
      // A format-3 event index key: 'c' | code | be64 time | be64 event id, empty value.
      REQUIRE((*s)->raw_db()
                  ->Put(rocksdb::WriteOptions(), (*s)->cf(Cf::kEventIndex),
                        codec::EventByCodeKey("043", 1'500'000'000,
                                              MakeNodeId(NodeKind::kEvent, "event:x")),
                        "")
                  .ok());
      version = 3;
      PutStoreInfo(**s, version, "geokg 0.3");
    }
    SECTION("format 1, whose keys family this version does not open by itself") {
      rocksdb::ColumnFamilyHandle* keys = nullptr;
      REQUIRE(
          (*s)->raw_db()->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "keys", &keys).ok());
      REQUIRE((*s)->raw_db()->DestroyColumnFamilyHandle(keys).ok());
      version = 1;
      PutStoreInfo(**s, version, "geokg 0.1");
    }
  }
  auto r = Store::Open(path, OpenOptions{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().IsVersionMismatch());
  CHECK_THAT(r.status().message(),
             Catch::Contains("format version " + std::to_string(version) + ","));
}

TEST_CASE("Store: a format-4 store opens, and its first change upgrades it", "[storage]") {
  test::TempDir dir;
  const std::string path = dir.path() + "/db";
  {
    OpenOptions create;
    create.create_if_missing = true;
    auto s = Store::Open(path, create);
    REQUIRE(s.ok());
    CHECK((*s)->found_format_version() == kFormatVersion);
    PutStoreInfo(**s, kUpgradableFormatVersion, "geokg 0.4");
  }
  OpenOptions read_only;
  read_only.read_only = true;
  for (int i = 0; i < 2; ++i) {  // read-only: left as it is
    auto r = Store::Open(path, read_only);
    REQUIRE(r.ok());
    CHECK((*r)->found_format_version() == kUpgradableFormatVersion);
  }
  {
    auto w = Store::Open(path, OpenOptions{});
    REQUIRE(w.ok());
    CHECK((*w)->found_format_version() == kUpgradableFormatVersion);
    CHECK((*w)->format_version() == kUpgradableFormatVersion);  // opening writes nothing
    WriteBatch batch;
    batch.PutNode(MakeActor("actor:a", "A", {}));
    REQUIRE((*w)->Write(batch).ok());
    CHECK((*w)->format_version() == kFormatVersion);
    CHECK((*w)->found_format_version() == kUpgradableFormatVersion);
  }
  auto r = Store::Open(path, read_only);
  REQUIRE(r.ok());
  CHECK((*r)->found_format_version() == kFormatVersion);
  CHECK((*r)->UpgradeFormat().IsInvalidArgument());  // read-only
}

TEST_CASE("Store: LookupKey finds a node of any kind by its user key", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Node actor = MakeActor("actor:kim-jong-un", "Kim Jong Un", {});
  Node event = MakeEvent("event:summit", "036", 1694390400, FactStatus::kPlanned);
  // Keys whose prefix names another kind, or no kind at all, are still found.
  Node odd = MakeEvent("actor:not-an-actor", "036", 1694390400, FactStatus::kPlanned);
  Node bare = MakeActor("no-prefix", "Nobody In Particular", {});
  WriteBatch b;
  for (const Node* n : {&actor, &event, &odd, &bare}) b.PutNode(*n);
  REQUIRE(store->Write(b).ok());
  for (const Node* n : {&actor, &event, &odd, &bare}) {
    INFO(n->key);
    auto id = store->LookupKey(n->key);
    REQUIRE(id.ok());
    REQUIRE(id->has_value());
    CHECK(**id == n->id);
  }
  for (std::string missing : {"actor:nobody", "event:kim-jong-un", "", ":", "no-such-key"}) {
    INFO(missing);
    auto id = store->LookupKey(missing);
    REQUIRE(id.ok());
    CHECK_FALSE(id->has_value());
  }
}

TEST_CASE("Store: nodes, names and owned edges round trip; both directions are written",
          "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Node kim = MakeActor("actor:kim-jong-un", "Kim Jong Un", {"Kim Jong-Un"});
  Node putin = MakeActor("actor:vladimir-putin", "Vladimir Putin", {"Poutine"});
  Node summit = MakeEvent("event:summit", "036", 1694390400, FactStatus::kPlanned);

  WriteBatch b;
  b.PutNode(kim);
  b.PutNode(putin);
  b.PutNode(summit);
  b.SetOwnedEdges(summit.id, {Role(kim, summit, EdgeType::kParticipant),
                              Role(putin, summit, EdgeType::kParticipant)});
  auto w = store->Write(b);
  REQUIRE(w.ok());
  CHECK(w->nodes_added == 3);
  CHECK(w->edges_added == 2);
  CHECK(store->generation() == 1);

  auto got = store->GetNode(kim.id);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK(**got == kim);
  auto by_key = store->LookupKey("actor:vladimir-putin");
  REQUIRE(by_key.ok());
  CHECK(**by_key == putin.id);

  for (std::string spelling : {"kim jong un", "KIM JONG-UN", "Kim  Jong-Un", "kim-jong-un"}) {
    auto ids = store->FindByName(spelling);
    REQUIRE(ids.ok());
    CHECK(*ids == std::vector<NodeId>{kim.id});
  }
  CHECK(store->FindByName("poutine")->size() == 1);
  CHECK(store->FindByName("nobody")->empty());

  auto out = Scan(*store, kim.id, Direction::kOut, AdjQuery{});
  REQUIRE(out.size() == 1);
  CHECK(out[0].neighbor == summit.id);
  CHECK(out[0].status == FactStatus::kPlanned);
  auto in = Scan(*store, summit.id, Direction::kIn, AdjQuery{});
  REQUIRE(in.size() == 2);
  std::set<NodeId> ends = {in[0].neighbor, in[1].neighbor};
  CHECK(ends == std::set<NodeId>{kim.id, putin.id});

  auto edge = store->LoadEdge(out[0], Direction::kOut);
  REQUIRE(edge.ok());
  CHECK(edge->src == kim.id);
  CHECK(edge->dst == summit.id);
  CHECK(edge->owner == summit.id);
}

TEST_CASE("Store: writing the same batch again changes nothing", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Node kim = MakeActor("actor:kim", "Kim Jong Un");
  Node ev = MakeEvent("event:e", "043", 1000 * kDay);
  WriteBatch b;
  b.PutNode(kim);
  b.PutNode(ev);
  b.SetOwnedEdges(ev.id, {Role(kim, ev, EdgeType::kHost)});
  REQUIRE(store->Write(b).ok());
  uint64_t gen = store->generation();
  auto again = store->Write(b);
  REQUIRE(again.ok());
  CHECK_FALSE(again->changed());
  CHECK(again->nodes_unchanged == 2);
  CHECK(again->edges_unchanged == 1);
  CHECK(store->generation() == gen);
}

TEST_CASE("Store: an updated record replaces its stale index entries and edges", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Node a = MakeActor("actor:a", "Alpha", {"Old Alias"});
  Node b = MakeActor("actor:b", "Beta");
  Node ev = MakeEvent("event:e", "036", 10 * kDay, FactStatus::kPlanned);
  WriteBatch first;
  first.PutNode(a);
  first.PutNode(b);
  first.PutNode(ev);
  first.SetOwnedEdges(ev.id, {Role(a, ev, EdgeType::kInitiator), Role(b, ev, EdgeType::kTarget)});
  REQUIRE(store->Write(first).ok());

  // The corrected record: new alias, the event moved to another day and code, B dropped.
  std::get<Actor>(a.body).aliases = {"New Alias"};
  Node ev2 = MakeEvent("event:e", "043", 20 * kDay, FactStatus::kOccurred);
  WriteBatch second;
  second.PutNode(a);
  second.PutNode(ev2);
  second.SetOwnedEdges(ev2.id, {Role(a, ev2, EdgeType::kInitiator)});
  auto w = store->Write(second);
  REQUIRE(w.ok());
  CHECK(w->nodes_updated == 2);
  CHECK(w->edges_updated == 1);
  CHECK(w->edges_deleted == 1);

  CHECK(store->FindByName("old alias")->empty());
  CHECK(store->FindByName("new alias")->size() == 1);
  CHECK(Scan(*store, b.id, Direction::kOut, AdjQuery{}).empty());
  auto in = Scan(*store, ev.id, Direction::kIn, AdjQuery{});
  REQUIRE(in.size() == 1);
  CHECK(in[0].time == 20 * kDay);
  CHECK(in[0].status == FactStatus::kOccurred);

  std::vector<NodeId> by_old_code, by_new_code;
  REQUIRE(store
              ->ScanEventsByCode("036", kMinTime, kMaxTime,
                                 [&](NodeId id, std::string_view, Time) {
                                   by_old_code.push_back(id);
                                   return true;
                                 })
              .ok());
  REQUIRE(store
              ->ScanEventsByCode("04", kMinTime, kMaxTime,
                                 [&](NodeId id, std::string_view, Time) {
                                   by_new_code.push_back(id);
                                   return true;
                                 })
              .ok());
  CHECK(by_old_code.empty());
  CHECK(by_new_code == std::vector<NodeId>{ev.id});
  auto stats = store->ComputeStats();
  REQUIRE(stats.ok());
  CHECK(stats->edges() == 1);
  CHECK(stats->nodes() == 3);
}

TEST_CASE("Store: a typed time-window scan returns exactly the edges in the window", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Node a = MakeActor("actor:a", "A");
  std::vector<Node> events;
  std::vector<Edge> expected_all;
  WriteBatch b;
  b.PutNode(a);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<Time> when(-400 * kDay, 400 * kDay);  // before and after 1970
  const EdgeType types[] = {EdgeType::kInitiator, EdgeType::kTarget, EdgeType::kHost};
  for (int i = 0; i < 300; ++i) {
    Node ev = MakeEvent("event:" + std::to_string(i), "042", when(rng));
    EdgeType t = types[i % 3];
    Edge e = Role(a, ev, t);
    b.PutNode(ev);
    b.SetOwnedEdges(ev.id, {e});
    expected_all.push_back(e);
  }
  REQUIRE(store->Write(b).ok());

  for (auto [t1, t2] : {std::pair<Time, Time>{-100 * kDay, 50 * kDay},
                        {0, 0},
                        {kMinTime, kMaxTime},
                        {123 * kDay, 124 * kDay - 1}}) {
    for (EdgeType t : types) {
      std::multiset<EdgeId> want;
      for (const Edge& e : expected_all) {
        if (e.type == t && e.validity.start >= t1 && e.validity.start <= t2) want.insert(e.id);
      }
      auto got = Scan(*store, a.id, Direction::kOut, AdjQuery{t, t1, t2});
      std::multiset<EdgeId> got_ids;
      Time prev = kMinTime;
      for (const auto& e : got) {
        CHECK(e.type == t);
        CHECK(e.time >= prev);  // time-ordered within a type
        prev = e.time;
        got_ids.insert(e.edge);
      }
      CHECK(got_ids == want);
    }
  }
}

TEST_CASE("Store: the event index scans by code prefix and by time", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  WriteBatch b;
  struct E {
    std::string code;
    Time t;
  };
  std::vector<E> evs = {{"036", 5}, {"043", 1}, {"0431", 3}, {"04", 9}, {"190", 2}, {"043", 7}};
  for (size_t i = 0; i < evs.size(); ++i) {
    b.PutNode(MakeEvent("event:" + std::to_string(i), evs[i].code, evs[i].t * kDay));
  }
  REQUIRE(store->Write(b).ok());
  std::vector<std::string> codes;
  REQUIRE(store
              ->ScanEventsByCode("04", 2 * kDay, 8 * kDay,
                                 [&](NodeId, std::string_view c, Time) {
                                   codes.emplace_back(c);
                                   return true;
                                 })
              .ok());
  CHECK(codes == std::vector<std::string>{"043", "0431"});
  std::vector<Time> times;
  REQUIRE(store
              ->ScanEventsByTime(2 * kDay, 7 * kDay,
                                 [&](NodeId, Time t) {
                                   times.push_back(t / kDay);
                                   return true;
                                 })
              .ok());
  CHECK(times == std::vector<Time>{2, 3, 5, 7});
}

TEST_CASE("Store: the time scan merges the codes' runs in exact (time, id) order", "[storage]") {
  // Enough events per code that every code's run is read in several batches, times that
  // interleave across codes and repeat, undated events, and a reference computed by brute force.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  std::mt19937_64 rng(11);
  const std::vector<std::string> codes = {"", "010", "036", "043", "0431", "190", "20"};
  std::vector<std::pair<Time, NodeId>> all;
  WriteBatch b;
  for (int i = 0; i < 1500; ++i) {
    const std::string& code = codes[rng() % codes.size()];
    Time t = rng() % 23 == 0 ? kUnknownTime : static_cast<Time>(rng() % 400) * kDay - 100 * kDay;
    Node ev = MakeEvent("event:t" + std::to_string(i), code, t);
    all.emplace_back(t, ev.id);
    b.PutNode(ev);
  }
  REQUIRE(store->Write(b).ok());
  std::sort(all.begin(), all.end());
  const std::vector<std::pair<Time, Time>> windows = {
      {kMinTime, kUnknownTime}, {kMinTime, kMaxTime},       {0, 0},
      {-50 * kDay, 120 * kDay}, {299 * kDay, kUnknownTime}, {500 * kDay, 600 * kDay}};
  for (const auto& [t1, t2] : windows) {
    for (size_t limit : {size_t{1}, size_t{7}, size_t{100}, SIZE_MAX}) {
      INFO("window " << t1 << ".." << t2 << ", limit " << limit);
      std::vector<std::pair<Time, NodeId>> want;
      for (const auto& e : all) {
        if (e.first >= t1 && e.first <= t2 && want.size() < limit) want.push_back(e);
      }
      std::vector<std::pair<Time, NodeId>> got;
      REQUIRE(store
                  ->ScanEventsByTime(t1, t2,
                                     [&](NodeId id, Time t) {
                                       got.emplace_back(t, id);
                                       return got.size() < limit;
                                     })
                  .ok());
      CHECK(got == want);
    }
  }
}

TEST_CASE("Store: an event's participants are its in-adjacency; writes keep their out entries",
          "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Node a = MakeActor("actor:a", "A"), b = MakeActor("actor:b", "B"), c = MakeActor("actor:c", "C");
  Node ev = MakeEvent("event:e", "042", 1000);
  auto set_participants = [&](std::vector<Participant> p, Time t) {
    std::sort(p.begin(), p.end());
    auto& e = std::get<Event>(ev.body);
    e.participants = std::move(p);
    e.time.start = e.time.end = t;
  };
  set_participants({{EdgeType::kInitiator, a.id}, {EdgeType::kTarget, b.id}}, 1000);
  // A standalone edge into the event, stored in its `in` pages, between the implied ones.
  const Edge standalone = KeyedEdge(EdgeType::kInitiator, c.id, ev.id, "edge:c-e", 1000);
  WriteBatch batch;
  for (const Node& n : {a, b, c, ev}) batch.PutNode(n);
  batch.PutEdge(standalone);
  REQUIRE(store->Write(batch).ok());

  // What the event's side should read: the participants' entries and the stored one, in order.
  auto expected = [&](const std::vector<std::pair<EdgeType, NodeId>>& roles, Time t) {
    std::vector<std::tuple<int, Time, NodeId, EdgeId>> out;
    for (const auto& [role, actor] : roles) {
      out.emplace_back(static_cast<int>(role), t, actor,
                       MakeOwnedEdgeId(ev.id, role, actor, ev.id));
    }
    out.emplace_back(static_cast<int>(EdgeType::kInitiator), 1000, c.id, standalone.id);
    std::sort(out.begin(), out.end());
    return out;
  };
  auto in_of_event = [&](AdjQuery q) {
    std::vector<std::tuple<int, Time, NodeId, EdgeId>> out;
    for (const AdjEntry& e : Scan(*store, ev.id, Direction::kIn, q)) {
      out.emplace_back(static_cast<int>(e.type), e.time, e.neighbor, e.edge);
    }
    return out;
  };
  auto all_in = [&] {
    std::vector<std::tuple<int, Time, NodeId, EdgeId>> out;
    REQUIRE(store
                ->ScanAllAdjacency(Direction::kIn,
                                   [&](const AdjEntry& e) {
                                     CHECK(e.node == ev.id);
                                     out.emplace_back(static_cast<int>(e.type), e.time, e.neighbor,
                                                      e.edge);
                                     return true;
                                   })
                .ok());
    return out;
  };
  auto out_times = [&](const Node& actor) {
    std::vector<std::pair<int, Time>> out;
    for (const AdjEntry& e : Scan(*store, actor.id, Direction::kOut, AdjQuery{})) {
      if (e.neighbor == ev.id) out.emplace_back(static_cast<int>(e.type), e.time);
    }
    return out;
  };

  auto want = expected({{EdgeType::kInitiator, a.id}, {EdgeType::kTarget, b.id}}, 1000);
  CHECK(in_of_event(AdjQuery{}) == want);
  CHECK(all_in() == want);
  AdjQuery targets;
  targets.type = EdgeType::kTarget;
  CHECK(in_of_event(targets).size() == 1);
  AdjQuery later;
  later.t1 = 1001;
  CHECK(in_of_event(later).empty());
  CHECK(out_times(a) == std::vector<std::pair<int, Time>>{{0, 1000}});
  CHECK(out_times(b) == std::vector<std::pair<int, Time>>{{1, 1000}});
  // Stopping early stops.
  int seen = 0;
  REQUIRE(store
              ->ScanAdjacency(ev.id, Direction::kIn, AdjQuery{},
                              [&](const AdjEntry&) { return ++seen < 2; })
              .ok());
  CHECK(seen == 2);

  // New participants and a new time: B's role goes, A's moves, C gains a target role.
  set_participants({{EdgeType::kInitiator, a.id}, {EdgeType::kTarget, c.id}}, 5000);
  WriteBatch update;
  update.PutNode(ev);
  REQUIRE(store->Write(update).ok());
  CHECK(in_of_event(AdjQuery{}) ==
        expected({{EdgeType::kInitiator, a.id}, {EdgeType::kTarget, c.id}}, 5000));
  CHECK(out_times(a) == std::vector<std::pair<int, Time>>{{0, 5000}});
  CHECK(out_times(b).empty());
  CHECK(out_times(c) == (std::vector<std::pair<int, Time>>{{0, 1000}, {1, 5000}}));

  // None: only the standalone edge is left, on both sides.
  set_participants({}, 5000);
  WriteBatch none;
  none.PutNode(ev);
  REQUIRE(store->Write(none).ok());
  CHECK(in_of_event(AdjQuery{}) == expected({}, 5000));
  CHECK(out_times(a).empty());
  CHECK(out_times(c) == std::vector<std::pair<int, Time>>{{0, 1000}});

  // Participants out of order are refused, naming the event.
  set_participants({}, 5000);
  std::get<Event>(ev.body).participants = {{EdgeType::kTarget, a.id}, {EdgeType::kInitiator, a.id}};
  WriteBatch unsorted;
  unsorted.PutNode(ev);
  auto refused = store->Write(unsorted);
  REQUIRE(refused.status().IsInvalidArgument());
  CHECK(refused.status().message().find("event:e") != std::string::npos);

  // A participant that is not a stored actor is refused.
  set_participants({{EdgeType::kTarget, MakeNodeId(NodeKind::kActor, "actor:nobody")}}, 5000);
  WriteBatch bad;
  bad.PutNode(ev);
  CHECK(store->Write(bad).status().IsInvalidArgument());
}

TEST_CASE("Store: invalid batches are refused and write nothing", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Node a = MakeActor("actor:a", "A");
  Node ev = MakeEvent("event:e", "036", 0);

  SECTION("an edge to a node that does not exist") {
    WriteBatch b;
    b.PutNode(ev);
    b.SetOwnedEdges(ev.id, {Role(a, ev, EdgeType::kHost)});
    auto w = store->Write(b);
    REQUIRE_FALSE(w.ok());
    CHECK_THAT(w.status().message(), Catch::Contains("does not exist"));
  }
  SECTION("an edge whose endpoints have the wrong kinds") {
    WriteBatch b;
    b.PutNode(a);
    b.PutNode(ev);
    Edge e = Role(a, ev, EdgeType::kHost);
    e.type = EdgeType::kLeaderOf;  // actor -> actor
    e.id = MakeOwnedEdgeId(ev.id, e.type, a.id, ev.id);
    b.SetOwnedEdges(ev.id, {e});
    auto w = store->Write(b);
    REQUIRE_FALSE(w.ok());
    CHECK_THAT(w.status().message(), Catch::Contains("joins a actor to a event"));
  }
  SECTION("a node whose id does not match its key") {
    WriteBatch b;
    Node bad = a;
    bad.id = MakeNodeId(NodeKind::kActor, "actor:other");
    b.PutNode(bad);
    REQUIRE_FALSE(store->Write(b).ok());
  }
  auto stats = store->ComputeStats();
  REQUIRE(stats.ok());
  CHECK(stats->nodes() == 0);
  CHECK(store->generation() == 0);
}

TEST_CASE("Store: corrupt stored bytes are reported as Corruption, not a crash", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Node a = MakeActor("actor:a", "A");
  WriteBatch b;
  b.PutNode(a);
  REQUIRE(store->Write(b).ok());
  auto* db = store->raw_db();
  std::mt19937 rng(1);
  for (std::string garbage : {std::string(), std::string("x"), std::string(8, '\xff'),
                              std::string(64, '\0'), std::string("\x01\x02\x03\x04\x05\x06\x07")}) {
    REQUIRE(db->Put(rocksdb::WriteOptions(), store->cf(Cf::kNodes), codec::NodeKey(a.id), garbage)
                .ok());
    auto r = store->GetNode(a.id);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().IsCorruption());
  }
  // A malformed adjacency page key.
  REQUIRE(db->Put(rocksdb::WriteOptions(), store->cf(Cf::kOut), codec::NodeKey(a.id) + "zz", "abc")
              .ok());
  auto scan =
      store->ScanAdjacency(a.id, Direction::kOut, AdjQuery{}, [](const AdjEntry&) { return true; });
  CHECK(scan.IsCorruption());
  REQUIRE(
      db->Delete(rocksdb::WriteOptions(), store->cf(Cf::kOut), codec::NodeKey(a.id) + "zz").ok());
}

TEST_CASE("Store: a malformed adjacency page is Corruption, naming the page", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Node a = MakeActor("actor:a", "A"), b = MakeActor("actor:b", "B");
  WriteBatch batch;
  batch.PutNode(a);
  batch.PutNode(b);
  for (Time t : {Time{100}, Time{200}}) {
    batch.PutEdge(KeyedEdge(EdgeType::kRelatedTo, a.id, b.id, "edge:" + std::to_string(t), t));
  }
  REQUIRE(store->Write(batch).ok());
  const std::string page = codec::AdjPageKey(a.id, EdgeType::kRelatedTo, 0);
  std::string good;
  auto* db = store->raw_db();
  REQUIRE(db->Get(rocksdb::ReadOptions(), store->cf(Cf::kOut), page, &good).ok());
  REQUIRE(good.size() == 2 * codec::kAdjRecordSize);
  auto scan_all = [&] {
    return store->ScanAdjacency(a.id, Direction::kOut, AdjQuery{},
                                [](const AdjEntry&) { return true; });
  };
  REQUIRE(scan_all().ok());
  std::vector<std::string> bad = {
      "",                               // empty page
      good.substr(0, good.size() - 1),  // a record cut short
      good + "x",                       // trailing byte
      good.substr(codec::kAdjRecordSize) + good.substr(0, codec::kAdjRecordSize),     // order
      good.substr(0, codec::kAdjRecordSize) + good.substr(0, codec::kAdjRecordSize),  // twice
  };
  std::string sec = good;
  sec[0] = '\x7f';  // second of the day out of range
  bad.push_back(sec);
  std::string status = good;
  status[codec::kAdjRecordKeySize] = '\x7f';  // an unknown status
  bad.push_back(status);
  std::string neighbour = good;
  std::memset(neighbour.data() + 4, 0, 8);  // neighbour id 0
  bad.push_back(neighbour);
  for (const std::string& value : bad) {
    INFO("value of " << value.size() << " bytes");
    REQUIRE(db->Put(rocksdb::WriteOptions(), store->cf(Cf::kOut), page, value).ok());
    Status s = scan_all();
    CHECK(s.IsCorruption());
    CHECK(s.message().find("adjacency page") != std::string::npos);
    // A write touching the page reports it too, and writes nothing.
    WriteBatch more;
    more.PutEdge(KeyedEdge(EdgeType::kRelatedTo, a.id, b.id, "edge:300", 300));
    auto w = store->Write(more);
    CHECK_FALSE(w.ok());
  }
}

namespace {

// One event index entry as a model holds it: (code, time, id) is the order of the scans.
using EventEntry = std::tuple<std::string, Time, NodeId>;

// Every page of the event index family, decoded: the entries in stored order. Fails the test on
// an empty or malformed page.
std::vector<EventEntry> DumpEventIndex(const Store& store) {
  std::vector<EventEntry> out;
  std::unique_ptr<rocksdb::Iterator> it(
      store.raw_db()->NewIterator(rocksdb::ReadOptions(), store.cf(Cf::kEventIndex)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view code;
    int64_t day = 0;
    const std::string key = it->key().ToString(), value = it->value().ToString();
    REQUIRE(codec::DecodeEventPageKey(key, &code, &day));
    REQUIRE(!value.empty());
    REQUIRE(value.size() % codec::kEventRecordSize == 0);
    for (size_t i = 0; i < value.size(); i += codec::kEventRecordSize) {
      Time t = 0;
      REQUIRE(codec::PageTime(day, codec::GetBE32(value.data() + i), &t));
      out.emplace_back(std::string(code), t, codec::GetBE64(value.data() + i + 4));
    }
  }
  return out;
}

// ScanEventsByCode and ScanEventsByTime against a brute-force filter of `model` (sorted), for
// prefixes and windows whose bounds fall inside days, on day edges and at the extremes.
void CheckEventScans(const Store& store, const std::vector<EventEntry>& model,
                     std::mt19937_64& rng) {
  const Time day = 86400;
  std::vector<std::pair<Time, Time>> windows = {
      {kMinTime, kUnknownTime}, {kMinTime, kMaxTime},   {0, 0},
      {-day, day - 1},          {3 * day + 1, 3 * day}, {kUnknownTime, kUnknownTime}};
  for (int i = 0; i < 12; ++i) {
    const Time a = static_cast<Time>(rng() % 14) * day - 4 * day + static_cast<Time>(rng() % day);
    const Time b = a + static_cast<Time>(rng() % (5 * day));
    windows.emplace_back(a, b);
  }
  for (const auto& [t1, t2] : windows) {
    for (const char* prefix : {"", "0", "04", "043", "0431", "19", "7"}) {
      INFO("prefix '" << prefix << "' window " << t1 << ".." << t2);
      std::vector<EventEntry> want, got;
      for (const auto& e : model) {
        const auto& [code, t, id] = e;
        if (code.rfind(prefix, 0) == 0 && t >= t1 && t <= t2) want.push_back(e);
      }
      REQUIRE(store
                  .ScanEventsByCode(prefix, t1, t2,
                                    [&](NodeId id, std::string_view code, Time t) {
                                      got.emplace_back(std::string(code), t, id);
                                      return true;
                                    })
                  .ok());
      CHECK(got == want);
    }
    std::vector<std::pair<Time, NodeId>> want, got;
    for (const auto& [code, t, id] : model) {
      if (t >= t1 && t <= t2) want.emplace_back(t, id);
    }
    std::sort(want.begin(), want.end());
    REQUIRE(store
                .ScanEventsByTime(t1, t2,
                                  [&](NodeId id, Time t) {
                                    got.emplace_back(t, id);
                                    return true;
                                  })
                .ok());
    INFO("time scan, window " << t1 << ".." << t2);
    CHECK(got == want);
  }
}

}  // namespace

TEST_CASE("Store: Write keeps the event index pages exact as events are added and moved",
          "[storage]") {
  // Rounds of batches that add events and rewrite earlier ones with another time (same day,
  // another day, undated) or code, on few codes and days so that pages hold several events and
  // empty out. After each round the pages hold exactly the model's entries, in order, no page
  // empty, and both scans agree with a brute-force filter of the model.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  std::mt19937_64 rng(17);
  const std::vector<std::string> codes = {"", "04", "043", "0431", "190"};
  auto random_time = [&]() -> Time {
    if (rng() % 15 == 0) return kUnknownTime;
    const Time day = static_cast<Time>(rng() % 8) - 3;
    switch (rng() % 4) {
      case 0:
        return day * kDay;  // the day's first second
      case 1:
        return day * kDay + kDay - 1;  // its last
      default:
        return day * kDay + static_cast<Time>(rng() % kDay);
    }
  };
  std::map<std::string, std::pair<std::string, Time>> events;  // key -> (code, time)
  for (int round = 0; round < 6; ++round) {
    INFO("round " << round);
    WriteBatch b;
    if (round == 4) {
      // A whole page emptied: every event of code 043 on day 0 moves to day 1.
      int moved = 0;
      for (auto& [key, ce] : events) {
        if (ce.first != "043" || codec::PageDay(ce.second) != 0) continue;
        ce.second += kDay;
        b.PutNode(MakeEvent(key, ce.first, ce.second));
        ++moved;
      }
      REQUIRE(moved > 1);
    } else {
      std::set<std::string> in_batch;
      for (int i = 0; i < 60; ++i) {
        std::string key = "event:" + std::to_string(events.size());
        if (!events.empty() && rng() % 2 == 0) {
          auto it = events.begin();
          std::advance(it, static_cast<long>(rng() % events.size()));
          key = it->first;
        }
        if (!in_batch.insert(key).second) continue;
        auto [it, fresh] = events.try_emplace(key);
        auto& [code, time] = it->second;
        if (fresh || rng() % 2 == 0) {
          // New, or moved in time: within its day or anywhere.
          time = !fresh && time != kUnknownTime && rng() % 3 == 0 ? time + 1 : random_time();
        }
        if (fresh || rng() % 2 == 0) code = codes[rng() % codes.size()];
        b.PutNode(MakeEvent(key, code, time));
      }
    }
    REQUIRE(store->Write(b).ok());
    std::vector<EventEntry> model;
    for (const auto& [key, ce] : events) {
      model.emplace_back(ce.first, ce.second, MakeNodeId(NodeKind::kEvent, key));
    }
    std::sort(model.begin(), model.end());
    CHECK(DumpEventIndex(*store) == model);
    CheckEventScans(*store, model, rng);
    if (round == 4) {
      // The emptied page is gone, not stored empty.
      std::string value;
      CHECK(store->raw_db()
                ->Get(rocksdb::ReadOptions(), store->cf(Cf::kEventIndex),
                      codec::EventPageKey("043", 0), &value)
                .IsNotFound());
    }
  }
}

TEST_CASE("Store: a malformed event index page is Corruption, naming the page", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  WriteBatch batch;
  for (Time t : {Time{100}, Time{200}}) {
    batch.PutNode(MakeEvent("event:" + std::to_string(t), "043", t));
  }
  REQUIRE(store->Write(batch).ok());
  const std::string page = codec::EventPageKey("043", 0);
  std::string good;
  auto* db = store->raw_db();
  REQUIRE(db->Get(rocksdb::ReadOptions(), store->cf(Cf::kEventIndex), page, &good).ok());
  REQUIRE(good.size() == 2 * codec::kEventRecordSize);
  auto by_code = [&] {
    return store->ScanEventsByCode("04", kMinTime, kUnknownTime,
                                   [](NodeId, std::string_view, Time) { return true; });
  };
  auto by_time = [&] {
    return store->ScanEventsByTime(kMinTime, kUnknownTime, [](NodeId, Time) { return true; });
  };
  REQUIRE(by_code().ok());
  REQUIRE(by_time().ok());
  const size_t r = codec::kEventRecordSize;
  std::vector<std::pair<std::string, std::string>> bad = {
      {"empty page", ""},
      {"a record cut short", good.substr(0, good.size() - 1)},
      {"a trailing byte", good + "x"},
      {"records out of order", good.substr(r) + good.substr(0, r)},
      {"a record twice", good.substr(0, r) + good.substr(0, r)},
  };
  std::string sec = good;
  sec[0] = '\x7f';  // second of the day out of range
  bad.emplace_back("second out of range", sec);
  std::string last_sec = good;
  codec::PutBE32(&last_sec, 86400);  // 86400 itself, as a third record
  last_sec.append(good.substr(4, 8));
  bad.emplace_back("second 86400", last_sec);
  std::string actor = good;
  const std::string actor_id = codec::NodeKey(MakeNodeId(NodeKind::kActor, "actor:a"));
  actor.replace(r + 4, 8, actor_id);  // an actor's id, not an event's
  bad.emplace_back("an actor's id", actor);
  std::string zero = good;
  std::memset(zero.data() + 4, 0, 8);  // id 0
  bad.emplace_back("id 0", zero);
  for (const auto& [what, value] : bad) {
    INFO(what);
    REQUIRE(db->Put(rocksdb::WriteOptions(), store->cf(Cf::kEventIndex), page, value).ok());
    for (const Status& s : {by_code(), by_time()}) {
      CHECK(s.IsCorruption());
      CHECK_THAT(s.message(), Catch::Contains("event index page of code '043', day 0"));
    }
    // A write touching the page reports it too, and writes nothing.
    WriteBatch more;
    more.PutNode(MakeEvent("event:300", "043", 300));
    const uint64_t generation = store->generation();
    auto w = store->Write(more);
    CHECK(w.status().IsCorruption());
    CHECK(store->generation() == generation);
  }
  REQUIRE(db->Put(rocksdb::WriteOptions(), store->cf(Cf::kEventIndex), page, good).ok());
  // Malformed page keys: a format-3 entry key, a code that is not digits, a short key.
  for (const std::string& key :
       {codec::EventByCodeKey("043", 100, MakeNodeId(NodeKind::kEvent, "event:100")),
        std::string("c04x\0") + page.substr(5), page.substr(0, 12)}) {
    INFO("key of " << key.size() << " bytes");
    REQUIRE(db->Put(rocksdb::WriteOptions(), store->cf(Cf::kEventIndex), key, good).ok());
    for (const Status& s : {by_code(), by_time()}) {
      CHECK(s.IsCorruption());
      CHECK_THAT(s.message(), Catch::Contains("event index page key"));
    }
    REQUIRE(db->Delete(rocksdb::WriteOptions(), store->cf(Cf::kEventIndex), key).ok());
  }
  REQUIRE(by_code().ok());
}

}  // namespace geokg::storage
