#pragma once
// One JSON document per line, parsed into a small tree whose values and member names remember
// their byte offsets in the line, so that every problem found in a record can name its column
// (the curated loader's first pass, io/curated_loader.cc). simdjson On-Demand does the parsing;
// where it reports an error without a position, the line's bracket structure is scanned to find
// one.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace geokg::io {

struct JsonMember;

// A parsed JSON value that remembers where it starts in its line.
struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  size_t offset = 0;  // byte offset of the value's first character in the line
  bool boolean = false;
  double number = 0;
  std::string text;  // a string's unescaped value, or a number's token
  std::vector<JsonValue> items;
  std::vector<JsonMember> members;
};

struct JsonMember {
  std::string name;
  size_t offset = 0;  // byte offset of the name's opening quote
  JsonValue value;
};

// "a string", "an object", ... for messages.
std::string_view KindName(JsonValue::Kind k);

// An injective text form of a value with object members sorted by name: two records are "the
// same content" when their canonical forms are equal, whatever their spacing or member order.
void Canonical(const JsonValue& v, std::string* out);

// Offset of the first byte that does not belong to a well-formed UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF are ill-formed), or npos.
size_t FirstInvalidUtf8(std::string_view s);

// 1-based column of byte `offset`: the number of characters (UTF-8 lead bytes) before it, + 1.
uint64_t ColumnAt(std::string_view line, size_t offset);

// Parses lines that must each be one JSON object. Reuses its buffers from line to line.
class JsonLineParser {
 public:
  JsonLineParser();
  ~JsonLineParser();
  JsonLineParser(const JsonLineParser&) = delete;
  JsonLineParser& operator=(const JsonLineParser&) = delete;

  // Parses `line` (one JSON document) into *out. On failure sets *error_offset (a byte offset
  // in the line) and *error, and returns false.
  bool Parse(std::string_view line, JsonValue* out, size_t* error_offset, std::string* error);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace geokg::io
