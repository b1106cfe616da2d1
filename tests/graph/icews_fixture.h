#pragma once
// The ICEWS18 slice fixture (tests/data/graph/icews18_slice.tsv, made by make_icews18_slice.py)
// loaded into a store by the test itself, independently of the importers: each row is one event
// (key "slice:<row>") with the subject as initiator and the object as target, both role edges
// dated with the event. Row i has status kReported when i % 5 == 0, else kOccurred — the same
// rule tests/graph/nx_icews_reference.py applies.

#include <algorithm>
#include <boost/graph/connected_components.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "graph/bgl.h"
#include "graph/csr.h"
#include "graph/projection.h"
#include "graph/view.h"
#include "model/types.h"
#include "storage/store.h"

namespace geokg::graph::testing {

inline constexpr Time kSliceEpoch = 1514764800;  // 2018-01-01T00:00:00Z

struct SliceFact {
  std::string subject, relation, object, code;
  int hours = 0;
  float goldstein = 0;
  int quad = 0;
};

inline std::string SlicePath() {
  return std::string(GEOKG_TEST_DATA_DIR) + "/graph/icews18_slice.tsv";
}

inline std::vector<SliceFact> ReadSlice(const std::string& path = SlicePath()) {
  std::ifstream in(path);
  std::vector<SliceFact> out;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string x;
    while (std::getline(ss, x, '\t')) f.push_back(x);
    if (f.size() != 7) throw std::runtime_error("bad slice line: " + line);
    out.push_back({f[0], f[1], f[2], f[4], std::stoi(f[3]), std::stof(f[5]), std::stoi(f[6])});
  }
  return out;
}

inline std::string ActorKey(const std::string& name) { return "slice-actor:" + name; }
inline NodeId SliceActorId(const std::string& name) {
  return MakeNodeId(NodeKind::kActor, ActorKey(name));
}
inline NodeId SliceEventId(size_t row) {
  return MakeNodeId(NodeKind::kEvent, "slice:" + std::to_string(row));
}

// Writes facts [first, first + count) of `facts` (row numbers are positions in `facts`).
inline Status LoadSlice(storage::Store& store, const std::vector<SliceFact>& facts, size_t first,
                        size_t count) {
  storage::WriteBatch batch;
  std::unordered_set<std::string> seen;
  for (size_t i = first; i < first + count && i < facts.size(); ++i) {
    for (const std::string& name : {facts[i].subject, facts[i].object}) {
      if (!seen.insert(name).second) continue;
      Node n;
      n.key = ActorKey(name);
      n.id = MakeNodeId(NodeKind::kActor, n.key);
      Actor a;
      a.name = name;
      n.body = a;
      batch.PutNode(n);
    }
  }
  for (size_t i = first; i < first + count && i < facts.size(); ++i) {
    const SliceFact& f = facts[i];
    Node n;
    n.key = "slice:" + std::to_string(i);
    n.id = MakeNodeId(NodeKind::kEvent, n.key);
    Event e;
    e.cameo_code = f.code;
    e.time.start = kSliceEpoch + f.hours * 3600;
    e.time.end = e.time.start + 86399;
    e.time.precision = TimePrecision::kDay;
    e.status = i % 5 == 0 ? FactStatus::kReported : FactStatus::kOccurred;
    e.goldstein = f.goldstein;
    e.quad_class = static_cast<uint8_t>(f.quad);
    e.summary = f.subject + " / " + f.relation + " / " + f.object;
    n.body = e;
    batch.PutNode(n);
    std::vector<Edge> edges;
    for (auto [type, who] :
         {std::pair{EdgeType::kInitiator, f.subject}, std::pair{EdgeType::kTarget, f.object}}) {
      Edge r;
      r.type = type;
      r.src = SliceActorId(who);
      r.dst = n.id;
      r.owner = n.id;
      r.id = MakeOwnedEdgeId(r.owner, r.type, r.src, r.dst);
      r.validity = e.time;
      r.status = e.status;
      edges.push_back(r);
    }
    batch.SetOwnedEdges(n.id, std::move(edges));
  }
  auto r = store.Write(batch);
  return r.ok() ? Status::OK() : r.status();
}

// Compares an actor's links with nx_icews_reference.py's "links" ({name: [events, mean
// Goldstein, first time]}): "" when they agree, else the first difference.
inline std::string LinkMismatch(std::span<const LinkStats> links,
                                const std::map<VertexIndex, std::string>& name_of,
                                const nlohmann::json& nx_links) {
  std::map<std::string, LinkStats> ours;
  for (const LinkStats& l : links) ours[name_of.at(l.other)] = l;
  if (ours.size() != nx_links.size()) {
    return std::to_string(ours.size()) + " links, networkx has " + std::to_string(nx_links.size());
  }
  for (const auto& [name, v] : nx_links.items()) {
    auto it = ours.find(name);
    if (it == ours.end()) return "no link to " + name;
    const LinkStats& l = it->second;
    const double want = v[1].get<double>();
    if (l.events != v[0].get<uint32_t>() ||
        !(std::abs(l.mean_goldstein() - want) <= 1e-5 * std::max(1.0, std::abs(want))) ||
        l.first != v[2].get<int64_t>()) {
      return "link to " + name + ": " + std::to_string(l.events) + " events, mean Goldstein " +
             std::to_string(l.mean_goldstein()) + ", first " + std::to_string(l.first) +
             "; networkx " + v.dump();
    }
  }
  return "";
}

// The connected components of `actor_graph` (undirected, Boost's connected_components) as sorted
// groups of the names in `name_of`, sorted: the form nx_icews_reference.py prints.
inline std::vector<std::vector<std::string>> ComponentNames(
    const CsrGraph& actor_graph, const std::map<VertexIndex, std::string>& name_of) {
  std::vector<uint32_t> comp(actor_graph.num_vertices());
  BglUndirected ug(GraphView(actor_graph, {}, Dir::kBoth));
  boost::connected_components(
      ug, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, ug)));
  std::map<uint32_t, std::vector<std::string>> groups;
  for (const auto& [v, name] : name_of) groups[comp[v]].push_back(name);
  std::vector<std::vector<std::string>> out;
  for (auto& [id, g] : groups) {
    std::sort(g.begin(), g.end());
    out.push_back(g);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every field of two links equal (the stored records' padding is always 0).
inline bool SameLink(const LinkStats& a, const LinkStats& b) {
  return a.other == b.other && a.events == b.events && a.relations == b.relations &&
         a.goldstein_sum == b.goldstein_sum && a.goldstein_count == b.goldstein_count &&
         std::equal(a.quad, a.quad + 5, b.quad) && a.first == b.first && a.last == b.last &&
         a.padding == 0 && b.padding == 0;
}

}  // namespace geokg::graph::testing
