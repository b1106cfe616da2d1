// The curated loader in three passes, so that nothing is written unless everything is valid:
//   1. each line is parsed by simdjson On-Demand into a small positioned tree (JsonValue: every
//      value and member name keeps its byte offset in the line, taken from the pointers simdjson
//      hands out), then checked field by field into a Record (a Node or an Edge plus the
//      references it makes); every problem becomes a Diagnostic and scanning goes on;
//   2. references are resolved against the keys defined in the files, then the store's key index;
//   3. if no Diagnostic was raised, one storage::WriteBatch is built and written.
// Ids are deterministic (MakeNodeId / MakeOwnedEdgeId / MakeKeyedEdgeId of the user keys), so a
// reload rewrites the same nodes and edges, and Store::Write reports them unchanged.
#include "io/curated_loader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "io/json_line.h"
#include "io/line_reader.h"
#include "model/cameo.h"
#include "model/time_format.h"
#include "model/vocab.h"
#include "util/normalize.h"

namespace geokg::io {
namespace {

constexpr std::string_view kDataset = "curated";
constexpr size_t kMaxKeyLength = 200;
// Above this many keys, dangling references get no "did you mean" (it compares with every key).
constexpr size_t kMaxKeysForSuggestions = 100000;

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

template <typename Names>
std::string OneOf(const Names& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += std::string(n);
  }
  return out;
}

// "unknown status 'planed' (expected one of: ...; did you mean 'planned'?)"
template <typename Names>
std::string UnknownName(std::string_view what, std::string_view got, const Names& names) {
  std::string msg =
      "unknown " + std::string(what) + " " + Quoted(got) + " (expected one of: " + OneOf(names);
  int best = 3;
  std::string best_name;
  for (const auto& n : names) {
    const int d = EditDistance(got, n, 2);
    if (d < best) {
      best = d;
      best_name = std::string(n);
    }
  }
  msg += ")";
  if (!best_name.empty()) msg += "; did you mean " + Quoted(best_name) + "?";
  return msg;
}

// ---------------------------------------------------------------------------------------------
// Records.

enum class RecordType { kSource, kActor, kItem, kEvent, kStatement, kRelation };
constexpr std::string_view kRecordTypeNames[] = {"source", "actor",     "item",
                                                 "event",  "statement", "relation"};
// The key prefix of each record type ("rel" for relations: they are edges, not nodes).
constexpr std::string_view kKeyPrefixes[] = {"source", "actor",     "item",
                                             "event",  "statement", "rel"};

NodeKind NodeKindOf(RecordType t) {
  switch (t) {
    case RecordType::kSource:
      return NodeKind::kSource;
    case RecordType::kActor:
      return NodeKind::kActor;
    case RecordType::kItem:
      return NodeKind::kItem;
    case RecordType::kEvent:
      return NodeKind::kEvent;
    case RecordType::kStatement:
      return NodeKind::kStatement;
    case RecordType::kRelation:
      break;
  }
  return NodeKind::kActor;  // unreachable for node records
}

std::string_view Article(NodeKind k) {
  return k == NodeKind::kActor || k == NodeKind::kEvent || k == NodeKind::kItem ? "an" : "a";
}

// Checks a user key's syntax: "<prefix>:<name>" with a known prefix and only [a-z0-9._:-].
// Returns an empty string when valid, else why not; *type gets the record type of the prefix.
std::string CheckKey(std::string_view key, RecordType* type) {
  if (key.empty()) return "empty key";
  if (key.size() > kMaxKeyLength) {
    return "key is longer than " + std::to_string(kMaxKeyLength) + " characters";
  }
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == ':' || c == '-';
    if (!ok) {
      return "invalid character " + Quoted(key.substr(i, 1)) + " in key " + Quoted(key) +
             " (keys use only a-z, 0-9, '.', '_', ':' and '-')";
    }
  }
  const size_t colon = key.find(':');
  if (colon == std::string_view::npos) {
    return "key " + Quoted(key) + " has no type prefix (e.g. 'actor:" + std::string(key) + "')";
  }
  const std::string_view prefix = key.substr(0, colon);
  for (size_t i = 0; i < std::size(kKeyPrefixes); ++i) {
    if (kKeyPrefixes[i] == prefix) {
      if (colon + 1 == key.size()) return "key " + Quoted(key) + " has nothing after its prefix";
      *type = static_cast<RecordType>(i);
      return "";
    }
  }
  return "key " + Quoted(key) + " has an unknown prefix " + Quoted(prefix) +
         " (expected actor:, event:, source:, statement:, item: or rel:)";
}

// Where something is, for a Diagnostic.
struct Position {
  size_t file = 0;  // index into the path list
  uint64_t line = 0;
  uint64_t column = 0;
  std::string field;
};

// A reference from a record to a node key, resolved in pass 2.
struct Ref {
  std::string key;
  NodeKind kind;
  Position where;
};

struct Record {
  RecordType type = RecordType::kSource;
  std::string key;
  Position key_at;
  std::string canonical;
  bool valid = true;  // no diagnostic was raised for this line
  std::vector<Ref> refs;
  std::optional<Node> node;
  std::vector<Edge> owned_edges;  // events and statements: the edges they declare
  std::optional<Edge> relation;   // relation records
};

// Reads the records of one line, reporting into `errors`.
class LineChecker {
 public:
  LineChecker(const std::vector<std::string>& paths, size_t file, uint64_t line,
              std::string_view text, std::vector<Diagnostic>* errors)
      : paths_(paths), file_(file), line_(line), text_(text), errors_(errors) {}

  size_t error_count() const { return errors_->size(); }

  Position At(size_t offset, std::string field) const {
    return Position{file_, line_, ColumnAt(text_, offset), std::move(field)};
  }

  void Error(size_t offset, std::string field, std::string message) {
    errors_->push_back(Diagnostic{paths_[file_], line_, ColumnAt(text_, offset), std::move(field),
                                  std::move(message)});
  }

  // Reports members of `obj` not in `allowed` and members given twice; `what` names the object
  // ("event record", "role").
  void CheckMembers(const JsonValue& obj, const std::string& path, std::string_view what,
                    std::initializer_list<std::string_view> allowed) {
    std::set<std::string_view> seen;
    for (const auto& m : obj.members) {
      const std::string field = Join(path, m.name);
      if (std::find(allowed.begin(), allowed.end(), m.name) == allowed.end()) {
        std::string msg = "unknown field " + Quoted(m.name) + " in " + std::string(what) +
                          " (allowed: " + OneOf(allowed) + ")";
        int best = 3;
        std::string_view best_name;
        for (std::string_view a : allowed) {
          const int d = EditDistance(m.name, a, 2);
          if (d < best) {
            best = d;
            best_name = a;
          }
        }
        if (!best_name.empty()) msg += "; did you mean " + Quoted(best_name) + "?";
        Error(m.offset, field, msg);
      } else if (!seen.insert(m.name).second) {
        Error(m.offset, field, "field " + Quoted(m.name) + " is given twice");
      }
    }
  }

  static std::string Join(const std::string& path, std::string_view name) {
    return path.empty() ? std::string(name) : path + "." + std::string(name);
  }

  // The member `name` of `obj`; a member whose value is null counts as absent.
  static const JsonValue* Find(const JsonValue& obj, std::string_view name) {
    for (const auto& m : obj.members) {
      if (m.name == name) return m.value.kind == JsonValue::Kind::kNull ? nullptr : &m.value;
    }
    return nullptr;
  }

  // The member `name` of `obj` if present with the JSON kind `kind`; reports a wrong kind, and
  // absence when `required`.
  const JsonValue* Get(const JsonValue& obj, const std::string& path, std::string_view name,
                       JsonValue::Kind kind, bool required) {
    const JsonValue* v = Find(obj, name);
    const std::string field = Join(path, name);
    if (v == nullptr) {
      if (required) Error(obj.offset, field, "missing required field " + Quoted(name));
      return nullptr;
    }
    if (v->kind != kind) {
      Error(v->offset, field,
            "expected " + std::string(KindName(kind)) + ", got " + std::string(KindName(v->kind)));
      return nullptr;
    }
    return v;
  }

  // A string member; required ones must also be non-blank.
  std::optional<std::string> String(const JsonValue& obj, const std::string& path,
                                    std::string_view name, bool required) {
    const JsonValue* v = Get(obj, path, name, JsonValue::Kind::kString, required);
    if (v == nullptr) return std::nullopt;
    if (required && v->text.find_first_not_of(" \t\r\n") == std::string::npos) {
      Error(v->offset, Join(path, name), "must not be empty");
      return std::nullopt;
    }
    return v->text;
  }

  // An array of non-empty strings.
  std::vector<std::string> Strings(const JsonValue& obj, const std::string& path,
                                   std::string_view name) {
    std::vector<std::string> out;
    const JsonValue* v = Get(obj, path, name, JsonValue::Kind::kArray, false);
    if (v == nullptr) return out;
    for (size_t i = 0; i < v->items.size(); ++i) {
      const JsonValue& item = v->items[i];
      const std::string field = Join(path, name) + "[" + std::to_string(i) + "]";
      if (item.kind != JsonValue::Kind::kString) {
        Error(item.offset, field, "expected a string, got " + std::string(KindName(item.kind)));
      } else if (item.text.find_first_not_of(" \t") == std::string::npos) {
        Error(item.offset, field, "must not be empty");
      } else {
        out.push_back(item.text);
      }
    }
    return out;
  }

  // A number in [lo, hi].
  std::optional<double> Number(const JsonValue& obj, const std::string& path, std::string_view name,
                               double lo, double hi) {
    const JsonValue* v = Get(obj, path, name, JsonValue::Kind::kNumber, false);
    if (v == nullptr) return std::nullopt;
    if (v->number < lo || v->number > hi) {
      char buf[80];
      std::snprintf(buf, sizeof buf, "%g is out of range (%g..%g)", v->number, lo, hi);
      Error(v->offset, Join(path, name), buf);
      return std::nullopt;
    }
    return v->number;
  }

  std::optional<FactStatus> StatusField(const JsonValue& obj, const std::string& path) {
    const JsonValue* v = Get(obj, path, "status", JsonValue::Kind::kString, false);
    if (v == nullptr) return std::nullopt;
    FactStatus s;
    if (!ParseStatus(v->text, &s)) {
      Error(v->offset, Join(path, "status"), UnknownName("status", v->text, AllStatusNames()));
      return std::nullopt;
    }
    return s;
  }

  // A key reference to a node of kind `kind`; returns its id (kNoNode on error) and records it
  // for resolution.
  NodeId Reference(const JsonValue& v, const std::string& field, NodeKind kind,
                   std::vector<Ref>* refs) {
    if (v.kind != JsonValue::Kind::kString) {
      Error(v.offset, field,
            "expected a key string such as '" + std::string(NodeKindName(kind)) + ":...', got " +
                std::string(KindName(v.kind)));
      return kNoNode;
    }
    RecordType type;
    const std::string why = CheckKey(v.text, &type);
    if (!why.empty()) {
      Error(v.offset, field, why);
      return kNoNode;
    }
    if (type == RecordType::kRelation || NodeKindOf(type) != kind) {
      Error(v.offset, field,
            "expected " + std::string(Article(kind)) + " " + std::string(NodeKindName(kind)) +
                " key ('" + std::string(NodeKindName(kind)) + ":...'), got " +
                std::string(kRecordTypeNames[static_cast<int>(type)]) + " key " + Quoted(v.text));
      return kNoNode;
    }
    refs->push_back(Ref{v.text, kind, At(v.offset, field)});
    return MakeNodeId(kind, v.text);
  }

  std::optional<NodeId> ReferenceField(const JsonValue& obj, const std::string& path,
                                       std::string_view name, NodeKind kind, bool required,
                                       std::vector<Ref>* refs) {
    const JsonValue* v = Find(obj, name);
    if (v == nullptr) {
      if (required) Error(obj.offset, Join(path, name), "missing required field " + Quoted(name));
      return std::nullopt;
    }
    const NodeId id = Reference(*v, Join(path, name), kind, refs);
    if (id == kNoNode) return std::nullopt;
    return id;
  }

  // An array of references; duplicates are reported.
  std::vector<NodeId> References(const JsonValue& obj, const std::string& path,
                                 std::string_view name, NodeKind kind, std::vector<Ref>* refs) {
    std::vector<NodeId> out;
    const JsonValue* v = Get(obj, path, name, JsonValue::Kind::kArray, false);
    if (v == nullptr) return out;
    for (size_t i = 0; i < v->items.size(); ++i) {
      const std::string field = Join(path, name) + "[" + std::to_string(i) + "]";
      const NodeId id = Reference(v->items[i], field, kind, refs);
      if (id == kNoNode) continue;
      if (std::find(out.begin(), out.end(), id) != out.end()) {
        Error(v->items[i].offset, field, Quoted(v->items[i].text) + " is listed twice");
        continue;
      }
      out.push_back(id);
    }
    return out;
  }

  // A time: a date string ("2023-09-11", "2023-09", "2023", "2023-09-11T14:05:00Z"), "imminent",
  // "unknown", or {"start", "end", "precision", "open_end"}.
  std::optional<Interval> TimeField(const JsonValue& obj, const std::string& path,
                                    std::string_view name) {
    const JsonValue* v = Find(obj, name);
    if (v == nullptr) return Interval{};
    const std::string field = Join(path, name);
    if (v->kind == JsonValue::Kind::kString) {
      if (v->text == "unknown") return Interval{};
      if (v->text == "imminent") {
        Interval iv;
        iv.precision = TimePrecision::kImminent;
        return iv;
      }
      return Date(*v, field);
    }
    if (v->kind != JsonValue::Kind::kObject) {
      Error(v->offset, field,
            "expected a date string or an object {start, end, precision, open_end}, got " +
                std::string(KindName(v->kind)));
      return std::nullopt;
    }
    const size_t before = error_count();
    CheckMembers(*v, field, "a time", {"start", "end", "precision", "open_end"});
    const JsonValue* start_v = Get(*v, field, "start", JsonValue::Kind::kString, false);
    const JsonValue* end_v = Get(*v, field, "end", JsonValue::Kind::kString, false);
    const JsonValue* prec_v = Get(*v, field, "precision", JsonValue::Kind::kString, false);
    const JsonValue* open_v = Get(*v, field, "open_end", JsonValue::Kind::kBool, false);
    if (error_count() != before) return std::nullopt;
    std::optional<TimePrecision> precision;
    if (prec_v != nullptr) {
      TimePrecision p;
      if (!ParsePrecision(prec_v->text, &p)) {
        Error(prec_v->offset, Join(field, "precision"),
              UnknownName("precision", prec_v->text, AllPrecisionNames()));
        return std::nullopt;
      }
      precision = p;
    }
    Interval iv;
    iv.open_end = open_v != nullptr && open_v->boolean;
    std::optional<Interval> start, end;
    if (start_v != nullptr && !(start = Date(*start_v, Join(field, "start")))) return std::nullopt;
    if (end_v != nullptr && !(end = Date(*end_v, Join(field, "end")))) return std::nullopt;
    if (precision == TimePrecision::kUnknown) {
      if (start || end) {
        Error(prec_v->offset, Join(field, "precision"),
              "precision 'unknown' cannot have a start or an end");
        return std::nullopt;
      }
      return iv;
    }
    if (!start) {
      if (end) {
        Error(end_v->offset, Join(field, "end"), "an end needs a start");
        return std::nullopt;
      }
      if (precision == TimePrecision::kImminent) iv.precision = TimePrecision::kImminent;
      if (!precision && !iv.open_end) {
        Error(v->offset, field, "a time object needs a start, a precision or open_end");
        return std::nullopt;
      }
      return iv;
    }
    iv.start = start->start;
    iv.end = start->end;
    iv.precision = start->precision;
    if (precision && *precision != start->precision) {
      if (*precision != TimePrecision::kImminent) {
        Error(prec_v->offset, Join(field, "precision"),
              "precision " + Quoted(PrecisionName(*precision)) + " does not match start " +
                  Quoted(start_v->text) + ", which is written to the " +
                  std::string(PrecisionName(start->precision)) +
                  " (the precision follows from how the start is written)");
        return std::nullopt;
      }
      iv.precision = TimePrecision::kImminent;
    }
    if (end) {
      if (iv.open_end) {
        Error(end_v->offset, Join(field, "end"), "an interval with open_end has no end");
        return std::nullopt;
      }
      if (end->end < iv.start) {
        Error(end_v->offset, Join(field, "end"),
              "end " + Quoted(end_v->text) + " is before start " + Quoted(start_v->text));
        return std::nullopt;
      }
      iv.end = end->end;
    }
    return iv;
  }

  std::optional<Interval> Date(const JsonValue& v, const std::string& field) {
    Result<Interval> parsed = ParseDate(v.text);
    if (!parsed.ok()) {
      Error(v.offset, field, "bad date " + parsed.status().message());
      return std::nullopt;
    }
    return *parsed;
  }

  std::vector<Provenance> ProvenanceOf(const std::vector<NodeId>& sources) const {
    std::vector<Provenance> out;
    Provenance p;
    p.dataset = std::string(kDataset);
    p.file = BaseName(paths_[file_]);
    p.row = line_;
    if (sources.empty()) {
      out.push_back(p);
    }
    for (NodeId s : sources) {
      p.source = s;
      out.push_back(p);
    }
    return out;
  }

 private:
  const std::vector<std::string>& paths_;
  size_t file_;
  uint64_t line_;
  std::string_view text_;
  std::vector<Diagnostic>* errors_;
};

bool IsUpperAlpha3(std::string_view s) {
  return s.size() == 3 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// BCP 47 shape: a 2-3 letter language, then '-'-separated subtags of 1-8 letters or digits.
bool IsLanguageTag(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
  if (i < 2 || i > 3) return false;
  while (i < s.size()) {
    if (s[i] != '-') return false;
    size_t j = ++i;
    while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i || j - i > 8) return false;
    i = j;
  }
  return true;
}

const std::set<std::string>& PloverTypes() {
  static const std::set<std::string>* types = [] {
    auto* set = new std::set<std::string>();
    for (const auto& c : Codebook::Default().EventCodes()) {
      if (!c.plover_type.empty()) set->insert(c.plover_type);
    }
    return set;
  }();
  return *types;
}

// Per-record-type checks. Each fills `rec` from the record object `obj` of line `lc`.

void CheckLanguage(LineChecker& lc, const JsonValue& obj, std::string* out) {
  std::optional<std::string> lang = lc.String(obj, "", "language", false);
  if (!lang) return;
  if (!lang->empty() && !IsLanguageTag(*lang)) {
    lc.Error(LineChecker::Find(obj, "language")->offset, "language",
             "invalid language tag " + Quoted(*lang) + " (expected a BCP 47 tag such as 'fr')");
    return;
  }
  *out = *lang;
}

void CheckSource(LineChecker& lc, const JsonValue& obj, Record* rec) {
  lc.CheckMembers(obj, "", "a source record",
                  {"type", "key", "title", "publisher", "url", "language", "published"});
  Source s;
  if (auto v = lc.String(obj, "", "title", true)) s.title = *v;
  if (auto v = lc.String(obj, "", "publisher", false)) s.publisher = *v;
  if (auto v = lc.String(obj, "", "url", false)) s.url = *v;
  CheckLanguage(lc, obj, &s.language);
  if (auto v = lc.TimeField(obj, "", "published")) s.published = *v;
  rec->node->body = std::move(s);
  rec->node->provenance = lc.ProvenanceOf({});
}

void CheckActor(LineChecker& lc, const JsonValue& obj, Record* rec) {
  lc.CheckMembers(obj, "", "an actor record",
                  {"type", "key", "name", "kind", "aliases", "country", "cameo_country",
                   "cameo_types", "sectors", "external_ids", "description", "sources"});
  Actor a;
  if (auto v = lc.String(obj, "", "name", true)) a.name = *v;
  if (const JsonValue* v = lc.Get(obj, "", "kind", JsonValue::Kind::kString, true)) {
    if (!ParseActorKind(v->text, &a.kind)) {
      lc.Error(v->offset, "kind", UnknownName("actor kind", v->text, AllActorKindNames()));
    }
  }
  a.aliases = lc.Strings(obj, "", "aliases");
  if (const JsonValue* v = lc.Get(obj, "", "country", JsonValue::Kind::kString, false)) {
    if (!IsUpperAlpha3(v->text)) {
      lc.Error(v->offset, "country",
               "invalid country " + Quoted(v->text) +
                   " (expected an ISO 3166-1 alpha-3 code such "
                   "as 'RUS')");
    } else {
      a.country_iso3 = v->text;
    }
  }
  const Codebook& book = Codebook::Default();
  if (const JsonValue* v = lc.Get(obj, "", "cameo_country", JsonValue::Kind::kString, false)) {
    if (!book.CountryLabel(v->text)) {
      lc.Error(v->offset, "cameo_country", "unknown CAMEO country code " + Quoted(v->text));
    } else {
      a.country_cameo = v->text;
    }
  }
  if (const JsonValue* v = lc.Get(obj, "", "cameo_types", JsonValue::Kind::kArray, false)) {
    for (size_t i = 0; i < v->items.size(); ++i) {
      const JsonValue& t = v->items[i];
      const std::string field = "cameo_types[" + std::to_string(i) + "]";
      if (t.kind != JsonValue::Kind::kString) {
        lc.Error(t.offset, field, "expected a string, got " + std::string(KindName(t.kind)));
      } else if (!book.ActorTypeLabel(t.text)) {
        lc.Error(t.offset, field, "unknown CAMEO actor type code " + Quoted(t.text));
      } else {
        a.cameo_types.push_back(t.text);
      }
    }
  }
  a.sectors = lc.Strings(obj, "", "sectors");
  if (const JsonValue* v = lc.Get(obj, "", "external_ids", JsonValue::Kind::kObject, false)) {
    std::set<std::string_view> seen;
    for (const auto& m : v->members) {
      const std::string field = "external_ids." + m.name;
      RecordType ignored;
      if (m.name.empty() || !CheckKey("actor:" + m.name, &ignored).empty()) {
        lc.Error(m.offset, field,
                 "invalid id scheme " + Quoted(m.name) + " (use a-z, 0-9, '.', '_', ':', '-')");
      } else if (!seen.insert(m.name).second) {
        lc.Error(m.offset, field, "id scheme " + Quoted(m.name) + " is given twice");
      } else if (m.value.kind != JsonValue::Kind::kString || m.value.text.empty()) {
        lc.Error(m.value.offset, field, "expected a non-empty string");
      } else {
        a.external_ids.push_back(ExternalId{m.name, m.value.text});
      }
    }
  }
  if (auto v = lc.String(obj, "", "description", false)) a.description = *v;
  const std::vector<NodeId> sources =
      lc.References(obj, "", "sources", NodeKind::kSource, &rec->refs);
  rec->node->body = std::move(a);
  rec->node->provenance = lc.ProvenanceOf(sources);
}

void CheckItem(LineChecker& lc, const JsonValue& obj, Record* rec) {
  lc.CheckMembers(obj, "", "an item record",
                  {"type", "key", "name", "category", "aliases", "description", "sources"});
  Item item;
  if (auto v = lc.String(obj, "", "name", true)) item.name = *v;
  if (auto v = lc.String(obj, "", "category", false)) item.category = *v;
  item.aliases = lc.Strings(obj, "", "aliases");
  if (auto v = lc.String(obj, "", "description", false)) item.description = *v;
  const std::vector<NodeId> sources =
      lc.References(obj, "", "sources", NodeKind::kSource, &rec->refs);
  rec->node->body = std::move(item);
  rec->node->provenance = lc.ProvenanceOf(sources);
}

// The edge types allowed in an event's `roles`, `items` and `links`.
bool ParseTypeAmong(std::string_view name, NodeKind src, NodeKind dst, EdgeType* out) {
  EdgeType t;
  if (!ParseEdgeType(name, &t)) return false;
  const EdgeTypeInfo& info = InfoOf(t);
  if (info.src_kind != src || info.dst_kind != dst) return false;
  *out = t;
  return true;
}

std::vector<std::string_view> TypeNamesAmong(NodeKind src, NodeKind dst) {
  std::vector<std::string_view> out;
  for (const auto& info : AllEdgeTypes()) {
    if (info.src_kind == src && info.dst_kind == dst) out.push_back(info.name);
  }
  return out;
}

// One entry of an event's roles / items / links list: {<ref_field>: key, <type_field>: name,
// status?, confidence?, label?}. The edge joins the event and the referenced node in the
// direction of the edge type.
void CheckEventEdges(LineChecker& lc, const JsonValue& obj, std::string_view list,
                     std::string_view ref_field, std::string_view type_field, NodeKind other,
                     bool other_is_src, const Event& event, NodeId event_id,
                     const std::vector<Provenance>& provenance, Record* rec) {
  const JsonValue* arr = lc.Get(obj, "", list, JsonValue::Kind::kArray, false);
  if (arr == nullptr) return;
  const NodeKind src_kind = other_is_src ? other : NodeKind::kEvent;
  const NodeKind dst_kind = other_is_src ? NodeKind::kEvent : other;
  const std::vector<std::string_view> type_names = TypeNamesAmong(src_kind, dst_kind);
  std::map<EdgeId, std::string> seen;  // edge id -> path of the entry that declared it
  for (size_t i = 0; i < arr->items.size(); ++i) {
    const JsonValue& entry = arr->items[i];
    const std::string path = std::string(list) + "[" + std::to_string(i) + "]";
    if (entry.kind != JsonValue::Kind::kObject) {
      lc.Error(entry.offset, path, "expected an object, got " + std::string(KindName(entry.kind)));
      continue;
    }
    const size_t before = lc.error_count();
    lc.CheckMembers(entry, path, "an entry of '" + std::string(list) + "'",
                    {ref_field, type_field, "status", "confidence", "label"});
    const std::optional<NodeId> other_id =
        lc.ReferenceField(entry, path, ref_field, other, true, &rec->refs);
    EdgeType type = EdgeType::kRelatedTo;
    if (const JsonValue* t = lc.Get(entry, path, type_field, JsonValue::Kind::kString, true)) {
      if (!ParseTypeAmong(t->text, src_kind, dst_kind, &type)) {
        std::string msg = UnknownName(type_field, t->text, type_names);
        EdgeType any;
        if (ParseEdgeType(t->text, &any)) {
          const EdgeTypeInfo& info = InfoOf(any);
          msg = Quoted(t->text) + " joins " + std::string(NodeKindName(info.src_kind)) + " -> " +
                std::string(NodeKindName(info.dst_kind)) + " and cannot be used in an event's '" +
                std::string(list) + "' (expected one of: " + OneOf(type_names) + ")";
        }
        lc.Error(t->offset, LineChecker::Join(path, type_field), msg);
      }
    }
    const std::optional<FactStatus> status = lc.StatusField(entry, path);
    const std::optional<double> confidence = lc.Number(entry, path, "confidence", 0, 1);
    const std::optional<std::string> label = lc.String(entry, path, "label", false);
    if (lc.error_count() != before || !other_id) continue;
    if (*other_id == event_id) {
      lc.Error(LineChecker::Find(entry, ref_field)->offset, LineChecker::Join(path, ref_field),
               "an event cannot be linked to itself");
      continue;
    }
    Edge e;
    e.type = type;
    e.src = other_is_src ? *other_id : event_id;
    e.dst = other_is_src ? event_id : *other_id;
    e.id = MakeOwnedEdgeId(event_id, e.type, e.src, e.dst);
    auto [it, inserted] = seen.emplace(e.id, path);
    if (!inserted) {
      lc.Error(entry.offset, path,
               "same " + std::string(ref_field) + " and " + std::string(type_field) + " as " +
                   it->second);
      continue;
    }
    e.validity = event.time;
    e.status = status.value_or(event.status);
    e.confidence = static_cast<float>(confidence.value_or(event.confidence));
    e.label = label.value_or("");
    e.provenance = provenance;
    e.owner = event_id;
    rec->owned_edges.push_back(std::move(e));
  }
}

void CheckEvent(LineChecker& lc, const JsonValue& obj, Record* rec) {
  lc.CheckMembers(obj, "", "an event record",
                  {"type", "key", "cameo", "plover", "time", "location", "status", "confidence",
                   "summary", "goldstein", "quad_class", "roles", "items", "links", "sources"});
  Event ev;
  if (const JsonValue* v = lc.Get(obj, "", "cameo", JsonValue::Kind::kString, true)) {
    if (!Codebook::Default().IsValidEventCode(v->text)) {
      std::string msg = "unknown CAMEO event code " + Quoted(v->text) +
                        " (codes are strings of 2-4 digits from the CAMEO codebook, e.g. '036')";
      // The longest known prefix is usually what was meant ("0577" -> "057").
      for (size_t n = std::min<size_t>(v->text.size(), 4); n-- > 2;) {
        if (const CameoEventCode* c = Codebook::Default().Find(v->text.substr(0, n))) {
          msg += "; did you mean " + Quoted(c->code) + " (" + c->description + ")?";
          break;
        }
      }
      lc.Error(v->offset, "cameo", msg);
    } else {
      ev.cameo_code = v->text;
    }
  }
  if (const JsonValue* v = lc.Get(obj, "", "plover", JsonValue::Kind::kString, false)) {
    if (PloverTypes().count(v->text) == 0) {
      lc.Error(v->offset, "plover", UnknownName("PLOVER event type", v->text, PloverTypes()));
    } else {
      ev.plover_type = v->text;
    }
  }
  if (auto t = lc.TimeField(obj, "", "time")) ev.time = *t;
  if (const JsonValue* loc = lc.Get(obj, "", "location", JsonValue::Kind::kObject, false)) {
    lc.CheckMembers(*loc, "location", "a location", {"place", "admin1", "country", "lat", "lon"});
    if (auto v = lc.String(*loc, "location", "place", false)) ev.location.place_name = *v;
    if (auto v = lc.String(*loc, "location", "admin1", false)) ev.location.admin1 = *v;
    if (const JsonValue* c = lc.Get(*loc, "location", "country", JsonValue::Kind::kString, false)) {
      if (!IsUpperAlpha3(c->text)) {
        lc.Error(c->offset, "location.country",
                 "invalid country " + Quoted(c->text) +
                     " (expected an ISO 3166-1 alpha-3 code such as 'RUS')");
      } else {
        ev.location.country_iso3 = c->text;
      }
    }
    ev.location.latitude = lc.Number(*loc, "location", "lat", -90, 90);
    ev.location.longitude = lc.Number(*loc, "location", "lon", -180, 180);
    const JsonValue* lat = LineChecker::Find(*loc, "lat");
    const JsonValue* lon = LineChecker::Find(*loc, "lon");
    if ((lat == nullptr) != (lon == nullptr)) {
      lc.Error(loc->offset, "location", "give both 'lat' and 'lon', or neither");
    }
  }
  if (auto s = lc.StatusField(obj, "")) ev.status = *s;
  if (auto c = lc.Number(obj, "", "confidence", 0, 1)) ev.confidence = static_cast<float>(*c);
  if (auto v = lc.String(obj, "", "summary", false)) ev.summary = *v;
  if (auto g = lc.Number(obj, "", "goldstein", -10, 10)) ev.goldstein = static_cast<float>(*g);
  if (auto q = lc.Number(obj, "", "quad_class", 1, 4)) {
    if (*q != std::floor(*q)) {
      lc.Error(LineChecker::Find(obj, "quad_class")->offset, "quad_class",
               "expected an integer 1..4");
    } else {
      ev.quad_class = static_cast<uint8_t>(*q);
    }
  }
  const std::vector<NodeId> sources =
      lc.References(obj, "", "sources", NodeKind::kSource, &rec->refs);
  const NodeId id = rec->node->id;
  std::vector<Provenance> provenance = lc.ProvenanceOf(sources);
  CheckEventEdges(lc, obj, "roles", "actor", "role", NodeKind::kActor, true, ev, id, provenance,
                  rec);
  CheckEventEdges(lc, obj, "items", "item", "relation", NodeKind::kItem, false, ev, id, provenance,
                  rec);
  CheckEventEdges(lc, obj, "links", "event", "relation", NodeKind::kEvent, false, ev, id,
                  provenance, rec);
  for (NodeId s : sources) {
    Edge e;
    e.type = EdgeType::kReportedIn;
    e.src = id;
    e.dst = s;
    e.id = MakeOwnedEdgeId(id, e.type, e.src, e.dst);
    e.validity = ev.time;
    e.status = ev.status;
    e.confidence = ev.confidence;
    e.provenance = provenance;
    e.owner = id;
    rec->owned_edges.push_back(std::move(e));
  }
  rec->node->body = std::move(ev);
  rec->node->provenance = std::move(provenance);
}

void CheckStatement(LineChecker& lc, const JsonValue& obj, Record* rec) {
  lc.CheckMembers(obj, "", "a statement record",
                  {"type", "key", "speaker", "quote", "language", "translation", "time", "source",
                   "about", "status", "confidence"});
  Statement st;
  const NodeId id = rec->node->id;
  if (auto v = lc.ReferenceField(obj, "", "speaker", NodeKind::kActor, true, &rec->refs)) {
    st.speaker = *v;
  }
  if (auto v = lc.String(obj, "", "quote", true)) st.quote = *v;
  CheckLanguage(lc, obj, &st.language);
  if (auto v = lc.String(obj, "", "translation", false)) st.translation = *v;
  if (auto t = lc.TimeField(obj, "", "time")) st.time = *t;
  if (auto v = lc.ReferenceField(obj, "", "source", NodeKind::kSource, false, &rec->refs)) {
    st.source = *v;
  }
  const std::vector<NodeId> about = lc.References(obj, "", "about", NodeKind::kEvent, &rec->refs);
  const FactStatus status = lc.StatusField(obj, "").value_or(FactStatus::kUnknown);
  const float confidence = static_cast<float>(lc.Number(obj, "", "confidence", 0, 1).value_or(1));
  std::vector<NodeId> sources;
  if (st.source != kNoNode) sources.push_back(st.source);
  std::vector<Provenance> provenance = lc.ProvenanceOf(sources);
  auto add = [&](EdgeType type, NodeId src, NodeId dst) {
    Edge e;
    e.type = type;
    e.src = src;
    e.dst = dst;
    e.id = MakeOwnedEdgeId(id, type, src, dst);
    e.validity = st.time;
    e.status = status;
    e.confidence = confidence;
    e.provenance = provenance;
    e.owner = id;
    rec->owned_edges.push_back(std::move(e));
  };
  if (st.speaker != kNoNode) add(EdgeType::kSpeaker, st.speaker, id);
  for (NodeId event : about) add(EdgeType::kStatementAbout, id, event);
  rec->node->body = std::move(st);
  rec->node->provenance = std::move(provenance);
}

void CheckRelation(LineChecker& lc, const JsonValue& obj, Record* rec) {
  lc.CheckMembers(obj, "", "a relation record",
                  {"type", "key", "relation", "from", "to", "valid", "status", "confidence",
                   "label", "sources"});
  Edge e;
  e.key = rec->key;
  e.id = MakeKeyedEdgeId(rec->key);
  std::optional<EdgeType> type;
  std::vector<std::string_view> names = TypeNamesAmong(NodeKind::kActor, NodeKind::kActor);
  for (std::string_view n : TypeNamesAmong(NodeKind::kActor, NodeKind::kItem)) names.push_back(n);
  if (const JsonValue* v = lc.Get(obj, "", "relation", JsonValue::Kind::kString, true)) {
    EdgeType t;
    if (ParseTypeAmong(v->text, NodeKind::kActor, NodeKind::kActor, &t) ||
        ParseTypeAmong(v->text, NodeKind::kActor, NodeKind::kItem, &t)) {
      type = t;
    } else {
      std::string msg = UnknownName("relation", v->text, names);
      if (ParseEdgeType(v->text, &t)) {
        msg = Quoted(v->text) +
              " is declared inside event or statement records, not as a "
              "relation (expected one of: " +
              OneOf(names) + ")";
      }
      lc.Error(v->offset, "relation", msg);
    }
  }
  std::optional<NodeId> from =
      lc.ReferenceField(obj, "", "from", NodeKind::kActor, true, &rec->refs);
  std::optional<NodeId> to;
  if (type) {
    to = lc.ReferenceField(obj, "", "to", InfoOf(*type).dst_kind, true, &rec->refs);
  } else if (!LineChecker::Find(obj, "to")) {
    lc.Error(obj.offset, "to", "missing required field 'to'");
  }
  if (auto t = lc.TimeField(obj, "", "valid")) e.validity = *t;
  if (auto s = lc.StatusField(obj, "")) e.status = *s;
  if (auto c = lc.Number(obj, "", "confidence", 0, 1)) e.confidence = static_cast<float>(*c);
  if (auto l = lc.String(obj, "", "label", false)) e.label = *l;
  const std::vector<NodeId> sources =
      lc.References(obj, "", "sources", NodeKind::kSource, &rec->refs);
  e.provenance = lc.ProvenanceOf(sources);
  if (type && from && to) {
    if (*from == *to) {
      lc.Error(LineChecker::Find(obj, "to")->offset, "to",
               "a relation cannot join an actor to itself");
    }
    e.type = *type;
    e.src = *from;
    e.dst = *to;
  }
  rec->relation = std::move(e);
}

// Checks one record line; returns the record (valid == false if any diagnostic was raised), or
// nullopt if the line does not even name a usable type and key.
std::optional<Record> CheckLine(JsonLineParser& parser, const std::vector<std::string>& paths,
                                size_t file, uint64_t line_no, std::string_view line,
                                std::vector<Diagnostic>* errors) {
  LineChecker lc(paths, file, line_no, line, errors);
  const size_t bad_utf8 = FirstInvalidUtf8(line);
  if (bad_utf8 != std::string_view::npos) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned char>(line[bad_utf8]));
    lc.Error(bad_utf8, "", std::string("invalid UTF-8 (byte ") + buf + ")");
    return std::nullopt;
  }
  JsonValue root;
  size_t error_offset = 0;
  std::string error;
  if (!parser.Parse(line, &root, &error_offset, &error)) {
    lc.Error(error_offset, "", error);
    return std::nullopt;
  }
  const size_t before = lc.error_count();
  const JsonValue* type_v = lc.Get(root, "", "type", JsonValue::Kind::kString, true);
  if (type_v == nullptr) return std::nullopt;
  std::optional<RecordType> type;
  for (size_t i = 0; i < std::size(kRecordTypeNames); ++i) {
    if (kRecordTypeNames[i] == type_v->text) type = static_cast<RecordType>(i);
  }
  if (!type) {
    lc.Error(type_v->offset, "type", UnknownName("record type", type_v->text, kRecordTypeNames));
    return std::nullopt;
  }
  Record rec;
  rec.type = *type;
  const JsonValue* key_v = lc.Get(root, "", "key", JsonValue::Kind::kString, true);
  if (key_v == nullptr) return std::nullopt;
  RecordType key_type;
  const std::string why = CheckKey(key_v->text, &key_type);
  if (!why.empty()) {
    lc.Error(key_v->offset, "key", why);
    return std::nullopt;
  }
  if (key_type != *type) {
    lc.Error(key_v->offset, "key",
             "the key of " +
                 std::string(*type == RecordType::kActor || *type == RecordType::kEvent ||
                                     *type == RecordType::kItem
                                 ? "an "
                                 : "a ") +
                 std::string(kRecordTypeNames[static_cast<int>(*type)]) +
                 " record must start with '" + std::string(kKeyPrefixes[static_cast<int>(*type)]) +
                 ":', got " + Quoted(key_v->text));
    return std::nullopt;
  }
  rec.key = key_v->text;
  rec.key_at = lc.At(key_v->offset, "key");
  Canonical(root, &rec.canonical);
  if (*type != RecordType::kRelation) {
    rec.node.emplace();
    rec.node->key = rec.key;
    rec.node->id = MakeNodeId(NodeKindOf(*type), rec.key);
  }
  switch (*type) {
    case RecordType::kSource:
      CheckSource(lc, root, &rec);
      break;
    case RecordType::kActor:
      CheckActor(lc, root, &rec);
      break;
    case RecordType::kItem:
      CheckItem(lc, root, &rec);
      break;
    case RecordType::kEvent:
      CheckEvent(lc, root, &rec);
      break;
    case RecordType::kStatement:
      CheckStatement(lc, root, &rec);
      break;
    case RecordType::kRelation:
      CheckRelation(lc, root, &rec);
      break;
  }
  rec.valid = lc.error_count() == before;
  return rec;
}

bool IsBlankOrComment(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t\r\f\v");
  return first == std::string_view::npos || line[first] == '#';
}

// Reads a whole file; on failure returns why.
std::optional<std::string> ReadFile(const std::string& path, std::string* out) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return "cannot read file: is a directory";
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return "cannot read file: " + std::string(errno != 0 ? std::strerror(errno) : "cannot open");
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return "cannot read file: read error";
  *out = std::move(buf).str();
  return std::nullopt;
}

struct Validated {
  LoadReport report;
  std::vector<Record> records;  // valid, de-duplicated records in file order
};

Result<Validated> Validate(const std::vector<std::string>& paths, const storage::Store* store) {
  Validated out;
  std::vector<Diagnostic>& errors = out.report.errors;
  std::vector<Record> records;
  // Key -> index into `records` of its first definition (relations and nodes alike).
  std::unordered_map<std::string, size_t> defined;
  JsonLineParser parser;
  for (size_t f = 0; f < paths.size(); ++f) {
    std::string content;
    if (auto why = ReadFile(paths[f], &content)) {
      errors.push_back(Diagnostic{paths[f], 0, 0, "", *why});
      continue;
    }
    ++out.report.files;
    std::string_view rest = content;
    uint64_t line_no = 0;
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // BOM
      if (IsBlankOrComment(line)) continue;
      ++out.report.records;
      std::optional<Record> rec = CheckLine(parser, paths, f, line_no, line, &errors);
      if (!rec) continue;
      auto [it, inserted] = defined.emplace(rec->key, records.size());
      if (!inserted) {
        const Record& first = records[it->second];
        if (first.canonical != rec->canonical) {
          errors.push_back(Diagnostic{paths[f], rec->key_at.line, rec->key_at.column, "key",
                                      "conflicting duplicate key " + Quoted(rec->key) +
                                          ": already defined with different content at " +
                                          paths[first.key_at.file] + ":" +
                                          std::to_string(first.key_at.line)});
        }
        continue;  // an identical repetition adds nothing
      }
      records.push_back(std::move(*rec));
    }
  }
  // Pass 2: references.
  std::unordered_map<std::string, bool> in_store;
  for (const Record& rec : records) {
    for (const Ref& ref : rec.refs) {
      if (defined.count(ref.key) != 0) continue;
      auto cached = in_store.find(ref.key);
      if (cached == in_store.end()) {
        bool found = false;
        if (store != nullptr) {
          GEOKG_ASSIGN_OR_RETURN(std::optional<NodeId> id, store->LookupKey(ref.key));
          found = id.has_value() && KindOf(*id) == ref.kind;
        }
        cached = in_store.emplace(ref.key, found).first;
      }
      if (!cached->second) {
        std::string msg = "dangling reference: no " + std::string(NodeKindName(ref.kind)) +
                          " with key " + Quoted(ref.key) + " in the files being loaded" +
                          (store != nullptr ? " or in the store" : "");
        // A near miss among the keys being loaded is most likely a typo.
        int best = 3;
        std::string_view best_key;
        if (defined.size() <= kMaxKeysForSuggestions) {
          for (const auto& [key, index] : defined) {
            const int d = EditDistance(ref.key, key, 2);
            if ((d < best || (d == best && key < best_key)) &&
                records[index].type != RecordType::kRelation &&
                NodeKindOf(records[index].type) == ref.kind) {
              best = d;
              best_key = key;
            }
          }
        }
        if (!best_key.empty()) msg += "; did you mean " + Quoted(best_key) + "?";
        errors.push_back(Diagnostic{paths[ref.where.file], ref.where.line, ref.where.column,
                                    ref.where.field, std::move(msg)});
      }
    }
  }
  std::stable_sort(errors.begin(), errors.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    // Files in the order given, then by line and column.
    auto file_index = [&](const std::string& p) {
      return std::find(paths.begin(), paths.end(), p) - paths.begin();
    };
    const auto fa = file_index(a.file), fb = file_index(b.file);
    if (fa != fb) return fa < fb;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
  for (Record& rec : records) {
    if (rec.valid) out.records.push_back(std::move(rec));
  }
  return out;
}

}  // namespace

std::string Diagnostic::ToString() const {
  std::string out = file;
  if (line != 0) {
    out += ":" + std::to_string(line);
    if (column != 0) out += ":" + std::to_string(column);
  }
  out += ": ";
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

Result<LoadReport> ValidateCuratedFiles(const std::vector<std::string>& paths,
                                        const storage::Store* store) {
  try {
    GEOKG_ASSIGN_OR_RETURN(Validated v, Validate(paths, store));
    return std::move(v.report);
  } catch (const std::exception& e) {
    return Status::IOError(std::string("curated loader: ") + e.what());
  }
}

Result<LoadReport> LoadCuratedFiles(storage::Store& store, const std::vector<std::string>& paths,
                                    const LoadOptions& options) {
  try {
    GEOKG_ASSIGN_OR_RETURN(Validated v, Validate(paths, &store));
    if (!v.report.ok() || options.dry_run) return std::move(v.report);
    storage::WriteBatch batch;
    for (Record& rec : v.records) {
      if (rec.node) {
        const NodeId id = rec.node->id;
        const RecordType type = rec.type;
        batch.PutNode(std::move(*rec.node));
        if (type == RecordType::kEvent || type == RecordType::kStatement) {
          batch.SetOwnedEdges(id, std::move(rec.owned_edges));
        }
      } else if (rec.relation) {
        batch.PutEdge(std::move(*rec.relation));
      }
    }
    if (batch.empty()) return std::move(v.report);
    GEOKG_ASSIGN_OR_RETURN(v.report.summary, store.Write(batch));
    v.report.written = true;
    return std::move(v.report);
  } catch (const std::exception& e) {
    return Status::IOError(std::string("curated loader: ") + e.what());
  }
}

}  // namespace geokg::io
