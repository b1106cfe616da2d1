#pragma once
// Plain value types for everything the store holds: nodes (actors, events, sources, statements,
// items) and typed edges. They mirror schema/geokg.capnp field for field; codec/value_codec.h
// converts between the two (enum values equal the schema's ordinals). No I/O here; all types
// are copyable values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/ids.h"

namespace geokg {

enum class TimePrecision : uint8_t {
  kUnknown = 0,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kMonth,
  kYear,
  kImminent,
};

// An interval of instants with the precision it is known to. `start` is the key used for
// ordering; an interval of unknown precision has start == end == kUnknownTime.
struct Interval {
  Time start = kUnknownTime;
  Time end = kUnknownTime;
  TimePrecision precision = TimePrecision::kUnknown;
  bool open_end = false;  // still holds / ongoing

  bool known() const { return precision != TimePrecision::kUnknown; }
  // True if the interval meets [t1, t2] (both inclusive). Unknown intervals meet nothing.
  bool Overlaps(Time t1, Time t2) const;
  bool operator==(const Interval&) const = default;
};

enum class FactStatus : uint8_t {
  kUnknown = 0,
  kOccurred,
  kOngoing,
  kPlanned,
  kReported,
  kClaimed,
  kSpeculated,
  kFeared,
  kPredicted,
  kDenied,
  kCancelled,
};
inline constexpr int kStatusCount = 11;

struct Provenance {
  NodeId source = kNoNode;  // a Source node, or kNoNode
  std::string dataset;
  std::string file;
  uint64_t row = 0;
  std::string record_id;
  std::string story_id;
  int32_t sentence = -1;
  std::string url;
  std::string publisher;
  bool operator==(const Provenance&) const = default;
};

struct ExternalId {
  std::string scheme;
  std::string value;
  bool operator==(const ExternalId&) const = default;
};

struct Location {
  std::string place_name;
  std::string admin1;
  std::string country_iso3;
  std::optional<double> latitude;
  std::optional<double> longitude;
  bool operator==(const Location&) const = default;
};

enum class ActorKind : uint8_t {
  kUnknown = 0,
  kPerson,
  kState,
  kGovernmentBody,
  kOrganization,
  kArmedGroup,
  kPoliticalParty,
  kInternationalOrg,
  kMedia,
  kCompany,
  kGroup,
};
inline constexpr int kActorKindCount = 11;

struct Actor {
  ActorKind kind = ActorKind::kUnknown;
  std::string name;
  std::vector<std::string> aliases;
  std::string country_iso3;
  std::string country_cameo;
  std::vector<std::string> cameo_types;
  std::vector<std::string> sectors;
  std::vector<ExternalId> external_ids;
  std::string description;
  bool operator==(const Actor&) const = default;
};

enum class EdgeType : uint16_t;  // below

// An actor's role in an event, kept in the event itself (bulk imports): see Event::participants.
struct Participant {
  EdgeType role{};  // a role type (IsRole); {} is kInitiator
  NodeId actor = kNoNode;
  auto operator<=>(const Participant&) const = default;
};

struct Event {
  std::string cameo_code;
  std::string plover_type;
  Interval time;
  Location location;
  FactStatus status = FactStatus::kUnknown;
  float confidence = 1.0f;
  std::string summary;
  std::optional<float> goldstein;     // the source's own value, when it gives one
  std::optional<uint8_t> quad_class;  // likewise
  // Role edges (actor -> event) that the event itself records, sorted, none twice: each is an
  // owned edge without payload (id MakeOwnedEdgeId(event, role, actor, event), the event's time,
  // status and confidence) whose actor side is an `out` entry and whose event side is read from
  // this list instead of an `in` entry. Bulk imports write roles this way: two keys fewer per
  // event. Curated records declare roles as edges instead and leave this empty.
  std::vector<Participant> participants;
  bool operator==(const Event&) const = default;
};

struct Source {
  std::string title;
  std::string publisher;
  std::string url;
  std::string language;
  Interval published;
  bool operator==(const Source&) const = default;
};

struct Statement {
  NodeId speaker = kNoNode;
  std::string quote;
  std::string language;
  std::string translation;
  Interval time;
  NodeId source = kNoNode;
  bool operator==(const Statement&) const = default;
};

struct Item {
  std::string name;
  std::vector<std::string> aliases;
  std::string category;
  std::string description;
  bool operator==(const Item&) const = default;
};

// A node: its id, stable user key, provenance and kind-specific body. id == MakeNodeId(kind, key).
struct Node {
  NodeId id = kNoNode;
  std::string key;
  std::vector<Provenance> provenance;
  std::variant<Actor, Event, Source, Statement, Item> body;

  NodeKind kind() const { return static_cast<NodeKind>(body.index()); }
  // The human label: an actor's or item's name, an event's summary (or code), a source's title,
  // a statement's quote.
  std::string Label() const;
  bool operator==(const Node&) const = default;
};

enum class EdgeType : uint16_t {
  kInitiator = 0,
  kTarget,
  kParticipant,
  kHost,
  kVisitor,
  kSpeaker,
  kMentioned,
  kSupplies,
  kRequests,
  kConcerns,
  kLeadsTo,
  kFollows,
  kPartOf,
  kLeaderOf,
  kSpokespersonFor,
  kMemberOf,
  kActorPartOf,
  kAllyOf,
  kRivalOf,
  kStatementAbout,
  kPossesses,
  kRelatedTo,
  kReportedIn,
};
inline constexpr int kEdgeTypeCount = 23;

// A typed, directed edge. For role edges (actor -> event) `validity` is the event's time.
struct Edge {
  EdgeId id = 0;
  EdgeType type = EdgeType::kRelatedTo;
  NodeId src = kNoNode;
  NodeId dst = kNoNode;
  Interval validity;
  FactStatus status = FactStatus::kUnknown;
  float confidence = 1.0f;
  std::string label;
  std::vector<Provenance> provenance;
  NodeId owner = kNoNode;  // the node whose record declared this edge, or kNoNode
  std::string key;         // user key of a standalone relation record
  bool operator==(const Edge&) const = default;
};

// The identity of an edge: an owned edge is identified by (owner, type, src, dst); a standalone
// relation by its user key. Stable across reloads so that loading a record again rewrites the
// same edge.
EdgeId MakeOwnedEdgeId(NodeId owner, EdgeType type, NodeId src, NodeId dst);
EdgeId MakeKeyedEdgeId(std::string_view key);

}  // namespace geokg
