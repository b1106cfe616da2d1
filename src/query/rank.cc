// Ranking and components on the built projection. With direction "both" the projection is one arc
// per linked pair read as an undirected graph; with out/in it is directed (PageRank follows the
// arcs, betweenness counts directed shortest paths, components are weak).
#include "query/rank.h"

#include <algorithm>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/connected_components.hpp>

#include "graph/bgl.h"
#include "graph/kernels.h"

namespace geokg::query {
namespace {

struct Degrees {
  std::vector<uint32_t> degree;
  std::vector<uint64_t> events;
};

Degrees CountDegrees(const graph::ActorGraph& ag) {
  const graph::CsrGraph& g = ag.graph;
  Degrees d{std::vector<uint32_t>(g.num_vertices()), std::vector<uint64_t>(g.num_vertices())};
  for (graph::VertexIndex v = 0; v < g.num_vertices(); ++v) {
    for (uint64_t a = g.out().begin(v); a < g.out().end(v); ++a) {
      const graph::LinkStats& l = ag.links[a];
      ++d.degree[v];
      d.events[v] += l.events;
      if (ag.dir == graph::Dir::kBoth) {
        ++d.degree[l.other];
        d.events[l.other] += l.events;
      }
    }
  }
  return d;
}

Status FillRefs(GraphContext& gc, std::vector<RankedActor>* rows,
                const std::vector<graph::VertexIndex>& vs) {
  for (size_t i = 0; i < rows->size(); ++i) {
    GEOKG_ASSIGN_OR_RETURN((*rows)[i].actor, LoadNodeRef(*gc.store, gc.graph().node_id(vs[i])));
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<RankedActor>> Rank(GraphContext& gc, RankBy by, size_t top,
                                      const GraphFilter& filter) {
  GEOKG_ASSIGN_OR_RETURN(
      graph::ActorGraph ag,
      graph::BuildActorGraph(gc.graph(), filter.ToProjection(), gc.loaded.actor_links));
  const uint32_t n = ag.graph.num_vertices();
  const graph::Dir d = ag.dir == graph::Dir::kBoth ? graph::Dir::kBoth : graph::Dir::kOut;
  graph::GraphView view(ag.graph, {}, d);
  Degrees deg = CountDegrees(ag);
  std::vector<double> score(n);
  switch (by) {
    case RankBy::kPageRank: {
      graph::PageRankOptions opt;
      opt.max_iterations = 1000;
      opt.tolerance = 1e-10;
      score = graph::PageRank(view, opt);
      break;
    }
    case RankBy::kBetweenness: {
      auto map = boost::make_iterator_property_map(
          score.begin(), boost::typed_identity_property_map<graph::VertexIndex>());
      if (d == graph::Dir::kBoth) {
        boost::brandes_betweenness_centrality(graph::BglUndirected(view), map);
      } else {
        boost::brandes_betweenness_centrality(graph::BglDirected(view), map);
      }
      break;
    }
    case RankBy::kDegree:
      for (uint32_t v = 0; v < n; ++v) score[v] = deg.degree[v];
      break;
  }
  std::vector<graph::VertexIndex> vs;
  for (uint32_t v = 0; v < n; ++v) {
    if (deg.degree[v] > 0) vs.push_back(v);
  }
  auto better = [&](graph::VertexIndex x, graph::VertexIndex y) {
    if (score[x] != score[y]) return score[x] > score[y];
    if (deg.events[x] != deg.events[y]) return deg.events[x] > deg.events[y];
    return x < y;
  };
  const size_t keep = std::min(top, vs.size());
  std::partial_sort(vs.begin(), vs.begin() + keep, vs.end(), better);
  vs.resize(keep);
  std::vector<RankedActor> rows(keep);
  for (size_t i = 0; i < keep; ++i) {
    rows[i].score = score[vs[i]];
    rows[i].degree = deg.degree[vs[i]];
    rows[i].events = deg.events[vs[i]];
  }
  GEOKG_RETURN_IF_ERROR(FillRefs(gc, &rows, vs));
  return rows;
}

Result<ComponentsResult> Components(GraphContext& gc, size_t top, size_t members,
                                    const GraphFilter& filter) {
  GEOKG_ASSIGN_OR_RETURN(
      graph::ActorGraph ag,
      graph::BuildActorGraph(gc.graph(), filter.ToProjection(), gc.loaded.actor_links));
  const uint32_t n = ag.graph.num_vertices();
  graph::BglUndirected ug(graph::GraphView(ag.graph, {}, graph::Dir::kBoth));
  std::vector<uint32_t> comp(n);
  const size_t count = boost::connected_components(
      ug, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, ug)));
  Degrees deg = CountDegrees(ag);
  // Undirected degree for membership and isolation, whatever the projection's direction.
  std::vector<uint32_t> any(n, 0);
  for (graph::VertexIndex v = 0; v < n; ++v) {
    for (uint64_t a = ag.graph.out().begin(v); a < ag.graph.out().end(v); ++a) {
      ++any[v];
      ++any[ag.links[a].other];
    }
  }
  std::vector<std::vector<graph::VertexIndex>> groups(count);
  std::vector<uint64_t> links(count, 0);
  for (graph::VertexIndex v = 0; v < n; ++v) {
    groups[comp[v]].push_back(v);
    links[comp[v]] += ag.graph.out().degree(v);
  }
  ComponentsResult r;
  std::vector<size_t> order;
  for (size_t c = 0; c < count; ++c) {
    if (groups[c].size() == 1 && any[groups[c][0]] == 0) {
      ++r.isolated;
    } else {
      order.push_back(c);
    }
  }
  r.components = order.size();
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return groups[x].size() != groups[y].size() ? groups[x].size() > groups[y].size()
                                                : groups[x][0] < groups[y][0];
  });
  order.resize(std::min(order.size(), top));
  for (size_t c : order) {
    Component out;
    out.size = groups[c].size();
    out.links = links[c];
    auto& g = groups[c];
    std::sort(g.begin(), g.end(), [&](graph::VertexIndex x, graph::VertexIndex y) {
      return any[x] != any[y] ? any[x] > any[y] : x < y;
    });
    g.resize(std::min(g.size(), members));
    std::vector<RankedActor> rows(g.size());
    for (size_t i = 0; i < g.size(); ++i) {
      rows[i].degree = any[g[i]];
      rows[i].events = deg.events[g[i]];
      rows[i].score = any[g[i]];
    }
    GEOKG_RETURN_IF_ERROR(FillRefs(gc, &rows, g));
    out.members = std::move(rows);
    r.largest.push_back(std::move(out));
  }
  return r;
}

}  // namespace geokg::query
