#include "model/fact_table.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "model/cameo.h"

namespace geokg {

int64_t FactTable::MaxTime() const {
  return (kMaxTime - std::max<Time>(epoch, 0) - (span - 1)) / unit_seconds;
}

std::string FactTable::Problem() const {
  if (unit_seconds <= 0) return "unit of " + std::to_string(unit_seconds) + " seconds";
  if (span <= 0) return "span of " + std::to_string(span) + " seconds";
  if (precision == TimePrecision::kUnknown || precision > TimePrecision::kImminent) {
    return "precision " + std::to_string(static_cast<int>(precision));
  }
  if (epoch < -(int64_t{1} << 62) || epoch > (int64_t{1} << 62)) return "epoch out of range";
  if (codes.size() != relations.size()) return "codes and relations differ in number";
  for (const std::string& code : codes) {
    if (!code.empty() && !Codebook::Default().IsValidEventCode(code)) {
      return "\"" + code + "\" is not a CAMEO event code";
    }
  }
  for (NodeId a : actor_of) {
    if (a != kNoNode && (!IsValidNodeId(a) || KindOf(a) != NodeKind::kActor)) {
      return "entity actor " + Hex(a) + " is not an actor's id";
    }
  }
  return "";
}

std::string FactTable::Problem(const QuadFact& f) const {
  if (f.relation >= codes.size() || codes[f.relation].empty()) {
    return "relation " + std::to_string(f.relation) + " is not one of the table's";
  }
  for (uint32_t e : {f.subject, f.object}) {
    if (e >= actor_of.size() || actor_of[e] == kNoNode) {
      return "entity " + std::to_string(e) + " is not one of the table's";
    }
  }
  if (f.file >= files.size())
    return "file " + std::to_string(f.file) + " is not one of the table's";
  if (f.time < 0 || f.time > MaxTime()) return "time " + std::to_string(f.time) + " out of range";
  return "";
}

void FactTable::KeyOf(const QuadFact& f, std::string* key) const {
  // The numbers are written into a buffer and the key assigned once: appended one by one, they
  // cost an import twice as much (a temporal-KG importer builds a key per row).
  char digits[4 * 21];
  char* p = digits;
  const int64_t parts[4] = {f.subject, f.relation, f.object, f.time};
  for (size_t i = 0; i < 4; ++i) {
    p = std::to_chars(p, digits + sizeof(digits), parts[i]).ptr;
    if (i < 3) *p++ = '-';
  }
  key->resize(key_prefix.size() + static_cast<size_t>(p - digits));
  char* out = key->data();
  std::memcpy(out, key_prefix.data(), key_prefix.size());
  std::memcpy(out + key_prefix.size(), digits, static_cast<size_t>(p - digits));
}

void FactTable::Expand(const QuadFact& f, Node* node) const {
  Event* ev = std::get_if<Event>(&node->body);
  if (ev == nullptr) {  // a node of this table's own from here on: set what all share
    ev = &node->body.emplace<Event>();
    node->provenance.assign(1, Provenance{});
    node->provenance[0].dataset = dataset;
  }
  KeyOf(f, &node->key);
  ExpandEvent(f, ev);
  ev->summary = relations[f.relation];
  node->provenance[0].file = files[f.file];
  node->provenance[0].row = f.line;
}

void FactTable::ExpandEvent(const QuadFact& f, Event* ev) const {
  if (ev->participants.size() != 2) {  // a default Event: set what all share
    ev->time.precision = precision;
    ev->status = FactStatus::kReported;
    ev->participants.resize(2);
  }
  ev->cameo_code = codes[f.relation];
  ev->time.start = epoch + f.time * unit_seconds;
  ev->time.end = ev->time.start + span - 1;
  // Sorted and distinct, as ImportSession::AddEvent leaves them: the roles differ.
  static_assert(EdgeType::kInitiator < EdgeType::kTarget);
  ev->participants[0] = {EdgeType::kInitiator, actor_of[f.subject]};
  ev->participants[1] = {EdgeType::kTarget, actor_of[f.object]};
}

}  // namespace geokg
