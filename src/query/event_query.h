#pragma once
// The event questions behind `geokg events` and `geokg stats`: events filtered by actors (one, or
// a dyad: the events they share), CAMEO code prefix, QuadClass, time window and status, answered
// from the narrowest index that serves the filter (the actors' typed role adjacency, the event
// index by code, or the event index by time; never a scan of all nodes); and the event counts of a
// store (by CAMEO root, QuadClass, time span). Stateless functions; safe to call from several
// threads.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/actor_view.h"
#include "storage/store.h"
#include "util/status.h"

namespace geokg::query {

struct EventFilter {
  std::vector<NodeId> actors;        // events where every one of these actors has a role
  std::string code_prefix;           // CAMEO code prefix ("04", "043"); "" = any
  int quad_class = 0;                // 1..4; 0 = any
  Time from = kMinTime;              // time window on the event's start, inclusive;
  Time to = kUnknownTime;            // the default (kUnknownTime) also admits undated events
  std::vector<FactStatus> statuses;  // empty = any
  size_t limit = 0;                  // 0 = no limit
};

// Checks a CAMEO code prefix: digits only, and a prefix of some code of the codebook. Errors:
// InvalidArgument `unknown CAMEO code prefix "99"` (or naming the non-digit).
Status ValidateCodePrefix(std::string_view prefix);

// Parses "planned,speculated" (comma-separated status names). Errors: InvalidArgument naming the
// unknown status and listing the valid ones.
Result<std::vector<FactStatus>> ParseStatusList(std::string_view text);

struct EventQueryResult {
  std::vector<EventView> events;  // by time (undated last), then id; at most `limit`
  bool more = false;              // true when the limit cut off further matches
  std::string plan;               // which index served the query ("event index by code", ...)
};

// Runs the filter. Errors: InvalidArgument for a bad filter (code prefix, quad class out of
// 1..4, from > to), storage errors.
Result<EventQueryResult> QueryEvents(const storage::Store& store, const EventFilter& filter);

struct EventStats {
  uint64_t events = 0;
  uint64_t undated = 0;
  Time first = kUnknownTime;                // smallest known start, kUnknownTime if none
  Time last = kUnknownTime;                 // largest known start
  std::map<std::string, uint64_t> by_root;  // "04" -> count; codes not in the codebook under "??"
  std::array<uint64_t, 5> by_quad_class{};  // [0] = unknown code
};

// Counts the events of the store through the event index by code (one pass, no node reads).
Result<EventStats> ComputeEventStats(const storage::Store& store);

}  // namespace geokg::query
