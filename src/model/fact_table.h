#pragma once
// FactTable: what the events of one temporal-KG import share (key prefix, dataset, clock, file
// names, relations with their CAMEO codes, the actor of each entity), and the one expansion of a
// quadruple fact into its event node. The importer builds its events with it (io/tkg_importer.cc)
// and the store rebuilds an event stored as a compact fact (codec/fact_codec.h) with it, so the
// two cannot differ. A value type; no I/O.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/types.h"

namespace geokg {

// One quadruple: indexes into its table, and the time in the table's units.
struct QuadFact {
  uint32_t subject = 0, relation = 0, object = 0;
  uint32_t line = 0;  // provenance row
  uint32_t file = 0;  // index into FactTable::files
  int64_t time = 0;
  bool operator==(const QuadFact&) const = default;
};

struct FactTable {
  std::string key_prefix;  // "event:tkg:<set>:"
  std::string dataset;     // provenance dataset, "tkg:<set>"
  Time epoch = 0;          // time = epoch + t * unit_seconds, known to `precision`
  int64_t unit_seconds = 3600;
  TimePrecision precision = TimePrecision::kHour;
  int64_t span = 3600;                 // an event ends at start + span - 1
  std::vector<std::string> files;      // provenance file names, by QuadFact::file
  std::vector<std::string> relations;  // names (the event summary), by relation id
  std::vector<std::string> codes;      // CAMEO code of each relation; "" when it has none
  std::vector<NodeId> actor_of;        // by entity; kNoNode for an entity no fact names

  // The largest t whose event ends by kMaxTime (t >= 0 must not exceed it).
  int64_t MaxTime() const;
  // "" when the table is well formed (a positive unit and span, a known precision, one code per
  // relation, each a CAMEO event code or "", actors' ids or kNoNode), else what is wrong.
  std::string Problem() const;
  // "" when `f` can be expanded (indexes in range, entities mapped, relation coded, time in
  // range), else what is wrong. The table must be well formed.
  std::string Problem(const QuadFact& f) const;
  // The event's user key, "<key_prefix><s>-<r>-<o>-<t>", into *key.
  void KeyOf(const QuadFact& f, std::string* key) const;
  // Makes *node the event `f` stands for, but for its id. *node is a default Node or the last one
  // this table expanded: what all its events share is set only the first time. `f` must pass
  // Problem(f).
  void Expand(const QuadFact& f, Node* node) const;
  // What Expand makes the event's body as far as its index and adjacency entries derive from it
  // (code, time, status, confidence, participants): Expand sets these through it. *event is a
  // default Event or the last one this table set.
  void ExpandEvent(const QuadFact& f, Event* event) const;

  bool operator==(const FactTable&) const = default;
};

// Tables by their content id (codec::FactTableId).
using FactTableMap = std::unordered_map<uint64_t, std::shared_ptr<const FactTable>>;

}  // namespace geokg
