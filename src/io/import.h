#pragma once
// Importing coded event data: ICEWS (20-column Dataverse .tab), GDELT 1.0/2.0 event tables and
// temporal-KG quadruple sets (ICEWS18/GDELT in RE-Net layout), plain, gzip or zip. Rows become
// event nodes with role edges to actors; actors are matched by normalized name against the store
// and across files, so one person is one node whatever the source. Every row is validated;
// errors name file:line:column and the field. With OnError::kFail nothing is written when any
// row is bad. Writes go through storage::BulkWriter (memory bounded by `memory_budget`).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/bulk_writer.h"
#include "storage/store.h"
#include "util/status.h"

namespace geokg::io {

enum class ImportFormat { kAuto, kIcews, kGdelt1, kGdelt2, kTkg };
std::string_view ImportFormatName(ImportFormat f);  // "auto", "icews", "gdelt1", "gdelt2", "tkg"
bool ParseImportFormat(std::string_view s, ImportFormat* out);

enum class OnError { kFail, kSkip };

struct ImportProgress {
  // kReading: rows are being read (called about every 64k rows and at the end of each file).
  // kWriting: every row is read and the bulk writer merges what it buffered into the store's
  // files and ingests them (called once, when that starts; for a large import it takes a while).
  enum class Phase { kReading, kWriting };
  Phase phase = Phase::kReading;
  uint64_t rows = 0;
  uint64_t bytes_done = 0;   // on disk (compressed bytes for compressed input)
  uint64_t bytes_total = 0;  // sum of the input files' sizes
  double seconds = 0;
  std::string current;  // the file being read
};

struct ImportOptions {
  ImportFormat format = ImportFormat::kAuto;
  OnError on_error = OnError::kFail;
  // ICEWS: merge reciprocal pairs (A->B and B->A, same story, sentence, code and date) into one
  // event with two participants.
  bool merge_reciprocal = false;
  // Temporal-KG sets: the instant of time 0 ("2018-01-01", any model/time_format.h date) and the
  // unit of the integer times ("second", "minute", "hour", "day"). Defaults by data set name:
  // ICEWS* hours from 2018-01-01 (day precision), GDELT minutes from 2018-01-01.
  std::string epoch;
  std::string time_unit;
  size_t memory_budget = size_t{64} << 20;
  // Threads sorting and writing full buffers, then merging them into SST files
  // (storage::BulkOptions).
  int writer_threads = 2;
  // SST files written with direct I/O where the file system allows it (storage::BulkOptions).
  bool direct_writes = true;
  // Temporal-KG facts buffered as 40-byte records, their events encoded only when written
  // (storage::BulkWriter::PutFact); off, each event is encoded as it is read. The store is the
  // same either way (for tests and benchmarks).
  bool fact_records = true;
  // Temporal-KG facts parsed on a thread of their own while the calling thread resolves their
  // actors and writes them; off, one thread does both. The store and the diagnostics are the
  // same either way (for tests and benchmarks).
  bool parse_thread = true;
  // Called with each diagnostic ("file:line:col: field 'X': reason") as it is found.
  std::function<void(const std::string&)> on_diagnostic;
  // Called about every 64k rows and at the end of each file, then once when the writing starts
  // (ImportProgress::phase).
  std::function<void(const ImportProgress&)> on_progress;
};

struct ImportSummary {
  uint64_t files = 0;
  uint64_t rows = 0;               // data rows read (headers excluded)
  uint64_t rows_skipped = 0;       // bad rows (OnError::kSkip)
  uint64_t errors = 0;             // diagnostics reported
  uint64_t invalid_utf8 = 0;       // of those, fields that are not UTF-8 (Latin-1 files, ...)
  uint64_t events_added = 0;       // event nodes written that were not in the store
  uint64_t events_unchanged = 0;   // already stored with identical content
  uint64_t events_updated = 0;     // already stored with other content, rewritten
  uint64_t events_repeated = 0;    // rows repeating an event of this import (the last one wins)
  uint64_t reciprocal_merged = 0;  // pairs merged into one event
  uint64_t role_edges = 0;
  uint64_t actors_created = 0;   // new actor nodes
  uint64_t actors_matched = 0;   // names resolved to actors already in the store
  uint64_t actors_updated = 0;   // stored actors given new sectors/codes/ids
  uint64_t ambiguous_names = 0;  // names matching several stored actors (the first is used)
  bool written = false;          // false when kFail met an error: the store is unchanged
  double seconds = 0;
  storage::BulkStats bulk;
  std::map<std::string, uint64_t> errors_by_field;
};

// What to tell a user whose import met `invalid_utf8` fields that are not UTF-8 ("" for none):
// most such files are Latin-1, which iconv converts.
std::string Utf8Hint(uint64_t invalid_utf8);

// The format of `path` judged from its name and first line. Errors: InvalidArgument whose
// message explains what was seen and what each format looks like.
Result<ImportFormat> DetectFormat(const std::string& path);

// Imports `paths` into `store`. Errors: InvalidArgument for bad options, for an input file that
// cannot be read (missing, a corrupt or truncated archive or compressed stream) or, with kFail,
// when a row is bad (the message counts them; each was passed to on_diagnostic; nothing
// written); IOError or Corruption when the store fails.
Result<ImportSummary> Import(storage::Store* store, const std::vector<std::string>& paths,
                             const ImportOptions& options);

}  // namespace geokg::io
