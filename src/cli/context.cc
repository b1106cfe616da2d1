#include "cli/context.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/table.h"
#include "util/normalize.h"

namespace geokg::cli {

void Context::Resolve() {
  if (out == nullptr) out = &std::cout;
  if (err == nullptr) err = &std::cerr;
  if (!db_option.empty()) {
    db_path = db_option;
    db_origin = "--db";
  } else if (const char* env = std::getenv(kDbEnvVar); env != nullptr && *env != '\0') {
    db_path = env;
    db_origin = kDbEnvVar;
  } else {
    db_path = kDefaultDbPath;
    db_origin = "default";
  }
  out_is_terminal = out == &std::cout && isatty(STDOUT_FILENO) == 1;
  terminal_width = 0;
  if (out_is_terminal) {
    struct winsize ws {};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
      terminal_width = ws.ws_col;
    } else if (const char* cols = std::getenv("COLUMNS"); cols != nullptr) {
      terminal_width = std::atoi(cols);
    }
    if (terminal_width <= 0) terminal_width = 80;
  }
}

void SetRun(CLI::App* sub, Context& ctx, std::function<int()> run) {
  ctx.runs[sub] = std::move(run);
}

int ExitCodeOf(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return kExitOk;
    case Status::Code::kNotFound:
      return kExitNotFound;
    case Status::Code::kInvalidArgument:
      return kExitInput;
    case Status::Code::kIOError:
    case Status::Code::kCorruption:
    case Status::Code::kVersionMismatch:
      return kExitStore;
  }
  return kExitInternal;
}

int Error(Context& ctx, int exit_code, std::string_view message) {
  ctx.out->flush();  // keep stdout and stderr in order on a terminal
  *ctx.err << "geokg: error: " << EscapeControls(message) << '\n';
  return exit_code;
}

int StatusError(Context& ctx, const Status& status) {
  return Error(ctx, ExitCodeOf(status), status.message());
}

void Warn(Context& ctx, std::string_view message) {
  if (ctx.quiet) return;
  ctx.out->flush();
  *ctx.err << "geokg: warning: " << EscapeControls(message) << '\n';
}

Result<std::unique_ptr<storage::Store>> OpenStore(const Context& ctx, StoreAccess access) {
  const std::string where = "store " + ctx.db_path +
                            (ctx.db_origin == "default"   ? " (the default; set --db or GEOKG_DB)"
                             : ctx.db_origin == kDbEnvVar ? " (from GEOKG_DB)"
                                                          : "");
  std::error_code ec;
  if (access != StoreAccess::kCreate && !std::filesystem::exists(ctx.db_path, ec)) {
    return Status::NotFound("no " + where + "; create it with `geokg init` or `geokg load FILE`");
  }
  storage::OpenOptions options;
  options.create_if_missing = access == StoreAccess::kCreate;
  options.read_only = access == StoreAccess::kReadOnly;
  auto store = storage::Store::Open(ctx.db_path, options);
  if (!store.ok()) return store.status().WithContext("cannot open " + where);
  return store;
}

CreatedStoreUndo::CreatedStoreUndo(std::string path) : path_(std::move(path)) {
  std::error_code ec;
  store_existed_ = std::filesystem::exists(std::filesystem::path(path_) / "CURRENT", ec);
  dir_existed_ = std::filesystem::exists(path_, ec);
}

void CreatedStoreUndo::Undo() const {
  if (store_existed_) return;
  std::error_code ec;
  if (!dir_existed_) {
    std::filesystem::remove_all(path_, ec);
    return;
  }
  // Store::Open creates a store only in an empty directory: all of it is the store's.
  for (const auto& entry : std::filesystem::directory_iterator(path_, ec)) {
    std::filesystem::remove_all(entry.path(), ec);
  }
}

void NoteFormatUpgrade(Context& ctx, const storage::Store& store) {
  const uint32_t found = store.found_format_version();
  if (ctx.quiet || found == store.format_version()) return;
  ctx.out->flush();
  *ctx.err << "geokg: note: upgraded the store from format " << found << " to "
           << store.format_version() << " (older geokg versions cannot open it now)\n";
}

int StoreError(Context& ctx, const Status& status) {
  return Error(ctx, kExitStore, status.message());
}

void PrintJson(Context& ctx, const Json& value) {
  *ctx.out << value.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

void PrintTable(Context& ctx, const Table& table, int indent) {
  table.Print(*ctx.out, ctx.terminal_width, indent);
}

void Info(Context& ctx, std::string_view line) {
  if (!ctx.quiet) *ctx.out << line << '\n';
}

void Line(Context& ctx, std::string_view line) { *ctx.out << line << '\n'; }

}  // namespace geokg::cli
