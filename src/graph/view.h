#pragma once
// GraphView: a filtered, directed reading of a CsrGraph without copying it. The filter (time
// window, edge-type set, status set) is a predicate evaluated on each arc as a traversal walks
// it; the direction says which arcs leave a vertex: its out-arcs, its in-arcs (the reversed
// graph) or both (the undirected graph). A view borrows the graph, which must outlive it; it is
// cheap to copy and its const methods are thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "graph/csr.h"

namespace geokg::graph {

enum class Dir : uint8_t { kOut, kIn, kBoth };
inline Dir Reverse(Dir d) { return d == Dir::kOut ? Dir::kIn : d == Dir::kIn ? Dir::kOut : d; }

struct EdgeFilter {
  static constexpr uint32_t kAllTypes = (uint32_t{1} << kEdgeTypeCount) - 1;
  static constexpr uint32_t kAllStatuses = (uint32_t{1} << kStatusCount) - 1;

  // Inclusive window on the arc's time. As in storage::AdjQuery, undated arcs (kUnknownTime)
  // pass only when t2 is kUnknownTime (no upper bound was given).
  Time t1 = kMinTime;
  Time t2 = kUnknownTime;
  uint32_t type_mask = kAllTypes;       // bit t: EdgeType t passes
  uint32_t status_mask = kAllStatuses;  // bit s: FactStatus s passes

  bool AcceptsAll() const {
    return t1 == kMinTime && t2 == kUnknownTime && (type_mask & kAllTypes) == kAllTypes &&
           (status_mask & kAllStatuses) == kAllStatuses;
  }
  bool Accepts(uint8_t type, Time time, uint8_t status) const {
    return time >= t1 && time <= t2 && ((type_mask >> type) & 1u) && ((status_mask >> status) & 1u);
  }
  static uint32_t TypeBit(EdgeType t) { return uint32_t{1} << static_cast<uint32_t>(t); }
  static uint32_t StatusBit(FactStatus s) { return uint32_t{1} << static_cast<uint32_t>(s); }
};

class GraphView {
 public:
  GraphView(const CsrGraph& g, EdgeFilter filter = {}, Dir dir = Dir::kOut)
      : g_(&g),
        filter_(filter),
        dir_(dir),
        all_(filter.AcceptsAll()),
        degrees_(std::make_shared<DegreeCache>()) {}

  const CsrGraph& graph() const { return *g_; }
  const EdgeFilter& filter() const { return filter_; }
  Dir dir() const { return dir_; }
  bool accepts_all() const { return all_; }
  uint32_t num_vertices() const { return g_->num_vertices(); }
  // The same filter with the direction reversed (both stays both).
  GraphView Reversed() const { return GraphView(*g_, filter_, Reverse(dir_)); }

  bool Accepts(const CsrSide& s, uint64_t arc) const {
    return all_ || filter_.Accepts(s.type[arc], s.time[arc], s.status[arc]);
  }

  // Calls fn(neighbour, side, arc) for every arc leaving `v` in this view; fn returns void.
  // kAllPass must equal accepts_all(); it lets the unfiltered loop skip the attribute loads.
  template <bool kAllPass, typename Fn>
  void ForEach(VertexIndex v, Fn&& fn) const {
    if (dir_ != Dir::kIn) Walk<kAllPass>(g_->out(), v, fn);
    if (dir_ != Dir::kOut) Walk<kAllPass>(g_->in(), v, fn);
  }
  template <typename Fn>
  void ForEachArc(VertexIndex v, Fn&& fn) const {
    if (all_) {
      ForEach<true>(v, fn);
    } else {
      ForEach<false>(v, fn);
    }
  }

  // Unfiltered number of arcs leaving `v` in this direction (a cost estimate).
  uint64_t RawDegree(VertexIndex v) const {
    return (dir_ != Dir::kIn ? g_->out().degree(v) : 0) +
           (dir_ != Dir::kOut ? g_->in().degree(v) : 0);
  }
  // Number of arcs leaving `v` that pass the filter. The first call on a filtered view counts
  // them all (O(m)) and caches the counts; later calls are O(1).
  uint64_t Degree(VertexIndex v) const {
    if (all_) return RawDegree(v);
    std::call_once(degrees_->once, [this] { FillDegrees(); });
    return degrees_->degree[v];
  }

 private:
  struct DegreeCache {
    std::once_flag once;
    std::vector<uint32_t> degree;
  };
  template <bool kAllPass, typename Fn>
  void Walk(const CsrSide& s, VertexIndex v, Fn& fn) const {
    const uint64_t e = s.end(v);
    for (uint64_t a = s.begin(v); a < e; ++a) {
      if constexpr (!kAllPass) {
        if (!filter_.Accepts(s.type[a], s.time[a], s.status[a])) continue;
      }
      fn(s.neighbor[a], s, a);
    }
  }
  void FillDegrees() const {
    std::vector<uint32_t>& d = degrees_->degree;
    d.assign(g_->num_vertices(), 0);
    for (VertexIndex v = 0; v < g_->num_vertices(); ++v) {
      uint32_t c = 0;
      ForEach<false>(v, [&](VertexIndex, const CsrSide&, uint64_t) { ++c; });
      d[v] = c;
    }
  }

  const CsrGraph* g_;
  EdgeFilter filter_;
  Dir dir_;
  bool all_;
  std::shared_ptr<DegreeCache> degrees_;
};

}  // namespace geokg::graph
