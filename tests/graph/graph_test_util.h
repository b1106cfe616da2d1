#pragma once
// Helpers for the graph tests: networkx as the independent reference (run live through
// /usr/bin/python3 and tests/graph/nx_reference.py; absent networkx -> nullopt and a WARN), and
// small random graphs with a fixed seed.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "graph/csr.h"

namespace geokg::graph::testing {

inline bool NetworkxAvailable() {
  static const bool ok = std::system("/usr/bin/python3 -c 'import networkx' >/dev/null 2>&1") == 0;
  return ok;
}

// Runs the reference script on `request`; nullopt if networkx is not installed.
inline std::optional<nlohmann::json> RunNetworkx(const nlohmann::json& request,
                                                 const char* script = "nx_reference.py") {
  if (!NetworkxAvailable()) return std::nullopt;
  char in_path[] = "/tmp/geokg_nx_in_XXXXXX";
  int fd = mkstemp(in_path);
  if (fd < 0) return std::nullopt;
  close(fd);
  {
    std::ofstream f(in_path);
    f << request.dump();
  }
  std::string cmd = std::string("/usr/bin/python3 ") + GEOKG_SOURCE_DIR + "/tests/graph/" + script +
                    " < " + in_path;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[65536];
  size_t got;
  while (p && (got = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, got);
  int rc = p ? pclose(p) : -1;
  std::remove(in_path);
  if (rc != 0) throw std::runtime_error("nx_reference.py failed: " + out);
  return nlohmann::json::parse(out);
}

// A fresh directory under /tmp, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/geokg_graph_test_XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline NodeId TestId(uint32_t i) { return FirstIdOfKind(NodeKind::kActor) + i + 1; }

// A random multigraph on n vertices with m arcs whose type, time and status vary, so that
// filters bite. Arcs are returned too, in insertion order.
struct RandomArc {
  uint32_t src, dst;
  EdgeType type;
  Time time;
  FactStatus status;
};
inline std::vector<RandomArc> RandomArcs(uint32_t n, uint32_t m, uint64_t seed,
                                         bool self_loops = false) {
  std::mt19937_64 rng(seed);
  std::vector<RandomArc> arcs;
  while (arcs.size() < m) {
    uint32_t u = rng() % n, v = rng() % n;
    if (u == v && !self_loops) continue;
    arcs.push_back({u, v, static_cast<EdgeType>(rng() % 4), static_cast<Time>(rng() % 100),
                    static_cast<FactStatus>(1 + rng() % 3)});
  }
  return arcs;
}

inline CsrGraph BuildFrom(uint32_t n, const std::vector<RandomArc>& arcs) {
  CsrBuilder b;
  for (uint32_t i = 0; i < n; ++i) b.AddNode(TestId(i));
  for (size_t j = 0; j < arcs.size(); ++j) {
    b.AddArc(TestId(arcs[j].src), TestId(arcs[j].dst), arcs[j].type, arcs[j].time, arcs[j].status,
             j + 1);
  }
  auto g = b.Build();
  if (!g.ok()) throw std::runtime_error(g.status().ToString());
  return std::move(g).value();
}

inline nlohmann::json Request(uint32_t n, const std::vector<std::pair<uint32_t, uint32_t>>& edges,
                              bool directed) {
  nlohmann::json r;
  r["n"] = n;
  r["directed"] = directed;
  r["edges"] = nlohmann::json::array();
  for (auto [u, v] : edges) r["edges"].push_back({u, v});
  return r;
}

}  // namespace geokg::graph::testing
