// GDELT 1.0 (the four native rows of gdelt1_rows.geoutils.tsv) and 2.0 (rows derived from them
// with the ADM2 columns and a 14-digit DATEADDED) imports, checked against recounts of the rows.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "io/import.h"
#include "model/time_format.h"
#include "storage/store.h"
#include "tests/io/import_test_util.h"
#include "util/normalize.h"

namespace geokg::test {
namespace {

const std::string kGdelt1 = kImportData + "gdelt1_rows.tsv";
const std::string kGdelt2 = kImportData + "gdelt2_rows.tsv";
// Rows modeled on the 1979 backfile (1979.zip:1979.csv, 57 columns), whose GLOBALEVENTIDs start at
// 0 and whose geo blocks without a place read Type "", Lat 0, Long 0, FeatureID 0: the first rows
// of 1979.csv as aamend/spark-gdelt's test data (src/test/resources/.../events1.csv) and
// velvia/spark-sql-gdelt's README show them.
const std::string kGdelt1979 = kImportData + "gdelt1_1979.tsv";
// Rows modeled on 20180323221500.export.CSV (aamend/spark-gdelt's src/test/resources/.../events.csv
// holds rows of it), whose geo FullNames pad each part with hundreds of spaces before its comma.
// Rows modeled on the first daily file, 20130401.export.CSV (58 columns; rows of it are in
// aamend/spark-gdelt's events1.csv): Actor2Code with a leading space (" UIS", and " " when there is
// no Actor2), FeatureID as text ("NV", "AG") and SOURCEURL "BBC Monitoring".
const std::string kGdelt1Daily = kImportData + "gdelt1_20130401.tsv";
const std::string kGdelt2Padded = kImportData + "gdelt2_padded_places.tsv";

struct Recount {
  std::set<std::string> ids;
  std::set<std::string> actors;
  std::set<std::pair<std::string, std::string>> roles;       // (event id, actor name + role)
  std::map<std::string, std::set<std::string>> ids_by_root;  // EventRootCode -> event ids
};

std::string Strip(const std::string& s) {
  const size_t first = s.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// What the rows say, read naively: one event per GLOBALEVENTID (the last row's root), one actor
// per distinct non-blank Actor1Name/Actor2Name.
Recount RecountRows(const std::string& path) {
  Recount r;
  std::map<std::string, std::string> root_of;
  for (const auto& f : ReadTsv(path)) {
    r.ids.insert(f[0]);
    root_of[f[0]] = f[28];
    for (int start : {5, 15}) {
      const std::string name = Strip(f[start + 1]);
      if (name.empty()) continue;
      r.actors.insert(NormalizeName(name));
      r.roles.emplace(f[0], name + (start == 5 ? ">" : "<"));
    }
  }
  for (const auto& [id, root] : root_of) r.ids_by_root[root].insert(id);
  return r;
}

// Checks a store that imported `path` alone against the recount of its rows.
void CheckAgainstRecount(storage::Store& store, const std::string& path) {
  Recount expected = RecountRows(path);
  CHECK(CountKind(store, NodeKind::kEvent) == expected.ids.size());
  CHECK(CountKind(store, NodeKind::kActor) == expected.actors.size());
  auto stats = store.ComputeStats();
  REQUIRE(stats.ok());
  CHECK(stats->edges() == expected.roles.size());
  for (const auto& [root, ids] : expected.ids_by_root) {
    INFO("root " << root);
    CHECK(CountEventsUnder(store, root) == ids.size());
  }
  for (const auto& id : expected.ids) {
    auto key = store.LookupKey("event:gdelt:" + id);
    REQUIRE(key.ok());
    CHECK(key->has_value());
  }
}

}  // namespace

// A row's fields joined back into a tab-separated line.
std::string JoinRow(const std::vector<std::string>& f) {
  std::string s;
  for (size_t i = 0; i < f.size(); ++i) s += (i ? "\t" : "") + f[i];
  return s + "\n";
}

TEST_CASE("GDELT import: 1.0 and 2.0 rows give the events and actors the rows name", "[io]") {
  for (const auto& [path, format] : {std::pair{kGdelt1, io::ImportFormat::kGdelt1},
                                     std::pair{kGdelt2, io::ImportFormat::kGdelt2}}) {
    INFO(path);
    auto detected = io::DetectFormat(path);
    REQUIRE(detected.ok());
    CHECK(*detected == format);
    TempDir dir;
    auto store = OpenNewStore(dir.path() + "/db");
    ImportRun run = RunImport(store.get(), {path});
    REQUIRE(run.result.ok());
    CHECK(run.diagnostics.empty());
    Recount expected = RecountRows(path);
    CHECK(CountKind(*store, NodeKind::kEvent) == expected.ids.size());
    CHECK(run.result->events_added == expected.ids.size());
    CHECK(CountKind(*store, NodeKind::kActor) == expected.actors.size());
    auto stats = store->ComputeStats();
    REQUIRE(stats.ok());
    CHECK(stats->edges() == expected.roles.size());
  }
}

TEST_CASE("GDELT import: the 1979 backfile's events, numbered from 0, are all imported", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  ImportRun run = RunImport(store.get(), {kGdelt1979});
  INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics.empty());
  CHECK(run.result->events_added == 4);
  CheckAgainstRecount(*store, kGdelt1979);
  auto first = store->LookupKey("event:gdelt:0");
  REQUIRE(first.ok());
  CHECK(first->has_value());
}

TEST_CASE("GDELT import: an action GDELT did not place has no coordinates, not 0/0", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  REQUIRE(RunImport(store.get(), {kGdelt1979}).result.ok());
  auto location = [&](const std::string& id) {
    auto key = store->LookupKey("event:gdelt:" + id);
    REQUIRE(key.ok());
    REQUIRE(key->has_value());
    auto node = store->GetNode(**key);
    REQUIRE(node.ok());
    return std::get<Event>((*node)->body).location;
  };
  // Event 0: ActionGeo_Type "", Lat "0", Long "0" (1979.csv's way of writing "no place").
  Location none = location("0");
  CHECK_FALSE(none.latitude.has_value());
  CHECK_FALSE(none.longitude.has_value());
  CHECK(none.place_name.empty());
  // Event 1: ActionGeo_Type 1 (a country), Nigeria at 10, 8.
  Location nigeria = location("1");
  REQUIRE(nigeria.latitude.has_value());
  CHECK(*nigeria.latitude == Approx(10));
  CHECK(*nigeria.longitude == Approx(8));
  CHECK(nigeria.country_iso3 == "NGA");
  // Event 230397977: ActionGeo_Type 4 (a world city), Moscow.
  Location moscow = location("230397977");
  REQUIRE(moscow.latitude.has_value());
  CHECK(*moscow.latitude == Approx(55.7522));
  CHECK(moscow.place_name == "Moscow, Moskva, Russia");
}

TEST_CASE("GDELT import: place names padded with spaces before their commas are tidied", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  ImportRun run = RunImport(store.get(), {kGdelt2Padded});
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics.empty());
  CheckAgainstRecount(*store, kGdelt2Padded);
  auto place = [&](const std::string& id) {
    auto key = store->LookupKey("event:gdelt:" + id);
    REQUIRE(key.ok());
    REQUIRE(key->has_value());
    auto node = store->GetNode(**key);
    REQUIRE(node.ok());
    return std::get<Event>((*node)->body).location.place_name;
  };
  CHECK(place("741462370") == "San Francisco, California, United States");
  // ActionGeo here is padded in its first part only: "London<140 spaces>,London,City of,...".
  CHECK(place("741462419") == "London, London, City of, United Kingdom");
}

TEST_CASE("GDELT import: the first daily file's spaced codes and \"BBC Monitoring\" citations",
          "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  ImportRun run = RunImport(store.get(), {kGdelt1Daily});
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics.empty());
  CheckAgainstRecount(*store, kGdelt1Daily);
  auto provenance = [&](const std::string& id) {
    auto key = store->LookupKey("event:gdelt:" + id);
    REQUIRE(key.ok());
    REQUIRE(key->has_value());
    auto node = store->GetNode(**key);
    REQUIRE(node.ok());
    return (*node)->provenance.front();
  };
  // A citation that is not a URL is the publisher.
  Provenance bbc = provenance("253461011");
  CHECK(bbc.publisher == "BBC Monitoring");
  CHECK(bbc.url.empty());
  Provenance web = provenance("253461016");
  CHECK(web.url == "http://www.startribune.com/nation/200818961.html");
  CHECK(web.publisher.empty());
  // " UIS" is the actor code UIS.
  auto uis = store->FindByName("THE INTERNATIONAL COMMUNITY");
  REQUIRE(uis.ok());
  REQUIRE(uis->size() == 1);
  auto node = store->GetNode(uis->front());
  REQUIRE(node.ok());
  const auto& actor = std::get<Actor>((*node)->body);
  CHECK(std::find(actor.external_ids.begin(), actor.external_ids.end(),
                  ExternalId{"cameo_actor", "UIS"}) != actor.external_ids.end());
}

TEST_CASE("GDELT import: the source's QuadClass, Goldstein, place and URL are kept", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  REQUIRE(RunImport(store.get(), {kGdelt1}).result.ok());
  auto id = store->LookupKey("event:gdelt:324845987");
  REQUIRE(id.ok());
  REQUIRE(id->has_value());
  auto node = store->GetNode(**id);
  REQUIRE(node.ok());
  const auto& ev = std::get<Event>((*node)->body);
  CHECK(ev.cameo_code == "051");
  REQUIRE(ev.quad_class.has_value());
  CHECK(*ev.quad_class == 1);
  REQUIRE(ev.goldstein.has_value());
  CHECK(*ev.goldstein == Approx(3.4));
  CHECK(ev.location.place_name == "Port Moresby, National Capital, Papua New Guinea");
  CHECK(ev.location.country_iso3 == "PNG");  // FIPS "PP"
  CHECK(ev.time.start == TimeFromCivil(2004, 11, 26));
  const Provenance& p = (*node)->provenance.front();
  CHECK(p.dataset == "gdelt1");
  CHECK(p.record_id == "324845987");
  CHECK(p.row == 3);
  CHECK(p.url.find("jaunted.com") != std::string::npos);
}

TEST_CASE("GDELT import: VLADIMIR PUTIN meets ICEWS's Vladimir Putin on one node", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  REQUIRE(RunImport(store.get(), {kImportData + "icews_300.tab"}).result.ok());
  auto putin = store->FindByName("Vladimir Putin");
  REQUIRE(putin.ok());
  REQUIRE(putin->size() == 1);
  auto rows = ReadTsv(kGdelt2);
  auto f = rows[2];  // a row with two actors
  f[0] = "800000001";
  f[5] = "RUSGOV";
  f[6] = "VLADIMIR PUTIN";
  f[7] = "RUS";
  f[12] = "GOV";
  std::string line;
  for (size_t i = 0; i < f.size(); ++i) line += (i ? "\t" : "") + f[i];
  const std::string path = dir.path() + "/putin.export.CSV";
  WriteFile(path, line + "\n");
  ImportRun run = RunImport(store.get(), {path});
  REQUIRE(run.result.ok());
  CHECK(run.result->actors_matched >= 1);
  auto again = store->FindByName("VLADIMIR PUTIN");
  REQUIRE(again.ok());
  REQUIRE(again->size() == 1);
  CHECK(again->front() == putin->front());
  auto node = store->GetNode(putin->front());
  REQUIRE(node.ok());
  const auto& actor = std::get<Actor>((*node)->body);
  CHECK(actor.name == "Vladimir Putin");
  CHECK(std::find(actor.cameo_types.begin(), actor.cameo_types.end(), "GOV") !=
        actor.cameo_types.end());
  std::set<std::string> datasets;
  for (const auto& p : (*node)->provenance) datasets.insert(p.dataset);
  CHECK(datasets == std::set<std::string>{"icews", "gdelt2"});
}

TEST_CASE("GDELT import: bad rows are reported with their column name", "[io]") {
  TempDir dir;
  auto rows = ReadTsv(kGdelt1);
  auto join = JoinRow;
  std::string text = join(rows[2]);
  auto bad = rows[2];
  bad[0] = "1";
  bad[26] = "9x9";
  text += join(bad);
  bad = rows[2];
  bad[0] = "2";
  bad[1] = "20041341";
  text += join(bad);
  bad = rows[2];
  bad.resize(50);
  text += join(bad);
  bad = rows[2];
  bad[0] = "3";
  bad[29] = "7";
  text += join(bad);
  const std::string path = dir.path() + "/bad.tsv";
  WriteFile(path, text);
  auto store = OpenNewStore(dir.path() + "/db");
  io::ImportOptions options;
  options.format = io::ImportFormat::kGdelt1;
  ImportRun run = RunImport(store.get(), {path}, options);
  REQUIRE_FALSE(run.result.ok());
  CHECK(run.diagnostics.size() == 4);
  CHECK(Contains(run.diagnostics, path + ":2:"));
  CHECK(Contains(run.diagnostics, "field 'EventCode': \"9x9\" is not a CAMEO event code"));
  CHECK(Contains(run.diagnostics, path + ":3:"));
  CHECK(Contains(run.diagnostics, "field 'SQLDATE'"));
  CHECK(Contains(run.diagnostics, path + ":4:1: field '(columns)': the row has 50"));
  CHECK(Contains(run.diagnostics, "field 'QuadClass': \"7\" is not a QuadClass"));
  CHECK(CountKind(*store, NodeKind::kEvent) == 0);
}

}  // namespace geokg::test

namespace geokg::test {

TEST_CASE("GDELT import: a byte order mark, a header line and blank lines are not rows", "[io]") {
  // GDELT's files have none of these; copies saved by spreadsheets, BigQuery exports and
  // data-frame libraries do.
  TempDir dir;
  const std::string rows = ReadFile(kGdelt2);
  std::filesystem::create_directories(dir.path() + "/plain");
  std::filesystem::create_directories(dir.path() + "/variant");
  WriteFile(dir.path() + "/plain/gdelt2_rows.tsv", rows);
  auto plain = OpenNewStore(dir.path() + "/plain-db");
  REQUIRE(RunImport(plain.get(), {dir.path() + "/plain/gdelt2_rows.tsv"}).result.ok());

  std::string header = "GLOBALEVENTID\tSQLDATE";
  for (int c = 2; c < 61; ++c) header += "\tColumn" + std::to_string(c);
  std::string text;
  uint64_t first_row = 1;
  SECTION("a byte order mark") { text = "\xEF\xBB\xBF" + rows; }
  SECTION("a header line") {
    text = header + "\n" + rows;
    first_row = 2;
  }
  SECTION("a byte order mark and a header line, CRLF") {
    for (char c : "\xEF\xBB\xBF" + header + "\n" + rows) {
      text += c == '\n' ? std::string("\r\n") : std::string(1, c);
    }
    first_row = 2;
  }
  SECTION("lines of spaces and tabs at the end") { text = rows + " \n\t\t\n\n"; }
  const std::string path = dir.path() + "/variant/gdelt2_rows.tsv";
  WriteFile(path, text);
  auto format = io::DetectFormat(path);
  REQUIRE(format.ok());
  CHECK(*format == io::ImportFormat::kGdelt2);
  auto store = OpenNewStore(dir.path() + "/db");
  ImportRun run = RunImport(store.get(), {path});
  INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics.empty());
  CHECK(run.result->rows == ReadTsv(kGdelt2).size());
  if (first_row == 1) {
    CHECK(DumpRaw(*store) == DumpRaw(*plain));
  } else {
    CHECK(CountKind(*store, NodeKind::kEvent) == CountKind(*plain, NodeKind::kEvent));
    CHECK(CountKind(*store, NodeKind::kActor) == CountKind(*plain, NodeKind::kActor));
  }
}

TEST_CASE("GDELT import: errors quote the field as written and name the other version", "[io]") {
  TempDir dir;
  auto rows = ReadTsv(kGdelt1);
  auto join = JoinRow;
  auto bad = rows[2];
  bad[1] = "20180631";
  const std::string path1 = dir.path() + "/bad.tsv";
  WriteFile(path1, join(bad));
  const std::string path2 = dir.path() + "/20180601000000.export.CSV";
  WriteFile(path2, ReadFile(kGdelt2));
  auto store = OpenNewStore(dir.path() + "/db");
  io::ImportOptions options;
  options.format = io::ImportFormat::kGdelt1;
  ImportRun run = RunImport(store.get(), {path1, path2}, options);
  REQUIRE_FALSE(run.result.ok());
  CHECK(Contains(run.diagnostics,
                 path1 +
                     ":1:11: field 'SQLDATE': \"20180631\" is not a date: day 31 does not exist "
                     "in June 2018 (30 days)"));
  CHECK(Contains(run.diagnostics, path2 + ":1:1: field '(columns)': the row has 61 tab-separated "
                                          "fields; GDELT 1.0 rows have 57 or 58 (a GDELT 2.0 row: "
                                          "--format gdelt2)"));
}

}  // namespace geokg::test
