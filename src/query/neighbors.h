#pragma once
// `geokg neighbors ACTOR`: an actor's direct counterparts — the actors it shares events with and
// those joined to it by relation edges — aggregated per counterpart (events, mean Goldstein,
// QuadClass mix, first and last date, relation readings), answered straight from RocksDB with
// adjacency scans and point reads (no snapshot), so it stays fast on a store of any size.
// With a type and a time window, each scan is one contiguous key range. When the store's graph
// snapshot is current, the same rows come from it (cheaper for actors with many events). Stateless.

#include <cstdint>
#include <string>
#include <vector>

#include "graph/projection.h"
#include "query/actor_view.h"
#include "query/traversal.h"
#include "storage/store.h"

namespace geokg::query {

struct NeighborRow {
  NodeRef actor;
  graph::LinkStats stats;              // stats.other is unused (kNoVertex)
  std::vector<std::string> relations;  // "is leader of", "has ally" ... (from the edge table)
};

// Counterparts of `actor` under `filter`, most events first (ties by label). Only counterparts
// with at least filter.min_events shared events, or a relation, are listed. Errors: storage.
Result<std::vector<NeighborRow>> Neighbors(const storage::Store& store, NodeId actor,
                                           const GraphFilter& filter);
// The same rows from the store's graph snapshot: the unfiltered links stored in it, or a filtered
// projection of this one actor. The CLI uses it when the snapshot is current (it is never built
// for this). NotFound if `actor` is not an actor of the graph.
Result<std::vector<NeighborRow>> Neighbors(GraphContext& gc, NodeId actor,
                                           const GraphFilter& filter);

}  // namespace geokg::query
