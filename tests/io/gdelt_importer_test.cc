// GDELT 1.0 (the four native rows of gdelt1_rows.geoutils.tsv) and 2.0 (rows derived from them
// with the ADM2 columns and a 14-digit DATEADDED) imports, checked against recounts of the rows.
#include <catch2/catch.hpp>
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

struct Recount {
  std::set<std::string> ids;
  std::set<std::string> actors;
  std::set<std::pair<std::string, std::string>> roles;  // (event id, actor name + role)
};

Recount RecountRows(const std::string& path) {
  Recount r;
  for (const auto& f : ReadTsv(path)) {
    r.ids.insert(f[0]);
    for (int start : {5, 15}) {
      if (f[start + 1].empty()) continue;
      r.actors.insert(NormalizeName(f[start + 1]));
      r.roles.emplace(f[0], f[start + 1] + (start == 5 ? ">" : "<"));
    }
  }
  return r;
}

}  // namespace

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
  auto join = [](const std::vector<std::string>& f) {
    std::string s;
    for (size_t i = 0; i < f.size(); ++i) s += (i ? "\t" : "") + f[i];
    return s + "\n";
  };
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
