// Path searches. AllShortestPaths runs one BFS that records, for every vertex, its predecessors
// on shortest paths (the BFS DAG) and stops after the target's level; paths are then enumerated
// backwards from the target in lexicographic order. Yen's algorithm reuses a BFS with a blocked
// vertex set and blocked arc set as its spur-path search.
#include "graph/paths.h"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace geokg::graph {
namespace {

struct ArcHash {
  size_t operator()(const std::pair<VertexIndex, VertexIndex>& p) const {
    return (static_cast<uint64_t>(p.first) << 32 | p.second) * 0x9E3779B97F4A7C15ull >> 7;
  }
};
using ArcSet = std::unordered_set<std::pair<VertexIndex, VertexIndex>, ArcHash>;

// Shortest path avoiding `blocked` vertices and arcs; lexicographically smallest among the
// shortest (neighbours are visited in increasing order). Empty if none.
Path BfsPath(const NeighborFn& nbrs, VertexIndex s, VertexIndex t,
             const std::unordered_set<VertexIndex>& blocked, const ArcSet& blocked_arcs) {
  if (s == t) return {s};
  std::unordered_map<VertexIndex, VertexIndex> parent{{s, s}};
  std::vector<VertexIndex> frontier{s}, next, scratch;
  while (!frontier.empty()) {
    next.clear();
    for (VertexIndex u : frontier) {
      scratch.clear();
      nbrs(u, &scratch);
      std::sort(scratch.begin(), scratch.end());
      for (VertexIndex v : scratch) {
        if (parent.count(v) || blocked.count(v) || blocked_arcs.count({u, v})) continue;
        parent[v] = u;
        if (v == t) {
          Path p{t};
          while (p.back() != s) p.push_back(parent[p.back()]);
          std::reverse(p.begin(), p.end());
          return p;
        }
        next.push_back(v);
      }
    }
    std::sort(next.begin(), next.end());
    frontier.swap(next);
  }
  return {};
}

}  // namespace

std::unordered_map<VertexIndex, int32_t> Neighborhood(const NeighborFn& nbrs, VertexIndex source,
                                                      int32_t max_hops) {
  std::unordered_map<VertexIndex, int32_t> depth{{source, 0}};
  std::vector<VertexIndex> frontier{source}, next, scratch;
  for (int32_t d = 1; d <= max_hops && !frontier.empty(); ++d) {
    next.clear();
    for (VertexIndex u : frontier) {
      scratch.clear();
      nbrs(u, &scratch);
      for (VertexIndex v : scratch) {
        if (depth.emplace(v, d).second) next.push_back(v);
      }
    }
    frontier.swap(next);
  }
  return depth;
}

std::vector<Path> AllShortestPaths(const NeighborFn& nbrs, VertexIndex source, VertexIndex target,
                                   size_t max_paths) {
  if (source == target) return {{source}};
  std::unordered_map<VertexIndex, int32_t> depth{{source, 0}};
  std::unordered_map<VertexIndex, std::vector<VertexIndex>> preds;
  std::vector<VertexIndex> frontier{source}, next, scratch;
  bool found = false;
  for (int32_t d = 1; !frontier.empty() && !found; ++d) {
    next.clear();
    for (VertexIndex u : frontier) {
      scratch.clear();
      nbrs(u, &scratch);
      std::sort(scratch.begin(), scratch.end());
      scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
      for (VertexIndex v : scratch) {
        auto [it, fresh] = depth.emplace(v, d);
        if (fresh) next.push_back(v);
        if (it->second == d) preds[v].push_back(u);
        if (v == target) found = true;
      }
    }
    frontier.swap(next);
  }
  if (!found) return {};
  for (auto& [v, p] : preds) std::sort(p.begin(), p.end());
  // Enumerate backwards (target -> source) depth-first, then reverse each path.
  std::vector<Path> out;
  Path stack{target};
  std::function<void(VertexIndex)> walk = [&](VertexIndex v) {
    if (out.size() >= max_paths) return;
    if (v == source) {
      out.emplace_back(stack.rbegin(), stack.rend());
      return;
    }
    for (VertexIndex u : preds[v]) {
      stack.push_back(u);
      walk(u);
      stack.pop_back();
    }
  };
  walk(target);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Path> KShortestPaths(const NeighborFn& nbrs, VertexIndex source, VertexIndex target,
                                 size_t k) {
  std::vector<Path> a;
  if (k == 0) return a;
  Path first = BfsPath(nbrs, source, target, {}, {});
  if (first.empty()) return a;
  a.push_back(first);
  auto shorter = [](const Path& x, const Path& y) {
    return x.size() != y.size() ? x.size() < y.size() : x < y;
  };
  std::set<Path, decltype(shorter)> candidates(shorter);
  while (a.size() < k) {
    const Path& last = a.back();
    for (size_t i = 0; i + 1 < last.size(); ++i) {
      const VertexIndex spur = last[i];
      Path root(last.begin(), last.begin() + i + 1);
      ArcSet blocked_arcs;
      for (const Path& p : a) {
        if (p.size() > i + 1 && std::equal(root.begin(), root.end(), p.begin())) {
          blocked_arcs.insert({p[i], p[i + 1]});
        }
      }
      std::unordered_set<VertexIndex> blocked(root.begin(), root.end() - 1);
      Path tail = BfsPath(nbrs, spur, target, blocked, blocked_arcs);
      if (tail.empty()) continue;
      Path total = root;
      total.insert(total.end(), tail.begin() + 1, tail.end());
      if (std::find(a.begin(), a.end(), total) == a.end()) candidates.insert(total);
    }
    if (candidates.empty()) break;
    a.push_back(*candidates.begin());
    candidates.erase(candidates.begin());
  }
  return a;
}

}  // namespace geokg::graph
