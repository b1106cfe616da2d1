// `geokg actor NAME`: who an actor is, its relations, events and statements.
#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/render.h"
#include "cli/table.h"
#include "model/cameo.h"
#include "model/time_format.h"
#include "model/vocab.h"
#include "query/actor_view.h"

namespace geokg::cli {
namespace {

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

void PrintIdentity(Context& ctx, const query::ActorView& v) {
  const Actor& a = v.actor;
  const Codebook& cb = Codebook::Default();
  Line(ctx, a.name + "  [" + v.ref.key + "]");
  auto field = [&](const std::string& name, const std::string& value) {
    if (!value.empty()) Line(ctx, "  " + name + std::string(13 - name.size(), ' ') + value);
  };
  field("kind", std::string(ActorKindName(a.kind)));
  field("aliases", Join(a.aliases, ", "));
  std::string country = a.country_iso3;
  if (!a.country_cameo.empty()) {
    std::string label = std::string(cb.CountryLabel(a.country_cameo).value_or(""));
    country += (country.empty() ? "" : ", ") + std::string("CAMEO ") + a.country_cameo +
               (label.empty() ? "" : " (" + label + ")");
  }
  field("country", country);
  std::vector<std::string> types;
  for (const auto& t : a.cameo_types) {
    auto label = cb.ActorTypeLabel(t);
    types.push_back(label ? t + " (" + std::string(*label) + ")" : t);
  }
  field("CAMEO types", Join(types, ", "));
  field("sectors", Join(a.sectors, ", "));
  std::vector<std::string> ids;
  for (const auto& e : a.external_ids) ids.push_back(e.scheme + ":" + e.value);
  field("external ids", Join(ids, ", "));
  field("description", a.description);
  if (!v.sources.empty()) field("sources", SourcesText(v.sources, true));
}

void PrintRelations(Context& ctx, const query::ActorView& v) {
  Line(ctx, "");
  Line(ctx, "Relations (" + std::to_string(v.relations.size()) + ")");
  if (v.relations.empty()) return;
  Table t({"RELATION", "WITH", "VALID", "STATUS", "SOURCE"});
  for (const auto& r : v.relations) {
    std::string with = r.other.label;
    if (!r.label.empty()) with += " (" + r.label + ")";
    t.AddRow({r.reading, with, FormatInterval(r.validity), std::string(StatusName(r.status)),
              SourcesText(r.sources, true)});
  }
  PrintTable(ctx, t, 2);
}

void PrintEvents(Context& ctx, const query::ActorView& v) {
  Line(ctx, "");
  Line(ctx, "Events (" + std::to_string(v.event_count) + ", " +
                std::to_string(v.event_groups.size()) + " types)");
  for (const auto& g : v.event_groups) {
    std::string head =
        "  " + g.code + "  " + (g.description.empty() ? "(unknown code)" : g.description);
    if (const CameoEventCode* c = Codebook::Default().Find(g.code)) {
      head += "  [" + std::string(Codebook::QuadClassName(c->quad_class)) + "]";
    }
    Line(ctx, "");
    Line(ctx, head);
    for (const auto& e : g.events) {
      std::vector<std::string> roles;
      for (const auto& r : e.roles) roles.push_back(std::string(EdgeTypeName(r.role)));
      Line(ctx, "    - " + FormatInterval(e.event.time) + " · " +
                    std::string(StatusName(e.event.status)) + " · as " + Join(roles, ", "));
      if (!e.event.summary.empty()) Line(ctx, "      " + e.event.summary);
      Line(ctx, "      with:   " + ParticipantsText(e.participants, e.event.status));
      for (const auto& l : e.links) {
        if (l.other.kind == NodeKind::kStatement) {
          Line(ctx, "      statement: \u00ab" + l.other.label + "\u00bb");
          continue;
        }
        Line(ctx, "      " + l.reading + ": " + l.other.label +
                      (l.label.empty() ? "" : " (" + l.label + ")"));
      }
      Line(ctx, "      place:  " + LocationLine(e.event.location));
      Line(ctx, "      source: " + SourcesText(e.sources, true));
    }
  }
}

void PrintStatements(Context& ctx, const query::ActorView& v) {
  Line(ctx, "");
  Line(ctx, "Statements (" + std::to_string(v.statements.size()) + ")");
  for (const auto& s : v.statements) {
    Line(ctx, "  - " + FormatInterval(s.statement.time) + ": \u00ab" + s.statement.quote +
                  "\u00bb" +
                  (s.statement.language.empty() ? "" : " [" + s.statement.language + "]"));
    if (!s.statement.translation.empty())
      Line(ctx, "      translation: " + s.statement.translation);
    for (const auto& a : s.about) Line(ctx, "      about:  " + a.label);
    Line(ctx, "      source: " + SourcesText(s.sources, true));
  }
}

}  // namespace

void AddActorCommand(CLI::App& app, Context& ctx) {
  CLI::App* sub =
      app.add_subcommand("actor", "Show an actor: identity, relations, events by type, statements");
  auto words = std::make_shared<std::vector<std::string>>();
  sub->add_option("name", *words,
                  "Name or alias in any spelling (\"kim jong un\"), or a key (actor:kim-jong-un)")
      ->required()
      ->type_name("NAME");
  SetRun(sub, ctx, [&ctx, words]() -> int {
    const std::string name = [&] {
      std::string s;
      for (const auto& w : *words) s += (s.empty() ? "" : " ") + w;
      return s;
    }();
    auto store = OpenStore(ctx, StoreAccess::kReadOnly);
    if (!store.ok()) return StoreError(ctx, store.status());
    auto id = query::ResolveOneActor(**store, name);
    if (!id.ok()) return StatusError(ctx, id.status());
    auto view = query::BuildActorView(**store, *id);
    if (!view.ok()) return StatusError(ctx, view.status());
    if (ctx.json()) {
      PrintJson(ctx, ToJson(*view));
      return kExitOk;
    }
    PrintIdentity(ctx, *view);
    PrintRelations(ctx, *view);
    PrintEvents(ctx, *view);
    PrintStatements(ctx, *view);
    return kExitOk;
  });
}

}  // namespace geokg::cli
