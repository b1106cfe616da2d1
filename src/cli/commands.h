#pragma once
// The sub-commands of geokg, one Add*Command per src/cli/<name>_cmd.cc. Each registers its
// sub-command and options on `app` and its body with SetRun (cli/context.h); `ctx` outlives the
// run. cli/app.cc calls every function below once, in the order of the help text.

namespace CLI {
class App;
}

namespace geokg::cli {

struct Context;

void AddInitCommand(CLI::App& app, Context& ctx);    // init_cmd.cc
void AddLoadCommand(CLI::App& app, Context& ctx);    // load_cmd.cc
void AddActorCommand(CLI::App& app, Context& ctx);   // actor_cmd.cc
void AddEventsCommand(CLI::App& app, Context& ctx);  // events_cmd.cc
void AddStatsCommand(CLI::App& app, Context& ctx);   // stats_cmd.cc
void AddImportCommand(CLI::App& app, Context& ctx);  // import_cmd.cc
void AddGraphCommands(CLI::App& app, Context& ctx);  // graph_cmds.cc (neighbors, ego, path, ...)

// Commands of later issues: add one declaration here and one call in app.cc.
// (issue 3: AddImportCommand, import_cmd.cc; issue 4: AddGraphCommands, graph_cmds.cc)

}  // namespace geokg::cli
