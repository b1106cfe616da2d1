#pragma once
// Pages (layouts in codec/key_codec.h): the `out`, `in` and `event_index` families store all
// entries of one prefix and one day as one value. Reading a page back, validated, and rewriting
// a page with edits. Shared by Store (scans, Write) and BulkWriter (Finish). Readers hold views
// into the key and value they were opened on, which must outlive them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "codec/key_codec.h"
#include "storage/store.h"
#include "util/status.h"

namespace geokg::storage {

// The page layout of family `cf`; null for a family that is not paged.
const codec::PageLayout* PageLayoutOf(Cf cf);

// What every page reader shares: the records and the seconds of the day that are times.
class PageRecords {
 public:
  size_t size() const { return size_; }
  std::string_view records() const { return records_; }

 protected:
  // Takes `value` as the records of a page of `day`; false if its size is not a positive
  // multiple of `record_size`.
  bool SetRecords(size_t record_size, int64_t day, std::string_view value);
  // Whether `sec` is a second of the day whose time fits in 64 bits.
  bool SecondOk(uint32_t sec) const { return sec >= min_sec_ && sec <= max_sec_; }
  Time TimeOf(uint32_t sec) const { return static_cast<Time>(day_start_ + sec); }

  int64_t day_ = 0;
  __int128 day_start_ = 0;  // day_ * 86400
  uint32_t min_sec_ = 0, max_sec_ = 0;
  std::string_view records_;
  size_t size_ = 0;
};

// A page read back from the `out` or `in` family. Open() checks the key and the size; each
// record is checked as it is decoded (scans pay one pass), or all at once by Validate() (writers,
// before they merge edits into the page).
class AdjPageReader : public PageRecords {
 public:
  // Corruption, naming the page, if the key or the size is malformed.
  Status Open(std::string_view key, std::string_view value);
  // Decodes entry i (i < size()) into `e`, checking it: second of the day, neighbour id, AdjValue
  // and order (after entry i - 1). False if it is malformed; BadRecord(i) then says why.
  bool Get(size_t i, AdjEntry* e) const;
  Status BadRecord(size_t i) const;
  // Checks every record.
  Status Validate() const;

 private:
  NodeId node_ = kNoNode;
  EdgeType type_ = EdgeType::kRelatedTo;
};

// A page read back from the `event_index` family: the events of one code and day. As
// AdjPageReader.
class EventPageReader : public PageRecords {
 public:
  // Corruption, naming the page, if the key or the size is malformed.
  Status Open(std::string_view key, std::string_view value);
  // The page's code, without padding (a view into the key).
  std::string_view code() const { return code_; }
  // Decodes event i (i < size()): its time and id, checking the second of the day, that the id
  // is an event's and the order (after event i - 1). False if it is malformed; BadRecord(i) then
  // says why.
  bool Get(size_t i, Time* time, NodeId* event) const;
  Status BadRecord(size_t i) const;
  Status Validate() const;

 private:
  std::string_view code_;
};

// Opens the stored page `key` -> `value` of paged family `cf` with its reader and checks every
// record; `*records` is then its records. Corruption naming the page.
Status ValidateStoredPage(Cf cf, std::string_view key, std::string_view value,
                          std::string_view* records);

// One change to a page: a record to put, or the record key to delete.
struct PageEdit {
  char record[codec::kMaxRecordSize];
  bool is_delete = false;
};

// The edit of entry key `entry` (layout.entry_size() bytes) with value `value` (layout.value
// bytes; ignored for a delete).
PageEdit MakePageEdit(const codec::PageLayout& layout, const char* entry, const char* value,
                      bool is_delete);

// `out` = the records of a page (validated, possibly empty) with `edits` applied; the edits are
// sorted by record key, at most one per key. An empty result means the page is to be deleted.
void ApplyPageEdits(const codec::PageLayout& layout, std::string_view records,
                    const std::vector<PageEdit>& edits, std::string* out);

}  // namespace geokg::storage
