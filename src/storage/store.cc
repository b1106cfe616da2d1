// The RocksDB store. Column families and their key layouts: codec/key_codec.cc (top comment) and
// docs/storage.md. Write() is the one transactional write path: it reads the current values of
// what a batch touches, skips what is unchanged, removes stale index entries and adjacency keys
// of what changed, and commits everything (nodes, both adjacency directions, payloads, indexes,
// the generation counter) in one rocksdb::WriteBatch.
#include "storage/store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "codec/fact_codec.h"
#include "codec/key_codec.h"
#include "codec/value_codec.h"
#include "model/vocab.h"
#include "storage/index_entries.h"
#include "storage/pages.h"
#include "storage/rocks_util.h"
#include "util/normalize.h"

namespace geokg::storage {
namespace {

constexpr std::string_view kCfNames[kCfCount] = {"default", "meta",  "nodes", "out",
                                                 "in",      "edges", "names", "event_index"};
constexpr std::string_view kInfoKey = "info";
constexpr std::string_view kGenerationKey = "generation";

}  // namespace

std::string_view CfName(Cf cf) { return kCfNames[static_cast<int>(cf)]; }

uint64_t StoreStats::nodes() const {
  uint64_t n = 0;
  for (auto c : nodes_by_kind) n += c;
  return n;
}
uint64_t StoreStats::edges() const {
  uint64_t n = 0;
  for (auto c : edges_by_type) n += c;
  return n;
}

// Options of every scan. geokg never writes range deletions (deletes are point deletes, see
// Store::Write and BulkWriter), so iterators need not look for range tombstones: that check ran on
// every step of every scan.
namespace {
rocksdb::ReadOptions ScanOptions() {
  rocksdb::ReadOptions ro;
  ro.ignore_range_deletions = true;
  return ro;
}
}  // namespace

struct Store::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // indexed by Cf
  std::atomic<uint64_t> generation{0};
  std::mutex write_mu;
  bool read_only = false;
  uint32_t found_format = kFormatVersion;  // Store::found_format_version
  codec::StoreInfo info;                   // as stored (format_version: Store::format_version)
  // Fact tables read from `meta` (Store::TableOf); never changed once stored.
  mutable std::mutex tables_mu;
  mutable FactTableMap tables;

  ~Impl() {
    if (db) {
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
      db->Close().PermitUncheckedError();
    }
  }
  rocksdb::ColumnFamilyHandle* h(Cf cf) const { return handles[static_cast<int>(cf)]; }

  // Reads one value; nullopt when absent.
  Result<std::optional<std::string>> Get(Cf cf, std::string_view key) const {
    std::string value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), h(cf), ToSlice(key), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromRocks(s, std::string("reading ") + std::string(CfName(cf)));
    return std::optional<std::string>(std::move(value));
  }

  // A scan iterator over `cf` that ends before `*upper` (none when null), which must outlive it.
  std::unique_ptr<rocksdb::Iterator> Iter(Cf cf, const rocksdb::Slice* upper) const {
    rocksdb::ReadOptions ro = ScanOptions();
    ro.iterate_upper_bound = upper;
    return std::unique_ptr<rocksdb::Iterator>(db->NewIterator(ro, h(cf)));
  }

  // Iterates keys in [lower, upper) of `cf` ("" upper = to the end).
  template <typename Fn>
  Status Range(Cf cf, const std::string& lower, const std::string& upper, Fn&& fn) const {
    rocksdb::Slice ub(upper);
    std::unique_ptr<rocksdb::Iterator> it = Iter(cf, upper.empty() ? nullptr : &ub);
    for (it->Seek(lower); it->Valid(); it->Next()) {
      Status st = Status::OK();
      if (!fn(ToView(it->key()), ToView(it->value()), &st)) return st;
    }
    return FromRocks(it->status(), std::string("scanning ") + std::string(CfName(cf)));
  }
};

Store::Store(std::unique_ptr<Impl> impl, std::string path, uint64_t store_id)
    : impl_(std::move(impl)), path_(std::move(path)), store_id_(store_id) {}
Store::~Store() = default;

namespace {
// Index and filter blocks go through the block cache and are read when a lookup first needs
// them. By default RocksDB reads 512 KiB of each table's tail and keeps its index and filter in
// memory as the table is opened (up to 16 tables at DB open): a CLI command that asks one
// question paid that for files it never touched. (Level-0 tables are still prefetched.)
void LazyIndexAndFilter(rocksdb::BlockBasedTableOptions* t) {
  t->cache_index_and_filter_blocks = true;
}
}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const OpenOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool exists = fs::exists(fs::path(path) / "CURRENT", ec);
  if (exists && options.error_if_exists) {
    return Status::InvalidArgument("a store already exists at " + path);
  }
  if (!exists) {
    // Never create a store inside a directory that holds something else.
    if (fs::exists(path, ec) && (!fs::is_directory(path, ec) || !fs::is_empty(path, ec))) {
      return Status::InvalidArgument(path + " is not a geokg store (and is not empty)");
    }
    if (!options.create_if_missing || options.read_only) {
      return Status::InvalidArgument("no store at " + path +
                                     " (create one with `geokg init` or `geokg load`)");
    }
  }

  rocksdb::Options opts;
  opts.create_if_missing = options.create_if_missing;
  opts.create_missing_column_families = options.create_if_missing;
  opts.max_open_files = 512;
  opts.keep_log_file_num = 3;
  if (options.read_only) {
    // A read-only open serves one short query: no background threads (nothing to flush or
    // compact) and no statistics pass over the files.
    opts.skip_stats_update_on_db_open = true;
    opts.max_file_opening_threads = 1;
  } else {
    opts.IncreaseParallelism(2);
  }

  auto cache = rocksdb::NewLRUCache(64 << 20);
  auto point_cf = [&] {
    rocksdb::ColumnFamilyOptions cfo;
    rocksdb::BlockBasedTableOptions t;
    t.block_cache = cache;
    LazyIndexAndFilter(&t);
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    t.whole_key_filtering = true;
    cfo.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
    return cfo;
  };
  auto scan_cf = [&] {
    rocksdb::ColumnFamilyOptions cfo;
    rocksdb::BlockBasedTableOptions t;
    t.block_cache = cache;
    LazyIndexAndFilter(&t);
    cfo.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
    return cfo;
  };

  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (int i = 0; i < kCfCount; ++i) {
    Cf cf = static_cast<Cf>(i);
    bool point = cf == Cf::kNodes || cf == Cf::kEdges || cf == Cf::kMeta;
    descs.emplace_back(std::string(kCfNames[i]), point ? point_cf() : scan_cf());
  }

  if (exists) {
    // A directory with a RocksDB that lacks our families is not ours.
    std::vector<std::string> present;
    rocksdb::Status ls = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(opts), path, &present);
    if (!ls.ok()) return FromRocks(ls, "opening " + path);
    for (const auto& name : kCfNames) {
      if (std::find(present.begin(), present.end(), std::string(name)) == present.end()) {
        return Status::InvalidArgument(path + " is not a geokg store (column family '" +
                                       std::string(name) + "' is missing)");
      }
    }
    // Families of another format version (format 1 had a `keys` family) must be opened too, or
    // RocksDB refuses the store before its version can be read and reported.
    for (const auto& name : present) {
      if (std::find(std::begin(kCfNames), std::end(kCfNames), name) == std::end(kCfNames)) {
        descs.emplace_back(name, rocksdb::ColumnFamilyOptions());
      }
    }
  }

  auto impl = std::make_unique<Impl>();
  impl->read_only = options.read_only;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(opts), path, descs, &impl->handles,
                                         &raw)
          : rocksdb::DB::Open(rocksdb::DBOptions(opts), path, descs, &impl->handles, &raw);
  if (!s.ok()) return FromRocks(s, "opening store " + path);
  impl->db.reset(raw);

  GEOKG_ASSIGN_OR_RETURN(auto info_bytes, impl->Get(Cf::kMeta, kInfoKey));
  codec::StoreInfo info;
  if (!info_bytes) {
    if (exists) return Status::InvalidArgument(path + " is not a geokg store (no format info)");
    info.format_version = kFormatVersion;
    info.created_by = std::string("geokg ") + GEOKG_VERSION;
    info.created_at = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    std::random_device rd;
    info.store_id = (uint64_t{rd()} << 32) ^ rd() ^ static_cast<uint64_t>(info.created_at);
    rocksdb::WriteBatch wb;
    std::string gen;
    codec::PutBE64(&gen, 0);
    wb.Put(impl->h(Cf::kMeta), ToSlice(kInfoKey), codec::EncodeStoreInfo(info));
    wb.Put(impl->h(Cf::kMeta), ToSlice(kGenerationKey), gen);
    rocksdb::WriteOptions wo;
    wo.sync = true;
    GEOKG_RETURN_IF_ERROR(FromRocks(impl->db->Write(wo, &wb), "initializing " + path));
  } else {
    GEOKG_ASSIGN_OR_RETURN(info, codec::DecodeStoreInfo(*info_bytes));
    if (info.format_version != kFormatVersion && info.format_version != kUpgradableFormatVersion) {
      return Status::VersionMismatch(
          path + " has store format version " + std::to_string(info.format_version) +
          ", this geokg reads version " + std::to_string(kFormatVersion) + " (created by " +
          info.created_by + "; re-create it with this version)");
    }
  }
  impl->found_format = info.format_version;
  impl->info = info;
  GEOKG_ASSIGN_OR_RETURN(auto gen_bytes, impl->Get(Cf::kMeta, kGenerationKey));
  if (!gen_bytes || gen_bytes->size() != 8) {
    return Status::Corruption(path + ": the generation counter is missing or malformed");
  }
  impl->generation = codec::GetBE64(gen_bytes->data());
  return std::unique_ptr<Store>(new Store(std::move(impl), path, info.store_id));
}

uint64_t Store::generation() const { return impl_->generation.load(); }
uint32_t Store::found_format_version() const { return impl_->found_format; }

uint32_t Store::format_version() const {
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  return impl_->info.format_version;
}

Status Store::UpgradeFormat() {
  if (impl_->read_only) return Status::InvalidArgument("the store is open read-only");
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  if (impl_->info.format_version == kFormatVersion) return Status::OK();
  codec::StoreInfo info = impl_->info;
  info.format_version = kFormatVersion;
  rocksdb::WriteOptions wo;
  wo.sync = true;
  GEOKG_RETURN_IF_ERROR(FromRocks(
      impl_->db->Put(wo, impl_->h(Cf::kMeta), ToSlice(kInfoKey), codec::EncodeStoreInfo(info)),
      "upgrading " + path_ + " to store format " + std::to_string(kFormatVersion)));
  impl_->info = info;
  return Status::OK();
}
rocksdb::DB* Store::raw_db() const { return impl_->db.get(); }
rocksdb::ColumnFamilyHandle* Store::cf(Cf which) const { return impl_->h(which); }

Status Store::BumpGeneration() {
  if (impl_->read_only) return Status::InvalidArgument("the store is open read-only");
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  std::string gen;
  codec::PutBE64(&gen, impl_->generation.load() + 1);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  GEOKG_RETURN_IF_ERROR(FromRocks(
      impl_->db->Put(wo, impl_->h(Cf::kMeta), ToSlice(kGenerationKey), gen), "bumping generation"));
  impl_->generation.fetch_add(1);
  return Status::OK();
}

Result<std::shared_ptr<const FactTable>> Store::TableOf(uint64_t table, NodeId node,
                                                        const FactTableMap* extra) const {
  if (extra != nullptr) {
    if (auto it = extra->find(table); it != extra->end()) return it->second;
  }
  {
    std::lock_guard<std::mutex> lock(impl_->tables_mu);
    if (auto it = impl_->tables.find(table); it != impl_->tables.end()) return it->second;
  }
  GEOKG_ASSIGN_OR_RETURN(auto bytes, impl_->Get(Cf::kMeta, codec::FactTableKey(table)));
  if (!bytes) {
    return Status::Corruption("node " + Hex(node) + ": compact fact names fact table " +
                              Hex(table) + ", which is not stored");
  }
  GEOKG_ASSIGN_OR_RETURN(FactTable decoded, codec::DecodeFactTable(*bytes, table));
  auto shared = std::make_shared<const FactTable>(std::move(decoded));
  std::lock_guard<std::mutex> lock(impl_->tables_mu);
  return impl_->tables.emplace(table, std::move(shared)).first->second;
}

Result<Node> Store::DecodeNodeValue(std::string_view value, NodeId id,
                                    const FactTableMap* extra) const {
  if (!codec::IsCompactFact(value)) return codec::DecodeNode(value, id);
  GEOKG_ASSIGN_OR_RETURN(codec::CompactFact fact, codec::DecodeCompactFact(value, id));
  GEOKG_ASSIGN_OR_RETURN(auto table, TableOf(fact.table, id, extra));
  return codec::ExpandCompactFact(fact, *table, id);
}

Result<codec::EventRoles> Store::DecodeEventRolesValue(std::string_view value, NodeId id,
                                                       const FactTableMap* extra) const {
  if (!codec::IsCompactFact(value)) return codec::DecodeEventRoles(value, id);
  GEOKG_ASSIGN_OR_RETURN(codec::CompactFact fact, codec::DecodeCompactFact(value, id));
  GEOKG_ASSIGN_OR_RETURN(auto table, TableOf(fact.table, id, extra));
  return codec::CompactFactRoles(fact, *table, id);
}

Result<std::optional<Node>> Store::GetNode(NodeId id) const {
  GEOKG_ASSIGN_OR_RETURN(auto bytes, impl_->Get(Cf::kNodes, codec::NodeKey(id)));
  if (!bytes) return std::optional<Node>();
  GEOKG_ASSIGN_OR_RETURN(Node node, DecodeNodeValue(*bytes, id));
  return std::optional<Node>(std::move(node));
}

Result<std::optional<NodeId>> Store::LookupKey(std::string_view user_key) const {
  // The kind the key's prefix names ("actor:..."), if any, first; then the others.
  std::vector<NodeKind> kinds;
  NodeKind named;
  if (ParseNodeKind(user_key.substr(0, user_key.find(':')), &named)) kinds.push_back(named);
  for (int k = 0; k < kNodeKindCount; ++k) {
    const NodeKind kind = static_cast<NodeKind>(k);
    if (kinds.empty() || kind != kinds.front()) kinds.push_back(kind);
  }
  for (NodeKind kind : kinds) {
    const NodeId id = MakeNodeId(kind, user_key);
    GEOKG_ASSIGN_OR_RETURN(auto bytes, impl_->Get(Cf::kNodes, codec::NodeKey(id)));
    if (!bytes) continue;
    GEOKG_ASSIGN_OR_RETURN(Node node, DecodeNodeValue(*bytes, id));
    if (node.key == user_key) return std::optional<NodeId>(id);  // else a hash collision
  }
  return std::optional<NodeId>();
}

Result<std::optional<Edge>> Store::GetEdgePayload(EdgeId id) const {
  GEOKG_ASSIGN_OR_RETURN(auto bytes, impl_->Get(Cf::kEdges, codec::EdgeKey(id)));
  if (!bytes) return std::optional<Edge>();
  GEOKG_ASSIGN_OR_RETURN(Edge e, codec::DecodeEdge(*bytes, id));
  return std::optional<Edge>(std::move(e));
}

Result<Edge> Store::LoadEdge(const AdjEntry& entry, Direction dir) const {
  if (entry.has_payload) {
    GEOKG_ASSIGN_OR_RETURN(auto payload, GetEdgePayload(entry.edge));
    if (!payload) {
      return Status::Corruption("adjacency entry of " + Hex(entry.node) + " names edge " +
                                Hex(entry.edge) + " whose payload is missing");
    }
    return std::move(*payload);
  }
  Edge e;
  e.id = entry.edge;
  e.type = entry.type;
  e.src = dir == Direction::kOut ? entry.node : entry.neighbor;
  e.dst = dir == Direction::kOut ? entry.neighbor : entry.node;
  e.validity.start = e.validity.end = entry.time;
  e.validity.precision =
      entry.time == kUnknownTime ? TimePrecision::kUnknown : TimePrecision::kSecond;
  e.status = entry.status;
  e.confidence = entry.confidence_pct / 100.0f;
  return e;
}

Result<std::vector<NodeId>> Store::FindByName(std::string_view name) const {
  std::vector<NodeId> out;
  std::string norm = NormalizeName(name);
  if (norm.empty()) return out;
  std::string prefix = codec::NamePrefix(norm);
  GEOKG_RETURN_IF_ERROR(impl_->Range(Cf::kNames, prefix, codec::PrefixSuccessor(prefix),
                                     [&](std::string_view key, std::string_view, Status* st) {
                                       std::string_view n;
                                       NodeId id;
                                       if (!codec::DecodeNameKey(key, &n, &id) ||
                                           !IsValidNodeId(id)) {
                                         *st = Status::Corruption("malformed name index key");
                                         return false;
                                       }
                                       out.push_back(id);
                                       return true;
                                     }));
  return out;
}

Status Store::ScanNames(const std::function<bool(std::string_view, NodeId)>& fn) const {
  return impl_->Range(Cf::kNames, "", "", [&](std::string_view key, std::string_view, Status* st) {
    std::string_view n;
    NodeId id;
    if (!codec::DecodeNameKey(key, &n, &id) || !IsValidNodeId(id)) {
      *st = Status::Corruption("malformed name index key");
      return false;
    }
    return fn(n, id);
  });
}

namespace {
// Calls fn on each entry of the page (key, value) with a time in [t1, t2], in order; false once
// fn asks to stop or the page is malformed (then *st is Corruption).
bool ScanPage(std::string_view key, std::string_view value, Time t1, Time t2,
              const std::function<bool(const AdjEntry&)>& fn, Status* st) {
  AdjPageReader page;
  *st = page.Open(key, value);
  if (!st->ok()) return false;
  AdjEntry e;
  for (size_t i = 0, n = page.size(); i < n; ++i) {
    if (!page.Get(i, &e)) {
      *st = page.BadRecord(i);
      return false;
    }
    if (e.time < t1 || e.time > t2) continue;
    if (!fn(e)) return false;
  }
  return true;
}
}  // namespace

namespace {
auto EntryOrder(const AdjEntry& e) {
  return std::make_tuple(static_cast<uint16_t>(e.type), e.time, e.neighbor, e.edge);
}

// Emits the stored entries of one node (through `stored`, which calls its argument for each,
// in order) merged in key order with `implied` (sorted; one equal to a stored entry is the
// stored one). False once fn asked to stop.
template <typename Stored>
Status MergeImplied(const std::vector<AdjEntry>& implied,
                    const std::function<bool(const AdjEntry&)>& fn, bool* stopped,
                    Stored&& stored) {
  size_t next = 0;
  Status s = stored([&](const AdjEntry& e) {
    for (; next < implied.size() && EntryOrder(implied[next]) <= EntryOrder(e); ++next) {
      if (EntryOrder(implied[next]) == EntryOrder(e)) continue;
      if (!fn(implied[next])) return *stopped = true, false;
    }
    if (!fn(e)) return *stopped = true, false;
    return true;
  });
  if (!s.ok() || *stopped) return s;
  for (; next < implied.size(); ++next) {
    if (!fn(implied[next])) return *stopped = true, Status::OK();
  }
  return Status::OK();
}
}  // namespace

Status Store::ImpliedInEntries(NodeId event, std::string_view value, const AdjQuery& query,
                               std::vector<AdjEntry>* out) const {
  out->clear();
  GEOKG_ASSIGN_OR_RETURN(codec::EventRoles roles, DecodeEventRolesValue(value, event));
  if (roles.participants.empty()) return Status::OK();
  ParticipantInEntries(event, roles, out);
  std::erase_if(*out, [&](const AdjEntry& e) {
    return (query.type && e.type != *query.type) || e.time < query.t1 || e.time > query.t2;
  });
  return Status::OK();
}

Status Store::ScanAdjacency(NodeId node, Direction dir, const AdjQuery& query,
                            const std::function<bool(const AdjEntry&)>& fn) const {
  Cf cf = dir == Direction::kOut ? Cf::kOut : Cf::kIn;
  std::string lower, upper;
  if (query.type) {
    lower = codec::AdjPageLower(node, *query.type, query.t1);
    upper = codec::AdjPageUpper(node, *query.type, query.t2);
  } else {
    lower = codec::AdjNodePrefix(node);
    upper = codec::PrefixSuccessor(lower);
  }
  auto stored = [&](const std::function<bool(const AdjEntry&)>& each) {
    return impl_->Range(cf, lower, upper, [&](std::string_view k, std::string_view v, Status* st) {
      return ScanPage(k, v, query.t1, query.t2, each, st);
    });
  };
  if (dir == Direction::kOut || KindOf(node) != NodeKind::kEvent) return stored(fn);
  std::vector<AdjEntry> implied;
  GEOKG_ASSIGN_OR_RETURN(auto value, impl_->Get(Cf::kNodes, codec::NodeKey(node)));
  if (value) GEOKG_RETURN_IF_ERROR(ImpliedInEntries(node, *value, query, &implied));
  if (implied.empty()) return stored(fn);
  bool stopped = false;
  return MergeImplied(implied, fn, &stopped, stored);
}

Status Store::WaitForCompactions(const std::function<void()>& tick) {
  if (impl_->read_only) return Status::OK();
  for (;;) {
    uint64_t busy = 0;
    for (int i = 0; i < kCfCount; ++i) {
      uint64_t pending = 0, running = 0;
      auto* h = impl_->h(static_cast<Cf>(i));
      if (!impl_->db->GetIntProperty(h, "rocksdb.compaction-pending", &pending) ||
          !impl_->db->GetIntProperty(h, "rocksdb.num-running-compactions", &running)) {
        return Status::IOError("cannot read the compaction state of " + path_);
      }
      busy += pending + running;
    }
    if (busy == 0) return Status::OK();
    // A failed compaction (disk full, I/O error) stays pending: report it instead of waiting.
    uint64_t errors = 0;
    if (impl_->db->GetIntProperty("rocksdb.background-errors", &errors) && errors > 0) {
      return Status::IOError("RocksDB failed compacting " + path_ +
                             " (the imported data is stored; the next write retries)");
    }
    if (tick) tick();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Status Store::ScanAllAdjacency(Direction dir,
                               const std::function<bool(const AdjEntry&)>& fn) const {
  Cf cf = dir == Direction::kOut ? Cf::kOut : Cf::kIn;
  auto pages = [&](const std::string& lower, const std::string& upper,
                   const std::function<bool(const AdjEntry&)>& each) {
    return impl_->Range(cf, lower, upper, [&](std::string_view k, std::string_view v, Status* st) {
      return ScanPage(k, v, kMinTime, kUnknownTime, each, st);
    });
  };
  if (dir == Direction::kOut) return pages("", "", fn);
  // In: the pages before the events, each event's pages merged with what its participants
  // imply (walking the events in id order), the pages after the events.
  const std::string first_event = codec::NodeKey(FirstIdOfKind(NodeKind::kEvent));
  const std::string end_event = codec::NodeKey(EndIdOfKind(NodeKind::kEvent));
  bool stopped = false;
  Status inner =
      pages("", first_event, [&](const AdjEntry& e) { return stopped = !fn(e), !stopped; });
  GEOKG_RETURN_IF_ERROR(inner);
  if (stopped) return Status::OK();
  // Events without participants keep their pages; pages of ids between two events with
  // participants are read as one range.
  std::string from = first_event;
  std::vector<AdjEntry> implied;
  GEOKG_RETURN_IF_ERROR(impl_->Range(
      Cf::kNodes, first_event, end_event, [&](std::string_view k, std::string_view v, Status* st) {
        NodeId id;
        if (!codec::DecodeNodeKey(k, &id)) {
          *st = Status::Corruption("malformed node key");
          return false;
        }
        *st = ImpliedInEntries(id, v, AdjQuery{}, &implied);
        if (!st->ok() || implied.empty()) return st->ok();
        const std::string prefix = codec::AdjNodePrefix(id);
        *st = pages(from, prefix, [&](const AdjEntry& e) { return stopped = !fn(e), !stopped; });
        if (!st->ok() || stopped) return false;
        from = codec::PrefixSuccessor(prefix);
        *st = MergeImplied(implied, fn, &stopped,
                           [&](const std::function<bool(const AdjEntry&)>& each) {
                             return pages(prefix, from, each);
                           });
        return st->ok() && !stopped;
      }));
  if (stopped) return Status::OK();
  return pages(from, "", fn);
}

Status Store::ScanNodes(NodeKind kind, const std::function<bool(const Node&)>& fn) const {
  return impl_->Range(Cf::kNodes, codec::NodeKey(FirstIdOfKind(kind)),
                      codec::NodeKey(EndIdOfKind(kind)),
                      [&](std::string_view k, std::string_view v, Status* st) {
                        NodeId id;
                        if (!codec::DecodeNodeKey(k, &id)) {
                          *st = Status::Corruption("malformed node key");
                          return false;
                        }
                        auto node = DecodeNodeValue(v, id);
                        if (!node.ok()) {
                          *st = node.status();
                          return false;
                        }
                        return fn(*node);
                      });
}

Status Store::ScanEventsByCode(
    std::string_view code_prefix, Time t1, Time t2,
    const std::function<bool(NodeId, std::string_view, Time)>& fn) const {
  // Skip-scan: within each code the pages are ordered by day, so seek to t1's day on entering a
  // code and jump to the next code once past t2's; the records of the first and last day are
  // checked against the window.
  const std::string prefix = codec::EventByCodePrefix(code_prefix);
  const std::string upper = codec::PrefixSuccessor(prefix);
  rocksdb::Slice ub(upper);
  std::unique_ptr<rocksdb::Iterator> it = impl_->Iter(Cf::kEventIndex, &ub);
  const int64_t d1 = codec::PageDay(t1), d2 = codec::PageDay(t2);
  EventPageReader page;
  std::string_view code;
  int64_t day = 0;
  Time time;
  NodeId id;
  it->Seek(prefix);
  while (it->Valid()) {
    const std::string_view key = ToView(it->key());
    if (!codec::DecodeEventPageKey(key, &code, &day)) {
      return Status::Corruption("malformed event index page key");
    }
    if (day < d1) {
      it->Seek(codec::EventPageKey(code, d1));
      continue;
    }
    if (day > d2) {
      it->Seek(codec::PrefixSuccessor(key.substr(0, 1 + codec::kCodeWidth)));
      continue;
    }
    GEOKG_RETURN_IF_ERROR(page.Open(key, ToView(it->value())));
    for (size_t i = 0, n = page.size(); i < n; ++i) {
      if (!page.Get(i, &time, &id)) return page.BadRecord(i);
      if (time < t1) continue;
      if (time > t2) break;
      if (!fn(id, page.code(), time)) return Status::OK();
    }
    it->Next();
  }
  return FromRocks(it->status(), "scanning event_index");
}

Status Store::ScanEventsByTime(Time t1, Time t2,
                               const std::function<bool(NodeId, Time)>& fn) const {
  // There is no index by time alone (format 2 dropped it: one key less per imported fact). The
  // code index is time-ordered within each code, so this merges one sorted run per code: it
  // finds the codes present by skip-scanning, reads a batch of each code's events from t1 on,
  // and repeatedly emits the earliest, reading a code's next batch (twice as large, up to a
  // cap) when its batch runs out. A batch is whole pages (days), at least its size in events
  // unless the run ends: a listing that stops after N events reads about N events per code (a
  // few hundred codes), or the code's first day if that holds more, not the whole window.
  struct Run {
    std::string prefix;  // 'c' | code, 0x00-padded: the prefix of the code's pages
    std::string resume;  // page key the next batch starts at; empty when the run is exhausted
    std::vector<std::pair<Time, NodeId>> batch;
    size_t pos = 0;
    size_t batch_size = 16;
  };
  const std::string upper = codec::PrefixSuccessor("c");
  rocksdb::Slice ub(upper);
  std::unique_ptr<rocksdb::Iterator> it = impl_->Iter(Cf::kEventIndex, &ub);
  EventPageReader page;
  Time time;
  NodeId id;
  auto fill = [&](Run* r) -> Status {
    r->batch.clear();
    r->pos = 0;
    it->Seek(r->resume);
    r->resume.clear();
    for (bool past = false; !past && it->Valid(); it->Next()) {
      const std::string_view key = ToView(it->key());
      if (key.substr(0, r->prefix.size()) != r->prefix) break;
      if (r->batch.size() >= r->batch_size) {
        r->resume.assign(key);
        break;
      }
      GEOKG_RETURN_IF_ERROR(page.Open(key, ToView(it->value())));
      for (size_t i = 0, n = page.size(); i < n; ++i) {
        if (!page.Get(i, &time, &id)) return page.BadRecord(i);
        if (time < t1) continue;
        if (time > t2) {
          past = true;
          break;
        }
        r->batch.emplace_back(time, id);
      }
    }
    r->batch_size = std::min<size_t>(r->batch_size * 2, 4096);
    return FromRocks(it->status(), "scanning event_index");
  };

  std::vector<Run> runs;
  std::string next_code = "c";
  std::string_view code;
  int64_t day = 0;
  for (;;) {
    it->Seek(next_code);
    if (!it->Valid()) break;
    const std::string_view key = ToView(it->key());
    if (!codec::DecodeEventPageKey(key, &code, &day)) {
      return Status::Corruption("malformed event index page key");
    }
    Run r;
    r.prefix.assign(key.substr(0, 1 + codec::kCodeWidth));
    next_code = codec::PrefixSuccessor(r.prefix);
    r.resume = codec::EventPageKey(code, codec::PageDay(t1));
    GEOKG_RETURN_IF_ERROR(fill(&r));
    if (!r.batch.empty()) runs.push_back(std::move(r));
  }
  GEOKG_RETURN_IF_ERROR(FromRocks(it->status(), "scanning event_index"));

  // Min-heap of run indexes by their current entry: (time, id) is the order of the keys.
  auto later = [&](size_t a, size_t b) {
    return runs[a].batch[runs[a].pos] > runs[b].batch[runs[b].pos];
  };
  std::vector<size_t> heap(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) heap[i] = i;
  std::make_heap(heap.begin(), heap.end(), later);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    Run& r = runs[heap.back()];
    const auto [t, event] = r.batch[r.pos++];
    if (!fn(event, t)) return Status::OK();
    if (r.pos == r.batch.size()) {
      if (!r.resume.empty()) GEOKG_RETURN_IF_ERROR(fill(&r));
      if (r.pos == r.batch.size()) {
        heap.pop_back();
        continue;
      }
    }
    std::push_heap(heap.begin(), heap.end(), later);
  }
  return Status::OK();
}

Result<StoreStats> Store::ComputeStats() const {
  StoreStats stats;
  stats.generation = generation();
  GEOKG_RETURN_IF_ERROR(
      impl_->Range(Cf::kNodes, "", "", [&](std::string_view k, std::string_view, Status* st) {
        NodeId id;
        if (!codec::DecodeNodeKey(k, &id) || !IsValidNodeId(id)) {
          *st = Status::Corruption("malformed node key");
          return false;
        }
        ++stats.nodes_by_kind[static_cast<int>(KindOf(id))];
        return true;
      }));
  GEOKG_RETURN_IF_ERROR(ScanAllAdjacency(Direction::kOut, [&](const AdjEntry& e) {
    ++stats.edges_by_type[static_cast<int>(e.type)];
    return true;
  }));
  GEOKG_RETURN_IF_ERROR(
      impl_->Range(Cf::kNames, "", "", [&](std::string_view, std::string_view, Status*) {
        ++stats.names;
        return true;
      }));
  return stats;
}

namespace {

Status ValidateNode(const Node& n) {
  if (n.key.empty()) return Status::InvalidArgument("a node has an empty key");
  if (n.id != MakeNodeId(n.kind(), n.key)) {
    return Status::InvalidArgument("node '" + n.key + "' has an id that does not match its key");
  }
  return Status::OK();
}

Status ValidateEdge(const Edge& e) {
  const EdgeTypeInfo& info = InfoOf(e.type);
  std::string what = "edge " + std::string(info.name) + " " + Hex(e.src) + " -> " + Hex(e.dst);
  if (!IsValidNodeId(e.src) || !IsValidNodeId(e.dst)) {
    return Status::InvalidArgument(what + ": invalid endpoint id");
  }
  if (KindOf(e.src) != info.src_kind || KindOf(e.dst) != info.dst_kind) {
    return Status::InvalidArgument(what + ": joins a " + std::string(NodeKindName(KindOf(e.src))) +
                                   " to a " + std::string(NodeKindName(KindOf(e.dst))) + ", but " +
                                   std::string(info.name) + " joins a " +
                                   std::string(NodeKindName(info.src_kind)) + " to a " +
                                   std::string(NodeKindName(info.dst_kind)));
  }
  if (e.id == 0) return Status::InvalidArgument(what + ": edge id 0");
  return Status::OK();
}

}  // namespace

Result<WriteSummary> Store::Write(const WriteBatch& batch) {
  if (impl_->read_only) return Status::InvalidArgument("the store is open read-only");
  std::lock_guard<std::mutex> lock(impl_->write_mu);
  WriteSummary summary;

  // --- validate everything before touching anything ---
  std::unordered_set<NodeId> batch_nodes;
  for (const Node& n : batch.nodes_) {
    GEOKG_RETURN_IF_ERROR(ValidateNode(n));
    if (!batch_nodes.insert(n.id).second) {
      return Status::InvalidArgument("node '" + n.key + "' appears twice in one batch");
    }
  }
  auto node_exists = [&](NodeId id) -> Result<bool> {
    if (batch_nodes.count(id)) return true;
    GEOKG_ASSIGN_OR_RETURN(auto v, impl_->Get(Cf::kNodes, codec::NodeKey(id)));
    return v.has_value();
  };
  std::unordered_set<EdgeId> batch_edges;
  auto check_edge = [&](const Edge& e) -> Status {
    GEOKG_RETURN_IF_ERROR(ValidateEdge(e));
    if (!batch_edges.insert(e.id).second) {
      return Status::InvalidArgument("edge " + Hex(e.id) + " appears twice in one batch");
    }
    for (NodeId end : {e.src, e.dst}) {
      GEOKG_ASSIGN_OR_RETURN(bool ok, node_exists(end));
      if (!ok) {
        return Status::InvalidArgument("edge " + std::string(EdgeTypeName(e.type)) +
                                       " refers to node " + Hex(end) + ", which does not exist");
      }
    }
    return Status::OK();
  };
  for (const Node& n : batch.nodes_) {
    const auto* ev = std::get_if<Event>(&n.body);
    if (ev == nullptr) continue;
    for (size_t i = 0; i < ev->participants.size(); ++i) {
      const Participant& p = ev->participants[i];
      if (!IsRole(p.role) || !IsValidNodeId(p.actor) || KindOf(p.actor) != NodeKind::kActor ||
          (i > 0 && !(ev->participants[i - 1] < p))) {
        return Status::InvalidArgument("event '" + n.key +
                                       "' has participants that are not sorted, unique roles of "
                                       "actors");
      }
      GEOKG_ASSIGN_OR_RETURN(bool ok, node_exists(p.actor));
      if (!ok) {
        return Status::InvalidArgument("event '" + n.key + "' names participant " + Hex(p.actor) +
                                       ", which does not exist");
      }
    }
  }
  for (const auto& owned : batch.owned_) {
    GEOKG_ASSIGN_OR_RETURN(bool ok, node_exists(owned.owner));
    if (!ok) return Status::InvalidArgument("owner " + Hex(owned.owner) + " does not exist");
    for (const Edge& e : owned.edges) {
      if (e.owner != owned.owner || e.id != MakeOwnedEdgeId(e.owner, e.type, e.src, e.dst)) {
        return Status::InvalidArgument("owned edge " + Hex(e.id) + " has a wrong owner or id");
      }
      GEOKG_RETURN_IF_ERROR(check_edge(e));
    }
  }
  for (const Edge& e : batch.edges_) {
    if (e.key.empty() || e.id != MakeKeyedEdgeId(e.key)) {
      return Status::InvalidArgument("standalone edge " + Hex(e.id) + " needs a key and its id");
    }
    GEOKG_RETURN_IF_ERROR(check_edge(e));
  }

  // --- compute the RocksDB batch ---
  rocksdb::WriteBatch wb;
  // Entries of the paged families (adjacency, event index) are edits of their pages, applied to
  // the stored pages at the end; the last edit of an entry wins, as in a WriteBatch.
  std::map<std::pair<Cf, std::string>, std::map<std::string, PageEdit>> page_edits;
  auto edit_page = [&](Cf cf, std::string_view entry, std::string_view value, bool is_delete) {
    const codec::PageLayout& layout = *PageLayoutOf(cf);
    char page[codec::kMaxPageKeySize];
    codec::PageKeyOfEntry(layout, entry.data(), page);
    PageEdit edit = MakePageEdit(layout, entry.data(), value.data(), is_delete);
    page_edits[{cf, std::string(page, layout.page_key_size())}]
              [std::string(edit.record, layout.record_key_size())] = edit;
  };
  auto del_edge_keys = [&](const Edge& old) {
    EdgeEntries(old, /*with_payload=*/true, [&](Cf cf, std::string_view key, std::string_view) {
      if (PageLayoutOf(cf) != nullptr) {
        edit_page(cf, key, {}, /*is_delete=*/true);
      } else {
        wb.Delete(impl_->h(cf), ToSlice(key));
      }
    });
  };
  EntrySink put = [&](Cf cf, std::string_view key, std::string_view value) {
    if (PageLayoutOf(cf) != nullptr) {
      edit_page(cf, key, value, /*is_delete=*/false);
    } else {
      wb.Put(impl_->h(cf), ToSlice(key), ToSlice(value));
    }
  };
  auto put_edge = [&](const Edge& e) { EdgeEntries(e, /*with_payload=*/true, put); };
  // Writes `e` over `old` (if any), counting what changed.
  auto upsert_edge = [&](const Edge& e, const std::optional<Edge>& old) {
    if (old && *old == e) {
      ++summary.edges_unchanged;
      return;
    }
    if (old) {
      del_edge_keys(*old);
      ++summary.edges_updated;
    } else {
      ++summary.edges_added;
    }
    put_edge(e);
  };

  for (const Node& n : batch.nodes_) {
    GEOKG_ASSIGN_OR_RETURN(auto old, GetNode(n.id));
    if (old && *old == n) {
      ++summary.nodes_unchanged;
      continue;
    }
    std::set<std::string> new_names = IndexedNamesOf(n);
    std::vector<std::string> new_index = EventIndexKeysOf(n);
    if (old) {
      ++summary.nodes_updated;
      for (const auto& name : IndexedNamesOf(*old)) {
        if (!new_names.count(name)) wb.Delete(impl_->h(Cf::kNames), codec::NameKey(name, n.id));
      }
      for (const auto& k : EventIndexKeysOf(*old)) {
        if (std::find(new_index.begin(), new_index.end(), k) == new_index.end()) {
          edit_page(Cf::kEventIndex, k, {}, /*is_delete=*/true);
        }
      }
      // Participants the new value drops (or moves in time): their `out` entries go.
      for (const auto& k : ParticipantOutKeys(*old)) {
        edit_page(Cf::kOut, k, {}, /*is_delete=*/true);
      }
    } else {
      ++summary.nodes_added;
    }
    NodeEntries(n, put);
  }

  for (const auto& owned : batch.owned_) {
    // Current edges owned by this node: they touch it, so they are in its adjacency.
    std::unordered_map<EdgeId, Edge> current;
    for (Direction dir : {Direction::kOut, Direction::kIn}) {
      Status inner = Status::OK();
      GEOKG_RETURN_IF_ERROR(ScanAdjacency(owned.owner, dir, AdjQuery{}, [&](const AdjEntry& a) {
        if (!a.has_payload || current.count(a.edge)) return true;
        auto payload = GetEdgePayload(a.edge);
        if (!payload.ok()) {
          inner = payload.status();
          return false;
        }
        if (*payload && (*payload)->owner == owned.owner) current.emplace(a.edge, **payload);
        return true;
      }));
      GEOKG_RETURN_IF_ERROR(inner);
    }
    for (const Edge& e : owned.edges) {
      auto it = current.find(e.id);
      std::optional<Edge> old;
      if (it != current.end()) {
        old = it->second;
        current.erase(it);
      }
      upsert_edge(e, old);
    }
    for (const auto& [id, stale] : current) {
      del_edge_keys(stale);
      ++summary.edges_deleted;
    }
  }

  for (const Edge& e : batch.edges_) {
    GEOKG_ASSIGN_OR_RETURN(auto old, GetEdgePayload(e.id));
    upsert_edge(e, old);
  }

  std::vector<PageEdit> edits;
  std::string records;
  for (const auto& [where, by_record] : page_edits) {
    const auto& [cf, key] = where;
    GEOKG_ASSIGN_OR_RETURN(auto stored, impl_->Get(cf, key));
    std::string_view stored_records;
    if (stored) GEOKG_RETURN_IF_ERROR(ValidateStoredPage(cf, key, *stored, &stored_records));
    edits.clear();
    for (const auto& [record_key, edit] : by_record) edits.push_back(edit);
    ApplyPageEdits(*PageLayoutOf(cf), stored_records, edits, &records);
    if (records.empty()) {
      if (stored) wb.Delete(impl_->h(cf), ToSlice(key));
    } else if (!stored || records != *stored) {
      wb.Put(impl_->h(cf), ToSlice(key), ToSlice(records));
    }
  }

  if (!summary.changed()) return summary;
  std::string gen;
  codec::PutBE64(&gen, impl_->generation.load() + 1);
  wb.Put(impl_->h(Cf::kMeta), ToSlice(kGenerationKey), gen);
  // A format-4 store becomes a format-5 one with its first change (kUpgradableFormatVersion).
  codec::StoreInfo info = impl_->info;
  info.format_version = kFormatVersion;
  if (impl_->info.format_version != kFormatVersion) {
    wb.Put(impl_->h(Cf::kMeta), ToSlice(kInfoKey), codec::EncodeStoreInfo(info));
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  GEOKG_RETURN_IF_ERROR(FromRocks(impl_->db->Write(wo, &wb), "writing to " + path_));
  impl_->generation.fetch_add(1);
  impl_->info = info;
  return summary;
}

}  // namespace geokg::storage
