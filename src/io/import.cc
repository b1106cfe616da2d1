// Import driver: detects each path's format, runs the matching importer over every member of
// every file through one ImportSession, and finishes (ingest, or abort with kFail on errors).
#include "io/import.h"

#include <sys/stat.h>

#include "io/gdelt_importer.h"
#include "io/icews_importer.h"
#include "io/import_session.h"
#include "io/line_reader.h"
#include "io/tkg_importer.h"

namespace geokg::io {

namespace {
constexpr std::string_view kFormatNames[] = {"auto", "icews", "gdelt1", "gdelt2", "tkg"};

bool IsDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
uint64_t FileSize(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}
bool IsTkgSplitName(const std::string& path) {
  std::string b = BaseName(path);
  return b == "train.txt" || b == "valid.txt" || b == "test.txt";
}
}  // namespace

std::string_view ImportFormatName(ImportFormat f) { return kFormatNames[static_cast<int>(f)]; }

bool ParseImportFormat(std::string_view s, ImportFormat* out) {
  for (int i = 0; i < 5; ++i) {
    if (s == kFormatNames[i]) {
      *out = static_cast<ImportFormat>(i);
      return true;
    }
  }
  return false;
}

Result<ImportFormat> DetectFormat(const std::string& path) {
  if (IsDir(path) || IsTkgSplitName(path)) {
    auto set = FindTkgSet(path);
    if (set.ok()) return ImportFormat::kTkg;
    if (IsDir(path)) return set.status();
  }
  GEOKG_ASSIGN_OR_RETURN(auto reader, LineReader::Open(path));
  std::string_view line;
  bool have_line = false;
  while (!have_line && reader->NextEntry()) {
    while (reader->NextLine(&line)) {
      if (!Trim(line).empty()) {  // the importers skip blank lines too
        have_line = true;
        break;
      }
    }
  }
  GEOKG_RETURN_IF_ERROR(reader->status());
  if (!have_line) {
    return Status::InvalidArgument("cannot tell the format of " + path +
                                   ": it has no lines (or only blank ones); give --format");
  }
  if (LooksLikeIcews(line)) return ImportFormat::kIcews;
  if (std::string other = GdeltOtherTable(line); !other.empty()) {
    return Status::InvalidArgument("cannot import " + reader->entry_name() + ": it is " + other +
                                   ", not a GDELT event table; geokg imports GDELT's events "
                                   "(*.export.CSV, 1.0 and 2.0)");
  }
  size_t fields = 1;
  for (char c : line) fields += c == '\t';
  if (fields == 61) return ImportFormat::kGdelt2;
  if (fields == 57 || fields == 58) return ImportFormat::kGdelt1;
  std::string shown(line.substr(0, 60));
  for (char& c : shown) {
    if (c == '\t') c = ' ';
  }
  // GDELT 2.0 publishes two other tables beside the events, with the same kind of names.
  std::string other = fields == 16   ? " (16 fields is a GDELT 2.0 Mentions table, not events)"
                      : fields == 27 ? " (27 fields is a GDELT 2.0 GKG table, not events)"
                                     : "";
  return Status::InvalidArgument(
      "cannot tell the format of " + reader->entry_name() + ": its first line (\"" + shown +
      (line.size() > 60 ? "..." : "") + "\") has " + std::to_string(fields) +
      " tab-separated field(s)" + other +
      " and is not the ICEWS header. Expected: ICEWS (a header line "
      "\"Event ID<TAB>Event Date<TAB>...\" then 20 fields per row), GDELT 1.0 (57 or 58 fields, "
      "no header), GDELT 2.0 (61 fields, no header), or a temporal-KG directory (entity2id.txt, "
      "relation2id.txt, train/valid/test.txt). Give --format icews|gdelt1|gdelt2|tkg");
}

Result<ImportSummary> Import(storage::Store* store, const std::vector<std::string>& paths,
                             const ImportOptions& options) {
  // Resolve every format before reading anything, so a bad path fails fast.
  std::vector<ImportFormat> formats;
  uint64_t bytes_total = 0;
  for (const auto& path : paths) {
    ImportFormat f = options.format;
    if (f == ImportFormat::kAuto) {
      auto detected = DetectFormat(path);
      if (!detected.ok()) return InputError(detected.status());
      f = *detected;
    }
    if (f == ImportFormat::kTkg) {
      GEOKG_ASSIGN_OR_RETURN(TkgSet set, FindTkgSet(path));
      GEOKG_ASSIGN_OR_RETURN(TkgClock clock, ClockFor(set.name, options));
      (void)clock;
      for (const auto& s : set.splits) bytes_total += FileSize(s);
    } else {
      if (IsDir(path)) return Status::InvalidArgument(path + " is a directory");
      bytes_total += FileSize(path);
    }
    formats.push_back(f);
  }

  ImportSession session(store, options);
  GEOKG_RETURN_IF_ERROR(session.Begin(bytes_total));
  for (size_t i = 0; i < paths.size(); ++i) {
    if (formats[i] == ImportFormat::kTkg) {
      GEOKG_ASSIGN_OR_RETURN(TkgSet set, FindTkgSet(paths[i]));
      GEOKG_RETURN_IF_ERROR(ImportTkg(&session, set));
      continue;
    }
    auto opened = LineReader::Open(paths[i]);
    if (!opened.ok()) return InputError(opened.status());
    LineReader* reader = opened->get();
    while (reader->NextEntry()) {
      Status s;
      switch (formats[i]) {
        case ImportFormat::kIcews:
          s = ImportIcews(&session, reader);
          break;
        case ImportFormat::kGdelt1:
          s = ImportGdelt(&session, reader, GdeltVersion::k1);
          break;
        case ImportFormat::kGdelt2:
          s = ImportGdelt(&session, reader, GdeltVersion::k2);
          break;
        default:
          return Status::InvalidArgument("unexpected format");
      }
      // The reader's own failure is the input's; any other is the store's.
      if (!s.ok()) return reader->status().ok() ? s : InputError(s);
    }
    GEOKG_RETURN_IF_ERROR(InputError(reader->status()));
    session.FileDone(reader->file_size());
  }
  GEOKG_ASSIGN_OR_RETURN(ImportSummary summary, session.Finish());
  if (!summary.written) {
    return Status::InvalidArgument(std::to_string(summary.errors) + " error(s) in " +
                                   std::to_string(summary.rows_skipped) +
                                   " row(s); nothing was imported (--on-error skip imports the "
                                   "good rows)" +
                                   Utf8Hint(summary.invalid_utf8));
  }
  return summary;
}

std::string Utf8Hint(uint64_t invalid_utf8) {
  if (invalid_utf8 == 0) return "";
  return "; " + std::to_string(invalid_utf8) +
         " field(s) are not UTF-8: if a file is Latin-1 (ISO-8859-1), convert it first with "
         "`iconv -f latin1 -t utf-8 FILE > FILE.utf8`";
}

}  // namespace geokg::io
