#pragma once
// The actor questions behind `geokg actor`: resolving what a user typed (a name in any spelling,
// or a user key such as "actor:kim-jong-un") to one actor, with close-match suggestions when
// nothing matches; and the actor view: who the actor is, its relations, its events grouped by
// CAMEO type with roles, counterparts, status, time and sources, and its statements. Everything
// is read straight from the store (point reads and adjacency scans; no full scans except the
// name index for suggestions). Functions are stateless; safe to call from several threads.

#include <string>
#include <string_view>
#include <vector>

#include "model/types.h"
#include "storage/store.h"
#include "util/status.h"

namespace geokg::query {

// A node as shown to a person.
struct NodeRef {
  NodeId id = kNoNode;
  NodeKind kind = NodeKind::kActor;
  std::string key;    // user key ("actor:vladimir-putin")
  std::string label;  // Node::Label()
};

struct SourceRef {
  NodeId id = kNoNode;
  std::string key;
  std::string title;
  std::string publisher;
  std::string url;
  std::string language;
  Interval published;
};

// --- resolution ----------------------------------------------------------------------------------

struct ActorCandidate {
  NodeRef ref;
  Actor actor;
};

struct ActorResolution {
  std::vector<ActorCandidate> matches;      // exact (normalized) matches: 1 = resolved
  std::vector<ActorCandidate> suggestions;  // when there is no match: close names, best first
};

// Matches `text` as a user key (when it names an actor node, e.g. "actor:kim-jong-un"), else as a
// name or alias through the normalized name index. When nothing matches, suggests up to
// `max_suggestions` actors whose names are within a small edit distance, or whose name tokens
// start with the typed tokens ("putin" -> "Vladimir Putin"). Errors: storage errors only.
Result<ActorResolution> ResolveActor(const storage::Store& store, std::string_view text,
                                     size_t max_suggestions = 5);

// ResolveActor reduced to one id. Errors (both NotFound, so both exit 3 in the CLI):
// `no actor named "x"; did you mean "Y"?` (or `...; no similar names`), and
// `"x" is ambiguous: it names N actors: "A" (actor:a), "B" (actor:b); give a key`.
Result<NodeId> ResolveOneActor(const storage::Store& store, std::string_view text);

// --- the actor view ------------------------------------------------------------------------------

// An edge between the actor and another node that is not an event role: leader_of,
// spokesperson_for, member_of, ally_of, related_to, possesses, statement_about ...
struct RelationView {
  EdgeType type = EdgeType::kRelatedTo;
  bool outgoing = true;  // true: actor --type--> other; false: other --type--> actor
  std::string reading;   // "is leader of" / "is led by", from the edge-type table
  NodeRef other;
  Interval validity;
  FactStatus status = FactStatus::kUnknown;
  float confidence = 1.0f;
  std::string label;
  std::vector<SourceRef> sources;
};

struct Participant {
  NodeRef actor;
  EdgeType role = EdgeType::kParticipant;
  FactStatus status = FactStatus::kUnknown;  // the role edge's status
};

struct EventLink {  // an event's edge to an item or another event
  EdgeType type = EdgeType::kConcerns;
  bool outgoing = true;
  std::string reading;
  NodeRef other;
  std::string label;
};

struct EventView {
  NodeRef ref;
  Event event;
  std::string code_description;           // from the CAMEO codebook ("" if the code is unknown)
  int quad_class = 0;                     // the event's own value, else the codebook's
  std::optional<float> goldstein;         // the event's own value, else the codebook's
  std::vector<Participant> roles;         // the viewed actor's roles in it (empty in event queries)
  std::vector<Participant> participants;  // the other actors (all actors in event queries)
  std::vector<EventLink> links;
  std::vector<SourceRef> sources;
};

struct EventGroup {
  std::string code;  // the CAMEO code shared by the group's events
  std::string description;
  std::vector<EventView> events;  // by time; undated last
};

struct StatementView {
  NodeRef ref;
  Statement statement;
  NodeRef speaker;
  std::vector<NodeRef> about;  // events / nodes the statement is about
  std::vector<SourceRef> sources;
};

struct ActorView {
  NodeRef ref;
  Actor actor;
  std::vector<Provenance> provenance;
  std::vector<SourceRef> sources;  // sources cited by the actor record itself
  std::vector<RelationView> relations;
  std::vector<EventGroup> event_groups;  // by CAMEO code
  size_t event_count = 0;
  std::vector<StatementView> statements;  // by time
};

// Builds the view of actor `actor`. Errors: NotFound if no such actor, Corruption / IOError from
// the store.
Result<ActorView> BuildActorView(const storage::Store& store, NodeId actor);

// Shared with event queries: one event with its participants, links and sources.
Result<EventView> BuildEventView(const storage::Store& store, const Node& event_node,
                                 NodeId viewer = kNoNode);
NodeRef MakeNodeRef(const Node& node);
// The referenced node, or a placeholder labelled "(missing <kind> <hex id>)" when absent.
Result<NodeRef> LoadNodeRef(const storage::Store& store, NodeId id);
// Sources of a record: provenance sources plus `reported_in` targets of `node` (deduplicated).
Result<std::vector<SourceRef>> LoadSources(const storage::Store& store, const Node& node,
                                           const std::vector<Provenance>& extra = {});

}  // namespace geokg::query
