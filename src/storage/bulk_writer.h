#pragma once
// BulkWriter: the fast write path for large imports. Entries are buffered per column family in
// memory up to a budget; a full buffer is sorted and written to an SST file (rocksdb
// SstFileWriter) in a temporary directory inside the store; Finish() ingests the files
// (IngestExternalFiles) and bumps the store generation. Memory is bounded by the budget whatever
// the input size. Nothing is visible in the store before Finish(); Abort() (or destruction
// without Finish) deletes the temporary files and leaves the store unchanged.
// Later entries win over earlier ones with the same key (as with successive Puts). Unlike
// Store::Write, nothing stale is removed implicitly: callers replacing a record whose indexed
// fields changed must Delete() the old entries (storage/index_entries.h lists them).
// Not thread-safe; one BulkWriter per store at a time, with no concurrent Store::Write.

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/types.h"
#include "storage/store.h"
#include "util/status.h"

namespace geokg::storage {

struct BulkOptions {
  // Bytes of buffered keys, values and bookkeeping, over all column families.
  size_t memory_budget = size_t{64} << 20;
};

struct BulkStats {
  uint64_t entries = 0;                      // Put/Delete calls
  uint64_t written = 0;                      // entries written to SST files (duplicates removed)
  uint64_t duplicates = 0;                   // entries dropped because a later one had the same key
  uint64_t duplicates_by_cf[kCfCount] = {};  // the same, per column family (within one file)
  uint64_t files = 0;                        // SST files written
  uint64_t file_bytes = 0;
  uint64_t spills = 0;  // buffers written because the budget was reached
  double sort_seconds = 0, write_seconds = 0, ingest_seconds = 0;
};

class BulkWriter {
 public:
  // Errors: InvalidArgument (store open read-only), IOError (cannot create the temp directory).
  static Result<std::unique_ptr<BulkWriter>> Create(Store* store, const BulkOptions& options = {});
  ~BulkWriter();
  BulkWriter(const BulkWriter&) = delete;
  BulkWriter& operator=(const BulkWriter&) = delete;

  // Buffer one entry; may spill a buffer to disk (IOError on failure).
  Status Put(Cf cf, std::string_view key, std::string_view value);
  Status Delete(Cf cf, std::string_view key);
  // Every entry of `node` (value, user key, names, event index), as Store::Write writes them.
  Status PutNode(const Node& node);
  // The out/in adjacency entries of `edge`, and its payload when `with_payload`.
  Status PutEdge(const Edge& edge, bool with_payload);

  // Reads the value stored under `key` in the store as it was before this writer's entries
  // (buffered entries are not visible). nullopt when absent.
  Result<std::optional<std::string>> GetStored(Cf cf, std::string_view key) const;

  // Writes the remaining buffers, ingests every file and bumps the store generation (when
  // anything was written). The writer cannot be used afterwards.
  Status Finish();
  // Drops everything buffered or written; the store is unchanged.
  void Abort();

  const BulkStats& stats() const { return stats_; }
  // Current buffered bytes (for tests of the budget).
  size_t buffered_bytes() const { return buffered_; }

 private:
  struct Entry {
    uint64_t prefix;   // the key's first 8 bytes, big-endian, zero-padded: most comparisons
    uint64_t prefix2;  // bytes 8..15, likewise (adjacency keys share a node's 8-byte prefix)
    uint64_t offset;   // of the key in the arena; the value follows it
    uint32_t key_len;
    uint32_t value_len;
    uint32_t seq;
    bool is_delete;
  };
  struct Buffer {
    std::string arena;
    std::vector<Entry> entries;
    std::vector<std::string> files;  // in write order
    size_t footprint() const { return arena.size() + entries.size() * sizeof(Entry); }
  };

  // A buffer handed to the spill thread.
  struct Spilled {
    std::string arena;
    std::vector<Entry> entries;
    size_t footprint = 0;
    BulkStats stats;  // its share: written, duplicates, files, bytes, seconds
  };

  BulkWriter(Store* store, BulkOptions options, std::string dir);
  Status Add(Cf cf, std::string_view key, std::string_view value, bool is_delete);
  // Moves buffer `cf` out and writes it to its next file, on the spill thread when `async`.
  Status Spill(int cf, bool async);
  Status MaybeSpill();
  // Waits for the spill in flight (if any) and accounts for it.
  Status WaitForSpill();
  static Status WriteFile(Store* store, Cf cf, const std::string& path, Spilled* s);

  Store* store_;
  BulkOptions options_;
  std::string dir_;
  Buffer buffers_[kCfCount];
  size_t buffered_ = 0;
  uint64_t file_counter_ = 0;
  bool done_ = false;
  Status sticky_;  // first error from a sink callback
  // At most one buffer is being sorted and written in the background while the caller fills the
  // others: parsing and SST writing overlap on two cores. Its bytes stay in buffered_ until it
  // is done, so the budget bounds both together.
  std::future<Status> inflight_;
  std::unique_ptr<Spilled> inflight_data_;
  BulkStats stats_;
};

}  // namespace geokg::storage
