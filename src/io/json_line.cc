#include "io/json_line.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace geokg::io {
namespace {

namespace sj = simdjson;
namespace od = simdjson::ondemand;

// Deepest nesting of objects and arrays a record may have (the root object is depth 1). Records
// nest a few levels; the limit keeps Convert's recursion off the end of the stack and below
// simdjson's own max_depth (1024), which On-Demand does not enforce on its own.
constexpr int kMaxDepth = 64;

// Offset of the opening quote of a string that is never closed, or npos.
size_t UnclosedStringOffset(std::string_view line) {
  bool in_string = false;
  size_t open = std::string_view::npos;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      open = i;
    }
  }
  return in_string ? open : std::string_view::npos;
}

// Finds where the bracket structure of `line` goes wrong, for the errors simdjson reports without
// a position (it checks the whole document's nesting before handing out values): a closer that
// does not match, text after the root value, or a value never closed. Strings are skipped.
bool StructureProblem(std::string_view line, size_t* offset, std::string* message) {
  std::string stack;
  bool in_string = false;
  bool root_closed = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (root_closed) {
      *offset = i;
      *message = "malformed JSON: unexpected text after the record's closing brace";
      return true;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      stack.push_back(c == '{' ? '}' : ']');
    } else if (c == '}' || c == ']') {
      if (stack.empty() || stack.back() != c) {
        *offset = i;
        *message = std::string("malformed JSON: unexpected '") + c + "'" +
                   (stack.empty() ? "" : std::string(", expected '") + stack.back() + "'");
        return true;
      }
      stack.pop_back();
      if (stack.empty()) root_closed = true;
    }
  }
  if (!stack.empty() && !in_string) {
    *offset = line.size();
    *message =
        std::string("malformed JSON: the line ends before the closing '") + stack.back() + "'";
    return true;
  }
  return false;
}

std::string_view JsonErrorText(sj::error_code e) {
  switch (e) {
    case sj::TAPE_ERROR:
    case sj::INCOMPLETE_ARRAY_OR_OBJECT:
      return "malformed JSON: a comma, colon, brace, bracket or quote is missing or superfluous";
    case sj::NUMBER_ERROR:
    case sj::NUMBER_OUT_OF_RANGE:
      return "malformed JSON: invalid or out-of-range number";
    case sj::STRING_ERROR:
      return "malformed JSON: invalid string (bad escape or control character)";
    case sj::UNESCAPED_CHARS:
      return "malformed JSON: control character inside a string";
    case sj::UNCLOSED_STRING:
      return "malformed JSON: string is never closed";
    case sj::T_ATOM_ERROR:
    case sj::F_ATOM_ERROR:
    case sj::N_ATOM_ERROR:
    case sj::INCORRECT_TYPE:
      return "malformed JSON: invalid value (not a string, number, object, "
             "array, true, false or null)";
    case sj::DEPTH_ERROR:
      return "malformed JSON: nested too deeply";
    case sj::UTF8_ERROR:
      return "invalid UTF-8";
    default:
      return "";
  }
}

}  // namespace

std::string_view KindName(JsonValue::Kind k) {
  switch (k) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return "a boolean";
    case JsonValue::Kind::kNumber:
      return "a number";
    case JsonValue::Kind::kString:
      return "a string";
    case JsonValue::Kind::kArray:
      return "an array";
    case JsonValue::Kind::kObject:
      return "an object";
  }
  return "?";
}

void Canonical(const JsonValue& v, std::string* out) {
  switch (v.kind) {
    case JsonValue::Kind::kNull:
      out->append("z");
      break;
    case JsonValue::Kind::kBool:
      out->append(v.boolean ? "t" : "f");
      break;
    case JsonValue::Kind::kNumber: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "n%.17g;", v.number);
      out->append(buf);
      break;
    }
    case JsonValue::Kind::kString:
      out->append("s" + std::to_string(v.text.size()) + ":");
      out->append(v.text);
      break;
    case JsonValue::Kind::kArray:
      out->append("[");
      for (const auto& item : v.items) Canonical(item, out);
      out->append("]");
      break;
    case JsonValue::Kind::kObject: {
      std::vector<const JsonMember*> sorted;
      for (const auto& m : v.members) sorted.push_back(&m);
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const JsonMember* a, const JsonMember* b) { return a->name < b->name; });
      out->append("{");
      for (const JsonMember* m : sorted) {
        out->append(std::to_string(m->name.size()) + ":" + m->name);
        Canonical(m->value, out);
      }
      out->append("}");
      break;
    }
  }
}

size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b1 < lo || b1 > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      const auto bk = static_cast<unsigned char>(s[i + k]);
      if (bk < 0x80 || bk > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

uint64_t ColumnAt(std::string_view line, size_t offset) {
  offset = std::min(offset, line.size());
  uint64_t col = 1;
  for (size_t i = 0; i < offset; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
  }
  return col;
}

class JsonLineParser::Impl {
 public:
  bool Parse(std::string_view line, JsonValue* out, size_t* error_offset, std::string* error) {
    padded_ = sj::padded_string(line);
    base_ = padded_.data();
    size_ = line.size();
    od::document doc;
    sj::error_code e = parser_.iterate(padded_).get(doc);
    if (e) {
      size_t off = 0;
      if (e == sj::UNCLOSED_STRING) {
        const size_t q = UnclosedStringOffset(line);
        if (q != std::string_view::npos) off = q;
      } else if (StructureProblem(line, error_offset, error)) {
        return false;
      }
      return Fail(e, off, error_offset, error);
    }
    doc_ = &doc;
    od::json_type type;
    if ((e = doc.type().get(type))) return Fail(e, Location(0), error_offset, error);
    if (type != od::json_type::object) {
      *error_offset = line.find_first_not_of(" \t");
      if (*error_offset == std::string_view::npos) *error_offset = 0;
      *error = "a record must be a JSON object ({...}), not " +
               std::string(type == od::json_type::array ? "an array" : "a scalar value");
      return false;
    }
    od::object object;
    out->offset = line.find('{');
    if ((e = doc.get_object().get(object))) {
      if (StructureProblem(line, error_offset, error)) return false;
      return Fail(e, Location(0), error_offset, error);
    }
    size_t fail_offset = 0;
    if ((e = ConvertObject(object, out, 1, &fail_offset))) {
      return Fail(e, fail_offset, error_offset, error);
    }
    // Anything after the object is an error; current_location() fails when nothing is left.
    const char* rest = nullptr;
    if (!doc.current_location().get(rest) && rest != nullptr && rest >= base_ &&
        rest < base_ + size_) {
      *error_offset = static_cast<size_t>(rest - base_);
      *error = "malformed JSON: unexpected text after the record's closing brace";
      return false;
    }
    return true;
  }

 private:
  bool Fail(sj::error_code e, size_t offset, size_t* error_offset, std::string* error) const {
    *error_offset = offset;
    std::string_view text = JsonErrorText(e);
    *error =
        text.empty() ? "malformed JSON: " + std::string(sj::error_message(e)) : std::string(text);
    if (e == sj::DEPTH_ERROR) *error += " (more than " + std::to_string(kMaxDepth) + " levels)";
    return false;
  }

  // Where the iterator stopped, or `fallback` when simdjson cannot say.
  size_t Location(size_t fallback) const {
    const char* at = nullptr;
    if (doc_ != nullptr && !doc_->current_location().get(at) && at != nullptr && at >= base_ &&
        at <= base_ + size_) {
      return static_cast<size_t>(at - base_);
    }
    return fallback;
  }

  size_t OffsetOf(const char* p) const {
    if (p == nullptr || p < base_ || p > base_ + size_) return 0;
    return static_cast<size_t>(p - base_);
  }

  // `depth` is the nesting depth of the object or array being converted (the root object: 1).
  sj::error_code ConvertObject(od::object& object, JsonValue* out, int depth, size_t* fail) {
    out->kind = JsonValue::Kind::kObject;
    for (auto field_result : object) {
      od::field field;
      sj::error_code e = std::move(field_result).get(field);
      if (e) {
        *fail = Location(out->offset);
        return e;
      }
      JsonMember member;
      member.offset = OffsetOf(field.key().raw()) - 1;  // raw() points after the opening quote
      std::string_view name;
      if ((e = field.unescaped_key().get(name))) {
        *fail = member.offset;
        return e;
      }
      member.name = std::string(name);
      if ((e = Convert(field.value(), &member.value, depth + 1, fail))) return e;
      out->members.push_back(std::move(member));
    }
    return sj::SUCCESS;
  }

  sj::error_code Convert(od::value value, JsonValue* out, int depth, size_t* fail) {
    out->offset = OffsetOf(value.raw_json_token().data());
    od::json_type type;
    sj::error_code e = value.type().get(type);
    if (e) {
      *fail = out->offset;
      return e;
    }
    if (depth > kMaxDepth && (type == od::json_type::object || type == od::json_type::array)) {
      *fail = out->offset;
      return sj::DEPTH_ERROR;
    }
    switch (type) {
      case od::json_type::object: {
        od::object object;
        if ((e = value.get_object().get(object))) {
          *fail = out->offset;
          return e;
        }
        return ConvertObject(object, out, depth, fail);
      }
      case od::json_type::array: {
        out->kind = JsonValue::Kind::kArray;
        od::array array;
        if ((e = value.get_array().get(array))) {
          *fail = out->offset;
          return e;
        }
        for (auto item_result : array) {
          od::value item;
          if ((e = std::move(item_result).get(item))) {
            *fail = Location(out->offset);
            return e;
          }
          JsonValue converted;
          if ((e = Convert(item, &converted, depth + 1, fail))) return e;
          out->items.push_back(std::move(converted));
        }
        return sj::SUCCESS;
      }
      case od::json_type::number: {
        out->kind = JsonValue::Kind::kNumber;
        out->text = std::string(value.raw_json_token());
        while (!out->text.empty() && (out->text.back() == ' ' || out->text.back() == '\t')) {
          out->text.pop_back();
        }
        if ((e = value.get_double().get(out->number)) || !std::isfinite(out->number)) {
          *fail = out->offset;
          return e ? e : sj::NUMBER_ERROR;
        }
        return sj::SUCCESS;
      }
      case od::json_type::string: {
        out->kind = JsonValue::Kind::kString;
        std::string_view s;
        if ((e = value.get_string().get(s))) {
          *fail = out->offset;
          return e;
        }
        out->text = std::string(s);
        return sj::SUCCESS;
      }
      case od::json_type::boolean:
        out->kind = JsonValue::Kind::kBool;
        if ((e = value.get_bool().get(out->boolean))) *fail = out->offset;
        return e;
      case od::json_type::null: {
        out->kind = JsonValue::Kind::kNull;
        bool is_null = false;
        if ((e = value.is_null().get(is_null)) || !is_null) {
          *fail = out->offset;
          return e ? e : sj::N_ATOM_ERROR;
        }
        return sj::SUCCESS;
      }
    }
    *fail = out->offset;
    return sj::INCORRECT_TYPE;
  }

  od::parser parser_;
  sj::padded_string padded_;
  const char* base_ = nullptr;
  size_t size_ = 0;
  od::document* doc_ = nullptr;
};

JsonLineParser::JsonLineParser() : impl_(std::make_unique<Impl>()) {}
JsonLineParser::~JsonLineParser() = default;

bool JsonLineParser::Parse(std::string_view line, JsonValue* out, size_t* error_offset,
                           std::string* error) {
  return impl_->Parse(line, out, error_offset, error);
}

}  // namespace geokg::io
