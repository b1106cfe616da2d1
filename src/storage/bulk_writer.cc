// BulkWriter. Each column family has an arena of key|value bytes in fixed-size chunks (growing
// never copies) and a vector of 32-byte entries pointing into it. A spill hands both to a writer
// thread, which sorts the entries, keeps the last entry of each key and streams them into one
// sorted run (storage/sorted_run.h). Finish() merges each family's runs and last buffer into SST
// files that do not overlap. Key order decides bulk speed (design notes: random WriteBatch ~0.2 M
// keys/s, sorted SST ingest 3-4 M keys/s).
//
// Sort: the writer picks 16 key positions: those (among the first 64, below the shortest key's
// length) where some key of the buffer differs from the first one, then the positions after.
// Constant bytes (a common prefix like the names family's "kim jong ", the high bytes of a type
// or a time) are skipped, so 16 bytes tell apart nearly all keys, adjacency keys by node,
// type, time and neighbour. It loads those bytes of every key into two big-endian words (one
// sequential pass over the arena) and sorts the entries in place with an MSD radix sort on them
// (American flag sort: McIlroy, Bostic, McIlroy, "Engineering radix sort", Computing Systems
// 6(1), 1993). A large bucket still tied after 16 bytes is refilled with the next 16; small
// buckets fall back to comparisons of the full keys, then of arena positions (insertion order),
// so equal keys keep their order and the last one wins. Skipping only bytes that are equal in
// every key, and zero-padding short keys, keeps the order byte-wise.
//
// Spill: sorted order visits the arena at random; the loop that copies entries into the run's
// write buffer prefetches a few entries ahead so that the cache misses overlap.
//
// Merge: every spill covers the whole key space (ids are hashes), so SST files written one per
// spill would overlap, land in level 0 and cost a compaction that re-reads and re-writes
// everything. Instead Finish() merges, per family, its runs (oldest first) and its last buffer
// (sorted in memory, never written as a run) into one sorted stream, the newest entry of each
// key winning (a delete is kept as an SST delete, so it still shadows older data in the store),
// and cuts the stream into SST files between keys: files of one family never overlap, and in an
// empty family IngestExternalFiles puts each in the bottom level (RocksDB 7.8,
// external_sst_file_ingestion_job.cc: a file that overlaps nothing goes to the lowest level it
// fits in). The merge is a tournament tree of losers (Knuth, TAOCP vol. 3, 5.4.1: one comparison
// per tree level per entry) comparing, like the sort, two big-endian words first: the 16 key
// bytes after the prefix that every key of the family shares, then the rest of the keys.
// Families are merged in parallel on the writer threads, largest first; a large family is cut
// into key ranges of about a quarter of a thread's share of all the bytes, at splitters picked
// from the runs' segment keys (weighted by bytes) and the buffer, each range merged into its own
// files; with pieces that small the threads run out of work at about the same time.
//
// Versions: a node put twice may have derived different index entries and role edges in each
// version. The nodes family keeps every version through spills and merge passes (newest first
// within a key), and its last merge compares each superseded version with the final one
// (StaleEntries); the entries only superseded versions derived are deleted. The nodes pieces are
// merged first; a family that turns out to have stale entries (rare: none unless a node was put
// twice with different values) is merged again, whole, with their deletes as its newest source,
// so the families keep their runs and buffers until the nodes family is done.
//
// Facts' entries: an event fact (PutFact) puts no index or adjacency entries. Finish() sorts the
// records into key order (copied: read through an order, they missed the cache on every record),
// marks the final version of each fact's key and notes what its entries can start with
// (DerivedReach); PrepareFacts has that done on another core while the caller still puts other
// nodes. Each piece of the `out` and `event_index` families then derives the entries that fall
// in its key range (DerivedSource): one pass over the records in sequence, skipping the facts
// whose reach misses the range, the template expanding only each remaining fact's event, the full
// entry built only for participants whose id can be in range, then a sort by the entries' page
// key alone (WindowSort: the rest of an entry's key starts with its fact's id, in order already).
// These are the entries PutNode would have put, and the only ones: superseded versions derive none
// (their stale entries in the store are still found by StaleEntries). Against buffering them as
// other entries are (ICEWS18: 1.4 M entries sorted, spilled to runs, read back, merged) the
// import's CPU went from 1.13 to 1.0 s. The piece's derived entries (48 bytes each) are held while
// it merges; the rare second merge of a family with stale entries holds the whole family's.
//
// Stored data: in a family that held anything when the writer was created, the merge reads what
// the store holds alongside (a forward iterator, a Seek only when the next key is far ahead), so
// each stored key is read once and in order. A put equal to the stored entry is not written; in
// the nodes family the stored version counts as the oldest (StaleEntries deletes what only it
// derived); a page is merged with the stored page and not written when that leaves it as it was.
// Writing again what the store holds thus writes no file at all (a re-import of ICEWS18: 1.1 s,
// where a Get per event had taken 3.4 s).
//
// Memory: Finish() keeps a quarter of the budget for the runs' read buffers (spilling the largest
// buffers first if the rest is over), a slice per thread. A family with more runs than one slice
// can read at once (at least 4-64 KiB a run) first merges its oldest runs into one (repeatedly),
// so the merge stays within the budget whatever the input size.
//
// Ingest: every file of every family goes into one IngestExternalFiles call, which records all
// families in one MANIFEST write, so a failure leaves none of the files visible. Files are moved
// (hard-linked), not copied.
#include "storage/bulk_writer.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "codec/fact_codec.h"
#include "codec/key_codec.h"
#include "storage/index_entries.h"
#include "storage/pages.h"
#include "storage/rocks_util.h"

namespace geokg::storage {

constexpr size_t kMaxDerivedKey = 40;  // bytes of an entry key a fact derives
static_assert(codec::kAdjKeySize <= kMaxDerivedKey && codec::kEventByCodeKeySize <= kMaxDerivedKey);

// An entry DerivedSource derives: its key as big-endian words, zero-padded, and its value.
struct DerivedItem {
  uint64_t w[kMaxDerivedKey / 8];
  char value[4];
};

// Room for DerivedSource's items and their sort, handed from piece to piece: each piece's fresh
// room was page-faulted in, 4 KiB at a time (ICEWS18: a fifth of the import's page faults). Finish
// fills it while it waits for PrepareFacts' work (Warm), so that the first pieces find theirs
// paged in too.
class DerivedRoom {
 public:
  std::vector<DerivedItem> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) return {};
    std::vector<DerivedItem> v = std::move(free_.back());
    free_.pop_back();
    return v;
  }
  void Give(std::vector<DerivedItem> v) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(v));
  }
  // Adds `count` rooms of `items` items each, paged in.
  void Warm(size_t count, size_t items) {
    for (size_t i = 0; i < count; ++i) Give(std::vector<DerivedItem>(items));
  }

 private:
  std::mutex mu_;
  std::vector<std::vector<DerivedItem>> free_;
};

namespace {

namespace fs = std::filesystem;

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
// refilled with the next 16 (keys sharing a long prefix after the skipped bytes need that).
// Comparing zero-padded bytes, then lengths, is the byte-wise order of the keys.
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

template <typename E>
const char* ArenaKey(const std::unique_ptr<char[]>* chunks, const E& e) {
  return chunks[e.offset >> 32].get() + (e.offset & 0xffffffffu);
}

// Of two entries of a buffer sorted by SortEntries. Equal keys were tied in every bucket they
// went through, so their sort words hold the same bytes: words that differ settle it without
// touching the arena (comparing the bytes there cost a cache miss per entry).
template <typename E>
bool SameKey(const std::unique_ptr<char[]>* chunks, const E& x, const E& y) {
  return x.word[0] == y.word[0] && x.word[1] == y.word[1] && x.key_len == y.key_len &&
         std::memcmp(ArenaKey(chunks, x), ArenaKey(chunks, y), x.key_len) == 0;
}

// Sorts entries by key, then insertion order (see the top).
template <typename E>
void SortEntries(E* entries, size_t n, const std::unique_ptr<char[]>* chunks) {
  if (n == 0) return;
  // The sort words hold 16 key positions: those below kScan (and below the shortest key's
  // length) where some key differs from the first key, then every position after kScan. Bytes
  // that never vary (a common prefix, the high bytes of a type or a time) are skipped, so
  // adjacency keys are told apart by node, type, time and neighbour within their 16 bytes.
  constexpr size_t kScan = 64;
  size_t min_len = entries[0].key_len;
  for (size_t i = 1; i < n; ++i) min_len = std::min<size_t>(min_len, entries[i].key_len);
  const size_t scan = std::min(min_len, kScan);
  const char* first = ArenaKey(chunks, entries[0]);
  // Bytes where some key differs from the first: XORs ORed together, a word at a time.
  uint64_t diff[kScan / 8] = {};
  unsigned char diff_tail[8] = {};
  const size_t whole = scan / 8;
  for (size_t i = 1; i < n; ++i) {
    const char* k = ArenaKey(chunks, entries[i]);
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
  EntrySorter<E> sorter(chunks, lcp);
  sorter.Fill(entries, n, pos);
  sorter.Sort(entries, n, 0, pos[15] + 1);
}

// Entries fetched ahead of the one being copied, so that their cache misses overlap.
constexpr size_t kAhead = 16;

// The nodes family keeps every version of a key until Finish's last merge (runs hold them all,
// newest first), which hands the superseded ones to StaleEntries: what a node derived in the
// other families (index entries, its participants' role edges) and its final version does not
// must be deleted, however far apart the versions were written.
bool KeepsVersions(Cf cf) { return cf == Cf::kNodes; }

// Finish() cuts the families into up to this many merge pieces per writer thread.
constexpr uint64_t kPiecesPerThread = 4;
// The least number of pieces a family of the facts' derived entries is cut into (WriteSsts): half
// the most. Its pieces cost little more than their share (each expands only the facts that reach
// its range), and merged last, small ones let the threads finish together.
uint64_t MinDerivedPieces(int threads) {
  return std::max<uint64_t>(kPiecesPerThread * static_cast<uint64_t>(threads) / 2, 1);
}
// The items to reserve for a derived piece of a family of `entries` cut into `pieces`: a quarter
// more than its share, for pieces that come out larger (the cuts are at sampled keys).
size_t DerivedRoomFor(uint64_t entries, uint64_t pieces) {
  return static_cast<size_t>(entries / pieces * 5 / 4);
}
// What an entry costs the merge, in bytes (WriteSsts).
constexpr uint64_t kEntryCost = 256;

template <typename E>
void Prefetch(const std::unique_ptr<char[]>* chunks, const E& e) {
  const char* p = ArenaKey(chunks, e);
  size_t len = std::min<size_t>(e.key_len + (e.value_len & ~E::kDeleteBit), 256);
  for (size_t off = 0; off < len; off += 64) __builtin_prefetch(p + off);
}

size_t CommonPrefix(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size()), i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// A key as the merge compares it: the 16 bytes after the prefix `lcp` that every key of the
// merge shares, as two big-endian words (zero-padded), then the rest of the key.
struct MergeKey {
  uint64_t w0 = 0, w1 = 0;
  std::string_view key;
  void Set(std::string_view k, size_t lcp) {
    key = k;
    const size_t avail = k.size() - lcp;
    const char* p = k.data() + lcp;
    w0 = LoadWord(p, std::min<size_t>(avail, 8));
    w1 = avail > 8 ? LoadWord(p + 8, std::min<size_t>(avail - 8, 8)) : 0;
  }
};

// Byte-wise order: equal words mean equal bytes up to the shorter key or lcp + 16.
int Compare(const MergeKey& a, const MergeKey& b, size_t lcp) {
  if (a.w0 != b.w0) return a.w0 < b.w0 ? -1 : 1;
  if (a.w1 != b.w1) return a.w1 < b.w1 ? -1 : 1;
  const size_t m = std::min({lcp + 16, a.key.size(), b.key.size()});
  return a.key.substr(m).compare(b.key.substr(m));
}

// One input of a merge: a sorted stream of distinct keys.
class MergeSource {
 public:
  virtual ~MergeSource() = default;
  // Moves to the next entry (the first, on the first call); false at the end or on an error.
  virtual bool Next() = 0;
  virtual Status status() const { return Status::OK(); }
  std::string_view key, value;
  bool is_delete = false;
};

class RunSource final : public MergeSource {
 public:
  Status Open(const RunInfo* run, size_t segment, size_t buffer_bytes) {
    return reader_.Open(run, segment, buffer_bytes);
  }
  bool Next() override {
    if (!reader_.Next()) return false;
    key = reader_.key();
    value = reader_.value();
    is_delete = reader_.is_delete();
    return true;
  }
  Status status() const override { return reader_.status(); }

 private:
  RunReader reader_;
};

// Sorted buffer entries [begin, end); of equal keys the last one (inserted last) wins, the
// others are counted in *duplicates. With `all_versions`, every entry of a key comes out instead,
// the newest first (the nodes family: see KeepsVersions), and nothing is counted.
template <typename E>
class BufferSource final : public MergeSource {
 public:
  BufferSource(const E* entries, size_t begin, size_t end, const std::unique_ptr<char[]>* chunks,
               uint64_t* duplicates, bool all_versions = false)
      : e_(entries),
        i_(begin),
        end_(end),
        chunks_(chunks),
        duplicates_(duplicates),
        all_versions_(all_versions) {
    for (size_t j = begin; j < std::min(end, begin + kAhead); ++j) Prefetch(chunks_, e_[j]);
  }
  bool Next() override {
    if (older_ > i_) {  // the older versions of the key just handed out, newest first
      Set(e_[--older_]);
      return true;
    }
    i_ = next_ > i_ ? next_ : i_;
    if (i_ >= end_) return false;
    size_t j = i_;
    while (j + 1 < end_ && SameKey(chunks_, e_[j + 1], e_[j])) {
      ++j;
      if (!all_versions_) ++*duplicates_;
    }
    if (j + kAhead < end_) Prefetch(chunks_, e_[j + kAhead]);
    Set(e_[j]);
    next_ = j + 1;
    if (all_versions_) older_ = j;
    return true;
  }

 private:
  void Set(const E& e) {
    const char* p = ArenaKey(chunks_, e);
    key = std::string_view(p, e.key_len);
    value = std::string_view(p + e.key_len, e.value_len & ~E::kDeleteBit);
    is_delete = (e.value_len & E::kDeleteBit) != 0;
  }
  const E* e_;
  size_t i_, end_;
  size_t next_ = 0;   // the first entry of the next key
  size_t older_ = 0;  // all_versions: entries [i_, older_) of the current key are still due
  const std::unique_ptr<char[]>* chunks_;
  uint64_t* duplicates_;
  bool all_versions_;
};

// Deletes of sorted, distinct keys.
class DeleteSource final : public MergeSource {
 public:
  explicit DeleteSource(const std::vector<std::string>* keys) : keys_(keys) { is_delete = true; }
  bool Next() override {
    if (i_ >= keys_->size()) return false;
    key = (*keys_)[i_++];
    return true;
  }

 private:
  const std::vector<std::string>* keys_;
  size_t i_ = 0;
};

// Facts [begin, end) of `facts` (in key order, newest first among equal keys: SortFacts), each
// written as a compact value naming its template's table (table_ids[tmpl] != 0), or expanded by
// its template and encoded, as it comes: every version of a key comes out, newest first (the
// nodes family keeps versions, see KeepsVersions).
class FactSource final : public MergeSource {
 public:
  FactSource(const FactRecord* facts, size_t begin, size_t end,
             const std::shared_ptr<const FactTemplate>* templates, const uint64_t* table_ids)
      : i_(begin), end_(end), facts_(facts), templates_(templates), table_ids_(table_ids) {}
  bool Next() override {
    if (i_ >= end_) return false;
    const FactRecord& r = facts_[i_++];
    key_ = codec::NodeKey(r.id);
    key = key_;
    if (table_ids_[r.tmpl] != 0) {
      codec::EncodeCompactFactTo(table_ids_[r.tmpl], QuadOf(r), &value_);
      value = value_;
      return true;
    }
    if (r.tmpl != last_tmpl_) {  // a template sets what its nodes have, on a node of its own
      node_ = Node();
      last_tmpl_ = r.tmpl;
    }
    node_.id = r.id;
    templates_[r.tmpl]->Expand(r, &node_);
    codec::EncodeNodeTo(node_, &value_);
    value = value_;
    return true;
  }

 private:
  size_t i_, end_;
  const FactRecord* facts_;
  const std::shared_ptr<const FactTemplate>* templates_;
  const uint64_t* table_ids_;
  Node node_;
  uint32_t last_tmpl_ = UINT32_MAX;
  std::string key_, value_;
};

// Calls fn(i, record, event) for each final fact (final[i]) that want(i) accepts, in the order of
// `facts`, which reads the records in sequence, with its event as its template expands it
// (FactTemplate::ExpandEvent).
template <typename Fn, typename Want>
void ForEachFinalEvent(const std::vector<bool>& final, const FactRecord* facts,
                       const std::shared_ptr<const FactTemplate>* templates, Fn&& fn, Want&& want,
                       size_t begin = 0, size_t end = SIZE_MAX) {
  Event ev;
  uint32_t last_tmpl = UINT32_MAX;
  for (size_t i = begin; i < std::min(end, final.size()); ++i) {
    if (!final[i] || !want(i)) continue;
    const FactRecord& r = facts[i];
    if (r.tmpl != last_tmpl) {  // ExpandEvent's contract: a default Event or its own last one
      ev = Event();
      last_tmpl = r.tmpl;
    }
    templates[r.tmpl]->ExpandEvent(r, &ev);
    fn(i, r, ev);
  }
}

// A stable bucket scatter's plan for n elements whose keys lie in [lo, hi]: about one bucket per
// `per` elements, at most 2^16 (fewer when the keys span fewer values), the bucket of key k being
// (k - lo) >> shift; start[b] is bucket b's first slot (start[count] = n), counted with key(i)
// for each element i.
struct Buckets {
  uint64_t lo = 0;
  int shift = 0;
  std::vector<uint32_t> start;
  size_t Of(uint64_t k) const { return (k - lo) >> shift; }
  size_t count() const { return start.size() - 1; }
};
template <typename Key>
Buckets PlanBuckets(size_t n, uint64_t lo, uint64_t hi, size_t per, Key&& key) {
  Buckets b;
  b.lo = lo;
  int bits = 4;
  while (bits < 16 && (size_t{1} << bits) < n / per) ++bits;
  while (b.shift < 64 && ((hi - lo) >> b.shift) >> bits != 0) ++b.shift;
  b.start.assign(((hi - lo) >> b.shift) + 2, 0);
  for (size_t i = 0; i < n; ++i) ++b.start[b.Of(key(i)) + 1];
  for (size_t i = 1; i < b.start.size(); ++i) b.start[i] += b.start[i - 1];
  return b;
}

// Sorts items a[0, n), whose keys are equal before byte `p`, by their first `words` words (the
// keys, zero-padded), into a or, with `into_spare`, into spare[0, n) (room for n): a bucket sort
// (stable) on the 8 key bytes from the first where they differ, then the same in each bucket
// (from those 8 bytes on if the bucket holds one value of them, else from the same byte);
// comparisons for a few. Each level scatters from one of a and spare into the other (copying
// back cost as much as the scatter). Items equal on their first `ordered_after` bytes must be in
// key order as given: the sort stops there (DerivedSource's items come in fact id order, which is
// the order of the bytes after an entry's time). Skipping the bytes all share matters: one node's
// `out` entries share its id and role, and their times the high bytes; one code's events the code
// and the high bytes of a time. `keys` has room for n.
void WindowSort(DerivedItem* a, DerivedItem* spare, size_t n, bool into_spare, size_t p,
                size_t words, size_t ordered_after, uint64_t* keys) {
  auto less = [words](const DerivedItem& x, const DerivedItem& y) {
    for (size_t w = 0; w < words; ++w) {
      if (x.w[w] != y.w[w]) return x.w[w] < y.w[w];
    }
    return false;
  };
  auto done = [&] {  // sorted in a
    if (into_spare) std::copy(a, a + n, spare);
  };
  constexpr size_t kInsertion = 16, kComparisons = 48;
  if (n <= kInsertion) {
    for (size_t i = 1; i < n; ++i) {
      const DerivedItem v = a[i];
      size_t j = i;
      for (; j > 0 && less(v, a[j - 1]); --j) a[j] = a[j - 1];
      a[j] = v;
    }
    return done();
  }
  if (n <= kComparisons) {
    std::sort(a, a + n, less);
    return done();
  }
  // Equal on their first `limit` bytes, the items are in order already (their order as given,
  // which the bucket passes keep: stable).
  const size_t limit = std::min(8 * words, ordered_after);
  auto window = [&p, words](const DerivedItem& x) {  // key bytes [p, p + 8), zero-padded
    const size_t w = p / 8, shift = 8 * (p % 8);
    const uint64_t next = w + 1 < words ? x.w[w + 1] : 0;
    return shift == 0 ? x.w[w] : x.w[w] << shift | next >> (64 - shift);
  };
  // The windows' keys, and their least and greatest: every key between shares their leading
  // bytes, so the first byte where some key differs is the first where those two do. The window
  // moves there (and on past windows all share), one pass over the items each time.
  uint64_t lo = 0, hi = 0;
  for (;;) {
    if (p >= limit) return done();
    lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; ++i) {
      keys[i] = window(a[i]);
      lo = std::min(lo, keys[i]);
      hi = std::max(hi, keys[i]);
    }
    const size_t shared = lo == hi ? 8 : __builtin_clzll(lo ^ hi) / 8;
    if (shared == 0) break;
    p += shared;
  }
  const Buckets buckets = PlanBuckets(n, lo, hi, 4, [keys](size_t i) { return keys[i]; });
  const std::vector<uint32_t>& start = buckets.start;
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (size_t i = 0; i < n; ++i) spare[next[buckets.Of(keys[i])]++] = a[i];
  // The items are in spare now, a is free: each bucket is sorted from spare into a, or stays.
  for (size_t b = 0; b < buckets.count(); ++b) {
    const size_t at = start[b], size = start[b + 1] - at;
    if (size > 1) {
      WindowSort(spare + at, a + at, size, !into_spare, buckets.shift == 0 ? p + 8 : p, words,
                 ordered_after, keys);
    } else if (size == 1 && !into_spare) {
      a[at] = spare[at];
    }
  }
}

// The entries of paged family `cf` (`out` or `event_index`) that the final event facts derive
// (BulkWriter::PutFact), those in [lo, hi) (null: unbounded), sorted: collected when the piece
// starts, in one pass over the facts that expands only each fact's event (ExpandEvent). The full
// entry (an `out` key hashes its edge id) is computed only for participants whose id, the key's
// first 8 bytes, can be in range. Keys are distinct: one fact per node id, one entry per
// participant (Event::participants are distinct) or per event.
class DerivedSource final : public MergeSource {
 public:
  using Item = DerivedItem;
  DerivedSource(Cf cf, const std::vector<bool>& final, const DerivedReach* reach,
                const FactRecord* facts, const std::shared_ptr<const FactTemplate>* templates,
                const std::string* lo, const std::string* hi, size_t expect, DerivedRoom* room)
      : cf_(cf), layout_(*PageLayoutOf(cf)), room_(room) {
    items_ = room_->Take();
    scratch_ = room_->Take();
    items_.clear();
    items_.reserve(expect);
    const size_t size = layout_.entry_size();
    const uint64_t lo_id = lo ? LoadWord(lo->data(), std::min<size_t>(lo->size(), 8)) : 0;
    const uint64_t hi_id = hi ? LoadWord(hi->data(), std::min<size_t>(hi->size(), 8)) : UINT64_MAX;
    char key[kMaxDerivedKey];
    std::string value;
    auto add = [&] {
      // The first 8 bytes decide unless they are lo's or hi's.
      const uint64_t w0 = LoadWord(key, 8);
      if (w0 <= lo_id || w0 >= hi_id) {
        const std::string_view k(key, size);
        if ((lo && k < *lo) || (hi && k >= *hi)) return;
      }
      Item& item = items_.emplace_back();
      item.w[0] = w0;
      for (size_t w = 1; w * 8 < size; ++w) {
        item.w[w] = LoadWord(key + w * 8, std::min<size_t>(size - w * 8, 8));
      }
      std::memcpy(item.value, value.data(), std::min(value.size(), sizeof(item.value)));
    };
    // A key in [lo, hi) starts with 8 bytes in [lo_id, hi_id].
    auto want = [&](size_t i) {
      const DerivedReach& x = reach[i];
      return cf == Cf::kEventIndex ? x.index_word >= lo_id && x.index_word <= hi_id
                                   : x.max_actor >= lo_id && x.min_actor <= hi_id;
    };
    // In the order of the records, read in sequence (the items are sorted anyway).
    ForEachFinalEvent(
        final, facts, templates,
        [&](size_t, const FactRecord& r, const Event& ev) {
          if (cf == Cf::kEventIndex) {
            EventIndexEntryTo(r.id, ev, key);
            value.clear();
            add();
            return;
          }
          for (const Participant& p : ev.participants) {
            if (p.actor < lo_id || p.actor > hi_id) continue;
            ParticipantOutEntryTo(r.id, ev, p, key, &value);
            add();
          }
        },
        want);
    Sort((size + 7) / 8);
  }
  bool Next() override {
    if (i_ >= items_.size()) return false;
    const Item& item = items_[i_++];
    if (i_ > 1 && !std::lexicographical_compare(items_[i_ - 2].w, items_[i_ - 2].w + kWords, item.w,
                                                item.w + kWords)) {
      status_ = Status::InvalidArgument("internal error: the facts' " + std::string(CfName(cf_)) +
                                        " entries came out of key order");
      return false;
    }
    const size_t size = layout_.entry_size();
    for (size_t w = 0; w * 8 < size; ++w) {
      uint64_t be = __builtin_bswap64(item.w[w]);
      std::memcpy(key_ + w * 8, &be, 8);  // key_ has room for whole words
    }
    key = std::string_view(key_, size);
    value = std::string_view(item.value, layout_.value);
    return true;
  }
  Status status() const override { return status_; }
  size_t size() const { return items_.size(); }
  ~DerivedSource() override {
    room_->Give(std::move(items_));
    room_->Give(std::move(scratch_));
  }

 private:
  // Sorts the items by their first `words` words (WindowSort). An entry's key is its page key
  // (group bytes, time), then the fact's id (and, in `out`, the edge id it hashes): items from
  // facts read in id order need sorting by the page key only, the rest of their order kept (Next
  // checks it).
  void Sort(size_t words) {
    if (scratch_.size() < items_.size()) scratch_.resize(items_.size());  // grown, not rewritten
    std::vector<uint64_t> keys(items_.size());
    WindowSort(items_.data(), scratch_.data(), items_.size(), /*into_spare=*/false, 0, words,
               layout_.page_key_size(), keys.data());
  }
  static constexpr size_t kWords = kMaxDerivedKey / 8;
  const Cf cf_;
  const codec::PageLayout& layout_;
  DerivedRoom* room_;
  std::vector<Item> items_, scratch_;
  size_t i_ = 0;
  Status status_;
  char key_[kMaxDerivedKey] = {};
};

// The entries that node `key`'s superseded version `old_value` derived outside the nodes family
// (NodeEntries: names, its event-index entry, its participants' `out` entries) and that its
// final version (`final_value`, or nothing when `final_deleted`) does not: stale ones, appended
// to stale[cf]. Values of either form are read through `store` with the writer's `tables`.
// Corruption if a value does not decode.
Status StaleEntries(const Store& store, const FactTableMap& tables, std::string_view key,
                    std::string_view old_value, std::string_view final_value, bool final_deleted,
                    std::vector<std::string> (&stale)[kCfCount]) {
  NodeId id = kNoNode;
  if (!codec::DecodeNodeKey(key, &id)) {
    return Status::Corruption("bulk nodes entry with a key of " + std::to_string(key.size()) +
                              " bytes");
  }
  using Keys = std::vector<std::pair<int, std::string>>;
  auto derived = [&](std::string_view value, Keys* keys) -> Status {
    GEOKG_ASSIGN_OR_RETURN(Node node, store.DecodeNodeValue(value, id, &tables));
    NodeEntries(node, [&](Cf cf, std::string_view k, std::string_view) {
      if (cf != Cf::kNodes) keys->emplace_back(static_cast<int>(cf), std::string(k));
    });
    return Status::OK();
  };
  Keys old_keys, final_keys;
  GEOKG_RETURN_IF_ERROR(derived(old_value, &old_keys));
  if (!final_deleted) GEOKG_RETURN_IF_ERROR(derived(final_value, &final_keys));
  std::sort(final_keys.begin(), final_keys.end());
  for (auto& [cf, k] : old_keys) {
    if (!std::binary_search(final_keys.begin(), final_keys.end(), std::make_pair(cf, k))) {
      stale[cf].push_back(std::move(k));
    }
  }
  return Status::OK();
}

// Whether `key` is a nodes-family key of an event.
bool IsEventKey(std::string_view key) {
  NodeId id = kNoNode;
  return codec::DecodeNodeKey(key, &id) && KindOf(id) == NodeKind::kEvent;
}

// Adds the participants of event `key`'s value to *roles (BulkStats::unwritten_roles).
Status CountRoles(const Store& store, const FactTableMap& tables, std::string_view key,
                  std::string_view value, uint64_t* roles) {
  NodeId id = kNoNode;
  codec::DecodeNodeKey(key, &id);
  GEOKG_ASSIGN_OR_RETURN(auto decoded, store.DecodeEventRolesValue(value, id, &tables));
  *roles += decoded.participants.size();
  return Status::OK();
}

// Merges `sources` (oldest first) in key order, calling emit(key, value, is_delete) for the
// newest entry of each key in [lo, hi) (null: unbounded). The older entries of a key come after
// it: each is counted in *duplicates and passed to dropped(key, value, is_delete), or, when
// `duplicates` is null, emitted too (newest first), which keeps every version. Every key of
// every source must share its first `lcp` bytes; a source may hold a key more than once, newest
// first.
template <typename Emit, typename Dropped>
Status Merge(const std::vector<MergeSource*>& sources, size_t lcp, const std::string* lo,
             const std::string* hi, uint64_t* duplicates, Emit&& emit, Dropped&& dropped) {
  const size_t k = sources.size();
  if (k == 0) return Status::OK();
  std::vector<MergeKey> heads(k);
  std::vector<char> live(k, 0);
  MergeKey lo_key, hi_key;
  if (lo) lo_key.Set(*lo, lcp);
  if (hi) hi_key.Set(*hi, lcp);
  // Moves source s on; false only on an error. A source is dead at its end or at hi.
  auto advance = [&](size_t s) {
    MergeSource* src = sources[s];
    if (!src->Next()) {
      live[s] = 0;
      return src->status().ok();
    }
    heads[s].Set(src->key, lcp);
    live[s] = !hi || Compare(heads[s], hi_key, lcp) < 0;
    return true;
  };
  for (size_t s = 0; s < k; ++s) {
    do {
      if (!advance(s)) return sources[s]->status();
    } while (lo && live[s] && Compare(heads[s], lo_key, lcp) < 0);
  }
  // Whether source a's entry goes out before b's: smaller key first, the newer source first
  // among equal keys (so that it is the one emitted).
  auto before = [&](size_t a, size_t b) {
    if (!live[a]) return false;
    if (!live[b]) return true;
    int c = Compare(heads[a], heads[b], lcp);
    return c != 0 ? c < 0 : a > b;
  };
  // tree[n] for n in [1, k) holds the loser of the match at node n, whose children are 2n and
  // 2n + 1 (positions k + s are the sources); tree[0] holds the overall winner.
  std::vector<size_t> tree(k), winner(2 * k);
  for (size_t s = 0; s < k; ++s) winner[k + s] = s;
  for (size_t n = k - 1; n >= 1; --n) {
    size_t a = winner[2 * n], b = winner[2 * n + 1];
    winner[n] = before(a, b) ? a : b;
    tree[n] = before(a, b) ? b : a;
  }
  tree[0] = k == 1 ? 0 : winner[1];
  std::string last;
  uint64_t last_w0 = 0, last_w1 = 0;
  bool have_last = false;
  for (;;) {
    size_t w = tree[0];
    if (!live[w]) return Status::OK();
    MergeSource* src = sources[w];
    const MergeKey& h = heads[w];
    if (have_last && h.w0 == last_w0 && h.w1 == last_w1 && h.key == last) {
      if (duplicates == nullptr) {
        GEOKG_RETURN_IF_ERROR(emit(src->key, src->value, src->is_delete));
      } else {
        ++*duplicates;
        GEOKG_RETURN_IF_ERROR(dropped(src->key, src->value, src->is_delete));
      }
    } else {
      GEOKG_RETURN_IF_ERROR(emit(src->key, src->value, src->is_delete));
      last.assign(src->key);
      last_w0 = h.w0;
      last_w1 = h.w1;
      have_last = true;
    }
    if (!advance(w)) return src->status();
    for (size_t n = (w + k) >> 1; n >= 1; n >>= 1) {
      if (before(tree[n], w)) std::swap(tree[n], w);
    }
    tree[0] = w;
  }
}

template <typename Emit>
Status Merge(const std::vector<MergeSource*>& sources, size_t lcp, const std::string* lo,
             const std::string* hi, uint64_t* duplicates, Emit&& emit) {
  return Merge(sources, lcp, lo, hi, duplicates, emit,
               [](std::string_view, std::string_view, bool) { return Status::OK(); });
}

// Writes a sorted stream of distinct keys into SST files named prefix + "1.sst", "2.sst"…,
// starting the next file once one holds `target` key and value bytes.
class SstSink {
 public:
  SstSink(Store* store, Cf cf, std::string prefix, uint64_t target, bool direct)
      : direct_(direct), handle_(store->cf(cf)), prefix_(std::move(prefix)), target_(target) {
    options_ = store->raw_db()->GetOptions(handle_);
    // Values (packed Cap'n Proto nodes and edges) shrink about 2x more with LZ4 (ICEWS18 nodes:
    // 79 -> 42 MB), at a fraction of Snappy's CPU; the index families hold hashes, ids and times
    // that LZ4 shrinks by only a quarter to a third (ICEWS18), not worth its CPU, so their bulk
    // files stay uncompressed. The files go to the bottom level as written: only a later compaction
    // touching them (after more writes) applies the family's own setting.
    options_.compression =
        cf == Cf::kNodes || cf == Cf::kEdges ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
  }

  Status Add(std::string_view key, std::string_view value, bool is_delete) {
    if (writer_ && bytes_ >= target_) GEOKG_RETURN_IF_ERROR(Close());
    if (!writer_) {
      files.push_back(prefix_ + std::to_string(files.size() + 1) + ".sst");
      GEOKG_RETURN_IF_ERROR(Open(files.back()));
      bytes_ = 0;
    }
    rocksdb::Slice k = ToSlice(key);
    rocksdb::Status s = is_delete ? writer_->Delete(k) : writer_->Put(k, ToSlice(value));
    // The message only on failure: built for every key, it cost an allocation each.
    if (!s.ok()) return FromRocks(s, "bulk write " + files.back());
    bytes_ += key.size() + value.size();
    ++written;
    return Status::OK();
  }

  Status Close() {
    if (!writer_) return Status::OK();
    rocksdb::ExternalSstFileInfo info;
    rocksdb::Status s = writer_->Finish(&info);
    writer_.reset();
    GEOKG_RETURN_IF_ERROR(FromRocks(s, "bulk write " + files.back()));
    file_bytes += info.file_size;
    return Status::OK();
  }

  std::vector<std::string> files;
  uint64_t written = 0, file_bytes = 0, direct_files = 0;

 private:
  // Direct writes (O_DIRECT, through RocksDB's aligned 1 MiB buffer) skip the copy into the page
  // cache, which on this machine class cost more CPU than building the files (ICEWS18: -11 %
  // import CPU, docs/benchmarks.md). A file system that refuses O_DIRECT (ramfs, older kernels'
  // tmpfs, some FUSE file systems) fails the first open; that file and the sink's next ones are
  // written buffered, and an error then is the file's own.
  Status Open(const std::string& path) {
    rocksdb::EnvOptions env(options_);
    env.use_direct_writes = direct_;
    writer_ = std::make_unique<rocksdb::SstFileWriter>(env, options_, handle_,
                                                       /*invalidate_page_cache=*/false);
    rocksdb::Status s = writer_->Open(path);
    if (!s.ok() && direct_) {
      direct_ = false;
      return Open(path);
    }
    if (s.ok() && direct_) ++direct_files;
    return FromRocks(s, "bulk write " + path);
  }

  bool direct_;
  rocksdb::ColumnFamilyHandle* handle_;
  std::string prefix_;
  uint64_t target_;
  rocksdb::Options options_;
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
  uint64_t bytes_ = 0;
};

// Moves `it`, a forward iterator over stored data read along with a merge, to the first key >=
// target: a few Next() steps when the target is near (the common case: merges read stored keys
// in order), a Seek when it is further.
void MoveForwardTo(rocksdb::Iterator* it, const rocksdb::Slice& target) {
  for (int steps = 0; it->Valid() && it->key().compare(target) < 0; ++steps) {
    if (steps == 4) {
      it->Seek(target);
      return;
    }
    it->Next();
  }
}

// The paged families (`out`, `in`, `event_index`) take entries (entry keys, codec/key_codec.h)
// but store pages: PageSink collects the merged entries of one page (they are consecutive in key
// order) and writes the page to `out`: the stored page, if the store has one, with the entries
// put and deleted. Stored pages are read by a forward iterator that moves along with the merge (a
// Seek only when the next page is far ahead), so a merge reads each stored page once; with
// nothing stored there is no iterator at all, and the entries are encoded straight into the
// page.
class PageSink {
 public:
  PageSink(Cf cf, SstSink* out, rocksdb::Iterator* stored)
      : cf_(cf), layout_(*PageLayoutOf(cf)), out_(out), stored_(stored) {}

  Status Add(std::string_view key, std::string_view value, bool is_delete) {
    char page[codec::kMaxPageKeySize];
    const size_t page_size = layout_.page_key_size();
    codec::PageKeyOfEntry(layout_, key.data(), page);
    if (!open_ || std::memcmp(page, page_, page_size) != 0) {
      GEOKG_RETURN_IF_ERROR(Flush());
      std::memcpy(page_, page, page_size);
      open_ = true;
    }
    ++entries;
    if (stored_ == nullptr) {
      // Nothing stored to merge with: the stream is in record order, puts become the page (a
      // delete has nothing to delete).
      if (!is_delete) {
        const size_t at = records_.size();
        records_.resize(at + layout_.record_size());
        codec::EncodeRecordTo(layout_, key.data(), value.data(), records_.data() + at);
      }
      return Status::OK();
    }
    edits_.push_back(MakePageEdit(layout_, key.data(), value.data(), is_delete));
    return Status::OK();
  }

  Status Close() { return Flush(); }

  uint64_t entries = 0;

 private:
  Status Flush() {
    if (!open_) return Status::OK();
    open_ = false;
    const std::string_view key(page_, layout_.page_key_size());
    if (stored_ == nullptr) {
      Status s = records_.empty() ? Status::OK() : out_->Add(key, records_, false);
      records_.clear();
      return s;
    }
    std::string_view stored;
    bool have_stored = false;
    const rocksdb::Slice target = ToSlice(key);
    MoveForwardTo(stored_, target);
    if (!stored_->status().ok()) {
      return FromRocks(stored_->status(), "reading " + std::string(CfName(cf_)) + " pages");
    }
    if (stored_->Valid() && stored_->key() == target) {
      have_stored = true;
      GEOKG_RETURN_IF_ERROR(ValidateStoredPage(cf_, key, ToView(stored_->value()), &stored));
    }
    ApplyPageEdits(layout_, stored, edits_, &records_);
    edits_.clear();
    if (have_stored && records_ == stored) return Status::OK();  // unchanged: nothing to write
    if (!records_.empty()) return out_->Add(key, records_, false);
    if (have_stored) return out_->Add(key, {}, true);
    return Status::OK();
  }

  Cf cf_;
  const codec::PageLayout& layout_;
  SstSink* out_;
  rocksdb::Iterator* stored_;
  bool open_ = false;  // page_ holds the current page's key
  char page_[codec::kMaxPageKeySize] = {};
  std::vector<PageEdit> edits_;
  std::string records_;
};

// Runs task(0..n) on `threads` threads (the caller's among them), each taking the next index;
// after a failure no new task starts. Returns the first failure by index.
Status RunTasks(size_t n, int threads, const std::function<Status(size_t)>& task) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<Status> results(n);
  auto work = [&] {
    for (;;) {
      if (failed.load()) return;
      size_t i = next.fetch_add(1);
      if (i >= n) return;
      results[i] = task(i);
      if (!results[i].ok()) failed = true;
    }
  };
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads && static_cast<size_t>(t) < n; ++t) helpers.emplace_back(work);
  work();
  for (auto& h : helpers) h.join();
  for (const Status& s : results) {
    if (!s.ok()) return s;
  }
  return Status::OK();
}

void AddStats(const BulkStats& part, BulkStats* total) {
  total->written += part.written;
  total->events_added += part.events_added;
  total->events_updated += part.events_updated;
  total->events_unchanged += part.events_unchanged;
  total->unwritten_roles += part.unwritten_roles;
  total->duplicates += part.duplicates;
  for (int i = 0; i < kCfCount; ++i) total->duplicates_by_cf[i] += part.duplicates_by_cf[i];
  total->files += part.files;
  total->direct_files += part.direct_files;
  total->file_bytes += part.file_bytes;
  total->runs += part.runs;
  total->run_bytes += part.run_bytes;
  total->sort_seconds += part.sort_seconds;
  total->write_seconds += part.write_seconds;
  total->merge_seconds += part.merge_seconds;
}

// The segment of `run` to start reading at for keys >= lo: the last one whose first key < lo
// (a key's versions in the nodes family may straddle two segments).
size_t SegmentFor(const RunInfo& run, std::string_view lo) {
  auto it = std::lower_bound(run.segments.begin(), run.segments.end(), lo,
                             [](const RunInfo::Segment& s, std::string_view k) {
                               return std::string_view(s.first_key) < k;
                             });
  return it == run.segments.begin() ? 0 : static_cast<size_t>(it - run.segments.begin() - 1);
}

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
      chunk_size_(std::clamp<size_t>(options.memory_budget / 64, 4 << 10, 1 << 20)),
      read_slice_(std::max<size_t>(
          options.memory_budget / 4 / static_cast<size_t>(std::max(1, options.writer_threads)), 1)),
      min_read_(std::clamp<size_t>(read_slice_ / 8, 4 << 10, 64 << 10)) {
  for (int i = 0; i < kCfCount; ++i) {
    const Cf cf = static_cast<Cf>(i);
    std::unique_ptr<rocksdb::Iterator> it(
        store_->raw_db()->NewIterator(rocksdb::ReadOptions(), store_->cf(cf)));
    it->SeekToFirst();
    // An error shows as "not empty": the merge then reads the family, and reports the error.
    empty_[i] = !it->Valid() && it->status().ok();
  }
}

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
  if (const codec::PageLayout* layout = PageLayoutOf(cf);
      layout != nullptr &&
      (key.size() != layout->entry_size() || (!is_delete && value.size() != layout->value))) {
    return Status::InvalidArgument("an entry of " + std::string(CfName(cf)) + " needs a " +
                                   std::to_string(layout->entry_size()) + "-byte key and a " +
                                   std::to_string(layout->value) + "-byte value");
  }
  if (cf == Cf::kNodes && fact_kinds_ != 0) {
    // A node of a kind the buffered facts have might be one of them: the facts go first, so
    // that whichever was put last wins.
    NodeId id = kNoNode;
    if (!codec::DecodeNodeKey(key, &id) || (fact_kinds_ >> static_cast<int>(KindOf(id)) & 1)) {
      GEOKG_RETURN_IF_ERROR(FlushFacts());
    }
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

Status BulkWriter::PutNode(const Node& node) { return PutNodeEntries(node, /*with_value=*/true); }

Status BulkWriter::PutNodeEntries(const Node& node, bool with_value) {
  NodeEntries(
      node,
      [this](Cf cf, std::string_view k, std::string_view v) {
        Status s = Put(cf, k, v);
        if (!s.ok() && sticky_.ok()) sticky_ = s;
      },
      with_value);
  return sticky_;
}

Status BulkWriter::PutEdge(const Edge& edge, bool with_payload) {
  EdgeEntries(edge, with_payload, [this](Cf cf, std::string_view k, std::string_view v) {
    Status s = Put(cf, k, v);
    if (!s.ok() && sticky_.ok()) sticky_ = s;
  });
  return sticky_;
}

void FactTemplate::ExpandEvent(const FactRecord& record, Event* event) const {
  Node node;  // a default Node, as Expand's contract asks, whichever nodes it expanded before
  Expand(record, &node);
  if (auto* e = std::get_if<Event>(&node.body)) *event = std::move(*e);
}

uint32_t BulkWriter::AddFactTemplate(std::shared_ptr<const FactTemplate> tmpl) {
  templates_.push_back(std::move(tmpl));
  return static_cast<uint32_t>(templates_.size() - 1);
}

Status BulkWriter::PutFact(const FactRecord& record, const Node& node) {
  if (done_) return Status::InvalidArgument("BulkWriter used after Finish/Abort");
  if (record.id != node.id || record.tmpl >= templates_.size()) {
    return Status::InvalidArgument("a fact record names another node or no template");
  }
  const bool event = KindOf(record.id) == NodeKind::kEvent;
  if (event != std::holds_alternative<Event>(node.body)) {
    return Status::InvalidArgument("a fact's node id and body are of different kinds");
  }
  // An event's entries (it has no names) are derived in Finish(); another node's are put now.
  if (!event) GEOKG_RETURN_IF_ERROR(PutNodeEntries(node, /*with_value=*/false));
  if (facts_.size() % 256 == 0) {  // a sample of the written size, for Finish()'s piece weights
    thread_local std::string value;
    if (templates_[record.tmpl]->table() != nullptr) {  // a compact value (the table id's size
      codec::EncodeCompactFactTo(1, QuadOf(record), &value);  // does not matter: fixed 8 bytes)
    } else {
      codec::EncodeNodeTo(node, &value);
    }
    fact_sample_bytes_ += value.size();
    ++fact_samples_;
  }
  return AddFact(record);
}

Status BulkWriter::PutFact(const FactRecord& record) {
  if (done_) return Status::InvalidArgument("BulkWriter used after Finish/Abort");
  if (record.tmpl >= templates_.size()) {
    return Status::InvalidArgument("a fact record names no template");
  }
  if (KindOf(record.id) != NodeKind::kEvent || facts_.size() % 256 == 0) {
    // Another kind's entries are put now; every so often the node is checked and its encoded
    // size sampled. A node of the template's own: the first Expand of a default Node.
    Node node;
    templates_[record.tmpl]->Expand(record, &node);
    node.id = MakeNodeId(KindOf(record.id), node.key);
    return PutFact(record, node);
  }
  return AddFact(record);
}

void BulkWriter::PrepareFacts() {
  if (done_ || facts_.empty() || preparing_.valid() || prepared_ || options_.writer_threads < 2) {
    return;
  }
  preparing_ = std::async(std::launch::async, [this] {
    SortFacts();
    PlanDerived();
  });
}

void BulkWriter::JoinPrepared(bool keep) {
  if (preparing_.valid()) {
    preparing_.get();
    prepared_ = true;
  }
  if (keep || !prepared_) return;
  // The facts change: the order and plan made of them go (Finish makes them again).
  prepared_ = false;
  facts_sorted_ = false;
  std::vector<FactRecord>().swap(sorted_facts_);
  final_.clear();
  reach_.clear();
  for (int cf = 0; cf < kCfCount; ++cf) {
    derived_[cf] = 0;
    derived_samples_[cf].clear();
  }
}

Status BulkWriter::AddFact(const FactRecord& record) {
  if (prepared_ || preparing_.valid()) JoinPrepared(/*keep=*/false);
  // Room for as many as the budget lets the writer hold, up to 256 MiB (address space: RAM is
  // taken only as they come). Grown by doubling, the vector had copied them and page-faulted in
  // twice their size.
  if (facts_.capacity() == 0) {
    facts_.reserve(
        std::min<size_t>(options_.memory_budget / 2, size_t{256} << 20) / sizeof(FactRecord) + 1);
  }
  facts_.push_back(record);
  fact_kinds_ |= uint32_t{1} << static_cast<int>(KindOf(record.id));
  buffered_ += sizeof(FactRecord);
  ++stats_.entries;
  // Facts take up to half the budget; past it they are encoded into the nodes buffer, which
  // spills like any other.
  if (facts_.size() * sizeof(FactRecord) > options_.memory_budget / 2) return FlushFacts();
  if (buffered_ <= options_.memory_budget / 2) return Status::OK();
  return MaybeSpill();
}

Status BulkWriter::FlushFacts() {
  JoinPrepared(/*keep=*/false);
  std::vector<FactRecord> facts;
  facts.swap(facts_);
  fact_kinds_ = 0;
  buffered_ -= facts.size() * sizeof(FactRecord);
  stats_.entries -= facts.size();  // counted again by Add
  Node node;
  std::string value;
  uint32_t last_tmpl = UINT32_MAX;
  for (const FactRecord& r : facts) {
    if (r.tmpl != last_tmpl) {
      node = Node();
      last_tmpl = r.tmpl;
    }
    node.id = r.id;
    templates_[r.tmpl]->Expand(r, &node);
    codec::EncodeNodeTo(node, &value);
    GEOKG_RETURN_IF_ERROR(Add(Cf::kNodes, codec::NodeKey(r.id), value, false));
    if (KindOf(r.id) == NodeKind::kEvent) {  // entries PutFact left to Finish()
      GEOKG_RETURN_IF_ERROR(PutNodeEntries(node, /*with_value=*/false));
    }
  }
  return Status::OK();
}

void BulkWriter::SortFacts() {
  // The records themselves go into key order (sorted_facts_), read in sequence from then on:
  // sorted as (id, index) pairs and read through them, the nodes pieces missed the cache and TLB
  // on every record (ICEWS18: 40 ms), and copying them in that order cost as much again. Key
  // order is id order (big-endian keys); newest (put last) first among equal ids. A bucket
  // scatter (PlanBuckets) from facts_, which stays as put (PrepareFacts may be undone), then
  // comparisons in each bucket. The sorted records are the only result (an (id, index) list of
  // them as well cost ICEWS18 7.5 MB and 4 ms).
  const size_t n = facts_.size();
  sorted_facts_.resize(n);
  if (n == 0) return;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const FactRecord& r : facts_) {
    lo = std::min(lo, r.id);
    hi = std::max(hi, r.id);
  }
  const Buckets buckets = PlanBuckets(n, lo, hi, 8, [this](size_t i) { return facts_[i].id; });
  const std::vector<uint32_t>& start = buckets.start;
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (const FactRecord& r : facts_) sorted_facts_[next[buckets.Of(r.id)]++] = r;
  auto by_id = [](const FactRecord& a, const FactRecord& b) { return a.id < b.id; };
  for (size_t b = 0; b < buckets.count(); ++b) {
    FactRecord* first = sorted_facts_.data() + start[b];
    FactRecord* last = sorted_facts_.data() + start[b + 1];
    if (last - first < 2) continue;
    // Stable (the bucket holds its records as put), then each key's versions reversed.
    if (last - first <= 16) {
      for (FactRecord* p = first + 1; p < last; ++p) {
        const FactRecord v = *p;
        FactRecord* q = p;
        for (; q > first && by_id(v, q[-1]); --q) *q = q[-1];
        *q = v;
      }
    } else {
      std::stable_sort(first, last, by_id);
    }
    for (FactRecord* p = first; p < last;) {
      FactRecord* q = p + 1;
      while (q < last && q->id == p->id) ++q;
      if (q - p > 1) std::reverse(p, q);
      p = q;
    }
  }
  facts_sorted_ = true;
}

void BulkWriter::AdoptSortedFacts() {
  facts_.swap(sorted_facts_);
  std::vector<FactRecord>().swap(sorted_facts_);
}

void BulkWriter::PlanDerived() {
  final_.assign(sorted_facts_.size(), false);
  for (size_t i = 0; i < sorted_facts_.size(); ++i) {
    const NodeId id = sorted_facts_[i].id;
    if (i > 0 && sorted_facts_[i - 1].id == id) continue;  // a superseded version
    if (KindOf(id) == NodeKind::kEvent) final_[i] = true;
  }
  const int index = static_cast<int>(Cf::kEventIndex), out = static_cast<int>(Cf::kOut);
  // About a thousand samples a family: enough for Splitters' few pieces.
  const size_t n = sorted_facts_.size(), stride = std::max<size_t>(n / 1024, 1);
  const uint64_t index_bytes = codec::kEventByCodeKeySize, out_bytes = codec::kAdjKeySize + 3;
  reach_.assign(n, DerivedReach());
  struct Part {
    uint64_t events = 0, entries = 0;
    std::vector<std::pair<std::string, uint64_t>> samples[2];  // event index, out
  };
  auto plan = [&](size_t begin, size_t end, Part* part) {
    char key[kMaxDerivedKey];
    std::string value;
    ForEachFinalEvent(
        final_, sorted_facts_.data(), templates_.data(),
        [&](size_t i, const FactRecord& r, const Event& ev) {
          ++part->events;
          part->entries += ev.participants.size();
          DerivedReach& x = reach_[i];
          EventIndexEntryTo(r.id, ev, key);
          x.index_word = LoadWord(key, 8);
          x.min_actor = UINT64_MAX;
          for (const Participant& p : ev.participants) {
            x.min_actor = std::min(x.min_actor, p.actor);
            x.max_actor = std::max(x.max_actor, p.actor);
          }
          if (i % stride != 0) return;
          part->samples[0].emplace_back(std::string(key, codec::kEventByCodeKeySize),
                                        stride * index_bytes);
          for (const Participant& p : ev.participants) {
            ParticipantOutEntryTo(r.id, ev, p, key, &value);
            part->samples[1].emplace_back(std::string(key, codec::kAdjKeySize), stride * out_bytes);
          }
        },
        [](size_t) { return true; }, begin, end);
  };
  // Halves on two threads (PrepareFacts runs this while the caller writes its actors, which
  // takes less time than sorting the facts: its core is free by now), from 16k facts on (the
  // facts' tests' dense sections take this path).
  Part parts[2];
  if (options_.writer_threads >= 2 && n >= (size_t{1} << 14)) {
    auto second = std::async(std::launch::async, plan, n / 2, n, &parts[1]);
    plan(0, n / 2, &parts[0]);
    second.get();
  } else {
    plan(0, n, &parts[0]);
  }
  derived_[index] = parts[0].events + parts[1].events;
  derived_[out] = parts[0].entries + parts[1].entries;
  for (int f = 0; f < 2; ++f) {
    auto& samples = derived_samples_[f == 0 ? index : out];
    samples = std::move(parts[0].samples[f]);
    samples.insert(samples.end(), std::make_move_iterator(parts[1].samples[f].begin()),
                   std::make_move_iterator(parts[1].samples[f].end()));
  }
}

Result<std::optional<std::string>> BulkWriter::GetStored(Cf cf, std::string_view key) const {
  std::string value;
  rocksdb::Status s =
      store_->raw_db()->Get(rocksdb::ReadOptions(), store_->cf(cf), ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "reading " + std::string(CfName(cf)));
  return std::optional<std::string>(std::move(value));
}

size_t BulkWriter::Filling() const {
  size_t f = buffered_;
  for (const auto& s : inflight_) f -= s->footprint;
  return f;
}

int BulkWriter::LargestBuffer() const {
  int largest = 0;
  for (int i = 1; i < kCfCount; ++i) {
    if (buffers_[i].footprint() > buffers_[largest].footprint()) largest = i;
  }
  return largest;
}

Status BulkWriter::MaybeSpill() {
  // From half the budget on, hand the largest filling buffer to a writer thread whenever one is
  // free; over the full budget, wait for the oldest spill (or, with none in flight, write in
  // the foreground).
  const size_t budget = options_.memory_budget;
  const size_t threads = static_cast<size_t>(std::max(1, options_.writer_threads));
  while (buffered_ > budget && !inflight_.empty()) GEOKG_RETURN_IF_ERROR(WaitForOldest());
  if (Filling() <= budget / 2) return Status::OK();
  // All writer threads busy: take the finished ones (if any) off the queue.
  while (inflight_.size() >= threads &&
         inflight_.front()->done.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    GEOKG_RETURN_IF_ERROR(WaitForOldest());
  }
  if (inflight_.size() >= threads || Filling() <= budget / 2) return Status::OK();
  ++stats_.spills;
  return Spill(LargestBuffer(), /*async=*/buffered_ <= budget);
}

Status BulkWriter::WaitForOldest() {
  if (inflight_.empty()) return Status::OK();
  auto t0 = std::chrono::steady_clock::now();
  std::unique_ptr<Spilled> job = std::move(inflight_.front());
  inflight_.pop_front();
  Status s = job->done.get();
  stats_.wait_seconds += Since(t0);
  AddStats(job->stats, &stats_);
  buffered_ -= job->footprint;
  // Spills are taken off the queue in spill order, so a family's runs are oldest first.
  if (s.ok()) buffers_[static_cast<int>(job->cf)].runs.push_back(std::move(job->run));
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
  job->path = (fs::path(dir_) /
               (std::string(CfName(job->cf)) + "-" + std::to_string(++file_counter_) + ".run"))
                  .string();
  Spilled* raw = job.get();
  job->done = std::async(async ? std::launch::async : std::launch::deferred,
                         [this, raw] { return WriteRun(raw); });
  inflight_.push_back(std::move(job));
  if (!async) return WaitForAll();
  return Status::OK();
}

Status BulkWriter::WriteRun(Spilled* b) const {
  double t0 = ThreadCpuSeconds();
  Entry* entries = b->entries.data();
  const size_t n = b->entries.size();
  const std::unique_ptr<char[]>* chunks = b->chunks.data();
  SortEntries(entries, n, chunks);
  b->stats.sort_seconds += ThreadCpuSeconds() - t0;

  t0 = ThreadCpuSeconds();
  RunWriter writer;
  GEOKG_RETURN_IF_ERROR(writer.Open(b->path, static_cast<uint32_t>(b->cf), min_read_, chunk_size_));
  auto add = [&](const Entry& e) {
    const char* p = ArenaKey(chunks, e);
    return writer.Add(std::string_view(p, e.key_len),
                      std::string_view(p + e.key_len, e.value_len & ~kDeleteBit),
                      (e.value_len & kDeleteBit) != 0);
  };
  const bool all_versions = KeepsVersions(b->cf);
  for (size_t i = 0; i < std::min(n, kAhead); ++i) Prefetch(chunks, entries[i]);
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) Prefetch(chunks, entries[i + kAhead]);
    const Entry& e = entries[i];
    // Keep only the last of a run of equal keys (insertion order sorts last), or all of them,
    // the last first.
    if (i + 1 < n && SameKey(chunks, entries[i + 1], e)) {
      if (all_versions) {
        size_t j = i + 1;
        while (j + 1 < n && SameKey(chunks, entries[j + 1], entries[j])) ++j;
        for (size_t v = j + 1; v-- > i;) GEOKG_RETURN_IF_ERROR(add(entries[v]));
        i = j;
        continue;
      }
      ++b->stats.duplicates;
      ++b->stats.duplicates_by_cf[static_cast<int>(b->cf)];
      continue;
    }
    GEOKG_RETURN_IF_ERROR(add(e));
  }
  GEOKG_RETURN_IF_ERROR(writer.Finish(&b->run));
  ++b->stats.runs;
  b->stats.run_bytes += b->run.bytes;
  b->stats.write_seconds += ThreadCpuSeconds() - t0;
  // Give the memory back now: the budget bounds resident size.
  std::vector<std::unique_ptr<char[]>>().swap(b->chunks);
  std::vector<Entry>().swap(b->entries);
  return Status::OK();
}

// One merge task of Finish(): the keys [lo, hi) of one family.
struct BulkWriter::Piece {
  int cf = 0;
  size_t index = 0;  // among the family's pieces (file names)
  size_t lcp = 0;    // bytes every key of the family shares
  std::optional<std::string> lo, hi;
  uint64_t bytes = 0;  // estimated cost (bytes and entries, see WriteSsts), for the order
  size_t read_buffer = 0;
  // About how many entries the facts derive in the piece (PlanDerived), to reserve room for.
  size_t derived = 0;
  // Keys to delete, sorted, newer than every entry (StaleEntries'), or null.
  const std::vector<std::string>* deletes = nullptr;
  DerivedRoom* room = nullptr;  // for the facts' entries (DerivedSource)
};

Status BulkWriter::ReduceRuns(int cf, size_t fan_in, size_t read_buffer, BulkStats* stats) {
  Buffer& b = buffers_[cf];
  for (int pass = 1; b.runs.size() > fan_in; ++pass) {
    const double t0 = ThreadCpuSeconds();
    // Merge just enough of the oldest runs that fan_in are left.
    const size_t take = std::min(fan_in, b.runs.size() - fan_in + 1);
    std::vector<std::unique_ptr<RunSource>> readers;
    std::vector<MergeSource*> sources;
    std::string_view first = b.runs[0].segments[0].first_key;
    size_t lcp = first.size();
    for (size_t i = 0; i < take; ++i) {
      const RunInfo& run = b.runs[i];
      lcp = std::min(
          {lcp, CommonPrefix(first, run.segments[0].first_key), CommonPrefix(first, run.last_key)});
      readers.push_back(std::make_unique<RunSource>());
      GEOKG_RETURN_IF_ERROR(readers.back()->Open(&run, 0, read_buffer));
      sources.push_back(readers.back().get());
    }
    RunWriter writer;
    const std::string path = (fs::path(dir_) / (std::string(CfName(static_cast<Cf>(cf))) +
                                                "-merged-" + std::to_string(pass) + ".run"))
                                 .string();
    GEOKG_RETURN_IF_ERROR(writer.Open(path, static_cast<uint32_t>(cf), min_read_, chunk_size_));
    uint64_t duplicates = 0;
    GEOKG_RETURN_IF_ERROR(Merge(
        sources, lcp, nullptr, nullptr, KeepsVersions(static_cast<Cf>(cf)) ? nullptr : &duplicates,
        [&](std::string_view k, std::string_view v, bool del) { return writer.Add(k, v, del); }));
    RunInfo merged;
    GEOKG_RETURN_IF_ERROR(writer.Finish(&merged));
    readers.clear();
    std::error_code ec;
    for (size_t i = 0; i < take; ++i) fs::remove(b.runs[i].path, ec);
    b.runs.erase(b.runs.begin(), b.runs.begin() + static_cast<std::ptrdiff_t>(take));
    stats->run_bytes += merged.bytes;
    b.runs.insert(b.runs.begin(), std::move(merged));
    stats->duplicates += duplicates;
    stats->duplicates_by_cf[cf] += duplicates;
    ++stats->runs;
    stats->merge_seconds += ThreadCpuSeconds() - t0;
  }
  return Status::OK();
}

Status BulkWriter::MergePiece(const Piece& piece, std::vector<std::string>* files, BulkStats* stats,
                              std::vector<std::string> (&stale)[kCfCount]) const {
  const Buffer& b = buffers_[piece.cf];
  std::vector<std::unique_ptr<RunSource>> readers;
  std::vector<MergeSource*> sources;
  for (const RunInfo& run : b.runs) {
    readers.push_back(std::make_unique<RunSource>());
    GEOKG_RETURN_IF_ERROR(
        readers.back()->Open(&run, piece.lo ? SegmentFor(run, *piece.lo) : 0, piece.read_buffer));
    sources.push_back(readers.back().get());
  }
  uint64_t duplicates = 0;
  std::optional<BufferSource<Entry>> buffer;
  if (!b.entries.empty()) {
    const std::unique_ptr<char[]>* chunks = b.chunks.data();
    auto bound = [&](const std::string& key) {
      return static_cast<size_t>(std::partition_point(b.entries.begin(), b.entries.end(),
                                                      [&](const Entry& e) {
                                                        return std::string_view(ArenaKey(chunks, e),
                                                                                e.key_len) < key;
                                                      }) -
                                 b.entries.begin());
    };
    buffer.emplace(b.entries.data(), piece.lo ? bound(*piece.lo) : 0,
                   piece.hi ? bound(*piece.hi) : b.entries.size(), chunks, &duplicates,
                   KeepsVersions(static_cast<Cf>(piece.cf)));
    sources.push_back(&*buffer);
  }
  std::optional<FactSource> facts;
  if (piece.cf == static_cast<int>(Cf::kNodes) && facts_sorted_) {
    // Newer than the buffer and the runs (PutFact), so after them.
    auto bound = [&](const std::string& key) {
      NodeId id = kNoNode;
      codec::DecodeNodeKey(key, &id);  // splitters are keys of the family: 8 bytes
      return static_cast<size_t>(std::partition_point(facts_.begin(), facts_.end(),
                                                      [&](const auto& f) { return f.id < id; }) -
                                 facts_.begin());
    };
    facts.emplace(facts_.data(), piece.lo ? bound(*piece.lo) : 0,
                  piece.hi ? bound(*piece.hi) : facts_.size(), templates_.data(),
                  table_ids_.data());
    sources.push_back(&*facts);
  }
  std::optional<DerivedSource> derived;
  if (derived_[piece.cf] > 0) {  // as new as the facts (PutFact)
    derived.emplace(static_cast<Cf>(piece.cf), final_, reach_.data(), facts_.data(),
                    templates_.data(), piece.lo ? &*piece.lo : nullptr,
                    piece.hi ? &*piece.hi : nullptr, piece.derived, piece.room);
    sources.push_back(&*derived);
  }
  std::optional<DeleteSource> deletes;
  if (piece.deletes != nullptr) {
    deletes.emplace(piece.deletes);
    sources.push_back(&*deletes);  // the newest
  }
  const Cf cf = static_cast<Cf>(piece.cf);
  SstSink sink(
      store_, cf,
      (fs::path(dir_) / (std::string(CfName(cf)) + "-" + std::to_string(piece.index) + "-"))
          .string(),
      std::max<uint64_t>(options_.target_file_bytes, 1), options_.direct_writes);
  const codec::PageLayout* layout = PageLayoutOf(cf);
  const bool versions = KeepsVersions(cf);
  // What the store holds in the piece's range, read along with the merge: stored pages to merge
  // with, stored values to compare with (nothing is read in a family that was empty).
  std::unique_ptr<rocksdb::Iterator> stored;
  if (!empty_[piece.cf]) {
    stored.reset(store_->raw_db()->NewIterator(rocksdb::ReadOptions(), store_->cf(cf)));
    if (!piece.lo) {
      stored->SeekToFirst();
    } else if (layout != nullptr) {
      char page[codec::kMaxPageKeySize];
      codec::PageKeyOfEntry(*layout, piece.lo->data(), page);
      stored->Seek(rocksdb::Slice(page, layout->page_key_size()));
    } else {
      stored->Seek(ToSlice(*piece.lo));
    }
  }
  std::optional<PageSink> pages;
  if (layout != nullptr) pages.emplace(cf, &sink, stored.get());
  // Families that are not paged: a put equal to the stored entry is not written. The nodes
  // family: the newest version of a key is emitted first and compared with the stored one (which
  // counts as the oldest), then the older ones come, each compared with it (StaleEntries).
  std::string final_value;
  bool final_deleted = false;
  uint64_t unchanged = 0;  // puts found as stored, not written
  // The stored value of key k (families that are not paged), moving the iterator forward.
  std::optional<std::string_view> old;
  // Whether the stored value `a` and the put `b`, whose bytes differ, are the same node in two
  // forms (a compact fact and an encoded node, or compact facts of two tables: a set imported
  // again in part has a table of its own).
  auto same_node = [&](std::string_view k, std::string_view a, std::string_view b) -> Result<bool> {
    if (!versions || (!codec::IsCompactFact(a) && !codec::IsCompactFact(b))) return false;
    NodeId id = kNoNode;
    codec::DecodeNodeKey(k, &id);
    GEOKG_ASSIGN_OR_RETURN(Node x, store_->DecodeNodeValue(a, id, &tables_));
    GEOKG_ASSIGN_OR_RETURN(Node y, store_->DecodeNodeValue(b, id, &tables_));
    return x == y;
  };
  auto find_stored = [&](std::string_view k) -> Status {
    old.reset();
    if (!stored) return Status::OK();
    const rocksdb::Slice target = ToSlice(k);
    MoveForwardTo(stored.get(), target);
    if (!stored->status().ok()) {
      return FromRocks(stored->status(), "reading " + std::string(CfName(cf)));
    }
    if (stored->Valid() && stored->key() == target) old = ToView(stored->value());
    return Status::OK();
  };
  auto emit = [&](std::string_view k, std::string_view v, bool del) -> Status {
    if (pages) return pages->Add(k, v, del);
    if (versions) {
      final_value.assign(v);
      final_deleted = del;
    }
    GEOKG_RETURN_IF_ERROR(find_stored(k));
    bool as_stored = old && !del && *old == v;
    if (old && !del && !as_stored) {
      GEOKG_ASSIGN_OR_RETURN(as_stored, same_node(k, *old, v));
    }
    if (as_stored) {  // nothing to write
      ++unchanged;
      if (versions && IsEventKey(k)) {
        ++stats->events_unchanged;
        GEOKG_RETURN_IF_ERROR(CountRoles(*store_, tables_, k, v, &stats->unwritten_roles));
      }
      return Status::OK();
    }
    if (versions) {
      if (!del && IsEventKey(k)) ++(old ? stats->events_updated : stats->events_added);
      if (old) {
        GEOKG_RETURN_IF_ERROR(StaleEntries(*store_, tables_, k, *old, v, del, stale));
      }
      if (!del && codec::IsCompactFact(v)) MarkTableWritten(v);
    }
    return sink.Add(k, v, del);
  };
  Status s;
  if (sources.size() == 1 && derived) {
    // The facts' derived entries alone need no merge (its loser tree, its copy of each key to
    // compare the next with): DerivedSource hands out distinct keys in [lo, hi), in order (it
    // checks that).
    while (s.ok() && derived->Next()) s = emit(derived->key, derived->value, false);
    if (s.ok()) s = derived->status();
  } else {
    s = Merge(
        sources, piece.lcp, piece.lo ? &*piece.lo : nullptr, piece.hi ? &*piece.hi : nullptr,
        &duplicates, emit, [&](std::string_view k, std::string_view v, bool del) -> Status {
          if (!versions || del) return Status::OK();
          if (IsEventKey(k)) {
            GEOKG_RETURN_IF_ERROR(CountRoles(*store_, tables_, k, v, &stats->unwritten_roles));
          }
          if (!final_deleted && v == final_value) return Status::OK();
          return StaleEntries(*store_, tables_, k, v, final_value, final_deleted, stale);
        });
  }
  if (s.ok() && pages) s = pages->Close();
  if (s.ok()) s = sink.Close();
  *files = sink.files;
  stats->written += (pages ? pages->entries : sink.written) + unchanged;
  stats->files += sink.files.size();
  stats->direct_files += sink.direct_files;
  stats->file_bytes += sink.file_bytes;
  stats->duplicates += duplicates;
  stats->duplicates_by_cf[piece.cf] += duplicates;
  return s;
}

std::vector<std::string> BulkWriter::Splitters(int cf, size_t pieces) const {
  // Samples weighted by the bytes they stand for: each run segment's first key, and a key of the
  // buffer every chunk_size_ bytes; the splitters cut the sorted samples into equal weights.
  const Buffer& b = buffers_[cf];
  std::vector<std::pair<std::string_view, uint64_t>> samples;
  for (const RunInfo& run : b.runs) {
    for (size_t i = 0; i < run.segments.size(); ++i) {
      const uint64_t end = i + 1 < run.segments.size() ? run.segments[i + 1].offset : run.bytes;
      samples.emplace_back(run.segments[i].first_key, end - run.segments[i].offset);
    }
  }
  uint64_t acc = 0;
  for (const Entry& e : b.entries) {
    acc += 8 + e.key_len + (e.value_len & ~kDeleteBit);
    if (acc >= chunk_size_) {
      samples.emplace_back(std::string_view(ArenaKey(b.chunks.data(), e), e.key_len), acc);
      acc = 0;
    }
  }
  std::vector<std::string> fact_keys;  // the samples' bytes
  if (cf == static_cast<int>(Cf::kNodes) && facts_sorted_) {
    const uint64_t per_fact = 8 + 8 + FactValueBytes();
    const size_t stride = std::max<size_t>(chunk_size_ / per_fact, 1);
    fact_keys.reserve(facts_.size() / stride + 1);
    for (size_t i = 0; i < facts_.size(); i += stride) {
      fact_keys.push_back(codec::NodeKey(facts_[i].id));
    }
    for (size_t i = 0; i < fact_keys.size(); ++i) {
      const size_t n = std::min(stride, facts_.size() - i * stride);
      samples.emplace_back(fact_keys[i], n * per_fact);
    }
  }
  for (const auto& [key, bytes] : derived_samples_[cf]) samples.emplace_back(key, bytes);
  std::sort(samples.begin(), samples.end());
  uint64_t weight = 0, cum = 0;
  for (const auto& sample : samples) weight += sample.second;
  // In the paged families a cut falls where a page starts, so no page is split.
  const codec::PageLayout* layout = PageLayoutOf(static_cast<Cf>(cf));
  std::vector<std::string> splitters;
  for (const auto& [sample, w] : samples) {
    if (splitters.size() + 1 >= pieces) break;
    const std::string key = layout ? codec::PageStart(*layout, sample) : std::string(sample);
    if (cum >= weight * (splitters.size() + 1) / pieces &&
        (splitters.empty() || key > splitters.back())) {
      splitters.push_back(key);
    }
    cum += w;
  }
  return splitters;
}

Status BulkWriter::WriteSsts(std::vector<std::string> (&files)[kCfCount]) {
  GEOKG_RETURN_IF_ERROR(WaitForAll());
  const size_t budget = options_.memory_budget;
  const int threads = std::max(1, options_.writer_threads);
  // A quarter of the budget is for the merge's read buffers: spill the largest buffers while
  // the rest is over.
  const size_t reserve = read_slice_ * static_cast<size_t>(threads);
  while (Filling() > budget - reserve && buffers_[LargestBuffer()].footprint() > 0) {
    ++stats_.spills;
    GEOKG_RETURN_IF_ERROR(Spill(LargestBuffer(), /*async=*/true));
  }
  GEOKG_RETURN_IF_ERROR(WaitForAll());
  const int nodes = static_cast<int>(Cf::kNodes);
  // Each thread's slice of the reserve is split among the runs it reads, at least min_read_
  // bytes each; a family with more runs than that allows first merges its oldest ones.
  const size_t slice = read_slice_;
  const size_t fan_in = std::max<size_t>(2, slice / min_read_);
  auto read_buffer = [&](size_t runs) {
    return std::clamp<size_t>(slice / std::max<size_t>(runs, 1), min_read_, 1 << 20);
  };

  // Families with anything to write, largest first.
  // A family's merge costs about kEntryCost bytes' worth per entry on top of its bytes (an SST
  // key ~300 ns against ~1 ns a byte for reading and LZ4). The paged families (adjacency, event
  // index) write one SST key per page, not per entry, and cost less than this says.
  uint64_t size[kCfCount] = {}, cost[kCfCount] = {}, total = 0;
  std::vector<int> order;
  auto plan = [&] {
    total = 0;
    order.clear();
    for (int cf = 0; cf < kCfCount; ++cf) {
      const Buffer& b = buffers_[cf];
      size[cf] = b.bytes + 8 * b.entries.size();  // as in a run: 8 bytes of lengths an entry
      uint64_t entries = b.entries.size();
      for (const RunInfo& run : b.runs) {
        size[cf] += run.bytes;
        entries += run.entries;
      }
      if (cf == nodes && !facts_.empty()) {  // each fact: a key and a value of about this size
        size[cf] += facts_.size() * (8 + 8 + FactValueBytes());
        entries += facts_.size();
      }
      if (derived_[cf] > 0) {  // the facts' entries (PlanDerived)
        const codec::PageLayout& layout = *PageLayoutOf(static_cast<Cf>(cf));
        size[cf] += derived_[cf] * (layout.entry_size() + layout.value);
        entries += derived_[cf];
      }
      cost[cf] = size[cf] + kEntryCost * entries;
      total += cost[cf];
      if (size[cf] > 0) order.push_back(cf);
    }
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return cost[x] > cost[y]; });
  };
  plan();

  // Sort the last buffers; merge the oldest runs of families with too many.
  std::vector<BulkStats> parts(kCfCount);
  auto t0 = std::chrono::steady_clock::now();
  Status s = RunTasks(order.size(), threads, [&](size_t i) {
    const int cf = order[i];
    Buffer& b = buffers_[cf];
    const double c0 = ThreadCpuSeconds();
    SortEntries(b.entries.data(), b.entries.size(), b.chunks.data());
    if (cf == nodes && !prepared_) SortFacts();
    parts[cf].sort_seconds += ThreadCpuSeconds() - c0;
    return ReduceRuns(cf, fan_in, read_buffer(fan_in), &parts[cf]);
  });
  stats_.wait_seconds += Since(t0);
  for (const BulkStats& part : parts) AddStats(part, &stats_);
  GEOKG_RETURN_IF_ERROR(s);
  if (facts_sorted_) {
    if (!prepared_) PlanDerived();
    AdoptSortedFacts();
    for (uint64_t n : derived_) stats_.entries += n;
    plan();
  }

  // Cut each family into key ranges of about a quarter of a thread's share of the whole cost:
  // merged costliest first, the last pieces are small, so the threads finish close together
  // (with one piece per share, one thread merged the last large piece alone). A family too
  // small for a piece of at least 4 arena chunks is merged whole.
  const uint64_t piece_cost =
      std::max<uint64_t>(total / (kPiecesPerThread * static_cast<uint64_t>(threads)), 1);
  std::vector<Piece> pieces;
  if (!derived_room_) derived_room_ = std::make_unique<DerivedRoom>();
  DerivedRoom& room = *derived_room_;
  std::atomic<int> pieces_left[kCfCount] = {};
  std::string family_key[kCfCount];  // a key of each family's, for its prefix
  for (int cf : order) {
    const Buffer& b = buffers_[cf];
    const std::unique_ptr<char[]>* chunks = b.chunks.data();
    auto key_at = [&](size_t i) {
      return std::string_view(ArenaKey(chunks, b.entries[i]), b.entries[i].key_len);
    };
    // Every key lies between its source's first and last: their common prefix is everyone's.
    std::vector<std::string_view> bounds;
    for (const RunInfo& run : b.runs) {
      bounds.push_back(run.segments[0].first_key);
      bounds.push_back(run.last_key);
    }
    if (!b.entries.empty()) {
      bounds.push_back(key_at(0));
      bounds.push_back(key_at(b.entries.size() - 1));
    }
    std::string fact_bounds[2];
    if (cf == nodes && facts_sorted_) {
      fact_bounds[0] = codec::NodeKey(facts_.front().id);
      fact_bounds[1] = codec::NodeKey(facts_.back().id);
      bounds.insert(bounds.end(), {fact_bounds[0], fact_bounds[1]});
    }
    // A family with derived entries (whose keys are not all known yet) shares no prefix.
    size_t lcp = bounds.empty() || derived_[cf] > 0 ? 0 : bounds[0].size();
    for (std::string_view k : bounds) lcp = std::min(lcp, CommonPrefix(bounds[0], k));
    if (!bounds.empty()) family_key[cf] = bounds[0];

    std::vector<std::string> splitters;  // piece i holds [splitters[i - 1], splitters[i])
    const uint64_t most = kPiecesPerThread * static_cast<uint64_t>(threads);
    uint64_t by_cost = std::min(most, (cost[cf] + piece_cost - 1) / piece_cost);
    // A family of derived entries gets at least MinDerivedPieces (ICEWS18's event index in 2
    // pieces of 30 ms left one thread idle for up to 25 ms at the end; in 4, +4 ms of CPU). The
    // bound of 4 arena chunks a piece is for buffered entries: derived ones have no chunks.
    uint64_t want = std::min(by_cost, size[cf] / (4 * chunk_size_));
    if (derived_[cf] > 0) want = std::max(want, MinDerivedPieces(threads));
    if (threads > 1 && want > 1) splitters = Splitters(cf, want);
    for (size_t i = 0; i <= splitters.size(); ++i) {
      Piece p;
      p.cf = cf;
      p.index = i + 1;
      p.lcp = lcp;
      if (i > 0) p.lo = splitters[i - 1];
      if (i < splitters.size()) p.hi = splitters[i];
      p.bytes = cost[cf] / (splitters.size() + 1);
      p.derived = DerivedRoomFor(derived_[cf], splitters.size() + 1);
      p.read_buffer = read_buffer(b.runs.size());
      p.room = &room;
      pieces.push_back(std::move(p));
    }
    pieces_left[cf] = static_cast<int>(splitters.size() + 1);
  }
  std::stable_sort(pieces.begin(), pieces.end(),
                   [](const Piece& x, const Piece& y) { return x.bytes > y.bytes; });

  // Merge the pieces, largest first, each into its own files. The nodes family's pieces, the
  // largest, go first: the versions they supersede may leave entries in the other families
  // stale, and a family found with any is merged again, whole, with their deletes. Until the
  // nodes family is done, the other families keep their runs and buffers for that.
  std::stable_partition(pieces.begin(), pieces.end(),
                        [&](const Piece& p) { return p.cf == nodes; });
  std::vector<std::vector<std::string>> piece_files(pieces.size());
  std::vector<BulkStats> piece_stats(pieces.size());
  std::vector<std::array<std::vector<std::string>, kCfCount>> piece_stale(pieces.size());
  auto release = [this](int cf) {  // the family is done: its runs and buffer are not needed
    Buffer& b = buffers_[cf];
    std::error_code ec;
    for (const RunInfo& run : b.runs) fs::remove(run.path, ec);
    std::vector<std::unique_ptr<char[]>>().swap(b.chunks);
    std::vector<Entry>().swap(b.entries);
    // The facts go with the nodes family, unless other families still derive entries from them
    // (then after the last merge, below).
    const bool derives =
        derived_[static_cast<int>(Cf::kOut)] + derived_[static_cast<int>(Cf::kEventIndex)] > 0;
    if (cf == static_cast<int>(Cf::kNodes) && !derives) ReleaseFacts();
  };
  t0 = std::chrono::steady_clock::now();
  s = RunTasks(pieces.size(), threads, [&](size_t i) {
    const double c0 = ThreadCpuSeconds();
    const int cf = pieces[i].cf;
    std::vector<std::string> stale[kCfCount];
    Status st = MergePiece(pieces[i], &piece_files[i], &piece_stats[i], stale);
    for (int c = 0; c < kCfCount; ++c) piece_stale[i][c] = std::move(stale[c]);
    if (st.ok() && --pieces_left[cf] == 0 && cf == nodes) release(cf);
    piece_stats[i].merge_seconds += ThreadCpuSeconds() - c0;
    return st;
  });
  stats_.wait_seconds += Since(t0);
  GEOKG_RETURN_IF_ERROR(s);

  // Families with stale entries: merged again with their deletes (rare: a node written twice
  // with different values, further apart than its writer saw).
  std::vector<std::string> stale[kCfCount];
  for (auto& part : piece_stale) {
    for (int c = 0; c < kCfCount; ++c) {
      stale[c].insert(stale[c].end(), std::make_move_iterator(part[c].begin()),
                      std::make_move_iterator(part[c].end()));
    }
  }
  std::vector<Piece> again;
  for (int cf = 0; cf < kCfCount; ++cf) {
    auto& d = stale[cf];
    if (d.empty()) continue;
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
    stats_.entries += d.size();  // entries of this writer's own, counted like the others
    Piece p;
    p.cf = cf;
    p.index = pieces.size() + 1;  // file names of their own
    p.lcp = CommonPrefix(d.front(), d.back());
    for (size_t i = 0; i < pieces.size(); ++i) {
      if (pieces[i].cf != cf) continue;
      p.lcp = std::min({p.lcp, pieces[i].lcp, CommonPrefix(d.front(), family_key[cf])});
      std::error_code ec;
      for (const std::string& f : piece_files[i]) fs::remove(f, ec);
      piece_files[i].clear();
      const double cpu = piece_stats[i].merge_seconds;
      piece_stats[i] = BulkStats();
      piece_stats[i].merge_seconds = cpu;
    }
    p.read_buffer = read_buffer(buffers_[cf].runs.size());
    p.derived = static_cast<size_t>(derived_[cf]);  // the whole family
    p.deletes = &d;
    p.room = &room;
    again.push_back(std::move(p));
  }
  std::vector<std::vector<std::string>> again_files(again.size());
  std::vector<BulkStats> again_stats(again.size());
  t0 = std::chrono::steady_clock::now();
  s = RunTasks(again.size(), threads, [&](size_t i) {
    const double c0 = ThreadCpuSeconds();
    std::vector<std::string> none[kCfCount];  // only the nodes family supersedes anything
    Status st = MergePiece(again[i], &again_files[i], &again_stats[i], none);
    again_stats[i].merge_seconds += ThreadCpuSeconds() - c0;
    return st;
  });
  stats_.wait_seconds += Since(t0);
  for (int cf = 0; cf < kCfCount; ++cf) release(cf);
  ReleaseFacts();
  for (size_t i = 0; i < pieces.size(); ++i) {
    AddStats(piece_stats[i], &stats_);
    auto& f = files[pieces[i].cf];
    f.insert(f.end(), piece_files[i].begin(), piece_files[i].end());
  }
  for (size_t i = 0; i < again.size(); ++i) {
    AddStats(again_stats[i], &stats_);
    auto& f = files[again[i].cf];
    f.insert(f.end(), again_files[i].begin(), again_files[i].end());
  }
  return s;
}

Status BulkWriter::PrepareFactTables() {
  // The tables of the templates with buffered facts are complete now: their ids name them in the
  // facts' values.
  table_ids_.assign(templates_.size(), 0);
  table_bytes_.assign(templates_.size(), {});
  table_written_ = std::make_unique<std::atomic<bool>[]>(templates_.size());
  std::vector<char> used(templates_.size(), 0);
  for (const FactRecord& r : facts_) used[r.tmpl] = 1;
  for (size_t i = 0; i < templates_.size(); ++i) {
    const FactTable* table = used[i] ? templates_[i]->table() : nullptr;
    if (table == nullptr) continue;
    if (std::string why = table->Problem(); !why.empty()) {
      return Status::InvalidArgument("fact template " + std::to_string(i) + ": " + why);
    }
    table_bytes_[i] = codec::EncodeFactTable(*table);
    table_ids_[i] = codec::FactTableId(table_bytes_[i]);
    // Shares the template's ownership: the table does not change from here on.
    tables_.emplace(table_ids_[i], std::shared_ptr<const FactTable>(templates_[i], table));
  }
  return Status::OK();
}

void BulkWriter::MarkTableWritten(std::string_view value) const {
  if (value.size() < 9) return;
  const uint64_t id = codec::GetBE64(value.data() + 1);
  for (size_t i = 0; i < table_ids_.size(); ++i) {
    // Read first: the nodes pieces call this for every fact, on every thread, and a store each
    // time would bounce the flag's cache line between the cores.
    if (table_ids_[i] == id && !table_written_[i].load(std::memory_order_relaxed)) {
      table_written_[i].store(true, std::memory_order_relaxed);
    }
  }
}

Status BulkWriter::WriteFactTables(std::vector<std::string>* files) {
  // Only the tables that a written value names, and that the store does not hold yet: a set
  // imported again, whole or in part, finds its facts as stored and writes no table.
  std::vector<std::pair<std::string, const std::string*>> puts;
  for (size_t i = 0; i < table_ids_.size(); ++i) {
    if (table_ids_[i] == 0 || !table_written_[i].load()) continue;
    std::string key = codec::FactTableKey(table_ids_[i]);
    GEOKG_ASSIGN_OR_RETURN(auto stored, GetStored(Cf::kMeta, key));
    if (stored && *stored == table_bytes_[i]) continue;
    puts.emplace_back(std::move(key), &table_bytes_[i]);
  }
  if (puts.empty()) return Status::OK();
  if (!files->empty()) {  // the files of one family must not overlap
    return Status::InvalidArgument("a bulk write of `meta` entries cannot also write facts");
  }
  std::sort(puts.begin(), puts.end());
  puts.erase(std::unique(puts.begin(), puts.end(),
                         [](const auto& a, const auto& b) { return a.first == b.first; }),
             puts.end());
  SstSink sink(store_, Cf::kMeta, (fs::path(dir_) / "meta-tables-").string(), UINT64_MAX,
               options_.direct_writes);
  for (const auto& [key, bytes] : puts) GEOKG_RETURN_IF_ERROR(sink.Add(key, *bytes, false));
  GEOKG_RETURN_IF_ERROR(sink.Close());
  *files = sink.files;
  stats_.entries += sink.written;  // entries of this writer's own, counted like the others
  stats_.written += sink.written;
  stats_.files += sink.files.size();
  stats_.direct_files += sink.direct_files;
  stats_.file_bytes += sink.file_bytes;
  return Status::OK();
}

Status BulkWriter::Finish() {
  if (done_) return Status::InvalidArgument("BulkWriter::Finish called twice");
  GEOKG_RETURN_IF_ERROR(sticky_);
  if (Status s = PrepareFactTables(); !s.ok()) {
    Abort();
    return s;
  }
  // While PrepareFacts' work finishes on another core, this one pages in the room of the first
  // derived pieces (one for the items and one for their sort per writer thread), of the size
  // WriteSsts will likely give the `out` pieces: an event fact derives an `out` entry per
  // participant, nearly always 2, and the family is cut into MinDerivedPieces (ICEWS18: 56 MB,
  // whose page faults had cost the first pieces 15-20 ms).
  if (preparing_.valid()) {
    const int threads = std::max(1, options_.writer_threads);
    derived_room_ = std::make_unique<DerivedRoom>();
    derived_room_->Warm(2 * static_cast<size_t>(threads),
                        DerivedRoomFor(2 * facts_.size(), MinDerivedPieces(threads)));
  }
  JoinPrepared(/*keep=*/true);
  std::vector<std::string> files[kCfCount];
  Status written = WriteSsts(files);
  if (written.ok()) written = WriteFactTables(&files[static_cast<int>(Cf::kMeta)]);
  if (Status s = written; !s.ok()) {
    Abort();
    return s;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (int cf = 0; cf < kCfCount; ++cf) {
    if (files[cf].empty()) continue;
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store_->cf(static_cast<Cf>(cf));
    arg.external_files = files[cf];
    arg.options.move_files = true;
    // A file that overlaps data already in the store gets a sequence number; it lives in the
    // MANIFEST only (writing it into each file would cost a write and an fsync per file).
    arg.options.write_global_seqno = false;
    args.push_back(std::move(arg));
  }
  if (!args.empty()) {
    // A format-4 store becomes a format-5 one before it may hold compact facts.
    if (Status up = store_->UpgradeFormat(); !up.ok()) {
      Abort();
      return up;
    }
    rocksdb::Status s = store_->raw_db()->IngestExternalFiles(args);
    if (!s.ok()) {
      Abort();
      return FromRocks(s, "ingesting bulk files");
    }
  }
  stats_.ingest_seconds += Since(t0);
  done_ = true;
  for (auto& b : buffers_) b.runs.clear();
  buffered_ = 0;
  std::error_code ec;
  fs::remove_all(dir_, ec);
  if (!args.empty()) GEOKG_RETURN_IF_ERROR(store_->BumpGeneration());
  return Status::OK();
}

void BulkWriter::Abort() {
  JoinPrepared(/*keep=*/false);
  done_ = true;
  WaitForAll().IgnoreError();  // their files are deleted with the directory below
  for (auto& b : buffers_) {
    std::vector<std::unique_ptr<char[]>>().swap(b.chunks);
    std::vector<Entry>().swap(b.entries);
    b.bytes = b.chunk_used = b.chunk_cap = 0;
    b.runs.clear();
  }
  ReleaseFacts();
  fact_kinds_ = 0;
  buffered_ = 0;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void BulkWriter::ReleaseFacts() {
  derived_room_.reset();
  std::vector<FactRecord>().swap(facts_);
  std::vector<FactRecord>().swap(sorted_facts_);
  facts_sorted_ = false;
  std::vector<bool>().swap(final_);
  std::vector<DerivedReach>().swap(reach_);
}

}  // namespace geokg::storage
