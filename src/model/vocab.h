#pragma once
// Names of the model's enums, as written in curated files, the CLI and JSON output, and the
// edge-type table: which node kinds each edge type joins. Parsing is exact (lower-case snake
// names, as listed in docs/data-model.md); every Parse* returns false on an unknown name.

#include <string_view>
#include <vector>

#include "model/types.h"

namespace geokg {

std::string_view StatusName(FactStatus s);  // "planned"
bool ParseStatus(std::string_view s, FactStatus* out);
std::string_view PrecisionName(TimePrecision p);  // "day"
bool ParsePrecision(std::string_view s, TimePrecision* out);
std::string_view ActorKindName(ActorKind k);  // "government_body"
bool ParseActorKind(std::string_view s, ActorKind* out);
std::string_view EdgeTypeName(EdgeType t);  // "spokesperson_for"
bool ParseEdgeType(std::string_view s, EdgeType* out);

// What an edge type joins, and how it reads.
struct EdgeTypeInfo {
  EdgeType type;
  std::string_view name;  // "initiator"
  NodeKind src_kind;
  NodeKind dst_kind;
  std::string_view verb;     // for display: "initiated", "is leader of"
  std::string_view inverse;  // read from dst: "initiated by", "has leader"
};
const EdgeTypeInfo& InfoOf(EdgeType t);
const std::vector<EdgeTypeInfo>& AllEdgeTypes();

// True for the actor -> event role types (initiator … mentioned).
inline bool IsRole(EdgeType t) { return static_cast<uint16_t>(t) <= 6; }

// The names of every value, for help texts and "did you mean" messages.
std::vector<std::string_view> AllStatusNames();
std::vector<std::string_view> AllActorKindNames();
std::vector<std::string_view> AllPrecisionNames();

}  // namespace geokg
