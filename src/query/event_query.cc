#include "query/event_query.h"

#include <algorithm>
#include <utility>

#include "model/cameo.h"
#include "model/vocab.h"

namespace geokg::query {
namespace {

using storage::AdjEntry;
using storage::AdjQuery;
using storage::Direction;
using storage::Store;

// The actor -> event role types (speaker points at statements, not events).
constexpr EdgeType kEventRoles[] = {EdgeType::kInitiator,   EdgeType::kTarget,
                                    EdgeType::kParticipant, EdgeType::kHost,
                                    EdgeType::kVisitor,     EdgeType::kMentioned};

// CAMEO roots of a QuadClass (01-05: 1, 06-09: 2, 10-14: 3, 15-20: 4).
std::vector<std::string> RootsOfQuadClass(int quad_class) {
  std::vector<std::string> roots;
  for (int r = 1; r <= 20; ++r) {
    std::string root = (r < 10 ? "0" : "") + std::to_string(r);
    if (Codebook::QuadClassOfRoot(root) == quad_class) roots.push_back(root);
  }
  return roots;
}

int EffectiveQuadClass(const Event& e) {
  if (e.quad_class) return *e.quad_class;
  const CameoEventCode* c = Codebook::Default().Find(e.cameo_code);
  return c != nullptr ? c->quad_class : 0;
}

bool Matches(const Event& e, const EventFilter& f) {
  if (!f.code_prefix.empty() && e.cameo_code.compare(0, f.code_prefix.size(), f.code_prefix) != 0) {
    return false;
  }
  if (f.quad_class != 0 && EffectiveQuadClass(e) != f.quad_class) return false;
  const Time t = e.time.known() ? e.time.start : kUnknownTime;
  if (t < f.from || t > f.to) return false;
  if (!f.statuses.empty() &&
      std::find(f.statuses.begin(), f.statuses.end(), e.status) == f.statuses.end()) {
    return false;
  }
  return true;
}

}  // namespace

Status ValidateCodePrefix(std::string_view prefix) {
  if (prefix.empty()) return Status::OK();
  for (char c : prefix) {
    if (c < '0' || c > '9') {
      return Status::InvalidArgument("CAMEO code prefix \"" + std::string(prefix) +
                                     "\" must be digits (e.g. \"04\", \"043\")");
    }
  }
  const auto& codes = Codebook::Default().EventCodes();
  const bool known = std::any_of(codes.begin(), codes.end(), [&](const CameoEventCode& c) {
    return c.code.compare(0, prefix.size(), prefix) == 0;
  });
  if (!known) {
    return Status::InvalidArgument("unknown CAMEO code prefix \"" + std::string(prefix) +
                                   "\" (no code of the CAMEO codebook starts with it)");
  }
  return Status::OK();
}

Result<std::vector<FactStatus>> ParseStatusList(std::string_view text) {
  std::vector<FactStatus> out;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = text.find(',', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view name = text.substr(i, j - i);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) {
      FactStatus s;
      if (!ParseStatus(name, &s)) {
        std::string valid;
        for (auto n : AllStatusNames()) valid += (valid.empty() ? "" : ", ") + std::string(n);
        return Status::InvalidArgument("unknown status \"" + std::string(name) +
                                       "\" (valid: " + valid + ")");
      }
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    i = j + 1;
  }
  if (out.empty()) return Status::InvalidArgument("empty status list");
  return out;
}

Result<EventQueryResult> QueryEvents(const Store& store, const EventFilter& filter) {
  GEOKG_RETURN_IF_ERROR(ValidateCodePrefix(filter.code_prefix));
  if (filter.quad_class < 0 || filter.quad_class > 4) {
    return Status::InvalidArgument("QuadClass " + std::to_string(filter.quad_class) +
                                   " is out of range (1..4)");
  }
  if (filter.from > filter.to) {
    return Status::InvalidArgument("the time window is empty (--from is after --to)");
  }
  EventQueryResult result;
  const size_t limit = filter.limit == 0 ? SIZE_MAX : filter.limit;

  // Loads, filters and keeps candidate events in the order given; false once past the limit.
  Status st = Status::OK();
  auto consider = [&](NodeId id) -> bool {
    auto node = store.GetNode(id);
    if (!node.ok()) {
      st = node.status();
      return false;
    }
    if (!*node || (*node)->kind() != NodeKind::kEvent) return true;  // stale index entry
    if (!Matches(std::get<Event>((*node)->body), filter)) return true;
    if (result.events.size() >= limit) {
      result.more = true;
      return false;
    }
    auto view = BuildEventView(store, **node);
    if (!view.ok()) {
      st = view.status();
      return false;
    }
    result.events.push_back(std::move(*view));
    return true;
  };

  if (filter.actors.empty() && filter.code_prefix.empty() && filter.quad_class == 0) {
    // The merged scan yields time order: stop as soon as the limit is passed.
    result.plan = "event index by code, merged into time order";
    GEOKG_RETURN_IF_ERROR(store.ScanEventsByTime(filter.from, filter.to,
                                                 [&](NodeId id, Time) { return consider(id); }));
    GEOKG_RETURN_IF_ERROR(st);
    return result;
  }

  std::vector<std::pair<Time, NodeId>> candidates;
  if (!filter.actors.empty()) {
    std::vector<NodeId> actors = filter.actors;
    std::sort(actors.begin(), actors.end());
    actors.erase(std::unique(actors.begin(), actors.end()), actors.end());
    result.plan = actors.size() == 1 ? "actor role adjacency"
                                     : "actor role adjacency of " + std::to_string(actors.size()) +
                                           " actors, intersected";
    // The first actor's events, then only those every other actor has a role in too.
    std::vector<NodeId> others;
    for (size_t i = 0; i < actors.size(); ++i) {
      others.clear();
      for (EdgeType role : kEventRoles) {
        AdjQuery q;
        q.type = role;
        q.t1 = filter.from;
        q.t2 = filter.to;
        GEOKG_RETURN_IF_ERROR(
            store.ScanAdjacency(actors[i], Direction::kOut, q, [&](const AdjEntry& e) {
              if (KindOf(e.neighbor) != NodeKind::kEvent) return true;
              if (i == 0) {
                candidates.emplace_back(e.time, e.neighbor);
              } else {
                others.push_back(e.neighbor);
              }
              return true;
            }));
      }
      if (i == 0) continue;
      std::sort(others.begin(), others.end());
      std::erase_if(candidates, [&](const std::pair<Time, NodeId>& c) {
        return !std::binary_search(others.begin(), others.end(), c.second);
      });
    }
  } else {
    std::vector<std::string> prefixes;
    if (!filter.code_prefix.empty()) {
      result.plan = "event index by code";
      prefixes.push_back(filter.code_prefix);
    } else {
      result.plan =
          "event index by code (roots of QuadClass " + std::to_string(filter.quad_class) + ")";
      prefixes = RootsOfQuadClass(filter.quad_class);
    }
    for (const auto& p : prefixes) {
      GEOKG_RETURN_IF_ERROR(store.ScanEventsByCode(p, filter.from, filter.to,
                                                   [&](NodeId id, std::string_view, Time t) {
                                                     candidates.emplace_back(t, id);
                                                     return true;
                                                   }));
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  NodeId previous = kNoNode;
  for (const auto& [t, id] : candidates) {
    if (id == previous) continue;  // one event reached through two roles at different times
    previous = id;
    if (!consider(id)) break;
  }
  GEOKG_RETURN_IF_ERROR(st);
  // Role edges of one event normally share its time; if they did not, a second pass keeps the
  // promised order.
  std::stable_sort(result.events.begin(), result.events.end(),
                   [](const EventView& a, const EventView& b) {
                     return std::make_pair(a.event.time.start, a.ref.id) <
                            std::make_pair(b.event.time.start, b.ref.id);
                   });
  return result;
}

Result<EventStats> ComputeEventStats(const Store& store) {
  EventStats stats;
  const Codebook& cb = Codebook::Default();
  GEOKG_RETURN_IF_ERROR(store.ScanEventsByCode(
      "", kMinTime, kUnknownTime, [&](NodeId, std::string_view code, Time t) {
        ++stats.events;
        const CameoEventCode* c = cb.Find(code);
        const std::string root = c != nullptr ? c->root : "??";
        ++stats.by_root[root];
        ++stats.by_quad_class[c != nullptr ? Codebook::QuadClassOfRoot(root) : 0];
        if (t == kUnknownTime) {
          ++stats.undated;
        } else {
          if (stats.first == kUnknownTime || t < stats.first) stats.first = t;
          if (stats.last == kUnknownTime || t > stats.last) stats.last = t;
        }
        return true;
      }));
  return stats;
}

}  // namespace geokg::query
