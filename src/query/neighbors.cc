// Neighbours from RocksDB. The actor's role edges are read per role type with the time window in
// the key range (type | time order in the adjacency key), each event once; the event's
// participants come from its `in` adjacency; its code and Goldstein from one point read. Relation
// edges are read from both adjacency directions. The aggregation matches
// graph::ActorLinker::ComputeLinks on the snapshot, which tests compare.
#include "query/neighbors.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "model/cameo.h"
#include "model/vocab.h"

namespace geokg::query {
namespace {

bool StatusOk(const GraphFilter& f, FactStatus s) {
  return f.statuses.empty() ||
         std::find(f.statuses.begin(), f.statuses.end(), s) != f.statuses.end();
}
bool TypeOk(const GraphFilter& f, EdgeType t) {
  return f.types.empty() || std::find(f.types.begin(), f.types.end(), t) != f.types.end();
}
// Whether a role of the viewed actor (first) or of a counterpart (!first) fits the direction.
bool RoleFits(const GraphFilter& f, EdgeType t, bool first) {
  if (f.dir == graph::Dir::kBoth) return true;
  const bool want_initiator = (f.dir == graph::Dir::kOut) == first;
  return t == (want_initiator ? EdgeType::kInitiator : EdgeType::kTarget);
}

// Most events first, then by label and id.
void SortRows(std::vector<NeighborRow>* rows) {
  std::sort(rows->begin(), rows->end(), [](const NeighborRow& x, const NeighborRow& y) {
    if (x.stats.events != y.stats.events) return x.stats.events > y.stats.events;
    return x.actor.label != y.actor.label ? x.actor.label < y.actor.label : x.actor.id < y.actor.id;
  });
}

}  // namespace

Result<std::vector<NeighborRow>> Neighbors(const storage::Store& store, NodeId actor,
                                           const GraphFilter& filter) {
  std::unordered_map<NodeId, NeighborRow> rows;
  std::unordered_set<NodeId> seen_events;
  const Codebook& codebook = Codebook::Default();
  Status inner;
  storage::AdjQuery q;
  q.t1 = filter.t1;
  q.t2 = filter.t2;
  for (const auto& info : AllEdgeTypes()) {
    if (!IsRole(info.type) || !TypeOk(filter, info.type) || !RoleFits(filter, info.type, true)) {
      continue;
    }
    q.type = info.type;
    std::vector<std::pair<NodeId, Time>> events;
    GEOKG_RETURN_IF_ERROR(
        store.ScanAdjacency(actor, storage::Direction::kOut, q, [&](const storage::AdjEntry& e) {
          if (StatusOk(filter, e.status) && seen_events.insert(e.neighbor).second) {
            events.push_back({e.neighbor, e.time});
          }
          return true;
        }));
    for (const auto& [ev, time] : events) {
      GEOKG_ASSIGN_OR_RETURN(auto node, store.GetNode(ev));
      if (!node) continue;
      const auto* body = std::get_if<Event>(&node->body);
      if (body == nullptr || body->cameo_code.rfind(filter.code_prefix, 0) != 0) continue;
      std::optional<float> gold = body->goldstein;
      int quad = body->quad_class.value_or(0);
      if (const CameoEventCode* c = codebook.Find(body->cameo_code)) {
        if (!gold) gold = c->goldstein;
        if (quad == 0) quad = c->quad_class;
      }
      std::unordered_set<NodeId> counted;
      GEOKG_RETURN_IF_ERROR(store.ScanAdjacency(
          ev, storage::Direction::kIn, storage::AdjQuery{}, [&](const storage::AdjEntry& p) {
            const NodeId b = p.neighbor;
            if (b == actor || KindOf(b) != NodeKind::kActor || !IsRole(p.type)) return true;
            if (!TypeOk(filter, p.type) || !StatusOk(filter, p.status) ||
                !RoleFits(filter, p.type, false) || p.time < filter.t1 || p.time > filter.t2) {
              return true;
            }
            if (!counted.insert(b).second) return true;
            graph::LinkStats& s = rows[b].stats;
            ++s.events;
            if (gold) {
              s.goldstein_sum += *gold;
              ++s.goldstein_count;
            }
            ++s.quad[quad >= 1 && quad <= 4 ? quad : 0];
            s.first = std::min(s.first, time);
            s.last = std::max(s.last, time);
            return true;
          }));
    }
  }
  // Relations between actors, in the directions asked for.
  for (auto dir : {storage::Direction::kOut, storage::Direction::kIn}) {
    if ((dir == storage::Direction::kOut && filter.dir == graph::Dir::kIn) ||
        (dir == storage::Direction::kIn && filter.dir == graph::Dir::kOut)) {
      continue;
    }
    GEOKG_RETURN_IF_ERROR(
        store.ScanAdjacency(actor, dir, storage::AdjQuery{}, [&](const storage::AdjEntry& e) {
          if (IsRole(e.type) || KindOf(e.neighbor) != NodeKind::kActor || e.neighbor == actor) {
            return true;
          }
          if (!TypeOk(filter, e.type) || !StatusOk(filter, e.status) || e.time < filter.t1 ||
              e.time > filter.t2) {
            return true;
          }
          NeighborRow& row = rows[e.neighbor];
          ++row.stats.relations;
          if (e.time != kUnknownTime) {
            row.stats.first = std::min(row.stats.first, e.time);
            row.stats.last = std::max(row.stats.last, e.time);
          }
          const auto& info = InfoOf(e.type);
          row.relations.push_back(
              std::string(dir == storage::Direction::kOut ? info.verb : info.inverse));
          return true;
        }));
  }
  std::vector<NeighborRow> out;
  for (auto& [id, row] : rows) {
    if (row.stats.relations == 0 && row.stats.events < std::max(1u, filter.min_events)) continue;
    GEOKG_ASSIGN_OR_RETURN(row.actor, LoadNodeRef(store, id));
    out.push_back(std::move(row));
  }
  SortRows(&out);
  return out;
}

Result<std::vector<NeighborRow>> Neighbors(GraphContext& gc, NodeId actor,
                                           const GraphFilter& filter) {
  GEOKG_ASSIGN_OR_RETURN(graph::VertexIndex a, gc.VertexOf(actor));
  graph::ActorLinker linker(gc.graph(), filter.ToProjection(), gc.loaded.actor_links);
  std::vector<NeighborRow> out;
  for (const graph::LinkStats& l : linker.Links(a)) {
    NeighborRow row;
    row.stats = l;
    row.stats.other = graph::kNoVertex;
    GEOKG_ASSIGN_OR_RETURN(row.actor, LoadNodeRef(*gc.store, gc.graph().node_id(l.other)));
    for (const auto& [side, arc] : linker.Relations(a, l.other)) {
      const graph::CsrSide& s = side == 0 ? gc.graph().out() : gc.graph().in();
      const auto& info = InfoOf(static_cast<EdgeType>(s.type[arc]));
      row.relations.push_back(std::string(side == 0 ? info.verb : info.inverse));
    }
    out.push_back(std::move(row));
  }
  SortRows(&out);
  return out;
}

}  // namespace geokg::query
