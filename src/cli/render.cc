#include "cli/render.h"

#include <cstdio>
#include <map>

#include "model/cameo.h"
#include "model/time_format.h"
#include "model/vocab.h"

namespace geokg::cli {

Json ToJson(const Interval& iv) {
  Json j;
  const bool known = iv.known() && iv.start != kUnknownTime;
  j["text"] = FormatInterval(iv);
  j["precision"] = std::string(PrecisionName(iv.precision));
  j["start"] = known ? Json(FormatTime(iv.start)) : Json(nullptr);
  j["end"] =
      known && !iv.open_end && iv.end != kUnknownTime ? Json(FormatTime(iv.end)) : Json(nullptr);
  j["open_end"] = iv.open_end;
  return j;
}

Json ToJson(const Location& loc) {
  Json j;
  j["place"] = loc.place_name.empty() ? Json(nullptr) : Json(loc.place_name);
  j["admin1"] = loc.admin1.empty() ? Json(nullptr) : Json(loc.admin1);
  j["country"] = loc.country_iso3.empty() ? Json(nullptr) : Json(loc.country_iso3);
  j["latitude"] = loc.latitude ? Json(*loc.latitude) : Json(nullptr);
  j["longitude"] = loc.longitude ? Json(*loc.longitude) : Json(nullptr);
  return j;
}

Json ToJson(const query::NodeRef& ref) {
  return Json{
      {"key", ref.key}, {"kind", std::string(NodeKindName(ref.kind))}, {"label", ref.label}};
}

Json ToJson(const query::SourceRef& s) {
  Json j;
  j["key"] = s.key.empty() ? Json(nullptr) : Json(s.key);
  j["title"] = s.title;
  j["publisher"] = s.publisher.empty() ? Json(nullptr) : Json(s.publisher);
  j["url"] = s.url.empty() ? Json(nullptr) : Json(s.url);
  j["language"] = s.language.empty() ? Json(nullptr) : Json(s.language);
  j["published"] = s.published.known() ? ToJson(s.published) : Json(nullptr);
  return j;
}

Json ToJson(const query::Participant& p) {
  Json j = ToJson(p.actor);
  j["role"] = std::string(EdgeTypeName(p.role));
  j["status"] = std::string(StatusName(p.status));
  return j;
}

Json ToJson(const query::EventView& v) {
  Json j;
  j["key"] = v.ref.key;
  j["code"] = v.event.cameo_code;
  j["code_description"] = v.code_description;
  j["root"] = v.event.cameo_code.substr(0, 2);
  j["quad_class"] = v.quad_class;
  j["quad_class_name"] = std::string(Codebook::QuadClassName(v.quad_class));
  j["goldstein"] = v.goldstein ? Json(*v.goldstein) : Json(nullptr);
  j["plover_type"] = v.event.plover_type.empty() ? Json(nullptr) : Json(v.event.plover_type);
  j["status"] = std::string(StatusName(v.event.status));
  j["confidence"] = v.event.confidence;
  j["time"] = ToJson(v.event.time);
  j["location"] = ToJson(v.event.location);
  j["summary"] = v.event.summary;
  Json roles = Json::array();
  for (const auto& r : v.roles) {
    roles.push_back({{"role", std::string(EdgeTypeName(r.role))},
                     {"status", std::string(StatusName(r.status))}});
  }
  j["roles"] = roles;
  Json parts = Json::array();
  for (const auto& p : v.participants) parts.push_back(ToJson(p));
  j["participants"] = parts;
  Json links = Json::array();
  for (const auto& l : v.links) {
    Json lj = ToJson(l.other);
    lj["type"] = std::string(EdgeTypeName(l.type));
    lj["direction"] = l.outgoing ? "out" : "in";
    lj["reading"] = l.reading;
    if (!l.label.empty()) lj["detail"] = l.label;
    links.push_back(lj);
  }
  j["links"] = links;
  Json sources = Json::array();
  for (const auto& s : v.sources) sources.push_back(ToJson(s));
  j["sources"] = sources;
  return j;
}

Json ToJson(const query::RelationView& r) {
  Json j;
  j["type"] = std::string(EdgeTypeName(r.type));
  j["direction"] = r.outgoing ? "out" : "in";
  j["reading"] = r.reading;
  j["other"] = ToJson(r.other);
  j["validity"] = ToJson(r.validity);
  j["status"] = std::string(StatusName(r.status));
  j["confidence"] = r.confidence;
  j["detail"] = r.label.empty() ? Json(nullptr) : Json(r.label);
  Json sources = Json::array();
  for (const auto& s : r.sources) sources.push_back(ToJson(s));
  j["sources"] = sources;
  return j;
}

Json ToJson(const query::StatementView& s) {
  Json j;
  j["key"] = s.ref.key;
  j["speaker"] = ToJson(s.speaker);
  j["quote"] = s.statement.quote;
  j["language"] = s.statement.language.empty() ? Json(nullptr) : Json(s.statement.language);
  j["translation"] =
      s.statement.translation.empty() ? Json(nullptr) : Json(s.statement.translation);
  j["time"] = ToJson(s.statement.time);
  Json about = Json::array();
  for (const auto& a : s.about) about.push_back(ToJson(a));
  j["about"] = about;
  Json sources = Json::array();
  for (const auto& src : s.sources) sources.push_back(ToJson(src));
  j["sources"] = sources;
  return j;
}

Json ToJson(const Actor& a) {
  Json j;
  j["kind"] = std::string(ActorKindName(a.kind));
  j["name"] = a.name;
  j["aliases"] = a.aliases;
  j["country_iso3"] = a.country_iso3.empty() ? Json(nullptr) : Json(a.country_iso3);
  j["country_cameo"] = a.country_cameo.empty() ? Json(nullptr) : Json(a.country_cameo);
  j["cameo_types"] = a.cameo_types;
  j["sectors"] = a.sectors;
  Json ids = Json::array();
  for (const auto& e : a.external_ids) ids.push_back({{"scheme", e.scheme}, {"value", e.value}});
  j["external_ids"] = ids;
  j["description"] = a.description.empty() ? Json(nullptr) : Json(a.description);
  return j;
}

Json ToJson(const query::ActorView& v) {
  Json j;
  j["key"] = v.ref.key;
  j["actor"] = ToJson(v.actor);
  Json sources = Json::array();
  for (const auto& s : v.sources) sources.push_back(ToJson(s));
  j["sources"] = sources;
  Json rels = Json::array();
  for (const auto& r : v.relations) rels.push_back(ToJson(r));
  j["relations"] = rels;
  Json groups = Json::array();
  for (const auto& g : v.event_groups) {
    Json events = Json::array();
    for (const auto& e : g.events) events.push_back(ToJson(e));
    groups.push_back({{"code", g.code}, {"description", g.description}, {"events", events}});
  }
  j["event_count"] = v.event_count;
  j["event_groups"] = groups;
  Json statements = Json::array();
  for (const auto& s : v.statements) statements.push_back(ToJson(s));
  j["statements"] = statements;
  return j;
}

std::string ParticipantsText(const std::vector<query::Participant>& ps, FactStatus event_status) {
  std::vector<NodeId> order;
  std::map<NodeId, std::pair<std::string, std::vector<std::string>>> by_actor;
  for (const auto& p : ps) {
    auto [it, fresh] = by_actor.try_emplace(p.actor.id);
    if (fresh) {
      order.push_back(p.actor.id);
      it->second.first = p.actor.label;
    }
    std::string role(EdgeTypeName(p.role));
    if (p.status != event_status && p.status != FactStatus::kUnknown) {
      role += " [" + std::string(StatusName(p.status)) + "]";
    }
    it->second.second.push_back(std::move(role));
  }
  std::string out;
  for (NodeId id : order) {
    const auto& [label, roles] = by_actor[id];
    std::string joined;
    for (const auto& r : roles) joined += (joined.empty() ? "" : ", ") + r;
    out += (out.empty() ? "" : "; ") + label + " (" + joined + ")";
  }
  return out.empty() ? "-" : out;
}

std::string SourcesText(const std::vector<query::SourceRef>& sources, bool all) {
  if (sources.empty()) return "-";
  if (!all) {
    std::string out = SourceLine(sources.front());
    if (sources.size() > 1) out += " +" + std::to_string(sources.size() - 1);
    return out;
  }
  std::string out;
  for (const auto& s : sources) out += (out.empty() ? "" : "; ") + SourceLine(s);
  return out;
}

std::string SourceLine(const query::SourceRef& s) {
  std::string out;
  if (!s.publisher.empty()) out = s.publisher;
  if (!s.title.empty()) out += (out.empty() ? "" : ", ") + ("\"" + s.title + "\"");
  if (s.published.known()) out += " (" + FormatIntervalShort(s.published) + ")";
  if (out.empty()) out = s.url;
  return out;
}

std::string LocationLine(const Location& loc) {
  std::string out = loc.place_name;
  if (!loc.admin1.empty()) out += (out.empty() ? "" : ", ") + loc.admin1;
  if (!loc.country_iso3.empty()) {
    out += out.empty() ? loc.country_iso3 : " (" + loc.country_iso3 + ")";
  }
  if (loc.latitude && loc.longitude) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f,%.4f", *loc.latitude, *loc.longitude);
    out += (out.empty() ? "" : " ") + std::string("@") + buf;
  }
  return out.empty() ? "unknown" : out;
}

}  // namespace geokg::cli
