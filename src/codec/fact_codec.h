#pragma once
// Compact facts: a nodes-family value that stands for a temporal-KG event as its table's id and
// its quadruple, rebuilt by the table (model/fact_table.h) when read. Layout (fact_codec.cc):
//   u8 0x0F | be64 table id | varint subject, relation, object, line, file, time
// A packed Cap'n Proto node never starts with 0x0F (fact_codec.cc says why), so the first byte
// tells the two forms apart. Decoders validate everything; bad bytes are Corruption.

#include <cstdint>
#include <string>
#include <string_view>

#include "codec/value_codec.h"
#include "model/fact_table.h"
#include "util/status.h"

namespace geokg::codec {

inline constexpr unsigned char kCompactFactTag = 0x0F;

// Whether a nodes-family value is a compact fact (else it is a packed Cap'n Proto Node).
inline bool IsCompactFact(std::string_view value) {
  return !value.empty() && static_cast<unsigned char>(value[0]) == kCompactFactTag;
}

struct CompactFact {
  uint64_t table = 0;  // codec::FactTableId of its table
  QuadFact fact;
};

// Appends the value of `fact` under table `table` to *out (replacing its contents).
void EncodeCompactFactTo(uint64_t table, const QuadFact& fact, std::string* out);
// The framing of the value stored under node `id`: Corruption if truncated, overlong or with
// trailing bytes, a varint past its field's range, or the wrong tag.
Result<CompactFact> DecodeCompactFact(std::string_view bytes, NodeId id);
// The event `fact` stands for under `table`, with id `id`: Corruption if the fact does not fit
// the table (FactTable::Problem) or its key does not hash to `id`.
Result<Node> ExpandCompactFact(const CompactFact& fact, const FactTable& table, NodeId id);
// What DecodeEventRoles reads, from a compact fact (checked as above; the key is not hashed).
Result<EventRoles> CompactFactRoles(const CompactFact& fact, const FactTable& table, NodeId id);

}  // namespace geokg::codec
