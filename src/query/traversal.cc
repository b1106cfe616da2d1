// Graph filters and the ego network. Ego reads the projection through an ActorLinker: unfiltered,
// from the links stored in the snapshot; filtered, computed for the actors within the radius
// only. Either way its cost follows the neighbourhood's size, not the store's.
#include "query/traversal.h"

#include <algorithm>
#include <tuple>

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

std::optional<GraphContext> LoadCurrentGraphContext(const storage::Store& store) {
  auto loaded = graph::LoadCurrentGraph(store);
  if (!loaded) return std::nullopt;
  GraphContext gc;
  gc.store = &store;
  gc.loaded = std::move(*loaded);
  return gc;
}

Result<EgoResult> Ego(GraphContext& gc, NodeId actor, int32_t hops, const GraphFilter& filter,
                      size_t max_refs, bool with_edges) {
  GEOKG_ASSIGN_OR_RETURN(graph::VertexIndex source, gc.VertexOf(actor));
  graph::ActorLinker linker(gc.graph(), filter.ToProjection(), gc.loaded.actor_links);
  // Dense per-actor arrays (hop count, degree, position) rather than hash maps: a 2-hop ball of a
  // well-connected actor holds thousands of actors and ~10^5 links.
  const graph::VertexIndex n = linker.num_actors();
  std::vector<int32_t> depth(n, -1);
  std::vector<graph::VertexIndex> members{source};
  depth[source] = 0;
  for (size_t begin = 0, d = 1; d <= static_cast<size_t>(std::max(hops, 0)); ++d) {
    const size_t end = members.size();
    for (size_t i = begin; i < end; ++i) {
      for (const auto& l : linker.Links(members[i])) {
        if (depth[l.other] < 0) {
          depth[l.other] = static_cast<int32_t>(d);
          members.push_back(l.other);
        }
      }
    }
    if (members.size() == end) break;
    begin = end;
  }
  // The induced links, each pair once (with kBoth, from its lower vertex index). A sequential
  // scan of each member's links: a binary search for the start cost a cache miss per probe.
  std::vector<uint32_t> degree(n, 0);
  const bool both = filter.dir == graph::Dir::kBoth;
  auto induced = [&](graph::VertexIndex v, auto&& fn) {
    for (const graph::LinkStats& l : linker.Links(v)) {
      if ((!both || l.other > v) && depth[l.other] >= 0) fn(l);
    }
  };
  size_t num_links = 0;
  for (graph::VertexIndex v : members) {
    induced(v, [&](const graph::LinkStats& l) {
      ++degree[v];
      ++degree[l.other];
      ++num_links;
    });
  }
  std::sort(members.begin(), members.end(), [&](graph::VertexIndex x, graph::VertexIndex y) {
    if (depth[x] != depth[y]) return depth[x] < depth[y];
    if (degree[x] != degree[y]) return degree[x] > degree[y];
    return x < y;
  });
  EgoResult r;
  r.nodes.reserve(members.size());
  std::vector<uint32_t> pos(n, 0);
  for (graph::VertexIndex v : members) {
    pos[v] = static_cast<uint32_t>(r.nodes.size());
    EgoNode node;
    node.id = gc.graph().node_id(v);
    node.hops = depth[v];
    node.degree = degree[v];
    if (r.nodes.size() < max_refs) {
      GEOKG_ASSIGN_OR_RETURN(node.ref, LoadNodeRef(*gc.store, node.id));
    }
    r.nodes.push_back(std::move(node));
  }
  r.num_edges = num_links;
  if (!with_edges) return r;
  // Edges ordered by (a, b) positions: members are visited in position order, so only each
  // member's own links need sorting (by the other end's position).
  r.edges.reserve(num_links);
  std::vector<std::pair<uint32_t, const graph::LinkStats*>> row;
  for (graph::VertexIndex v : members) {
    row.clear();
    induced(v, [&](const graph::LinkStats& l) { row.push_back({pos[l.other], &l}); });
    std::sort(row.begin(), row.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [b, l] : row) r.edges.push_back({pos[v], b, *l});
  }
  return r;
}

}  // namespace geokg::query
