// `geokg import PATH...`: bulk-import ICEWS, GDELT and temporal-KG files (io/import.h).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "cli/context.h"
#include "io/import.h"
#include "util/normalize.h"

namespace geokg::cli {
namespace {

struct ImportCmdOptions {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string on_error = "fail";
  bool merge_reciprocal = false;
  std::string epoch;
  std::string time_unit;
  size_t memory_mb = 64;
};

std::string Human(double v) {
  char buf[32];
  if (v >= 1e9) {
    std::snprintf(buf, sizeof(buf), "%.1fG", v / 1e9);
  } else if (v >= 1e6) {
    std::snprintf(buf, sizeof(buf), "%.1fM", v / 1e6);
  } else if (v >= 1e3) {
    std::snprintf(buf, sizeof(buf), "%.1fk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof(buf), "%.0f", v);
  }
  return buf;
}

std::string Clock(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

// One progress line, redrawn in place: rows, rows/s, bytes read of total, ETA from bytes; then
// what is left once every row is read.
void DrawProgress(std::ostream& err, const io::ImportProgress& p) {
  if (p.phase == io::ImportProgress::Phase::kWriting) {
    err << "\r  " << Human(static_cast<double>(p.rows)) << " rows read in " << Clock(p.seconds)
        << "; writing the store's files..."
        << "\033[K" << std::flush;
    return;
  }
  double rate = p.seconds > 0 ? p.rows / p.seconds : 0;
  std::string line = "  " + Human(static_cast<double>(p.rows)) + " rows, " + Human(rate) +
                     " rows/s, " + Human(static_cast<double>(p.bytes_done)) + "B of " +
                     Human(static_cast<double>(p.bytes_total)) + "B";
  if (p.bytes_done > 0 && p.bytes_total > p.bytes_done && p.seconds > 0.5) {
    double eta = p.seconds * static_cast<double>(p.bytes_total - p.bytes_done) /
                 static_cast<double>(p.bytes_done);
    line += ", ETA " + Clock(eta);
  }
  err << '\r' << line << "\033[K" << std::flush;
}

Json SummaryJson(const io::ImportSummary& s, const std::string& db) {
  Json by_field = Json::object();
  for (const auto& [field, n] : s.errors_by_field) by_field[field] = n;
  return {{"ok", true},
          {"store", db},
          {"files", s.files},
          {"rows", s.rows},
          {"rows_skipped", s.rows_skipped},
          {"errors", s.errors},
          {"invalid_utf8", s.invalid_utf8},
          {"errors_by_field", by_field},
          {"events",
           {{"added", s.events_added},
            {"unchanged", s.events_unchanged},
            {"updated", s.events_updated},
            {"repeated", s.events_repeated},
            {"reciprocal_merged", s.reciprocal_merged}}},
          {"role_edges", s.role_edges},
          {"actors",
           {{"created", s.actors_created},
            {"matched", s.actors_matched},
            {"updated", s.actors_updated},
            {"ambiguous_names", s.ambiguous_names}}},
          {"seconds", s.seconds},
          {"rows_per_second", s.seconds > 0 ? s.rows / s.seconds : 0.0},
          {"bulk",
           {{"entries", s.bulk.entries},
            {"written", s.bulk.written},
            {"files", s.bulk.files},
            {"direct_files", s.bulk.direct_files},
            {"file_bytes", s.bulk.file_bytes},
            {"spills", s.bulk.spills},
            {"runs", s.bulk.runs},
            {"run_bytes", s.bulk.run_bytes},
            {"sort_seconds", s.bulk.sort_seconds},
            {"write_seconds", s.bulk.write_seconds},
            {"merge_seconds", s.bulk.merge_seconds},
            {"ingest_seconds", s.bulk.ingest_seconds}}}};
}

}  // namespace

void AddImportCommand(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand(
      "import", "Bulk-import coded event data: ICEWS, GDELT 1.0/2.0, temporal-KG sets");
  auto o = std::make_shared<ImportCmdOptions>();
  sub->add_option("paths", o->paths,
                  "Files (.tab/.tsv/.csv, plain, .gz or .zip) or temporal-KG directories")
      ->required()
      ->type_name("PATH");
  sub->add_option("--format", o->format,
                  "Input format (default: detected); table|json here set the output format")
      ->check(CLI::IsMember({"auto", "icews", "gdelt1", "gdelt2", "tkg", "table", "json"}))
      ->type_name("auto|icews|gdelt1|gdelt2|tkg");
  sub->add_option("--on-error", o->on_error,
                  "fail: write nothing if any row is bad (default); skip: import the good rows")
      ->check(CLI::IsMember({"fail", "skip"}))
      ->type_name("fail|skip");
  sub->add_flag("--merge-reciprocal", o->merge_reciprocal,
                "ICEWS: merge A->B / B->A pairs (same story, sentence, code) into one event");
  sub->add_option("--epoch", o->epoch, "Temporal-KG sets: the date of time 0 (e.g. 2018-01-01)")
      ->type_name("DATE");
  sub->add_option("--time-unit", o->time_unit, "Temporal-KG sets: the unit of the times")
      ->check(CLI::IsMember({"second", "minute", "hour", "day"}))
      ->type_name("second|minute|hour|day");
  sub->add_option("--memory-mb", o->memory_mb, "Bulk-load buffer budget in MiB (default 64)")
      ->check(CLI::Range(size_t{4}, size_t{1} << 16))
      ->type_name("MB");

  SetRun(sub, ctx, [&ctx, o]() -> int {
    io::ImportOptions options;
    if (o->format == "table" || o->format == "json") {
      ctx.format = o->format == "json" ? Format::kJson : Format::kTable;
    } else if (!io::ParseImportFormat(o->format, &options.format)) {
      return Error(ctx, kExitUsage, "--format: unknown format " + o->format);
    }
    options.on_error = o->on_error == "skip" ? io::OnError::kSkip : io::OnError::kFail;
    options.merge_reciprocal = o->merge_reciprocal;
    options.epoch = o->epoch;
    options.time_unit = o->time_unit;
    options.memory_budget = o->memory_mb << 20;
    std::ostream& err = *ctx.err;
    // Diagnostics quote input verbatim: control bytes are escaped, not sent to the terminal.
    options.on_diagnostic = [&err](const std::string& message) {
      err << EscapeControls(message) << '\n';
    };
    const bool progress = !ctx.quiet && ::isatty(STDERR_FILENO) == 1;
    bool drawn = false;
    if (progress) {
      options.on_progress = [&err, &drawn](const io::ImportProgress& p) {
        DrawProgress(err, p);
        drawn = true;
      };
      // A diagnostic must not be glued to the progress line.
      options.on_diagnostic = [&err, &drawn](const std::string& message) {
        if (drawn) err << "\r\033[K";
        drawn = false;
        err << EscapeControls(message) << '\n';
      };
    }

    const CreatedStoreUndo undo(ctx.db_path);
    auto store = OpenStore(ctx, StoreAccess::kCreate);
    if (!store.ok()) return StoreError(ctx, store.status());
    Result<io::ImportSummary> result = io::Import(store->get(), o->paths, options);
    if (drawn) err << "\r\033[K" << std::flush;
    if (!result.ok()) {
      store->reset();  // closed before its files go
      undo.Undo();
      // Bad input (rows, options, unreadable files) is InvalidArgument; the rest is the store's.
      return Error(ctx, result.status().IsInvalidArgument() ? kExitInput : kExitStore,
                   "import failed: " + result.status().message());
    }
    const io::ImportSummary& s = *result;
    NoteFormatUpgrade(ctx, **store);
    // Leave the store compact. Into an empty store the import's files go straight to the bottom
    // level and nothing is pending (this returns at once); over data already stored they may
    // start compactions, which a process that exits first abandons (Store::WaitForCompactions).
    const auto compact_start = std::chrono::steady_clock::now();
    Status compacted = (*store)->WaitForCompactions([&] {
      if (progress && !drawn) {
        err << "compacting the imported files..." << std::flush;
        drawn = true;
      }
    });
    if (drawn) err << "\r\033[K" << std::flush;
    if (!compacted.ok()) return StoreError(ctx, compacted);
    const double compact_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - compact_start).count();
    if (ctx.json()) {
      Json j = SummaryJson(s, ctx.db_path);
      j["compaction_seconds"] = compact_seconds;
      PrintJson(ctx, j);
      return kExitOk;
    }
    char rate[64];
    std::snprintf(rate, sizeof(rate), "%.2f s, %s rows/s", s.seconds,
                  Human(s.seconds > 0 ? s.rows / s.seconds : 0).c_str());
    Info(ctx, "imported " + std::to_string(s.rows) + " rows from " + std::to_string(s.files) +
                  " file(s) into " + ctx.db_path + " (" + rate + ")");
    if (compact_seconds >= 0.05) {
      char c[64];
      std::snprintf(c, sizeof(c), "%.2f s", compact_seconds);
      Info(ctx, std::string("  then waited ") + c + " for RocksDB to compact the new files");
    }
    Info(ctx, "  events: " + std::to_string(s.events_added) + " added, " +
                  std::to_string(s.events_unchanged) + " unchanged, " +
                  std::to_string(s.events_updated) + " updated" +
                  (s.events_repeated
                       ? ", " + std::to_string(s.events_repeated) + " repeated rows collapsed"
                       : "") +
                  (s.reciprocal_merged
                       ? ", " + std::to_string(s.reciprocal_merged) + " reciprocal pairs merged"
                       : ""));
    Info(ctx, "  actors: " + std::to_string(s.actors_created) + " new, " +
                  std::to_string(s.actors_matched) + " matched to stored actors (" +
                  std::to_string(s.actors_updated) + " given new codes/sectors)" +
                  (s.ambiguous_names
                       ? ", " + std::to_string(s.ambiguous_names) + " names matching several actors"
                       : ""));
    Info(ctx, "  role edges: " + std::to_string(s.role_edges));
    if (s.rows_skipped > 0) {
      std::string fields;
      for (const auto& [field, n] : s.errors_by_field) {
        fields += (fields.empty() ? "" : ", ") + field + " " + std::to_string(n);
      }
      Warn(ctx, std::to_string(s.rows_skipped) + " bad row(s) skipped (" + fields + ")" +
                    io::Utf8Hint(s.invalid_utf8));
    }
    return kExitOk;
  });
}

}  // namespace geokg::cli
