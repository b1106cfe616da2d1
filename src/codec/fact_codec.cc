// Compact fact values (nodes family):
//   u8 0x0F | be64 table id | varint subject | varint relation | varint object | varint line |
//   varint file | varint time
// varints are LEB128 (7 bits a byte, least significant first, high bit = more), shortest form;
// the first five fit 32 bits, the time 63. An ICEWS18 fact is 23 bytes.
//
// Why the tag cannot start a stored Cap'n Proto node: nodes are written packed, and a packed
// message starts with the packing of its first word, the segment table's first word
// (u32 segment count - 1, u32 size of segment 0, little-endian). Packing writes a tag byte whose
// bit i says whether byte i of the word is nonzero. Bits 2 and 3 stand for the count's high
// bytes, nonzero only for more than 2^16 segments, which Cap'n Proto refuses (codec::Unpack
// stops at 512); our writer writes one segment, or a few for a node over 8 KiB. 0x0F has bits 2
// and 3 set, so no node value that DecodeNode accepts starts with it.
#include "codec/fact_codec.h"

#include "codec/key_codec.h"

namespace geokg::codec {
namespace {

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads a shortest-form varint of at most `max`; false if truncated, overlong or too large.
bool GetVarint(std::string_view* in, uint64_t max, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0, i = 0; i < 10 && !in->empty(); ++i, shift += 7) {
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    const uint64_t bits = byte & 0x7F;
    if (shift == 63 && bits > 1) return false;
    result |= bits << shift;
    if ((byte & 0x80) == 0) {
      if (byte == 0 && i > 0) return false;  // overlong
      *v = result;
      return result <= max;
    }
  }
  return false;
}

Status Bad(NodeId id, std::string_view what) {
  return Status::Corruption("node " + Hex(id) + ": compact fact: " + std::string(what));
}

}  // namespace

void EncodeCompactFactTo(uint64_t table, const QuadFact& f, std::string* out) {
  out->clear();
  out->push_back(static_cast<char>(kCompactFactTag));
  PutBE64(out, table);
  for (uint32_t v : {f.subject, f.relation, f.object, f.line, f.file}) PutVarint(out, v);
  PutVarint(out, static_cast<uint64_t>(f.time));
}

Result<CompactFact> DecodeCompactFact(std::string_view bytes, NodeId id) {
  if (!IsCompactFact(bytes)) return Bad(id, "wrong tag");
  if (bytes.size() < 1 + 8 + 6) return Bad(id, std::to_string(bytes.size()) + " bytes");
  CompactFact c;
  c.table = GetBE64(bytes.data() + 1);
  std::string_view in = bytes.substr(9);
  uint64_t v[6];
  for (int i = 0; i < 6; ++i) {
    if (!GetVarint(&in, i < 5 ? UINT32_MAX : INT64_MAX, &v[i])) {
      return Bad(id, "field " + std::to_string(i) + " is malformed");
    }
  }
  if (!in.empty()) return Bad(id, "trailing bytes");
  c.fact = {static_cast<uint32_t>(v[0]), static_cast<uint32_t>(v[1]), static_cast<uint32_t>(v[2]),
            static_cast<uint32_t>(v[3]), static_cast<uint32_t>(v[4]), static_cast<int64_t>(v[5])};
  return c;
}

Result<Node> ExpandCompactFact(const CompactFact& c, const FactTable& table, NodeId id) {
  if (std::string why = table.Problem(c.fact); !why.empty()) return Bad(id, why);
  Node node;
  table.Expand(c.fact, &node);
  if (MakeNodeId(NodeKind::kEvent, node.key) != id) {
    return Bad(id, "key '" + node.key + "' does not hash to the id");
  }
  node.id = id;
  return node;
}

Result<EventRoles> CompactFactRoles(const CompactFact& c, const FactTable& table, NodeId id) {
  if (std::string why = table.Problem(c.fact); !why.empty()) return Bad(id, why);
  if (KindOf(id) != NodeKind::kEvent) return Bad(id, "not an event's id");
  Event ev;  // as Expand makes it, through the same code
  table.ExpandEvent(c.fact, &ev);
  EventRoles roles;
  roles.time = ev.time;
  roles.status = ev.status;
  roles.confidence = ev.confidence;
  roles.participants = std::move(ev.participants);
  return roles;
}

}  // namespace geokg::codec
