#pragma once
// Whole-graph questions over the actor relationship projection in a window: `geokg rank`
// (PageRank, Brandes betweenness or degree) and `geokg components` (connected groups of actors).
// The projection is built from the store's snapshot for the filter; Boost.Graph's algorithms run
// on it through graph/bgl.h, PageRank through the graph/kernels.h kernel. Not thread-safe.

#include <cstdint>
#include <vector>

#include "query/actor_view.h"
#include "query/traversal.h"

namespace geokg::query {

enum class RankBy { kPageRank, kBetweenness, kDegree };

struct RankedActor {
  NodeRef actor;
  double score = 0;
  uint32_t degree = 0;  // distinct counterparts
  uint64_t events = 0;  // shared events summed over its links
};

// The `top` highest-scoring actors (ties by label). PageRank is networkx's definition (sums to
// 1, converged to 1e-10); betweenness is unnormalized (networkx's normalized=False; exact,
// O(actors * links)); degree counts distinct counterparts. Actors without links are left out.
Result<std::vector<RankedActor>> Rank(GraphContext& gc, RankBy by, size_t top,
                                      const GraphFilter& filter);

struct Component {
  size_t size = 0;
  uint64_t links = 0;
  std::vector<RankedActor> members;  // the `members` best connected (by degree), at most
};
struct ComponentsResult {
  size_t components = 0;           // groups of two or more linked actors
  size_t isolated = 0;             // actors without a link under the filter
  std::vector<Component> largest;  // the `top` largest groups, largest first
};
Result<ComponentsResult> Components(GraphContext& gc, size_t top, size_t members,
                                    const GraphFilter& filter);

}  // namespace geokg::query
