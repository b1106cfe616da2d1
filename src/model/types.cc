#include "model/types.h"

#include <xxhash.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

namespace geokg {

std::string Hex(uint64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%016" PRIx64, id);
  return buf;
}

uint64_t Hash64(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

NodeId MakeNodeId(NodeKind kind, std::string_view key) {
  // Mixing the kind into the hash keeps "actor:x" and "event:x" apart even for equal keys.
  // Keys of up to a few hundred bytes (nearly all) are hashed from the stack: an import hashes
  // one per row, and the allocation cost more than the hash.
  char small[256];
  std::string large;
  char* buf = small;
  if (key.size() >= sizeof(small)) {
    large.resize(key.size() + 1);
    buf = large.data();
  }
  buf[0] = static_cast<char>(kind);
  std::memcpy(buf + 1, key.data(), key.size());
  uint64_t h = Hash64(std::string_view(buf, key.size() + 1)) & kHashMask;
  if (h == 0) h = 1;
  return ((static_cast<uint64_t>(kind) + 1) << kKindShift) | h;
}

namespace {
constexpr std::string_view kKindNames[kNodeKindCount] = {"actor", "event", "source", "statement",
                                                         "item"};
}

std::string_view NodeKindName(NodeKind k) { return kKindNames[static_cast<int>(k)]; }
bool ParseNodeKind(std::string_view s, NodeKind* out) {
  for (int i = 0; i < kNodeKindCount; ++i) {
    if (kKindNames[i] == s) {
      *out = static_cast<NodeKind>(i);
      return true;
    }
  }
  return false;
}

bool Interval::Overlaps(Time t1, Time t2) const {
  if (!known()) return false;
  Time e = open_end ? kMaxTime : end;
  return start <= t2 && e >= t1;
}

std::string Node::Label() const {
  struct Visitor {
    std::string operator()(const Actor& a) const { return a.name; }
    std::string operator()(const Event& e) const {
      return e.summary.empty() ? "event " + e.cameo_code : e.summary;
    }
    std::string operator()(const Source& s) const { return s.title.empty() ? s.url : s.title; }
    std::string operator()(const Statement& s) const { return s.quote; }
    std::string operator()(const Item& i) const { return i.name; }
  };
  return std::visit(Visitor{}, body);
}

EdgeId MakeOwnedEdgeId(NodeId owner, EdgeType type, NodeId src, NodeId dst) {
  uint64_t parts[4] = {owner, static_cast<uint64_t>(type), src, dst};
  uint64_t h = XXH3_64bits(parts, sizeof(parts));
  return h == 0 ? 1 : h;
}

EdgeId MakeKeyedEdgeId(std::string_view key) {
  std::string buf = "edge:";
  buf.append(key);
  uint64_t h = Hash64(buf);
  return h == 0 ? 1 : h;
}

}  // namespace geokg
