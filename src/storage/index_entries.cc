// Entries of a node / an edge: the one definition, used by Store::Write and BulkWriter alike.
#include "storage/index_entries.h"

#include <algorithm>

#include "codec/value_codec.h"
#include "util/normalize.h"

namespace geokg::storage {

std::set<std::string> IndexedNamesOf(const Node& node) {
  std::set<std::string> out;
  auto add = [&](const std::string& n) {
    std::string norm = NormalizeName(n);
    if (!norm.empty()) out.insert(std::move(norm));
  };
  if (const auto* a = std::get_if<Actor>(&node.body)) {
    add(a->name);
    for (const auto& al : a->aliases) add(al);
  } else if (const auto* i = std::get_if<Item>(&node.body)) {
    add(i->name);
    for (const auto& al : i->aliases) add(al);
  }
  return out;
}

std::vector<std::string> EventIndexKeysOf(const Node& node) {
  std::vector<std::string> out;
  if (const auto* e = std::get_if<Event>(&node.body)) {
    out.push_back(codec::EventByCodeKey(e->cameo_code, e->time.start, node.id));
  }
  return out;
}

namespace {
// The `out` entry key of `e` (kAdjKeySize bytes at `out`): its source's side.
void OutKeyTo(const Edge& e, char* out) {
  codec::EncodeAdjKeyTo({e.src, e.type, e.validity.start, e.dst, e.id}, out);
}
}  // namespace

void NodeEntries(const Node& node, const EntrySink& sink, bool with_value) {
  if (with_value) {
    // One buffer per thread, reused: bulk imports encode a node per fact (the sink copies).
    thread_local std::string value;
    codec::EncodeNodeTo(node, &value);
    sink(Cf::kNodes, codec::NodeKey(node.id), value);
  }
  for (const auto& name : IndexedNamesOf(node)) {
    sink(Cf::kNames, codec::NameKey(name, node.id), "");
  }
  // The key of EventIndexKeysOf, built on the stack (bulk imports write one per fact).
  if (const auto* e = std::get_if<Event>(&node.body)) {
    char key[codec::kEventByCodeKeySize];
    EventIndexEntryTo(node.id, *e, key);
    sink(Cf::kEventIndex, std::string_view(key, codec::kEventByCodeKeySize), "");
    thread_local std::string value;
    for (const Participant& p : e->participants) {
      char adj[codec::kAdjKeySize];
      ParticipantOutEntryTo(node.id, *e, p, adj, &value);
      sink(Cf::kOut, std::string_view(adj, sizeof(adj)), value);
    }
  }
}

void EventIndexEntryTo(NodeId id, const Event& ev, char* key) {
  codec::EncodeEventByCodeKeyTo(ev.cameo_code, ev.time.start, id, key);
}

void ParticipantOutEntryTo(NodeId id, const Event& ev, const Participant& p, char* key,
                           std::string* value) {
  // ParticipantEdge's key and AdjValueOf's value, without building the Edge (bulk imports derive
  // two per fact): source the actor, destination and owner the event, the event's time.
  codec::EncodeAdjKeyTo(
      {p.actor, p.role, ev.time.start, id, MakeOwnedEdgeId(id, p.role, p.actor, id)}, key);
  *value = codec::EncodeAdjValue(AdjValueFor(ev.status, ev.confidence, false));
}

Edge ParticipantEdge(NodeId event, const Event& ev, const Participant& p) {
  Edge e;
  e.type = p.role;
  e.src = p.actor;
  e.dst = event;
  e.owner = event;
  e.id = MakeOwnedEdgeId(event, p.role, p.actor, event);
  e.validity = ev.time;
  e.status = ev.status;
  e.confidence = ev.confidence;
  return e;
}

std::vector<std::string> ParticipantOutKeys(const Node& node) {
  std::vector<std::string> out;
  if (const auto* e = std::get_if<Event>(&node.body)) {
    for (const Participant& p : e->participants) {
      char adj[codec::kAdjKeySize];
      OutKeyTo(ParticipantEdge(node.id, *e, p), adj);
      out.emplace_back(adj, sizeof(adj));
    }
  }
  return out;
}

void ParticipantInEntries(NodeId event, const codec::EventRoles& roles,
                          std::vector<AdjEntry>* out) {
  out->clear();
  Event ev;
  ev.time = roles.time;
  ev.status = roles.status;
  ev.confidence = roles.confidence;
  for (const Participant& p : roles.participants) {
    const Edge edge = ParticipantEdge(event, ev, p);
    const codec::AdjValue v = AdjValueOf(edge, false);
    AdjEntry a;
    a.node = event;
    a.type = edge.type;
    a.time = edge.validity.start;
    a.neighbor = edge.src;
    a.edge = edge.id;
    a.status = v.status;
    a.confidence_pct = v.confidence_pct;
    a.has_payload = false;
    out->push_back(a);
  }
  // Participants are sorted by (role, actor) and share the time: entry-key order but for the
  // edge id, which breaks no tie (one edge per role and actor).
}

codec::AdjValue AdjValueOf(const Edge& e, bool has_payload) {
  return AdjValueFor(e.status, e.confidence, has_payload);
}

codec::AdjValue AdjValueFor(FactStatus status, float confidence, bool has_payload) {
  codec::AdjValue v;
  v.status = status;
  float c = confidence;
  if (!(c >= 0.0f)) c = 0.0f;
  if (c > 1.0f) c = 1.0f;
  v.confidence_pct = static_cast<uint8_t>(c * 100.0f + 0.5f);
  v.has_payload = has_payload;
  return v;
}

void EdgeEntries(const Edge& e, bool with_payload, const EntrySink& sink) {
  std::string value = codec::EncodeAdjValue(AdjValueOf(e, with_payload));
  char key[codec::kAdjKeySize];
  OutKeyTo(e, key);
  sink(Cf::kOut, std::string_view(key, sizeof(key)), value);
  codec::EncodeAdjKeyTo({e.dst, e.type, e.validity.start, e.src, e.id}, key);
  sink(Cf::kIn, std::string_view(key, sizeof(key)), value);
  if (with_payload) sink(Cf::kEdges, codec::EdgeKey(e.id), codec::EncodeEdge(e));
}

}  // namespace geokg::storage
