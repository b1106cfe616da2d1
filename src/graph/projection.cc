// Projection by two-hop expansion: for actor A, every role arc A -> event e that passes the filter,
// then every role arc B -> e (read from e's in-side) that passes it. Dense scratch arrays indexed
// by vertex replace hash maps: `ev_stamp_` counts each event once per A even when A holds two
// roles in it, `last_ev_` counts each (B, e) once when B does, and `slot_` finds B's accumulator.
// The cost is the sum over A's events of their role counts, independent of the graph's size.
#include "graph/projection.h"

#include <algorithm>

#include "model/vocab.h"

namespace geokg::graph {

ActorLinker::ActorLinker(const CsrGraph& base, ProjectionFilter filter, ActorLinks stored)
    : g_(&base), f_(std::move(filter)), stored_(stored) {
  code_prefix_len_ = static_cast<int>(std::min<size_t>(f_.code_prefix.size(), 4));
  code_prefix_ = PackCode(f_.code_prefix);
  num_actors_ = g_->KindEnd(NodeKind::kActor);  // actors sort first (kind 0)
  trivial_ = f_.edges.AcceptsAll() && code_prefix_len_ == 0 && f_.dir == Dir::kBoth;
  use_stored_ = trivial_ && stored_.present() && stored_.offsets.size() == size_t{num_actors_} + 1;
  slot_.assign(num_actors_, UINT32_MAX);
  last_ev_.assign(num_actors_, kNoVertex);
  ev_stamp_.assign(g_->num_vertices(), 0);
}

bool ActorLinker::RoleOk(const CsrSide& s, uint64_t arc, bool first_end) const {
  const uint8_t t = s.type[arc];
  if (!IsRole(static_cast<EdgeType>(t))) return false;
  if (trivial_) return true;  // skips two scattered loads per arc
  if (!f_.edges.Accepts(t, s.time[arc], s.status[arc])) return false;
  if (f_.dir == Dir::kBoth) return true;
  const bool want_initiator = (f_.dir == Dir::kOut) == first_end;
  return t == static_cast<uint8_t>(want_initiator ? EdgeType::kInitiator : EdgeType::kTarget);
}

bool ActorLinker::EventOk(VertexIndex e) const {
  if (trivial_) return true;  // a role arc always ends at an event (edge-type table)
  return g_->kind(e) == NodeKind::kEvent &&
         CodeHasPrefix(g_->code(e), code_prefix_, code_prefix_len_);
}

std::span<const LinkStats> ActorLinker::Links(VertexIndex a) {
  if (use_stored_ && f_.min_events <= 1)
    return a < num_actors_ ? stored_.Of(a) : std::span<const LinkStats>();
  auto it = cache_.find(a);
  if (it != cache_.end()) return it->second;
  std::vector<LinkStats>& out = cache_[a];
  if (use_stored_) {
    if (a < num_actors_) {
      for (const LinkStats& l : stored_.Of(a)) {
        if (l.relations > 0 || l.events >= f_.min_events) out.push_back(l);
      }
    }
  } else {
    ComputeLinks(a, &out);
  }
  return out;
}

void ActorLinker::ComputeLinks(VertexIndex a, std::vector<LinkStats>* out) {
  out->clear();
  if (a >= num_actors_) return;
  if (++stamp_ == 0) {  // wrapped: forget every old stamp
    std::fill(ev_stamp_.begin(), ev_stamp_.end(), 0);
    stamp_ = 1;
  }
  const CsrSide& o = g_->out();
  const CsrSide& in = g_->in();
  auto slot_for = [&](VertexIndex b) -> LinkStats& {
    if (slot_[b] == UINT32_MAX) {
      slot_[b] = static_cast<uint32_t>(out->size());
      out->push_back(LinkStats{});
      out->back().other = b;
    }
    return (*out)[slot_[b]];
  };
  for (uint64_t x = o.begin(a); x < o.end(a); ++x) {
    const VertexIndex e = o.neighbor[x];
    if (!RoleOk(o, x, true) || !EventOk(e) || ev_stamp_[e] == stamp_) continue;
    ev_stamp_[e] = stamp_;
    const Time t = o.time[x];
    const float gold = g_->goldstein(e);
    const uint8_t quad = g_->quad_class(e);
    for (uint64_t y = in.begin(e); y < in.end(e); ++y) {
      const VertexIndex b = in.neighbor[y];
      if (b == a || b >= num_actors_ || last_ev_[b] == e || !RoleOk(in, y, false)) continue;
      last_ev_[b] = e;
      LinkStats& l = slot_for(b);
      ++l.events;
      if (!std::isnan(gold)) {
        l.goldstein_sum += gold;
        ++l.goldstein_count;
      }
      ++l.quad[quad <= 4 ? quad : 0];
      l.first = std::min(l.first, t);
      l.last = std::max(l.last, t);
    }
  }
  // Relation edges between actors.
  auto relations = [&](const CsrSide& s) {
    for (uint64_t x = s.begin(a); x < s.end(a); ++x) {
      const VertexIndex b = s.neighbor[x];
      const uint8_t t = s.type[x];
      if (b == a || b >= num_actors_ || IsRole(static_cast<EdgeType>(t))) continue;
      if (!f_.edges.Accepts(t, s.time[x], s.status[x])) continue;
      LinkStats& l = slot_for(b);
      ++l.relations;
      if (s.time[x] != kUnknownTime) {
        l.first = std::min(l.first, s.time[x]);
        l.last = std::max(l.last, s.time[x]);
      }
    }
  };
  if (f_.dir != Dir::kIn) relations(o);
  if (f_.dir != Dir::kOut) relations(in);
  for (LinkStats& l : *out) {
    slot_[l.other] = UINT32_MAX;
    last_ev_[l.other] = kNoVertex;
  }
  out->erase(std::remove_if(out->begin(), out->end(),
                            [&](const LinkStats& l) {
                              return l.relations == 0 && l.events < std::max(1u, f_.min_events);
                            }),
             out->end());
  std::sort(out->begin(), out->end(),
            [](const LinkStats& x, const LinkStats& y) { return x.other < y.other; });
}

std::vector<VertexIndex> ActorLinker::SharedEvents(VertexIndex a, VertexIndex b) const {
  std::vector<std::pair<Time, VertexIndex>> found;
  const CsrSide& o = g_->out();
  const CsrSide& in = g_->in();
  if (a >= num_actors_ || b >= num_actors_ || a == b) return {};
  for (uint64_t x = o.begin(a); x < o.end(a); ++x) {
    const VertexIndex e = o.neighbor[x];
    if (!RoleOk(o, x, true) || !EventOk(e)) continue;
    for (uint64_t y = in.begin(e); y < in.end(e); ++y) {
      if (in.neighbor[y] == b && RoleOk(in, y, false)) {
        found.push_back({o.time[x], e});
        break;
      }
    }
  }
  // In time order; an event reached through two of a's roles is kept once.
  std::sort(found.begin(), found.end());
  std::vector<VertexIndex> out;
  for (const auto& [t, e] : found) {
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  }
  return out;
}

std::vector<std::pair<uint8_t, uint64_t>> ActorLinker::Relations(VertexIndex a,
                                                                 VertexIndex b) const {
  std::vector<std::pair<uint8_t, uint64_t>> out;
  for (int side = 0; side < 2; ++side) {
    if ((side == 0 && f_.dir == Dir::kIn) || (side == 1 && f_.dir == Dir::kOut)) continue;
    const CsrSide& s = side == 0 ? g_->out() : g_->in();
    for (uint64_t x = s.begin(a); x < s.end(a); ++x) {
      if (s.neighbor[x] != b || IsRole(static_cast<EdgeType>(s.type[x]))) continue;
      if (f_.edges.Accepts(s.type[x], s.time[x], s.status[x])) {
        out.push_back({static_cast<uint8_t>(side), x});
      }
    }
  }
  return out;
}

ActorLinksArrays ComputeActorLinks(const CsrGraph& base) {
  ActorLinker linker(base, ProjectionFilter{});
  ActorLinksArrays out;
  out.offsets.reserve(size_t{linker.num_actors()} + 1);
  out.offsets.push_back(0);
  std::vector<LinkStats> links;
  for (VertexIndex a = 0; a < linker.num_actors(); ++a) {
    linker.ComputeLinks(a, &links);
    out.links.insert(out.links.end(), links.begin(), links.end());
    out.offsets.push_back(out.links.size());
  }
  return out;
}

Status ValidateActorLinks(const ActorLinks& links, const CsrGraph& base) {
  const VertexIndex n = base.KindEnd(NodeKind::kActor);
  if (links.offsets.size() != size_t{n} + 1) {
    return Status::Corruption("actor links: " + std::to_string(links.offsets.size()) +
                              " offsets for " + std::to_string(n) + " actors");
  }
  if (links.offsets[0] != 0 || links.offsets[n] != links.links.size()) {
    return Status::Corruption("actor links: offsets do not span the links");
  }
  uint64_t bad = 0;
  for (VertexIndex a = 0; a < n; ++a) bad |= links.offsets[a + 1] < links.offsets[a];
  for (const LinkStats& l : links.links) bad |= l.other >= n;
  if (bad != 0)
    return Status::Corruption("actor links: an offset decreases or a link is out of range");
  return Status::OK();
}

Result<ActorGraph> BuildActorGraph(const CsrGraph& base, const ProjectionFilter& filter,
                                   ActorLinks stored) {
  ActorLinker linker(base, filter, stored);
  ActorGraph ag;
  ag.dir = filter.dir;
  CsrBuilder b;
  const VertexIndex n = linker.num_actors();
  for (VertexIndex a = 0; a < n; ++a) b.AddNode(base.node_id(a));
  std::vector<LinkStats> links;
  for (VertexIndex a = 0; a < n; ++a) {
    std::span<const LinkStats> of;
    if (linker.uses_stored()) {
      of = linker.Links(a);
    } else {
      linker.ComputeLinks(a, &links);
      of = links;
    }
    for (const LinkStats& l : of) {
      if (filter.dir == Dir::kBoth && l.other < a) continue;
      ag.links.push_back(l);
      b.AddArc(base.node_id(a), base.node_id(l.other), EdgeType::kRelatedTo, l.first,
               FactStatus::kOccurred, ag.links.size());
    }
  }
  GEOKG_ASSIGN_OR_RETURN(ag.graph, b.Build());
  // The builder keeps each vertex's arcs in insertion order, and arcs were added by source, so
  // out-side arc k is link k.
  return ag;
}

}  // namespace geokg::graph
