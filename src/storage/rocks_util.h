#pragma once
// Small conversions between RocksDB's types and ours, for the storage layer's .cc files only
// (store.h keeps RocksDB out of its interface).

#include <rocksdb/slice.h>
#include <rocksdb/status.h>

#include <string>
#include <string_view>

#include "util/status.h"

namespace geokg::storage {

// A RocksDB status as ours, its message prefixed with `context` (what was being done).
inline Status FromRocks(const rocksdb::Status& s, const std::string& context) {
  if (s.ok()) return Status::OK();
  if (s.IsNotFound()) return Status::NotFound(context + ": " + s.ToString());
  if (s.IsCorruption()) return Status::Corruption(context + ": " + s.ToString());
  if (s.IsInvalidArgument()) return Status::InvalidArgument(context + ": " + s.ToString());
  return Status::IOError(context + ": " + s.ToString());
}

inline rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
inline std::string_view ToView(const rocksdb::Slice& s) {
  return std::string_view(s.data(), s.size());
}

}  // namespace geokg::storage
