#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/context.h"
#include "storage/store.h"

namespace geokg::cli {
namespace {

// The deepest sub-command given on the command line ("geokg graph path" -> path).
CLI::App* DeepestSubcommand(CLI::App* app) {
  for (;;) {
    std::vector<CLI::App*> subs = app->get_subcommands();
    if (subs.empty()) return app;
    app = subs.front();
  }
}

int Run(int argc, char** argv) {
  Context ctx;
  CLI::App app{"geokg: a geopolitical event knowledge graph store", "geokg"};
  app.footer(
      "Store path: --db PATH, else $GEOKG_DB, else ./geokg.db.\n"
      "Exit codes: 0 ok, 1 usage error, 2 bad input (load rejected, bad value), 3 not found,\n"
      "4 store error (cannot open, version mismatch, corruption), 5 internal error.\n"
      "Run `geokg COMMAND --help` for a command's options; docs/cli.md has examples.");
  // Global options may also follow the sub-command (`geokg actor X --format json`).
  app.fallthrough();
  app.require_subcommand(1);
  std::string format_name = "table";
  app.add_option("--db", ctx.db_option, "Store directory (default: $GEOKG_DB, else ./geokg.db)")
      ->type_name("PATH");
  app.add_option("--format", format_name, "Output format: table (aligned text) or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->type_name("table|json");
  app.add_flag("-q,--quiet", ctx.quiet, "Print only results and errors");
  app.set_version_flag("--version", std::string("geokg ") + GEOKG_VERSION + " (store format " +
                                        std::to_string(storage::kFormatVersion) + ")");

  AddInitCommand(app, ctx);
  AddLoadCommand(app, ctx);
  AddActorCommand(app, ctx);
  AddEventsCommand(app, ctx);
  AddStatsCommand(app, ctx);
  AddImportCommand(app, ctx);
  AddGraphCommands(app, ctx);
  // Commands of later issues go here, one line each (declared in cli/commands.h).

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    ctx.Resolve();
    std::string where;
    if (CLI::App* sub = DeepestSubcommand(&app); sub != &app) where = " " + sub->get_name();
    return Error(ctx, kExitUsage, std::string(e.what()) + " (see `geokg" + where + " --help`)");
  }
  ctx.format = format_name == "json" ? Format::kJson : Format::kTable;
  ctx.Resolve();
  CLI::App* sub = DeepestSubcommand(&app);
  auto it = ctx.runs.find(sub);
  if (it == ctx.runs.end()) {
    std::cout << sub->help();
    return kExitUsage;
  }
  return it->second();
}

}  // namespace

int Main(int argc, char** argv) {
  // Library code reports errors as Status; anything thrown here is a bug (or std::bad_alloc).
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "geokg: internal error: " << e.what() << '\n';
  } catch (...) {
    std::cerr << "geokg: internal error: unknown exception\n";
  }
  return kExitInternal;
}

}  // namespace geokg::cli
