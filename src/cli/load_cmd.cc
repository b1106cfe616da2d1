// `geokg load FILE...`: validate curated JSON Lines files and write them in one batch.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "cli/context.h"
#include "io/curated_loader.h"
#include "util/normalize.h"

namespace geokg::cli {
namespace {

struct LoadCmdOptions {
  std::vector<std::string> files;
  bool dry_run = false;
};

std::string Plural(uint64_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

Json ReportJson(const io::LoadReport& r, bool dry_run, const std::string& path) {
  const auto& s = r.summary;
  Json errors = Json::array();
  for (const auto& d : r.errors) {
    errors.push_back({{"file", d.file},
                      {"line", d.line},
                      {"column", d.column},
                      {"field", d.field},
                      {"message", d.message},
                      {"text", d.ToString()}});
  }
  return {{"ok", r.ok()},
          {"store", path},
          {"dry_run", dry_run},
          {"files", r.files},
          {"records", r.records},
          {"written", r.written},
          {"nodes",
           {{"added", s.nodes_added},
            {"updated", s.nodes_updated},
            {"unchanged", s.nodes_unchanged},
            {"deleted", s.nodes_deleted}}},
          {"edges",
           {{"added", s.edges_added},
            {"updated", s.edges_updated},
            {"unchanged", s.edges_unchanged},
            {"deleted", s.edges_deleted}}},
          {"errors", errors}};
}

}  // namespace

void AddLoadCommand(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand(
      "load", "Validate curated JSON Lines files and load them in one atomic write");
  auto o = std::make_shared<LoadCmdOptions>();
  sub->add_option("files", o->files, "Curated dataset files (docs/formats.md)")
      ->required()
      ->type_name("FILE");
  sub->add_flag("--dry-run", o->dry_run, "Validate only; write nothing (and create no store)");

  SetRun(sub, ctx, [&ctx, o]() -> int {
    Result<io::LoadReport> report = Status::InvalidArgument("not run");
    std::error_code ec;
    const bool no_store = !std::filesystem::exists(ctx.db_path, ec);
    if (no_store) {
      // Nothing to validate references against but the files themselves; and a load that is
      // rejected must not leave even an empty store behind, so create it only once valid.
      report = io::ValidateCuratedFiles(o->files, nullptr);
    }
    if (no_store && (o->dry_run || !report.ok() || !report->ok())) {
      // The report stands as it is (an error, or the dry run's answer).
    } else {
      auto store = OpenStore(ctx, o->dry_run ? StoreAccess::kReadOnly : StoreAccess::kCreate);
      if (!store.ok()) return StoreError(ctx, store.status());
      io::LoadOptions options;
      options.dry_run = o->dry_run;
      report = io::LoadCuratedFiles(**store, o->files, options);
      if (report.ok() && !o->dry_run) NoteFormatUpgrade(ctx, **store);
    }
    if (!report.ok()) return StatusError(ctx, report.status());
    const io::LoadReport& r = *report;

    for (const auto& d : r.errors) *ctx.err << EscapeControls(d.ToString()) << '\n';
    if (ctx.json()) PrintJson(ctx, ReportJson(r, o->dry_run, ctx.db_path));
    if (!r.ok()) {
      return Error(ctx, kExitInput,
                   "load rejected: " + Plural(r.errors.size(), "error") + " in " +
                       Plural(o->files.size(), "file") + "; nothing was written");
    }
    if (ctx.json()) return kExitOk;
    const auto& s = r.summary;
    const std::string what = Plural(r.records, "record") + " from " + Plural(r.files, "file");
    if (o->dry_run) {
      Info(ctx, "dry run: " + what + " are valid; nothing was written");
      return kExitOk;
    }
    if (!s.changed()) {
      Info(ctx, "loaded " + what + " into " + ctx.db_path + ": nothing changed (" +
                    Plural(s.nodes_unchanged, "node") + ", " + Plural(s.edges_unchanged, "edge") +
                    " already up to date)");
      return kExitOk;
    }
    Info(ctx, "loaded " + what + " into " + ctx.db_path);
    Info(ctx, "  nodes: " + std::to_string(s.nodes_added) + " added, " +
                  std::to_string(s.nodes_updated) + " updated, " +
                  std::to_string(s.nodes_unchanged) + " unchanged" +
                  (s.nodes_deleted ? ", " + std::to_string(s.nodes_deleted) + " deleted" : ""));
    Info(ctx, "  edges: " + std::to_string(s.edges_added) + " added, " +
                  std::to_string(s.edges_updated) + " updated, " +
                  std::to_string(s.edges_unchanged) + " unchanged" +
                  (s.edges_deleted ? ", " + std::to_string(s.edges_deleted) + " deleted" : ""));
    return kExitOk;
  });
}

}  // namespace geokg::cli
