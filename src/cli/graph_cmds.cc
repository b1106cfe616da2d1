// The graph commands: `geokg neighbors`, `ego`, `path`, `rank`, `components`. They share the
// filter options (--from/--to, --type, --code, --status, --direction, --min-events). `neighbors`
// reads RocksDB directly; the others run on the store's graph snapshot (rebuilt when stale).
#include <CLI/CLI.hpp>
#include <cmath>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/render.h"
#include "cli/table.h"
#include "model/cameo.h"
#include "model/time_format.h"
#include "model/vocab.h"
#include "query/event_query.h"
#include "query/neighbors.h"
#include "query/path.h"
#include "query/rank.h"
#include "query/traversal.h"

namespace geokg::cli {
namespace {

struct FilterOptions {
  std::string from, to, type, code, status, direction = "both";
  uint32_t min_events = 1;
};

void AddFilterOptions(CLI::App* sub, FilterOptions& o) {
  sub->add_option("--from", o.from, "Only events/edges on or after this date (YYYY[-MM[-DD]])")
      ->type_name("DATE");
  sub->add_option("--to", o.to, "Only events/edges on or before the end of this date")
      ->type_name("DATE");
  sub->add_option("--type", o.type,
                  "Comma-separated edge types: roles (initiator, target, host, ...) and/or "
                  "relations (leader_of, ally_of, ...)")
      ->type_name("LIST");
  sub->add_option("--code", o.code, "CAMEO code prefix of the shared events: 04, 043, ...")
      ->type_name("PREFIX");
  sub->add_option("--status", o.status,
                  "Comma-separated statuses: occurred, planned, reported, ...")
      ->type_name("LIST");
  sub->add_option("--direction", o.direction,
                  "both: any roles; out: the actor initiates, the other is targeted; in: reverse")
      ->capture_default_str()
      ->type_name("out|in|both");
  sub->add_option("--min-events", o.min_events, "Only links backed by at least N shared events")
      ->capture_default_str()
      ->type_name("N");
}

// Parses the options; on error prints it and returns the exit code in *exit.
bool ParseFilter(Context& ctx, const FilterOptions& o, query::GraphFilter* f, int* exit) {
  auto fail = [&](const std::string& msg) {
    *exit = Error(ctx, kExitUsage, msg);
    return false;
  };
  if (!o.from.empty()) {
    auto d = ParseDate(o.from);
    if (!d.ok()) return fail("--from: " + d.status().message());
    f->t1 = d->start;
  }
  if (!o.to.empty()) {
    auto d = ParseDate(o.to);
    if (!d.ok()) return fail("--to: " + d.status().message());
    f->t2 = d->end;
  }
  if (f->t1 != kMinTime && f->t2 != kUnknownTime && f->t1 > f->t2) {
    return fail("--from " + o.from + " is after --to " + o.to);
  }
  if (!o.type.empty()) {
    auto t = query::ParseEdgeTypeList(o.type);
    if (!t.ok()) return fail("--type: " + t.status().message());
    f->types = *t;
  }
  if (Status st = query::ValidateCodePrefix(o.code); !st.ok())
    return fail("--code: " + st.message());
  f->code_prefix = o.code;
  if (!o.status.empty()) {
    auto s = query::ParseStatusList(o.status);
    if (!s.ok()) return fail("--status: " + s.status().message());
    f->statuses = *s;
  }
  auto d = query::ParseDirection(o.direction);
  if (!d.ok()) return fail("--direction: " + d.status().message());
  f->dir = *d;
  if (o.min_events < 1) return fail("--min-events: must be at least 1");
  f->min_events = o.min_events;
  return true;
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string Fixed(double x, int digits) {
  if (std::isnan(x)) return "-";
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(digits);
  s << x;
  return s.str();
}

std::string Day(Time t) {
  return t == kUnknownTime || t == kMinTime ? "-" : FormatTimeAt(t, TimePrecision::kDay);
}

// "verbal coop 3, material conflict 1".
std::string QuadMix(const graph::LinkStats& s) {
  static const char* kNames[5] = {"unknown", "verbal coop", "material coop", "verbal conflict",
                                  "material conflict"};
  std::vector<std::string> parts;
  for (int q = 1; q <= 4; ++q) {
    if (s.quad[q]) parts.push_back(std::string(kNames[q]) + " " + std::to_string(s.quad[q]));
  }
  if (s.quad[0]) parts.push_back("unknown " + std::to_string(s.quad[0]));
  return Join(parts, ", ");
}

Json StatsJson(const graph::LinkStats& s) {
  Json quad = Json::object();
  quad["verbal_cooperation"] = s.quad[1];
  quad["material_cooperation"] = s.quad[2];
  quad["verbal_conflict"] = s.quad[3];
  quad["material_conflict"] = s.quad[4];
  quad["unknown"] = s.quad[0];
  Json j = {{"events", s.events}, {"relations", s.relations}};
  j["mean_goldstein"] = std::isnan(s.mean_goldstein()) ? Json(nullptr) : Json(s.mean_goldstein());
  j["quad_class"] = quad;
  j["first"] = s.first == kUnknownTime ? Json(nullptr) : Json(FormatTime(s.first));
  j["last"] = s.last == kMinTime ? Json(nullptr) : Json(FormatTime(s.last));
  return j;
}

// Resolves the actor, printing the error; nullopt on failure (exit code in *exit).
std::optional<NodeId> Resolve(Context& ctx, const storage::Store& store, const std::string& name,
                              int* exit) {
  auto id = query::ResolveOneActor(store, name);
  if (!id.ok()) {
    *exit = StatusError(ctx, id.status());
    return std::nullopt;
  }
  return *id;
}

std::optional<query::GraphContext> LoadGraphOrFail(Context& ctx, const storage::Store& store,
                                                   int* exit) {
  auto gc = query::LoadGraphContext(store);
  if (!gc.ok()) {
    *exit = StatusError(ctx, gc.status());
    return std::nullopt;
  }
  if (!gc->loaded.write_status.ok()) {
    Warn(ctx, "the graph snapshot could not be saved (" + gc->loaded.write_status.message() +
                  "); it will be rebuilt next time");
  }
  return std::move(*gc);
}

// The read-only store and its graph, for commands that need nothing else from the store first.
// The context points into the store, which lives on the heap, so the pair moves as one.
struct StoreGraph {
  std::unique_ptr<storage::Store> store;
  query::GraphContext gc;
};
std::optional<StoreGraph> OpenStoreGraph(Context& ctx, int* exit) {
  auto store = OpenStore(ctx, StoreAccess::kReadOnly);
  if (!store.ok()) {
    *exit = StoreError(ctx, store.status());
    return std::nullopt;
  }
  auto gc = LoadGraphOrFail(ctx, **store, exit);
  if (!gc) return std::nullopt;
  return StoreGraph{std::move(store).value(), std::move(*gc)};
}

std::string JoinWords(const std::vector<std::string>& words) { return Join(words, " "); }

void AddNeighbors(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand(
      "neighbors",
      "An actor's counterparts: shared events (count, Goldstein, QuadClass) and relations");
  struct Opts {
    std::vector<std::string> name;
    FilterOptions f;
    size_t limit = 50;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("actor", o->name, "Name, alias or key of the actor")
      ->required()
      ->type_name("ACTOR");
  AddFilterOptions(sub, o->f);
  sub->add_option("--limit", o->limit, "At most N counterparts (0: all)")->capture_default_str();
  SetRun(sub, ctx, [&ctx, o]() -> int {
    query::GraphFilter filter;
    int exit = kExitOk;
    if (!ParseFilter(ctx, o->f, &filter, &exit)) return exit;
    auto store = OpenStore(ctx, StoreAccess::kReadOnly);
    if (!store.ok()) return StoreError(ctx, store.status());
    auto id = Resolve(ctx, **store, JoinWords(o->name), &exit);
    if (!id) return exit;
    // A current snapshot answers from its links; otherwise RocksDB (a snapshot is never built
    // for a one-hop question).
    auto gc = query::LoadCurrentGraphContext(**store);
    auto rows = gc ? query::Neighbors(*gc, *id, filter) : query::Neighbors(**store, *id, filter);
    if (!rows.ok()) return StatusError(ctx, rows.status());
    auto self = query::LoadNodeRef(**store, *id);
    if (!self.ok()) return StatusError(ctx, self.status());
    const size_t total = rows->size();
    if (o->limit > 0 && rows->size() > o->limit) rows->resize(o->limit);
    if (ctx.json()) {
      Json list = Json::array();
      for (const auto& r : *rows) {
        Json j = ToJson(r.actor);
        j["link"] = StatsJson(r.stats);
        j["relations"] = r.relations;
        list.push_back(j);
      }
      PrintJson(ctx, {{"actor", ToJson(*self)},
                      {"filter", filter.Describe()},
                      {"count", total},
                      {"neighbors", list}});
      return kExitOk;
    }
    Line(ctx,
         self->label + ": " + std::to_string(total) + " counterparts (" + filter.Describe() + ")");
    Table t({"COUNTERPART", "EVENTS", "GOLDSTEIN", "QUADCLASS MIX", "FIRST", "LAST", "RELATIONS"});
    t.SetAlign(1, Table::Align::kRight);
    t.SetAlign(2, Table::Align::kRight);
    for (const auto& r : *rows) {
      t.AddRow({r.actor.label, std::to_string(r.stats.events), Fixed(r.stats.mean_goldstein(), 2),
                QuadMix(r.stats), Day(r.stats.first), Day(r.stats.last), Join(r.relations, ", ")});
    }
    PrintTable(ctx, t);
    if (total > rows->size()) {
      Warn(ctx, "showing " + std::to_string(rows->size()) + " of " + std::to_string(total) +
                    " counterparts (--limit 0 for all)");
    }
    return kExitOk;
  });
}

void AddEgo(CLI::App& app, Context& ctx) {
  CLI::App* sub =
      app.add_subcommand("ego", "The actors within K links of an actor, and the links among them");
  struct Opts {
    std::vector<std::string> name;
    FilterOptions f;
    int32_t hops = 1;
    size_t limit = 50;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("actor", o->name, "Name, alias or key of the actor")
      ->required()
      ->type_name("ACTOR");
  sub->add_option("--hops,-k", o->hops, "Radius in links")
      ->capture_default_str()
      ->check(CLI::Range(0, 10));
  AddFilterOptions(sub, o->f);
  sub->add_option("--limit", o->limit, "Print at most N actors (0: all); counts are always full")
      ->capture_default_str();
  SetRun(sub, ctx, [&ctx, o]() -> int {
    query::GraphFilter filter;
    int exit = kExitOk;
    if (!ParseFilter(ctx, o->f, &filter, &exit)) return exit;
    auto store = OpenStore(ctx, StoreAccess::kReadOnly);
    if (!store.ok()) return StoreError(ctx, store.status());
    auto id = Resolve(ctx, **store, JoinWords(o->name), &exit);
    if (!id) return exit;
    auto gc = LoadGraphOrFail(ctx, **store, &exit);
    if (!gc) return exit;
    const size_t refs = ctx.json() || o->limit == 0 ? SIZE_MAX : o->limit;
    // The table shows nodes and counts only: the links are listed for JSON.
    auto ego = query::Ego(*gc, *id, o->hops, filter, std::max<size_t>(refs, 1), ctx.json());
    if (!ego.ok()) return StatusError(ctx, ego.status());
    std::vector<size_t> by_hops(o->hops + 1, 0);
    for (const auto& n : ego->nodes) ++by_hops[n.hops];
    const size_t shown = o->limit == 0 ? ego->nodes.size() : std::min(o->limit, ego->nodes.size());
    if (ctx.json()) {
      Json nodes = Json::array();
      for (size_t i = 0; i < ego->nodes.size(); ++i) {
        Json j = ToJson(ego->nodes[i].ref);
        j["hops"] = ego->nodes[i].hops;
        j["degree"] = ego->nodes[i].degree;
        nodes.push_back(j);
      }
      Json edges = Json::array();
      for (const auto& e : ego->edges) {
        edges.push_back({{"a", ego->nodes[e.a].ref.key},
                         {"b", ego->nodes[e.b].ref.key},
                         {"link", StatsJson(e.stats)}});
      }
      PrintJson(ctx, {{"actor", ToJson(ego->nodes[0].ref)},
                      {"hops", o->hops},
                      {"filter", filter.Describe()},
                      {"node_count", ego->nodes.size()},
                      {"edge_count", ego->num_edges},
                      {"nodes", nodes},
                      {"edges", edges}});
      return kExitOk;
    }
    std::string per_hop;
    for (int32_t h = 1; h <= o->hops; ++h) {
      per_hop += (h > 1 ? ", " : "") + std::to_string(by_hops[h]) + " at " + std::to_string(h) +
                 (h == 1 ? " hop" : " hops");
    }
    Line(ctx, ego->nodes[0].ref.label + ": " + std::to_string(ego->nodes.size()) + " actors (" +
                  per_hop + "), " + std::to_string(ego->num_edges) + " links (" +
                  filter.Describe() + ")");
    Table t({"HOPS", "ACTOR", "LINKS IN NETWORK"});
    t.SetAlign(0, Table::Align::kRight);
    t.SetAlign(2, Table::Align::kRight);
    for (size_t i = 0; i < shown; ++i) {
      const auto& n = ego->nodes[i];
      t.AddRow({std::to_string(n.hops), n.ref.label, std::to_string(n.degree)});
    }
    PrintTable(ctx, t);
    if (shown < ego->nodes.size()) {
      Warn(ctx, "showing " + std::to_string(shown) + " of " + std::to_string(ego->nodes.size()) +
                    " actors (--limit 0 for all, --format json for the links)");
    }
    return kExitOk;
  });
}

Json HopJson(const query::Hop& h) {
  Json events = Json::array();
  for (const auto& e : h.events) {
    Json j = ToJson(e.event);
    j["code"] = e.body.cameo_code;
    j["time"] = ToJson(e.body.time);
    j["status"] = std::string(StatusName(e.body.status));
    j["summary"] = e.body.summary;
    Json sources = Json::array();
    for (const auto& s : e.sources) sources.push_back(ToJson(s));
    j["sources"] = sources;
    events.push_back(j);
  }
  return {{"from", ToJson(h.from)},
          {"to", ToJson(h.to)},
          {"link", StatsJson(h.stats)},
          {"relations", h.relations},
          {"events", events}};
}

void AddPath(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand(
      "path", "How two actors are related: shortest chains of actors, each hop explained");
  struct Opts {
    std::string a, b;
    FilterOptions f;
    bool all = false;
    size_t k = 0;
    size_t events = 3;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("from", o->a, "First actor (quote names with spaces)")
      ->required()
      ->type_name("A");
  sub->add_option("to", o->b, "Second actor")->required()->type_name("B");
  sub->add_flag("--all", o->all, "Every shortest path (at most 100)");
  sub->add_option("--k", o->k, "The N shortest loopless paths")->type_name("N");
  sub->add_option("--events", o->events, "Events shown per hop")->capture_default_str();
  AddFilterOptions(sub, o->f);
  SetRun(sub, ctx, [&ctx, o]() -> int {
    query::GraphFilter filter;
    int exit = kExitOk;
    if (!ParseFilter(ctx, o->f, &filter, &exit)) return exit;
    if (o->all && o->k > 0) return Error(ctx, kExitUsage, "--all and --k exclude each other");
    auto store = OpenStore(ctx, StoreAccess::kReadOnly);
    if (!store.ok()) return StoreError(ctx, store.status());
    auto a = Resolve(ctx, **store, o->a, &exit);
    if (!a) return exit;
    auto b = Resolve(ctx, **store, o->b, &exit);
    if (!b) return exit;
    auto gc = LoadGraphOrFail(ctx, **store, &exit);
    if (!gc) return exit;
    query::PathOptions po;
    po.mode = o->all     ? query::PathMode::kAllShortest
              : o->k > 0 ? query::PathMode::kKShortest
                         : query::PathMode::kShortest;
    po.k = o->k;
    po.max_events_per_hop = o->events;
    auto paths = query::FindPaths(*gc, *a, *b, filter, po);
    if (!paths.ok()) return StatusError(ctx, paths.status());
    auto ra = query::LoadNodeRef(**store, *a);
    auto rb = query::LoadNodeRef(**store, *b);
    if (!ra.ok()) return StatusError(ctx, ra.status());
    if (!rb.ok()) return StatusError(ctx, rb.status());
    if (ctx.json()) {
      Json list = Json::array();
      for (const auto& p : *paths) {
        Json hops = Json::array();
        for (const auto& h : p.hops) hops.push_back(HopJson(h));
        list.push_back({{"length", p.hops.size()}, {"hops", hops}});
      }
      PrintJson(ctx, {{"from", ToJson(*ra)},
                      {"to", ToJson(*rb)},
                      {"filter", filter.Describe()},
                      {"count", paths->size()},
                      {"paths", list}});
      return kExitOk;
    }
    if (paths->empty()) {
      Line(ctx,
           "no path between " + ra->label + " and " + rb->label + " (" + filter.Describe() + ")");
      return kExitOk;
    }
    Line(ctx, std::to_string(paths->size()) + (paths->size() == 1 ? " path" : " paths") + " from " +
                  ra->label + " to " + rb->label + " (" + filter.Describe() + ")");
    for (size_t i = 0; i < paths->size(); ++i) {
      const auto& p = (*paths)[i];
      std::string chain = ra->label;
      for (const auto& h : p.hops) chain += " -> " + h.to.label;
      Line(ctx, "");
      Line(ctx, "Path " + std::to_string(i + 1) + " (" + std::to_string(p.hops.size()) +
                    (p.hops.size() == 1 ? " hop" : " hops") + "): " + chain);
      for (const auto& h : p.hops) {
        std::string head = "  " + h.from.label + " — " + h.to.label + ": " +
                           std::to_string(h.stats.events) + " shared events";
        if (h.stats.events > 0) {
          head += ", mean Goldstein " + Fixed(h.stats.mean_goldstein(), 2) + ", " +
                  Day(h.stats.first) + " .. " + Day(h.stats.last);
        }
        if (!h.relations.empty()) head += "; " + Join(h.relations, ", ");
        Line(ctx, head);
        for (const auto& e : h.events) {
          const CameoEventCode* c = Codebook::Default().Find(e.body.cameo_code);
          std::string what = e.body.cameo_code + (c ? " " + c->description : "");
          Line(ctx, "    - " + FormatIntervalShort(e.body.time) + "  " + what + "  [" +
                        std::string(StatusName(e.body.status)) + "]" +
                        (e.body.summary.empty() ? "" : "  " + e.body.summary));
          if (!e.sources.empty()) {
            Line(ctx, "      source: " + SourcesText(e.sources, false));
          }
        }
        if (h.stats.events > h.events.size()) {
          Line(ctx,
               "    … " + std::to_string(h.stats.events - h.events.size()) + " more (--events N)");
        }
      }
    }
    return kExitOk;
  });
}

void AddRank(CLI::App& app, Context& ctx) {
  CLI::App* sub =
      app.add_subcommand("rank", "The most central actors: PageRank, betweenness or degree");
  struct Opts {
    std::string by = "pagerank";
    size_t top = 20;
    FilterOptions f;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--by", o->by, "pagerank, betweenness (exact, slow on large windows) or degree")
      ->capture_default_str()
      ->check(CLI::IsMember({"pagerank", "betweenness", "degree"}));
  sub->add_option("--top", o->top, "How many actors")->capture_default_str();
  AddFilterOptions(sub, o->f);
  SetRun(sub, ctx, [&ctx, o]() -> int {
    query::GraphFilter filter;
    int exit = kExitOk;
    if (!ParseFilter(ctx, o->f, &filter, &exit)) return exit;
    auto sg = OpenStoreGraph(ctx, &exit);
    if (!sg) return exit;
    query::RankBy by = o->by == "betweenness" ? query::RankBy::kBetweenness
                       : o->by == "degree"    ? query::RankBy::kDegree
                                              : query::RankBy::kPageRank;
    auto rows = query::Rank(sg->gc, by, o->top, filter);
    if (!rows.ok()) return StatusError(ctx, rows.status());
    if (ctx.json()) {
      Json list = Json::array();
      for (const auto& r : *rows) {
        Json j = ToJson(r.actor);
        j["score"] = r.score;
        j["degree"] = r.degree;
        j["events"] = r.events;
        list.push_back(j);
      }
      PrintJson(ctx, {{"by", o->by}, {"filter", filter.Describe()}, {"actors", list}});
      return kExitOk;
    }
    Line(ctx, "Top " + std::to_string(rows->size()) + " actors by " + o->by + " (" +
                  filter.Describe() + ")");
    Table t({"#", "ACTOR", o->by == "degree" ? "COUNTERPARTS" : "SCORE", "COUNTERPARTS", "EVENTS"});
    for (size_t c : {0, 2, 3, 4}) t.SetAlign(c, Table::Align::kRight);
    for (size_t i = 0; i < rows->size(); ++i) {
      const auto& r = (*rows)[i];
      std::string score = by == query::RankBy::kPageRank      ? Fixed(r.score, 6)
                          : by == query::RankBy::kBetweenness ? Fixed(r.score, 1)
                                                              : std::to_string(r.degree);
      t.AddRow({std::to_string(i + 1), r.actor.label, score, std::to_string(r.degree),
                std::to_string(r.events)});
    }
    PrintTable(ctx, t);
    return kExitOk;
  });
}

void AddComponents(CLI::App& app, Context& ctx) {
  CLI::App* sub =
      app.add_subcommand("components", "Connected groups of actors (linked by shared events)");
  struct Opts {
    size_t top = 10;
    size_t members = 5;
    FilterOptions f;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--top", o->top, "How many groups, largest first")->capture_default_str();
  sub->add_option("--members", o->members, "Best-connected members shown per group")
      ->capture_default_str();
  AddFilterOptions(sub, o->f);
  SetRun(sub, ctx, [&ctx, o]() -> int {
    query::GraphFilter filter;
    int exit = kExitOk;
    if (!ParseFilter(ctx, o->f, &filter, &exit)) return exit;
    auto sg = OpenStoreGraph(ctx, &exit);
    if (!sg) return exit;
    auto r = query::Components(sg->gc, o->top, o->members, filter);
    if (!r.ok()) return StatusError(ctx, r.status());
    if (ctx.json()) {
      Json list = Json::array();
      for (const auto& c : r->largest) {
        Json members = Json::array();
        for (const auto& m : c.members) {
          Json j = ToJson(m.actor);
          j["counterparts"] = m.degree;
          members.push_back(j);
        }
        list.push_back({{"size", c.size}, {"links", c.links}, {"members", members}});
      }
      PrintJson(ctx, {{"filter", filter.Describe()},
                      {"components", r->components},
                      {"isolated_actors", r->isolated},
                      {"largest", list}});
      return kExitOk;
    }
    Line(ctx, std::to_string(r->components) + " groups of linked actors, " +
                  std::to_string(r->isolated) + " actors without links (" + filter.Describe() +
                  ")");
    Table t({"#", "ACTORS", "LINKS", "BEST CONNECTED"});
    for (size_t c : {0, 1, 2}) t.SetAlign(c, Table::Align::kRight);
    for (size_t i = 0; i < r->largest.size(); ++i) {
      const auto& c = r->largest[i];
      std::vector<std::string> names;
      for (const auto& m : c.members) names.push_back(m.actor.label);
      t.AddRow({std::to_string(i + 1), std::to_string(c.size), std::to_string(c.links),
                Join(names, ", ")});
    }
    PrintTable(ctx, t);
    return kExitOk;
  });
}

}  // namespace

void AddGraphCommands(CLI::App& app, Context& ctx) {
  AddNeighbors(app, ctx);
  AddEgo(app, ctx);
  AddPath(app, ctx);
  AddRank(app, ctx);
  AddComponents(app, ctx);
}

}  // namespace geokg::cli
