// Adjacency pages: validation on read, and the one merge of a page with its edits.
#include "storage/adj_pages.h"

#include <algorithm>
#include <cstring>

namespace geokg::storage {

namespace {
int CompareRecordKeys(const char* a, const char* b) {
  return std::memcmp(a, b, codec::kAdjRecordKeySize);
}
// Record key order (second, neighbour, edge) on words: memcmp's call cost per entry showed in
// one-hop profiles.
bool RecordKeyLess(const char* a, const char* b) {
  const uint32_t sa = codec::GetBE32(a), sb = codec::GetBE32(b);
  if (sa != sb) return sa < sb;
  const uint64_t na = codec::GetBE64(a + 4), nb = codec::GetBE64(b + 4);
  if (na != nb) return na < nb;
  return codec::GetBE64(a + 12) < codec::GetBE64(b + 12);
}
}  // namespace

Status AdjPageReader::Open(std::string_view key, std::string_view value) {
  records_ = {};
  if (!codec::DecodeAdjPageKey(key, &node_, &type_, &day_) || !IsValidNodeId(node_)) {
    return Status::Corruption("malformed adjacency page key");
  }
  if (value.empty() || value.size() % codec::kAdjRecordSize != 0) {
    return Status::Corruption("adjacency page of node " + Hex(node_) + ", day " +
                              std::to_string(day_) + ": size " + std::to_string(value.size()) +
                              " is not a positive multiple of " +
                              std::to_string(codec::kAdjRecordSize));
  }
  day_start_ = static_cast<__int128>(day_) * codec::kAdjPageSeconds;
  min_sec_ =
      static_cast<uint32_t>(std::max<__int128>(0, static_cast<__int128>(INT64_MIN) - day_start_));
  max_sec_ = static_cast<uint32_t>(std::min<__int128>(
      codec::kAdjPageSeconds - 1, static_cast<__int128>(INT64_MAX) - day_start_));
  records_ = value;
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
  e->time = static_cast<Time>(day_start_ + sec);
  e->neighbor = codec::GetBE64(rec + 4);
  e->edge = codec::GetBE64(rec + 12);
  e->status = static_cast<FactStatus>(status);
  e->confidence_pct = conf;
  e->has_payload = (flags & 1u) != 0;
  return sec >= min_sec_ && sec <= max_sec_ && IsValidNodeId(e->neighbor) &&
         status < kStatusCount && conf <= 100 && (flags & ~1u) == 0 &&
         (i == 0 || RecordKeyLess(rec - codec::kAdjRecordSize, rec));
}

Status AdjPageReader::BadRecord(size_t i) const {
  const bool ordered = i == 0 || RecordKeyLess(records_.data() + (i - 1) * codec::kAdjRecordSize,
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

AdjEdit MakeAdjEdit(const char* entry, const char* value, bool is_delete) {
  static constexpr char kNoValue[codec::kAdjValueSize] = {};
  AdjEdit edit;
  codec::EncodeAdjRecordTo(entry, is_delete ? kNoValue : value, edit.record);
  edit.is_delete = is_delete;
  return edit;
}

void ApplyAdjEdits(std::string_view records, const std::vector<AdjEdit>& edits, std::string* out) {
  out->clear();
  out->reserve(records.size() + edits.size() * codec::kAdjRecordSize);
  const char* r = records.data();
  const char* const end = records.data() + records.size();
  for (const AdjEdit& edit : edits) {
    while (r < end && CompareRecordKeys(r, edit.record) < 0) {
      out->append(r, codec::kAdjRecordSize);
      r += codec::kAdjRecordSize;
    }
    if (r < end && CompareRecordKeys(r, edit.record) == 0) r += codec::kAdjRecordSize;
    if (!edit.is_delete) out->append(edit.record, codec::kAdjRecordSize);
  }
  out->append(r, static_cast<size_t>(end - r));
}

}  // namespace geokg::storage
