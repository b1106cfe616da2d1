// Compact facts (codec/fact_codec.h) in a store: written by BulkWriter for a template with a
// FactTable, read back by every reader, compared by meaning on a later import, replaced by later
// writes with their entries, and refused as Corruption when they or their table are damaged.
#include <rocksdb/db.h>

#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>

#include "codec/fact_codec.h"
#include "codec/key_codec.h"
#include "storage/bulk_writer.h"
#include "tests/test_util.h"

namespace geokg::storage {
namespace {

class TableFacts final : public FactTemplate {
 public:
  explicit TableFacts(FactTable t) : facts(std::move(t)) {}
  void Expand(const FactRecord& r, Node* node) const override { facts.Expand(QuadOf(r), node); }
  const FactTable* table() const override { return &facts; }
  FactTable facts;
};

Node Actor(int i) {
  Node n;
  n.key = "actor:a" + std::to_string(i);
  n.id = MakeNodeId(NodeKind::kActor, n.key);
  geokg::Actor a;
  a.name = "Actor " + std::to_string(i);
  n.body = a;
  return n;
}

// Facts of five entities (entity 2 named by no fact) and three relations (relation 1 uncoded).
FactTable MakeTable() {
  FactTable t;
  t.key_prefix = "event:tkg:T:";
  t.dataset = "tkg:T";
  t.epoch = 1'514'764'800;  // 2018-01-01
  t.unit_seconds = 3600;
  t.precision = TimePrecision::kDay;
  t.span = 86400;
  t.files = {"train.txt", "test.txt"};
  t.relations = {"Make statement", "Unknown", "Host a visit"};
  t.codes = {"010", "", "043"};
  for (int e = 0; e < 5; ++e) t.actor_of.push_back(e == 2 ? kNoNode : Actor(e).id);
  return t;
}

QuadFact Fact(uint32_t i) {
  const uint32_t entities[4] = {0, 1, 3, 4};
  return {entities[i % 4],
          i % 3 == 1 ? 0u : i % 3,
          entities[(i + 1) % 4],
          100 + i,
          i % 2,
          static_cast<int64_t>(24 * (i % 7) + i % 5)};
}

constexpr uint32_t kFacts = 40;

Node Expanded(const FactTable& t, const QuadFact& f) {
  Node n;
  t.Expand(f, &n);
  n.id = MakeNodeId(NodeKind::kEvent, n.key);
  return n;
}

// The record of quadruple `f` (QuadOf's inverse) for node `id` and template `tmpl`.
FactRecord RecordOf(const QuadFact& f, NodeId id, uint32_t tmpl) {
  FactRecord r;
  r.id = id;
  r.tmpl = tmpl;
  r.field[0] = f.subject;
  r.field[1] = f.relation;
  r.field[2] = f.object;
  r.field[3] = f.line;
  r.field[4] = f.file;
  r.wide = f.time;
  return r;
}

// Imports facts [0, kFacts) through a template of `table`; returns the writer's stats.
BulkStats ImportFacts(Store* store, const FactTable& table) {
  auto writer = BulkWriter::Create(store);
  REQUIRE(writer.ok());
  auto tmpl = std::make_shared<TableFacts>(table);
  const uint32_t number = (*writer)->AddFactTemplate(tmpl);
  for (uint32_t i = 0; i < kFacts; ++i) {
    Node node = Expanded(table, Fact(i));
    REQUIRE((*writer)->PutFact(RecordOf(Fact(i), node.id, number), node).ok());
  }
  REQUIRE((*writer)->Finish().ok());
  return (*writer)->stats();
}

struct Stored {
  test::TempDir dir;
  std::string path = dir.path() + "/db";
  std::unique_ptr<Store> store = test::OpenNewStore(path);
  FactTable table = MakeTable();
  Stored() {
    WriteBatch batch;
    for (int e = 0; e < 5; ++e) batch.PutNode(Actor(e));
    REQUIRE(store->Write(batch).ok());
    ImportFacts(store.get(), table);
  }
  std::string Raw(Cf cf, const std::string& key) const {
    std::string v;
    REQUIRE(store->raw_db()->Get(rocksdb::ReadOptions(), store->cf(cf), key, &v).ok());
    return v;
  }
  void RawPut(Cf cf, const std::string& key, const std::string& value) {
    REQUIRE(store->raw_db()->Put(rocksdb::WriteOptions(), store->cf(cf), key, value).ok());
  }
  void RawDelete(Cf cf, const std::string& key) {
    REQUIRE(store->raw_db()->Delete(rocksdb::WriteOptions(), store->cf(cf), key).ok());
  }
  void Reopen() {  // a fresh Store, with no cached tables
    store.reset();
    auto s = Store::Open(path, {});
    REQUIRE(s.ok());
    store = std::move(*s);
  }
  uint64_t TableId() const { return codec::FactTableId(codec::EncodeFactTable(table)); }
  std::set<NodeId> EventsUnder(std::string_view code) const {
    std::set<NodeId> ids;
    REQUIRE(store
                ->ScanEventsByCode(code, kMinTime, kMaxTime,
                                   [&](NodeId id, std::string_view, Time) {
                                     ids.insert(id);
                                     return true;
                                   })
                .ok());
    return ids;
  }
  // The events in `actor`'s out entries.
  std::set<NodeId> OutEvents(NodeId actor) const {
    std::set<NodeId> ids;
    REQUIRE(store
                ->ScanAdjacency(actor, Direction::kOut, {},
                                [&](const AdjEntry& e) {
                                  ids.insert(e.neighbor);
                                  return true;
                                })
                .ok());
    return ids;
  }
};

TEST_CASE("Compact facts: the writer stores facts compactly and every reader reads them",
          "[storage]") {
  Stored s;
  const uint64_t id = s.TableId();
  CHECK(s.Raw(Cf::kMeta, codec::FactTableKey(id)) == codec::EncodeFactTable(s.table));
  std::vector<Node> events;
  for (uint32_t i = 0; i < kFacts; ++i) {
    const Node want = Expanded(s.table, Fact(i));
    events.push_back(want);
    const std::string raw = s.Raw(Cf::kNodes, codec::NodeKey(want.id));
    CHECK(codec::IsCompactFact(raw));
    CHECK(raw.size() < 20);
    auto got = s.store->GetNode(want.id);
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
    CHECK(**got == want);
    auto found = s.store->LookupKey(want.key);
    REQUIRE(found.ok());
    CHECK(*found == want.id);
    // The event's side of its roles, from its value.
    std::vector<AdjEntry> in;
    REQUIRE(s.store
                ->ScanAdjacency(want.id, Direction::kIn, {},
                                [&](const AdjEntry& e) {
                                  in.push_back(e);
                                  return true;
                                })
                .ok());
    const auto& ev = std::get<Event>(want.body);
    REQUIRE(in.size() == 2);
    CHECK(in[0].type == EdgeType::kInitiator);
    CHECK(in[0].neighbor == ev.participants[0].actor);
    CHECK(in[1].neighbor == ev.participants[1].actor);
    CHECK(in[0].time == ev.time.start);
  }
  std::sort(events.begin(), events.end(), [](const Node& a, const Node& b) { return a.id < b.id; });
  s.Reopen();
  std::vector<Node> scanned;
  REQUIRE(s.store
              ->ScanNodes(NodeKind::kEvent,
                          [&](const Node& n) {
                            scanned.push_back(n);
                            return true;
                          })
              .ok());
  CHECK(scanned == events);
  CHECK(s.EventsUnder("010").size() + s.EventsUnder("043").size() == kFacts);
  uint64_t in_all = 0;
  REQUIRE(s.store
              ->ScanAllAdjacency(Direction::kIn,
                                 [&](const AdjEntry&) {
                                   ++in_all;
                                   return true;
                                 })
              .ok());
  CHECK(in_all == 2 * kFacts);
}

TEST_CASE("Compact facts: importing the facts again writes nothing, whatever their table",
          "[storage]") {
  Stored s;
  const uint64_t generation = s.store->generation();
  FactTable other = s.table;
  SECTION("the same table") {}
  SECTION("another table of the same facts (a split imported alone)") {
    other.relations.push_back("Unused");
    other.codes.push_back("");
    other.actor_of.push_back(Actor(9).id);
  }
  SECTION("the same facts as encoded nodes") {
    auto writer = BulkWriter::Create(s.store.get());
    REQUIRE(writer.ok());
    for (uint32_t i = 0; i < kFacts; ++i) {
      REQUIRE((*writer)->PutNode(Expanded(s.table, Fact(i))).ok());
    }
    REQUIRE((*writer)->Finish().ok());
    CHECK((*writer)->stats().events_unchanged == kFacts);
    CHECK((*writer)->stats().files == 0);
    CHECK(s.store->generation() == generation);
    return;
  }
  const BulkStats stats = ImportFacts(s.store.get(), other);
  CHECK(stats.events_unchanged == kFacts);
  CHECK(stats.events_added == 0);
  CHECK(stats.events_updated == 0);
  // Nothing written, not even the other table (no value names it).
  CHECK(stats.files == 0);
  CHECK(s.store->generation() == generation);
  std::string none;
  CHECK(s.store->raw_db()
            ->Get(rocksdb::ReadOptions(), s.store->cf(Cf::kMeta),
                  codec::FactTableKey(codec::FactTableId(codec::EncodeFactTable(other))), &none)
            .IsNotFound() == !(other == s.table));
  for (uint32_t i = 0; i < kFacts; ++i) {  // still the first table's values
    const Node n = Expanded(s.table, Fact(i));
    const std::string raw = s.Raw(Cf::kNodes, codec::NodeKey(n.id));
    REQUIRE(codec::IsCompactFact(raw));
    CHECK(codec::GetBE64(raw.data() + 1) == s.TableId());
  }
}

TEST_CASE("Compact facts: a later write of the event replaces it and its entries", "[storage]") {
  Stored s;
  // Fact 0: "010", actor 0 -> actor 1. The correction: "043" five days later, actor 3 -> actor 1.
  const Node old = Expanded(s.table, Fact(0));
  REQUIRE(std::get<Event>(old.body).cameo_code == "010");
  Node fixed = old;
  auto& ev = std::get<Event>(fixed.body);
  ev.cameo_code = "043";
  ev.time.start += 5 * 86400;
  ev.time.end += 5 * 86400;
  ev.participants[0].actor = Actor(3).id;
  ev.summary = "corrected";
  REQUIRE(s.OutEvents(Actor(0).id).count(old.id) == 1);
  REQUIRE(s.EventsUnder("010").count(old.id) == 1);

  SECTION("Store::Write") {
    WriteBatch batch;
    batch.PutNode(fixed);
    auto summary = s.store->Write(batch);
    REQUIRE(summary.ok());
    CHECK(summary->nodes_updated == 1);
  }
  SECTION("BulkWriter::PutNode") {
    auto writer = BulkWriter::Create(s.store.get());
    REQUIRE(writer.ok());
    REQUIRE((*writer)->PutNode(fixed).ok());
    REQUIRE((*writer)->Finish().ok());
    CHECK((*writer)->stats().events_updated == 1);
  }
  auto got = s.store->GetNode(old.id);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK(**got == fixed);
  CHECK(!codec::IsCompactFact(s.Raw(Cf::kNodes, codec::NodeKey(old.id))));
  CHECK(s.EventsUnder("010").count(old.id) == 0);
  CHECK(s.EventsUnder("043").count(old.id) == 1);
  CHECK(s.OutEvents(Actor(0).id).count(old.id) == 0);
  CHECK(s.OutEvents(Actor(3).id).count(old.id) == 1);
  CHECK(s.OutEvents(Actor(1).id).count(old.id) == 1);  // still the target
}

TEST_CASE("Compact facts: damaged values and tables are Corruption, never a crash", "[storage]") {
  Stored s;
  const Node event = Expanded(s.table, Fact(0));
  const std::string key = codec::NodeKey(event.id);
  const std::string good = s.Raw(Cf::kNodes, key);
  const uint64_t table = s.TableId();
  // The event's `in` side reads only its roles, without hashing the key (as for an encoded node).
  auto corrupt = [&](const std::string& why, bool roles_too = true) {
    INFO(why);
    auto got = s.store->GetNode(event.id);
    CHECK(got.status().IsCorruption());
    CHECK(s.store->ScanNodes(NodeKind::kEvent, [](const Node&) { return true; }).IsCorruption());
    CHECK(s.store->ScanAdjacency(event.id, Direction::kIn, {}, [](const AdjEntry&) { return true; })
              .IsCorruption() == roles_too);
    CHECK(s.store->LookupKey(event.key).status().IsCorruption());
  };
  auto value = [&](QuadFact f, uint64_t t = 0) {
    std::string v;
    codec::EncodeCompactFactTo(t == 0 ? table : t, f, &v);
    return v;
  };
  SECTION("truncated") {
    for (size_t n = 1; n < good.size(); ++n) {
      s.RawPut(Cf::kNodes, key, good.substr(0, n));
      corrupt("truncated to " + std::to_string(n));
    }
  }
  SECTION("trailing bytes") {
    s.RawPut(Cf::kNodes, key, good + std::string(1, '\0'));
    corrupt("trailing");
  }
  SECTION("another tag") {
    for (char tag : {'\x0E', '\x1F', '\xFF', '\x00'}) {
      s.RawPut(Cf::kNodes, key, std::string(1, tag) + good.substr(1));
      corrupt("tag " + std::to_string(static_cast<unsigned char>(tag)));
    }
  }
  SECTION("an unknown table") {
    s.RawPut(Cf::kNodes, key, value(Fact(0), table ^ 1));
    corrupt("unknown table");
  }
  SECTION("fields out of the table's range") {
    const FactTable& t = s.table;
    for (auto change : std::vector<std::function<void(QuadFact*)>>{
             [&](QuadFact* f) { f->relation = static_cast<uint32_t>(t.relations.size()); },
             [](QuadFact* f) { f->relation = 1; },  // no CAMEO code
             [&](QuadFact* f) { f->subject = static_cast<uint32_t>(t.actor_of.size()); },
             [](QuadFact* f) { f->object = 2; },  // an entity without an actor
             [&](QuadFact* f) { f->file = static_cast<uint32_t>(t.files.size()); },
             [&](QuadFact* f) { f->time = t.MaxTime() + 1; },
             [](QuadFact* f) { f->subject = UINT32_MAX; }}) {
      QuadFact f = Fact(0);
      change(&f);
      s.RawPut(Cf::kNodes, key, value(f));
      corrupt("out of range");
    }
  }
  SECTION("a fact whose key does not hash to the id") {
    s.RawPut(Cf::kNodes, key, value(Fact(1)));
    corrupt("another fact's value", /*roles_too=*/false);
  }
  SECTION("the table missing") {
    s.RawDelete(Cf::kMeta, codec::FactTableKey(table));
    s.Reopen();
    corrupt("no table");
  }
  SECTION("the table damaged") {
    std::string bytes = s.Raw(Cf::kMeta, codec::FactTableKey(table));
    for (size_t i : {size_t{0}, bytes.size() / 2, bytes.size() - 1}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ 0x40);
      s.RawPut(Cf::kMeta, codec::FactTableKey(table), bad);
      s.Reopen();
      corrupt("damaged table at " + std::to_string(i));
    }
    s.RawPut(Cf::kMeta, codec::FactTableKey(table), bytes.substr(0, bytes.size() - 8));
    s.Reopen();
    corrupt("truncated table");
  }
  SECTION("a damaged stored value stops a bulk write over it") {
    s.RawPut(Cf::kNodes, key, value(Fact(0), table ^ 1));
    FactTable other = s.table;
    other.files.push_back("valid.txt");
    auto writer = BulkWriter::Create(s.store.get());
    REQUIRE(writer.ok());
    const uint32_t number = (*writer)->AddFactTemplate(std::make_shared<TableFacts>(other));
    // Another fact, new to the store, whose value names the new table.
    const QuadFact other_fact{0, 0, 1, 7, 2, 1000};
    Node fresh = Expanded(other, other_fact);
    REQUIRE((*writer)->PutFact(RecordOf(other_fact, fresh.id, number), fresh).ok());
    REQUIRE((*writer)->PutFact(RecordOf(Fact(0), event.id, number), event).ok());
    CHECK((*writer)->Finish().IsCorruption());
    // Nothing of the import is stored, its table neither.
    auto absent = s.store->GetNode(fresh.id);
    REQUIRE(absent.ok());
    CHECK(!absent->has_value());
    std::string none;
    CHECK(s.store->raw_db()
              ->Get(rocksdb::ReadOptions(), s.store->cf(Cf::kMeta),
                    codec::FactTableKey(codec::FactTableId(codec::EncodeFactTable(other))), &none)
              .IsNotFound());
  }
}

}  // namespace
}  // namespace geokg::storage
