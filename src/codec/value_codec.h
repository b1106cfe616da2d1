#pragma once
// Cap'n Proto encoding of stored values (the only user of capnp outside generated code and the
// snapshot file). Encoders produce a packed message for nodes and edges and a flat one for the
// store info (value_codec.cc says why). Decoders validate
// everything: bad framing, out-of-range enums, ids of the wrong kind, NaN or out-of-range numbers
// and invalid UTF-8 all give Corruption; kj exceptions never escape.

#include <string>
#include <string_view>
#include <vector>

#include "model/fact_table.h"
#include "model/types.h"
#include "util/status.h"

namespace geokg::codec {

std::string EncodeNode(const Node& node);
// The same bytes, written into `*out` (replacing its contents, reusing its capacity): bulk
// writers encode one node per fact into one string.
void EncodeNodeTo(const Node& node, std::string* out);
// Decodes the value stored under node id `id`; checks that the key hashes to `id`.
Result<Node> DecodeNode(std::string_view bytes, NodeId id);

// What the adjacency of an event's participants needs (Event::participants), read from a stored
// node without decoding the rest: the time, status, confidence and the participants, checked as
// DecodeNode checks them. A node that is not an event has none. The node key is not hashed.
struct EventRoles {
  Interval time;
  FactStatus status = FactStatus::kUnknown;
  float confidence = 1.0f;
  std::vector<Participant> participants;
};
Result<EventRoles> DecodeEventRoles(std::string_view bytes, NodeId id);

std::string EncodeEdge(const Edge& edge);
// Decodes the payload stored under edge id `id`.
Result<Edge> DecodeEdge(std::string_view bytes, EdgeId id);

struct StoreInfo {
  uint32_t format_version = 0;
  std::string created_by;
  int64_t created_at = 0;
  uint64_t store_id = 0;
};
// A fact table (the `meta` family, "fact-template:" keys), flat. Its id is the XXH3-64 of these
// bytes (FactTableId), so the same table encodes to the same id wherever it is built.
std::string EncodeFactTable(const FactTable& table);
uint64_t FactTableId(std::string_view encoded);
// Decodes the table stored under `id`: checks that the bytes hash to `id` and that the table is
// well formed (FactTable::Problem), or Corruption.
Result<FactTable> DecodeFactTable(std::string_view bytes, uint64_t id);

std::string EncodeStoreInfo(const StoreInfo& info);
Result<StoreInfo> DecodeStoreInfo(std::string_view bytes);

}  // namespace geokg::codec
