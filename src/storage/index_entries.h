#pragma once
// The raw key/value entries a node or an edge occupies in the column families, as Store::Write
// writes them (codec/key_codec.h has the byte layouts): a node's value, its user-key entry, its
// name-index entries and its event-index entries; an edge's out and in adjacency keys and its
// payload. Shared by storage/bulk_writer so that bulk-ingested data is indistinguishable from
// data written through Store::Write. Pure functions; thread-safe.

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "codec/key_codec.h"
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

// Emits every entry of `node`: nodes, names, event_index.
void NodeEntries(const Node& node, const EntrySink& sink);

// The adjacency value of `edge` (confidence clamped to 0..1 and rounded to a percent).
codec::AdjValue AdjValueOf(const Edge& edge, bool has_payload);
// Emits the out and in adjacency entries of `edge`, and its payload in `edges` when
// `with_payload` (role edges bulk-imported with their event carry none: the event node holds
// their provenance).
void EdgeEntries(const Edge& edge, bool with_payload, const EntrySink& sink);

}  // namespace geokg::storage
