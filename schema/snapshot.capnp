# geokg graph snapshot: the CSR of a store (src/graph/csr.h), cached on disk and memory-mapped.
#
# Every array is a Data blob holding the little-endian bytes of a fixed-width array. Cap'n Proto
# starts every blob on an 8-byte word boundary, so a reader maps the file and views each blob as
# an array in place (zero copy). A snapshot belongs to one store (storeId) at one moment
# (generation); a reader that finds another generation rebuilds instead of using it.
# In the file the message follows a 32-byte header holding the XXH3-64 of its bytes (layout in
# src/graph/snapshot.cc and docs/storage.md); src/graph/snapshot.cc checks that checksum, then
# every size and index, before use. A blob holds at most 2^29-1 bytes (Cap'n Proto's list
# limit), which caps a snapshot at ~67 M arcs and ~8 M actor links.

@0xea648f8d3580aa0c;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("geokg::schema");

struct CsrSideBlobs {
  offsets @0 :Data;    # UInt64[numVertices + 1]
  neighbor @1 :Data;   # UInt32[numArcs]: vertex index of the other end
  type @2 :Data;       # UInt8[numArcs]: EdgeType
  time @3 :Data;       # Int64[numArcs]: validity start, INT64_MAX if undated
  status @4 :Data;     # UInt8[numArcs]: Status
  edge @5 :Data;       # UInt64[numArcs]: EdgeId
}

struct GraphSnapshot {
  magic @0 :UInt64;           # 0x52534347_4b4f4547 ("GEOKGCSR" little-endian)
  formatVersion @1 :UInt32;   # kSnapshotFormatVersion in src/graph/snapshot.cc
  storeId @2 :UInt64;
  generation @3 :UInt64;
  numVertices @4 :UInt32;
  numArcs @5 :UInt64;
  nodeIds @6 :Data;           # UInt64[numVertices], strictly increasing
  kinds @7 :Data;             # UInt8[numVertices]: NodeKind
  codes @8 :Data;             # UInt32[numVertices]: packed CAMEO code of an event, 0 otherwise
  goldstein @9 :Data;         # Float32[numVertices]: an event's Goldstein value, NaN if none
  quadClass @10 :Data;        # UInt8[numVertices]: an event's QuadClass, 0 if none
  out @11 :CsrSideBlobs;      # arcs by source
  in @12 :CsrSideBlobs;       # arcs by target
  # The unfiltered actor projection (src/graph/projection.h, ActorLinks); empty when absent.
  actorLinkOffsets @13 :Data; # UInt64[numActors + 1]: actor a's links are [offsets[a], offsets[a+1])
  actorLinks @14 :Data;       # LinkStats[...]: 64-byte records, layout fixed in projection.h
}
