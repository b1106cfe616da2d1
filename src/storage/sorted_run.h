#pragma once
// Sorted runs: the temporary files of storage/bulk_writer.h. A run holds one column family's
// entries in strictly increasing key order, one per key, each a put or a delete, in checksummed
// blocks. RunWriter streams entries out a block at a time and returns a RunInfo (kept in memory
// by the bulk writer); RunReader streams a run back, from its start or from one of its
// segments, through one bounded buffer, and hands out no entry of a block before it has checked
// the block's lengths and checksum: a truncated or damaged run is Corruption or IOError naming
// the file, never a crash. Both are resources owned by one thread; neither deletes its file.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace geokg::storage {

// A finished run. Segments are a sparse index: they start at blocks, about every `stride` bytes,
// so that a reader can start near a key.
struct RunInfo {
  struct Segment {
    std::string first_key;
    uint64_t offset = 0;   // of its first block in the file
    uint64_t ordinal = 0;  // entries before it
  };
  std::string path;
  uint32_t cf = 0;
  uint64_t entries = 0;
  uint64_t bytes = 0;  // file size
  std::string last_key;
  std::vector<Segment> segments;  // empty for a run without entries
};

class RunWriter {
 public:
  RunWriter() = default;
  ~RunWriter();  // closes the file (an unfinished one is left for the caller to delete)
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // Creates (or truncates) `path` for family `cf`, writing blocks of about `block_bytes` (one
  // write each) and starting a segment every `stride` bytes. IOError if it cannot be created.
  Status Open(std::string path, uint32_t cf, size_t block_bytes, size_t stride);
  // Appends one entry; keys must increase strictly (not checked here: the SST writer rejects
  // out-of-order keys). IOError on a failed write.
  Status Add(std::string_view key, std::string_view value, bool is_delete);
  // Writes the last block and closes the file; `*info` describes the run.
  Status Finish(RunInfo* info);

 private:
  Status WriteBlock();
  int fd_ = -1;
  std::vector<char> buf_;  // block header space, then the block's entries
  size_t used_ = 0;
  size_t last_entry_ = 0;  // in buf_
  uint32_t block_entries_ = 0;
  size_t block_bytes_ = 0;
  uint64_t flushed_ = 0;  // file bytes written
  size_t stride_ = 0;
  uint64_t next_segment_ = 0;  // file offset from which the next block starts a segment
  RunInfo info_;
};

class RunReader {
 public:
  RunReader() = default;
  ~RunReader();
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  // Opens `run` (which must outlive the reader) positioned before the first entry of segment
  // `segment`, reading through a `buffer_bytes` buffer (grown only for a block larger than
  // it). IOError if the file cannot be opened, Corruption if its size or header is not the
  // RunInfo's.
  Status Open(const RunInfo* run, size_t segment, size_t buffer_bytes);
  // Moves to the next entry: true if there is one, false at the end of the run or on an error
  // (then status() says which). key() and value() stay valid until the next call.
  bool Next();
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }
  bool is_delete() const { return is_delete_; }
  const Status& status() const { return status_; }

 private:
  bool Fill(size_t need);
  bool LoadBlock();
  bool Fail(Status s);
  const RunInfo* run_ = nullptr;
  int fd_ = -1;
  std::vector<char> buf_;
  size_t begin_ = 0, end_ = 0;  // unread bytes of buf_
  uint64_t buf_offset_ = 0;     // file offset of buf_[0]
  size_t block_end_ = 0;        // in buf_: the end of the current block
  uint32_t block_left_ = 0;     // entries of the current block not read yet
  uint64_t ordinal_ = 0;        // entries before the next one
  std::string_view key_, value_;
  bool is_delete_ = false;
  Status status_;
};

}  // namespace geokg::storage
