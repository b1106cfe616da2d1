// `geokg stats`: what a store holds.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/table.h"
#include "model/cameo.h"
#include "model/time_format.h"
#include "model/vocab.h"
#include "query/event_query.h"

namespace geokg::cli {

void AddStatsCommand(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand(
      "stats", "Count nodes by kind, edges by type, events by CAMEO root and QuadClass");
  SetRun(sub, ctx, [&ctx]() -> int {
    auto store = OpenStore(ctx, StoreAccess::kReadOnly);
    if (!store.ok()) return StoreError(ctx, store.status());
    auto stats = (*store)->ComputeStats();
    if (!stats.ok()) return StatusError(ctx, stats.status());
    auto ev = query::ComputeEventStats(**store);
    if (!ev.ok()) return StatusError(ctx, ev.status());
    const Codebook& cb = Codebook::Default();
    auto root_description = [&](const std::string& root) {
      const CameoEventCode* c = cb.Find(root);
      if (c == nullptr) return std::string("(not in the CAMEO codebook)");
      // The codebook writes roots in capitals ("MAKE PUBLIC STATEMENT"); print them as the
      // other codes are written.
      std::string d = c->description;
      for (size_t i = 1; i < d.size(); ++i) {
        if (d[i] >= 'A' && d[i] <= 'Z') d[i] = static_cast<char>(d[i] - 'A' + 'a');
      }
      return d;
    };

    if (ctx.json()) {
      Json nodes = Json::object();
      for (int k = 0; k < kNodeKindCount; ++k) {
        nodes[std::string(NodeKindName(static_cast<NodeKind>(k)))] = stats->nodes_by_kind[k];
      }
      Json edges = Json::object();
      for (const auto& info : AllEdgeTypes()) {
        edges[std::string(info.name)] = stats->edges_by_type[static_cast<int>(info.type)];
      }
      Json roots = Json::object();
      for (const auto& [root, n] : ev->by_root) {
        roots[root] = {{"count", n}, {"description", root_description(root)}};
      }
      Json quads = Json::object();
      for (int q = 0; q <= 4; ++q) quads[std::to_string(q)] = ev->by_quad_class[q];
      PrintJson(
          ctx,
          {{"store",
            {{"path", ctx.db_path},
             {"format_version", (*store)->found_format_version()},
             {"generation", stats->generation}}},
           {"nodes", nodes},
           {"nodes_total", stats->nodes()},
           {"edges", edges},
           {"edges_total", stats->edges()},
           {"names", stats->names},
           {"events",
            {{"total", ev->events},
             {"undated", ev->undated},
             {"first", ev->first == kUnknownTime ? Json(nullptr) : Json(FormatTime(ev->first))},
             {"last", ev->last == kUnknownTime ? Json(nullptr) : Json(FormatTime(ev->last))},
             {"by_root", roots},
             {"by_quad_class", quads}}}});
      return kExitOk;
    }

    Line(ctx, "store           " + ctx.db_path);
    Line(ctx, "format version  " + std::to_string((*store)->found_format_version()));
    Line(ctx, "generation      " + std::to_string(stats->generation));
    Line(ctx, "names indexed   " + std::to_string(stats->names));
    std::string span = "-";
    if (ev->first != kUnknownTime) {
      span = FormatTimeAt(ev->first, TimePrecision::kDay) + " to " +
             FormatTimeAt(ev->last, TimePrecision::kDay);
    }
    Line(ctx, "event time span " + span +
                  (ev->undated > 0 ? " (+" + std::to_string(ev->undated) + " undated)" : ""));
    Line(ctx, "");
    Table nodes({"NODE KIND", "COUNT"});
    nodes.SetAlign(1, Table::Align::kRight);
    for (int k = 0; k < kNodeKindCount; ++k) {
      nodes.AddRow({std::string(NodeKindName(static_cast<NodeKind>(k))),
                    std::to_string(stats->nodes_by_kind[k])});
    }
    nodes.AddRow({"total", std::to_string(stats->nodes())});
    PrintTable(ctx, nodes);
    Line(ctx, "");
    Table edges({"EDGE TYPE", "COUNT"});
    edges.SetAlign(1, Table::Align::kRight);
    for (const auto& info : AllEdgeTypes()) {
      const uint64_t n = stats->edges_by_type[static_cast<int>(info.type)];
      if (n > 0) edges.AddRow({std::string(info.name), std::to_string(n)});
    }
    edges.AddRow({"total", std::to_string(stats->edges())});
    PrintTable(ctx, edges);
    Line(ctx, "");
    Table roots({"CAMEO ROOT", "DESCRIPTION", "QUAD CLASS", "EVENTS"});
    roots.SetAlign(3, Table::Align::kRight);
    for (const auto& [root, n] : ev->by_root) {
      roots.AddRow({root, root_description(root), std::to_string(Codebook::QuadClassOfRoot(root)),
                    std::to_string(n)});
    }
    roots.AddRow({"total", "", "", std::to_string(ev->events)});
    PrintTable(ctx, roots);
    Line(ctx, "");
    Table quads({"QUAD CLASS", "MEANING", "EVENTS"});
    quads.SetAlign(2, Table::Align::kRight);
    for (int q = 1; q <= 4; ++q) {
      quads.AddRow({std::to_string(q), std::string(Codebook::QuadClassName(q)),
                    std::to_string(ev->by_quad_class[q])});
    }
    if (ev->by_quad_class[0] > 0) {
      quads.AddRow({"-", "code not in the codebook", std::to_string(ev->by_quad_class[0])});
    }
    PrintTable(ctx, quads);
    return kExitOk;
  });
}

}  // namespace geokg::cli
