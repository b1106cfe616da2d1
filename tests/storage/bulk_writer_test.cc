#include "storage/bulk_writer.h"

#include <fcntl.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>

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

// Every family but meta: no file in level 0, and the files of one family in one level (all of
// them, with `all_levels`) cover disjoint key ranges.
void CheckLayout(const Store& store, bool all_levels) {
  std::vector<rocksdb::LiveFileMetaData> files;
  store.raw_db()->GetLiveFilesMetaData(&files);
  for (int i = 0; i < kCfCount; ++i) {
    const Cf cf = static_cast<Cf>(i);
    if (cf == Cf::kMeta) continue;
    INFO(CfName(cf));
    std::string l0;
    REQUIRE(store.raw_db()->GetProperty(store.cf(cf), "rocksdb.num-files-at-level0", &l0));
    CHECK(l0 == "0");
    std::vector<const rocksdb::LiveFileMetaData*> mine;
    for (const auto& f : files) {
      if (f.column_family_name == CfName(cf)) mine.push_back(&f);
    }
    std::sort(mine.begin(), mine.end(), [](const auto* x, const auto* y) {
      return std::tie(x->level, x->smallestkey) < std::tie(y->level, y->smallestkey);
    });
    for (size_t j = 1; j < mine.size(); ++j) {
      if (!all_levels && mine[j - 1]->level != mine[j]->level) continue;
      CHECK(mine[j - 1]->largestkey < mine[j]->smallestkey);
    }
  }
}

// Whether `store_dir` still holds a bulk writer's temporary directory.
bool HasTempDir(const std::string& store_dir) {
  for (const auto& entry : std::filesystem::directory_iterator(store_dir)) {
    if (entry.path().filename().string().rfind("bulk-tmp", 0) == 0) return true;
  }
  return false;
}

// Whether files in `dir` can be opened with O_DIRECT (tmpfs on older kernels, some FUSE and
// network file systems refuse it).
bool AcceptsDirectIo(const std::string& dir) {
  const std::string path = dir + "/direct-probe";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_DIRECT | O_CLOEXEC, 0644);
  if (fd >= 0) ::close(fd);
  std::filesystem::remove(path);
  return fd >= 0;
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
  CHECK((*writer)->stats().runs == 0);  // nothing spilled: written straight from memory
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

TEST_CASE("Store: WaitForCompactions returns once the level-0 files are merged", "[storage]") {
  // Bulk imports leave nothing to compact; overlapping flushes of ordinary writes do.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  rocksdb::DB* db = store->raw_db();
  for (int flush = 0; flush < 4; ++flush) {  // RocksDB's level-0 compaction trigger
    for (int i = 0; i < 10'000; ++i) {
      int k = static_cast<int>((static_cast<uint64_t>(i) * 7919 + flush) % 40'000);
      REQUIRE(
          db->Put(rocksdb::WriteOptions(), store->cf(Cf::kNames), "key" + std::to_string(k), "v")
              .ok());
    }
    REQUIRE(db->Flush(rocksdb::FlushOptions(), store->cf(Cf::kNames)).ok());
  }
  int ticks = 0;
  REQUIRE(store->WaitForCompactions([&] { ++ticks; }).ok());
  std::string l0;
  uint64_t pending = 99;
  REQUIRE(db->GetProperty(store->cf(Cf::kNames), "rocksdb.num-files-at-level0", &l0));
  REQUIRE(db->GetIntProperty(store->cf(Cf::kNames), "rocksdb.compaction-pending", &pending));
  CHECK(std::stoi(l0) < 4);
  CHECK(pending == 0);
}

TEST_CASE("BulkWriter: with many spills per family the store equals what Store::Write writes",
          "[storage]") {
  // A budget this small spills every family many times, and a file size this small cuts each
  // family into many files; the merge of all those runs must give exactly Store::Write's keys
  // and values, in files that land below level 0 and do not overlap.
  test::TempDir dir;
  auto a = test::OpenNewStore(dir.path() + "/a");
  auto b = test::OpenNewStore(dir.path() + "/b");
  std::vector<Node> actors, events;
  for (int i = 0; i < 150; ++i) {
    actors.push_back(MakeActor("actor:" + std::to_string(i), "Actor " + std::to_string(i),
                               {"Alias " + std::to_string(i), "A" + std::to_string(i % 40)}));
  }
  std::vector<Edge> roles;
  WriteBatch batch;
  for (const Node& n : actors) batch.PutNode(n);
  for (int i = 0; i < 400; ++i) {
    events.push_back(MakeEvent("event:" + std::to_string(i), std::to_string(10 + i % 70),
                               1'500'000'000 + 86'400 * (i % 90)));
    std::vector<Edge> owned = {Role(events.back(), EdgeType::kInitiator, actors[i % 150].id),
                               Role(events.back(), EdgeType::kTarget, actors[i * 7 % 150].id)};
    batch.PutNode(events.back());
    batch.SetOwnedEdges(events.back().id, owned);
    roles.insert(roles.end(), owned.begin(), owned.end());
  }
  REQUIRE(a->Write(batch).ok());

  BulkOptions options;
  options.memory_budget = 24 << 10;
  options.target_file_bytes = 8 << 10;
  SECTION("one writer thread") { options.writer_threads = 1; }
  SECTION("two writer threads") { options.writer_threads = 2; }
  SECTION("buffered writes") { options.direct_writes = false; }
  auto writer = BulkWriter::Create(b.get(), options);
  REQUIRE(writer.ok());
  std::mt19937_64 rng(11);
  std::vector<const Node*> nodes;
  for (const Node& n : actors) nodes.push_back(&n);
  for (const Node& n : events) nodes.push_back(&n);
  std::shuffle(nodes.begin(), nodes.end(), rng);
  std::shuffle(roles.begin(), roles.end(), rng);
  for (const Node* n : nodes) REQUIRE((*writer)->PutNode(*n).ok());
  for (const Edge& e : roles) REQUIRE((*writer)->PutEdge(e, /*with_payload=*/true).ok());
  REQUIRE((*writer)->Finish().ok());
  const BulkStats& stats = (*writer)->stats();
  CHECK(stats.spills > 20);
  CHECK(stats.files > 20);
  CHECK(stats.entries == stats.written + stats.duplicates);
  // Direct I/O for every file where the file system takes O_DIRECT, and none when not asked for.
  CHECK(stats.direct_files ==
        (options.direct_writes && AcceptsDirectIo(dir.path()) ? stats.files : 0));
  CHECK(DumpAll(*b) == DumpAll(*a));
  CheckLayout(*b, /*all_levels=*/true);
  CHECK(!HasTempDir(dir.path() + "/b"));
}

TEST_CASE("BulkWriter: across runs the newest entry of a key wins, deletes hide stored data",
          "[storage]") {
  // Three families that store keys as given (the paged ones have tests of their own, below;
  // `nodes` takes only encoded nodes, see the superseded-versions test)
  // receive puts and deletes of keys drawn from a small range, so that most keys are written
  // many times, in many runs, and merged in several passes (the budget leaves room to read only
  // two runs at once). Half the range is in the store beforehand: a delete must hide it. The
  // reference replays the same operations on std::maps; every entry that is not the last of its
  // key is a duplicate, counted exactly.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  const Cf cfs[] = {Cf::kEdges, Cf::kNames, Cf::kDefault};
  std::map<std::string, std::string> expected[3];
  {
    auto writer = BulkWriter::Create(store.get());
    REQUIRE(writer.ok());
    for (int c = 0; c < 3; ++c) {
      for (int k = 0; k < 2000; k += 2) {
        std::string key = "k" + std::to_string(k * 7919 % 4000);
        REQUIRE((*writer)->Put(cfs[c], key, "stored").ok());
        expected[c][key] = "stored";
      }
    }
    REQUIRE((*writer)->Finish().ok());
  }
  BulkOptions options;
  options.memory_budget = 48 << 10;
  options.target_file_bytes = 16 << 10;
  SECTION("one writer thread") { options.writer_threads = 1; }
  SECTION("two writer threads") { options.writer_threads = 2; }
  auto writer = BulkWriter::Create(store.get(), options);
  REQUIRE(writer.ok());
  std::mt19937_64 rng(5);
  uint64_t ops[3] = {};
  std::set<std::string> touched[3];
  for (int i = 0; i < 30'000; ++i) {
    const int c = static_cast<int>(rng() % 3);
    std::string key = "k" + std::to_string(rng() % 4000);
    ++ops[c];
    touched[c].insert(key);
    if (rng() % 4 == 0) {
      REQUIRE((*writer)->Delete(cfs[c], key).ok());
      expected[c].erase(key);
    } else {
      std::string value = "v" + std::to_string(i);
      REQUIRE((*writer)->Put(cfs[c], key, value).ok());
      expected[c][key] = value;
    }
  }
  REQUIRE((*writer)->Finish().ok());
  const BulkStats& stats = (*writer)->stats();
  CHECK(stats.spills > 10);
  CHECK(stats.runs > stats.spills);  // merge passes wrote runs of their own
  CHECK(stats.entries == stats.written + stats.duplicates);
  for (int c = 0; c < 3; ++c) {
    INFO(CfName(cfs[c]));
    CHECK(stats.duplicates_by_cf[static_cast<int>(cfs[c])] == ops[c] - touched[c].size());
    std::map<std::string, std::string> got;
    std::unique_ptr<rocksdb::Iterator> it(
        store->raw_db()->NewIterator(rocksdb::ReadOptions(), store->cf(cfs[c])));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      got[it->key().ToString()] = it->value().ToString();
    }
    CHECK(got.size() == expected[c].size());
    CHECK(got == expected[c]);
  }
  CheckLayout(*store, /*all_levels=*/false);
  CHECK(!HasTempDir(dir.path() + "/db"));
}

TEST_CASE("BulkWriter: entries larger than a run block or a read buffer survive the merge",
          "[storage]") {
  // With a 64 KiB budget runs are written in 4 KiB blocks and read through 4 KiB buffers: a
  // 40 KiB value needs a block of its own and a reader buffer grown to hold it.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  BulkOptions options;
  options.memory_budget = 64 << 10;
  auto writer = BulkWriter::Create(store.get(), options);
  REQUIRE(writer.ok());
  std::map<std::string, std::string> expected;
  for (int i = 0; i < 3000; ++i) {
    std::string key = "k" + std::to_string(i * 7919 % 3000);
    std::string value = i % 100 == 0 ? std::string(40 << 10, static_cast<char>('a' + i % 26))
                                     : "v" + std::to_string(i);
    REQUIRE((*writer)->Put(Cf::kNodes, key, value).ok());
    expected[key] = value;
  }
  REQUIRE((*writer)->Finish().ok());
  CHECK((*writer)->stats().runs > 2);
  std::map<std::string, std::string> got;
  std::unique_ptr<rocksdb::Iterator> it(
      store->raw_db()->NewIterator(rocksdb::ReadOptions(), store->cf(Cf::kNodes)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    got[it->key().ToString()] = it->value().ToString();
  }
  CHECK(got == expected);
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
    CHECK((*writer)->stats().runs > 0);
    (*writer)->Abort();
  }
  CHECK(DumpAll(*store) == before);
  CHECK(store->generation() == generation);
  CHECK(!HasTempDir(dir.path() + "/db"));
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
  // One family over two writer threads: merged as two key ranges, into two files at least.
  CHECK((*writer)->stats().files >= 2);
  CheckLayout(*store, /*all_levels=*/true);
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

TEST_CASE("BulkWriter: a damaged run fails Finish, naming the file, and leaves nothing visible",
          "[storage]") {
  // Runs of one family are written while the import goes on; the other family's only buffer is
  // merged by Finish too. A run damaged on disk before Finish must fail it with an error naming
  // the file, and no family's files may be visible then.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  {
    auto writer = BulkWriter::Create(store.get());
    REQUIRE(writer.ok());
    REQUIRE((*writer)->Put(Cf::kNames, "key1", "stored").ok());
    REQUIRE((*writer)->Finish().ok());
  }
  Dump before = DumpAll(*store);
  uint64_t generation = store->generation();
  BulkOptions options;
  options.memory_budget = 64 << 10;
  options.writer_threads = 1;  // runs are done in order: two counted means both are complete
  auto writer = BulkWriter::Create(store.get(), options);
  REQUIRE(writer.ok());
  REQUIRE((*writer)->Put(Cf::kNames, "only-in-the-last-round", "x").ok());
  for (int i = 0; (*writer)->stats().runs < 2; ++i) {
    REQUIRE(i < 1'000'000);
    REQUIRE((*writer)->Put(Cf::kNames, "key" + std::to_string(i * 7919 % 100'003), "v").ok());
  }
  std::vector<std::filesystem::path> runs;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path() + "/db")) {
    if (e.path().parent_path().filename().string().rfind("bulk-tmp", 0) == 0 &&
        e.path().filename().string().rfind("names-", 0) == 0) {
      runs.push_back(e.path());
    }
  }
  REQUIRE(runs.size() >= 2);  // a third may be in the writing; the first two are complete
  std::sort(runs.begin(), runs.end(), [](const auto& x, const auto& y) {
    return x.filename().string().size() != y.filename().string().size()
               ? x.filename().string().size() < y.filename().string().size()
               : x < y;
  });
  const std::filesystem::path damaged = runs[1];
  const auto size = std::filesystem::file_size(damaged);
  bool corruption = true;
  SECTION("truncated") { std::filesystem::resize_file(damaged, size - 5); }
  SECTION("one byte changed") {
    std::string bytes = test::ReadFile(damaged.string());
    bytes[bytes.size() / 2] ^= 0x20;
    test::WriteFile(damaged.string(), bytes);
  }
  SECTION("a run cut at a block and extended with zeros") {
    std::filesystem::resize_file(damaged, 16);
    std::filesystem::resize_file(damaged, size);
  }
  SECTION("deleted") {
    std::filesystem::remove(damaged);
    corruption = false;
  }
  Status s = (*writer)->Finish();
  INFO(s.ToString());
  CHECK(!s.ok());
  CHECK(s.IsCorruption() == corruption);
  CHECK(s.message().find(damaged.filename().string()) != std::string::npos);
  CHECK(DumpAll(*store) == before);
  CHECK(store->generation() == generation);
  CHECK(!HasTempDir(dir.path() + "/db"));
}

}  // namespace geokg::storage

namespace geokg::storage {
namespace {

// Entries on few nodes, types and days, so that pages hold many; `round` changes the values.
std::string RandomAdjEntry(std::mt19937_64& rng) {
  codec::AdjKey k;
  k.node = MakeNodeId(NodeKind::kActor, "actor:" + std::to_string(rng() % 3));
  k.type = rng() % 2 == 0 ? EdgeType::kInitiator : EdgeType::kTarget;
  k.time = static_cast<Time>(rng() % 12) * 86400 - 3 * 86400 + static_cast<Time>(rng() % 86400);
  if (rng() % 50 == 0) k.time = kUnknownTime;
  k.neighbor = MakeNodeId(NodeKind::kEvent, "event:" + std::to_string(rng() % 40));
  k.edge = 1 + rng() % 8;
  return codec::EncodeAdjKey(k);
}

std::vector<std::pair<std::string, std::string>> ScanOut(const Store& store) {
  std::vector<std::pair<std::string, std::string>> out;
  REQUIRE(store
              .ScanAllAdjacency(Direction::kOut,
                                [&](const AdjEntry& e) {
                                  codec::AdjValue v;
                                  v.status = e.status;
                                  v.confidence_pct = e.confidence_pct;
                                  v.has_payload = e.has_payload;
                                  out.emplace_back(codec::EncodeAdjKey({e.node, e.type, e.time,
                                                                        e.neighbor, e.edge}),
                                                   codec::EncodeAdjValue(v));
                                  return true;
                                })
              .ok());
  return out;
}

// Three rounds of bulk writes into the paged family `cf`, 12,000 puts and deletes each: round 0
// fills an empty store (pages written straight from the entries; its deletes, of entries put
// earlier in the round or never, leave nothing); rounds 1 and 2 put and delete entries on the
// same pages (and new ones), merged with the stored pages, through runs, merge passes and
// key-range pieces (a small budget and two threads). Round 2 also deletes every entry that
// `in_emptied_page` selects (a whole page). After each round, `scan` must give exactly the
// entries a map says the pages hold, in order.
void CheckPagedRounds(
    Store* store, Cf cf, std::mt19937_64& rng,
    const std::function<std::pair<std::string, std::string>()>& random_entry,
    const std::function<bool(const std::string&)>& in_emptied_page,
    const std::function<std::vector<std::pair<std::string, std::string>>()>& scan) {
  std::map<std::string, std::string> model;
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    BulkOptions options;
    options.memory_budget = 128 << 10;
    options.writer_threads = 2;
    auto writer = BulkWriter::Create(store, options);
    REQUIRE(writer.ok());
    for (int i = 0; i < 12'000; ++i) {
      auto [key, value] = random_entry();
      if (rng() % 3 == 0) {
        REQUIRE((*writer)->Delete(cf, key).ok());
        model.erase(key);
      } else {
        REQUIRE((*writer)->Put(cf, key, value).ok());
        model[key] = value;
      }
    }
    if (round == 2) {
      for (auto it = model.begin(); it != model.end();) {
        if (in_emptied_page(it->first)) {
          REQUIRE((*writer)->Delete(cf, it->first).ok());
          it = model.erase(it);
        } else {
          ++it;
        }
      }
    }
    CHECK((*writer)->stats().spills > 0);
    REQUIRE((*writer)->Finish().ok());
    if (round == 0) CHECK((*writer)->stats().files > 1);  // cut into pieces
    const auto scanned = scan();
    const std::vector<std::pair<std::string, std::string>> want(model.begin(), model.end());
    CHECK(scanned.size() == want.size());
    CHECK(scanned == want);
    CheckLayout(*store, /*all_levels=*/false);
  }
}

TEST_CASE("BulkWriter: adjacency pages merge with the stored ones, never split", "[storage]") {
  // CheckPagedRounds on `out`; the emptied page: node 0's initiator page of day 0.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  std::mt19937_64 rng(41);
  const NodeId node = MakeNodeId(NodeKind::kActor, "actor:0");
  CheckPagedRounds(
      store.get(), Cf::kOut, rng,
      [&] {
        std::string key = RandomAdjEntry(rng);
        codec::AdjValue v;
        v.status = static_cast<FactStatus>(rng() % kStatusCount);
        v.confidence_pct = static_cast<uint8_t>(rng() % 101);
        v.has_payload = rng() % 2 == 0;
        return std::make_pair(std::move(key), codec::EncodeAdjValue(v));
      },
      [&](const std::string& key) {
        codec::AdjKey k;
        REQUIRE(codec::DecodeAdjKey(key, &k));
        return k.node == node && k.type == EdgeType::kInitiator && codec::PageDay(k.time) == 0;
      },
      [&] { return ScanOut(*store); });
  // The emptied page is gone, not stored empty.
  std::string value;
  const auto page = codec::AdjPageKey(node, EdgeType::kInitiator, 0);
  CHECK(
      store->raw_db()->Get(rocksdb::ReadOptions(), store->cf(Cf::kOut), page, &value).IsNotFound());
}

// An event index entry key on few codes, days and events, so that pages hold many.
std::string RandomEventEntry(std::mt19937_64& rng) {
  static const char* const kCodes[] = {"", "04", "043", "0431", "190"};
  Time t = static_cast<Time>(rng() % 12) * 86400 - 3 * 86400 + static_cast<Time>(rng() % 86400);
  if (rng() % 50 == 0) t = kUnknownTime;
  return codec::EventByCodeKey(kCodes[rng() % 5], t,
                               MakeNodeId(NodeKind::kEvent, "event:" + std::to_string(rng() % 40)));
}

// The event index as entry keys, read back through the scan (which checks every page).
std::vector<std::string> ScanEventIndex(const Store& store) {
  std::vector<std::string> out;
  REQUIRE(store
              .ScanEventsByCode("", kMinTime, kUnknownTime,
                                [&](NodeId id, std::string_view code, Time t) {
                                  out.push_back(codec::EventByCodeKey(code, t, id));
                                  return true;
                                })
              .ok());
  return out;
}

TEST_CASE("BulkWriter: event index pages merge with the stored ones, never split", "[storage]") {
  // CheckPagedRounds on `event_index`; the emptied page: code 043 on day 0.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  std::mt19937_64 rng(43);
  CheckPagedRounds(
      store.get(), Cf::kEventIndex, rng,
      [&] { return std::make_pair(RandomEventEntry(rng), std::string()); },
      [&](const std::string& key) {
        std::string code;
        Time t = 0;
        NodeId id = 0;
        REQUIRE(codec::DecodeEventByCodeKey(key, &code, &t, &id));
        return code == "043" && codec::PageDay(t) == 0;
      },
      [&] {
        std::vector<std::pair<std::string, std::string>> out;
        for (std::string& k : ScanEventIndex(*store)) out.emplace_back(std::move(k), "");
        return out;
      });
  std::string value;
  CHECK(store->raw_db()
            ->Get(rocksdb::ReadOptions(), store->cf(Cf::kEventIndex), codec::EventPageKey("043", 0),
                  &value)
            .IsNotFound());
}

TEST_CASE("BulkWriter: an event index entry must have the entry key size and no value",
          "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  auto writer = BulkWriter::Create(store.get());
  REQUIRE(writer.ok());
  const std::string key = codec::EventByCodeKey("043", 0, MakeNodeId(NodeKind::kEvent, "event:1"));
  CHECK((*writer)->Put(Cf::kEventIndex, key.substr(1), "").IsInvalidArgument());
  CHECK((*writer)->Put(Cf::kEventIndex, key, "x").IsInvalidArgument());
  CHECK((*writer)->Put(Cf::kEventIndex, codec::EventPageKey("043", 0), "").IsInvalidArgument());
  CHECK((*writer)->Delete(Cf::kEventIndex, key + "x").IsInvalidArgument());
  CHECK((*writer)->Put(Cf::kEventIndex, key, "").ok());
  CHECK((*writer)->Delete(Cf::kEventIndex, key).ok());
}

TEST_CASE("BulkWriter: adjacency entries of nodes of every kind sort into key order", "[storage]") {
  // Buffers of many thousand adjacency entries, nodes of four kinds (the kind is the top bits of
  // an id), repeated keys and deletes; sorted in Finish (one buffer) and in spills (runs). A map
  // of the last write of each key is the reference.
  size_t budget = 0;
  SECTION("one buffer, sorted in Finish") { budget = size_t{64} << 20; }
  SECTION("spilled runs") { budget = size_t{1536} << 10; }
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  BulkOptions options;
  options.memory_budget = budget;
  auto writer = BulkWriter::Create(store.get(), options);
  REQUIRE(writer.ok());
  std::mt19937_64 rng(77);
  const NodeKind kinds[] = {NodeKind::kActor, NodeKind::kEvent, NodeKind::kSource, NodeKind::kItem};
  std::map<std::string, std::string> model;
  for (int i = 0; i < 60'000; ++i) {
    codec::AdjKey k;
    k.node = MakeNodeId(kinds[rng() % 4], "n:" + std::to_string(rng() % 3000));
    k.type = rng() % 2 == 0 ? EdgeType::kInitiator : EdgeType::kTarget;
    k.time = static_cast<Time>(rng() % 5) * 86400 + static_cast<Time>(rng() % 3);
    k.neighbor = MakeNodeId(NodeKind::kEvent, "e:" + std::to_string(rng() % 4));
    k.edge = 1 + rng() % 2;
    const std::string key = codec::EncodeAdjKey(k);
    if (rng() % 5 == 0) {
      REQUIRE((*writer)->Delete(Cf::kOut, key).ok());
      model.erase(key);
    } else {
      codec::AdjValue v;
      v.confidence_pct = static_cast<uint8_t>(i % 101);
      const std::string value = codec::EncodeAdjValue(v);
      REQUIRE((*writer)->Put(Cf::kOut, key, value).ok());
      model[key] = value;
    }
  }
  REQUIRE((*writer)->Finish().ok());
  if (budget < (size_t{2} << 20)) CHECK((*writer)->stats().runs > 2);
  const BulkStats& stats = (*writer)->stats();
  CHECK(stats.entries == stats.written + stats.duplicates);
  const std::vector<std::pair<std::string, std::string>> want(model.begin(), model.end());
  const auto got = ScanOut(*store);
  CHECK(got.size() == want.size());
  CHECK(got == want);
}

// Twenty actors, and events with two of them as initiator and target.
struct EventsOfActors {
  std::vector<Node> actors;
  EventsOfActors() {
    for (int i = 0; i < 20; ++i) {
      actors.push_back(MakeActor("actor:" + std::to_string(i), "Actor " + std::to_string(i)));
    }
  }
  // `event` with actors x and y as its participants.
  Node WithRoles(Node event, int x, int y) const {
    auto& e = std::get<Event>(event.body);
    e.participants = {{EdgeType::kInitiator, actors[x].id}, {EdgeType::kTarget, actors[y].id}};
    std::sort(e.participants.begin(), e.participants.end());
    return event;
  }
  // Event x in two versions: v2 has another code, day and target than v1.
  Node V1() const { return WithRoles(MakeEvent("event:x", "043", 1'500'000'000), 1, 2); }
  Node V2() const {
    return WithRoles(MakeEvent("event:x", "190", 1'500'000'000 + 5 * 86400), 1, 3);
  }
  // Filler event i: one of 70 codes, one of 30 days.
  Node Filler(int i) const {
    return WithRoles(MakeEvent("event:f" + std::to_string(i), std::to_string(10 + i % 70),
                               1'500'000'000 + 86'400 * (i % 30)),
                     i % 20, (i * 7 + 1) % 20);
  }
};

TEST_CASE("BulkWriter: a node's superseded versions leave none of their entries, however far apart",
          "[storage]") {
  // One event in two or three versions: v1; v2 with another code, day and target; v3, which is
  // v1 again but for its provenance row, so that it derives v1's keys anew (the stale keys are
  // v2's, and a delete computed against v2 instead of the final version would take v3's index
  // entry). Filler events between the versions put them in one buffer, or in different runs
  // merged in passes (two runs at a time). The store must hold exactly what Store::Write writes
  // for the final versions.
  test::TempDir dir;
  auto a = test::OpenNewStore(dir.path() + "/a");
  auto b = test::OpenNewStore(dir.path() + "/b");
  const EventsOfActors f;
  const std::vector<Node>& actors = f.actors;
  const Node v1 = f.V1(), v2 = f.V2();
  Node v3 = v1;
  v3.provenance[0].row = 99;

  std::vector<Node> versions;
  int gap = 0;          // filler events after each version
  size_t adjacent = 0;  // but the first `adjacent` ones
  BulkOptions options;
  SECTION("v1, v2 in one buffer") { versions = {v1, v2}; }
  SECTION("v1, v2, v3 in one buffer") { versions = {v1, v2, v3}; }
  SECTION("v1, v2 in different runs") {
    versions = {v1, v2};
    gap = 300;
  }
  SECTION("v1, v2, v3 in different runs, one writer thread") {
    versions = {v1, v2, v3};
    gap = 300;
    options.writer_threads = 1;
  }
  SECTION("v1, v2, v3 in different runs, two writer threads") {
    versions = {v1, v2, v3};
    gap = 300;
  }
  SECTION("v2, v1 in one run, v3 in another") {  // v2's keys: in no version that follows
    versions = {v2, v1, v3};
    gap = 300;
    adjacent = 1;
  }
  SECTION("the same version twice") {
    versions = {v1, v1};
    gap = 300;
  }
  if (gap > 0) options.memory_budget = 24 << 10;
  std::vector<Node> fillers;
  for (int i = 0; i < gap * static_cast<int>(versions.size()); ++i) {
    fillers.push_back(f.Filler(i));
  }

  auto writer = BulkWriter::Create(b.get(), options);
  REQUIRE(writer.ok());
  for (const Node& n : actors) REQUIRE((*writer)->PutNode(n).ok());
  size_t next = 0;
  for (size_t j = 0; j < versions.size(); ++j) {
    REQUIRE((*writer)->PutNode(versions[j]).ok());
    for (int i = 0; i < (j < adjacent ? 0 : gap); ++i) {
      REQUIRE((*writer)->PutNode(fillers[next++]).ok());
    }
  }
  REQUIRE((*writer)->Finish().ok());
  const BulkStats& stats = (*writer)->stats();
  if (gap > 0) CHECK(stats.runs > stats.spills);  // merge passes wrote runs of their own
  CHECK(stats.duplicates_by_cf[static_cast<int>(Cf::kNodes)] == versions.size() - 1);
  CHECK(stats.entries == stats.written + stats.duplicates);

  WriteBatch batch;
  for (const Node& n : actors) batch.PutNode(n);
  for (size_t i = 0; i < next; ++i) batch.PutNode(fillers[i]);
  batch.PutNode(versions.back());
  REQUIRE(a->Write(batch).ok());
  CHECK(DumpAll(*b) == DumpAll(*a));
  CheckLayout(*b, /*all_levels=*/false);
}

TEST_CASE(
    "BulkWriter: a node equal to the stored one is not written, a changed one leaves "
    "nothing stale",
    "[storage]") {
  // The store holds actors, 300 events and v1 of event x. Writing them all again writes nothing
  // (no file, the same generation); writing v2 of x (another code, day and target) with a
  // budget that spills must leave what Store::Write leaves for the final versions.
  test::TempDir dir;
  auto a = test::OpenNewStore(dir.path() + "/a");
  auto b = test::OpenNewStore(dir.path() + "/b");
  const EventsOfActors f;
  const std::vector<Node>& actors = f.actors;
  std::vector<Node> nodes = actors;
  for (int i = 0; i < 300; ++i) {
    nodes.push_back(f.Filler(i));
  }
  const Node v1 = f.V1(), v2 = f.V2();
  nodes.push_back(v1);
  auto bulk = [&](const std::vector<Node>& write, size_t budget) {
    BulkOptions options;
    options.memory_budget = budget;
    auto writer = BulkWriter::Create(b.get(), options);
    REQUIRE(writer.ok());
    for (const Node& n : write) REQUIRE((*writer)->PutNode(n).ok());
    REQUIRE((*writer)->Finish().ok());
    return (*writer)->stats();
  };
  bulk(nodes, size_t{64} << 20);

  SECTION("the same nodes again") {
    const auto before = DumpAll(*b);
    const uint64_t generation = b->generation();
    const BulkStats stats = bulk(nodes, 24 << 10);
    CHECK(stats.files == 0);
    CHECK(stats.events_unchanged == 301);
    CHECK(stats.events_added + stats.events_updated == 0);
    CHECK(stats.entries == stats.written + stats.duplicates);
    CHECK(b->generation() == generation);
    CHECK(DumpAll(*b) == before);
  }
  SECTION("v2 replaces the stored v1") {
    nodes.back() = v2;
    const BulkStats stats = bulk(nodes, 24 << 10);
    CHECK(stats.spills > 0);
    CHECK(stats.events_updated == 1);
    CHECK(stats.events_unchanged == 300);
    WriteBatch batch;
    for (const Node& n : nodes) batch.PutNode(n);
    REQUIRE(a->Write(batch).ok());
    CHECK(DumpAll(*b) == DumpAll(*a));
  }
}

TEST_CASE("BulkWriter: a nodes value put twice that is not a node fails Finish, writing nothing",
          "[storage]") {
  // Versions that differ are decoded to find what the older one derived: bytes that are not a
  // node are Corruption naming it, and nothing is ingested.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  const auto before = DumpAll(*store);
  auto writer = BulkWriter::Create(store.get());
  REQUIRE(writer.ok());
  const NodeId id = MakeNodeId(NodeKind::kEvent, "event:x");
  REQUIRE((*writer)->Put(Cf::kNodes, codec::NodeKey(id), "not a node").ok());
  REQUIRE((*writer)->Put(Cf::kNodes, codec::NodeKey(id), "nor this").ok());
  Status s = (*writer)->Finish();
  CHECK(s.IsCorruption());
  CHECK(s.message().find(Hex(id)) != std::string::npos);
  CHECK(DumpAll(*store) == before);
  CHECK(!HasTempDir(dir.path() + "/db"));
}

TEST_CASE("BulkWriter: an adjacency entry must have the entry key and value sizes", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  auto writer = BulkWriter::Create(store.get());
  REQUIRE(writer.ok());
  std::mt19937_64 rng(3);
  const std::string key = RandomAdjEntry(rng);
  CHECK((*writer)->Put(Cf::kOut, key.substr(1), "abc").IsInvalidArgument());
  CHECK((*writer)->Put(Cf::kIn, key, "ab").IsInvalidArgument());
  CHECK((*writer)->Delete(Cf::kIn, key + "x").IsInvalidArgument());
  CHECK((*writer)->Delete(Cf::kIn, key).ok());
}

// Facts of a toy kind: event "event:fact:<field 0>", code 10 + field 1, day field 2, initiator
// actors[field 3], target actors[field 4], provenance row `wide`. One key in several versions can
// differ in everything derived from it.
class ToyFacts final : public FactTemplate {
 public:
  explicit ToyFacts(const std::vector<Node>* actors) : actors_(actors) {}
  void Expand(const FactRecord& r, Node* node) const override {
    Event* e = std::get_if<Event>(&node->body);
    if (e == nullptr) e = &node->body.emplace<Event>();
    node->key = "event:fact:" + std::to_string(r.field[0]);
    e->cameo_code = std::to_string(10 + r.field[1]);
    const Time t = 1'500'000'000 + 86'400 * static_cast<Time>(r.field[2]);
    e->time = {t, t + 86399, TimePrecision::kDay, false};
    e->status = FactStatus::kReported;
    e->participants = {{EdgeType::kInitiator, (*actors_)[r.field[3]].id},
                       {EdgeType::kTarget, (*actors_)[r.field[4]].id}};
    std::sort(e->participants.begin(), e->participants.end());
    e->participants.erase(std::unique(e->participants.begin(), e->participants.end()),
                          e->participants.end());
    Provenance p;
    p.dataset = "toy";
    p.file = "facts.txt";
    p.row = static_cast<uint64_t>(r.wide);
    node->provenance.assign(1, p);
  }

 private:
  const std::vector<Node>* actors_;
};

FactRecord ToyFact(uint32_t key, uint32_t code, uint32_t day, uint32_t x, uint32_t y, int64_t row) {
  FactRecord r;
  r.id = MakeNodeId(NodeKind::kEvent, "event:fact:" + std::to_string(key));
  r.field[0] = key;
  r.field[1] = code;
  r.field[2] = day;
  r.field[3] = x;
  r.field[4] = y;
  r.wide = row;
  return r;
}

TEST_CASE("BulkWriter: facts give exactly the store that PutNode of their nodes gives",
          "[storage]") {
  // The same puts, once as facts (PutFact: kept as records, expanded and encoded when written)
  // and once as nodes (PutNode). Keys repeat, near and far apart, with versions that derive
  // other entries; some versions of a fact's key are put as nodes (which moves the buffered
  // facts into the nodes buffer first, keeping the order). Both stores must be the same, in
  // every family, and so must what the writers count.
  test::TempDir dir;
  auto a = test::OpenNewStore(dir.path() + "/a");
  auto b = test::OpenNewStore(dir.path() + "/b");
  const EventsOfActors f;
  const std::vector<Node>& actors = f.actors;
  auto toy = std::make_shared<ToyFacts>(&actors);

  BulkOptions options;
  bool mixed = false, stored = false, bare = false, prepare = false;
  uint32_t keys = 2000, codes = 70, days = 30, people = 20;
  bool repeats = true;
  SECTION("one buffer") {}
  // PrepareFacts, now and then: facts and nodes put after it drop its work (the facts are then
  // sorted again in Finish), the last one is kept.
  SECTION("prepared early, then more facts") { prepare = true; }
  SECTION("prepared early, then more facts and versions put as nodes") { prepare = mixed = true; }
  SECTION("dense: thousands of entries a node, a code and a day (the sort's every level)") {
    bare = true;
    keys = 20000, codes = 3, days = 4, people = 5;
  }
  SECTION("dense, cut into many pieces: each derives its key range alone") {
    // 64 KiB chunks: every family is cut into pieces (Splitters), and each piece of `out` and
    // `event_index` skips the facts whose reach misses its range. No key repeats: a version
    // superseded by another would have the derived families merged again, whole.
    bare = true;
    keys = 20000, codes = 3, days = 4, people = 5, repeats = false;
    options.memory_budget = 4 << 20;
  }
  SECTION("facts put without their nodes") { bare = true; }
  SECTION("facts put without their nodes, small budget") {
    bare = true;
    options.memory_budget = 24 << 10;
  }
  SECTION("one buffer, one writer thread") { options.writer_threads = 1; }
  SECTION("many pieces and files") { options.target_file_bytes = 4 << 10; }
  SECTION("a small budget: facts moved to the nodes buffer, spilled") {
    options.memory_budget = 24 << 10;
  }
  SECTION("versions put as nodes between facts") { mixed = true; }
  SECTION("into a store that holds some of them") { stored = true; }
  SECTION("into a store that holds some of them, small budget") {
    stored = true;
    options.memory_budget = 24 << 10;
  }

  std::mt19937_64 rng(5);
  std::vector<FactRecord> facts;
  for (uint32_t i = 0; i < (repeats ? keys * 3 / 2 : keys); ++i) {
    // Keys 0..keys-1: a third of them put two or three times, in other versions or the same one.
    const uint32_t key = i < keys ? i : static_cast<uint32_t>(rng() % keys);
    const bool same = rng() % 4 == 0;
    facts.push_back(ToyFact(key, same ? key % codes : static_cast<uint32_t>(rng() % codes),
                            same ? key % days : static_cast<uint32_t>(rng() % days),
                            static_cast<uint32_t>(rng() % people),
                            static_cast<uint32_t>(rng() % people), i));
  }
  std::shuffle(facts.begin() + keys / 2, facts.end(), rng);

  if (stored) {  // both stores hold actors and an earlier version of keys 0..499
    for (Store* s : {a.get(), b.get()}) {
      WriteBatch batch;
      for (const Node& n : actors) batch.PutNode(n);
      Node node;
      for (uint32_t k = 0; k < 500; ++k) {
        toy->Expand(ToyFact(k, k % 70, 29 - k % 30, k % 20, (k + 3) % 20, 7), &node);
        node.id = MakeNodeId(NodeKind::kEvent, node.key);
        batch.PutNode(node);
      }
      REQUIRE(s->Write(batch).ok());
    }
  }

  auto as_nodes = BulkWriter::Create(a.get(), options);
  auto as_facts = BulkWriter::Create(b.get(), options);
  REQUIRE(as_nodes.ok());
  REQUIRE(as_facts.ok());
  const uint32_t tmpl = (*as_facts)->AddFactTemplate(toy);
  for (const Node& n : actors) {
    REQUIRE((*as_nodes)->PutNode(n).ok());
    REQUIRE((*as_facts)->PutNode(n).ok());
  }
  Node node;
  for (size_t i = 0; i < facts.size(); ++i) {
    FactRecord r = facts[i];
    r.tmpl = tmpl;
    toy->Expand(r, &node);
    node.id = r.id;
    REQUIRE((*as_nodes)->PutNode(node).ok());
    if (mixed && i % 500 == 499) {
      REQUIRE((*as_facts)->PutNode(node).ok());
    } else if (bare) {
      REQUIRE((*as_facts)->PutFact(r).ok());
    } else {
      REQUIRE((*as_facts)->PutFact(r, node).ok());
    }
    if (prepare && i % 700 == 350) (*as_facts)->PrepareFacts();
  }
  if (prepare) (*as_facts)->PrepareFacts();
  FactRecord wrong = facts[0];
  wrong.id = actors[0].id;
  wrong.tmpl = tmpl;
  CHECK((*as_facts)->PutFact(wrong, node).IsInvalidArgument());
  CHECK((*as_facts)->PutFact(wrong).IsInvalidArgument());  // not an event: expanded, checked

  REQUIRE((*as_nodes)->Finish().ok());
  REQUIRE((*as_facts)->Finish().ok());
  const BulkStats& n = (*as_nodes)->stats();
  const BulkStats& x = (*as_facts)->stats();
  CHECK(x.entries == x.written + x.duplicates);
  // The facts' index and adjacency entries are derived from their final versions only: the
  // entries of superseded versions are neither put nor dropped as duplicates, which PutNode's are.
  CHECK(x.entries <= n.entries);  // equal when the budget moved every fact to the nodes buffer
  CHECK(n.entries - x.entries == n.duplicates - x.duplicates);
  CHECK(x.written == n.written);
  CHECK(x.events_added == n.events_added);
  CHECK(x.events_updated == n.events_updated);
  CHECK(x.events_unchanged == n.events_unchanged);
  CHECK(x.events_added + x.events_updated + x.events_unchanged == keys);
  if (stored) CHECK(x.events_updated > 0);
  if (options.memory_budget < (1 << 20)) CHECK(x.spills > 5);
  if (options.target_file_bytes < (1 << 20)) CHECK(x.files > 10);
  if (!repeats) CHECK(x.files >= 9);  // every family cut into pieces, none merged again
  CHECK(DumpAll(*b) == DumpAll(*a));
  if (!stored) CheckLayout(*b, /*all_levels=*/true);  // stored data: level 0 holds its flush
  CHECK(!HasTempDir(dir.path() + "/b"));
}

TEST_CASE("BulkWriter: a fact put without its node is checked against it now and then",
          "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/s");
  const EventsOfActors f;
  auto writer = BulkWriter::Create(store.get(), {});
  REQUIRE(writer.ok());
  const uint32_t tmpl = (*writer)->AddFactTemplate(std::make_shared<ToyFacts>(&f.actors));
  FactRecord r = ToyFact(1, 2, 3, 0, 1, 1);
  r.tmpl = tmpl + 1;
  CHECK((*writer)->PutFact(r).IsInvalidArgument());  // no such template
  r.tmpl = tmpl;
  r.id = MakeNodeId(NodeKind::kEvent, "event:fact:2");  // the key of another fact
  CHECK((*writer)->PutFact(r).IsInvalidArgument());     // the first fact is expanded
  r.id = MakeNodeId(NodeKind::kEvent, "event:fact:1");
  CHECK((*writer)->PutFact(r).ok());
  (*writer)->Abort();
}

TEST_CASE("BulkWriter: Abort drops buffered facts", "[storage]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/s");
  const EventsOfActors f;
  auto toy = std::make_shared<ToyFacts>(&f.actors);
  const Dump before = DumpAll(*store);
  {
    auto writer = BulkWriter::Create(store.get(), {});
    REQUIRE(writer.ok());
    const uint32_t tmpl = (*writer)->AddFactTemplate(toy);
    Node node;
    for (uint32_t i = 0; i < 100; ++i) {
      FactRecord r = ToyFact(i, 1, 2, 3, 4, i);
      r.tmpl = tmpl;
      toy->Expand(r, &node);
      node.id = r.id;
      REQUIRE((*writer)->PutFact(r, node).ok());
    }
    (*writer)->Abort();
    CHECK((*writer)->PutFact(ToyFact(1, 1, 2, 3, 4, 1), node).IsInvalidArgument());
  }
  CHECK(DumpAll(*store) == before);
  CHECK(!HasTempDir(dir.path() + "/s"));
}

}  // namespace
}  // namespace geokg::storage
