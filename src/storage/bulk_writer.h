#pragma once
// BulkWriter: the fast write path for large imports. Entries are buffered per column family in
// memory up to a budget; a full buffer is sorted and written to an SST file (rocksdb
// SstFileWriter) in a temporary directory inside the store, on background threads (up to two
// at a time, so that on two cores parsing and SST writing overlap and the last buffers are
// written in parallel); Finish() ingests every file in one atomic IngestExternalFiles call and
// bumps the store generation. Memory is bounded by the budget whatever the input size (buffers
// being written count until their file is done). Nothing is visible in the store before
// Finish(); Abort() (or destruction without Finish) deletes the temporary files and leaves the
// store unchanged.
// Later entries win over earlier ones with the same key (as with successive Puts). Unlike
// Store::Write, nothing stale is removed implicitly: callers replacing a record whose indexed
// fields changed must Delete() the old entries (storage/index_entries.h lists them).
// Not thread-safe; one BulkWriter per store at a time, with no concurrent Store::Write.

#include <cstddef>
#include <cstdint>
#include <deque>
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
  // Buffers sorted and written to SST files at the same time, on their own threads (>= 1).
  int writer_threads = 2;
};

struct BulkStats {
  uint64_t entries = 0;                      // Put/Delete calls
  uint64_t written = 0;                      // entries written to SST files (duplicates removed)
  uint64_t duplicates = 0;                   // entries dropped because a later one had the same key
  uint64_t duplicates_by_cf[kCfCount] = {};  // the same, per column family (within one file)
  uint64_t files = 0;                        // SST files written
  uint64_t file_bytes = 0;
  uint64_t spills = 0;  // buffers written because the budget was reached
  // sort and write: CPU seconds of the writer threads, summed (they overlap with each other and
  // with the caller); ingest: wall; wait: wall time the caller was blocked on writer threads.
  double sort_seconds = 0, write_seconds = 0, ingest_seconds = 0, wait_seconds = 0;
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
  // One buffered entry; the key and value bytes live in the buffer's arena. 32 bytes, sorted in
  // place by the writer thread.
  struct Entry {
    uint64_t word[2];  // 16 key bytes picked by the sort (see the .cc), big-endian; sort only
    uint64_t offset;   // arena position: chunk << 32 | offset in chunk (grows with insertion)
    uint32_t key_len;
    uint32_t value_len;  // kDeleteBit set for a deletion
  };
  static constexpr uint32_t kDeleteBit = uint32_t{1} << 31;
  struct Buffer {
    // Fixed-size chunks (an entry never straddles two), so that growing never copies.
    std::vector<std::unique_ptr<char[]>> chunks;
    size_t chunk_used = 0, chunk_cap = 0;  // of chunks.back()
    size_t bytes = 0;                      // key and value bytes stored
    std::vector<Entry> entries;
    size_t expected_entries = 0;     // entries of the last spill: reserved up front next time
    std::vector<std::string> files;  // in write order
    size_t footprint() const { return bytes + entries.size() * sizeof(Entry); }
  };

  // A buffer handed to a writer thread.
  struct Spilled {
    Cf cf;
    std::string path;
    std::vector<std::unique_ptr<char[]>> chunks;
    std::vector<Entry> entries;
    size_t footprint = 0;
    BulkStats stats;  // its share: written, duplicates, files, bytes, seconds
    std::future<Status> done;
  };

  BulkWriter(Store* store, BulkOptions options, std::string dir);
  Status Add(Cf cf, std::string_view key, std::string_view value, bool is_delete);
  // Moves buffer `cf` out and writes it to its next file, on a writer thread when `async`.
  Status Spill(int cf, bool async);
  Status MaybeSpill();
  // Waits for the oldest spill in flight (if any) and accounts for it.
  Status WaitForOldest();
  Status WaitForAll();
  static Status WriteFile(Store* store, Spilled* s);

  Store* store_;
  BulkOptions options_;
  std::string dir_;
  size_t chunk_size_;
  Buffer buffers_[kCfCount];
  size_t buffered_ = 0;  // filling buffers and spills in flight
  uint64_t file_counter_ = 0;
  bool done_ = false;
  Status sticky_;  // first error from a sink callback
  // Spills being sorted and written in the background, oldest first. Their bytes stay in
  // buffered_ until they are done, so the budget bounds everything together.
  std::deque<std::unique_ptr<Spilled>> inflight_;
  BulkStats stats_;
};

}  // namespace geokg::storage
