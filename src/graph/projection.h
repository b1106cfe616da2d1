#pragma once
// The actor relationship projection: two actors are linked when they have roles in the same
// event (each shared event counted once), or when an actor–actor relation edge (leader_of,
// ally_of, ...) joins them. A link carries how many events, their mean Goldstein and QuadClass
// mix, and the first/last date. Everything honours a ProjectionFilter, applied to the base CSR's
// arcs as they are read (role arcs carry their event's time). ActorLinker computes one actor's
// links on demand (for ego and path queries); BuildActorGraph projects every actor into a CsrGraph
// on which the kernels and Boost run. An ActorLinker is not thread-safe (it caches).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "graph/csr.h"
#include "graph/view.h"

namespace geokg::graph {

struct ProjectionFilter {
  // Time window, edge types and statuses, applied to role arcs and relation arcs alike
  // (a type mask without role types keeps relations only, and vice versa).
  EdgeFilter edges;
  // CAMEO code prefix an event must have ("" = any).
  std::string code_prefix;
  // kBoth: any roles; kOut: A is an event's initiator and B its target (or a relation A -> B);
  // kIn: the reverse.
  Dir dir = Dir::kBoth;
  // Links with fewer shared events are dropped, unless a relation joins the pair.
  uint32_t min_events = 1;
};

// Stored as raw bytes in snapshots (ActorLinks), hence the explicit padding and the layout checks
// below: a change here needs a new snapshot format version (graph/snapshot.cc).
struct LinkStats {
  VertexIndex other = kNoVertex;
  uint32_t events = 0;
  uint32_t relations = 0;
  uint32_t padding = 0;  // always 0, so that stored bytes are deterministic
  double goldstein_sum = 0;
  uint32_t goldstein_count = 0;
  uint32_t quad[5] = {0, 0, 0, 0, 0};  // by QuadClass 1..4 (0: unknown)
  Time first = kUnknownTime;
  Time last = kMinTime;
  double mean_goldstein() const {
    return goldstein_count ? goldstein_sum / goldstein_count : std::nan("");
  }
};
static_assert(std::is_trivially_copyable_v<LinkStats> && sizeof(LinkStats) == 64);
static_assert(offsetof(LinkStats, goldstein_sum) == 16 && offsetof(LinkStats, first) == 48);

// The unfiltered projection of every actor, computed when a snapshot is built and stored in it, so
// that unfiltered questions (ego, path, rank without filters) read links instead of deriving them
// from the role arcs. Actor a's links are links[offsets[a], offsets[a + 1]), ordered by the other
// actor; each linked pair appears at both ends. The spans view a snapshot mapping or heap arrays
// owned elsewhere. Absent (empty) for graphs that are not a store's.
struct ActorLinks {
  std::span<const uint64_t> offsets;  // num_actors + 1 entries, or none
  std::span<const LinkStats> links;
  bool present() const { return !offsets.empty(); }
  std::span<const LinkStats> Of(VertexIndex a) const {
    return links.subspan(offsets[a], offsets[a + 1] - offsets[a]);
  }
};
struct ActorLinksArrays {
  std::vector<uint64_t> offsets;
  std::vector<LinkStats> links;
  ActorLinks view() const { return {offsets, links}; }
};
// Every actor's links under the empty filter (ActorLinker::ComputeLinks for each actor).
ActorLinksArrays ComputeActorLinks(const CsrGraph& base);
// Checks stored links against their graph before use: one offset per actor of `base` plus one,
// monotone and spanning the links, and every link's other actor an actor. Corruption otherwise.
Status ValidateActorLinks(const ActorLinks& links, const CsrGraph& base);

class ActorLinker {
 public:
  // With `stored` (the snapshot's projection of `base`), links are read from it whenever the
  // filter keeps every arc (time, type, status, code and direction unrestricted).
  ActorLinker(const CsrGraph& base, ProjectionFilter filter, ActorLinks stored = {});

  const CsrGraph& base() const { return *g_; }
  const ProjectionFilter& filter() const { return f_; }
  // Actor vertices are [0, num_actors()) of the base graph.
  VertexIndex num_actors() const { return num_actors_; }

  // The links of actor `a` (ordered by the other actor's index): the stored ones, or computed
  // once and cached. Valid as long as the linker and the stored projection.
  std::span<const LinkStats> Links(VertexIndex a);
  // True if Links() reads the stored projection.
  bool uses_stored() const { return use_stored_; }
  // The same, computed into `out` without caching.
  void ComputeLinks(VertexIndex a, std::vector<LinkStats>* out);

  // The events (base vertex indices, in time order) in which `a` and `b` have roles that pass
  // the filter, and the base out-side arc indices of relation edges joining them.
  std::vector<VertexIndex> SharedEvents(VertexIndex a, VertexIndex b) const;
  std::vector<std::pair<uint8_t, uint64_t>> Relations(VertexIndex a, VertexIndex b) const;

 private:
  bool RoleOk(const CsrSide& s, uint64_t arc, bool first_end) const;
  bool EventOk(VertexIndex e) const;

  const CsrGraph* g_;
  ProjectionFilter f_;
  uint32_t code_prefix_ = 0;
  int code_prefix_len_ = 0;
  bool trivial_ = false;  // no filter at all: role and event checks reduce to the type
  ActorLinks stored_;
  bool use_stored_ = false;
  VertexIndex num_actors_ = 0;
  std::unordered_map<VertexIndex, std::vector<LinkStats>> cache_;
  // Scratch for Compute, sized once.
  std::vector<uint32_t> slot_;        // actor -> index in the result, or UINT32_MAX
  std::vector<VertexIndex> last_ev_;  // actor -> last event counted for it
  std::vector<uint32_t> ev_stamp_;    // event -> stamp of the actor that saw it
  uint32_t stamp_ = 0;
};

// The whole projection as a graph over the actors (same NodeIds, so the same vertex indices as
// in the base graph). With dir kBoth each linked pair is one arc (lower index -> higher), to be
// read with Dir::kBoth views; otherwise one arc A -> B per link of A. Arc k's EdgeId is k + 1
// and links[k] holds its statistics (links[k].other is the arc's target).
struct ActorGraph {
  CsrGraph graph;
  std::vector<LinkStats> links;
  Dir dir = Dir::kBoth;
};
// `stored` as for ActorLinker.
Result<ActorGraph> BuildActorGraph(const CsrGraph& base, const ProjectionFilter& filter,
                                   ActorLinks stored = {});

}  // namespace geokg::graph
