// LineReader over libarchive. Single files go through the "raw" format (with every compression
// filter libarchive knows: gzip, bzip2, xz, zstd, ...); .zip/.tar/.7z archives are read member by
// member. Data is pulled in fixed-size blocks; a line that straddles two blocks is the only
// thing ever copied.

#include "io/line_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <cstring>

namespace geokg::io {

namespace {
constexpr size_t kBlockSize = 1 << 18;
constexpr int kLibarchiveBlock = 1 << 16;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Members that macOS's archiver adds beside the real files: resource forks as AppleDouble files
// ("__MACOSX/dir/._name", or "._name" next to the file) and Finder's ".DS_Store". They are
// binary, never data.
bool IsMacMetadata(std::string_view member) {
  if (member.substr(0, 9) == "__MACOSX/" || member.find("/__MACOSX/") != std::string_view::npos) {
    return true;
  }
  size_t slash = member.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? member : member.substr(slash + 1);
  return base.substr(0, 2) == "._" || base == ".DS_Store";
}
// libarchive's message for the last error on `a`; it has none for some failures (a gzip stream
// cut inside its first block), and a null char* must not reach std::string.
std::string ArchiveError(::archive* a) {
  const char* message = archive_error_string(a);
  if (message != nullptr) return message;
  const int e = archive_errno(a);
  return e > 0 ? std::strerror(e) : "not readable (damaged or truncated?)";
}
}  // namespace

std::string BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

void LineReader::ArchiveDeleter::operator()(::archive* a) const { archive_read_free(a); }

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return geokg::Status::IOError(path + ": cannot open: " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return geokg::Status::IOError(path + ": is a directory");
  std::unique_ptr<LineReader> r(new LineReader());
  r->path_ = path;
  r->file_size_ = static_cast<uint64_t>(st.st_size);
  if (st.st_size == 0) {
    // libarchive cannot tell the format of an empty file; it is one empty member.
    r->raw_ = true;
    return r;
  }
  struct archive* a = archive_read_new();
  if (a == nullptr) return geokg::Status::IOError(path + ": out of memory");
  r->archive_.reset(a);
  archive_read_support_filter_all(a);
  archive_read_support_format_zip(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_7zip(a);
  archive_read_support_format_empty(a);  // a compressed file of nothing (an empty .gz)
  archive_read_support_format_raw(a);    // last: anything else is a single text stream
  if (archive_read_open_filename(a, path.c_str(), kLibarchiveBlock) != ARCHIVE_OK) {
    return geokg::Status::IOError(path + ": cannot open: " + ArchiveError(a));
  }
  return r;
}

LineReader::~LineReader() = default;

bool LineReader::NextEntry() {
  in_entry_ = false;
  entry_eof_ = false;
  buffer_.clear();
  pos_ = 0;
  carry_.clear();
  line_number_ = 0;
  if (!status_.ok()) return false;
  if (!archive_) {  // the empty file: one member, no lines
    if (!entry_name_.empty()) return false;
    entry_name_ = path_;
    in_entry_ = true;
    entry_eof_ = true;
    return true;
  }
  for (;;) {
    if (archive_eof_) return false;
    struct archive_entry* entry = nullptr;
    int rc = archive_read_next_header(archive_.get(), &entry);
    archive_eof_ = rc == ARCHIVE_EOF;
    if (rc == ARCHIVE_EOF && entry_name_.empty() &&
        archive_format(archive_.get()) == ARCHIVE_FORMAT_EMPTY) {
      // Compressed nothing: one empty member, as an empty plain file is.
      raw_ = true;
      entry_name_ = path_;
      in_entry_ = true;
      entry_eof_ = true;
      return true;
    }
    if (rc == ARCHIVE_EOF) return false;
    if (rc < ARCHIVE_WARN) {
      status_ = geokg::Status::IOError(path_ + ": " + ArchiveError(archive_.get()));
      return false;
    }
    raw_ = archive_format(archive_.get()) == ARCHIVE_FORMAT_RAW;
    if (!raw_ && archive_entry_filetype(entry) != AE_IFREG) continue;  // directories etc.
    const char* name = archive_entry_pathname(entry);
    if (!raw_ && name != nullptr && IsMacMetadata(name)) continue;
    entry_name_ = raw_ || name == nullptr ? path_ : path_ + ":" + name;
    in_entry_ = true;
    return true;
  }
}

bool LineReader::Refill() {
  buffer_.resize(kBlockSize);
  la_ssize_t n = archive_read_data(archive_.get(), buffer_.data(), buffer_.size());
  if (n < 0) {
    status_ =
        geokg::Status::IOError(entry_name_ + ": read error after line " +
                               std::to_string(line_number_) + ": " + ArchiveError(archive_.get()));
    buffer_.clear();
    pos_ = 0;
    entry_eof_ = true;
    return false;
  }
  buffer_.resize(static_cast<size_t>(n));
  pos_ = 0;
  if (n == 0) entry_eof_ = true;
  return n > 0;
}

bool LineReader::LineTooLong() {
  status_ = geokg::Status::IOError(entry_name_ + ":" + std::to_string(line_number_ + 1) +
                                   ": line longer than " + std::to_string(kMaxLineBytes >> 20) +
                                   " MiB (not a text file of rows?)");
  carry_ = std::string();
  buffer_.clear();
  pos_ = 0;
  entry_eof_ = true;
  return false;
}

std::string_view LineReader::Trimmed(std::string_view line) const {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line_number_ == 1 && line.substr(0, kBom.size()) == kBom) line.remove_prefix(kBom.size());
  return line;
}

bool LineReader::NextLine(std::string_view* line) {
  if (!in_entry_) return false;
  if (!carry_.empty() && carry_.back() == '\n') carry_.clear();  // returned last time
  for (;;) {
    if (pos_ < buffer_.size()) {
      const char* s = buffer_.data() + pos_;
      size_t n = buffer_.size() - pos_;
      const char* nl = static_cast<const char*>(std::memchr(s, '\n', n));
      if (nl != nullptr) {
        size_t len = static_cast<size_t>(nl - s);
        if (carry_.size() + len > kMaxLineBytes) return LineTooLong();
        pos_ += len + 1;
        ++line_number_;
        std::string_view out;
        if (carry_.empty()) {
          out = std::string_view(s, len);
        } else {
          carry_.append(s, len + 1);  // keep the '\n' as the "already returned" mark
          out = std::string_view(carry_.data(), carry_.size() - 1);
        }
        *line = Trimmed(out);
        return true;
      }
      if (carry_.size() + n > kMaxLineBytes) return LineTooLong();
      carry_.append(s, n);
      pos_ = buffer_.size();
    }
    if (entry_eof_ || !Refill()) {
      if (!entry_eof_ || !status_.ok()) return false;
      if (carry_.empty()) {
        in_entry_ = false;
        return false;
      }
      ++line_number_;  // a last line without '\n'
      carry_.push_back('\n');
      *line = Trimmed(std::string_view(carry_.data(), carry_.size() - 1));
      return true;
    }
  }
}

uint64_t LineReader::bytes_consumed() const {
  if (!archive_) return file_size_;
  la_int64_t n = archive_filter_bytes(archive_.get(), -1);
  return n < 0 ? 0 : static_cast<uint64_t>(n);
}

}  // namespace geokg::io
