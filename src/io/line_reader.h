#pragma once
// LineReader: streams the lines of a plain, gzip/bzip2/xz-compressed or zipped text file through
// libarchive (the only user of libarchive), holding one buffer of input at a time, so memory does
// not grow with the file. An archive with several members (a .zip of daily files) is read member
// by member: NextEntry() moves on. Lines are returned without their "\n" / "\r\n", and a member's
// first line without a UTF-8 byte order mark. Move-only; not thread-safe.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

struct archive;  // libarchive's handle

namespace geokg::io {

class LineReader {
 public:
  // The longest line returned, in bytes before its "\n": a longer one (a binary file, a compressed
  // file that expands to gigabytes without a newline) stops reading with an error instead of
  // growing without bound.
  static constexpr size_t kMaxLineBytes = size_t{16} << 20;

  // Opens `path`. Errors: IOError naming the path when it cannot be opened or is not readable as
  // text (an archive format libarchive does not know, a corrupt compressed stream).
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Moves to the next member of the archive (the first call moves to the first). Returns false
  // when there are no more members or on error (see status()). A plain or compressed single file
  // is one member whose name is the file's name. Directories and the metadata macOS adds to the
  // archives it makes ("__MACOSX/...", "._name" AppleDouble files, ".DS_Store") are skipped.
  bool NextEntry();
  // The display name of the current member: the path for a single file, "path:member" inside an
  // archive with named members.
  const std::string& entry_name() const { return entry_name_; }

  // Reads the next line of the current member into *line (valid until the next call). Returns
  // false at the end of the member or on error (see status(): IOError naming the member and line,
  // also for a line longer than kMaxLineBytes).
  bool NextLine(std::string_view* line);
  // 1-based number of the line last returned in the current member.
  uint64_t line_number() const { return line_number_; }

  // Bytes of the file on disk consumed so far (compressed bytes for compressed input), and its
  // size: for progress and ETA.
  uint64_t bytes_consumed() const;
  uint64_t file_size() const { return file_size_; }

  // OK, or why reading stopped early.
  const geokg::Status& status() const { return status_; }

 private:
  LineReader() = default;
  bool Refill();
  // Stops reading at the line after line_number_, which is longer than kMaxLineBytes.
  bool LineTooLong();
  // `line` without its '\r' and, on the first line, without a byte order mark.
  std::string_view Trimmed(std::string_view line) const;

  struct ArchiveDeleter {
    void operator()(::archive* a) const;
  };
  std::unique_ptr<::archive, ArchiveDeleter> archive_;
  std::string path_;
  std::string entry_name_;
  bool raw_ = false;  // a single (possibly compressed) file, not an archive with members
  bool in_entry_ = false;
  bool entry_eof_ = false;
  bool archive_eof_ = false;  // libarchive said there are no more members: it is not asked again
  std::string buffer_;        // pending bytes of the current member
  size_t pos_ = 0;            // start of the unread part of buffer_
  std::string carry_;         // a line split across refills
  uint64_t line_number_ = 0;
  uint64_t file_size_ = 0;
  geokg::Status status_;
};

// The base name of a path ("dir/x.tab" -> "x.tab"), for provenance and messages.
std::string BaseName(std::string_view path);

}  // namespace geokg::io
