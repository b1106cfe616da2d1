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

// Damaged copies of the bytes of a snapshot file, each named: bytes flipped, a range zeroed,
// truncations, appended bytes, the bare Cap'n Proto message that format 2 wrote (no header), and
// garbage. Every copy differs from `good`, which is at least a few KiB.
inline std::vector<std::pair<std::string, std::string>> DamagedSnapshots(const std::string& good) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](std::string name, std::string bytes) {
    if (bytes == good) throw std::logic_error("snapshot damage '" + name + "' changes nothing");
    out.emplace_back(std::move(name), std::move(bytes));
  };
  const size_t n = good.size();
  for (size_t at : {size_t{0}, size_t{8}, size_t{12}, size_t{16}, size_t{24}, size_t{31},
                    size_t{40}, n / 3, n / 2, n * 3 / 4, n - 200, n - 1}) {
    std::string b = good;
    b[at] = static_cast<char>(b[at] ^ 0x01);
    add("bit 0 of byte " + std::to_string(at) + " flipped", b);
  }
  std::string b = good;
  b[n / 2] = static_cast<char>(~b[n / 2]);
  add("one byte in the middle inverted", b);
  b = good;
  b[n / 5] = static_cast<char>(~b[n / 5]);
  b[n * 4 / 5] = static_cast<char>(~b[n * 4 / 5]);
  add("two bytes inverted", b);
  for (size_t at : {n / 2, n * 3 / 4, n - 600}) {
    b = good;
    std::fill(b.begin() + at, b.begin() + at + 300, '\0');
    // A range that was zero already is no damage; move on until it is.
    for (size_t shift = 300; b == good; shift += 300) {
      b = good;
      std::fill(b.begin() + (at - shift), b.begin() + (at - shift + 300), '\0');
    }
    add("300 bytes zeroed near byte " + std::to_string(at), b);
  }
  for (size_t len : {n - 1, n - 8, n - 64, n / 2, size_t{32}, size_t{0}}) {
    add("truncated to " + std::to_string(len) + " bytes", good.substr(0, len));
  }
  add("8 zero bytes appended", good + std::string(8, '\0'));
  add("1 byte appended", good + "x");
  add("the file twice", good + good);
  add("the bare message, as format 2 wrote it", good.substr(32));
  std::mt19937_64 rng(5);
  std::string garbage(4096, '\0');
  for (char& c : garbage) c = static_cast<char>(rng());
  add("4 KiB of garbage", garbage);
  b = good.substr(0, 32);
  for (size_t i = 32; i < n; ++i) b += static_cast<char>(rng());
  add("the header, then garbage", b);
  return out;
}

}  // namespace geokg::graph::testing
