#pragma once
// Adjacency pages (layout in codec/key_codec.h): reading a page back, validated, and rewriting a
// page with edits. Shared by Store (scans, Write) and BulkWriter (Finish).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "codec/key_codec.h"
#include "storage/store.h"
#include "util/status.h"

namespace geokg::storage {

// A page read back from the `out` or `in` family. Open() checks the key and the size; each
// record is checked as it is decoded (scans pay one pass), or all at once by Validate() (writers,
// before they merge edits into the page).
class AdjPageReader {
 public:
  // Corruption, naming the page, if the key or the size is malformed.
  Status Open(std::string_view key, std::string_view value);
  size_t size() const { return records_.size() / codec::kAdjRecordSize; }
  // Decodes entry i (i < size()) into `e`, checking it: second of the day, neighbour id, AdjValue
  // and order (after entry i - 1). False if it is malformed; BadRecord(i) then says why.
  bool Get(size_t i, AdjEntry* e) const;
  Status BadRecord(size_t i) const;
  // Checks every record.
  Status Validate() const;
  std::string_view records() const { return records_; }

 private:
  NodeId node_ = kNoNode;
  EdgeType type_ = EdgeType::kRelatedTo;
  int64_t day_ = 0;
  __int128 day_start_ = 0;              // day_ * 86400
  uint32_t min_sec_ = 0, max_sec_ = 0;  // the seconds whose time fits in 64 bits
  std::string_view records_;
};

// One change to a page: a record to put (record key and AdjValue), or the record key to delete.
struct AdjEdit {
  char record[codec::kAdjRecordSize];
  bool is_delete = false;
};

// The edit of entry key `entry` (kAdjKeySize bytes) with AdjValue `value` (kAdjValueSize bytes;
// ignored for a delete).
AdjEdit MakeAdjEdit(const char* entry, const char* value, bool is_delete);

// `out` = the records of a page (validated, possibly empty) with `edits` applied; the edits are
// sorted by record key, at most one per key. An empty result means the page is to be deleted.
void ApplyAdjEdits(std::string_view records, const std::vector<AdjEdit>& edits, std::string* out);

}  // namespace geokg::storage
