// BulkWriter. Each column family has an arena of key|value bytes in fixed-size chunks (growing
// never copies) and a vector of 32-byte entries pointing into it. A spill hands both to a writer
// thread, which sorts the entries, keeps the last entry of each key and streams them into one
// SST file. Key order decides bulk speed (design notes: random WriteBatch ~0.2 M keys/s, sorted
// SST ingest 3-4 M keys/s).
//
// Sort: the writer picks 16 key positions: those (among the first 64, below the shortest key's
// length) where some key of the buffer differs from the first one, then the positions after.
// Constant bytes (a common prefix like the keys family's "event:tkg:ICEWS18:", the high bytes of
// a type or a time) are skipped, so 16 bytes tell apart nearly all keys, adjacency keys by node,
// type, time and neighbour. It loads those bytes of every key into two big-endian words (one
// sequential pass over the arena) and sorts the entries in place with an MSD radix sort on them
// (American flag sort: McIlroy, Bostic, McIlroy, "Engineering radix sort", Computing Systems
// 6(1), 1993). A large bucket still tied after 16 bytes is refilled with the next 16; small
// buckets fall back to comparisons of the full keys, then of arena positions (insertion order),
// so equal keys keep their order and the last one wins. Skipping only bytes that are equal in
// every key, and zero-padding short keys, keeps the order byte-wise.
//
// Write: sorted order visits the arena at random, and SstFileWriter fed straight from it stalled
// on a cache miss per key; a tight loop gathers the next entries (prefetching ahead) into a
// small staging buffer that the writer then reads from cache.
//
// Ingest: the files of one column family may overlap (each spill covers the whole key space).
// Finish() ingests every file of every family in one IngestExternalFiles call, each family's
// files in spill order: RocksDB (7.8, external_sst_file_ingestion_job.cc) detects overlapping
// files in one call, puts them in L0 and gives them increasing global sequence numbers in list
// order, so a later spill's entry wins over an earlier one's; the call records all families in
// one MANIFEST write, so a failure leaves none of the files visible. Files are moved
// (hard-linked), not copied.
#include "storage/bulk_writer.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <time.h>
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

// Up to 8 bytes at `p` (`avail` of them exist) as a big-endian word, zero-padded.
uint64_t LoadWord(const char* p, size_t avail) {
  uint64_t v = 0;
  if (avail >= 8) {
    std::memcpy(&v, p, 8);
    return __builtin_bswap64(v);
  }
  unsigned char b[8] = {};
  std::memcpy(b, p, avail);
  std::memcpy(&v, b, 8);
  return __builtin_bswap64(v);
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU seconds used by the calling thread: writer threads share two cores with the caller, so
// their wall time says little about their cost.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::atomic<uint64_t> g_dir_counter{0};

// Sorts entries (BulkWriter::Entry) by key, then insertion order; see the top. On entry the
// words hold key bytes [lcp, lcp + 16), zero-padded; a bucket still tied on all 16 bytes is
// refilled with the next 16 (the keys family's "event:tkg:ICEWS1" needs that). Comparing
// zero-padded bytes, then lengths, is the byte-wise order of the keys.
template <typename E>
class EntrySorter {
 public:
  EntrySorter(const std::unique_ptr<char[]>* chunks, size_t lcp) : chunks_(chunks), lcp_(lcp) {}

  const char* KeyOf(const E& e) const {
    return chunks_[e.offset >> 32].get() + (e.offset & 0xffffffffu);
  }
  // Full order: key, then insertion order. The words must hold the same bytes in x and y.
  bool Less(const E& x, const E& y) const {
    if (x.word[0] != y.word[0]) return x.word[0] < y.word[0];
    if (x.word[1] != y.word[1]) return x.word[1] < y.word[1];
    int c = Rest(x).compare(Rest(y));
    if (c != 0) return c < 0;
    return x.offset < y.offset;
  }
  bool SameKey(const E& x, const E& y) const {
    return x.word[0] == y.word[0] && x.word[1] == y.word[1] && x.key_len == y.key_len &&
           Rest(x) == Rest(y);
  }
  // Loads the key bytes at positions pos[0..16) (increasing; zero past a key's end) into the
  // words.
  void Fill(E* a, size_t n, const uint32_t* pos) const {
    if (pos[15] == pos[0] + 15) {  // contiguous: two loads
      const size_t from = pos[0];
      for (size_t i = 0; i < n; ++i) {
        E& e = a[i];
        const char* k = KeyOf(e);
        size_t rest = e.key_len > from ? e.key_len - from : 0;
        e.word[0] = LoadWord(k + from, std::min<size_t>(rest, 8));
        e.word[1] = rest > 8 ? LoadWord(k + from + 8, std::min<size_t>(rest - 8, 8)) : 0;
      }
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      E& e = a[i];
      const char* k = KeyOf(e);
      unsigned char b[16];
      for (int j = 0; j < 16; ++j) b[j] = pos[j] < e.key_len ? k[pos[j]] : 0;
      e.word[0] = LoadWord(reinterpret_cast<const char*>(b), 8);
      e.word[1] = LoadWord(reinterpret_cast<const char*>(b) + 8, 8);
    }
  }

  // `depth`: the word byte (0..15) to split on; `after`: the key position after the last one
  // the words hold (the keys of `a` are equal on every position before it outside the words).
  void Sort(E* a, size_t n, int depth, size_t after) const {
    for (;;) {
      if (n <= kSmall) {
        // Insertion sort: buckets this small are nearly always tiny.
        for (size_t i = 1; i < n; ++i) {
          E v = a[i];
          size_t j = i;
          for (; j > 0 && Less(v, a[j - 1]); --j) a[j] = a[j - 1];
          a[j] = v;
        }
        return;
      }
      if (depth == 16) {
        size_t longest = 0;
        for (size_t i = 0; i < n; ++i) longest = std::max<size_t>(longest, a[i].key_len);
        if (longest <= after) {  // equal keys (or only lengths differ): comparisons
          std::sort(a, a + n, [this](const E& x, const E& y) { return Less(x, y); });
          return;
        }
        uint32_t pos[16];
        for (int j = 0; j < 16; ++j) pos[j] = static_cast<uint32_t>(after + j);
        Fill(a, n, pos);
        after += 16;
        depth = 0;
      }
      size_t count[256] = {};
      for (size_t i = 0; i < n; ++i) ++count[ByteAt(a[i], depth)];
      if (count[ByteAt(a[0], depth)] == n) {  // one bucket: look at the next byte
        ++depth;
        continue;
      }
      size_t end[256], next[256];
      size_t sum = 0;
      for (int b = 0; b < 256; ++b) {
        next[b] = sum;
        sum += count[b];
        end[b] = sum;
      }
      // Cycle each misplaced entry into its bucket.
      for (int b = 0; b < 256; ++b) {
        while (next[b] < end[b]) {
          E v = a[next[b]];
          int vb = ByteAt(v, depth);
          while (vb != b) {
            std::swap(v, a[next[vb]++]);
            vb = ByteAt(v, depth);
          }
          a[next[b]++] = v;
        }
      }
      size_t from = 0;
      for (int b = 0; b < 256; ++b) {
        if (count[b] > 1) Sort(a + from, count[b], depth + 1, after);
        from += count[b];
      }
      return;
    }
  }

 private:
  static constexpr size_t kSmall = 16;
  static int ByteAt(const E& e, int depth) {
    return static_cast<int>((e.word[depth >> 3] >> (56 - 8 * (depth & 7))) & 0xff);
  }
  std::string_view Rest(const E& e) const {
    return std::string_view(KeyOf(e) + lcp_, e.key_len - lcp_);
  }
  const std::unique_ptr<char[]>* chunks_;
  size_t lcp_;
};

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
    : store_(store),
      options_(options),
      dir_(std::move(dir)),
      // Small against the budget (the unused tail of each family's last chunk is not counted),
      // big enough that allocating one is rare.
      chunk_size_(std::clamp<size_t>(options.memory_budget / 64, 4 << 10, 1 << 20)) {}

BulkWriter::~BulkWriter() {
  if (!done_) Abort();
}

Status BulkWriter::Put(Cf cf, std::string_view key, std::string_view value) {
  return Add(cf, key, value, false);
}

Status BulkWriter::Delete(Cf cf, std::string_view key) { return Add(cf, key, {}, true); }

Status BulkWriter::Add(Cf cf, std::string_view key, std::string_view value, bool is_delete) {
  if (done_) return Status::InvalidArgument("BulkWriter used after Finish/Abort");
  if (key.size() >= kDeleteBit || value.size() >= kDeleteBit) {
    return Status::InvalidArgument("bulk entry too large (" + std::to_string(key.size()) + "+" +
                                   std::to_string(value.size()) + " bytes)");
  }
  Buffer& b = buffers_[static_cast<int>(cf)];
  const size_t need = key.size() + value.size();
  if (b.chunks.empty() || b.chunk_used + need > b.chunk_cap) {
    size_t cap = std::max(chunk_size_, need);
    b.chunks.emplace_back(new char[cap]);
    b.chunk_cap = cap;
    b.chunk_used = 0;
  }
  if (b.entries.empty() && b.entries.capacity() < b.expected_entries) {
    b.entries.reserve(b.expected_entries);
  }
  char* p = b.chunks.back().get() + b.chunk_used;
  std::memcpy(p, key.data(), key.size());
  if (!value.empty()) std::memcpy(p + key.size(), value.data(), value.size());
  Entry& e = b.entries.emplace_back();
  e.offset = (static_cast<uint64_t>(b.chunks.size() - 1) << 32) | b.chunk_used;
  e.key_len = static_cast<uint32_t>(key.size());
  e.value_len = static_cast<uint32_t>(value.size()) | (is_delete ? kDeleteBit : 0);
  b.chunk_used += need;
  b.bytes += need;
  buffered_ += need + sizeof(Entry);
  ++stats_.entries;
  if (buffered_ <= options_.memory_budget / 2) return Status::OK();
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
  // From half the budget on, hand the largest filling buffer to a writer thread whenever one is
  // free; over the full budget, wait for the oldest spill (or, with none in flight, write in
  // the foreground).
  const size_t budget = options_.memory_budget;
  const size_t threads = static_cast<size_t>(std::max(1, options_.writer_threads));
  while (buffered_ > budget && !inflight_.empty()) GEOKG_RETURN_IF_ERROR(WaitForOldest());
  auto filling = [&] {
    size_t f = buffered_;
    for (const auto& s : inflight_) f -= s->footprint;
    return f;
  };
  if (filling() <= budget / 2) return Status::OK();
  // All writer threads busy: take the finished ones (if any) off the queue.
  while (inflight_.size() >= threads &&
         inflight_.front()->done.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    GEOKG_RETURN_IF_ERROR(WaitForOldest());
  }
  if (inflight_.size() >= threads || filling() <= budget / 2) return Status::OK();
  int largest = 0;
  for (int i = 1; i < kCfCount; ++i) {
    if (buffers_[i].footprint() > buffers_[largest].footprint()) largest = i;
  }
  ++stats_.spills;
  return Spill(largest, /*async=*/buffered_ <= budget);
}

Status BulkWriter::WaitForOldest() {
  if (inflight_.empty()) return Status::OK();
  auto t0 = std::chrono::steady_clock::now();
  std::unique_ptr<Spilled> job = std::move(inflight_.front());
  inflight_.pop_front();
  Status s = job->done.get();
  stats_.wait_seconds += Since(t0);
  const BulkStats& part = job->stats;
  stats_.written += part.written;
  stats_.duplicates += part.duplicates;
  for (int i = 0; i < kCfCount; ++i) stats_.duplicates_by_cf[i] += part.duplicates_by_cf[i];
  stats_.files += part.files;
  stats_.file_bytes += part.file_bytes;
  stats_.sort_seconds += part.sort_seconds;
  stats_.write_seconds += part.write_seconds;
  buffered_ -= job->footprint;
  return s;
}

Status BulkWriter::WaitForAll() {
  Status first;
  while (!inflight_.empty()) {
    Status s = WaitForOldest();
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

Status BulkWriter::Spill(int cf, bool async) {
  Buffer& b = buffers_[cf];
  if (b.entries.empty()) return Status::OK();
  const size_t threads = static_cast<size_t>(std::max(1, options_.writer_threads));
  while (inflight_.size() >= threads) GEOKG_RETURN_IF_ERROR(WaitForOldest());
  auto job = std::make_unique<Spilled>();
  job->cf = static_cast<Cf>(cf);
  job->footprint = b.footprint();
  job->chunks.swap(b.chunks);
  job->entries.swap(b.entries);
  b.expected_entries = job->entries.size();
  b.bytes = b.chunk_used = b.chunk_cap = 0;
  // The file name fixes the family's ingest order (spill order), whatever order the writer
  // threads finish in.
  job->path = (fs::path(dir_) /
               (std::string(CfName(job->cf)) + "-" + std::to_string(++file_counter_) + ".sst"))
                  .string();
  b.files.push_back(job->path);
  Spilled* raw = job.get();
  Store* store = store_;
  job->done = std::async(async ? std::launch::async : std::launch::deferred,
                         [store, raw] { return WriteFile(store, raw); });
  inflight_.push_back(std::move(job));
  if (!async) return WaitForAll();
  return Status::OK();
}

Status BulkWriter::WriteFile(Store* store, Spilled* b) {
  double t0 = ThreadCpuSeconds();
  Entry* entries = b->entries.data();
  const size_t n = b->entries.size();
  const std::unique_ptr<char[]>* chunks = b->chunks.data();
  auto key_of = [chunks](const Entry& e) {
    return chunks[e.offset >> 32].get() + (e.offset & 0xffffffffu);
  };
  // The sort words hold 16 key positions: those below kScan (and below the shortest key's
  // length) where some key differs from the first key, then every position after kScan. Bytes
  // that never vary (a common prefix, the high bytes of a type or a time) are skipped, so
  // adjacency keys are told apart by node, type, time and neighbour within their 16 bytes.
  constexpr size_t kScan = 64;
  size_t min_len = entries[0].key_len;
  for (size_t i = 1; i < n; ++i) min_len = std::min<size_t>(min_len, entries[i].key_len);
  const size_t scan = std::min(min_len, kScan);
  const char* first = key_of(entries[0]);
  // Bytes where some key differs from the first: XORs ORed together, a word at a time.
  uint64_t diff[kScan / 8] = {};
  unsigned char diff_tail[8] = {};
  const size_t whole = scan / 8;
  for (size_t i = 1; i < n; ++i) {
    const char* k = key_of(entries[i]);
    for (size_t w = 0; w < whole; ++w) {
      uint64_t x, y;
      std::memcpy(&x, k + 8 * w, 8);
      std::memcpy(&y, first + 8 * w, 8);
      diff[w] |= x ^ y;
    }
    for (size_t p = 8 * whole; p < scan; ++p) diff_tail[p - 8 * whole] |= k[p] ^ first[p];
  }
  unsigned char differs[kScan] = {};
  std::memcpy(differs, diff, 8 * whole);
  std::memcpy(differs + 8 * whole, diff_tail, scan - 8 * whole);
  uint32_t pos[16];
  int npos = 0;
  for (size_t p = 0; p < scan && npos < 16; ++p) {
    if (differs[p] != 0) pos[npos++] = static_cast<uint32_t>(p);
  }
  for (size_t p = scan; npos < 16; ++p) pos[npos++] = static_cast<uint32_t>(p);
  const size_t lcp = pos[0];  // every key has the same bytes before it
  EntrySorter<Entry> sorter(chunks, lcp);
  sorter.Fill(entries, n, pos);
  sorter.Sort(entries, n, 0, pos[15] + 1);
  b->stats.sort_seconds += ThreadCpuSeconds() - t0;

  t0 = ThreadCpuSeconds();
  rocksdb::ColumnFamilyHandle* handle = store->cf(b->cf);
  rocksdb::Options options = store->raw_db()->GetOptions(handle);
  // Values (Cap'n Proto nodes and edges) shrink about 4x with LZ4, at a fraction of Snappy's
  // CPU; the index families hold hashes, ids and times that LZ4 shrinks by only a quarter to a
  // third (ICEWS18), not worth its CPU, so their bulk files stay uncompressed. Compaction
  // rewrites everything with the family's own setting later.
  options.compression = b->cf == Cf::kNodes || b->cf == Cf::kEdges ? rocksdb::kLZ4Compression
                                                                   : rocksdb::kNoCompression;
  // The file is ingested and read right away: keep its pages cached.
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(options), options, handle,
                                /*invalidate_page_cache=*/false);
  const std::string& path = b->path;
  GEOKG_RETURN_IF_ERROR(FromRocks(writer.Open(path), "bulk write " + path));
  // Sorted order visits the arena at random. Fed straight from it, SstFileWriter stalled on a
  // cache miss per key (it showed as memcmp in SstFileWriter::Add); instead a tight loop gathers
  // the next entries (prefetching a few ahead, so the misses overlap) into a small staging
  // buffer that stays in cache, and the writer reads from there.
  constexpr size_t kAhead = 16;
  auto prefetch = [&](const Entry& e) {
    const char* p = key_of(e);
    size_t len = std::min<size_t>(e.key_len + (e.value_len & ~kDeleteBit), 256);
    for (size_t off = 0; off < len; off += 64) __builtin_prefetch(p + off);
  };
  std::vector<char> stage(size_t{256} << 10);
  std::vector<size_t> staged;  // entry indexes, in stage order
  for (size_t i = 0; i < std::min(n, kAhead); ++i) prefetch(entries[i]);
  size_t i = 0;
  while (i < n) {
    size_t used = 0;
    staged.clear();
    for (; i < n; ++i) {
      if (i + kAhead < n) prefetch(entries[i + kAhead]);
      const Entry& e = entries[i];
      // Keep only the last of a run of equal keys (insertion order sorts last).
      if (i + 1 < n && sorter.SameKey(entries[i + 1], e)) {
        ++b->stats.duplicates;
        ++b->stats.duplicates_by_cf[static_cast<int>(b->cf)];
        continue;
      }
      size_t len = e.key_len + (e.value_len & ~kDeleteBit);
      if (used + len > stage.size()) {
        if (!staged.empty()) break;
        stage.resize(len);
      }
      std::memcpy(stage.data() + used, key_of(e), len);
      used += len;
      staged.push_back(i);
    }
    const char* p = stage.data();
    for (size_t idx : staged) {
      const Entry& e = entries[idx];
      const uint32_t value_len = e.value_len & ~kDeleteBit;
      rocksdb::Slice key(p, e.key_len);
      rocksdb::Status s = (e.value_len & kDeleteBit) != 0
                              ? writer.Delete(key)
                              : writer.Put(key, rocksdb::Slice(p + e.key_len, value_len));
      GEOKG_RETURN_IF_ERROR(FromRocks(s, "bulk write " + path));
      p += e.key_len + value_len;
      ++b->stats.written;
    }
  }
  rocksdb::ExternalSstFileInfo info;
  GEOKG_RETURN_IF_ERROR(FromRocks(writer.Finish(&info), "bulk write " + path));
  b->stats.file_bytes += info.file_size;
  ++b->stats.files;
  b->stats.write_seconds += ThreadCpuSeconds() - t0;
  // Give the memory back now: the budget bounds resident size.
  std::vector<std::unique_ptr<char[]>>().swap(b->chunks);
  std::vector<Entry>().swap(b->entries);
  return Status::OK();
}

Status BulkWriter::Finish() {
  if (done_) return Status::InvalidArgument("BulkWriter::Finish called twice");
  GEOKG_RETURN_IF_ERROR(sticky_);
  // The last buffers, largest first, spread over the writer threads.
  std::vector<int> order;
  for (int cf = 0; cf < kCfCount; ++cf) order.push_back(cf);
  std::stable_sort(order.begin(), order.end(), [this](int x, int y) {
    return buffers_[x].footprint() > buffers_[y].footprint();
  });
  for (int cf : order) {
    Status s = Spill(cf, /*async=*/true);
    if (!s.ok()) {
      Abort();
      return s;
    }
  }
  if (Status s = WaitForAll(); !s.ok()) {
    Abort();
    return s;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (int cf = 0; cf < kCfCount; ++cf) {
    if (buffers_[cf].files.empty()) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store_->cf(static_cast<Cf>(cf));
    arg.external_files = buffers_[cf].files;  // spill order: later files win
    arg.options.move_files = true;
    // The sequence number lives in the MANIFEST only: writing it into each file would cost a
    // write and an fsync per file (the files overlap, so every one gets a number).
    arg.options.write_global_seqno = false;
    args.push_back(std::move(arg));
  }
  if (!args.empty()) {
    rocksdb::Status s = store_->raw_db()->IngestExternalFiles(args);
    if (!s.ok()) {
      Abort();
      return FromRocks(s, "ingesting bulk files");
    }
  }
  stats_.ingest_seconds += Since(t0);
  done_ = true;
  std::error_code ec;
  fs::remove_all(dir_, ec);
  if (!args.empty()) GEOKG_RETURN_IF_ERROR(store_->BumpGeneration());
  return Status::OK();
}

void BulkWriter::Abort() {
  done_ = true;
  WaitForAll().IgnoreError();  // their files are deleted with the directory below
  for (auto& b : buffers_) {
    std::vector<std::unique_ptr<char[]>>().swap(b.chunks);
    std::vector<Entry>().swap(b.entries);
    b.bytes = b.chunk_used = b.chunk_cap = 0;
    b.files.clear();
  }
  buffered_ = 0;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

}  // namespace geokg::storage
