#pragma once
// The id vocabulary. A NodeId is 64 bits: the node kind in the top 4 bits and a 60-bit hash of
// the node's stable user key below it. Ids are therefore deterministic (re-importing a file
// yields the same ids, so it adds nothing), fixed-width, and a node's kind is known from its id
// alone; nodes of one kind are one contiguous key range. EdgeIds are 64-bit hashes of the edge's
// identity (see model/edge_types.h). 0 is never a valid id.

#include <cstdint>
#include <string>
#include <string_view>

namespace geokg {

using NodeId = uint64_t;
using EdgeId = uint64_t;
// Seconds since 1970-01-01T00:00:00Z, UTC.
using Time = int64_t;

inline constexpr NodeId kNoNode = 0;
// An id as messages show it: "0x" and 16 hex digits.
std::string Hex(uint64_t id);
// The time key of something whose time is not known: sorts after every real instant, so time
// window scans leave it out unless they ask for undated records.
inline constexpr Time kUnknownTime = INT64_MAX;
inline constexpr Time kMinTime = INT64_MIN;
inline constexpr Time kMaxTime = INT64_MAX - 1;

enum class NodeKind : uint8_t { kActor = 0, kEvent = 1, kSource = 2, kStatement = 3, kItem = 4 };
inline constexpr int kNodeKindCount = 5;

inline constexpr int kKindShift = 60;
inline constexpr uint64_t kHashMask = (uint64_t{1} << kKindShift) - 1;

// The kind stored in an id's top bits (kind + 1, so that no valid id is 0).
inline NodeKind KindOf(NodeId id) { return static_cast<NodeKind>((id >> kKindShift) - 1); }
inline bool IsValidNodeId(NodeId id) {
  uint64_t k = id >> kKindShift;
  return k >= 1 && k <= kNodeKindCount;
}
// The first and one-past-last id of a kind, for range scans.
inline NodeId FirstIdOfKind(NodeKind k) { return (static_cast<uint64_t>(k) + 1) << kKindShift; }
inline NodeId EndIdOfKind(NodeKind k) { return (static_cast<uint64_t>(k) + 2) << kKindShift; }

// 64-bit hash (XXH3) of bytes; stable across platforms and versions.
uint64_t Hash64(std::string_view bytes);

// The id of the node of kind `kind` whose user key is `key`.
NodeId MakeNodeId(NodeKind kind, std::string_view key);

// "actor", "event", "source", "statement", "item".
std::string_view NodeKindName(NodeKind k);
// Parses a NodeKindName; false if unknown.
bool ParseNodeKind(std::string_view s, NodeKind* out);

}  // namespace geokg
