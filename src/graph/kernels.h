#pragma once
// Hot traversal kernels over a GraphView, written for the CSR instead of going through the Boost
// adaptor (graph/bgl.h), which stays the reference they are tested against: breadth-first search
// (direction-optimizing) with an optional hop limit, and pull-based PageRank (two threads on large
// graphs). Each call allocates its own O(n) state; the view's graph must outlive the call.
// Thread-compatible.

#include <cstdint>
#include <span>
#include <vector>

#include "graph/view.h"

namespace geokg::graph {

// Hop distance from the nearest source to every vertex along the view's arcs; -1 if unreached or
// farther than `max_depth` (< 0: no limit). Sources out of range are ignored.
std::vector<int32_t> BfsDepths(const GraphView& view, std::span<const VertexIndex> sources,
                               int32_t max_depth = -1);
inline std::vector<int32_t> BfsDepths(const GraphView& view, VertexIndex source,
                                      int32_t max_depth = -1) {
  return BfsDepths(view, std::span<const VertexIndex>(&source, 1), max_depth);
}
// The same answer by plain top-down BFS (the obviously-correct reference for tests/benchmarks).
std::vector<int32_t> BfsDepthsTopDown(const GraphView& view, VertexIndex source,
                                      int32_t max_depth = -1);

struct PageRankOptions {
  enum class Mode {
    // networkx's definition: ranks sum to 1; a vertex without leaving arcs spreads its rank
    // evenly over all vertices; teleport (1 - d) / n.
    kNormalized,
    // Boost's page_rank(): r(v) = (1 - d) + d * sum r(u) / deg(u), from r = 1/n; dangling rank
    // is dropped.
    kBoost,
  };
  Mode mode = Mode::kNormalized;
  double damping = 0.85;
  int max_iterations = 20;
  // > 0: stop early once sum |r_new - r| < n * tolerance (networkx's test). 0: run all.
  double tolerance = 0;
  // 1: one thread. Otherwise views of 2^20 arcs or more are pulled on two threads (the answer is
  // the same: each vertex's sum is computed the same way on either).
  int threads = 0;
};

// PageRank along the view's arcs (a walk follows an arc out of the vertex it is on).
// `iterations` receives the number of iterations run.
std::vector<double> PageRank(const GraphView& view, const PageRankOptions& options = {},
                             int* iterations = nullptr);

}  // namespace geokg::graph
