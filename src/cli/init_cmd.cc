// `geokg init`: create an empty store at the store path.
#include <CLI/CLI.hpp>
#include <filesystem>

#include "cli/commands.h"
#include "cli/context.h"

namespace geokg::cli {

void AddInitCommand(CLI::App& app, Context& ctx) {
  CLI::App* sub =
      app.add_subcommand("init", "Create an empty store (at --db / $GEOKG_DB / ./geokg.db)");
  SetRun(sub, ctx, [&ctx]() -> int {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool existed = fs::exists(ctx.db_path, ec);
    const bool empty_dir =
        existed && fs::is_directory(ctx.db_path, ec) && fs::is_empty(ctx.db_path, ec);
    if (existed && !empty_dir) {
      // Only an existing geokg store is acceptable: say so, change nothing.
      storage::OpenOptions options;
      options.read_only = true;
      auto store = storage::Store::Open(ctx.db_path, options);
      if (!store.ok()) {
        if (store.status().IsVersionMismatch()) return StoreError(ctx, store.status());
        return Error(ctx, kExitStore,
                     "cannot create a store at " + ctx.db_path + ": " + store.status().message());
      }
      if (ctx.json()) {
        PrintJson(ctx, {{"path", ctx.db_path},
                        {"created", false},
                        {"format_version", (*store)->found_format_version()},
                        {"generation", (*store)->generation()}});
      } else {
        Info(ctx, ctx.db_path + " is already a geokg store (format version " +
                      std::to_string((*store)->found_format_version()) + "); nothing to do");
      }
      return kExitOk;
    }
    storage::OpenOptions options;
    options.create_if_missing = true;
    auto store = storage::Store::Open(ctx.db_path, options);
    if (!store.ok()) {
      return Error(ctx, kExitStore,
                   "cannot create a store at " + ctx.db_path + ": " + store.status().message());
    }
    if (ctx.json()) {
      PrintJson(ctx, {{"path", ctx.db_path},
                      {"created", true},
                      {"format_version", storage::kFormatVersion},
                      {"generation", (*store)->generation()}});
    } else {
      Info(ctx, "created an empty geokg store at " + ctx.db_path + " (format version " +
                    std::to_string(storage::kFormatVersion) + ")");
    }
    return kExitOk;
  });
}

}  // namespace geokg::cli
