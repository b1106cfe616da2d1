#pragma once
// The filters every graph question shares (time window, edge types, CAMEO code prefix, statuses,
// direction, minimum event count), their translation to the graph layer's ProjectionFilter, and
// the k-hop ego network of an actor in the actor relationship projection (graph/projection.h),
// computed over the store's cached snapshot (graph/snapshot.h). Stateless functions; a
// GraphContext holds the loaded graph and is not thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/projection.h"
#include "graph/snapshot.h"
#include "query/actor_view.h"
#include "storage/store.h"
#include "util/status.h"

namespace geokg::query {

struct GraphFilter {
  Time t1 = kMinTime;                // inclusive
  Time t2 = kUnknownTime;            // inclusive; kUnknownTime: no upper bound (undated edges pass)
  std::vector<EdgeType> types;       // empty: every type
  std::string code_prefix;           // CAMEO prefix of events ("" = any)
  std::vector<FactStatus> statuses;  // empty: every status
  graph::Dir dir = graph::Dir::kBoth;
  uint32_t min_events = 1;

  graph::ProjectionFilter ToProjection() const;
  // One line for headers: "2018-01-01 .. 2018-03-31, code 04*, status occurred, both directions".
  std::string Describe() const;
};

// Parses "initiator,target,leader_of". Errors: InvalidArgument naming the unknown type and listing
// the valid ones.
Result<std::vector<EdgeType>> ParseEdgeTypeList(std::string_view text);
// Parses "out", "in" or "both".
Result<graph::Dir> ParseDirection(std::string_view text);

// The store with its current graph (from the snapshot, rebuilt if stale).
struct GraphContext {
  const storage::Store* store = nullptr;
  graph::LoadedGraph loaded;
  const graph::CsrGraph& graph() const { return loaded.graph; }
  // The vertex of an actor; NotFound if the actor has no vertex (it cannot: every actor is one).
  Result<graph::VertexIndex> VertexOf(NodeId id) const;
};
Result<GraphContext> LoadGraphContext(const storage::Store& store);
// The same when the store's snapshot is current; nullopt otherwise (nothing is built).
std::optional<GraphContext> LoadCurrentGraphContext(const storage::Store& store);

struct EgoNode {
  NodeId id = kNoNode;
  NodeRef ref;  // loaded for the first `max_refs` nodes only (others keep only `id`)
  int32_t hops = 0;
  uint32_t degree = 0;  // links inside the ego network
};
struct EgoEdge {
  size_t a = 0, b = 0;  // indices into EgoResult::nodes
  graph::LinkStats stats;
};
struct EgoResult {
  std::vector<EgoNode> nodes;  // by hops, then most links first, then by id
  std::vector<EgoEdge> edges;  // every link between two nodes of the network (once per pair)
  size_t num_edges = 0;        // edges.size(), also when the edges were not asked for
};
// The actors within `hops` links of `actor` under `filter`, and the links among them (the
// induced subgraph, as networkx's ego_graph). Node labels are read from the store for the first
// `max_refs` nodes; the links are listed only `with_edges` (their count and every node's degree
// always are). Errors: storage errors.
Result<EgoResult> Ego(GraphContext& gc, NodeId actor, int32_t hops, const GraphFilter& filter,
                      size_t max_refs = SIZE_MAX, bool with_edges = true);

}  // namespace geokg::query
