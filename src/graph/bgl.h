#pragma once
// Boost.Graph adaptor: BglGraph<kUndirected> models the BGL concepts VertexListGraph,
// IncidenceGraph, BidirectionalGraph and AdjacencyGraph over a GraphView, so Boost's algorithms
// (breadth_first_search, dijkstra_shortest_paths, page_rank, brandes_betweenness_centrality,
// connected_components, ...) run on the CSR with the view's filter applied arc by arc: no copy.
// BglGraph<false> is the directed graph of a kOut or kIn view; BglGraph<true> the undirected
// graph (both arc directions). Vertex descriptors are VertexIndex; the vertex_index map is the
// identity. The adaptor borrows the view's graph.

#include <boost/graph/adjacency_iterator.hpp>
#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>
#include <utility>

#include "graph/view.h"

namespace geokg::graph {

struct BglEdge {
  VertexIndex source = 0, target = 0;
  uint64_t arc = 0;
  uint8_t side = 0;  // 0: out side, 1: in side of the CSR
  bool operator==(const BglEdge& o) const { return arc == o.arc && side == o.side; }
  bool operator!=(const BglEdge& o) const { return !(*this == o); }
};

// Iterates the arcs of one vertex that pass the view's filter, over one or two CSR sides.
// `reverse`: yield edges pointing at v (in_edges) instead of leaving it.
class BglArcIterator : public boost::iterator_facade<BglArcIterator, BglEdge,
                                                     boost::forward_traversal_tag, BglEdge> {
 public:
  BglArcIterator() = default;
  BglArcIterator(const GraphView* view, VertexIndex v, Dir dir, bool reverse, bool at_end)
      : view_(view), v_(v), dir_(dir), reverse_(reverse) {
    if (at_end) {
      side_ = 2;
      return;
    }
    side_ = dir == Dir::kIn ? 1 : 0;
    pos_ = Side().begin(v);
    Settle();
  }

 private:
  friend class boost::iterator_core_access;
  const CsrSide& Side() const { return side_ == 0 ? view_->graph().out() : view_->graph().in(); }
  void Settle() {
    while (side_ < 2) {
      const CsrSide& s = Side();
      const uint64_t e = s.end(v_);
      while (pos_ < e && !view_->Accepts(s, pos_)) ++pos_;
      if (pos_ < e) return;
      if (side_ == 0 && dir_ == Dir::kBoth) {
        side_ = 1;
        pos_ = Side().begin(v_);
      } else {
        side_ = 2;
        pos_ = 0;
      }
    }
  }
  void increment() {
    ++pos_;
    Settle();
  }
  bool equal(const BglArcIterator& o) const { return side_ == o.side_ && pos_ == o.pos_; }
  BglEdge dereference() const {
    VertexIndex other = Side().neighbor[pos_];
    return reverse_ ? BglEdge{other, v_, pos_, side_} : BglEdge{v_, other, pos_, side_};
  }

  const GraphView* view_ = nullptr;
  VertexIndex v_ = 0;
  Dir dir_ = Dir::kOut;
  bool reverse_ = false;
  uint8_t side_ = 2;
  uint64_t pos_ = 0;
};

// Every edge of the view once: the out-side arcs (the in-side ones for a kIn view), vertex by
// vertex.
class BglEdgeIterator : public boost::iterator_facade<BglEdgeIterator, BglEdge,
                                                      boost::forward_traversal_tag, BglEdge> {
 public:
  BglEdgeIterator() = default;
  BglEdgeIterator(const GraphView* view, Dir dir, VertexIndex v) : view_(view), dir_(dir), v_(v) {
    Settle();
  }

 private:
  friend class boost::iterator_core_access;
  void Settle() {
    while (v_ < view_->num_vertices()) {
      if (!started_) {
        it_ = BglArcIterator(view_, v_, dir_, false, false);
        started_ = true;
      }
      if (it_ != BglArcIterator(view_, v_, dir_, false, true)) return;
      ++v_;
      started_ = false;
    }
  }
  void increment() {
    ++it_;
    Settle();
  }
  bool equal(const BglEdgeIterator& o) const {
    return v_ == o.v_ && (v_ >= view_->num_vertices() || it_ == o.it_);
  }
  BglEdge dereference() const { return *it_; }

  const GraphView* view_ = nullptr;
  Dir dir_ = Dir::kOut;
  VertexIndex v_ = 0;
  bool started_ = false;
  BglArcIterator it_;
};

template <bool kUndirected>
class BglGraph {
 public:
  // For kUndirected the view's direction is ignored (both are walked); otherwise it must not be
  // kBoth.
  explicit BglGraph(GraphView view)
      : view_(kUndirected ? GraphView(view.graph(), view.filter(), Dir::kBoth) : view) {}
  const GraphView& view() const { return view_; }

  using vertex_descriptor = VertexIndex;
  using edge_descriptor = BglEdge;
  using directed_category =
      std::conditional_t<kUndirected, boost::undirected_tag, boost::bidirectional_tag>;
  using edge_parallel_category = boost::allow_parallel_edge_tag;
  struct traversal_category : boost::bidirectional_graph_tag,
                              boost::vertex_list_graph_tag,
                              boost::edge_list_graph_tag,
                              boost::adjacency_graph_tag {};
  using vertex_iterator = boost::counting_iterator<VertexIndex>;
  using out_edge_iterator = BglArcIterator;
  using in_edge_iterator = BglArcIterator;
  using adjacency_iterator =
      typename boost::adjacency_iterator_generator<BglGraph, VertexIndex, BglArcIterator>::type;
  using vertices_size_type = uint32_t;
  using edges_size_type = uint64_t;
  using degree_size_type = uint64_t;
  using edge_iterator = BglEdgeIterator;
  static vertex_descriptor null_vertex() { return kNoVertex; }

 private:
  GraphView view_;
};

using BglDirected = BglGraph<false>;
using BglUndirected = BglGraph<true>;

// --- free functions the BGL concepts require (found by ADL) ------------------------------------
template <bool U>
std::pair<boost::counting_iterator<VertexIndex>, boost::counting_iterator<VertexIndex>> vertices(
    const BglGraph<U>& g) {
  return {boost::counting_iterator<VertexIndex>(0),
          boost::counting_iterator<VertexIndex>(g.view().num_vertices())};
}
template <bool U>
uint32_t num_vertices(const BglGraph<U>& g) {
  return g.view().num_vertices();
}
template <bool U>
VertexIndex source(const BglEdge& e, const BglGraph<U>&) {
  return e.source;
}
template <bool U>
VertexIndex target(const BglEdge& e, const BglGraph<U>&) {
  return e.target;
}
template <bool U>
std::pair<BglArcIterator, BglArcIterator> out_edges(VertexIndex v, const BglGraph<U>& g) {
  const GraphView* w = &g.view();
  return {BglArcIterator(w, v, w->dir(), false, false),
          BglArcIterator(w, v, w->dir(), false, true)};
}
template <bool U>
std::pair<BglArcIterator, BglArcIterator> in_edges(VertexIndex v, const BglGraph<U>& g) {
  const GraphView* w = &g.view();
  Dir d = Reverse(w->dir());
  return {BglArcIterator(w, v, d, true, false), BglArcIterator(w, v, d, true, true)};
}
template <bool U>
uint64_t out_degree(VertexIndex v, const BglGraph<U>& g) {
  return g.view().Degree(v);
}
template <bool U>
uint64_t in_degree(VertexIndex v, const BglGraph<U>& g) {
  return g.view().Reversed().Degree(v);
}
template <bool U>
uint64_t degree(VertexIndex v, const BglGraph<U>& g) {
  return U ? out_degree(v, g) : out_degree(v, g) + in_degree(v, g);
}
template <bool U>
std::pair<typename BglGraph<U>::adjacency_iterator, typename BglGraph<U>::adjacency_iterator>
adjacent_vertices(VertexIndex v, const BglGraph<U>& g) {
  auto [b, e] = out_edges(v, g);
  using It = typename BglGraph<U>::adjacency_iterator;
  return {It(b, &g), It(e, &g)};
}

template <bool U>
std::pair<BglEdgeIterator, BglEdgeIterator> edges(const BglGraph<U>& g) {
  const GraphView* w = &g.view();
  Dir d = w->dir() == Dir::kIn ? Dir::kIn : Dir::kOut;
  return {BglEdgeIterator(w, d, 0), BglEdgeIterator(w, d, w->num_vertices())};
}
template <bool U>
uint64_t num_edges(const BglGraph<U>& g) {
  uint64_t m = 0;
  for (VertexIndex v = 0; v < g.view().num_vertices(); ++v) {
    m += U ? GraphView(g.view().graph(), g.view().filter(), Dir::kOut).Degree(v)
           : g.view().Degree(v);
  }
  return m;
}

template <bool U>
boost::typed_identity_property_map<VertexIndex> get(boost::vertex_index_t, const BglGraph<U>&) {
  return {};
}

}  // namespace geokg::graph

namespace boost {
template <bool U>
struct property_map<geokg::graph::BglGraph<U>, vertex_index_t> {
  using type = typed_identity_property_map<geokg::graph::VertexIndex>;
  using const_type = type;
};
}  // namespace boost
