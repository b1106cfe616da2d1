#pragma once
// Key encoding for every RocksDB column family. All integers are big-endian so that byte order
// equals numeric order; times are sign-flipped (t XOR 2^63) so that negative instants sort before
// positive ones. The byte layouts are documented at the top of key_codec.cc and in
// docs/storage.md. Decoders validate lengths and return false on malformed input (never crash).

#include <cstdint>
#include <string>
#include <string_view>

#include "model/types.h"

namespace geokg::codec {

// --- fixed-width primitives --------------------------------------------------------------------
void PutBE16(std::string* dst, uint16_t v);
void PutBE32(std::string* dst, uint32_t v);
void PutBE64(std::string* dst, uint64_t v);
void PutTime(std::string* dst, Time t);  // be64(t ^ 2^63)
uint16_t GetBE16(const char* p);
uint32_t GetBE32(const char* p);
uint64_t GetBE64(const char* p);
Time GetTime(const char* p);

// --- meta CF: "fact-template:" | be64 id -> FactTable (codec/value_codec.h) --------------------
std::string FactTableKey(uint64_t id);

// --- nodes CF: be64 node_id -> Node value -------------------------------------------------------
std::string NodeKey(NodeId id);
bool DecodeNodeKey(std::string_view key, NodeId* id);

// --- pages: out, in and event_index ---------------------------------------------------------
// A paged family is written as entries, each named by its entry key
//   prefix (layout.prefix bytes) | be64 (time XOR 2^63) | tail (layout.tail bytes)
// with a value of layout.value bytes, but stores pages: all entries of one prefix and one UTC day
// (floor(time / 86400 s)) are one value under the page key
//   prefix | be64 (day XOR 2^63)
// holding one record per entry, in entry-key order, none twice:
//   be32 second of the day | tail | value
// so the entry key order is the page order, then the record order. Writers (Store::Write,
// BulkWriter) take entries by entry key and rewrite the pages they fall on.
struct PageLayout {
  size_t prefix;  // entry and page key bytes before the time
  size_t tail;    // entry key bytes after the time, copied into the record
  size_t value;   // value bytes of an entry, the record's last
  constexpr size_t entry_size() const { return prefix + 8 + tail; }
  constexpr size_t page_key_size() const { return prefix + 8; }
  constexpr size_t record_key_size() const { return 4 + tail; }
  constexpr size_t record_size() const { return 4 + tail + value; }
};
inline constexpr int64_t kPageSeconds = 86400;
inline constexpr size_t kMaxRecordSize = 32;   // of any layout below
inline constexpr size_t kMaxPageKeySize = 32;  // of any layout below

// The day (page) of a time: floor(t / 86400), for every int64 t.
int64_t PageDay(Time t);
// The page key of the entry key `entry` (layout.entry_size() bytes) into `out`
// (layout.page_key_size() bytes).
void PageKeyOfEntry(const PageLayout& layout, const char* entry, char* out);
// The smallest entry key on the page of entry key `entry`: every entry key of an earlier page is
// less, every one of this page or a later one is not (cut points that never split a page).
std::string PageStart(const PageLayout& layout, std::string_view entry);
// The record bytes of entry key `entry` and its value (layout.value bytes; not read when 0)
// into `out` (layout.record_size() bytes).
void EncodeRecordTo(const PageLayout& layout, const char* entry, const char* value, char* out);
// The time of a record of page `day` whose second of the day is `sec`; false if the second is
// out of range (>= 86400, or a time beyond int64).
bool PageTime(int64_t day, uint32_t sec, Time* t);

// --- out / in CFs: adjacency, in pages ---------------------------------------------------------
// An adjacency entry (one edge seen from one end) is named by its entry key:
//   out: be64 src | be16 type | be64 time | be64 dst | be64 edge_id   (34 bytes)
//   in:  be64 dst | be16 type | be64 time | be64 src | be64 edge_id   (34 bytes)
// `time` is the edge's validity start (kUnknownTime when unknown). Pages (above) of one node, one
// type and one day:
//   be64 node | be16 type | be64 (day XOR 2^63)   (18 bytes)
// holding one 23-byte record per entry:
//   be32 second of the day | be64 neighbour | be64 edge_id | AdjValue (3 bytes)
inline constexpr PageLayout kAdjPages = {10, 16, 3};
inline constexpr size_t kAdjKeySize = kAdjPages.entry_size();
inline constexpr size_t kAdjPageKeySize = kAdjPages.page_key_size();
inline constexpr size_t kAdjRecordSize = kAdjPages.record_size();
inline constexpr size_t kAdjRecordKeySize = kAdjPages.record_key_size();
static_assert(kAdjKeySize == 34 && kAdjPageKeySize == 18 && kAdjRecordSize == 23 &&
              kAdjRecordSize <= kMaxRecordSize && kAdjPageKeySize <= kMaxPageKeySize);

struct AdjKey {
  NodeId node = kNoNode;  // the node whose adjacency this is (src for out, dst for in)
  EdgeType type = EdgeType::kRelatedTo;
  Time time = kUnknownTime;
  NodeId neighbor = kNoNode;  // the other end
  EdgeId edge = 0;
};
std::string EncodeAdjKey(const AdjKey& k);
void EncodeAdjKeyTo(const AdjKey& k, char* out);  // writes kAdjKeySize bytes
bool DecodeAdjKey(std::string_view key, AdjKey* out);

std::string AdjPageKey(NodeId node, EdgeType type, int64_t day);
// Decodes a page key; false if malformed (length, type).
bool DecodeAdjPageKey(std::string_view key, NodeId* node, EdgeType* type, int64_t* day);
// Decodes record `rec` of page (node, type, day) into `k`; the value bytes follow at
// rec + kAdjRecordKeySize. False if the second of the day is out of range.
bool DecodeAdjRecordKey(const char* rec, NodeId node, EdgeType type, int64_t day, AdjKey* k);

// Scan bounds over page keys: the pages of `node` (any type) / of `node` and `type` / of `node`,
// `type` and the days of [t1, t2]. Lower bound inclusive, upper bound exclusive. A page in the
// range may hold entries outside [t1, t2] (the first and last day): scans check each time.
std::string AdjNodePrefix(NodeId node);
std::string AdjTypePrefix(NodeId node, EdgeType type);
std::string AdjPageLower(NodeId node, EdgeType type, Time t1);
std::string AdjPageUpper(NodeId node, EdgeType type, Time t2);  // first page after t2's

// The adjacency value: what traversals need without reading the edge payload.
// u8 status | u8 confidence (0..100, percent) | u8 flags (bit 0: a payload is stored in `edges`)
inline constexpr size_t kAdjValueSize = 3;
static_assert(kAdjValueSize == kAdjPages.value);
struct AdjValue {
  FactStatus status = FactStatus::kUnknown;
  uint8_t confidence_pct = 100;
  bool has_payload = false;
};
std::string EncodeAdjValue(const AdjValue& v);
bool DecodeAdjValue(std::string_view bytes, AdjValue* out);

// --- edges CF: be64 edge_id -> Edge value
// ---------------------------------------------------------
std::string EdgeKey(EdgeId id);

// --- names CF: normalized name | 0x00 | be64 node_id -> empty -----------------------------------
std::string NameKey(std::string_view normalized, NodeId id);
std::string NamePrefix(std::string_view normalized);  // normalized | 0x00
bool DecodeNameKey(std::string_view key, std::string_view* normalized, NodeId* id);

// --- event_index CF: events by code, in pages -------------------------------------------------
// An event is named by its entry key
//   'c' | code padded with 0x00 to 4 bytes | be64 time | be64 event_id   (21 bytes)
// and stored in pages (above) of one code and one day:
//   'c' | code (4 bytes) | be64 (day XOR 2^63)   (13 bytes)
// holding one 12-byte record per event:
//   be32 second of the day | be64 event_id
// A CAMEO prefix "04" is a byte prefix of every code under it, so "events under 04 between t1 and
// t2" is one range of pages per distinct code. Time order across codes is a merge of the
// per-code runs (Store::ScanEventsByTime).
inline constexpr size_t kCodeWidth = 4;
inline constexpr PageLayout kEventPages = {1 + kCodeWidth, 8, 0};
inline constexpr size_t kEventByCodeKeySize = kEventPages.entry_size();
inline constexpr size_t kEventPageKeySize = kEventPages.page_key_size();
inline constexpr size_t kEventRecordSize = kEventPages.record_size();
static_assert(kEventByCodeKeySize == 21 && kEventPageKeySize == 13 && kEventRecordSize == 12);
static_assert(kEventRecordSize <= kMaxRecordSize && kEventPageKeySize <= kMaxPageKeySize);
// The entry key of an event.
std::string EventByCodeKey(std::string_view code, Time time, NodeId event);
// The same key written to `out` (kEventByCodeKeySize bytes), for the bulk path.
void EncodeEventByCodeKeyTo(std::string_view code, Time time, NodeId event, char* out);
// 'c' | the prefix: every entry and page key of the codes it starts.
std::string EventByCodePrefix(std::string_view code_prefix);
bool DecodeEventByCodeKey(std::string_view key, std::string* code, Time* time, NodeId* event);
// The page key of code `code` (at most kCodeWidth bytes) and day `day`.
std::string EventPageKey(std::string_view code, int64_t day);
// Decodes a page key: `code` without its padding (a view into `key`) and the day; false if
// malformed (length, 'c', a code that is not digits then padding, a day of no int64 time).
bool DecodeEventPageKey(std::string_view key, std::string_view* code, int64_t* day);

// The smallest key greater than every key starting with `prefix` ("" if none exists).
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace geokg::codec
