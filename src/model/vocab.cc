#include "model/vocab.h"

#include <array>
#include <cassert>

namespace geokg {
namespace {

constexpr std::array<std::string_view, kStatusCount> kStatusNames = {
    "unknown",    "occurred", "ongoing",   "planned", "reported", "claimed",
    "speculated", "feared",   "predicted", "denied",  "cancelled"};
constexpr std::array<std::string_view, 8> kPrecisionNames = {
    "unknown", "second", "minute", "hour", "day", "month", "year", "imminent"};
constexpr std::array<std::string_view, kActorKindCount> kActorKindNames = {"unknown",
                                                                           "person",
                                                                           "state",
                                                                           "government_body",
                                                                           "organization",
                                                                           "armed_group",
                                                                           "political_party",
                                                                           "international_org",
                                                                           "media",
                                                                           "company",
                                                                           "group"};

template <typename E, size_t N>
bool ParseByName(const std::array<std::string_view, N>& names, std::string_view s, E* out) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) {
      *out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

using K = NodeKind;
using T = EdgeType;
const std::vector<EdgeTypeInfo> kEdgeTypes = {
    {T::kInitiator, "initiator", K::kActor, K::kEvent, "initiated", "initiated by"},
    {T::kTarget, "target", K::kActor, K::kEvent, "was the target of", "targeted"},
    {T::kParticipant, "participant", K::kActor, K::kEvent, "took part in", "with participant"},
    {T::kHost, "host", K::kActor, K::kEvent, "hosted", "hosted by"},
    {T::kVisitor, "visitor", K::kActor, K::kEvent, "visited for", "with visitor"},
    {T::kSpeaker, "speaker", K::kActor, K::kStatement, "said", "said by"},
    {T::kMentioned, "mentioned", K::kActor, K::kEvent, "is mentioned in", "mentions"},
    {T::kSupplies, "supplies", K::kEvent, K::kItem, "supplies", "supplied in"},
    {T::kRequests, "requests", K::kEvent, K::kItem, "requests", "requested in"},
    {T::kConcerns, "concerns", K::kEvent, K::kItem, "concerns", "concerned by"},
    {T::kLeadsTo, "leads_to", K::kEvent, K::kEvent, "leads to", "led to by"},
    {T::kFollows, "follows", K::kEvent, K::kEvent, "follows", "followed by"},
    {T::kPartOf, "part_of", K::kEvent, K::kEvent, "is part of", "includes"},
    {T::kLeaderOf, "leader_of", K::kActor, K::kActor, "is leader of", "is led by"},
    {T::kSpokespersonFor, "spokesperson_for", K::kActor, K::kActor, "is spokesperson for",
     "has spokesperson"},
    {T::kMemberOf, "member_of", K::kActor, K::kActor, "is member of", "has member"},
    {T::kActorPartOf, "actor_part_of", K::kActor, K::kActor, "is part of", "includes"},
    {T::kAllyOf, "ally_of", K::kActor, K::kActor, "is ally of", "is ally of"},
    {T::kRivalOf, "rival_of", K::kActor, K::kActor, "is rival of", "is rival of"},
    {T::kStatementAbout, "statement_about", K::kStatement, K::kEvent, "is about",
     "is discussed in"},
    {T::kPossesses, "possesses", K::kActor, K::kItem, "possesses", "possessed by"},
    {T::kRelatedTo, "related_to", K::kActor, K::kActor, "is related to", "is related to"},
    {T::kReportedIn, "reported_in", K::kEvent, K::kSource, "is reported in", "reports"},
};

}  // namespace

std::string_view StatusName(FactStatus s) { return kStatusNames.at(static_cast<size_t>(s)); }
bool ParseStatus(std::string_view s, FactStatus* out) { return ParseByName(kStatusNames, s, out); }
std::string_view PrecisionName(TimePrecision p) {
  return kPrecisionNames.at(static_cast<size_t>(p));
}
bool ParsePrecision(std::string_view s, TimePrecision* out) {
  return ParseByName(kPrecisionNames, s, out);
}
std::string_view ActorKindName(ActorKind k) { return kActorKindNames.at(static_cast<size_t>(k)); }
bool ParseActorKind(std::string_view s, ActorKind* out) {
  return ParseByName(kActorKindNames, s, out);
}

const EdgeTypeInfo& InfoOf(EdgeType t) {
  const EdgeTypeInfo& info = kEdgeTypes.at(static_cast<size_t>(t));
  assert(info.type == t);
  return info;
}
const std::vector<EdgeTypeInfo>& AllEdgeTypes() { return kEdgeTypes; }
std::string_view EdgeTypeName(EdgeType t) { return InfoOf(t).name; }
bool ParseEdgeType(std::string_view s, EdgeType* out) {
  for (const auto& info : kEdgeTypes) {
    if (info.name == s) {
      *out = info.type;
      return true;
    }
  }
  return false;
}

std::vector<std::string_view> AllStatusNames() {
  return {kStatusNames.begin(), kStatusNames.end()};
}
std::vector<std::string_view> AllActorKindNames() {
  return {kActorKindNames.begin(), kActorKindNames.end()};
}
std::vector<std::string_view> AllPrecisionNames() {
  return {kPrecisionNames.begin(), kPrecisionNames.end()};
}

}  // namespace geokg
