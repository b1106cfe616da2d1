// Pages: validation on read, and the one merge of a page with its edits.
#include "storage/pages.h"

#include <algorithm>
#include <cstring>

namespace geokg::storage {

const codec::PageLayout* PageLayoutOf(Cf cf) {
  switch (cf) {
    case Cf::kOut:
    case Cf::kIn:
      return &codec::kAdjPages;
    case Cf::kEventIndex:
      return &codec::kEventPages;
    default:
      return nullptr;
  }
}

bool PageRecords::SetRecords(size_t record_size, int64_t day, std::string_view value) {
  records_ = {};
  size_ = 0;
  day_ = day;
  if (value.empty() || value.size() % record_size != 0) return false;
  day_start_ = static_cast<__int128>(day) * codec::kPageSeconds;
  min_sec_ =
      static_cast<uint32_t>(std::max<__int128>(0, static_cast<__int128>(INT64_MIN) - day_start_));
  max_sec_ = static_cast<uint32_t>(
      std::min<__int128>(codec::kPageSeconds - 1, static_cast<__int128>(INT64_MAX) - day_start_));
  records_ = value;
  size_ = value.size() / record_size;
  return true;
}

namespace {
// Record key order of adjacency records (second, neighbour, edge) on words: memcmp's call cost
// per entry showed in one-hop profiles.
bool AdjRecordLess(const char* a, const char* b) {
  const uint32_t sa = codec::GetBE32(a), sb = codec::GetBE32(b);
  if (sa != sb) return sa < sb;
  const uint64_t na = codec::GetBE64(a + 4), nb = codec::GetBE64(b + 4);
  if (na != nb) return na < nb;
  return codec::GetBE64(a + 12) < codec::GetBE64(b + 12);
}
// Event records (second, event id).
bool EventRecordLess(const char* a, const char* b) {
  const uint32_t sa = codec::GetBE32(a), sb = codec::GetBE32(b);
  if (sa != sb) return sa < sb;
  return codec::GetBE64(a + 4) < codec::GetBE64(b + 4);
}
std::string SizeError(std::string_view value, size_t record_size) {
  return ": size " + std::to_string(value.size()) + " is not a positive multiple of " +
         std::to_string(record_size);
}
}  // namespace

Status AdjPageReader::Open(std::string_view key, std::string_view value) {
  int64_t day = 0;
  if (!codec::DecodeAdjPageKey(key, &node_, &type_, &day) || !IsValidNodeId(node_)) {
    records_ = {};
    size_ = 0;
    return Status::Corruption("malformed adjacency page key");
  }
  if (!SetRecords(codec::kAdjRecordSize, day, value)) {
    return Status::Corruption("adjacency page of node " + Hex(node_) + ", day " +
                              std::to_string(day) + SizeError(value, codec::kAdjRecordSize));
  }
  return Status::OK();
}

bool AdjPageReader::Get(size_t i, AdjEntry* e) const {
  const char* rec = records_.data() + i * codec::kAdjRecordSize;
  const uint32_t sec = codec::GetBE32(rec);
  const auto status = static_cast<uint8_t>(rec[codec::kAdjRecordKeySize]);
  const auto conf = static_cast<uint8_t>(rec[codec::kAdjRecordKeySize + 1]);
  const auto flags = static_cast<uint8_t>(rec[codec::kAdjRecordKeySize + 2]);
  e->node = node_;
  e->type = type_;
  e->time = TimeOf(sec);
  e->neighbor = codec::GetBE64(rec + 4);
  e->edge = codec::GetBE64(rec + 12);
  e->status = static_cast<FactStatus>(status);
  e->confidence_pct = conf;
  e->has_payload = (flags & 1u) != 0;
  return SecondOk(sec) && IsValidNodeId(e->neighbor) && status < kStatusCount && conf <= 100 &&
         (flags & ~1u) == 0 && (i == 0 || AdjRecordLess(rec - codec::kAdjRecordSize, rec));
}

Status AdjPageReader::BadRecord(size_t i) const {
  const bool ordered = i == 0 || AdjRecordLess(records_.data() + (i - 1) * codec::kAdjRecordSize,
                                               records_.data() + i * codec::kAdjRecordSize);
  return Status::Corruption("adjacency page of node " + Hex(node_) + ", day " +
                            std::to_string(day_) + ": record " + std::to_string(i) + " is " +
                            (ordered ? "malformed" : "out of order"));
}

Status AdjPageReader::Validate() const {
  AdjEntry e;
  for (size_t i = 0, n = size(); i < n; ++i) {
    if (!Get(i, &e)) return BadRecord(i);
  }
  return Status::OK();
}

Status EventPageReader::Open(std::string_view key, std::string_view value) {
  int64_t day = 0;
  if (!codec::DecodeEventPageKey(key, &code_, &day)) {
    records_ = {};
    size_ = 0;
    return Status::Corruption("malformed event index page key");
  }
  if (!SetRecords(codec::kEventRecordSize, day, value)) {
    return Status::Corruption("event index page of code '" + std::string(code_) + "', day " +
                              std::to_string(day) + SizeError(value, codec::kEventRecordSize));
  }
  return Status::OK();
}

bool EventPageReader::Get(size_t i, Time* time, NodeId* event) const {
  const char* rec = records_.data() + i * codec::kEventRecordSize;
  const uint32_t sec = codec::GetBE32(rec);
  *time = TimeOf(sec);
  *event = codec::GetBE64(rec + 4);
  return SecondOk(sec) && IsValidNodeId(*event) && KindOf(*event) == NodeKind::kEvent &&
         (i == 0 || EventRecordLess(rec - codec::kEventRecordSize, rec));
}

Status EventPageReader::BadRecord(size_t i) const {
  const bool ordered =
      i == 0 || EventRecordLess(records_.data() + (i - 1) * codec::kEventRecordSize,
                                records_.data() + i * codec::kEventRecordSize);
  return Status::Corruption("event index page of code '" + std::string(code_) + "', day " +
                            std::to_string(day_) + ": record " + std::to_string(i) + " is " +
                            (ordered ? "malformed" : "out of order"));
}

Status EventPageReader::Validate() const {
  Time t;
  NodeId id;
  for (size_t i = 0, n = size(); i < n; ++i) {
    if (!Get(i, &t, &id)) return BadRecord(i);
  }
  return Status::OK();
}

Status ValidateStoredPage(Cf cf, std::string_view key, std::string_view value,
                          std::string_view* records) {
  if (cf == Cf::kEventIndex) {
    EventPageReader page;
    GEOKG_RETURN_IF_ERROR(page.Open(key, value));
    GEOKG_RETURN_IF_ERROR(page.Validate());
    *records = page.records();
    return Status::OK();
  }
  AdjPageReader page;
  GEOKG_RETURN_IF_ERROR(page.Open(key, value));
  GEOKG_RETURN_IF_ERROR(page.Validate());
  *records = page.records();
  return Status::OK();
}

PageEdit MakePageEdit(const codec::PageLayout& layout, const char* entry, const char* value,
                      bool is_delete) {
  static constexpr char kNoValue[codec::kMaxRecordSize] = {};
  PageEdit edit;
  codec::EncodeRecordTo(layout, entry, is_delete ? kNoValue : value, edit.record);
  edit.is_delete = is_delete;
  return edit;
}

void ApplyPageEdits(const codec::PageLayout& layout, std::string_view records,
                    const std::vector<PageEdit>& edits, std::string* out) {
  const size_t size = layout.record_size(), key_size = layout.record_key_size();
  out->clear();
  out->reserve(records.size() + edits.size() * size);
  const char* r = records.data();
  const char* const end = records.data() + records.size();
  for (const PageEdit& edit : edits) {
    while (r < end && std::memcmp(r, edit.record, key_size) < 0) {
      out->append(r, size);
      r += size;
    }
    if (r < end && std::memcmp(r, edit.record, key_size) == 0) r += size;
    if (!edit.is_delete) out->append(edit.record, size);
  }
  out->append(r, static_cast<size_t>(end - r));
}

}  // namespace geokg::storage
