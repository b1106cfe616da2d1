// `geokg events`: events filtered by actors (one, or the events several share), CAMEO code
// prefix, QuadClass, time window, status.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/render.h"
#include "cli/table.h"
#include "model/time_format.h"
#include "model/vocab.h"
#include "query/event_query.h"

namespace geokg::cli {
namespace {

struct EventsOptions {
  std::vector<std::string> actors;
  std::string code;
  int quad_class = 0;
  std::string from;
  std::string to;
  std::string status;
  size_t limit = 100;
};

std::string DateCell(const Interval& iv) {
  if (iv.precision == TimePrecision::kImminent) return FormatInterval(iv);
  return FormatIntervalShort(iv);
}

}  // namespace

void AddEventsCommand(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand("events", "List events, filtered, in time order");
  auto o = std::make_shared<EventsOptions>();
  sub->add_option("--actor", o->actors,
                  "Only events where this actor has a role (name or key); given twice or more, "
                  "the events all of them share (a dyad: who met whom)")
      ->type_name("NAME");
  sub->add_option("--code", o->code, "CAMEO code prefix: 04 (consult), 043 (host a visit), ...")
      ->type_name("PREFIX");
  sub->add_option("--quad-class", o->quad_class,
                  "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
                  "4 material conflict")
      ->check(CLI::Range(1, 4))
      ->type_name("1..4");
  sub->add_option("--from", o->from, "Events starting on or after this date (YYYY[-MM[-DD]])")
      ->type_name("DATE");
  sub->add_option("--to", o->to, "Events starting on or before the end of this date")
      ->type_name("DATE");
  sub->add_option("--status", o->status,
                  "Comma-separated statuses: occurred, planned, reported, speculated, ...")
      ->type_name("LIST");
  sub->add_option("--limit", o->limit, "At most N events (0: all)")
      ->capture_default_str()
      ->type_name("N");

  SetRun(sub, ctx, [&ctx, o]() -> int {
    query::EventFilter filter;
    filter.code_prefix = o->code;
    filter.quad_class = o->quad_class;
    filter.limit = o->limit;
    if (Status st = query::ValidateCodePrefix(o->code); !st.ok()) {
      return Error(ctx, kExitUsage, "--code: " + st.message());
    }
    if (!o->from.empty()) {
      auto d = ParseDate(o->from);
      if (!d.ok()) return Error(ctx, kExitUsage, "--from: " + d.status().message());
      filter.from = d->start;
    }
    if (!o->to.empty()) {
      auto d = ParseDate(o->to);
      if (!d.ok()) return Error(ctx, kExitUsage, "--to: " + d.status().message());
      filter.to = d->end;
    }
    if (filter.from > filter.to) {
      return Error(ctx, kExitUsage, "--from " + o->from + " is after --to " + o->to);
    }
    if (!o->status.empty()) {
      auto statuses = query::ParseStatusList(o->status);
      if (!statuses.ok()) return Error(ctx, kExitUsage, "--status: " + statuses.status().message());
      filter.statuses = *statuses;
    }
    auto store = OpenStore(ctx, StoreAccess::kReadOnly);
    if (!store.ok()) return StoreError(ctx, store.status());
    for (const std::string& name : o->actors) {
      auto id = query::ResolveOneActor(**store, name);
      if (!id.ok()) return StatusError(ctx, id.status());
      filter.actors.push_back(*id);
    }
    auto result = query::QueryEvents(**store, filter);
    if (!result.ok()) return StatusError(ctx, result.status());

    if (ctx.json()) {
      Json events = Json::array();
      for (const auto& e : result->events) events.push_back(ToJson(e));
      PrintJson(ctx, {{"count", result->events.size()},
                      {"truncated", result->more},
                      {"limit", o->limit},
                      {"index", result->plan},
                      {"events", events}});
      return kExitOk;
    }
    Table t({"DATE", "CODE", "TYPE", "STATUS", "ACTORS", "SUMMARY", "SOURCE"});
    for (const auto& e : result->events) {
      t.AddRow({DateCell(e.event.time), e.event.cameo_code, e.code_description,
                std::string(StatusName(e.event.status)),
                ParticipantsText(e.participants, e.event.status), e.event.summary,
                SourcesText(e.sources, false)});
    }
    PrintTable(ctx, t);
    if (result->more) {
      Warn(ctx, "more events match: showing the first " + std::to_string(o->limit) +
                    " (raise --limit, or --limit 0 for all)");
    }
    return kExitOk;
  });
}

}  // namespace geokg::cli
