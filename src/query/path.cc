// Path search runs on the lazily computed projection (graph/projection.h, graph/paths.h); the
// explanation of each hop then asks the linker which events the pair shares under the same filter
// and reads those events from the store.
#include "query/path.h"

#include "graph/paths.h"
#include "model/vocab.h"

namespace geokg::query {

Result<std::vector<ActorPath>> FindPaths(GraphContext& gc, NodeId a, NodeId b,
                                         const GraphFilter& filter, const PathOptions& options) {
  GEOKG_ASSIGN_OR_RETURN(graph::VertexIndex s, gc.VertexOf(a));
  GEOKG_ASSIGN_OR_RETURN(graph::VertexIndex t, gc.VertexOf(b));
  graph::ActorLinker linker(gc.graph(), filter.ToProjection(), gc.loaded.actor_links);
  graph::NeighborFn nbrs = [&](graph::VertexIndex v, std::vector<graph::VertexIndex>* out) {
    for (const auto& l : linker.Links(v)) out->push_back(l.other);
  };
  std::vector<graph::Path> paths;
  switch (options.mode) {
    case PathMode::kShortest:
      paths = graph::KShortestPaths(nbrs, s, t, 1);
      break;
    case PathMode::kAllShortest:
      paths = graph::AllShortestPaths(nbrs, s, t, options.max_paths);
      break;
    case PathMode::kKShortest:
      paths = graph::KShortestPaths(nbrs, s, t, options.k);
      break;
  }
  const graph::CsrGraph& g = gc.graph();
  std::vector<ActorPath> out;
  for (const graph::Path& p : paths) {
    ActorPath ap;
    for (size_t i = 0; i + 1 < p.size(); ++i) {
      Hop hop;
      GEOKG_ASSIGN_OR_RETURN(hop.from, LoadNodeRef(*gc.store, g.node_id(p[i])));
      GEOKG_ASSIGN_OR_RETURN(hop.to, LoadNodeRef(*gc.store, g.node_id(p[i + 1])));
      for (const auto& l : linker.Links(p[i])) {
        if (l.other == p[i + 1]) hop.stats = l;
      }
      auto events = linker.SharedEvents(p[i], p[i + 1]);
      for (size_t k = 0; k < events.size() && k < options.max_events_per_hop; ++k) {
        GEOKG_ASSIGN_OR_RETURN(auto node, gc.store->GetNode(g.node_id(events[k])));
        if (!node) continue;
        HopEvent he;
        he.event = MakeNodeRef(*node);
        if (const auto* ev = std::get_if<Event>(&node->body)) he.body = *ev;
        GEOKG_ASSIGN_OR_RETURN(he.sources, LoadSources(*gc.store, *node));
        hop.events.push_back(std::move(he));
      }
      for (const auto& [side, arc] : linker.Relations(p[i], p[i + 1])) {
        const auto& info =
            InfoOf(static_cast<EdgeType>(side == 0 ? g.out().type[arc] : g.in().type[arc]));
        hop.relations.push_back(std::string(side == 0 ? info.verb : info.inverse));
      }
      ap.hops.push_back(std::move(hop));
    }
    out.push_back(std::move(ap));
  }
  return out;
}

}  // namespace geokg::query
