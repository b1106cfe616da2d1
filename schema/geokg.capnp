# geokg data model: the values stored in RocksDB and written to snapshot files.
#
# This file is the single source of truth for what a node or an edge can say. Keys (ids, the
# byte layouts of index entries) live in src/codec/key_codec.h; docs/data-model.md explains the
# model with a diagram. Field numbers are append-only: never renumber or reuse one, since stored
# values must stay readable (a change that cannot be read by old code bumps kFormatVersion).

@0xd220b2ae1cca3d87;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("geokg::schema");

# ---------------------------------------------------------------------------------------------
# Time: an interval of instants (seconds since 1970-01-01T00:00:00Z) with a precision.

enum TimePrecision {
  unknown @0;    # nothing is known; start/end are meaningless
  second @1;
  minute @2;
  hour @3;
  day @4;
  month @5;
  year @6;
  imminent @7;   # "soon after `start`" (the reporting date); the exact date is unknown
}

struct Interval {
  start @0 :Int64;           # first instant covered (inclusive)
  end @1 :Int64;             # last instant covered (inclusive); == start for a point
  precision @2 :TimePrecision;
  openEnd @3 :Bool;          # true: still valid / ongoing (end is not known)
}

# What is known of whether a thing happened (or a relation holds).
enum Status {
  unknown @0;
  occurred @1;
  ongoing @2;
  planned @3;
  reported @4;     # reported by a source, not confirmed
  claimed @5;      # asserted by an interested party
  speculated @6;
  feared @7;
  predicted @8;
  denied @9;
  cancelled @10;
}

# Where a fact comes from. A curated fact cites Source nodes; an imported one names its row.
struct Provenance {
  source @0 :UInt64;       # NodeId of a Source node, 0 if none
  dataset @1 :Text;        # "curated", "icews", "gdelt1", "gdelt2", "tkg:ICEWS18", ...
  file @2 :Text;
  row @3 :UInt64;          # 1-based line in `file`, 0 if not applicable
  recordId @4 :Text;       # the dataset's own id (ICEWS "Event ID", GDELT GLOBALEVENTID)
  storyId @5 :Text;
  sentence @6 :Int32;      # sentence number within the story, -1 if not given
  url @7 :Text;
  publisher @8 :Text;
}

struct ExternalId {
  scheme @0 :Text;         # "wikidata", "icews", "gdelt", "tkg:ICEWS18", ...
  value @1 :Text;
}

struct Location {
  placeName @0 :Text;      # empty when unknown
  admin1 @1 :Text;         # province / region
  countryIso3 @2 :Text;    # empty when unknown
  hasCoordinates @3 :Bool;
  latitude @4 :Float64;
  longitude @5 :Float64;
}

# ---------------------------------------------------------------------------------------------
# Nodes

enum NodeKind {
  actor @0;
  event @1;
  source @2;
  statement @3;
  item @4;
}

enum ActorKind {
  unknown @0;
  person @1;
  state @2;             # a country as an actor ("Russia", "North Korea")
  governmentBody @3;    # "the Kremlin", "the White House", a ministry
  organization @4;
  armedGroup @5;
  politicalParty @6;
  internationalOrg @7;
  media @8;
  company @9;
  group @10;            # an unnamed collective: "experts", "citizens", "the international community"
}

struct Actor {
  kind @0 :ActorKind;
  name @1 :Text;
  aliases @2 :List(Text);
  countryIso3 @3 :Text;
  countryCameo @4 :Text;
  cameoTypes @5 :List(Text);   # GOV, MIL, REB, ...
  sectors @6 :List(Text);      # ICEWS sectors
  externalIds @7 :List(ExternalId);
  description @8 :Text;
}

struct Event {
  cameoCode @0 :Text;          # "036"; root, QuadClass and Goldstein derive from the codebook
  ploverType @1 :Text;         # optional; derived from CAMEO when empty
  time @2 :Interval;
  location @3 :Location;
  status @4 :Status;
  confidence @5 :Float32;      # 0..1, the curator's or importer's certainty
  summary @6 :Text;
  hasGoldstein @7 :Bool;       # the source's own Goldstein value is kept when given
  goldstein @8 :Float32;
  hasQuadClass @9 :Bool;       # likewise for QuadClass
  quadClass @10 :UInt8;
  participants @11 :List(Participant);  # roles the event records itself (bulk imports), sorted
}

struct Participant {
  role @0 :EdgeType;           # a role: initiator, target, ...
  actor @1 :UInt64;            # NodeId of the Actor
}

struct Source {
  title @0 :Text;
  publisher @1 :Text;
  url @2 :Text;
  language @3 :Text;           # BCP 47 ("fr", "en")
  published @4 :Interval;
}

struct Statement {
  speaker @0 :UInt64;          # NodeId of the Actor who said it
  quote @1 :Text;              # verbatim, in the source's language
  language @2 :Text;
  translation @3 :Text;        # optional English rendering
  time @4 :Interval;
  source @5 :UInt64;           # NodeId of the Source that carries it
}

struct Item {
  name @0 :Text;
  aliases @1 :List(Text);
  category @2 :Text;           # "weapon", "technology", "aid", ...
  description @3 :Text;
}

# The value stored under a node key.
struct Node {
  key @0 :Text;                # stable user key: "actor:kim-jong-un", "icews:event:123@2018-06-01"
  provenance @1 :List(Provenance);
  body :union {
    actor @2 :Actor;
    event @3 :Event;
    source @4 :Source;
    statement @5 :Statement;
    item @6 :Item;
  }
}

# ---------------------------------------------------------------------------------------------
# Edges. The type fixes which node kinds an edge joins (src/model/edge_types.cc has the table).

enum EdgeType {
  # actor -> event: roles
  initiator @0;
  target @1;
  participant @2;
  host @3;
  visitor @4;
  speaker @5;
  mentioned @6;
  # event -> item
  supplies @7;
  requests @8;
  concerns @9;
  # event -> event
  leadsTo @10;
  follows @11;
  partOf @12;
  # actor -> actor, with a validity interval
  leaderOf @13;
  spokespersonFor @14;
  memberOf @15;
  actorPartOf @16;
  allyOf @17;
  rivalOf @18;
  # statement -> actor (who said it is `speaker`) / event (what it is about)
  statementAbout @19;
  # actor -> item
  possesses @20;
  # actor -> actor (anything else, e.g. "says of"); detail in Edge.label
  relatedTo @21;
  # event -> source: "reported in" (a statement names its source in Statement.source)
  reportedIn @22;
}

struct Edge {
  type @0 :EdgeType;
  src @1 :UInt64;
  dst @2 :UInt64;
  validity @3 :Interval;       # for roles: the event's time; for relations: when it held
  status @4 :Status;
  confidence @5 :Float32;
  label @6 :Text;              # free detail ("artillery shells" quantity, relation nuance)
  provenance @7 :List(Provenance);
  owner @8 :UInt64;            # NodeId of the record that declared this edge (an event owns its
                               # roles); 0 for a standalone relation record, which has a `key`
  key @9 :Text;                # user key of a standalone relation record ("rel:peskov-kremlin")
}

# ---------------------------------------------------------------------------------------------
# Store metadata (the `meta` column family).

struct StoreInfo {
  formatVersion @0 :UInt32;
  createdBy @1 :Text;          # "geokg 0.1.0"
  createdAt @2 :Int64;
  storeId @3 :UInt64;          # random, distinguishes stores for snapshot caching
}

# What the events of one temporal-KG import share (`meta` key "fact-template:" ‖ be64 id, the id
# being the XXH3-64 of this message's bytes): events stored as compact facts name it and are
# rebuilt from it (src/model/fact_table.h, docs/storage.md).
struct FactTable {
  keyPrefix @0 :Text;          # "event:tkg:ICEWS18:"
  dataset @1 :Text;            # provenance dataset, "tkg:ICEWS18"
  epoch @2 :Int64;             # time = epoch + t * unitSeconds
  unitSeconds @3 :Int64;
  precision @4 :TimePrecision;
  span @5 :Int64;              # an event ends at start + span - 1
  files @6 :List(Text);        # provenance file names
  relations @7 :List(Text);    # relation names (event summaries)
  codes @8 :List(Text);        # CAMEO code per relation, "" for none
  actorOf @9 :List(UInt64);    # actor NodeId per entity, 0 for none
}
