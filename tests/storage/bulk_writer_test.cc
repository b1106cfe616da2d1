#include "storage/bulk_writer.h"

#include <rocksdb/db.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "codec/key_codec.h"
#include "storage/index_entries.h"
#include "tests/test_util.h"

namespace geokg::storage {
namespace {

using Dump = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;

Dump DumpAll(const Store& store) {
  Dump d;
  for (int i = 0; i < kCfCount; ++i) {
    if (static_cast<Cf>(i) == Cf::kMeta) continue;
    std::unique_ptr<rocksdb::Iterator> it(
        store.raw_db()->NewIterator(rocksdb::ReadOptions(), store.cf(static_cast<Cf>(i))));
    auto& out = d[std::string(CfName(static_cast<Cf>(i)))];
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
  }
  return d;
}

Node MakeActor(const std::string& key, const std::string& name,
               std::vector<std::string> aliases = {}) {
  Node n;
  n.key = key;
  n.id = MakeNodeId(NodeKind::kActor, key);
  Actor a;
  a.name = name;
  a.aliases = std::move(aliases);
  n.body = a;
  return n;
}

Node MakeEvent(const std::string& key, const std::string& code, Time t) {
  Node n;
  n.key = key;
  n.id = MakeNodeId(NodeKind::kEvent, key);
  Event e;
  e.cameo_code = code;
  e.time = {t, t + 86399, TimePrecision::kDay, false};
  e.status = FactStatus::kReported;
  n.body = e;
  n.provenance.push_back({kNoNode, "icews", "x.tab", 2, "17", "99", 1, "", "AFP"});
  return n;
}

Edge Role(const Node& event, EdgeType type, NodeId actor) {
  Edge e;
  e.type = type;
  e.src = actor;
  e.dst = event.id;
  e.owner = event.id;
  e.id = MakeOwnedEdgeId(event.id, type, actor, event.id);
  e.validity = std::get<Event>(event.body).time;
  e.status = FactStatus::kReported;
  e.confidence = 0.8f;
  return e;
}

}  // namespace

TEST_CASE("BulkWriter: ingested data is byte-identical to what Store::Write writes", "[storage]") {
  test::TempDir dir;
  auto a = test::OpenNewStore(dir.path() + "/a");
  auto b = test::OpenNewStore(dir.path() + "/b");
  Node kim = MakeActor("actor:kim", "Kim Jong-Un", {"Kim Jong Un", "KJU"});
  Node putin = MakeActor("actor:putin", "Vladimir Putin");
  Node meet = MakeEvent("event:1", "043", 1'500'000'000);
  std::vector<Edge> roles = {Role(meet, EdgeType::kHost, putin.id),
                             Role(meet, EdgeType::kVisitor, kim.id)};

  WriteBatch batch;
  for (const Node* n : {&kim, &putin, &meet}) batch.PutNode(*n);
  batch.SetOwnedEdges(meet.id, roles);
  REQUIRE(a->Write(batch).ok());

  auto writer = BulkWriter::Create(b.get());
  REQUIRE(writer.ok());
  for (const Node* n : {&meet, &putin, &kim}) REQUIRE((*writer)->PutNode(*n).ok());
  for (const Edge& e : roles) REQUIRE((*writer)->PutEdge(e, /*with_payload=*/true).ok());
  uint64_t generation = b->generation();
  REQUIRE((*writer)->Finish().ok());
  CHECK(b->generation() == generation + 1);
  CHECK(DumpAll(*b) == DumpAll(*a));
  auto found = b->FindByName("kjU");
  REQUIRE(found.ok());
  CHECK(*found == std::vector<NodeId>{kim.id});
}

TEST_CASE("BulkWriter: memory stays within the budget and later entries win", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  BulkOptions options;
  options.memory_budget = 256 << 10;
  auto writer = BulkWriter::Create(store.get(), options);
  REQUIRE(writer.ok());
  const int n = 60'000;
  size_t peak = 0;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < n; ++i) {
      // Scattered key order; the second round overwrites every even key.
      int k = static_cast<int>((static_cast<uint64_t>(i) * 7919) % n);
      if (round == 1 && k % 2 == 1) continue;
      std::string key = "key" + std::to_string(k);
      REQUIRE((*writer)->Put(Cf::kNames, key, "r" + std::to_string(round)).ok());
      peak = std::max(peak, (*writer)->buffered_bytes());
    }
  }
  REQUIRE((*writer)->Delete(Cf::kNames, "key0").ok());
  CHECK(peak <= options.memory_budget + 64);
  CHECK((*writer)->stats().spills > 2);
  REQUIRE((*writer)->Finish().ok());
  std::unique_ptr<rocksdb::Iterator> it(
      store->raw_db()->NewIterator(rocksdb::ReadOptions(), store->cf(Cf::kNames)));
  int count = 0, wrong = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    int k = std::stoi(it->key().ToString().substr(3));
    std::string expected = k % 2 == 0 ? "r1" : "r0";
    wrong += it->value().ToString() != expected;
    ++count;
  }
  CHECK(count == n - 1);  // key0 deleted
  CHECK(wrong == 0);
}

TEST_CASE("Store: WaitForCompactions returns once the ingested level-0 files are merged",
          "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  BulkOptions options;
  options.memory_budget = 128 << 10;  // many overlapping spills of one family
  auto writer = BulkWriter::Create(store.get(), options);
  REQUIRE(writer.ok());
  for (int i = 0; i < 40'000; ++i) {
    int k = static_cast<int>((static_cast<uint64_t>(i) * 7919) % 40'000);
    REQUIRE((*writer)->Put(Cf::kNames, "key" + std::to_string(k), "v").ok());
  }
  REQUIRE((*writer)->Finish().ok());
  REQUIRE((*writer)->stats().files >= 4);  // RocksDB's level-0 compaction trigger
  int ticks = 0;
  REQUIRE(store->WaitForCompactions([&] { ++ticks; }).ok());
  std::string l0;
  uint64_t pending = 99;
  REQUIRE(store->raw_db()->GetProperty(store->cf(Cf::kNames), "rocksdb.num-files-at-level0", &l0));
  REQUIRE(store->raw_db()->GetIntProperty(store->cf(Cf::kNames), "rocksdb.compaction-pending",
                                          &pending));
  CHECK(std::stoi(l0) < 4);
  CHECK(pending == 0);
  std::unique_ptr<rocksdb::Iterator> it(
      store->raw_db()->NewIterator(rocksdb::ReadOptions(), store->cf(Cf::kNames)));
  int count = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++count;
  CHECK(count == 40'000);
}

TEST_CASE("BulkWriter: Abort leaves the store unchanged", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Dump before = DumpAll(*store);
  uint64_t generation = store->generation();
  {
    BulkOptions options;
    options.memory_budget = 4 << 10;
    auto writer = BulkWriter::Create(store.get(), options);
    REQUIRE(writer.ok());
    for (int i = 0; i < 2000; ++i) {
      REQUIRE((*writer)
                  ->PutNode(MakeActor("actor:" + std::to_string(i), "A " + std::to_string(i)))
                  .ok());
    }
    CHECK((*writer)->stats().files > 0);
    (*writer)->Abort();
  }
  CHECK(DumpAll(*store) == before);
  CHECK(store->generation() == generation);
  // No temporary directory is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() + "/db")) {
    CHECK(entry.path().filename().string().rfind("bulk-tmp", 0) != 0);
  }
}

TEST_CASE("BulkWriter: keys of any shape come out in byte order, the last write winning",
          "[storage]") {
  // Keys built to defeat shortcuts in the sort: long shared prefixes (ties on any fixed number
  // of leading bytes), every length from 0 to 40, zero and 0xff bytes (a key and the same key
  // with a zero byte appended), bytes that vary only far in; many overwrites and deletions,
  // spread over several spills. The reference is a std::map replaying the same operations.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  BulkOptions options;
  options.memory_budget = 64 << 10;
  auto writer = BulkWriter::Create(store.get(), options);
  REQUIRE(writer.ok());
  std::mt19937_64 rng(7);
  const std::string prefixes[] = {"", "event:tkg:ICEWS18:", std::string(20, '\0'),
                                  std::string(17, '\xff'), "a"};
  const char alphabet[] = {'\0', '\x01', '0', '9', 'a', '\x7f', '\x80', '\xff'};
  std::map<std::string, std::optional<std::string>> expected;
  for (int i = 0; i < 40'000; ++i) {
    std::string key = prefixes[rng() % 5];
    size_t len = rng() % 24;
    for (size_t j = 0; j < len; ++j) key.push_back(alphabet[rng() % 8]);
    if (rng() % 3 == 0 && !expected.empty()) {
      key = std::next(expected.begin(), static_cast<long>(rng() % expected.size()))->first;
    }
    if (rng() % 10 == 0) {
      REQUIRE((*writer)->Delete(Cf::kNames, key).ok());
      expected[key] = std::nullopt;
    } else {
      std::string value = "v" + std::to_string(i);
      REQUIRE((*writer)->Put(Cf::kNames, key, value).ok());
      expected[key] = value;
    }
  }
  CHECK((*writer)->stats().spills > 2);
  REQUIRE((*writer)->Finish().ok());
  std::vector<std::pair<std::string, std::string>> want, got;
  for (const auto& [k, v] : expected) {
    if (v) want.emplace_back(k, *v);
  }
  std::unique_ptr<rocksdb::Iterator> it(
      store->raw_db()->NewIterator(rocksdb::ReadOptions(), store->cf(Cf::kNames)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    got.emplace_back(it->key().ToString(), it->value().ToString());
  }
  CHECK(got.size() == want.size());
  CHECK(got == want);
}

TEST_CASE("BulkWriter: a failed ingest leaves nothing of the import visible", "[storage]") {
  // Two files of one family are written while the import goes on; the last buffers are written
  // by Finish. Losing the second file makes the ingest fail: no file at all may be visible then
  // (ingesting in rounds showed the first round's).
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  Dump before = DumpAll(*store);
  uint64_t generation = store->generation();
  BulkOptions options;
  options.memory_budget = 64 << 10;
  options.writer_threads = 1;  // files are done in order: two counted means both are complete
  auto writer = BulkWriter::Create(store.get(), options);
  REQUIRE(writer.ok());
  REQUIRE((*writer)->Put(Cf::kNames, "only-in-the-last-round", "x").ok());
  for (int i = 0; (*writer)->stats().files < 2; ++i) {
    REQUIRE(i < 1'000'000);
    REQUIRE((*writer)->Put(Cf::kNames, "key" + std::to_string(i * 7919 % 100'003), "v").ok());
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path() + "/db")) {
    if (e.path().parent_path().filename().string().rfind("bulk-tmp", 0) == 0 &&
        e.path().filename().string().rfind("names-", 0) == 0) {
      files.push_back(e.path());
    }
  }
  REQUIRE(files.size() >= 2);  // a third may be in the writing; the first two are complete
  std::sort(files.begin(), files.end(), [](const auto& x, const auto& y) {
    return x.filename().string().size() != y.filename().string().size()
               ? x.filename().string().size() < y.filename().string().size()
               : x < y;
  });
  std::filesystem::remove(files[1]);
  CHECK(!(*writer)->Finish().ok());
  CHECK(DumpAll(*store) == before);
  CHECK(store->generation() == generation);
}

}  // namespace geokg::storage
