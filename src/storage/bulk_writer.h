#pragma once
// BulkWriter: the fast write path for large imports. Entries are buffered per column family in
// memory up to a budget; a full buffer is sorted and written as a sorted run (a temporary file
// of our own, storage/sorted_run.h, in a directory inside the store) on a background thread (up
// to two at a time, so that on two cores parsing and writing overlap). Finish() merges each
// family's runs and its last buffer into SST files that do not overlap each other (on the
// writer threads, several families or key ranges at once), ingests them all in one atomic
// IngestExternalFiles call and bumps the store generation; in an empty family the files go
// straight to the bottom level, so nothing is left to compact. Memory is bounded by the budget
// whatever the input size (buffers being written count until their run is done; Finish keeps a
// quarter of the budget for the merge's read buffers). Nothing is visible in the store before
// Finish(); Abort() (or destruction without Finish, or a failed Finish) deletes the temporary
// files and leaves the store unchanged.
// Later entries win over earlier ones with the same key (as with successive Puts), however far
// apart. A node put more than once leaves only its last version's entries: what an earlier
// version derived in the other families (storage/index_entries.h) and the last does not is
// deleted in Finish() (so what goes into `nodes` must be encoded nodes: Corruption otherwise).
// The store's own version of a node counts as the oldest: a node equal to it is not written, and
// what only the stored version derived is deleted, as Store::Write does. A page that ends up as
// stored is not written either, so writing what the store holds writes nothing.
// The paged families take entries by entry key, Put or Delete: `out` and `in` a 34-byte key with
// a 3-byte AdjValue, `event_index` a 21-byte key with an empty value. Finish() writes each day's
// page of them, merged with the page the store holds (codec/key_codec.h, storage/pages.h). Other
// sizes are InvalidArgument.
// Facts (PutFact) are nodes buffered as 40-byte records instead of their ~200 encoded bytes: the
// record is expanded into its node by its FactTemplate, and encoded, only when Finish() writes
// it, on the merge threads; a template that is a FactTable has its facts written as compact
// values naming the table (codec/fact_codec.h), which Finish() stores in `meta` when a written
// fact names it. An event fact's other entries (its event-index entry and its participants'
// `out` entries) are not buffered at all: Finish() derives them from the final version of each
// fact as it merges those families (FactTemplate::ExpandEvent), a range of keys at a time. Facts
// take at most half the budget (past it they are encoded into the nodes buffer, with their
// entries); Finish() sorts them through an index of 16 bytes a fact.
// Not thread-safe; one BulkWriter per store at a time, with no concurrent Store::Write.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/fact_table.h"
#include "model/types.h"
#include "storage/sorted_run.h"
#include "storage/store.h"
#include "util/status.h"

namespace geokg::storage {

struct BulkOptions {
  // Bytes of buffered keys, values and bookkeeping, over all column families.
  size_t memory_budget = size_t{64} << 20;
  // Buffers sorted and written at the same time, on their own threads (>= 1); also the threads
  // that merge and write the SST files in Finish().
  int writer_threads = 2;
  // Key and value bytes per SST file before Finish() starts the next one (between two keys).
  uint64_t target_file_bytes = uint64_t{128} << 20;
  // Write the SST files with direct I/O (O_DIRECT), skipping the copy into the page cache; a
  // file system that refuses it gets buffered writes anyway. The files are the same either way.
  bool direct_writes = true;
};

struct BulkStats {
  uint64_t entries = 0;                      // Put/Delete calls
  uint64_t written = 0;                      // entries written to SST files (duplicates removed)
  uint64_t duplicates = 0;                   // entries dropped because a later one had the same key
  uint64_t duplicates_by_cf[kCfCount] = {};  // the same, per column family (exact: entries ==
                                             // written + duplicates after Finish)
  uint64_t files = 0;                        // SST files written (and ingested)
  uint64_t direct_files = 0;                 // of those, written with direct I/O
  uint64_t file_bytes = 0;
  // Event nodes (the last version of each key) against the store's version: not there before,
  // written with other content, or equal and so not written; and the participants of event
  // versions not written (equal to the stored one, or superseded by a later one).
  uint64_t events_added = 0, events_updated = 0, events_unchanged = 0, unwritten_roles = 0;
  uint64_t spills = 0;  // buffers written as runs because the budget was reached
  uint64_t runs = 0;    // sorted run files written (spills and intermediate merge passes)
  uint64_t run_bytes = 0;
  // sort (buffers), write (runs) and merge (reading runs, merging, writing the SST files): CPU
  // seconds of the threads doing it, summed (they overlap with each other and with the caller);
  // ingest: wall; wait: wall time the caller was blocked on writer threads (Finish's included).
  double sort_seconds = 0, write_seconds = 0, merge_seconds = 0, ingest_seconds = 0,
         wait_seconds = 0;
};

// A node kept as a record until it is written (BulkWriter::PutFact): its id, the template that
// expands it and fields of the template's own. 40 bytes.
struct FactRecord {
  NodeId id = kNoNode;
  uint32_t tmpl = 0;  // BulkWriter::AddFactTemplate's number
  uint32_t field[5] = {};
  int64_t wide = 0;
};
static_assert(sizeof(FactRecord) == 40);

// Expands fact records into their nodes. Called from several threads at once once the facts are
// put, so it must not change (what it reads is complete by the time the record is put).
class FactTemplate {
 public:
  virtual ~FactTemplate() = default;
  // Makes *node the node `record` stands for, but for its id (set by the caller). *node is a
  // default Node or the last one this template expanded: what all its nodes share may be set
  // only the first time.
  virtual void Expand(const FactRecord& record, Node* node) const = 0;
  // Makes *event what Expand makes the body of an event's node as far as its index and
  // adjacency entries derive from it (storage/index_entries.h: code, time, status, confidence,
  // participants), for Finish(), which writes a fact's entries without expanding its node.
  // *event is a default Event or the last one this template set. Only called for facts whose
  // nodes are events. By default, through Expand; a template overrides it when that is cheaper.
  virtual void ExpandEvent(const FactRecord& record, Event* event) const;
  // The table behind this template, when it is one (records as QuadOf reads them): Finish()
  // then stores the table in `meta` and writes each fact as a compact value naming it
  // (codec/fact_codec.h) instead of its encoded node. The table must be complete when Finish()
  // is called. nullptr (the default): facts are written as encoded nodes.
  virtual const FactTable* table() const { return nullptr; }
};

// The quadruple a FactTable's record stands for: field = subject, relation, object, line, file;
// wide = time.
inline QuadFact QuadOf(const FactRecord& r) {
  return {r.field[0], r.field[1], r.field[2], r.field[3], r.field[4], r.wide};
}

// BulkWriter's note of what a final event fact's derived entries can start with, so that a
// piece of `out` or `event_index` skips without expanding it a fact that derives nothing in its
// range: the first 8 bytes of its event-index key; the least and greatest of its participants
// (an `out` key's first 8 bytes).
struct DerivedReach {
  uint64_t index_word = 0;
  NodeId min_actor = 0, max_actor = 0;
};

class DerivedRoom;  // bulk_writer.cc

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
  // Registers a template for PutFact; returns its number (FactRecord::tmpl).
  uint32_t AddFactTemplate(std::shared_ptr<const FactTemplate> tmpl);
  // PutNode(node), with the node's value kept as `record` until Finish() writes it: `node` must
  // be what the record's template expands it into (InvalidArgument if the ids differ). The store
  // is the same as with PutNode. Facts are newer than every node put before them; a PutNode of a
  // node of a kind the buffered facts have first moves them into the nodes buffer, encoded, to
  // keep that order (as does a full budget: the facts then go the way of other entries).
  Status PutFact(const FactRecord& record, const Node& node);
  // The same without the node, for callers that do not build it: every so many facts (and every
  // fact that is not an event) the record is expanded by its template, and InvalidArgument when
  // its key does not hash to the record's id.
  Status PutFact(const FactRecord& record);

  // Reads the value stored under `key` in the store as it was before this writer's entries
  // (buffered entries are not visible). nullopt when absent.
  Result<std::optional<std::string>> GetStored(Cf cf, std::string_view key) const;

  // Says that no more facts come (a caller that has put its last fact but still puts other
  // nodes, as an import its actors): the facts are sorted and their entries planned on a thread
  // of their own meanwhile, for Finish(). Optional. A fact put later, or facts moved into the
  // nodes buffer by a node of their kind, wait for that work and have it done again in Finish().
  void PrepareFacts();

  // Merges the runs and remaining buffers into SST files, ingests them all and bumps the store
  // generation (when anything was written). The writer cannot be used afterwards. On an error
  // (IOError, or Corruption for a damaged run file, naming the file) nothing is ingested and the
  // temporary files are deleted.
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
    static constexpr uint32_t kDeleteBit = uint32_t{1} << 31;
  };
  static constexpr uint32_t kDeleteBit = Entry::kDeleteBit;
  struct Buffer {
    // Fixed-size chunks (an entry never straddles two), so that growing never copies.
    std::vector<std::unique_ptr<char[]>> chunks;
    size_t chunk_used = 0, chunk_cap = 0;  // of chunks.back()
    size_t bytes = 0;                      // key and value bytes stored
    std::vector<Entry> entries;
    size_t expected_entries = 0;  // entries of the last spill: reserved up front next time
    std::vector<RunInfo> runs;    // oldest first
    size_t footprint() const { return bytes + entries.size() * sizeof(Entry); }
  };

  // A buffer handed to a writer thread.
  struct Spilled {
    Cf cf;
    std::string path;
    std::vector<std::unique_ptr<char[]>> chunks;
    std::vector<Entry> entries;
    size_t footprint = 0;
    RunInfo run;      // the run written
    BulkStats stats;  // its share: duplicates, runs, bytes, seconds
    std::future<Status> done;
  };
  struct Piece;

  BulkWriter(Store* store, BulkOptions options, std::string dir);
  Status Add(Cf cf, std::string_view key, std::string_view value, bool is_delete);
  // Moves buffer `cf` out and writes it to its next file, on a writer thread when `async`.
  Status Spill(int cf, bool async);
  Status MaybeSpill();
  size_t Filling() const;  // bytes of the buffers being filled
  int LargestBuffer() const;
  // Waits for the oldest spill in flight (if any) and accounts for it.
  Status WaitForOldest();
  Status WaitForAll();
  Status WriteRun(Spilled* s) const;
  // Buffers NodeEntries(node, with_value).
  Status PutNodeEntries(const Node& node, bool with_value);
  // PutFact's last step: buffers the record (checked).
  Status AddFact(const FactRecord& record);
  // Finish(): table_ids_, table_bytes_ and tables_ from the templates with buffered facts
  // (InvalidArgument for a malformed table).
  Status PrepareFactTables();
  // Notes that a compact fact `value` is written: its table must be stored.
  void MarkTableWritten(std::string_view value) const;
  // Finish(), after the merge: an SST file of `meta` with the tables that written facts name and
  // the store does not hold, ingested with the facts (so a failed import leaves none).
  Status WriteFactTables(std::vector<std::string>* files);
  // Frees the facts (as put and sorted), their final marks and reach, and the derived pieces'
  // room.
  void ReleaseFacts();
  // Moves the buffered facts into the nodes buffer, expanded and encoded, in the order put.
  Status FlushFacts();
  // Copies the facts into sorted_facts_ in key order, newest first among equal keys
  // (facts_sorted_).
  void SortFacts();
  // facts_ becomes sorted_facts_ (after PlanDerived; no fact can be put any more).
  void AdoptSortedFacts();
  // After SortFacts: the final version of each event fact (final_, over sorted_facts_), how
  // many entries they derive in each family, and sample keys of those for Splitters.
  void PlanDerived();
  // Waits for PrepareFacts' work; `keep`: whether it still holds (else it is dropped, the facts
  // are about to change).
  void JoinPrepared(bool keep);
  // The sampled mean of a fact's written value (compact or encoded), for Finish()'s piece
  // weights.
  uint64_t FactValueBytes() const {
    return fact_samples_ == 0 ? 200 : fact_sample_bytes_ / fact_samples_;
  }
  // Finish() up to the ingest: the SST files of each family, in `files`.
  Status WriteSsts(std::vector<std::string> (&files)[kCfCount]);
  // Merges family `cf`'s oldest runs until at most `fan_in` are left (rarely needed).
  Status ReduceRuns(int cf, size_t fan_in, size_t read_buffer, BulkStats* stats);
  // Up to pieces - 1 keys cutting family `cf` (runs and sorted buffer) into ranges of about
  // equal bytes.
  std::vector<std::string> Splitters(int cf, size_t pieces) const;
  // Merges one piece into its own SST files; in the nodes family, appends to stale[cf] the
  // entries that superseded versions derived and the final ones do not (StaleEntries in the .cc).
  Status MergePiece(const Piece& piece, std::vector<std::string>* files, BulkStats* stats,
                    std::vector<std::string> (&stale)[kCfCount]) const;

  Store* store_;
  BulkOptions options_;
  std::string dir_;
  size_t chunk_size_;  // arena chunks; also the stride of the runs' segments
  // Finish() reads runs through buffers taken from a quarter of the budget, read_slice_ bytes a
  // thread, at least min_read_ bytes a run (also the runs' block size, so one block fits).
  size_t read_slice_;
  size_t min_read_;
  Buffer buffers_[kCfCount];
  std::vector<std::shared_ptr<const FactTemplate>> templates_;
  // Finish(): each template's table id (0: none, facts written as nodes) and encoding, whether
  // a written value names it (set by the merge threads), and the tables by id.
  std::vector<uint64_t> table_ids_;
  std::vector<std::string> table_bytes_;
  std::unique_ptr<std::atomic<bool>[]> table_written_;
  FactTableMap tables_;
  std::vector<FactRecord> facts_;         // in the order put; in key order once Finish adopts them
  std::vector<FactRecord> sorted_facts_;  // SortFacts' copy in key order, until adopted
  uint32_t fact_kinds_ = 0;               // bit per NodeKind of the buffered facts
  uint64_t fact_sample_bytes_ = 0, fact_samples_ = 0;
  // Whether sorted_facts_ (facts_ once adopted) holds the facts, in key order: SortFacts ran on
  // facts that are still all there are.
  bool facts_sorted_ = false;
  // Finish(): whether each of the sorted facts is the final version of an event fact.
  std::vector<bool> final_;
  // PlanDerived: for each final event fact (as final_), what its entries can start with.
  std::vector<DerivedReach> reach_;
  // PrepareFacts' SortFacts and PlanDerived, in flight; whether the sorted facts and the plan
  // hold.
  std::future<void> preparing_;
  bool prepared_ = false;
  // The entries the final facts derive per family (PutFact), and every so many facts' derived
  // keys, with the bytes of entries each stands for (Splitters' samples).
  uint64_t derived_[kCfCount] = {};
  std::vector<std::pair<std::string, uint64_t>> derived_samples_[kCfCount];
  // Finish(): buffers for the derived pieces, reused from piece to piece (paged in early).
  std::unique_ptr<DerivedRoom> derived_room_;
  // Families with nothing stored when the writer was created: their merge reads nothing from
  // the store (no stored pages to merge with, no stored values to compare with).
  bool empty_[kCfCount] = {};
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
