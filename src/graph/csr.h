#pragma once
// CsrGraph: an immutable compressed-sparse-row graph over dense vertex indices, with both arc
// directions (out and in) and, per arc, the neighbour, edge type, time, status and edge id in
// flat arrays (no per-edge objects). Vertices are the store's nodes sorted by NodeId, so the
// nodes of one kind are one index range (actors first). The arrays are views into memory owned
// by the graph: heap vectors (built here) or a memory-mapped snapshot file (graph/snapshot.h).
// Move-only; all const methods are thread-safe.

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/types.h"
#include "util/status.h"

namespace geokg::storage {
class Store;
}

namespace geokg::graph {

using VertexIndex = uint32_t;
inline constexpr VertexIndex kNoVertex = UINT32_MAX;

// A CAMEO code of up to four characters packed big-endian into 32 bits ("043" -> '0','4','3',0),
// so that a code prefix is a bit-mask comparison. 0 means "no code".
uint32_t PackCode(std::string_view code);
std::string UnpackCode(uint32_t packed);
// True if `code` starts with the packed prefix of length `prefix_len` characters.
inline bool CodeHasPrefix(uint32_t code, uint32_t prefix, int prefix_len) {
  if (prefix_len <= 0) return true;
  uint32_t mask = prefix_len >= 4 ? 0xffffffffu : ~(0xffffffffu >> (8 * prefix_len));
  return (code & mask) == prefix;
}

// One direction of the CSR: the arcs of vertex v are [offsets[v], offsets[v+1]).
struct CsrSide {
  std::span<const uint64_t> offsets;  // num_vertices + 1, offsets[0] == 0
  std::span<const uint32_t> neighbor;
  std::span<const uint8_t> type;    // EdgeType
  std::span<const int64_t> time;    // validity start; kUnknownTime if undated
  std::span<const uint8_t> status;  // FactStatus
  std::span<const uint64_t> edge;   // EdgeId

  uint64_t begin(VertexIndex v) const { return offsets[v]; }
  uint64_t end(VertexIndex v) const { return offsets[v + 1]; }
  uint64_t degree(VertexIndex v) const { return offsets[v + 1] - offsets[v]; }
};

// The flat arrays a CsrGraph views, when it owns them on the heap.
struct CsrArrays {
  std::vector<uint64_t> node_ids;  // sorted, unique
  std::vector<uint8_t> kinds;
  std::vector<uint32_t> codes;      // PackCode of an event's CAMEO code, 0 otherwise
  std::vector<float> goldstein;     // an event's Goldstein value, NaN if none
  std::vector<uint8_t> quad_class;  // an event's QuadClass 1..4, 0 if none
  struct Side {
    std::vector<uint64_t> offsets;
    std::vector<uint32_t> neighbor;
    std::vector<uint8_t> type;
    std::vector<int64_t> time;
    std::vector<uint8_t> status;
    std::vector<uint64_t> edge;
  } out, in;
};

class CsrGraph {
 public:
  CsrGraph() = default;
  CsrGraph(CsrGraph&&) = default;
  CsrGraph& operator=(CsrGraph&&) = default;
  CsrGraph(const CsrGraph&) = delete;
  CsrGraph& operator=(const CsrGraph&) = delete;

  // Takes ownership of `arrays` (which must be consistent; see Validate()).
  static CsrGraph FromArrays(CsrArrays arrays);
  // Views memory owned by `owner` (kept alive as long as the graph).
  struct Views {
    std::span<const uint64_t> node_ids;
    std::span<const uint8_t> kinds;
    std::span<const uint32_t> codes;
    std::span<const float> goldstein;
    std::span<const uint8_t> quad_class;
    CsrSide out, in;
  };
  static CsrGraph FromViews(Views views, std::shared_ptr<const void> owner);

  uint32_t num_vertices() const { return static_cast<uint32_t>(v_.node_ids.size()); }
  uint64_t num_arcs() const { return v_.out.neighbor.size(); }
  NodeId node_id(VertexIndex v) const { return v_.node_ids[v]; }
  NodeKind kind(VertexIndex v) const { return static_cast<NodeKind>(v_.kinds[v]); }
  uint32_t code(VertexIndex v) const { return v_.codes[v]; }
  float goldstein(VertexIndex v) const { return v_.goldstein[v]; }
  uint8_t quad_class(VertexIndex v) const { return v_.quad_class[v]; }
  // The vertices of `kind` are [KindBegin(kind), KindEnd(kind)).
  VertexIndex KindBegin(NodeKind kind) const;
  VertexIndex KindEnd(NodeKind kind) const;

  const CsrSide& out() const { return v_.out; }
  const CsrSide& in() const { return v_.in; }
  const Views& views() const { return v_; }

  // The index of `id`, or nullopt if it is not a vertex (binary search, O(log n)).
  std::optional<VertexIndex> IndexOf(NodeId id) const;

  // Checks every invariant a traversal relies on (sizes, monotone offsets, neighbours in range,
  // sorted ids, in-arcs mirroring out-arcs in count). O(n + m). Corruption names what is wrong.
  Status Validate() const;

 private:
  Views v_;
  std::shared_ptr<const void> owner_;
};

// Accumulates nodes and arcs in any order, then builds the CSR. An arc's endpoints become
// vertices; AddNode adds isolated ones. Out-arcs keep insertion order; in-arcs are by source.
class CsrBuilder {
 public:
  void AddNode(NodeId id) { extra_nodes_.push_back(id); }
  void AddArc(NodeId src, NodeId dst, EdgeType type, Time time, FactStatus status, EdgeId edge);
  // Attributes of an event vertex (ignored when `id` ends up not being a vertex).
  void SetEventAttrs(NodeId id, std::string_view cameo_code, std::optional<float> goldstein,
                     uint8_t quad_class);
  uint64_t num_arcs() const { return src_.size(); }
  // Builds the graph; the builder is left empty. InvalidArgument if there are 2^32-1 or more
  // vertices.
  Result<CsrGraph> Build();

 private:
  std::vector<NodeId> extra_nodes_;
  std::vector<NodeId> src_, dst_;
  std::vector<uint8_t> type_, status_;
  std::vector<Time> time_;
  std::vector<EdgeId> edge_;
  struct Attr {
    NodeId id;
    uint32_t code;
    float goldstein;
    uint8_t quad;
  };
  std::vector<Attr> attrs_;
};

// Builds the CSR of the whole store: every adjacency entry (out column family, one streaming
// pass), every actor (isolated ones too), and every event's code, Goldstein and QuadClass.
Result<CsrGraph> BuildCsrFromStore(const storage::Store& store);

// A graph over vertices 0..n-1 from index pairs (for synthetic graphs in tests and benchmarks):
// vertex i gets NodeId FirstIdOfKind(kActor) + i + 1, arc j gets type kRelatedTo, time 0,
// status kOccurred and EdgeId j + 1. Pairs with an endpoint >= n are an InvalidArgument.
Result<CsrGraph> BuildCsrFromPairs(uint32_t n,
                                   std::span<const std::pair<uint32_t, uint32_t>> pairs);

}  // namespace geokg::graph
