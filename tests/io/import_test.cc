// Format detection, and the import driver's handling of several inputs at once.
#include "io/import.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "io/import_session.h"
#include "io/line_reader.h"
#include "tests/io/import_test_util.h"

namespace geokg::test {

TEST_CASE("Import: formats are detected from the data, and failures say why", "[io]") {
  auto f = io::DetectFormat(kImportData + "icews_300.tab");
  REQUIRE(f.ok());
  CHECK(*f == io::ImportFormat::kIcews);
  f = io::DetectFormat(kImportData + "icews_300.zip");
  REQUIRE(f.ok());
  CHECK(*f == io::ImportFormat::kIcews);
  f = io::DetectFormat(kImportData + "gdelt1_rows.tsv");
  REQUIRE(f.ok());
  CHECK(*f == io::ImportFormat::kGdelt1);
  f = io::DetectFormat(kImportData + "gdelt2_rows.tsv");
  REQUIRE(f.ok());
  CHECK(*f == io::ImportFormat::kGdelt2);
  f = io::DetectFormat(kImportData + "ICEWS18/valid.txt");
  REQUIRE(f.ok());
  CHECK(*f == io::ImportFormat::kTkg);

  TempDir dir;
  WriteFile(dir.path() + "/x.csv", "a,b,c\n1,2,3\n");
  f = io::DetectFormat(dir.path() + "/x.csv");
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message().find("cannot tell the format of") != std::string::npos);
  CHECK(f.status().message().find("has 1 tab-separated field") != std::string::npos);
  CHECK(f.status().message().find("--format") != std::string::npos);
  f = io::DetectFormat(dir.path());
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message().find("entity2id.txt") != std::string::npos);
  f = io::DetectFormat(dir.path() + "/missing.tab");
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().IsIOError());
}

// Every line of every member of `path`, as the importers see them.
std::vector<std::string> ReadLines(const std::string& path) {
  auto r = io::LineReader::Open(path);
  REQUIRE(r.ok());
  std::vector<std::string> out;
  while ((*r)->NextEntry()) {
    std::string_view line;
    while ((*r)->NextLine(&line)) out.emplace_back(line);
  }
  REQUIRE((*r)->status().ok());
  return out;
}

TEST_CASE("Import: the line reader returns the same lines from plain, gzip and zip", "[io]") {
  auto lines = ReadLines;
  auto plain = lines(kImportData + "icews_300.tab");
  CHECK(plain.size() == 301);
  CHECK(lines(kImportData + "icews_300.tab.gz") == plain);
  CHECK(lines(kImportData + "icews_300.zip") == plain);

  TempDir dir;
  WriteFile(dir.path() + "/crlf.txt", "a\r\nb\r\n\r\nlast");
  CHECK(lines(dir.path() + "/crlf.txt") == std::vector<std::string>{"a", "b", "", "last"});
  WriteFile(dir.path() + "/empty.txt", "");
  CHECK(lines(dir.path() + "/empty.txt").empty());
  // Compressed nothing is an empty file too (libarchive found no format in it: "Unrecognized
  // archive format"), whose import says what an empty file's does.
  const std::string gz("\x1f\x8b\x08\0\0\0\0\0\0\x03\x03\0\0\0\0\0\0\0\0\0", 20);
  const std::string bz2("BZh9\x17\x72\x45\x38\x50\x90\0\0\0\0", 14);
  for (const auto& [name, bytes] : {std::pair{"empty.txt.gz", gz}, {"empty.txt.bz2", bz2}}) {
    INFO(name);
    const std::string path = dir.path() + "/" + name;
    WriteFile(path, bytes);
    CHECK(lines(path).empty());
    auto format = io::DetectFormat(path);
    REQUIRE_FALSE(format.ok());
    CHECK_THAT(format.status().message(), Catch::Contains("it has no lines"));
  }
}

TEST_CASE("Import: the line reader drops a byte order mark and macOS archive metadata", "[io]") {
  auto lines = ReadLines;
  TempDir dir;
  SECTION("a UTF-8 byte order mark is not part of the first line") {
    WriteFile(dir.path() + "/bom.txt",
              "\xEF\xBB\xBF"
              "a\tb\r\n\xEF\xBB\xBF"
              "c\r\n");
    // Only the first line of a member can start with a byte order mark.
    CHECK(lines(dir.path() + "/bom.txt") == std::vector<std::string>{"a\tb",
                                                                     "\xEF\xBB\xBF"
                                                                     "c"});
  }
  SECTION("__MACOSX/, ._name and .DS_Store members of a zip are skipped") {
    CHECK(lines(kImportData + "icews_300_macos.zip") == lines(kImportData + "icews_300.tab"));
  }
}

namespace {

// Imports `path` as GDELT 1.0 into a new store at `db`: it must fail as bad input.
ImportRun ImportAsGdelt1(const std::string& db, const std::string& path) {
  auto store = OpenNewStore(db);
  io::ImportOptions options;
  options.format = io::ImportFormat::kGdelt1;
  ImportRun run = RunImport(store.get(), {path}, options);
  REQUIRE_FALSE(run.result.ok());
  CHECK(run.result.status().IsInvalidArgument());
  return run;
}

}  // namespace

TEST_CASE("Import: a line longer than the line reader's limit stops reading with its location",
          "[io]") {
  TempDir dir;
  const size_t max = io::LineReader::kMaxLineBytes;
  const std::string path = dir.path() + "/long.tab";
  SECTION("a line of the limit is read") {
    WriteFile(path, "a\tb\n" + std::string(max, 'x') + "\nlast");
    auto lines = ReadLines(path);
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].size() == max);
  }
  for (const std::string& tail : {std::string("\nlast\n"), std::string()}) {
    SECTION("one byte more is an error" +
            std::string(tail.empty() ? ", also without a newline" : "")) {
      WriteFile(path, "a\tb\n" + std::string(max + 1, 'x') + tail);
      auto r = io::LineReader::Open(path);
      REQUIRE(r.ok());
      REQUIRE((*r)->NextEntry());
      std::string_view line;
      REQUIRE((*r)->NextLine(&line));
      CHECK(line == "a\tb");
      CHECK_FALSE((*r)->NextLine(&line));
      CHECK((*r)->status().IsIOError());
      CHECK((*r)->status().message() ==
            path + ":2: line longer than 16 MiB (not a text file of rows?)");
      CHECK_FALSE((*r)->NextLine(&line));
      CHECK_FALSE((*r)->NextEntry());

      ImportRun run = ImportAsGdelt1(dir.path() + "/db", path);
      CHECK(run.result.status().message() == (*r)->status().message());
    }
  }
}

TEST_CASE("Import: a gzip file cut before libarchive can say why is an error, not a crash",
          "[io]") {
  TempDir dir;
  const std::string path = dir.path() + "/cut.tsv.gz";
  // The first 21 bytes of a gzip stream: libarchive fails to open it without an error message.
  WriteFile(path, std::string("\x1f\x8b\x08\x00\x64\xc7\x12\x6b\x02\xf7\xe3\x02\x01\x93"
                              "\x06\xd7\x32\x01\x00\x00\x00",
                              21));
  auto r = io::LineReader::Open(path);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().IsIOError());
  CHECK(r.status().message().rfind(path + ": cannot open: ", 0) == 0);

  ImportAsGdelt1(dir.path() + "/db", path);
}

TEST_CASE("Import: a field that is not UTF-8 is located in one pass, however long", "[io]") {
  CHECK(io::Utf8Problem("Caf\xC3\xA9") == "");
  CHECK(io::Utf8Problem("Caf\xE9") == "invalid UTF-8 (byte 0xe9 at offset 3 of the field)");
  CHECK(io::Utf8Problem("\xC3\xA9\xE2\x82") ==
        "invalid UTF-8 (byte 0xe2 at offset 2 of the field)");
  CHECK(io::Utf8Problem("a\xED\xA0\x80") == "invalid UTF-8 (byte 0xed at offset 1 of the field)");
  CHECK(io::Utf8Problem("\xC0\xAF") == "invalid UTF-8 (byte 0xc0 at offset 0 of the field)");

  // 400,000 bytes of "é" and a cut one: testing every prefix took minutes.
  std::string field;
  for (int i = 0; i < 200000; ++i) field += "\xC3\xA9";
  field += "\xC3";
  const auto start = std::chrono::steady_clock::now();
  CHECK(io::Utf8Problem(field) == "invalid UTF-8 (byte 0xc3 at offset 400000 of the field)");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("Import: numbers in rows are what the files write and nothing else", "[io]") {
  double d = 0;
  for (const char* good : {"5", "+5", "-5", "0.25", "+0.25", "-10", "1e2", "21.0245"}) {
    INFO(good);
    CHECK(io::ParseDouble(good, &d));
  }
  CHECK((io::ParseDouble("+2.5", &d) && d == 2.5));
  CHECK((io::ParseDouble("-7", &d) && d == -7));
  for (const char* bad : {"", "+", "-", "+-5", "++5", "--5", "5 ", " 5", "5x", "nan", "inf",
                          "1e999", "0x10", "1,5"}) {
    INFO(bad);
    CHECK_FALSE(io::ParseDouble(bad, &d));
  }
  int64_t n = 0;
  CHECK((io::ParseInt64("-42", &n) && n == -42));
  for (const char* bad : {"", "+", "-", "+-5", "4.0", "42 ", "9223372036854775808"}) {
    INFO(bad);
    CHECK_FALSE(io::ParseInt64(bad, &n));
  }
}

TEST_CASE("Import: diagnostics count columns in characters, as the curated loader's do", "[io]") {
  CHECK(io::CharColumn("abc", 0) == 1);
  CHECK(io::CharColumn("abc", 2) == 3);
  CHECK(io::CharColumn("Nicol\xC3\xA1s\tx", 8) == 8);  // the tab after "Nicolás"
  CHECK(io::CharColumn("\xE2\x82\xAC\xFF!", 4) == 3);  // a stray byte counts one
  CHECK(io::CharColumn("ab", 9) == 3);                 // past the end: the end
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  SECTION("temporal KG: an id after a name with accents") {
    const std::string set = dir.path() + "/accents/ICEWS18";  // a set with a known clock
    WriteTkgSet(set, "Nicol\xC3\xA1s Maduro\tx\n", "042\t0\n", "test.txt", "0\t0\t0\t3\n");
    ImportRun run = RunImport(store.get(), {set});
    REQUIRE_FALSE(run.result.ok());
    CHECK(Contains(run.diagnostics, "entity2id.txt:1:16: field 'id'"));  // bytes would say 17
  }
  SECTION("GDELT: a field after a name with accents") {
    std::vector<std::string> f = ReadTsv(kImportData + "gdelt1_rows.tsv").front();
    f[6] =
        "JOS\xC3\x89 MAR\xC3\x8D"
        "A";           // Actor1Name, 11 bytes for 9 characters
    f[30] = "eleven";  // GoldsteinScale
    std::string text, before;
    for (size_t i = 0; i < f.size(); ++i) text += (i ? "\t" : "") + f[i];
    for (size_t i = 0; i < 30; ++i) before += f[i] + "\t";
    const std::string path = dir.path() + "/accents.tsv";
    WriteFile(path, text + "\n");
    io::ImportOptions options;
    options.format = f.size() == 61 ? io::ImportFormat::kGdelt2 : io::ImportFormat::kGdelt1;
    ImportRun run = RunImport(store.get(), {path}, options);
    REQUIRE_FALSE(run.result.ok());
    INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
    CHECK(Contains(run.diagnostics, ":1:" + std::to_string(before.size() - 2 + 1) +
                                        ": field 'GoldsteinScale': \"eleven\""));
  }
  SECTION("ICEWS: a field after a name with accents") {
    auto rows = ReadTsv(kImportData + "icews_300.tab");
    rows[1][2] = "\xC4\x90\xE1\xBA\xB7ng Th\xE1\xBB\x8B (Vietnam)";  // Source Name
    rows[1][7] = "eleven";                                           // Intensity
    std::string text, before;
    for (size_t r = 0; r < 2; ++r) {
      for (size_t i = 0; i < rows[r].size(); ++i) text += (i ? "\t" : "") + rows[r][i];
      text += "\n";
    }
    for (size_t i = 0; i < 7; ++i) before += rows[1][i] + "\t";
    const std::string path = dir.path() + "/accents.tab";
    WriteFile(path, text);
    ImportRun run = RunImport(store.get(), {path});
    REQUIRE_FALSE(run.result.ok());
    // "Đặng Thị" is 8 characters in 13 bytes.
    const size_t chars = before.size() - 5 + 1;
    INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
    CHECK(Contains(run.diagnostics,
                   ":2:" + std::to_string(chars) + ": field 'Intensity': \"eleven\""));
  }
}

TEST_CASE("Import: several files of several formats go into one store in one run", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  ImportRun run = RunImport(
      store.get(),
      {kImportData + "icews_300.tab", kImportData + "gdelt1_rows.tsv", kImportData + "ICEWS18"});
  REQUIRE(run.result.ok());
  CHECK(run.result->files == 5);
  auto icews = ReadTsv(kImportData + "icews_300.tab", 1);
  uint64_t facts = 0;
  for (const char* s : {"train", "valid", "test"}) {
    facts += ReadTsv(kImportData + "ICEWS18/" + s + ".txt").size();
  }
  CHECK(CountKind(*store, NodeKind::kEvent) == icews.size() + 3 + facts);
  // "Kim Jong-Un" of ICEWS and of ICEWS18 are one actor.
  auto kim = store->FindByName("Kim Jong-Un");
  REQUIRE(kim.ok());
  CHECK(kim->size() == 1);
}

TEST_CASE("Import: progress is reported while reading, then once when writing starts", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  std::vector<io::ImportProgress> seen;
  io::ImportOptions options;
  options.on_progress = [&seen](const io::ImportProgress& p) { seen.push_back(p); };
  const std::vector<std::string> paths = {kImportData + "icews_300.tab", kImportData + "ICEWS18"};
  SECTION("a good import") {
    ImportRun run = RunImport(store.get(), paths, options);
    REQUIRE(run.result.ok());
    REQUIRE(seen.size() >= 5);  // one at the end of each of the 4 files, then the writing
    const io::ImportProgress& writing = seen.back();
    CHECK(writing.phase == io::ImportProgress::Phase::kWriting);
    CHECK(writing.rows == run.result->rows);
    CHECK(writing.bytes_done == writing.bytes_total);
    for (size_t i = 0; i + 1 < seen.size(); ++i) {
      CHECK(seen[i].phase == io::ImportProgress::Phase::kReading);
      CHECK(seen[i].bytes_done <= seen[i].bytes_total);
      if (i > 0) {
        CHECK(seen[i].rows >= seen[i - 1].rows);
        CHECK(seen[i].bytes_done >= seen[i - 1].bytes_done);
        CHECK(seen[i].seconds >= seen[i - 1].seconds);
      }
    }
    CHECK(seen[seen.size() - 2].rows == run.result->rows);
  }
  SECTION("an import that fails writes nothing, and says nothing of writing") {
    WriteFile(dir.path() + "/bad.tab", ReadFile(kImportData + "icews_300.tab") + "1\t2\n");
    ImportRun run = RunImport(store.get(), {dir.path() + "/bad.tab"}, options);
    REQUIRE_FALSE(run.result.ok());
    REQUIRE_FALSE(seen.empty());
    for (const io::ImportProgress& p : seen) CHECK(p.phase == io::ImportProgress::Phase::kReading);
  }
}

}  // namespace geokg::test

namespace geokg::test {

TEST_CASE("Import: an input file that cannot be read is bad input, not a store error", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  const RawDump empty = DumpRaw(*store);
  const std::string gz = ReadFile(kImportData + "icews_300.tab.gz");
  const std::string zip = ReadFile(kImportData + "icews_300.zip");
  WriteFile(dir.path() + "/cut.tab.gz", gz.substr(0, gz.size() / 2));
  WriteFile(dir.path() + "/cut.zip", zip.substr(0, zip.size() / 2));
  std::filesystem::copy(kImportData + "ICEWS18", dir.path() + "/ICEWS18");
  WriteFile(dir.path() + "/ICEWS18/valid.txt", gz.substr(0, gz.size() / 2));  // gzip, cut

  for (const std::string& path : {dir.path() + "/missing.tab", dir.path() + "/cut.tab.gz",
                                  dir.path() + "/cut.zip", dir.path() + "/ICEWS18"}) {
    for (io::ImportFormat format : {io::ImportFormat::kAuto, io::ImportFormat::kIcews}) {
      if (format == io::ImportFormat::kIcews && path.ends_with("ICEWS18")) continue;
      INFO(path << " as " << io::ImportFormatName(format));
      io::ImportOptions options;
      options.format = format;
      ImportRun run = RunImport(store.get(), {kImportData + "gdelt1_rows.tsv", path}, options);
      REQUIRE_FALSE(run.result.ok());
      CHECK(run.result.status().IsInvalidArgument());
      CHECK(run.result.status().message().find(path) != std::string::npos);
      CHECK(DumpRaw(*store) == empty);
    }
  }

  // The command: exit 2 (bad input), as for a file that does not validate, and no store left.
  const std::string db = dir.path() + "/new.db";
  std::string out, err;
  int rc = RunCommand(
      std::string(GEOKG_BINARY) + " --db " + db + " import " + dir.path() + "/cut.tab.gz", &out,
      &err);
  CHECK(rc == 2);
  CHECK(err.find("geokg: error: import failed: " + dir.path() + "/cut.tab.gz: ") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("Import: geokg import reports bad rows, exit codes and a summary", "[io]") {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  const std::string geokg = std::string(GEOKG_BINARY) + " --db " + db + " ";
  std::string all = ReadFile(kImportData + "icews_300.tab");
  size_t second = all.find('\n', all.find('\n') + 1) + 1;
  std::string bad = all.substr(0, second) + "1\t2018-06-01\tA\t\tB\tX\t13y\t1\tC\t\tD\t1\t1\tP" +
                    "\tNA\tNA\tNA\tNA\tNA\tNA\n";
  WriteFile(dir.path() + "/bad.tab", bad);
  std::string out, err;

  int rc = RunCommand(geokg + "import " + dir.path() + "/bad.tab", &out, &err);
  CHECK(rc == 2);
  CHECK(err.find("bad.tab:3:") != std::string::npos);
  CHECK(err.find("\"13y\" is not a CAMEO event code") != std::string::npos);
  CHECK(err.find("nothing was imported") != std::string::npos);
  CHECK(err.find("iconv") == std::string::npos);  // no hint without a field that is not UTF-8

  rc = RunCommand(geokg + "import --on-error skip " + dir.path() + "/bad.tab", &out, &err);
  CHECK(rc == 0);
  CHECK(out.find("imported 2 rows") != std::string::npos);
  CHECK(err.find("1 bad row(s) skipped (CAMEO Code 1)") != std::string::npos);

  rc = RunCommand(geokg + "import " + kImportData + "icews_300.zip --format json", &out, &err);
  CHECK(rc == 0);
  auto json = nlohmann::json::parse(out);
  CHECK(json["rows"] == 300);
  // The first row came in with the skip run, from another file: same event, new provenance.
  CHECK(json["events"]["added"] == 299);
  CHECK(json["events"]["updated"] == 1);
  CHECK(json["events"]["unchanged"] == 0);
  CHECK(json["events"]["repeated"] == 0);
  CHECK(json["role_edges"] == 600);
  // The bulk writer's own counts; SST files written with direct I/O are some or all of them.
  CHECK(json["bulk"]["files"].get<uint64_t>() > 0);
  CHECK(json["bulk"]["direct_files"].get<uint64_t>() <= json["bulk"]["files"].get<uint64_t>());

  // A Latin-1 name: the skipped row's summary suggests converting the file, and JSON counts it.
  WriteFile(dir.path() + "/latin1.tab",
            all.substr(0, second) + "7\t2018-06-01\tCaf\xe9\t\tB\tX\t042\t1\tC\t\tD\t1\t1\tP" +
                "\tNA\tNA\tNA\tNA\tNA\tNA\n");
  rc = RunCommand(geokg + "import --on-error skip " + dir.path() + "/latin1.tab", &out, &err);
  CHECK(rc == 0);
  CHECK(err.find("bad row(s) skipped") != std::string::npos);
  CHECK(err.find("1 field(s) are not UTF-8") != std::string::npos);
  CHECK(err.find("iconv -f latin1 -t utf-8") != std::string::npos);
  rc = RunCommand(geokg + "import --on-error skip " + dir.path() + "/latin1.tab --format json",
                  &out, &err);
  CHECK(rc == 0);
  CHECK(nlohmann::json::parse(out)["invalid_utf8"] == 1);

  WriteFile(dir.path() + "/x.csv", "a,b\n");
  rc = RunCommand(geokg + "import " + dir.path() + "/x.csv", &out, &err);
  CHECK(rc == 2);
  CHECK(err.find("cannot tell the format") != std::string::npos);
}

}  // namespace geokg::test

namespace geokg::test {

TEST_CASE("Import: detection skips blank lines and names GDELT's other tables", "[io]") {
  TempDir dir;
  WriteFile(dir.path() + "/blank-first.tsv", "\n  \n" + ReadFile(kImportData + "gdelt1_rows.tsv"));
  auto f = io::DetectFormat(dir.path() + "/blank-first.tsv");
  INFO((f.ok() ? std::string() : f.status().message()));
  REQUIRE(f.ok());
  CHECK(*f == io::ImportFormat::kGdelt1);

  std::string mentions = "1";
  for (int i = 1; i < 16; ++i) mentions += "\t1";
  WriteFile(dir.path() + "/20180601000000.mentions.CSV", mentions + "\n");
  f = io::DetectFormat(dir.path() + "/20180601000000.mentions.CSV");
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message().find("16 fields is a GDELT 2.0 Mentions table, not events") !=
        std::string::npos);

  WriteFile(dir.path() + "/blank.tsv", "\n \t\n");
  f = io::DetectFormat(dir.path() + "/blank.tsv");
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message().find("no lines (or only blank ones)") != std::string::npos);
}

}  // namespace geokg::test

namespace geokg::test {

TEST_CASE("Import: GDELT's Mentions and GKG tables are refused once each, named, not row by row",
          "[io]") {
  // GDELT publishes them beside the events under similar names (the 2.0 master file list has
  // YYYYMMDDHHMMSS.export.CSV.zip, .mentions.CSV.zip and .gkg.csv.zip; 1.0 has YYYYMMDD.gkg.csv.zip
  // with a header line). Rows as the 2.0 codebooks and linwoodc3/gdeltPyR's schema files lay
  // them out; the 1.0 GKG header as aamend/spark-gdelt's gkg1.csv has it.
  TempDir dir;
  std::string mention =
      "700000002\t20150218230000\t20150218230000\t1\tjaunted.com\thttp://www.jaunted.com/"
      "x\t1\t0\t-1"
      "\t15\t1\t100\t2840\t2.54\t\t\n";
  std::string gkg2 = "20150218230000-T12\t20150218230000\t1\tjaunted.com\thttp://www.jaunted.com/x";
  for (int i = 5; i < 27; ++i) gkg2 += "\t";
  gkg2 += "\n";
  const std::string gkg1 =
      "DATE\tNUMARTS\tCOUNTS\tTHEMES\tLOCATIONS\tPERSONS\tORGANIZATIONS\tTONE\tCAMEOEVENTIDS\tSOURC"
      "ES"
      "\tSOURCEURLS\n20200705\t1\t\tGENERAL_HEALTH;\t1#India#IN#IN#20#77#IN\tpramod "
      "sawant\t\t1.4,2.8,1.4,"
      "4.3,17.3,0\t\taninews.in\thttps://www.aninews.in/x\n";
  struct Case {
    std::string name, text, what;
    io::ImportFormat format;
  };
  for (const Case& c : {Case{"20150218230000.mentions.CSV", mention + mention + mention,
                             "a GDELT 2.0 Mentions table", io::ImportFormat::kGdelt2},
                        Case{"20150218230000.translation.gkg.csv", gkg2 + gkg2,
                             "a GDELT 2.0 Global Knowledge Graph", io::ImportFormat::kGdelt2},
                        Case{"20200705.gkg.csv", gkg1, "a GDELT 1.0 Global Knowledge Graph table",
                             io::ImportFormat::kGdelt1}}) {
    INFO(c.name);
    const std::string path = dir.path() + "/" + c.name;
    WriteFile(path, c.text);
    auto detected = io::DetectFormat(path);
    REQUIRE_FALSE(detected.ok());
    CHECK(detected.status().message().find("it is " + c.what) != std::string::npos);
    // Given as events anyway: one message for the file, not one per row, and nothing written.
    auto store = OpenNewStore(dir.path() + "/db-" + c.name);
    io::ImportOptions options;
    options.format = c.format;
    ImportRun run = RunImport(store.get(), {path}, options);
    REQUIRE_FALSE(run.result.ok());
    REQUIRE(run.diagnostics.size() == 1);
    CHECK(run.diagnostics.front().find(path + ": this is " + c.what) == 0);
    CHECK(CountKind(*store, NodeKind::kEvent) == 0);
  }
}

TEST_CASE("Import: a zip of a GDELT event table and its Mentions imports the events only", "[io]") {
  // gdelt2_export_and_mentions.zip: 20150218230000.export.CSV (gdelt2_rows.tsv) and 3 rows of
  // 20150218230000.mentions.CSV, as an analyst zips a batch of downloads together.
  const std::string zip = kImportData + "gdelt2_export_and_mentions.zip";
  TempDir dir;
  auto plain = OpenNewStore(dir.path() + "/plain");
  REQUIRE(RunImport(plain.get(), {kImportData + "gdelt2_rows.tsv"}).result.ok());
  SECTION("--on-error fail: the mentions member is named and nothing is written") {
    auto store = OpenNewStore(dir.path() + "/db");
    ImportRun run = RunImport(store.get(), {zip});
    REQUIRE_FALSE(run.result.ok());
    REQUIRE(run.diagnostics.size() == 1);
    CHECK(run.diagnostics.front().find(zip + ":20150218230000.mentions.CSV: this is a GDELT 2.0 "
                                             "Mentions table") == 0);
    CHECK(CountKind(*store, NodeKind::kEvent) == 0);
  }
  SECTION("--on-error skip: the events are those of the export member alone") {
    auto store = OpenNewStore(dir.path() + "/db");
    io::ImportOptions options;
    options.on_error = io::OnError::kSkip;
    ImportRun run = RunImport(store.get(), {zip}, options);
    REQUIRE(run.result.ok());
    CHECK(run.diagnostics.size() == 1);
    CHECK(run.result->rows == ReadTsv(kImportData + "gdelt2_rows.tsv").size());
    CHECK(CountKind(*store, NodeKind::kEvent) == CountKind(*plain, NodeKind::kEvent));
    CHECK(CountKind(*store, NodeKind::kActor) == CountKind(*plain, NodeKind::kActor));
  }
}

// The store holds n events, n initiator and n target edges.
void CheckEventsAndRoles(const storage::Store& store, uint64_t n) {
  auto stats = store.ComputeStats();
  REQUIRE(stats.ok());
  CHECK(stats->nodes_by_kind[static_cast<int>(NodeKind::kEvent)] == n);
  CHECK(stats->edges_by_type[static_cast<int>(EdgeType::kInitiator)] == n);
  CHECK(stats->edges_by_type[static_cast<int>(EdgeType::kTarget)] == n);
}

TEST_CASE("Import: an event repeated by neighbouring rows is written once, as the last row says",
          "[io]") {
  TempDir dir;
  SECTION("re-importing GDELT's repeated row (with and without SOURCEURL) changes nothing") {
    // Rows 1 and 2 of the fixture are one event (324845984), the second without SOURCEURL.
    const std::string path = kImportData + "gdelt1_rows.tsv";
    auto store = OpenNewStore(dir.path() + "/db");
    ImportRun first = RunImport(store.get(), {path});
    REQUIRE(first.result.ok());
    CHECK(first.result->events_added == 3);
    CHECK(first.result->events_repeated == 1);
    const RawDump before = DumpRaw(*store);
    const uint64_t generation = store->generation();
    for (int i = 0; i < 2; ++i) {
      ImportRun again = RunImport(store.get(), {path});
      REQUIRE(again.result.ok());
      CHECK(again.result->events_added == 0);
      CHECK(again.result->events_updated == 0);
      CHECK(again.result->events_unchanged == 3);
      CHECK(DumpRaw(*store) == before);
      CHECK(store->generation() == generation);
    }
    auto id = store->LookupKey("event:gdelt:324845984");
    REQUIRE(id.ok());
    REQUIRE(id->has_value());
    auto node = store->GetNode(**id);
    REQUIRE(node.ok());
    CHECK((*node)->provenance.front().row == 2);  // the last row
    CHECK((*node)->provenance.front().url.empty());
  }
  SECTION("a repeat with another actor and code leaves no role edge or index entry behind") {
    std::string all = ReadFile(kImportData + "icews_300.tab");
    size_t second = all.find('\n', all.find('\n') + 1) + 1;
    auto rows = ReadTsv(kImportData + "icews_300.tab", 1);
    std::vector<std::string> row = rows[0];
    const std::string first_source = row[2];
    row[2] = "Someone Else Entirely";
    row[6] = "190";  // another root: 19 instead of 04
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + row[i];
    WriteFile(dir.path() + "/repeat.tab", all.substr(0, second) + line + "\n");
    auto store = OpenNewStore(dir.path() + "/db");
    ImportRun run = RunImport(store.get(), {dir.path() + "/repeat.tab"});
    REQUIRE(run.result.ok());
    CHECK(run.result->events_added == 1);
    CHECK(run.result->events_repeated == 1);
    CheckEventsAndRoles(*store, 1);
    CHECK(CountEventsUnder(*store, "04") == 0);
    CHECK(CountEventsUnder(*store, "19") == 1);
    auto stale = store->FindByName(first_source);
    REQUIRE(stale.ok());
    REQUIRE(stale->size() == 1);
    int out = 0;
    REQUIRE(store
                ->ScanAdjacency(stale->front(), storage::Direction::kOut, {},
                                [&](const storage::AdjEntry&) {
                                  ++out;
                                  return true;
                                })
                .ok());
    CHECK(out == 0);
  }
  SECTION("so does a repeat further apart than the window, in another run") {
    // The row again after 5000 other events (QueueEvent holds 4096), with another source actor
    // and code; a small budget puts the two versions in different sorted runs.
    std::string all = ReadFile(kImportData + "icews_300.tab");
    const std::string header = all.substr(0, all.find('\n') + 1);
    auto rows = ReadTsv(kImportData + "icews_300.tab", 1);
    auto join = [](const std::vector<std::string>& row) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + row[i];
      return line + "\n";
    };
    std::string text = header + join(rows[0]);
    for (int i = 0; i < 5000; ++i) {
      std::vector<std::string> filler = rows[1 + i % 299];
      filler[0] = std::to_string(900000000 + i);  // another Event ID: another event
      text += join(filler);
    }
    std::vector<std::string> repeat = rows[0];
    const std::string first_source = repeat[2];
    repeat[2] = "Someone Else Entirely";
    repeat[6] = "190";
    text += join(repeat);
    WriteFile(dir.path() + "/far.tab", text);
    auto store = OpenNewStore(dir.path() + "/db");
    io::ImportOptions options;
    options.memory_budget = size_t{1} << 20;
    ImportRun run = RunImport(store.get(), {dir.path() + "/far.tab"}, options);
    REQUIRE(run.result.ok());
    CHECK(run.result->bulk.runs > 2);
    CHECK(run.result->events_added == 5001);
    CHECK(run.result->events_repeated == 1);
    CHECK(run.result->role_edges == 2 * 5001);  // the superseded row's are not written
    CheckEventsAndRoles(*store, 5001);
    auto stale = store->FindByName(first_source);
    REQUIRE(stale.ok());
    REQUIRE(stale->size() == 1);
    // The first source actor's role edges: the fillers' only, none to the repeated event.
    auto id = store->LookupKey("event:icews:" + rows[0][0] + "@" + rows[0][1]);
    REQUIRE(id.ok());
    REQUIRE(id->has_value());
    bool to_repeated = false;
    REQUIRE(store
                ->ScanAdjacency(stale->front(), storage::Direction::kOut, {},
                                [&](const storage::AdjEntry& e) {
                                  to_repeated = to_repeated || e.neighbor == **id;
                                  return true;
                                })
                .ok());
    CHECK(!to_repeated);
    // Re-importing writes nothing: the last row wins again, and equals what is stored (the
    // first row, which does not, is superseded before anything is compared).
    const RawDump before = DumpRaw(*store);
    const uint64_t generation = store->generation();
    for (int i = 0; i < 2; ++i) {
      ImportRun again = RunImport(store.get(), {dir.path() + "/far.tab"}, options);
      REQUIRE(again.result.ok());
      CHECK(again.result->events_unchanged == 5001);
      CHECK(again.result->events_updated == 0);
      CHECK(again.result->events_repeated == 1);
      CHECK(again.result->role_edges == 0);
      CHECK(DumpRaw(*store) == before);
      CHECK(store->generation() == generation);
    }
  }
}

TEST_CASE("Import: the repeat window's id index agrees with a map through inserts and erases",
          "[io]") {
  // Ids whose low bits collide (long probe runs) and sit at the table's end (runs that wrap),
  // inserted and erased at random with up to 64 held: every look-up must agree with std::map.
  io::NodeIdIndex index(64);
  std::map<NodeId, uint64_t> model;
  std::mt19937_64 rng(42);
  std::vector<NodeId> pool;
  for (uint64_t i = 1; i <= 300; ++i) {
    pool.push_back((uint64_t{2} << 60) | (i << 8) | (120 + i % 9));  // slots 120..128 of 128
  }
  for (int step = 0; step < 200'000; ++step) {
    const NodeId id = pool[rng() % pool.size()];
    const uint64_t* found = index.Find(id);
    auto it = model.find(id);
    REQUIRE((found != nullptr) == (it != model.end()));
    if (found) {
      REQUIRE(*found == it->second);
      if (rng() % 2 == 0) {
        index.Erase(id);
        model.erase(it);
      }
    } else if (model.size() < 64) {
      index.Insert(id, static_cast<uint64_t>(step));
      model[id] = static_cast<uint64_t>(step);
    }
  }
  for (NodeId id : pool) {
    const uint64_t* found = index.Find(id);
    CHECK((found != nullptr) == (model.count(id) == 1));
  }
}

TEST_CASE("Import: the id index grows past the size it was made for and keeps its entries",
          "[io]") {
  // The set of new actor ids starts small and grows (and is reserved again by each data set):
  // every id inserted before or after a growth or a Reserve must still be found, with its value.
  io::NodeIdIndex index(4);
  std::map<NodeId, uint64_t> model;
  std::mt19937_64 rng(7);
  auto insert = [&](size_t n) {
    for (size_t i = 0; i < n; ++i) {
      const NodeId id = (uint64_t{1} << 60) | (rng() >> 8) | 1;
      if (model.count(id)) continue;
      index.Insert(id, i);
      model[id] = i;
    }
  };
  insert(1000);  // from 16 slots, doubled many times
  index.Reserve(5000);
  insert(3000);
  index.Reserve(10);  // never shrinks
  for (const auto& [id, value] : model) {
    const uint64_t* found = index.Find(id);
    REQUIRE(found != nullptr);
    CHECK(*found == value);
  }
  CHECK(index.Find((uint64_t{1} << 60) | 2) == nullptr);
}

}  // namespace geokg::test
