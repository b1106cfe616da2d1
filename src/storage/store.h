#pragma once
// Store: the RocksDB-backed event graph (the only user of rocksdb/* with storage/bulk_writer.h).
// Column families and their byte layouts are in codec/key_codec.h and docs/storage.md. A Store
// is a move-only resource; all const methods are safe to call from several threads, Write() is
// serialized internally. Every value read back is validated: malformed bytes yield Corruption,
// never a crash. Writes go through Write(batch), atomically, both adjacency directions at once.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/value_codec.h"
#include "model/fact_table.h"
#include "model/types.h"
#include "util/status.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace geokg::storage {

// Bumped whenever the key layout or value encoding changes incompatibly.
inline constexpr uint32_t kFormatVersion = 5;
// The earlier format this version still opens: format 5 only adds a value form (compact facts,
// docs/storage.md) to format 4, so a format-4 store reads as it is. The first write that changes
// it upgrades it to kFormatVersion (an older geokg must not open what may then hold compact
// facts); until then it is left as it is.
inline constexpr uint32_t kUpgradableFormatVersion = 4;

enum class Cf : int { kDefault = 0, kMeta, kNodes, kOut, kIn, kEdges, kNames, kEventIndex };
inline constexpr int kCfCount = 8;
std::string_view CfName(Cf cf);

enum class Direction : uint8_t { kOut, kIn };

struct OpenOptions {
  bool create_if_missing = false;  // create an empty store (with format version) if none exists
  bool read_only = false;
  bool error_if_exists = false;
};

// One adjacency entry: a record of an `out` or `in` page, or one that an event's participants
// imply (codec/key_codec.h, storage/pages.h).
struct AdjEntry {
  NodeId node = kNoNode;  // whose adjacency (src for out, dst for in)
  EdgeType type = EdgeType::kRelatedTo;
  Time time = kUnknownTime;  // the edge's validity start
  NodeId neighbor = kNoNode;
  EdgeId edge = 0;
  FactStatus status = FactStatus::kUnknown;
  uint8_t confidence_pct = 100;
  bool has_payload = false;
};

// Which adjacency entries a scan returns. With `type` set and a time window, the scan is one
// contiguous key range; without `type` it walks the node's whole adjacency prefix.
struct AdjQuery {
  std::optional<EdgeType> type;
  Time t1 = kMinTime;      // inclusive
  Time t2 = kUnknownTime;  // inclusive; kUnknownTime (the default) also returns undated edges
};

// Counts by kind and type, computed by scanning (exact).
struct StoreStats {
  uint64_t nodes_by_kind[kNodeKindCount] = {};
  uint64_t edges_by_type[kEdgeTypeCount] = {};
  uint64_t names = 0;
  uint64_t generation = 0;
  uint64_t nodes() const;
  uint64_t edges() const;
};

// What a Write changed. Writing a value equal to the stored one counts as unchanged.
struct WriteSummary {
  uint64_t nodes_added = 0, nodes_updated = 0, nodes_unchanged = 0, nodes_deleted = 0;
  uint64_t edges_added = 0, edges_updated = 0, edges_unchanged = 0, edges_deleted = 0;
  bool changed() const {
    return nodes_added + nodes_updated + nodes_deleted + edges_added + edges_updated +
               edges_deleted >
           0;
  }
};

// A set of logical mutations, applied atomically by Store::Write.
class WriteBatch {
 public:
  // Insert or replace `node` (node.id must equal MakeNodeId(kind, key)). Stale index entries
  // (old names, old event time/code) are removed.
  void PutNode(Node node) { nodes_.push_back(std::move(node)); }
  // Make the edges owned by `owner` exactly `edges` (each with owner == `owner` and an id from
  // MakeOwnedEdgeId): new ones are added, changed ones rewritten, the others deleted.
  void SetOwnedEdges(NodeId owner, std::vector<Edge> edges) {
    owned_.push_back({owner, std::move(edges)});
  }
  // Insert or replace a standalone edge (edge.id == MakeKeyedEdgeId(edge.key)).
  void PutEdge(Edge edge) { edges_.push_back(std::move(edge)); }
  bool empty() const { return nodes_.empty() && owned_.empty() && edges_.empty(); }

 private:
  friend class Store;
  struct Owned {
    NodeId owner;
    std::vector<Edge> edges;
  };
  std::vector<Node> nodes_;
  std::vector<Owned> owned_;
  std::vector<Edge> edges_;
};

class Store {
 public:
  // Opens (or with create_if_missing, creates) the store at `path`. Errors: IOError (cannot
  // open), InvalidArgument (not a geokg store / no store and not creating), VersionMismatch
  // (stored format version neither kFormatVersion nor kUpgradableFormatVersion), Corruption.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, const OpenOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }
  // Increases with every write that changed something; a snapshot built at generation g is
  // current while generation() == g. Also returned by StoreId() for cache keys.
  uint64_t generation() const;
  uint64_t store_id() const { return store_id_; }
  // The store's format version: kFormatVersion, or kUpgradableFormatVersion until a write
  // upgrades it (Write, and BulkWriter before it ingests: UpgradeFormat).
  uint32_t format_version() const;
  // The format version the store had when it was opened.
  uint32_t found_format_version() const;
  // Makes a format-4 store a format-5 one (its info rewritten, synced) before a write that changes
  // it; nothing for a format-5 store. InvalidArgument when open read-only.
  Status UpgradeFormat();

  // --- point reads ------------------------------------------------------------------------------
  Result<std::optional<Node>> GetNode(NodeId id) const;
  // The node whose user key is `user_key`. Ids are hashes of kind and key, so this reads the id
  // of the kind the key's prefix names ("actor:...") and then those of the other kinds, and
  // checks the stored key (a hash collision is not a match).
  Result<std::optional<NodeId>> LookupKey(std::string_view user_key) const;
  // The stored payload of an edge, or nullopt if none is stored (bulk-imported role edges).
  Result<std::optional<Edge>> GetEdgePayload(EdgeId id) const;
  // The full edge behind an adjacency entry: its payload if stored, else an Edge built from the
  // entry (provenance empty; the event node carries it).
  Result<Edge> LoadEdge(const AdjEntry& entry, Direction dir) const;

  // --- names
  // -------------------------------------------------------------------------------------- Ids of
  // the nodes (actors, items) whose name or an alias normalizes like `name`.
  Result<std::vector<NodeId>> FindByName(std::string_view name) const;
  // Every (normalized name, id) pair in order; fn returns false to stop.
  Status ScanNames(const std::function<bool(std::string_view normalized, NodeId id)>& fn) const;

  // --- scans
  // ---------------------------------------------------------------------------------------
  // Adjacency of `node` in direction `dir`, in key order (type, time, neighbour); fn returns
  // false to stop. Malformed keys or values yield Corruption. The `in` side of an event includes
  // the role edges its participants imply (Event::participants), read from the event's value.
  Status ScanAdjacency(NodeId node, Direction dir, const AdjQuery& query,
                       const std::function<bool(const AdjEntry&)>& fn) const;
  // Every adjacency entry of the store in one direction, in key order (for snapshot builds);
  // `in` includes the entries events' participants imply.
  Status ScanAllAdjacency(Direction dir, const std::function<bool(const AdjEntry&)>& fn) const;
  // All nodes of one kind, in id order.
  Status ScanNodes(NodeKind kind, const std::function<bool(const Node&)>& fn) const;
  // Events whose CAMEO code starts with `code_prefix` ("" = all) and whose time start is in
  // [t1, t2], by code then time, then id; fn gets (event id, code, time), the code valid only
  // during the call. A malformed event index page yields Corruption naming it.
  Status ScanEventsByCode(std::string_view code_prefix, Time t1, Time t2,
                          const std::function<bool(NodeId, std::string_view, Time)>& fn) const;
  // Events whose time start is in [t1, t2], in (time, id) order. Corruption as above.
  Status ScanEventsByTime(Time t1, Time t2, const std::function<bool(NodeId, Time)>& fn) const;

  Result<StoreStats> ComputeStats() const;

  // --- writes
  // ------------------------------------------------------------------------------------- Applies
  // `batch` atomically (one RocksDB WriteBatch: nodes, both adjacency directions, payloads and
  // indexes). Validates ids and kinds first (InvalidArgument, nothing written).
  Result<WriteSummary> Write(const WriteBatch& batch);

  // Blocks until RocksDB has no compaction pending or running (polling every 10 ms), calling
  // `tick` (if given) on each poll; returns at once when nothing is pending. Compactions follow
  // flushes and bulk ingests over data already stored; a process that closes the store first
  // abandons them, and later read-only opens (every query) read the uncompacted files. IOError
  // if the state cannot be read or RocksDB reports a failed background job.
  Status WaitForCompactions(const std::function<void()>& tick = {});

  // --- values of the nodes family ----------------------------------------------------------------
  // Decodes the value stored under node `id`, in either form: a packed Node, or a compact fact
  // (codec/fact_codec.h) whose table is looked up in `extra` (may be null: a BulkWriter's tables,
  // not yet stored) and then in the `meta` family, through a cache (tables never change once
  // stored). Corruption for bad bytes, a table that is missing or damaged, or a fact that does
  // not fit its table.
  Result<Node> DecodeNodeValue(std::string_view value, NodeId id,
                               const FactTableMap* extra = nullptr) const;
  // codec::DecodeEventRoles for either form, as above.
  Result<codec::EventRoles> DecodeEventRolesValue(std::string_view value, NodeId id,
                                                  const FactTableMap* extra = nullptr) const;

  // --- for storage/bulk_writer only
  // ---------------------------------------------------------------
  rocksdb::DB* raw_db() const;
  rocksdb::ColumnFamilyHandle* cf(Cf which) const;
  // Records that the store changed outside Write() (after an ingest).
  Status BumpGeneration();

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl, std::string path, uint64_t store_id);
  // The table of a compact fact stored under `node`: `extra`, then the cache, then `meta`.
  Result<std::shared_ptr<const FactTable>> TableOf(uint64_t table, NodeId node,
                                                   const FactTableMap* extra) const;
  // The `in` entries that the participants of the event stored as `value` imply, within `query`.
  Status ImpliedInEntries(NodeId event, std::string_view value, const AdjQuery& query,
                          std::vector<AdjEntry>* out) const;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  uint64_t store_id_ = 0;
};

}  // namespace geokg::storage
