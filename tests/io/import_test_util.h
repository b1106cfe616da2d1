#pragma once
// Helpers for the importer tests: running an import with diagnostics collected, dumping every
// column family of a store byte for byte, and reading raw fixture rows for independent recounts.

#include <rocksdb/db.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "io/import.h"
#include "storage/store.h"
#include "tests/test_util.h"

namespace geokg::test {

inline const std::string kImportData = std::string(GEOKG_TEST_DATA_DIR) + "/import/";

struct ImportRun {
  Result<io::ImportSummary> result = Status::InvalidArgument("not run");
  std::vector<std::string> diagnostics;
};

inline ImportRun RunImport(storage::Store* store, const std::vector<std::string>& paths,
                           io::ImportOptions options = {}) {
  ImportRun run;
  options.on_diagnostic = [&run](const std::string& m) { run.diagnostics.push_back(m); };
  run.result = io::Import(store, paths, options);
  return run;
}

// Every key and value of every column family but `meta` (which holds the generation).
using RawDump = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;
inline RawDump DumpRaw(const storage::Store& store) {
  RawDump dump;
  for (int i = 0; i < storage::kCfCount; ++i) {
    auto cf = static_cast<storage::Cf>(i);
    if (cf == storage::Cf::kMeta) continue;
    auto& out = dump[std::string(storage::CfName(cf))];
    std::unique_ptr<rocksdb::Iterator> it(
        store.raw_db()->NewIterator(rocksdb::ReadOptions(), store.cf(cf)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
    REQUIRE(it->status().ok());
  }
  return dump;
}

// Every node of the store, read through the API (Store::ScanNodes), in id order: values of either
// form (a packed Node or a compact fact, codec/fact_codec.h) as they read.
inline std::vector<Node> AllNodes(const storage::Store& store) {
  std::vector<Node> nodes;
  for (int k = 0; k < kNodeKindCount; ++k) {
    REQUIRE(store
                .ScanNodes(static_cast<NodeKind>(k),
                           [&](const Node& n) {
                             nodes.push_back(n);
                             return true;
                           })
                .ok());
  }
  return nodes;
}

// Events under a CAMEO code prefix ("04"), any time, read through the event index.
inline uint64_t CountEventsUnder(const storage::Store& store, std::string_view root) {
  uint64_t seen = 0;
  REQUIRE(store
              .ScanEventsByCode(root, kMinTime, kMaxTime,
                                [&](NodeId, std::string_view, Time) {
                                  ++seen;
                                  return true;
                                })
              .ok());
  return seen;
}

inline uint64_t CountKind(const storage::Store& store, NodeKind kind) {
  auto stats = store.ComputeStats();
  REQUIRE(stats.ok());
  return stats->nodes_by_kind[static_cast<int>(kind)];
}

// The number of events in which both actors, found by name (each must resolve to exactly one
// actor), have a role: the store's side of a dyad count.
inline uint64_t SharedEventCount(const storage::Store& store, const std::string& name_a,
                                 const std::string& name_b) {
  auto a = store.FindByName(name_a);
  auto b = store.FindByName(name_b);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->size() == 1);
  REQUIRE(b->size() == 1);
  std::set<NodeId> a_events, both;
  auto collect = [&](NodeId actor, const std::function<void(NodeId)>& fn) {
    REQUIRE(store
                .ScanAdjacency(actor, storage::Direction::kOut, {},
                               [&](const storage::AdjEntry& e) {
                                 fn(e.neighbor);
                                 return true;
                               })
                .ok());
  };
  collect(a->front(), [&](NodeId ev) { a_events.insert(ev); });
  collect(b->front(), [&](NodeId ev) {
    if (a_events.count(ev)) both.insert(ev);
  });
  return both.size();
}

// The tab-separated fields of each non-empty line of `path` (the first `skip` lines skipped).
inline std::vector<std::vector<std::string>> ReadTsv(const std::string& path, int skip = 0) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (skip > 0) {
      --skip;
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string> f;
    size_t start = 0;
    for (;;) {
      size_t tab = line.find('\t', start);
      f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    rows.push_back(std::move(f));
  }
  return rows;
}

// Writes one actor node through Store::Write (as a curated load would) and returns its id.
inline NodeId PutStoredActor(storage::Store& store, const std::string& key, const Actor& actor) {
  Node n;
  n.key = key;
  n.id = MakeNodeId(NodeKind::kActor, key);
  n.body = actor;
  storage::WriteBatch batch;
  batch.PutNode(n);
  REQUIRE(store.Write(batch).ok());
  return n.id;
}

// A temporal-KG set in `dir`: its two vocabularies and one split file, each given whole.
inline void WriteTkgSet(const std::string& dir, const std::string& entities,
                        const std::string& relations, const std::string& split,
                        const std::string& facts) {
  std::filesystem::create_directories(dir);
  WriteFile(dir + "/entity2id.txt", entities);
  WriteFile(dir + "/relation2id.txt", relations);
  WriteFile(dir + "/" + split, facts);
}

inline bool Contains(const std::vector<std::string>& messages, const std::string& needle) {
  for (const auto& m : messages) {
    if (m.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace geokg::test
