#pragma once
// The curated dataset loader: reads JSON Lines files written by people (format in
// docs/formats.md), validates every record and every cross-reference before anything is written,
// and applies the whole load as one atomic Store::Write. Input errors never stop the scan: all of
// them are collected as Diagnostics naming file:line:column and the field, and then nothing is
// written. Stateless functions; the Store is only read (validation) and written once (load).

#include <cstdint>
#include <string>
#include <vector>

#include "storage/store.h"
#include "util/status.h"

namespace geokg::io {

// One problem in the input. `line` and `column` are 1-based (column counts Unicode characters
// from the start of the line); both are 0 when the problem is the whole file (unreadable).
struct Diagnostic {
  std::string file;  // the path as given
  uint64_t line = 0;
  uint64_t column = 0;
  std::string field;    // JSON path of the offending field ("roles[1].actor"); may be empty
  std::string message;  // what is wrong, for a person
  // "file:line:col: field: message" (parts that are empty or 0 are left out).
  std::string ToString() const;
};

struct LoadOptions {
  // Validate everything (against the files and the store) but write nothing.
  bool dry_run = false;
};

struct LoadReport {
  std::vector<Diagnostic> errors;  // in file order, then line order; empty when the input is valid
  storage::WriteSummary summary;   // what the write changed; all zero when nothing was written
  uint64_t files = 0;              // files read
  uint64_t records = 0;            // records read (comments and blank lines excluded)
  bool written = false;            // true when a batch was applied to the store
  bool ok() const { return errors.empty(); }
};

// Validates `paths` as one dataset and, when there is no error and !options.dry_run, writes it
// into `store` in one atomic batch. References may point to records in any of the files or to
// keys already in the store. Input problems are returned in LoadReport::errors (the store is then
// left untouched); a non-OK Result means the store itself failed (IOError, Corruption).
Result<LoadReport> LoadCuratedFiles(storage::Store& store, const std::vector<std::string>& paths,
                                    const LoadOptions& options);

// The validation half alone: the report of LoadCuratedFiles with dry_run, where references
// resolve against the files and, if `store` is not null, the store.
Result<LoadReport> ValidateCuratedFiles(const std::vector<std::string>& paths,
                                        const storage::Store* store);

}  // namespace geokg::io
