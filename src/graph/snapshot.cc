// Snapshot files: a 32-byte header, then one single-segment Cap'n Proto message
// (schema/snapshot.capnp) whose Data blobs are the CSR arrays' raw little-endian bytes.
//   header: u64 magic "GEOKGSNP" | u32 format version | u32 0 | u64 body bytes | u64 XXH3-64(body)
//   body:   the message in flat-array framing (segment table, then the segment)
// Opening maps the file read-only and checks the header and the checksum of the whole body before
// anything in it is read: the structural checks below catch only damage that breaks an index, not
// a changed time, type or link count, so without the checksum such damage would silently change
// answers. Then it reads the message in place with FlatArrayMessageReader and points the
// CsrGraph's spans at the blobs; the mapping lives as long as the graph. Every blob's length and
// alignment is checked against the header counts, then CsrGraph::Validate() checks every index,
// so no later traversal can read out of bounds even if a damaged file matched its checksum.
// Cap'n Proto's exceptions stop here and become Corruption.
// Hashing the whole body costs ~0.16 ms per MB, more than the rest of a small query, so it is done
// once per version of the file: a check that passes writes a stamp beside it,
//   <snapshot>.verified: u64 magic "GEOKGVFY" | u64 st_dev | u64 st_ino | u64 st_size |
//                        i64 ctime s | i64 ctime ns | i64 mtime s | i64 mtime ns | u64 checksum
// and an open that finds the file's identity, size and times as stamped, and the header's
// checksum, skips the hash. Any write to the file moves its change time (which user space cannot
// set back), so damage done by writing is always hashed. A stamp is written only for a file whose
// times are two seconds old: the kernel keeps them at a coarse clock, and a write within the same
// tick as the check would otherwise leave them as stamped (git's "racily clean" index entries).
#include "graph/snapshot.h"

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <fcntl.h>
#include <kj/debug.h>
#include <kj/exception.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "snapshot.capnp.h"
#include "storage/store.h"

namespace geokg::graph {
namespace {

static_assert(std::endian::native == std::endian::little, "snapshot blobs are little-endian");

constexpr uint64_t kFileMagic = 0x504e534b474f4547ull;  // "GEOKGSNP": the file header
constexpr uint64_t kMagic = 0x5253434b474f4547ull;      // "GEOKGCSR": the message root
// 2: adds the actor projection (actorLinkOffsets, actorLinks).
// 3: the message follows a header holding its XXH3-64 (the version is in both header and root).
constexpr uint32_t kSnapshotFormatVersion = 3;
constexpr size_t kHeaderBytes = 32;
constexpr size_t kMaxBlob = (size_t{1} << 29) - 1;

struct FileHeader {
  uint64_t magic;
  uint32_t version;
  uint32_t zero;
  uint64_t body_bytes;
  uint64_t checksum;
};
static_assert(sizeof(FileHeader) == kHeaderBytes);

constexpr uint64_t kStampMagic = 0x5946564b474f4547ull;  // "GEOKGVFY"
struct Stamp {
  uint64_t magic, dev, ino, size;
  int64_t ctime_s, ctime_ns, mtime_s, mtime_ns;
  uint64_t checksum;
  bool operator==(const Stamp&) const = default;
};
static_assert(sizeof(Stamp) == 72);

std::string StampPath(const std::string& path) { return path + ".verified"; }

Stamp StampOf(const struct stat& st, uint64_t checksum) {
  return Stamp{kStampMagic,
               static_cast<uint64_t>(st.st_dev),
               static_cast<uint64_t>(st.st_ino),
               static_cast<uint64_t>(st.st_size),
               static_cast<int64_t>(st.st_ctim.tv_sec),
               static_cast<int64_t>(st.st_ctim.tv_nsec),
               static_cast<int64_t>(st.st_mtim.tv_sec),
               static_cast<int64_t>(st.st_mtim.tv_nsec),
               checksum};
}

// True if the stamp beside `path` says the file `st` describes was hashed to `checksum` and has
// not been written since. Any problem reading the stamp is a no.
bool StampVouches(const std::string& path, const struct stat& st, uint64_t checksum) {
  int fd = ::open(StampPath(path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  Stamp stamp;
  const ssize_t n = ::read(fd, &stamp, sizeof(stamp));
  char extra;
  const bool whole = n == static_cast<ssize_t>(sizeof(stamp)) && ::read(fd, &extra, 1) == 0;
  ::close(fd);
  return whole && stamp == StampOf(st, checksum);
}

// Records that the file `st` describes hashed to `checksum` (see the top of the file). Best
// effort: a store opened by a user who cannot write there just hashes again next time.
void WriteStamp(const std::string& path, const struct stat& st, uint64_t checksum) {
  struct timespec now;
  if (clock_gettime(CLOCK_REALTIME, &now) != 0) return;
  const int64_t newest = std::max(st.st_ctim.tv_sec, st.st_mtim.tv_sec);
  if (now.tv_sec - newest < 2) return;  // racy: a write in the same tick would go unseen
  const std::string stamp_path = StampPath(path), tmp = stamp_path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const Stamp stamp = StampOf(st, checksum);
  const bool written = ::write(fd, &stamp, sizeof(stamp)) == static_cast<ssize_t>(sizeof(stamp));
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), stamp_path.c_str()) != 0) ::unlink(tmp.c_str());
}

// Passes writes on to `out` and hashes them, so that the body is hashed as it is written.
class HashingOutputStream final : public kj::OutputStream {
 public:
  explicit HashingOutputStream(kj::OutputStream& out) : out_(out), state_(XXH3_createState()) {
    KJ_ASSERT(state_ != nullptr);
    XXH3_64bits_reset(state_);
  }
  ~HashingOutputStream() { XXH3_freeState(state_); }
  HashingOutputStream(const HashingOutputStream&) = delete;
  HashingOutputStream& operator=(const HashingOutputStream&) = delete;

  void write(const void* buffer, size_t size) override {
    XXH3_64bits_update(state_, buffer, size);
    out_.write(buffer, size);
    bytes_ += size;
  }
  uint64_t bytes() const { return bytes_; }
  uint64_t digest() const { return XXH3_64bits_digest(state_); }

 private:
  kj::OutputStream& out_;
  XXH3_state_t* state_;
  uint64_t bytes_ = 0;
};

class Mapping {
 public:
  Mapping(void* addr, size_t len) : addr_(addr), len_(len) {}
  ~Mapping() {
    if (addr_ != nullptr) munmap(addr_, len_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  const void* addr() const { return addr_; }
  size_t len() const { return len_; }

 private:
  void* addr_;
  size_t len_;
};

// Copies `a` into a new blob made by `init(size)`.
template <typename T, typename Init>
Status PutBlob(Init init, std::span<const T> a, const char* name) {
  size_t bytes = a.size() * sizeof(T);
  if (bytes > kMaxBlob) {
    return Status::InvalidArgument(std::string("snapshot: array ") + name + " has " +
                                   std::to_string(bytes) + " bytes, more than a blob can hold");
  }
  capnp::Data::Builder b = init(static_cast<unsigned>(bytes));
  if (bytes > 0) std::memcpy(b.begin(), a.data(), bytes);
  return Status::OK();
}

Status PutSide(schema::CsrSideBlobs::Builder b, const CsrSide& s) {
  GEOKG_RETURN_IF_ERROR(
      PutBlob([&](unsigned n) { return b.initOffsets(n); }, s.offsets, "offsets"));
  GEOKG_RETURN_IF_ERROR(
      PutBlob([&](unsigned n) { return b.initNeighbor(n); }, s.neighbor, "neighbor"));
  GEOKG_RETURN_IF_ERROR(PutBlob([&](unsigned n) { return b.initType(n); }, s.type, "type"));
  GEOKG_RETURN_IF_ERROR(PutBlob([&](unsigned n) { return b.initTime(n); }, s.time, "time"));
  GEOKG_RETURN_IF_ERROR(PutBlob([&](unsigned n) { return b.initStatus(n); }, s.status, "status"));
  GEOKG_RETURN_IF_ERROR(PutBlob([&](unsigned n) { return b.initEdge(n); }, s.edge, "edge"));
  return Status::OK();
}

// Views blob `d` as `count` values of T; Corruption if its size or alignment is wrong.
template <typename T>
Status ViewBlob(capnp::Data::Reader d, uint64_t count, const char* name, std::span<const T>* out) {
  if (d.size() != count * sizeof(T)) {
    return Status::Corruption(std::string("snapshot: blob ") + name + " has " +
                              std::to_string(d.size()) + " bytes, expected " +
                              std::to_string(count * sizeof(T)));
  }
  if (count > 0 && reinterpret_cast<uintptr_t>(d.begin()) % alignof(T) != 0) {
    return Status::Corruption(std::string("snapshot: blob ") + name + " is misaligned");
  }
  *out = std::span<const T>(count ? reinterpret_cast<const T*>(d.begin()) : nullptr, count);
  return Status::OK();
}

Status ViewSide(schema::CsrSideBlobs::Reader r, uint64_t n, uint64_t m, CsrSide* s) {
  GEOKG_RETURN_IF_ERROR(ViewBlob(r.getOffsets(), n + 1, "offsets", &s->offsets));
  GEOKG_RETURN_IF_ERROR(ViewBlob(r.getNeighbor(), m, "neighbor", &s->neighbor));
  GEOKG_RETURN_IF_ERROR(ViewBlob(r.getType(), m, "type", &s->type));
  GEOKG_RETURN_IF_ERROR(ViewBlob(r.getTime(), m, "time", &s->time));
  GEOKG_RETURN_IF_ERROR(ViewBlob(r.getStatus(), m, "status", &s->status));
  GEOKG_RETURN_IF_ERROR(ViewBlob(r.getEdge(), m, "edge", &s->edge));
  return Status::OK();
}

std::string Errno(const std::string& what, const std::string& path) {
  return path + ": " + what + ": " + std::strerror(errno);
}

Result<OpenedSnapshot> OpenImpl(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no snapshot");
    return Status::IOError(Errno("cannot open", path));
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    ::close(fd);
    return Status::IOError(Errno("cannot stat", path));
  }
  const size_t file_len = static_cast<size_t>(st.st_size);
  if (file_len < kHeaderBytes + 16 || file_len % sizeof(capnp::word) != 0) {
    ::close(fd);
    return Status::Corruption(path + ": not a snapshot (size " + std::to_string(file_len) + ")");
  }
  // No MAP_POPULATE: building page tables for the whole file costs more than the faults of the
  // pages a query touches; WILLNEED starts read-ahead without blocking.
  void* file = mmap(nullptr, file_len, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (file == MAP_FAILED) return Status::IOError(Errno("cannot map", path));
  madvise(file, file_len, MADV_WILLNEED);
  auto mapping = std::make_shared<Mapping>(file, file_len);

  FileHeader h;
  std::memcpy(&h, file, sizeof(h));
  if (h.magic != kFileMagic) {
    return Status::Corruption(path + ": not a geokg snapshot of format " +
                              std::to_string(kSnapshotFormatVersion) + " (bad magic)");
  }
  if (h.version != kSnapshotFormatVersion || h.zero != 0) {
    return Status::Corruption(path + ": snapshot format version " + std::to_string(h.version) +
                              " is not " + std::to_string(kSnapshotFormatVersion));
  }
  const void* addr = static_cast<const char*>(file) + kHeaderBytes;
  const size_t len = file_len - kHeaderBytes;
  if (h.body_bytes != len) {
    return Status::Corruption(path + ": snapshot body has " + std::to_string(len) +
                              " bytes, its header says " + std::to_string(h.body_bytes));
  }
  const bool hash = !StampVouches(path, st, h.checksum);
  if (hash && XXH3_64bits(addr, len) != h.checksum) {
    return Status::Corruption(path + ": snapshot checksum mismatch");
  }

  OpenedSnapshot out;
  CsrGraph::Views v;
  Status st_views;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] {
                 capnp::ReaderOptions opts;
                 opts.traversalLimitInWords = len / sizeof(capnp::word) * 2 + 1024;
                 capnp::FlatArrayMessageReader reader(
                     kj::ArrayPtr<const capnp::word>(static_cast<const capnp::word*>(addr),
                                                     len / sizeof(capnp::word)),
                     opts);
                 auto r = reader.getRoot<schema::GraphSnapshot>();
                 if (r.getMagic() != kMagic) {
                   st_views = Status::Corruption(path + ": not a geokg snapshot (bad magic)");
                   return;
                 }
                 if (r.getFormatVersion() != kSnapshotFormatVersion) {
                   st_views = Status::Corruption(path + ": snapshot format version " +
                                                 std::to_string(r.getFormatVersion()) + " is not " +
                                                 std::to_string(kSnapshotFormatVersion));
                   return;
                 }
                 out.header.store_id = r.getStoreId();
                 out.header.generation = r.getGeneration();
                 const uint64_t n = r.getNumVertices(), m = r.getNumArcs();
                 auto check = [&](Status s) {
                   if (st_views.ok() && !s.ok()) st_views = s.WithContext(path);
                 };
                 check(ViewBlob(r.getNodeIds(), n, "nodeIds", &v.node_ids));
                 check(ViewBlob(r.getKinds(), n, "kinds", &v.kinds));
                 check(ViewBlob(r.getCodes(), n, "codes", &v.codes));
                 check(ViewBlob(r.getGoldstein(), n, "goldstein", &v.goldstein));
                 check(ViewBlob(r.getQuadClass(), n, "quadClass", &v.quad_class));
                 check(ViewSide(r.getOut(), n, m, &v.out));
                 check(ViewSide(r.getIn(), n, m, &v.in));
                 const uint64_t offsets_bytes = r.getActorLinkOffsets().size();
                 if (offsets_bytes > 0) {
                   const uint64_t count = r.getActorLinks().size() / sizeof(LinkStats);
                   check(ViewBlob(r.getActorLinkOffsets(), offsets_bytes / sizeof(uint64_t),
                                  "actorLinkOffsets", &out.actor_links.offsets));
                   check(ViewBlob(r.getActorLinks(), count, "actorLinks", &out.actor_links.links));
                 }
               })) {
    return Status::Corruption(path + ": malformed snapshot: " + e->getDescription().cStr());
  }
  GEOKG_RETURN_IF_ERROR(st_views);
  out.graph = CsrGraph::FromViews(v, mapping);
  GEOKG_RETURN_IF_ERROR(out.graph.Validate().WithContext(path));
  if (out.actor_links.present()) {
    GEOKG_RETURN_IF_ERROR(ValidateActorLinks(out.actor_links, out.graph).WithContext(path));
  }
  out.hashed = hash;
  if (hash) WriteStamp(path, st, h.checksum);
  return out;
}

}  // namespace

Status WriteSnapshot(const CsrGraph& g, const SnapshotHeader& header, const std::string& path,
                     ActorLinks links) {
  // One segment big enough for everything: the file is then one flat array of words.
  const auto& v = g.views();
  uint64_t bytes = 1024 + v.node_ids.size_bytes() + v.kinds.size_bytes() + v.codes.size_bytes() +
                   v.goldstein.size_bytes() + v.quad_class.size_bytes();
  for (const CsrSide* s : {&v.out, &v.in}) {
    bytes += s->offsets.size_bytes() + s->neighbor.size_bytes() + s->type.size_bytes() +
             s->time.size_bytes() + s->status.size_bytes() + s->edge.size_bytes() + 6 * 8;
  }
  bytes += links.offsets.size_bytes() + links.links.size_bytes() + 2 * 8;
  uint64_t words = bytes / sizeof(capnp::word) + 64;
  if (words > (uint64_t{1} << 29) - 1) {
    return Status::InvalidArgument("snapshot: the graph is too large for one snapshot segment");
  }
  capnp::MallocMessageBuilder message(static_cast<unsigned>(words),
                                      capnp::AllocationStrategy::FIXED_SIZE);
  auto r = message.initRoot<schema::GraphSnapshot>();
  r.setMagic(kMagic);
  r.setFormatVersion(kSnapshotFormatVersion);
  r.setStoreId(header.store_id);
  r.setGeneration(header.generation);
  r.setNumVertices(g.num_vertices());
  r.setNumArcs(g.num_arcs());
  GEOKG_RETURN_IF_ERROR(
      PutBlob([&](unsigned n) { return r.initNodeIds(n); }, v.node_ids, "nodeIds"));
  GEOKG_RETURN_IF_ERROR(PutBlob([&](unsigned n) { return r.initKinds(n); }, v.kinds, "kinds"));
  GEOKG_RETURN_IF_ERROR(PutBlob([&](unsigned n) { return r.initCodes(n); }, v.codes, "codes"));
  GEOKG_RETURN_IF_ERROR(
      PutBlob([&](unsigned n) { return r.initGoldstein(n); }, v.goldstein, "goldstein"));
  GEOKG_RETURN_IF_ERROR(
      PutBlob([&](unsigned n) { return r.initQuadClass(n); }, v.quad_class, "quadClass"));
  GEOKG_RETURN_IF_ERROR(PutSide(r.initOut(), v.out));
  GEOKG_RETURN_IF_ERROR(PutSide(r.initIn(), v.in));
  if (links.present()) {
    GEOKG_RETURN_IF_ERROR(PutBlob([&](unsigned n) { return r.initActorLinkOffsets(n); },
                                  links.offsets, "actorLinkOffsets"));
    GEOKG_RETURN_IF_ERROR(
        PutBlob([&](unsigned n) { return r.initActorLinks(n); }, links.links, "actorLinks"));
  }

  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(Errno("cannot create", tmp));
  Status st;
  // The body goes after room for the header, which is written last, once the body's hash is known.
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] {
                 KJ_SYSCALL(::lseek(fd, kHeaderBytes, SEEK_SET));
                 kj::FdOutputStream out(fd);
                 HashingOutputStream hashing(out);
                 capnp::writeMessage(hashing, message);
                 const FileHeader h{kFileMagic, kSnapshotFormatVersion, 0, hashing.bytes(),
                                    hashing.digest()};
                 ssize_t n;
                 KJ_SYSCALL(n = ::pwrite(fd, &h, sizeof(h), 0));
                 KJ_REQUIRE(n == sizeof(h), "short write of the snapshot header");
               })) {
    st = Status::IOError(tmp + ": write failed: " + e->getDescription().cStr());
  }
  if (st.ok() && ::fsync(fd) != 0) st = Status::IOError(Errno("fsync failed", tmp));
  ::close(fd);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = Status::IOError(Errno("cannot rename to " + path, tmp));
  }
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

Result<OpenedSnapshot> OpenSnapshot(const std::string& path) { return OpenImpl(path); }

std::string SnapshotPath(const storage::Store& store) {
  return (std::filesystem::path(store.path()) / "snapshot.capnp").string();
}

std::optional<LoadedGraph> LoadCurrentGraph(const storage::Store& store) {
  const uint64_t generation = store.generation();
  auto opened = OpenSnapshot(SnapshotPath(store));
  if (!opened.ok() || opened->header.store_id != store.store_id() ||
      opened->header.generation != generation || !opened->actor_links.present()) {
    return std::nullopt;
  }
  LoadedGraph out;
  out.graph = std::move(opened->graph);
  out.actor_links = opened->actor_links;
  return out;
}

Result<LoadedGraph> LoadGraph(const storage::Store& store) {
  const std::string path = SnapshotPath(store);
  // Read before building: a write that lands during the build makes this snapshot stale next time
  // rather than silently current.
  const uint64_t generation = store.generation();
  LoadedGraph out;
  auto opened = OpenSnapshot(path);
  if (opened.ok()) {
    if (opened->header.store_id == store.store_id() && opened->header.generation == generation &&
        opened->actor_links.present()) {
      out.graph = std::move(opened->graph);
      out.actor_links = opened->actor_links;
      return out;
    }
    out.why = opened->header.store_id != store.store_id() ? "built for another store"
              : opened->header.generation != generation   ? "stale"
                                                          : "without the actor projection";
  } else if (opened.status().IsNotFound()) {
    out.why = "missing";
  } else {
    out.why = opened.status().ToString();
  }
  GEOKG_ASSIGN_OR_RETURN(out.graph, BuildCsrFromStore(store));
  out.actor_links_owned = std::make_shared<const ActorLinksArrays>(ComputeActorLinks(out.graph));
  out.actor_links = out.actor_links_owned->view();
  out.rebuilt = true;
  out.write_status =
      WriteSnapshot(out.graph, {store.store_id(), generation}, path, out.actor_links);
  return out;
}

}  // namespace geokg::graph
