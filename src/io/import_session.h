#pragma once
// ImportSession: what the ICEWS, GDELT and temporal-KG importers share while one `geokg import`
// runs: the bulk writer, actor resolution (normalized name -> one actor node, cached, merged with
// the store's actors), event writing with stable identity (unchanged events are skipped, changed
// ones rewritten without stale index entries), diagnostics and progress. Internal to io/;
// single-threaded.

#include <chrono>
#include <deque>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "io/import.h"
#include "io/line_reader.h"
#include "model/types.h"
#include "storage/bulk_writer.h"

namespace geokg::io {

// What one row says about an actor.
struct ActorObservation {
  std::string_view name;
  ActorKind kind = ActorKind::kUnknown;
  std::string_view country_cameo;  // "PRK"
  std::vector<std::string_view> sectors;
  std::vector<std::string_view> cameo_types;
  std::optional<ExternalId> external_id;
  // The caller keeps the actor of each spelling it resolved (a temporal-KG set's entities): the
  // session need not remember spellings for it.
  bool spelling_cached = false;
  // NormalizeName(name), when the caller has it (else empty: the session normalizes the name).
  std::string_view normalized;
};

// One event to write: its node (key, body, provenance) and its role edges (actor, role).
struct EventRecord {
  Node node;
  std::vector<std::pair<EdgeType, NodeId>> roles;
};

// Hash and equality for maps keyed by strings and looked up by string_view, without building a
// temporary string (the importers' name caches).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct StringEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

// Splits `line` on tabs into `fields` (cleared first).
void SplitTabs(std::string_view line, std::vector<std::string_view>* fields);
// The 1-based column, in characters (UTF-8 sequences; a stray byte counts one), of the byte at
// `byte_offset` in `line`: diagnostics count columns as the curated loader's do, and an editor.
size_t CharColumn(std::string_view line, size_t byte_offset);
// `s` without surrounding spaces and tabs.
std::string_view Trim(std::string_view s);
// True if `s` is min_len..max_len ASCII digits and nothing else.
bool AllDigits(std::string_view s, size_t min_len, size_t max_len);
// Whole-field number parsing; false on anything else (empty, junk, overflow).
bool ParseInt64(std::string_view s, int64_t* out);
bool ParseDouble(std::string_view s, double* out);
// The provenance name of an input member: its base name without a compression suffix
// ("dir/x.tab.gz" -> "x.tab", "a.zip:x.tab" -> "x.tab"), so that plain and compressed copies of
// one file import identically.
std::string ProvenanceFileName(std::string_view entry_name);
// The ISO-3 code of a FIPS 10-4 country code ("RS" -> "RUS"), "" if unknown.
std::string_view FipsToIso3(std::string_view fips);
// A one-line reason for invalid UTF-8 in `field`, or "" if it is valid.
std::string Utf8Problem(std::string_view field);
// `reader_status` (a LineReader's IOError: a missing file, a corrupt archive or compressed
// stream) as the importers return it: bad input, InvalidArgument with the same message, so that
// it is not taken for a failure of the store. Other statuses are returned unchanged.
Status InputError(const Status& reader_status);

// Node id -> a number: open addressing with linear probing in a power-of-two table kept under
// half full, and backward-shift deletion, so that no operation allocates while at most
// `max_entries` are held (std::unordered_map allocated and freed a node per event and divided by
// a prime per look-up: 8 % of an ICEWS import's profile; as the set of new actor ids, 2 of
// ICEWS18's 24 ms of actor resolution). Past that the table doubles. Ids are hashes, so their
// low bits pick the slot; kNoNode marks a free one and cannot be a key.
class NodeIdIndex {
 public:
  explicit NodeIdIndex(size_t max_entries);
  const uint64_t* Find(NodeId id) const;   // null when absent
  void Insert(NodeId id, uint64_t value);  // `id` absent
  void Erase(NodeId id);                   // `id` present
  // Room for `max_entries` without allocating, the entries kept.
  void Reserve(size_t max_entries);

 private:
  void Rehash(size_t slots);  // a power of two that holds the entries
  std::vector<std::pair<NodeId, uint64_t>> slots_;
  size_t mask_;
  size_t size_ = 0;
};

class ImportSession {
 public:
  ImportSession(storage::Store* store, const ImportOptions& options);
  ~ImportSession();

  // Creates the bulk writer and loads the store's name index (or notes that it is too large to
  // cache). Must be called first.
  Status Begin(uint64_t bytes_total);

  // A hint: about `names` distinct actor names will be resolved (sizes the maps up front).
  void ReserveActors(size_t names);

  // The actor node for `obs` (by normalized name), creating or enriching it.
  Result<NodeId> ResolveActor(const ActorObservation& obs, std::string_view dataset,
                              std::string_view file);

  // Writes an event and its role edges at once (unless writing has stopped after an error with
  // kFail); `record` stays the caller's, to reuse. The roles become the event's participants
  // (Event::participants, set in `record.node`): an `out` entry each on the actor's side, the
  // event's side implied by the list. The writer compares the event with its stored version when
  // it merges: identical content is not written again; other content replaces it, and its stale
  // index entries and role edges are deleted.
  Status AddEvent(EventRecord& record);
  // AddEvent, with the event's value kept by the writer as `fact` until it writes it
  // (storage::BulkWriter::PutFact): `record.node` must be what the fact's template expands it
  // into, participants included.
  Status AddFact(const storage::FactRecord& fact, EventRecord& record);
  // AddFact without the node, for importers that do not build it: `fact` (its id set) stands
  // for an event with `roles` participants (storage::BulkWriter::PutFact(record)).
  Status AddFact(const storage::FactRecord& fact, size_t roles);
  // Registers a template for AddFact's records (storage::BulkWriter::AddFactTemplate).
  uint32_t AddFactTemplate(std::shared_ptr<const storage::FactTemplate> tmpl);
  // Adds an event as AddEvent does, through a window of the last kRepeatWindow events queued: a
  // record that repeats an event of the window (same node id) replaces it before anything is
  // written, so the last row wins and re-importing the file changes nothing. Events repeated
  // further apart are both written: the writer keeps the last version and deletes the entries
  // (role edges, index entry) that only the earlier one had.
  Status QueueEvent(EventRecord&& record);

  // Reports a bad row: "file:line:col: field 'F': reason". The caller skips the row; with kFail
  // the import goes on validating but writes nothing.
  void RowError(std::string_view file, uint64_t line, size_t column, std::string_view field,
                const std::string& reason);
  // Counts a field reported for invalid UTF-8 (after its RowError).
  void NoteInvalidUtf8() { ++summary_.invalid_utf8; }
  // Counts a row skipped because of its errors.
  void RowSkipped() { ++summary_.rows_skipped; }
  // A problem with a whole file (bad header, unreadable): same reporting, no row.
  void FileError(std::string_view file, const std::string& reason);
  bool failed() const { return summary_.errors > 0 && options_.on_error == OnError::kFail; }

  // Progress: call per row; reports every 64k rows.
  void CountRow(const LineReader& reader);
  void FileDone(uint64_t file_size);

  // Writes the actors, ingests everything (or aborts with kFail after errors).
  Result<ImportSummary> Finish();

  ImportSummary& summary() { return summary_; }
  const ImportOptions& options() const { return options_; }

 private:
  struct ActorSlot {
    NodeId id = kNoNode;
    std::string key;                     // new actors only
    bool stored = false;                 // existed in the store before this import
    bool touched = false;                // has observations to merge
    Actor actor;                         // for new actors: the record; for stored ones: what to add
    std::vector<Provenance> provenance;  // one per (dataset, file)
  };
  Status WriteOldestQueued();
  Status WriteEvent(const storage::FactRecord* fact, EventRecord& record);  // fact: or null
  Status WriteActors();  // once, from Finish(): new actors' records move out of their slots
  void Report(const std::string& message, std::string_view field);
  void EmitProgress(const LineReader* reader,
                    ImportProgress::Phase phase = ImportProgress::Phase::kReading);

  storage::Store* store_;
  ImportOptions options_;
  std::unique_ptr<storage::BulkWriter> writer_;
  bool store_has_actors_ = true;  // false: no stored node can hold a new actor's id
  bool names_cached_ = false;     // the store's whole name index is in stored_names_
  std::unordered_map<std::string, std::vector<NodeId>> stored_names_;
  // The actor maps get an entry or two per distinct name and live until the session ends: their
  // nodes and keys come from one arena, freed in a few blocks (freed one by one, tens of
  // thousands of small blocks scattered over a heap the bulk writer churned cost tens of ms).
  using SlotMap = std::pmr::unordered_map<std::pmr::string, size_t, StringHash, StringEq>;
  std::pmr::monotonic_buffer_resource arena_;
  SlotMap slot_by_name_{&arena_};  // normalized name -> slots_ index
  SlotMap slot_by_raw_{&arena_};   // exact spelling -> slots_ index
  NodeIdIndex used_ids_{0};        // ids of the new actors handed out (values unused)
  std::deque<ActorSlot> slots_;    // a deque: growing never moves the (large) slots
  // QueueEvent's window: records not yet written, oldest first, and where each id is in it (as a
  // sequence number: queued_base_ is the front's).
  std::deque<EventRecord> queued_;
  NodeIdIndex queued_at_;  // where each id is in queued_
  uint64_t queued_base_ = 0;
  uint64_t repeats_queued_ = 0;  // records that replaced a queued one
  ImportSummary summary_;
  std::chrono::steady_clock::time_point start_;
  uint64_t bytes_done_ = 0, bytes_total_ = 0;
  uint64_t next_progress_ = 0;
  std::string current_file_;
};

}  // namespace geokg::io
