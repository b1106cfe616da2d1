#pragma once
// Helpers shared by the tests: temporary directories, file writing, opening a fresh store.

#include <filesystem>
#include <memory>
#include <string>

#include "storage/store.h"

namespace geokg::test {

// A fresh directory under the system temp dir, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& contents);
std::string ReadFile(const std::string& path);

// Creates a store at `path`; fails the current test if it cannot.
std::unique_ptr<storage::Store> OpenNewStore(const std::string& path);

// Runs a shell command; returns its exit code and fills stdout/stderr.
int RunCommand(const std::string& command, std::string* out, std::string* err);

// A standalone (keyed) relation edge: its id is the key's.
inline Edge KeyedEdge(EdgeType type, NodeId src, NodeId dst, const std::string& key,
                      Interval validity) {
  Edge e;
  e.type = type;
  e.src = src;
  e.dst = dst;
  e.key = key;
  e.id = MakeKeyedEdgeId(key);
  e.validity = validity;
  return e;
}

}  // namespace geokg::test
