// Key layouts (all integers big-endian; time = be64(t XOR 2^63)):
//
//   nodes        be64 node_id                                        -> Node (capnp, packed)
//   out          be64 src | be16 type | be64 day -> records (be32 second of the day | be64 dst |
//                be64 edge_id | AdjValue), one per edge, in order: a page (see key_codec.h)
//   in           be64 dst | be16 type | be64 day -> records (... | be64 src | ...): a page
//   edges        be64 edge_id                                        -> Edge (capnp, packed)
//   names        normalized name | 0x00 | be64 node_id              -> ""
//   event_index  'c' | code (4 bytes, 0x00-padded) | be64 time | be64 event_id -> ""
//   meta         "info" -> StoreInfo (capnp); "generation" -> be64
//
// Node id first, then edge type, then time, then neighbour: "edges of type T from N between t1
// and t2" is one contiguous range, and a node's whole adjacency is one prefix. Adjacency is kept
// in pages of one day (one value per node, type and day) so that a scan reads one RocksDB entry
// per page instead of one per edge: RocksDB's cost per entry (~130 ns in Debian's build, which
// keeps its assertions) dominated a one-hop.
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
int64_t AdjPageDay(Time t) {
  int64_t d = t / kAdjPageSeconds;
  if (t % kAdjPageSeconds < 0) --d;  // floor, not truncation
  return d;
}
namespace {
// The second of the day of `t` (0..86399); wrapping arithmetic is exact for every int64 t.
uint32_t SecondOfDay(Time t, int64_t day) {
  return static_cast<uint32_t>(static_cast<uint64_t>(t) -
                               static_cast<uint64_t>(day) * static_cast<uint64_t>(kAdjPageSeconds));
}
void EncodeAdjPageKeyTo(NodeId node, uint16_t type, int64_t day, char* out) {
  StoreBE64(out, node);
  out[8] = static_cast<char>(type >> 8);
  out[9] = static_cast<char>(type);
  StoreBE64(out + 10, static_cast<uint64_t>(day) ^ (uint64_t{1} << 63));
}
}  // namespace
std::string AdjPageKey(NodeId node, EdgeType type, int64_t day) {
  std::string k(kAdjPageKeySize, '\0');
  EncodeAdjPageKeyTo(node, static_cast<uint16_t>(type), day, k.data());
  return k;
}
bool DecodeAdjPageKey(std::string_view key, NodeId* node, EdgeType* type, int64_t* day) {
  if (key.size() != kAdjPageKeySize) return false;
  uint16_t t = GetBE16(key.data() + 8);
  if (t >= kEdgeTypeCount) return false;
  *node = GetBE64(key.data());
  *type = static_cast<EdgeType>(t);
  *day = GetTime(key.data() + 10);
  return *day >= AdjPageDay(INT64_MIN) && *day <= AdjPageDay(INT64_MAX);
}
void AdjPageKeyOfEntry(const char* entry, char* out) {
  std::memcpy(out, entry, 10);
  StoreBE64(out + 10, static_cast<uint64_t>(AdjPageDay(GetTime(entry + 10))) ^ (uint64_t{1} << 63));
}
std::string AdjPageStart(std::string_view entry) {
  std::string k(kAdjKeySize, '\0');
  std::memcpy(k.data(), entry.data(), std::min<size_t>(entry.size(), 10));
  if (entry.size() >= 18) {
    // The day's first second, or the first time there is (the first day starts before it).
    const __int128 start =
        static_cast<__int128>(AdjPageDay(GetTime(entry.data() + 10))) * kAdjPageSeconds;
    const Time first = start < INT64_MIN ? INT64_MIN : static_cast<Time>(start);
    StoreBE64(k.data() + 10, static_cast<uint64_t>(first) ^ (uint64_t{1} << 63));
  }
  return k;
}
void EncodeAdjRecordTo(const char* entry, const char* value, char* out) {
  const Time t = GetTime(entry + 10);
  const uint32_t sec = SecondOfDay(t, AdjPageDay(t));
  const char b[4] = {static_cast<char>(sec >> 24), static_cast<char>(sec >> 16),
                     static_cast<char>(sec >> 8), static_cast<char>(sec)};
  std::memcpy(out, b, 4);
  std::memcpy(out + 4, entry + 18, 16);
  std::memcpy(out + kAdjRecordKeySize, value, kAdjValueSize);
}
bool DecodeAdjRecordKey(const char* rec, NodeId node, EdgeType type, int64_t day, AdjKey* k) {
  const uint32_t sec = GetBE32(rec);
  const __int128 t = static_cast<__int128>(day) * kAdjPageSeconds + sec;
  if (sec >= kAdjPageSeconds || t < INT64_MIN || t > INT64_MAX) return false;
  k->node = node;
  k->type = type;
  k->time = static_cast<Time>(t);
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
  return AdjPageKey(node, type, AdjPageDay(t1));
}
std::string AdjPageUpper(NodeId node, EdgeType type, Time t2) {
  const int64_t day = AdjPageDay(t2);
  if (day == AdjPageDay(INT64_MAX)) return PrefixSuccessor(AdjTypePrefix(node, type));
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
bool DecodeEventByCodeKey(std::string_view key, std::string* code, Time* time, NodeId* event) {
  if (key.size() != 1 + kCodeWidth + 16 || key[0] != 'c') return false;
  std::string_view c = key.substr(1, kCodeWidth);
  size_t len = std::min(c.find('\0'), c.size());
  // A code is digits, then only padding.
  for (size_t i = 0; i < c.size(); ++i) {
    bool ok = i < len ? (c[i] >= '0' && c[i] <= '9') : c[i] == '\0';
    if (!ok) return false;
  }
  code->assign(c.substr(0, len));
  *time = GetTime(key.data() + 1 + kCodeWidth);
  *event = GetBE64(key.data() + 1 + kCodeWidth + 8);
  return true;
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
