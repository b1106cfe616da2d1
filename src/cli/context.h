#pragma once
// What every sub-command shares: the resolved global options (store path, output format, quiet),
// the exit codes of docs/cli.md, opening the store with errors mapped to those codes, and output
// helpers (one "geokg: error: ..." line per error on stderr; tables sized to the terminal; JSON
// for jq). A Context lives in cli::Main for the whole run; commands get it by reference.

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "storage/store.h"
#include "util/status.h"

namespace CLI {
class App;
}

namespace geokg::cli {

class Table;

// JSON documents keep their keys in insertion order, so that output reads like the docs
// ("key" and "name" first), not alphabetically.
using Json = nlohmann::ordered_json;

// Process exit codes (docs/cli.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,     // command-line parse error (unknown option, missing argument, bad value)
  kExitInput = 2,     // bad input file or value; a load rejected
  kExitNotFound = 3,  // no such actor / node
  kExitStore = 4,     // cannot open the store, version mismatch, corruption
  kExitInternal = 5,  // a bug: an unexpected exception
};

enum class Format { kTable, kJson };

// Where the store path came from, for messages.
inline constexpr const char* kDefaultDbPath = "./geokg.db";
inline constexpr const char* kDbEnvVar = "GEOKG_DB";

enum class StoreAccess {
  kReadOnly,   // must exist; opened read-only (queries)
  kReadWrite,  // must exist
  kCreate,     // created when missing (load)
};

struct Context {
  // Global options, as parsed; Resolve() fills db_path from --db, GEOKG_DB or the default.
  std::string db_option;
  std::string db_path;
  std::string db_origin;  // "--db", "GEOKG_DB" or "default"
  Format format = Format::kTable;
  bool quiet = false;

  std::ostream* out = nullptr;  // stdout
  std::ostream* err = nullptr;  // stderr
  bool out_is_terminal = false;
  int terminal_width = 0;   // columns when stdout is a terminal, else 0 (never truncate)
  int exit_code = kExitOk;  // set by the sub-command that ran (SetRun)
  std::map<const CLI::App*, std::function<int()>> runs;  // filled by SetRun, used by cli::Main

  // Resolves db_path and the terminal facts. Called once, after parsing.
  void Resolve();
  bool json() const { return format == Format::kJson; }
};

// Registers `run` as the body of sub-command `sub`: cli::Main runs the body of the deepest
// sub-command given, after parsing and Resolve(), and its return value becomes the exit code of
// the process. Every command uses this (never CLI11's callbacks) so that exit codes and error
// handling stay in one place; a sub-command without a body (a group such as `graph`) prints help.
void SetRun(CLI::App* sub, Context& ctx, std::function<int()> run);

// --- errors (all go to ctx.err, one line each, "geokg: error: " + message) --------------------
int Error(Context& ctx, int exit_code, std::string_view message);
// A library Status, mapped: NotFound -> 3, InvalidArgument -> 2, IOError / Corruption /
// VersionMismatch -> 4.
int StatusError(Context& ctx, const Status& status);
// The exit code StatusError would return.
int ExitCodeOf(const Status& status);
// A warning line "geokg: warning: ..." (suppressed by --quiet).
void Warn(Context& ctx, std::string_view message);

// --- the store ---------------------------------------------------------------------------------
// Opens ctx.db_path. Errors carry a message naming the path and where it came from; report them
// with StoreError (always exit 4).
Result<std::unique_ptr<storage::Store>> OpenStore(const Context& ctx, StoreAccess access);
int StoreError(Context& ctx, const Status& status);
// "geokg: note: upgraded the store from format 4 to 5 ..." on stderr when a write of this command
// upgraded the store (storage::kUpgradableFormatVersion); nothing otherwise, or with --quiet.
void NoteFormatUpgrade(Context& ctx, const storage::Store& store);

// Notes, before a command opens ctx.db_path with kCreate, whether a store is there; Undo(), once
// the store is closed, removes what the command created if there was none: a failed first
// import leaves no empty store behind (a directory that was there, empty, stays).
class CreatedStoreUndo {
 public:
  explicit CreatedStoreUndo(std::string path);
  void Undo() const;

 private:
  std::string path_;
  bool store_existed_ = false;
  bool dir_existed_ = false;
};

// --- output ------------------------------------------------------------------------------------
// Pretty JSON (2-space indent) and a newline on stdout. Invalid UTF-8 is replaced, never thrown.
void PrintJson(Context& ctx, const Json& value);
// The table (each line indented by `indent`), fitted to the terminal width when stdout is one.
void PrintTable(Context& ctx, const Table& table, int indent = 0);
// A line on stdout (table format); suppressed by --quiet.
void Info(Context& ctx, std::string_view line);
// A line on stdout, always.
void Line(Context& ctx, std::string_view line);

}  // namespace geokg::cli
