// Sorted run files (storage/sorted_run.h). Layout, every integer little-endian:
//
//   file:   "geokgrun" | u32 version (1) | u32 column family | block…
//   block:  u32 payload_bytes | u32 entries | u64 XXH3-64(payload) | payload
//   entry:  u32 key_len | u32 value_len (bit 31 set: a delete, no value bytes) | key | value
//
// Entries are in strictly increasing key order across blocks; an entry never straddles two
// blocks (a block grows to hold one entry larger than the block size). The file has no index or
// trailer: the writer returns them in the RunInfo, which the bulk writer keeps in memory, and the
// reader checks the file against it (size, header, and the entry count on reaching the end)
// and every block against its header before handing out any of its entries.
#include "storage/sorted_run.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace geokg::storage {
namespace {

constexpr char kMagic[8] = {'g', 'e', 'o', 'k', 'g', 'r', 'u', 'n'};
constexpr uint32_t kVersion = 1;
constexpr size_t kFileHeaderBytes = 16;
constexpr size_t kBlockHeaderBytes = 16;
constexpr size_t kEntryHeaderBytes = 8;
constexpr uint32_t kDeleteBit = uint32_t{1} << 31;

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return v;
}
void PutU64(char* p, uint64_t v) {
  PutU32(p, static_cast<uint32_t>(v));
  PutU32(p + 4, static_cast<uint32_t>(v >> 32));
}
uint64_t GetU64(const char* p) { return GetU32(p) | uint64_t{GetU32(p + 4)} << 32; }

Status Errno(const std::string& what, const std::string& path) {
  return Status::IOError(what + " " + path + ": " + std::strerror(errno));
}

Status WriteAll(int fd, const char* p, size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno("cannot write", path);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return Status::OK();
}

}  // namespace

RunWriter::~RunWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status RunWriter::Open(std::string path, uint32_t cf, size_t block_bytes, size_t stride) {
  info_ = RunInfo();
  info_.path = std::move(path);
  info_.cf = cf;
  fd_ = ::open(info_.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) return Errno("cannot create", info_.path);
  char header[kFileHeaderBytes];
  std::memcpy(header, kMagic, 8);
  PutU32(header + 8, kVersion);
  PutU32(header + 12, cf);
  GEOKG_RETURN_IF_ERROR(WriteAll(fd_, header, kFileHeaderBytes, info_.path));
  flushed_ = kFileHeaderBytes;
  block_bytes_ = std::max<size_t>(block_bytes, 64);
  buf_.resize(kBlockHeaderBytes + block_bytes_);
  used_ = kBlockHeaderBytes;
  block_entries_ = 0;
  stride_ = std::max<size_t>(stride, 1);
  next_segment_ = 0;
  return Status::OK();
}

Status RunWriter::Add(std::string_view key, std::string_view value, bool is_delete) {
  const size_t need = kEntryHeaderBytes + key.size() + value.size();
  if (block_entries_ > 0 && used_ + need > buf_.size()) GEOKG_RETURN_IF_ERROR(WriteBlock());
  if (block_entries_ == 0) {
    if (kBlockHeaderBytes + need > buf_.size()) buf_.resize(kBlockHeaderBytes + need);
    if (flushed_ >= next_segment_) {
      info_.segments.push_back({std::string(key), flushed_, info_.entries});
      next_segment_ = flushed_ + stride_;
    }
  }
  char* p = buf_.data() + used_;
  PutU32(p, static_cast<uint32_t>(key.size()));
  PutU32(p + 4, static_cast<uint32_t>(value.size()) | (is_delete ? kDeleteBit : 0));
  std::memcpy(p + kEntryHeaderBytes, key.data(), key.size());
  if (!value.empty()) std::memcpy(p + kEntryHeaderBytes + key.size(), value.data(), value.size());
  last_entry_ = used_;
  used_ += need;
  ++block_entries_;
  ++info_.entries;
  return Status::OK();
}

Status RunWriter::WriteBlock() {
  const char* last = buf_.data() + last_entry_;
  info_.last_key.assign(last + kEntryHeaderBytes, GetU32(last));
  const size_t payload = used_ - kBlockHeaderBytes;
  PutU32(buf_.data(), static_cast<uint32_t>(payload));
  PutU32(buf_.data() + 4, block_entries_);
  PutU64(buf_.data() + 8, XXH3_64bits(buf_.data() + kBlockHeaderBytes, payload));
  GEOKG_RETURN_IF_ERROR(WriteAll(fd_, buf_.data(), used_, info_.path));
  flushed_ += used_;
  used_ = kBlockHeaderBytes;
  block_entries_ = 0;
  if (buf_.size() > kBlockHeaderBytes + block_bytes_) {  // grown for one large entry
    buf_.resize(kBlockHeaderBytes + block_bytes_);
    buf_.shrink_to_fit();
  }
  return Status::OK();
}

Status RunWriter::Finish(RunInfo* info) {
  if (block_entries_ > 0) GEOKG_RETURN_IF_ERROR(WriteBlock());
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return Errno("cannot close", info_.path);
  info_.bytes = flushed_;
  *info = std::move(info_);
  std::vector<char>().swap(buf_);
  return Status::OK();
}

RunReader::~RunReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool RunReader::Fail(Status s) {
  if (status_.ok()) status_ = std::move(s);
  return false;
}

Status RunReader::Open(const RunInfo* run, size_t segment, size_t buffer_bytes) {
  run_ = run;
  const std::string& path = run->path;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return Errno("cannot open", path);
  struct stat st;
  if (::fstat(fd_, &st) != 0) return Errno("cannot stat", path);
  if (static_cast<uint64_t>(st.st_size) != run->bytes) {
    return Status::Corruption(path + ": sorted run is " + std::to_string(st.st_size) +
                              " bytes, expected " + std::to_string(run->bytes) +
                              " (truncated or overwritten)");
  }
  char header[kFileHeaderBytes];
  ssize_t n = ::pread(fd_, header, kFileHeaderBytes, 0);
  if (n < 0) return Errno("cannot read", path);
  if (static_cast<size_t>(n) != kFileHeaderBytes || std::memcmp(header, kMagic, 8) != 0 ||
      GetU32(header + 8) != kVersion || GetU32(header + 12) != run->cf) {
    return Status::Corruption(path + ": not a sorted run of this import (bad header)");
  }
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  buf_.resize(std::max<size_t>(buffer_bytes, 4096));
  begin_ = end_ = block_end_ = 0;
  block_left_ = 0;
  if (segment < run->segments.size()) {
    buf_offset_ = run->segments[segment].offset;
    ordinal_ = run->segments[segment].ordinal;
  } else {
    buf_offset_ = run->bytes;
    ordinal_ = run->entries;
  }
  return Status::OK();
}

bool RunReader::Fill(size_t need) {
  if (end_ - begin_ >= need) return true;
  std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
  buf_offset_ += begin_;
  end_ -= begin_;
  begin_ = 0;
  if (need > buf_.size()) buf_.resize(need);
  while (end_ < need) {
    const uint64_t at = buf_offset_ + end_;
    const size_t want = static_cast<size_t>(
        std::min<uint64_t>(buf_.size() - end_, run_->bytes > at ? run_->bytes - at : 0));
    ssize_t n = want == 0 ? 0 : ::pread(fd_, buf_.data() + end_, want, static_cast<off_t>(at));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(Errno("cannot read", run_->path));
    }
    if (n == 0) {
      return Fail(Status::Corruption(run_->path + ": sorted run ends at offset " +
                                     std::to_string(at) + ", inside a block (truncated)"));
    }
    end_ += static_cast<size_t>(n);
  }
  return true;
}

bool RunReader::LoadBlock() {
  const uint64_t at = buf_offset_ + begin_;
  if (begin_ != block_end_) {
    return Fail(Status::Corruption(run_->path + ": block ending at offset " + std::to_string(at) +
                                   " has bytes after its last entry"));
  }
  if (at == run_->bytes) {
    if (ordinal_ != run_->entries) {
      return Fail(Status::Corruption(run_->path + ": sorted run holds " + std::to_string(ordinal_) +
                                     " entries, expected " + std::to_string(run_->entries)));
    }
    return false;  // the end
  }
  if (run_->bytes - at < kBlockHeaderBytes) {
    return Fail(
        Status::Corruption(run_->path + ": partial block header at offset " + std::to_string(at)));
  }
  if (!Fill(kBlockHeaderBytes)) return false;
  const char* h = buf_.data() + begin_;
  const uint32_t payload = GetU32(h);
  const uint32_t entries = GetU32(h + 4);
  const uint64_t hash = GetU64(h + 8);
  if (payload > run_->bytes - at - kBlockHeaderBytes || entries == 0) {
    return Fail(Status::Corruption(run_->path + ": block at offset " + std::to_string(at) +
                                   " claims " + std::to_string(payload) + " bytes and " +
                                   std::to_string(entries) + " entries; the file has " +
                                   std::to_string(run_->bytes - at - kBlockHeaderBytes) +
                                   " after its header"));
  }
  if (!Fill(kBlockHeaderBytes + payload)) return false;
  const char* p = buf_.data() + begin_ + kBlockHeaderBytes;
  if (XXH3_64bits(p, payload) != hash) {
    return Fail(Status::Corruption(run_->path + ": checksum mismatch in the block at offset " +
                                   std::to_string(at)));
  }
  begin_ += kBlockHeaderBytes;
  block_end_ = begin_ + payload;
  block_left_ = entries;
  return true;
}

bool RunReader::Next() {
  if (!status_.ok()) return false;
  if (block_left_ == 0 && !LoadBlock()) return false;
  const size_t left = block_end_ - begin_;
  const char* p = buf_.data() + begin_;
  const uint32_t key_len = left >= kEntryHeaderBytes ? GetU32(p) : 0;
  const uint32_t raw_value_len = left >= kEntryHeaderBytes ? GetU32(p + 4) : 0;
  const uint32_t value_len = raw_value_len & ~kDeleteBit;
  const uint64_t size = uint64_t{kEntryHeaderBytes} + key_len + value_len;
  if (left < kEntryHeaderBytes || size > left) {
    return Fail(Status::Corruption(
        run_->path + ": entry at offset " + std::to_string(buf_offset_ + begin_) +
        " does not fit in its block (" + std::to_string(left) + " bytes left)"));
  }
  key_ = std::string_view(p + kEntryHeaderBytes, key_len);
  value_ = std::string_view(p + kEntryHeaderBytes + key_len, value_len);
  is_delete_ = (raw_value_len & kDeleteBit) != 0;
  begin_ += static_cast<size_t>(size);
  --block_left_;
  ++ordinal_;
  return true;
}

}  // namespace geokg::storage
