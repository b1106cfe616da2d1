#pragma once
// `geokg path A B`: how two actors are related — the shortest chain(s) of actors in the actor
// relationship projection under a filter, each hop explained by the events the two actors share
// (date, CAMEO code, summary, status, sources) and the relation edges joining them. Filters hold
// exactly: a hop exists only through events and relations that pass them. Not thread-safe (uses
// the GraphContext's graph).

#include <cstdint>
#include <vector>

#include "query/actor_view.h"
#include "query/traversal.h"

namespace geokg::query {

struct HopEvent {
  NodeRef event;
  Event body;
  std::vector<SourceRef> sources;
};
struct Hop {
  NodeRef from, to;
  graph::LinkStats stats;
  std::vector<HopEvent> events;        // the first `max_events_per_hop`, by time
  std::vector<std::string> relations;  // readings of relation edges ("is leader of")
};
struct ActorPath {
  std::vector<Hop> hops;  // empty when source == target
};

enum class PathMode { kShortest, kAllShortest, kKShortest };

struct PathOptions {
  PathMode mode = PathMode::kShortest;
  size_t k = 1;            // kKShortest: how many paths
  size_t max_paths = 100;  // kAllShortest: at most this many
  size_t max_events_per_hop = 3;
};

// Paths from `a` to `b`; empty if they are not connected under `filter`. Errors: storage.
Result<std::vector<ActorPath>> FindPaths(GraphContext& gc, NodeId a, NodeId b,
                                         const GraphFilter& filter, const PathOptions& options);

}  // namespace geokg::query
