// Graph filters and the ego network. Ego expands the projection lazily (ActorLinker): only the
// actors within the radius have their links computed, so its cost follows the neighbourhood's
// size, not the store's.
#include "query/traversal.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "graph/paths.h"
#include "model/time_format.h"
#include "model/vocab.h"

namespace geokg::query {

graph::ProjectionFilter GraphFilter::ToProjection() const {
  graph::ProjectionFilter f;
  f.edges.t1 = t1;
  f.edges.t2 = t2;
  if (!types.empty()) {
    f.edges.type_mask = 0;
    for (EdgeType t : types) f.edges.type_mask |= graph::EdgeFilter::TypeBit(t);
  }
  if (!statuses.empty()) {
    f.edges.status_mask = 0;
    for (FactStatus s : statuses) f.edges.status_mask |= graph::EdgeFilter::StatusBit(s);
  }
  f.code_prefix = code_prefix;
  f.dir = dir;
  f.min_events = min_events;
  return f;
}

std::string GraphFilter::Describe() const {
  std::vector<std::string> parts;
  if (t1 != kMinTime || t2 != kUnknownTime) {
    parts.push_back(
        (t1 == kMinTime ? std::string("…") : FormatTimeAt(t1, TimePrecision::kDay)) + " .. " +
        (t2 == kUnknownTime ? std::string("…") : FormatTimeAt(t2, TimePrecision::kDay)));
  }
  if (!types.empty()) {
    std::string s = "types ";
    for (size_t i = 0; i < types.size(); ++i)
      s += (i ? "," : "") + std::string(EdgeTypeName(types[i]));
    parts.push_back(s);
  }
  if (!code_prefix.empty()) parts.push_back("code " + code_prefix + "*");
  if (!statuses.empty()) {
    std::string s = "status ";
    for (size_t i = 0; i < statuses.size(); ++i)
      s += (i ? "," : "") + std::string(StatusName(statuses[i]));
    parts.push_back(s);
  }
  parts.push_back(dir == graph::Dir::kBoth  ? "any roles"
                  : dir == graph::Dir::kOut ? "initiator -> target"
                                            : "target <- initiator");
  if (min_events > 1) parts.push_back(">= " + std::to_string(min_events) + " events");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

Result<std::vector<EdgeType>> ParseEdgeTypeList(std::string_view text) {
  std::vector<EdgeType> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string_view item =
        text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
    if (!item.empty()) {
      EdgeType t;
      if (!ParseEdgeType(item, &t)) {
        std::string valid;
        for (const auto& info : AllEdgeTypes())
          valid += (valid.empty() ? "" : ", ") + std::string(info.name);
        return Status::InvalidArgument("unknown edge type \"" + std::string(item) +
                                       "\"; valid types: " + valid);
      }
      out.push_back(t);
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

Result<graph::Dir> ParseDirection(std::string_view text) {
  if (text == "out") return graph::Dir::kOut;
  if (text == "in") return graph::Dir::kIn;
  if (text == "both") return graph::Dir::kBoth;
  return Status::InvalidArgument("unknown direction \"" + std::string(text) +
                                 "\"; use out, in or both");
}

Result<graph::VertexIndex> GraphContext::VertexOf(NodeId id) const {
  auto v = graph().IndexOf(id);
  if (!v || graph().kind(*v) != NodeKind::kActor) {
    return Status::NotFound("the actor is not in the graph snapshot");
  }
  return *v;
}

Result<GraphContext> LoadGraphContext(const storage::Store& store) {
  GraphContext gc;
  gc.store = &store;
  GEOKG_ASSIGN_OR_RETURN(gc.loaded, graph::LoadGraph(store));
  return gc;
}

Result<EgoResult> Ego(GraphContext& gc, NodeId actor, int32_t hops, const GraphFilter& filter,
                      size_t max_refs) {
  GEOKG_ASSIGN_OR_RETURN(graph::VertexIndex source, gc.VertexOf(actor));
  graph::ActorLinker linker(gc.graph(), filter.ToProjection());
  graph::NeighborFn nbrs = [&](graph::VertexIndex v, std::vector<graph::VertexIndex>* out) {
    for (const auto& l : linker.Links(v)) out->push_back(l.other);
  };
  auto depth = graph::Neighborhood(nbrs, source, hops);
  std::vector<std::pair<graph::VertexIndex, int32_t>> members(depth.begin(), depth.end());
  std::unordered_map<graph::VertexIndex, uint32_t> degree;
  EgoResult r;
  std::vector<std::tuple<graph::VertexIndex, graph::VertexIndex, const graph::LinkStats*>> links;
  for (const auto& [v, d] : members) {
    for (const auto& l : linker.Links(v)) {
      if (!depth.count(l.other)) continue;
      if (filter.dir == graph::Dir::kBoth && l.other < v) continue;  // each pair once
      links.push_back({v, l.other, &l});
      ++degree[v];
      ++degree[l.other];
    }
  }
  std::sort(members.begin(), members.end(), [&](const auto& x, const auto& y) {
    if (x.second != y.second) return x.second < y.second;
    if (degree[x.first] != degree[y.first]) return degree[x.first] > degree[y.first];
    return x.first < y.first;
  });
  std::unordered_map<graph::VertexIndex, size_t> pos;
  for (const auto& [v, d] : members) {
    pos[v] = r.nodes.size();
    EgoNode node;
    node.id = gc.graph().node_id(v);
    node.hops = d;
    node.degree = degree[v];
    if (r.nodes.size() < max_refs) {
      GEOKG_ASSIGN_OR_RETURN(node.ref, LoadNodeRef(*gc.store, node.id));
    }
    r.nodes.push_back(std::move(node));
  }
  for (const auto& [a, b, l] : links) r.edges.push_back({pos[a], pos[b], *l});
  std::sort(r.edges.begin(), r.edges.end(),
            [](const EgoEdge& x, const EgoEdge& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  return r;
}

}  // namespace geokg::query
