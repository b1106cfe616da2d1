// BulkWriter. Each column family has an append-only arena of key|value bytes and a vector of
// fixed-size entries pointing into it; a spill sorts the entries (by an 8-byte big-endian key
// prefix first, so most comparisons are one integer compare), keeps the last entry of each key,
// and streams them into one SST file. Key order decides bulk speed (design notes: random
// WriteBatch ~0.2 M keys/s, sorted SST ingest 3-4 M keys/s).
//
// Ingest: the files of one column family may overlap (each spill covers the whole key space).
// RocksDB 7.8 accepts overlapping files in one IngestExternalFile call, but to keep the
// "later wins" order explicit Finish() ingests in rounds: round r holds the r-th file of every
// column family (one file per family, so no overlap inside a call), atomically across families
// through IngestExternalFiles. Files are moved (hard-linked), not copied.
#include "storage/bulk_writer.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <future>

#include "storage/index_entries.h"

namespace geokg::storage {
namespace {

namespace fs = std::filesystem;

Status FromRocks(const rocksdb::Status& s, const std::string& context) {
  if (s.ok()) return Status::OK();
  if (s.IsCorruption()) return Status::Corruption(context + ": " + s.ToString());
  if (s.IsInvalidArgument()) return Status::InvalidArgument(context + ": " + s.ToString());
  return Status::IOError(context + ": " + s.ToString());
}

uint64_t PrefixOf(std::string_view key, size_t from) {
  unsigned char b[8] = {};
  if (key.size() > from) std::memcpy(b, key.data() + from, std::min<size_t>(8, key.size() - from));
  uint64_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return v;
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::atomic<uint64_t> g_dir_counter{0};

}  // namespace

Result<std::unique_ptr<BulkWriter>> BulkWriter::Create(Store* store, const BulkOptions& options) {
  std::string dir = (fs::path(store->path()) / ("bulk-tmp-" + std::to_string(::getpid()) + "-" +
                                                std::to_string(g_dir_counter.fetch_add(1))))
                        .string();
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (!fs::create_directories(dir, ec)) {
    return Status::IOError("cannot create " + dir + ": " + ec.message());
  }
  return std::unique_ptr<BulkWriter>(new BulkWriter(store, options, std::move(dir)));
}

BulkWriter::BulkWriter(Store* store, BulkOptions options, std::string dir)
    : store_(store), options_(options), dir_(std::move(dir)) {}

BulkWriter::~BulkWriter() {
  if (!done_) Abort();
}

Status BulkWriter::Put(Cf cf, std::string_view key, std::string_view value) {
  return Add(cf, key, value, false);
}

Status BulkWriter::Delete(Cf cf, std::string_view key) { return Add(cf, key, {}, true); }

Status BulkWriter::Add(Cf cf, std::string_view key, std::string_view value, bool is_delete) {
  if (done_) return Status::InvalidArgument("BulkWriter used after Finish/Abort");
  Buffer& b = buffers_[static_cast<int>(cf)];
  size_t before = b.footprint();
  Entry e;
  e.prefix = PrefixOf(key, 0);
  e.prefix2 = PrefixOf(key, 8);
  e.offset = b.arena.size();
  e.key_len = static_cast<uint32_t>(key.size());
  e.value_len = static_cast<uint32_t>(value.size());
  e.seq = static_cast<uint32_t>(b.entries.size());
  e.is_delete = is_delete;
  b.arena.append(key);
  b.arena.append(value);
  b.entries.push_back(e);
  buffered_ += b.footprint() - before;
  ++stats_.entries;
  return MaybeSpill();
}

Status BulkWriter::PutNode(const Node& node) {
  NodeEntries(node, [this](Cf cf, std::string_view k, std::string_view v) {
    Status s = Put(cf, k, v);
    if (!s.ok() && sticky_.ok()) sticky_ = s;
  });
  return sticky_;
}

Status BulkWriter::PutEdge(const Edge& edge, bool with_payload) {
  EdgeEntries(edge, with_payload, [this](Cf cf, std::string_view k, std::string_view v) {
    Status s = Put(cf, k, v);
    if (!s.ok() && sticky_.ok()) sticky_ = s;
  });
  return sticky_;
}

Result<std::optional<std::string>> BulkWriter::GetStored(Cf cf, std::string_view key) const {
  std::string value;
  rocksdb::Status s = store_->raw_db()->Get(rocksdb::ReadOptions(), store_->cf(cf),
                                            rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "reading " + std::string(CfName(cf)));
  return std::optional<std::string>(std::move(value));
}

Status BulkWriter::MaybeSpill() {
  // Start a background spill at half the budget; at the full budget wait for it and, if still
  // over, spill in the foreground.
  if (buffered_ <= options_.memory_budget / 2) return Status::OK();
  if (inflight_.valid()) {
    if (buffered_ <= options_.memory_budget) return Status::OK();
    GEOKG_RETURN_IF_ERROR(WaitForSpill());
    if (buffered_ <= options_.memory_budget / 2) return Status::OK();
  }
  int largest = 0;
  for (int i = 1; i < kCfCount; ++i) {
    if (buffers_[i].footprint() > buffers_[largest].footprint()) largest = i;
  }
  ++stats_.spills;
  return Spill(largest, /*async=*/buffered_ <= options_.memory_budget);
}

Status BulkWriter::WaitForSpill() {
  if (!inflight_.valid()) return Status::OK();
  Status s = inflight_.get();
  const BulkStats& part = inflight_data_->stats;
  stats_.written += part.written;
  stats_.duplicates += part.duplicates;
  for (int i = 0; i < kCfCount; ++i) stats_.duplicates_by_cf[i] += part.duplicates_by_cf[i];
  stats_.files += part.files;
  stats_.file_bytes += part.file_bytes;
  stats_.sort_seconds += part.sort_seconds;
  stats_.write_seconds += part.write_seconds;
  buffered_ -= inflight_data_->footprint;
  inflight_data_.reset();
  return s;
}

Status BulkWriter::Spill(int cf, bool async) {
  Buffer& b = buffers_[cf];
  if (b.entries.empty()) return Status::OK();
  GEOKG_RETURN_IF_ERROR(WaitForSpill());  // one at a time keeps each family's files in order
  auto data = std::make_unique<Spilled>();
  data->footprint = b.footprint();
  data->arena.swap(b.arena);
  data->entries.swap(b.entries);
  std::string path = (fs::path(dir_) / (std::string(CfName(static_cast<Cf>(cf))) + "-" +
                                        std::to_string(++file_counter_) + ".sst"))
                         .string();
  b.files.push_back(path);
  inflight_data_ = std::move(data);
  Spilled* raw = inflight_data_.get();
  Store* store = store_;
  inflight_ = std::async(
      async ? std::launch::async : std::launch::deferred,
      [store, cf, path, raw] { return WriteFile(store, static_cast<Cf>(cf), path, raw); });
  if (!async) return WaitForSpill();
  return Status::OK();
}

Status BulkWriter::WriteFile(Store* store, Cf cf, const std::string& path, Spilled* b) {
  auto t0 = std::chrono::steady_clock::now();
  const char* arena = b->arena.data();
  auto key_of = [arena](const Entry& e) { return std::string_view(arena + e.offset, e.key_len); };
  std::sort(b->entries.begin(), b->entries.end(), [&](const Entry& x, const Entry& y) {
    if (x.prefix != y.prefix) return x.prefix < y.prefix;
    if (x.prefix2 != y.prefix2) return x.prefix2 < y.prefix2;
    int c = key_of(x).compare(key_of(y));
    if (c != 0) return c < 0;
    return x.seq < y.seq;
  });
  b->stats.sort_seconds += Since(t0);

  t0 = std::chrono::steady_clock::now();
  rocksdb::ColumnFamilyHandle* handle = store->cf(cf);
  rocksdb::Options options = store->raw_db()->GetOptions(handle);
  // LZ4 compresses these keys about as well as Snappy at a fraction of the CPU; compaction
  // rewrites with the family's own setting later.
  options.compression = rocksdb::kLZ4Compression;
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(options), options, handle);
  GEOKG_RETURN_IF_ERROR(FromRocks(writer.Open(path), "bulk write " + path));
  const size_t n = b->entries.size();
  for (size_t i = 0; i < n; ++i) {
    const Entry& e = b->entries[i];
    // Keep only the last of a run of equal keys (the highest seq sorts last).
    if (i + 1 < n && b->entries[i + 1].prefix == e.prefix &&
        b->entries[i + 1].prefix2 == e.prefix2 && key_of(b->entries[i + 1]) == key_of(e)) {
      ++b->stats.duplicates;
      ++b->stats.duplicates_by_cf[static_cast<int>(cf)];
      continue;
    }
    rocksdb::Slice key(arena + e.offset, e.key_len);
    rocksdb::Status s =
        e.is_delete ? writer.Delete(key)
                    : writer.Put(key, rocksdb::Slice(arena + e.offset + e.key_len, e.value_len));
    GEOKG_RETURN_IF_ERROR(FromRocks(s, "bulk write " + path));
    ++b->stats.written;
  }
  rocksdb::ExternalSstFileInfo info;
  GEOKG_RETURN_IF_ERROR(FromRocks(writer.Finish(&info), "bulk write " + path));
  b->stats.file_bytes += info.file_size;
  ++b->stats.files;
  b->stats.write_seconds += Since(t0);
  // Give the memory back now: the budget bounds resident size.
  std::string().swap(b->arena);
  std::vector<Entry>().swap(b->entries);
  return Status::OK();
}

Status BulkWriter::Finish() {
  if (done_) return Status::InvalidArgument("BulkWriter::Finish called twice");
  GEOKG_RETURN_IF_ERROR(sticky_);
  for (int cf = 0; cf < kCfCount; ++cf) {
    Status s = Spill(cf, /*async=*/true);
    if (!s.ok()) {
      Abort();
      return s;
    }
  }
  if (Status s = WaitForSpill(); !s.ok()) {
    Abort();
    return s;
  }
  auto t0 = std::chrono::steady_clock::now();
  size_t rounds = 0;
  for (const auto& b : buffers_) rounds = std::max(rounds, b.files.size());
  for (size_t r = 0; r < rounds; ++r) {
    std::vector<rocksdb::IngestExternalFileArg> args;
    for (int cf = 0; cf < kCfCount; ++cf) {
      if (buffers_[cf].files.size() <= r) continue;
      rocksdb::IngestExternalFileArg arg;
      arg.column_family = store_->cf(static_cast<Cf>(cf));
      arg.external_files = {buffers_[cf].files[r]};
      arg.options.move_files = true;
      args.push_back(std::move(arg));
    }
    rocksdb::Status s = store_->raw_db()->IngestExternalFiles(args);
    if (!s.ok()) {
      Abort();
      return FromRocks(s, "ingesting bulk files (round " + std::to_string(r + 1) + " of " +
                              std::to_string(rounds) + ")");
    }
  }
  stats_.ingest_seconds += Since(t0);
  done_ = true;
  std::error_code ec;
  fs::remove_all(dir_, ec);
  if (rounds > 0) GEOKG_RETURN_IF_ERROR(store_->BumpGeneration());
  return Status::OK();
}

void BulkWriter::Abort() {
  done_ = true;
  WaitForSpill().IgnoreError();  // its file is deleted with the directory below
  for (auto& b : buffers_) {
    std::string().swap(b.arena);
    std::vector<Entry>().swap(b.entries);
    b.files.clear();
  }
  buffered_ = 0;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

}  // namespace geokg::storage
