#pragma once
// Unweighted path searches over any graph given as a neighbour function (the actor projection is
// computed lazily, so these never need the whole graph): hop-limited neighbourhoods, one / all
// shortest paths, and the k shortest simple paths (Yen). Paths are vertex sequences from source
// to target; results are deterministic (ordered by length, then lexicographically by index).
// Thread-compatible; the neighbour function may cache.

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "graph/csr.h"

namespace geokg::graph {

// Appends the vertices one hop from `v` to `out` (duplicates allowed).
using NeighborFn = std::function<void(VertexIndex v, std::vector<VertexIndex>* out)>;
using Path = std::vector<VertexIndex>;

// Every vertex within `max_hops` of `source`, with its distance (source: 0).
std::unordered_map<VertexIndex, int32_t> Neighborhood(const NeighborFn& nbrs, VertexIndex source,
                                                      int32_t max_hops);

// All shortest paths from `source` to `target`, at most `max_paths` of them (the first ones in
// lexicographic order); empty if unreachable. source == target gives the one-vertex path.
std::vector<Path> AllShortestPaths(const NeighborFn& nbrs, VertexIndex source, VertexIndex target,
                                   size_t max_paths = 1000);

// The `k` shortest simple (loopless) paths, by Yen's algorithm (J. Y. Yen, "Finding the K
// shortest loopless paths in a network", Management Science 17(11), 1971): each next path is the
// shortest deviation from a prefix of an earlier one with the prefix's vertices and the
// earlier paths' next arcs removed. Ordered by length, ties lexicographically.
std::vector<Path> KShortestPaths(const NeighborFn& nbrs, VertexIndex source, VertexIndex target,
                                 size_t k);

}  // namespace geokg::graph
