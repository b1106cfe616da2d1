#pragma once
// The raw key/value entries a node or an edge occupies in the column families, as Store::Write
// writes them (codec/key_codec.h has the byte layouts): a node's value, its name-index entries,
// its event-index entry and its participants' `out` entries; an edge's `out` and `in` entries
// (entry keys: the writers put them into pages) and its payload. Shared by storage/bulk_writer so
// that bulk-ingested data is indistinguishable from data written through Store::Write. Pure
// functions; thread-safe.

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "codec/key_codec.h"
#include "codec/value_codec.h"
#include "model/types.h"
#include "storage/store.h"

namespace geokg::storage {

// Receives one entry: column family, key and value (valid only during the call).
using EntrySink = std::function<void(Cf cf, std::string_view key, std::string_view value)>;

// The normalized, de-duplicated names under which a node is found (actors and items: name and
// aliases; other kinds: none).
std::set<std::string> IndexedNamesOf(const Node& node);
// The event_index key of an event (by code, then time); empty for other kinds.
std::vector<std::string> EventIndexKeysOf(const Node& node);

// Emits every entry of `node`: nodes, names, event_index, and the `out` entries of an event's
// participants (Event::participants: their `in` side is the event's own list). Without
// `with_value`, all but the nodes entry (the node's value is written some other way).
void NodeEntries(const Node& node, const EntrySink& sink, bool with_value = true);

// The entries of event node `id` (body `ev`) that NodeEntries writes besides its value, one at a
// time, for writers that derive them without a Node (BulkWriter's facts): its event_index entry
// key (codec::kEventByCodeKeySize bytes into `key`), and participant `p`'s `out` entry
// (codec::kAdjKeySize key bytes into `key`, its value into `value`).
void EventIndexEntryTo(NodeId id, const Event& ev, char* key);
void ParticipantOutEntryTo(NodeId id, const Event& ev, const Participant& p, char* key,
                           std::string* value);

// The role edge of participant `p` of event node `event` (`ev` its body): owned by the event,
// no payload, the event's time, status and confidence.
Edge ParticipantEdge(NodeId event, const Event& ev, const Participant& p);
// The `out` entry keys of an event's participants (empty for other nodes): what a write that
// replaces the node must delete when they are not the new node's.
std::vector<std::string> ParticipantOutKeys(const Node& node);
// The `in` entries of event `event` that its participants imply, in entry-key order.
void ParticipantInEntries(NodeId event, const codec::EventRoles& roles, std::vector<AdjEntry>* out);

// The adjacency value of `edge` (confidence clamped to 0..1 and rounded to a percent).
codec::AdjValue AdjValueOf(const Edge& edge, bool has_payload);
// The same for an edge of that status and confidence.
codec::AdjValue AdjValueFor(FactStatus status, float confidence, bool has_payload);
// Emits the out and in adjacency entries of `edge`, and its payload in `edges` when
// `with_payload` (role edges bulk-imported with their event carry none: the event node holds
// their provenance).
void EdgeEntries(const Edge& edge, bool with_payload, const EntrySink& sink);

}  // namespace geokg::storage
