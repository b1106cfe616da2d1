// Key layouts (all integers big-endian; time = be64(t XOR 2^63)):
//
//   nodes        be64 node_id                     -> Node (capnp, packed) or a compact fact
//                (codec/fact_codec.h: u8 0x0F | be64 fact table id | varints)
//   out          be64 src | be16 type | be64 day -> records (be32 second of the day | be64 dst |
//                be64 edge_id | AdjValue), one per edge, in order: a page (see key_codec.h)
//   in           be64 dst | be16 type | be64 day -> records (... | be64 src | ...): a page
//   edges        be64 edge_id                                        -> Edge (capnp, packed)
//   names        normalized name | 0x00 | be64 node_id              -> ""
//   event_index  'c' | code (4 bytes, 0x00-padded) | be64 day -> records (be32 second of the day |
//                be64 event_id), one per event, in order: a page
//   meta         "info" -> StoreInfo (capnp); "generation" -> be64;
//                "fact-template:" | be64 id -> FactTable (capnp, flat; id = XXH3-64 of it)
//
// Node id first, then edge type, then time, then neighbour: "edges of type T from N between t1
// and t2" is one contiguous range, and a node's whole adjacency is one prefix. Adjacency is kept
// in pages of one day (one value per node, type and day) so that a scan reads one RocksDB entry
// per page instead of one per edge: RocksDB's cost per entry (~130 ns in Debian's build, which
// keeps its assertions) dominated a one-hop. The event index is paged the same way (one value
// per code and day), which also spares a bulk import one SST key per event.
#include "codec/key_codec.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace geokg::codec {

void PutBE16(std::string* dst, uint16_t v) {
  char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  dst->append(b, 2);
}
void PutBE32(std::string* dst, uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (24 - 8 * i));
  dst->append(b, 4);
}
// One load or store and a byte swap (GCC -O2 keeps a byte loop as a loop; keys are decoded on
// every step of every scan).
static_assert(std::endian::native == std::endian::little ||
              std::endian::native == std::endian::big);
inline uint64_t ToBigEndian64(uint64_t v) {
  return std::endian::native == std::endian::little ? __builtin_bswap64(v) : v;
}
void PutBE64(std::string* dst, uint64_t v) {
  v = ToBigEndian64(v);
  char b[8];
  std::memcpy(b, &v, 8);
  dst->append(b, 8);
}
void PutTime(std::string* dst, Time t) {
  PutBE64(dst, static_cast<uint64_t>(t) ^ (uint64_t{1} << 63));
}
uint16_t GetBE16(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}
uint32_t GetBE32(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}
uint64_t GetBE64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return ToBigEndian64(v);
}
Time GetTime(const char* p) { return static_cast<Time>(GetBE64(p) ^ (uint64_t{1} << 63)); }

namespace {
void StoreBE64(char* out, uint64_t v) {
  v = ToBigEndian64(v);
  std::memcpy(out, &v, 8);
}
}  // namespace

std::string FactTableKey(uint64_t id) {
  std::string k = "fact-template:";
  PutBE64(&k, id);
  return k;
}

std::string NodeKey(NodeId id) {
  std::string k;
  PutBE64(&k, id);
  return k;
}
bool DecodeNodeKey(std::string_view key, NodeId* id) {
  if (key.size() != 8) return false;
  *id = GetBE64(key.data());
  return true;
}

void EncodeAdjKeyTo(const AdjKey& k, char* out) {
  StoreBE64(out, k.node);
  auto t = static_cast<uint16_t>(k.type);
  out[8] = static_cast<char>(t >> 8);
  out[9] = static_cast<char>(t);
  StoreBE64(out + 10, static_cast<uint64_t>(k.time) ^ (uint64_t{1} << 63));
  StoreBE64(out + 18, k.neighbor);
  StoreBE64(out + 26, k.edge);
}
std::string EncodeAdjKey(const AdjKey& k) {
  std::string s(kAdjKeySize, '\0');
  EncodeAdjKeyTo(k, s.data());
  return s;
}
bool DecodeAdjKey(std::string_view key, AdjKey* out) {
  if (key.size() != kAdjKeySize) return false;
  const char* p = key.data();
  uint16_t type = GetBE16(p + 8);
  if (type >= kEdgeTypeCount) return false;
  out->node = GetBE64(p);
  out->type = static_cast<EdgeType>(type);
  out->time = GetTime(p + 10);
  out->neighbor = GetBE64(p + 18);
  out->edge = GetBE64(p + 26);
  return true;
}
int64_t PageDay(Time t) {
  int64_t d = t / kPageSeconds;
  if (t % kPageSeconds < 0) --d;  // floor, not truncation
  return d;
}
namespace {
// The second of the day of `t` (0..86399); wrapping arithmetic is exact for every int64 t.
uint32_t SecondOfDay(Time t, int64_t day) {
  return static_cast<uint32_t>(static_cast<uint64_t>(t) -
                               static_cast<uint64_t>(day) * static_cast<uint64_t>(kPageSeconds));
}
void StoreDay(char* out, int64_t day) {
  StoreBE64(out, static_cast<uint64_t>(day) ^ (uint64_t{1} << 63));
}
// Whether `day` is the day of some int64 time.
bool IsPageDay(int64_t day) { return day >= PageDay(INT64_MIN) && day <= PageDay(INT64_MAX); }
}  // namespace
void PageKeyOfEntry(const PageLayout& layout, const char* entry, char* out) {
  std::memcpy(out, entry, layout.prefix);
  StoreDay(out + layout.prefix, PageDay(GetTime(entry + layout.prefix)));
}
std::string PageStart(const PageLayout& layout, std::string_view entry) {
  std::string k(layout.entry_size(), '\0');
  std::memcpy(k.data(), entry.data(), std::min(entry.size(), layout.prefix));
  if (entry.size() >= layout.prefix + 8) {
    // The day's first second, or the first time there is (the first day starts before it).
    const __int128 start =
        static_cast<__int128>(PageDay(GetTime(entry.data() + layout.prefix))) * kPageSeconds;
    const Time first = start < INT64_MIN ? INT64_MIN : static_cast<Time>(start);
    StoreBE64(k.data() + layout.prefix, static_cast<uint64_t>(first) ^ (uint64_t{1} << 63));
  }
  return k;
}
void EncodeRecordTo(const PageLayout& layout, const char* entry, const char* value, char* out) {
  const Time t = GetTime(entry + layout.prefix);
  const uint32_t sec = SecondOfDay(t, PageDay(t));
  const char b[4] = {static_cast<char>(sec >> 24), static_cast<char>(sec >> 16),
                     static_cast<char>(sec >> 8), static_cast<char>(sec)};
  std::memcpy(out, b, 4);
  std::memcpy(out + 4, entry + layout.prefix + 8, layout.tail);
  if (layout.value > 0) std::memcpy(out + 4 + layout.tail, value, layout.value);
}
bool PageTime(int64_t day, uint32_t sec, Time* t) {
  const __int128 v = static_cast<__int128>(day) * kPageSeconds + sec;
  if (sec >= kPageSeconds || v < INT64_MIN || v > INT64_MAX) return false;
  *t = static_cast<Time>(v);
  return true;
}

std::string AdjPageKey(NodeId node, EdgeType type, int64_t day) {
  std::string k(kAdjPageKeySize, '\0');
  StoreBE64(k.data(), node);
  const auto t = static_cast<uint16_t>(type);
  k[8] = static_cast<char>(t >> 8);
  k[9] = static_cast<char>(t);
  StoreDay(k.data() + 10, day);
  return k;
}
bool DecodeAdjPageKey(std::string_view key, NodeId* node, EdgeType* type, int64_t* day) {
  if (key.size() != kAdjPageKeySize) return false;
  uint16_t t = GetBE16(key.data() + 8);
  if (t >= kEdgeTypeCount) return false;
  *node = GetBE64(key.data());
  *type = static_cast<EdgeType>(t);
  *day = GetTime(key.data() + 10);
  return IsPageDay(*day);
}
bool DecodeAdjRecordKey(const char* rec, NodeId node, EdgeType type, int64_t day, AdjKey* k) {
  if (!PageTime(day, GetBE32(rec), &k->time)) return false;
  k->node = node;
  k->type = type;
  k->neighbor = GetBE64(rec + 4);
  k->edge = GetBE64(rec + 12);
  return true;
}

std::string AdjNodePrefix(NodeId node) { return NodeKey(node); }
std::string AdjTypePrefix(NodeId node, EdgeType type) {
  std::string k = NodeKey(node);
  PutBE16(&k, static_cast<uint16_t>(type));
  return k;
}
std::string AdjPageLower(NodeId node, EdgeType type, Time t1) {
  return AdjPageKey(node, type, PageDay(t1));
}
std::string AdjPageUpper(NodeId node, EdgeType type, Time t2) {
  const int64_t day = PageDay(t2);
  if (day == PageDay(INT64_MAX)) return PrefixSuccessor(AdjTypePrefix(node, type));
  return AdjPageKey(node, type, day + 1);
}

std::string EncodeAdjValue(const AdjValue& v) {
  std::string s(kAdjValueSize, '\0');
  s[0] = static_cast<char>(v.status);
  s[1] = static_cast<char>(v.confidence_pct);
  s[2] = static_cast<char>(v.has_payload ? 1 : 0);
  return s;
}
bool DecodeAdjValue(std::string_view bytes, AdjValue* out) {
  if (bytes.size() != kAdjValueSize) return false;
  auto status = static_cast<uint8_t>(bytes[0]);
  auto conf = static_cast<uint8_t>(bytes[1]);
  auto flags = static_cast<uint8_t>(bytes[2]);
  if (status >= kStatusCount || conf > 100 || (flags & ~1u) != 0) return false;
  out->status = static_cast<FactStatus>(status);
  out->confidence_pct = conf;
  out->has_payload = (flags & 1u) != 0;
  return true;
}

std::string EdgeKey(EdgeId id) { return NodeKey(id); }

std::string NameKey(std::string_view normalized, NodeId id) {
  std::string k = NamePrefix(normalized);
  PutBE64(&k, id);
  return k;
}
std::string NamePrefix(std::string_view normalized) {
  std::string k(normalized);
  k.push_back('\0');
  return k;
}
bool DecodeNameKey(std::string_view key, std::string_view* normalized, NodeId* id) {
  if (key.size() < 9 || key[key.size() - 9] != '\0') return false;
  *normalized = key.substr(0, key.size() - 9);
  if (normalized->find('\0') != std::string_view::npos) return false;
  *id = GetBE64(key.data() + key.size() - 8);
  return true;
}

std::string EventByCodePrefix(std::string_view code_prefix) {
  std::string k = "c";
  k.append(code_prefix.substr(0, kCodeWidth));
  return k;
}
void EncodeEventByCodeKeyTo(std::string_view code, Time time, NodeId event, char* out) {
  out[0] = 'c';
  std::string_view c = code.substr(0, kCodeWidth);
  std::memcpy(out + 1, c.data(), c.size());
  std::memset(out + 1 + c.size(), 0, kCodeWidth - c.size());
  StoreBE64(out + 1 + kCodeWidth, static_cast<uint64_t>(time) ^ (uint64_t{1} << 63));
  StoreBE64(out + 1 + kCodeWidth + 8, event);
}
std::string EventByCodeKey(std::string_view code, Time time, NodeId event) {
  std::string k(kEventByCodeKeySize, '\0');
  EncodeEventByCodeKeyTo(code, time, event, k.data());
  return k;
}
namespace {
// The code of the 4 bytes at `c` (digits, then only 0x00 padding), or false.
bool DecodeCode(const char* c, std::string_view* code) {
  const std::string_view all(c, kCodeWidth);
  const size_t len = std::min(all.find('\0'), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    const bool ok = i < len ? (all[i] >= '0' && all[i] <= '9') : all[i] == '\0';
    if (!ok) return false;
  }
  *code = all.substr(0, len);
  return true;
}
}  // namespace
bool DecodeEventByCodeKey(std::string_view key, std::string* code, Time* time, NodeId* event) {
  std::string_view c;
  if (key.size() != kEventByCodeKeySize || key[0] != 'c' || !DecodeCode(key.data() + 1, &c)) {
    return false;
  }
  code->assign(c);
  *time = GetTime(key.data() + 1 + kCodeWidth);
  *event = GetBE64(key.data() + 1 + kCodeWidth + 8);
  return true;
}
std::string EventPageKey(std::string_view code, int64_t day) {
  std::string k(kEventPageKeySize, '\0');
  k[0] = 'c';
  std::string_view c = code.substr(0, kCodeWidth);
  std::memcpy(k.data() + 1, c.data(), c.size());
  StoreDay(k.data() + 1 + kCodeWidth, day);
  return k;
}
bool DecodeEventPageKey(std::string_view key, std::string_view* code, int64_t* day) {
  if (key.size() != kEventPageKeySize || key[0] != 'c' || !DecodeCode(key.data() + 1, code)) {
    return false;
  }
  *day = GetTime(key.data() + 1 + kCodeWidth);
  return IsPageDay(*day);
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    auto& c = reinterpret_cast<unsigned char&>(s.back());
    if (c != 0xff) {
      ++c;
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace geokg::codec
