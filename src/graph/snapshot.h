#pragma once
// The on-disk cache of a store's CSR (schema/snapshot.capnp): written once, then memory-mapped
// on open so that the graph's arrays are views into the page cache (zero copy; opening costs a
// validation pass, and a checksum of the whole file the first time it is opened after a write,
// not a rebuild). A snapshot records the store id and generation
// it was built from; LoadGraph never returns a stale one: it rebuilds (and rewrites) when the
// generation differs, the file is missing, or the file is corrupt (any changed byte: the whole
// file is covered by an XXH3-64 checksum). Files are replaced atomically (write to a temporary
// name, fsync, rename). Functions are thread-compatible.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "graph/csr.h"
#include "graph/projection.h"
#include "util/status.h"

namespace geokg::storage {
class Store;
}

namespace geokg::graph {

struct SnapshotHeader {
  uint64_t store_id = 0;
  uint64_t generation = 0;
};

// Writes `g` (and its actor projection `links`, when present) to `path` atomically.
// InvalidArgument if an array exceeds the format's blob limit; IOError on a failed write (the old
// file, if any, is left in place).
Status WriteSnapshot(const CsrGraph& g, const SnapshotHeader& header, const std::string& path,
                     ActorLinks links = {});

// Maps `path` and returns the graph viewing it, with its header. NotFound if the file does not
// exist; Corruption (naming what is wrong) if it is not a valid snapshot: a bad header or format
// version, a checksum that does not match the bytes, blob sizes that disagree, an out-of-range
// index, unsorted ids, ... The checksum is verified before anything else is read, unless the
// stamp beside the file (<path>.verified, written when a check passes) says the file has not been
// written since it last matched: then the hash is skipped (see snapshot.cc). Never crashes on bad
// bytes.
struct OpenedSnapshot {
  CsrGraph graph;
  ActorLinks actor_links;  // views the mapping the graph keeps alive; absent if not stored
  SnapshotHeader header;
  bool hashed = false;  // the checksum was computed this time (false: the stamp vouched for it)
};
Result<OpenedSnapshot> OpenSnapshot(const std::string& path);

// Where a store's snapshot lives: <store path>/snapshot.capnp.
std::string SnapshotPath(const storage::Store& store);

// The store's current graph: the snapshot if it is current, else a fresh build that is then
// written as the new snapshot. `rebuilt` says which; `why` says why a rebuild happened ("missing",
// "stale", "corrupt: ..."); a failure to write the new snapshot is reported in `write_status`
// and does not fail the call.
struct LoadedGraph {
  CsrGraph graph;
  // The unfiltered actor projection of `graph` (ActorLinker reads it for unfiltered questions),
  // viewing the snapshot mapping or `actor_links_owned`.
  ActorLinks actor_links;
  std::shared_ptr<const ActorLinksArrays> actor_links_owned;
  bool rebuilt = false;
  std::string why;
  Status write_status;
};
Result<LoadedGraph> LoadGraph(const storage::Store& store);
// The store's graph only if its snapshot is current (never builds one): nullopt when the snapshot
// is missing, stale, corrupt or lacks the actor projection. For questions that have a cheaper
// answer without a snapshot than building one.
std::optional<LoadedGraph> LoadCurrentGraph(const storage::Store& store);

}  // namespace geokg::graph
