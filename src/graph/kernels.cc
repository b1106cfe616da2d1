// BFS: direction-optimizing breadth-first search (S. Beamer, K. Asanović, D. Patterson,
// "Direction-Optimizing Breadth-First Search", SC 2012; the structure follows gapbs's bfs.cc).
// Top-down expands the frontier's arcs; once the frontier's arcs outnumber the unexplored ones
// by 1/alpha, it switches to bottom-up: every unvisited vertex scans its *reverse* arcs and stops
// at the first parent found in the frontier bitmap, so most arcs of a large frontier are never
// touched. It switches back when the frontier shrinks below n/beta. Filters apply to reverse arcs
// exactly as to forward ones (an arc carries the same attributes on both sides), so the result is
// the same as a top-down BFS of the filtered view.
//
// PageRank: pull-based. Each iteration first computes every vertex's contribution r(u)/deg(u)
// (one sequential pass), then each vertex sums the contributions of its reverse neighbours: no
// atomics or scattered writes, and the reads of `contrib` are the only random accesses.
#include "graph/kernels.h"

#include <algorithm>
#include <cmath>
#include <system_error>
#include <thread>

namespace geokg::graph {
namespace {

constexpr uint64_t kPrefetchArcs = 16;
constexpr uint64_t kParallelPageRankArcs = uint64_t{1} << 20;

constexpr int kAlpha = 15;
constexpr int kBeta = 18;

class Bitmap {
 public:
  explicit Bitmap(size_t n) : words_((n + 63) / 64, 0) {}
  void Reset() { std::fill(words_.begin(), words_.end(), 0); }
  void Set(size_t i) { words_[i >> 6] |= uint64_t{1} << (i & 63); }
  bool Get(size_t i) const { return (words_[i >> 6] >> (i & 63)) & 1; }
  void Swap(Bitmap& o) { words_.swap(o.words_); }

 private:
  std::vector<uint64_t> words_;
};

// Expands `frontier` into `next`; returns the raw degree sum of the vertices discovered.
template <bool kAllPass>
uint64_t TopDownStep(const GraphView& view, std::vector<int32_t>& depth,
                     const std::vector<VertexIndex>& frontier, std::vector<VertexIndex>& next,
                     int32_t level) {
  uint64_t scout = 0;
  for (VertexIndex u : frontier) {
    view.ForEach<kAllPass>(u, [&](VertexIndex v, const CsrSide&, uint64_t) {
      if (depth[v] < 0) {
        depth[v] = level;
        next.push_back(v);
        scout += view.RawDegree(v);
      }
    });
  }
  return scout;
}

// One side's reverse scan for bottom-up: true if some arc reaches a frontier vertex.
template <bool kAllPass>
inline bool HasParentIn(const GraphView& view, const CsrSide& s, VertexIndex v,
                        const Bitmap& front) {
  const uint64_t e = s.end(v);
  for (uint64_t a = s.begin(v); a < e; ++a) {
    if constexpr (!kAllPass) {
      if (!view.filter().Accepts(s.type[a], s.time[a], s.status[a])) continue;
    }
    if (front.Get(s.neighbor[a])) return true;
  }
  return false;
}

template <bool kAllPass>
uint64_t BottomUpStep(const GraphView& view, std::vector<int32_t>& depth, const Bitmap& front,
                      Bitmap& next, int32_t level) {
  // A vertex's parents are its neighbours in the reversed direction.
  const Dir rev = Reverse(view.dir());
  const CsrGraph& g = view.graph();
  uint64_t awake = 0;
  next.Reset();
  const uint32_t n = g.num_vertices();
  for (VertexIndex v = 0; v < n; ++v) {
    if (depth[v] >= 0) continue;
    bool found = (rev != Dir::kIn && HasParentIn<kAllPass>(view, g.out(), v, front)) ||
                 (rev != Dir::kOut && HasParentIn<kAllPass>(view, g.in(), v, front));
    if (found) {
      depth[v] = level;
      next.Set(v);
      ++awake;
    }
  }
  return awake;
}

template <bool kAllPass>
std::vector<int32_t> Bfs(const GraphView& view, std::span<const VertexIndex> sources,
                         int32_t max_depth) {
  const uint32_t n = view.num_vertices();
  std::vector<int32_t> depth(n, -1);
  std::vector<VertexIndex> frontier, next;
  uint64_t scout = 0;
  for (VertexIndex s : sources) {
    if (s >= n || depth[s] == 0) continue;
    depth[s] = 0;
    frontier.push_back(s);
    scout += view.RawDegree(s);
  }
  uint64_t edges_to_check = view.graph().num_arcs() * (view.dir() == Dir::kBoth ? 2 : 1);
  Bitmap front(n), nextmap(n);
  int32_t level = 0;
  while (!frontier.empty() && (max_depth < 0 || level < max_depth)) {
    if (scout > edges_to_check / kAlpha) {
      front.Reset();
      for (VertexIndex v : frontier) front.Set(v);
      uint64_t awake = frontier.size(), old_awake;
      do {
        old_awake = awake;
        ++level;
        awake = BottomUpStep<kAllPass>(view, depth, front, nextmap, level);
        front.Swap(nextmap);
      } while ((awake >= old_awake || awake > n / kBeta) && awake > 0 &&
               (max_depth < 0 || level < max_depth));
      frontier.clear();
      for (VertexIndex v = 0; v < n; ++v) {
        if (depth[v] == level) frontier.push_back(v);
      }
      scout = 1;
    } else {
      edges_to_check -= std::min(edges_to_check, scout);
      next.clear();
      ++level;
      scout = TopDownStep<kAllPass>(view, depth, frontier, next, level);
      frontier.swap(next);
    }
  }
  return depth;
}

}  // namespace

std::vector<int32_t> BfsDepths(const GraphView& view, std::span<const VertexIndex> sources,
                               int32_t max_depth) {
  return view.accepts_all() ? Bfs<true>(view, sources, max_depth)
                            : Bfs<false>(view, sources, max_depth);
}

std::vector<int32_t> BfsDepthsTopDown(const GraphView& view, VertexIndex source,
                                      int32_t max_depth) {
  std::vector<int32_t> depth(view.num_vertices(), -1);
  if (source >= view.num_vertices()) return depth;
  std::vector<VertexIndex> queue{source};
  depth[source] = 0;
  for (size_t head = 0; head < queue.size(); ++head) {
    VertexIndex u = queue[head];
    if (max_depth >= 0 && depth[u] >= max_depth) continue;
    view.ForEachArc(u, [&](VertexIndex v, const CsrSide&, uint64_t) {
      if (depth[v] < 0) {
        depth[v] = depth[u] + 1;
        queue.push_back(v);
      }
    });
  }
  return depth;
}

namespace {

template <bool kAllPass>
std::vector<double> PageRankImpl(const GraphView& view, const PageRankOptions& opt,
                                 int* iterations) {
  const uint32_t n = view.num_vertices();
  std::vector<double> rank(n, n ? 1.0 / n : 0.0), next(n), contrib(n), inv_deg(n);
  std::vector<VertexIndex> dangling;
  for (VertexIndex v = 0; v < n; ++v) {
    uint64_t d = view.Degree(v);
    inv_deg[v] = d ? 1.0 / static_cast<double>(d) : 0.0;
    if (d == 0) dangling.push_back(v);
  }
  const GraphView rev = view.Reversed();
  const CsrGraph& g = view.graph();
  const bool pull_out = rev.dir() != Dir::kIn, pull_in = rev.dir() != Dir::kOut;
  const double d = opt.damping;
  // Large graphs pull on two threads (the machines this runs on have two cores or more), split
  // where half of the arcs to read are below.
  VertexIndex split = 0;
  const uint64_t arcs = (pull_out ? g.out().offsets[n] : 0) + (pull_in ? g.in().offsets[n] : 0);
  if (opt.threads != 1 && arcs >= kParallelPageRankArcs &&
      std::thread::hardware_concurrency() > 1) {
    auto below = [&](VertexIndex v) {
      return (pull_out ? g.out().offsets[v] : 0) + (pull_in ? g.in().offsets[v] : 0);
    };
    VertexIndex lo = 0, hi = n;
    while (lo < hi) {
      VertexIndex mid = lo + (hi - lo) / 2;
      if (below(mid) < arcs / 2)
        lo = mid + 1;
      else
        hi = mid;
    }
    split = lo;
  }
  int it = 0;
  for (; it < opt.max_iterations; ++it) {
    for (VertexIndex u = 0; u < n; ++u) contrib[u] = rank[u] * inv_deg[u];
    double base = 1.0 - d;
    if (opt.mode == PageRankOptions::Mode::kNormalized) {
      double dangling_sum = 0;
      for (VertexIndex u : dangling) dangling_sum += rank[u];
      base = (1.0 - d) / n + d * dangling_sum / n;
    }
    auto pull = [&](const CsrSide& s, VertexIndex v) {
      const uint64_t b = s.begin(v), e = s.end(v);
      if constexpr (kAllPass) {
        // Four independent sums (one chain would wait on each add's latency) and the gathers
        // of later arcs prefetched: the reads of `contrib` are random.
        double acc[4] = {0, 0, 0, 0};
        uint64_t a = b;
        for (; a + 4 <= e; a += 4) {
          if (a + kPrefetchArcs + 4 <= e) {
            for (int k = 0; k < 4; ++k) {
              __builtin_prefetch(&contrib[s.neighbor[a + kPrefetchArcs + k]]);
            }
          }
          for (int k = 0; k < 4; ++k) acc[k] += contrib[s.neighbor[a + k]];
        }
        for (; a < e; ++a) acc[0] += contrib[s.neighbor[a]];
        return (acc[0] + acc[1]) + (acc[2] + acc[3]);
      } else {
        double sum = 0;
        for (uint64_t a = b; a < e; ++a) {
          if (view.filter().Accepts(s.type[a], s.time[a], s.status[a])) {
            sum += contrib[s.neighbor[a]];
          }
        }
        return sum;
      }
    };
    double delta = 0;
    auto pull_range = [&](VertexIndex lo, VertexIndex hi) {
      for (VertexIndex v = lo; v < hi; ++v) {
        double sum = (pull_out ? pull(g.out(), v) : 0.0) + (pull_in ? pull(g.in(), v) : 0.0);
        next[v] = base + d * sum;
      }
    };
    bool done = false;
    if (split > 0) {
      // The upper vertices on a second thread; each vertex's sum is computed the same way
      // whichever thread runs it, so the result does not depend on the split. If no thread can
      // be started, one does it all.
      try {
        std::thread upper(pull_range, split, n);
        pull_range(0, split);
        upper.join();
        done = true;
      } catch (const std::system_error&) {
      }
    }
    if (!done) pull_range(0, n);
    if (opt.tolerance > 0) {
      for (VertexIndex v = 0; v < n; ++v) delta += std::fabs(next[v] - rank[v]);
    }
    rank.swap(next);
    if (opt.tolerance > 0 && delta < n * opt.tolerance) {
      ++it;
      break;
    }
  }
  if (iterations) *iterations = it;
  return rank;
}

}  // namespace

std::vector<double> PageRank(const GraphView& view, const PageRankOptions& options,
                             int* iterations) {
  return view.accepts_all() ? PageRankImpl<true>(view, options, iterations)
                            : PageRankImpl<false>(view, options, iterations);
}

}  // namespace geokg::graph
