#include "query/actor_view.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "model/cameo.h"
#include "model/vocab.h"
#include "util/normalize.h"

namespace geokg::query {
namespace {

using storage::AdjEntry;
using storage::AdjQuery;
using storage::Direction;
using storage::Store;

std::string HexId(NodeId id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id));
  return buf;
}

std::vector<std::string> Tokens(std::string_view normalized) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < normalized.size()) {
    size_t j = normalized.find(' ', i);
    if (j == std::string_view::npos) j = normalized.size();
    if (j > i) out.emplace_back(normalized.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// How well a normalized name `n` matches what the user typed (normalized `q`, tokens `qt`):
// lower is better, -1 for no match. Whole-name typos score 1..3 (their edit distance), names
// whose tokens start with every typed token (or are one typo away from it) 10+, names that
// merely contain the typed text 20.
int MatchScore(std::string_view q, const std::vector<std::string>& qt, std::string_view n) {
  const int limit = q.size() <= 4 ? 1 : q.size() <= 8 ? 2 : 3;
  const int d = EditDistance(q, n, limit);
  if (d <= limit) return d;
  const std::vector<std::string> nt = Tokens(n);
  bool all = !qt.empty();
  for (const auto& t : qt) {
    bool found = false;
    for (const auto& u : nt) {
      if ((t.size() >= 2 && u.compare(0, t.size(), t) == 0) ||
          (t.size() >= 4 && EditDistance(t, u, 1) <= 1)) {
        found = true;
        break;
      }
    }
    if (!found) {
      all = false;
      break;
    }
  }
  if (all) return 10 + static_cast<int>(nt.size() > qt.size() ? nt.size() - qt.size() : 0);
  if (q.size() >= 3 && n.find(q) != std::string_view::npos) return 20;
  return -1;
}

Result<std::optional<ActorCandidate>> LoadActor(const Store& store, NodeId id) {
  if (!IsValidNodeId(id) || KindOf(id) != NodeKind::kActor) return std::optional<ActorCandidate>();
  GEOKG_ASSIGN_OR_RETURN(auto node, store.GetNode(id));
  if (!node || node->kind() != NodeKind::kActor) return std::optional<ActorCandidate>();
  return std::optional<ActorCandidate>(
      ActorCandidate{MakeNodeRef(*node), std::get<Actor>(node->body)});
}

std::string Quoted(const ActorCandidate& c) { return "\"" + c.ref.label + "\""; }

// "A", "B" or "C"
std::string JoinAlternatives(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

// Display order of roles: who acted first, then who was acted on, then the rest.
int RoleRank(EdgeType t) { return static_cast<int>(t); }

bool EventTimeLess(const EventView& a, const EventView& b) {
  return std::tie(a.event.time.start, a.ref.key) < std::tie(b.event.time.start, b.ref.key);
}

}  // namespace

NodeRef MakeNodeRef(const Node& node) {
  return NodeRef{node.id, node.kind(), node.key, node.Label()};
}

Result<NodeRef> LoadNodeRef(const Store& store, NodeId id) {
  GEOKG_ASSIGN_OR_RETURN(auto node, store.GetNode(id));
  if (node) return MakeNodeRef(*node);
  NodeRef ref;
  ref.id = id;
  ref.kind = IsValidNodeId(id) ? KindOf(id) : NodeKind::kActor;
  ref.label = "(missing " + std::string(NodeKindName(ref.kind)) + " " + HexId(id) + ")";
  return ref;
}

namespace {

// Sources named by provenance entries and by explicit ids, deduplicated in first-seen order.
// Provenance without a Source node (imported rows) becomes a SourceRef without id whose title
// names the dataset and row.
Result<std::vector<SourceRef>> CollectSources(const Store& store,
                                              const std::vector<Provenance>& provenance,
                                              std::vector<NodeId> ids) {
  std::vector<SourceRef> out;
  std::vector<SourceRef> anonymous;
  for (const auto& p : provenance) {
    if (p.source != kNoNode) {
      ids.push_back(p.source);
      continue;
    }
    if (p.dataset.empty() && p.url.empty() && p.publisher.empty()) continue;
    SourceRef s;
    s.title = p.dataset;
    if (!p.file.empty()) s.title += (s.title.empty() ? "" : " ") + p.file;
    if (p.row > 0) s.title += ":" + std::to_string(p.row);
    if (!p.record_id.empty()) s.title += " (id " + p.record_id + ")";
    s.publisher = p.publisher;
    s.url = p.url;
    anonymous.push_back(std::move(s));
  }
  std::set<NodeId> seen;
  for (NodeId id : ids) {
    if (id == kNoNode || !seen.insert(id).second) continue;
    GEOKG_ASSIGN_OR_RETURN(auto node, store.GetNode(id));
    SourceRef s;
    s.id = id;
    if (node && node->kind() == NodeKind::kSource) {
      const auto& src = std::get<Source>(node->body);
      s.key = node->key;
      s.title = src.title;
      s.publisher = src.publisher;
      s.url = src.url;
      s.language = src.language;
      s.published = src.published;
    } else {
      s.title = "(missing source " + HexId(id) + ")";
    }
    out.push_back(std::move(s));
  }
  for (auto& a : anonymous) {
    bool dup = std::any_of(out.begin(), out.end(), [&](const SourceRef& s) {
      return s.id == kNoNode && s.title == a.title && s.url == a.url && s.publisher == a.publisher;
    });
    if (!dup) out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<NodeId>> ReportedIn(const Store& store, NodeId node) {
  std::vector<NodeId> ids;
  AdjQuery q;
  q.type = EdgeType::kReportedIn;
  GEOKG_RETURN_IF_ERROR(store.ScanAdjacency(node, Direction::kOut, q, [&](const AdjEntry& e) {
    ids.push_back(e.neighbor);
    return true;
  }));
  return ids;
}

}  // namespace

Result<std::vector<SourceRef>> LoadSources(const Store& store, const Node& node,
                                           const std::vector<Provenance>& extra) {
  std::vector<Provenance> all = node.provenance;
  all.insert(all.end(), extra.begin(), extra.end());
  GEOKG_ASSIGN_OR_RETURN(std::vector<NodeId> ids, ReportedIn(store, node.id));
  if (const auto* st = std::get_if<Statement>(&node.body); st != nullptr && st->source != kNoNode) {
    ids.insert(ids.begin(), st->source);
  }
  return CollectSources(store, all, std::move(ids));
}

Result<ActorResolution> ResolveActor(const Store& store, std::string_view text,
                                     size_t max_suggestions) {
  ActorResolution res;
  std::set<NodeId> seen;
  auto add_match = [&](NodeId id) -> Status {
    if (!seen.insert(id).second) return Status::OK();
    GEOKG_ASSIGN_OR_RETURN(auto cand, LoadActor(store, id));
    if (cand) res.matches.push_back(std::move(*cand));
    return Status::OK();
  };
  // A user key first: "actor:kim-jong-un" is unambiguous by construction.
  if (text.find(':') != std::string_view::npos) {
    GEOKG_ASSIGN_OR_RETURN(auto id, store.LookupKey(text));
    if (id) GEOKG_RETURN_IF_ERROR(add_match(*id));
    if (!res.matches.empty()) return res;
  }
  GEOKG_ASSIGN_OR_RETURN(std::vector<NodeId> ids, store.FindByName(text));
  for (NodeId id : ids) GEOKG_RETURN_IF_ERROR(add_match(id));
  if (!res.matches.empty() || max_suggestions == 0) return res;

  // Nothing matched: rank every actor name in the index by closeness.
  const std::string q = NormalizeName(text);
  if (q.empty()) return res;
  const std::vector<std::string> qt = Tokens(q);
  std::map<NodeId, std::pair<int, std::string>> best;  // id -> (score, normalized name)
  GEOKG_RETURN_IF_ERROR(store.ScanNames([&](std::string_view n, NodeId id) {
    if (KindOf(id) != NodeKind::kActor) return true;
    const int score = MatchScore(q, qt, n);
    if (score < 0) return true;
    auto it = best.find(id);
    if (it == best.end() || score < it->second.first) best[id] = {score, std::string(n)};
    return true;
  }));
  std::vector<std::tuple<int, std::string, NodeId>> ranked;
  for (const auto& [id, sn] : best) ranked.emplace_back(sn.first, sn.second, id);
  std::sort(ranked.begin(), ranked.end());
  for (const auto& [score, name, id] : ranked) {
    if (res.suggestions.size() >= max_suggestions) break;
    GEOKG_ASSIGN_OR_RETURN(auto cand, LoadActor(store, id));
    if (cand) res.suggestions.push_back(std::move(*cand));
  }
  return res;
}

Result<NodeId> ResolveOneActor(const Store& store, std::string_view text) {
  GEOKG_ASSIGN_OR_RETURN(ActorResolution res, ResolveActor(store, text));
  if (res.matches.size() == 1) return res.matches[0].ref.id;
  if (res.matches.empty()) {
    std::string msg = "no actor named \"" + std::string(text) + "\"";
    if (res.suggestions.empty()) return Status::NotFound(msg + "; no similar names");
    // Name the key too when two suggestions share a name.
    std::vector<std::string> names;
    for (const auto& s : res.suggestions) {
      const bool twin =
          std::count_if(res.suggestions.begin(), res.suggestions.end(),
                        [&](const ActorCandidate& o) { return o.ref.label == s.ref.label; }) > 1;
      names.push_back(Quoted(s) + (twin ? " (" + s.ref.key + ")" : ""));
    }
    return Status::NotFound(msg + "; did you mean " + JoinAlternatives(names) + "?");
  }
  std::vector<std::string> names;
  for (const auto& m : res.matches) names.push_back(Quoted(m) + " (" + m.ref.key + ")");
  return Status::NotFound("\"" + std::string(text) + "\" is ambiguous: it names " +
                          std::to_string(res.matches.size()) +
                          " actors: " + JoinAlternatives(names) + "; give one of the keys instead");
}

Result<EventView> BuildEventView(const Store& store, const Node& event_node, NodeId viewer) {
  EventView v;
  v.ref = MakeNodeRef(event_node);
  v.event = std::get<Event>(event_node.body);
  if (const CameoEventCode* c = Codebook::Default().Find(v.event.cameo_code)) {
    v.code_description = c->description;
    v.quad_class = c->quad_class;
    v.goldstein = c->goldstein;
  }
  if (v.event.quad_class) v.quad_class = *v.event.quad_class;
  if (v.event.goldstein) v.goldstein = *v.event.goldstein;

  Status st = Status::OK();
  // In-edges: actors' roles, and events / statements pointing here.
  GEOKG_RETURN_IF_ERROR(
      store.ScanAdjacency(event_node.id, Direction::kIn, AdjQuery{}, [&](const AdjEntry& e) {
        auto ref = LoadNodeRef(store, e.neighbor);
        if (!ref.ok()) {
          st = ref.status();
          return false;
        }
        if (IsRole(e.type) && KindOf(e.neighbor) == NodeKind::kActor) {
          Participant p{std::move(*ref), e.type, e.status};
          (e.neighbor == viewer ? v.roles : v.participants).push_back(std::move(p));
        } else {
          v.links.push_back(
              EventLink{e.type, false, std::string(InfoOf(e.type).inverse), std::move(*ref), ""});
        }
        return true;
      }));
  GEOKG_RETURN_IF_ERROR(st);
  // Out-edges: items and events (sources are collected below).
  GEOKG_RETURN_IF_ERROR(
      store.ScanAdjacency(event_node.id, Direction::kOut, AdjQuery{}, [&](const AdjEntry& e) {
        if (e.type == EdgeType::kReportedIn) return true;
        auto ref = LoadNodeRef(store, e.neighbor);
        if (!ref.ok()) {
          st = ref.status();
          return false;
        }
        std::string label;
        if (e.has_payload) {
          auto edge = store.LoadEdge(e, Direction::kOut);
          if (!edge.ok()) {
            st = edge.status();
            return false;
          }
          label = edge->label;
        }
        v.links.push_back(EventLink{e.type, true, std::string(InfoOf(e.type).verb), std::move(*ref),
                                    std::move(label)});
        return true;
      }));
  GEOKG_RETURN_IF_ERROR(st);
  auto by_role = [](const Participant& a, const Participant& b) {
    return std::make_tuple(RoleRank(a.role), a.actor.label) <
           std::make_tuple(RoleRank(b.role), b.actor.label);
  };
  std::sort(v.roles.begin(), v.roles.end(), by_role);
  std::sort(v.participants.begin(), v.participants.end(), by_role);
  GEOKG_ASSIGN_OR_RETURN(v.sources, LoadSources(store, event_node));
  return v;
}

Result<ActorView> BuildActorView(const Store& store, NodeId actor) {
  GEOKG_ASSIGN_OR_RETURN(auto node, store.GetNode(actor));
  if (!node || node->kind() != NodeKind::kActor) {
    return Status::NotFound("no actor with id " + HexId(actor));
  }
  ActorView view;
  view.ref = MakeNodeRef(*node);
  view.actor = std::get<Actor>(node->body);
  view.provenance = node->provenance;
  GEOKG_ASSIGN_OR_RETURN(view.sources, CollectSources(store, node->provenance, {}));

  std::vector<NodeId> event_ids;
  std::vector<NodeId> statement_ids;
  std::vector<std::pair<AdjEntry, Direction>> relation_entries;
  GEOKG_RETURN_IF_ERROR(
      store.ScanAdjacency(actor, Direction::kOut, AdjQuery{}, [&](const AdjEntry& e) {
        if (e.type == EdgeType::kSpeaker) {
          statement_ids.push_back(e.neighbor);
        } else if (IsRole(e.type) && KindOf(e.neighbor) == NodeKind::kEvent) {
          event_ids.push_back(e.neighbor);
        } else {
          relation_entries.emplace_back(e, Direction::kOut);
        }
        return true;
      }));
  GEOKG_RETURN_IF_ERROR(
      store.ScanAdjacency(actor, Direction::kIn, AdjQuery{}, [&](const AdjEntry& e) {
        relation_entries.emplace_back(e, Direction::kIn);
        return true;
      }));

  for (const auto& [entry, dir] : relation_entries) {
    GEOKG_ASSIGN_OR_RETURN(Edge edge, store.LoadEdge(entry, dir));
    RelationView r;
    r.type = edge.type;
    r.outgoing = dir == Direction::kOut;
    r.reading = std::string(r.outgoing ? InfoOf(edge.type).verb : InfoOf(edge.type).inverse);
    GEOKG_ASSIGN_OR_RETURN(r.other, LoadNodeRef(store, entry.neighbor));
    r.validity = edge.validity;
    r.status = edge.status;
    r.confidence = edge.confidence;
    r.label = edge.label;
    GEOKG_ASSIGN_OR_RETURN(r.sources, CollectSources(store, edge.provenance, {}));
    view.relations.push_back(std::move(r));
  }
  std::stable_sort(view.relations.begin(), view.relations.end(),
                   [](const RelationView& a, const RelationView& b) {
                     return std::make_tuple(a.type, !a.outgoing, a.validity.start, a.other.label) <
                            std::make_tuple(b.type, !b.outgoing, b.validity.start, b.other.label);
                   });

  // An actor with several roles in one event has one adjacency entry per role.
  std::sort(event_ids.begin(), event_ids.end());
  event_ids.erase(std::unique(event_ids.begin(), event_ids.end()), event_ids.end());
  std::map<std::string, EventGroup> groups;
  for (NodeId id : event_ids) {
    GEOKG_ASSIGN_OR_RETURN(auto ev, store.GetNode(id));
    if (!ev || ev->kind() != NodeKind::kEvent) continue;  // a dangling role edge: nothing to show
    GEOKG_ASSIGN_OR_RETURN(EventView v, BuildEventView(store, *ev, actor));
    EventGroup& g = groups[v.event.cameo_code];
    if (g.code.empty()) {
      g.code = v.event.cameo_code;
      g.description = v.code_description;
    }
    g.events.push_back(std::move(v));
    ++view.event_count;
  }
  for (auto& [code, g] : groups) {
    std::sort(g.events.begin(), g.events.end(), EventTimeLess);
    view.event_groups.push_back(std::move(g));
  }

  std::sort(statement_ids.begin(), statement_ids.end());
  statement_ids.erase(std::unique(statement_ids.begin(), statement_ids.end()), statement_ids.end());
  for (NodeId id : statement_ids) {
    GEOKG_ASSIGN_OR_RETURN(auto sn, store.GetNode(id));
    if (!sn || sn->kind() != NodeKind::kStatement) continue;
    StatementView s;
    s.ref = MakeNodeRef(*sn);
    s.statement = std::get<Statement>(sn->body);
    GEOKG_ASSIGN_OR_RETURN(
        s.speaker,
        LoadNodeRef(store, s.statement.speaker != kNoNode ? s.statement.speaker : actor));
    std::vector<NodeId> about;
    GEOKG_RETURN_IF_ERROR(
        store.ScanAdjacency(id, Direction::kOut, AdjQuery{}, [&](const AdjEntry& e) {
          if (e.type != EdgeType::kReportedIn) about.push_back(e.neighbor);
          return true;
        }));
    for (NodeId a : about) {
      GEOKG_ASSIGN_OR_RETURN(NodeRef ref, LoadNodeRef(store, a));
      s.about.push_back(std::move(ref));
    }
    GEOKG_ASSIGN_OR_RETURN(s.sources, LoadSources(store, *sn));
    view.statements.push_back(std::move(s));
  }
  std::sort(view.statements.begin(), view.statements.end(),
            [](const StatementView& a, const StatementView& b) {
              return std::tie(a.statement.time.start, a.ref.key) <
                     std::tie(b.statement.time.start, b.ref.key);
            });
  return view;
}

}  // namespace geokg::query
