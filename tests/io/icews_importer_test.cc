// ICEWS import, checked against counts recomputed here from the raw fixture (300 native rows of
// icews_events.2018-06-01.tab, incl. every Kim Jong-Un, Donald Trump and Vladimir Putin row).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "io/import.h"
#include "storage/store.h"
#include "tests/io/import_test_util.h"
#include "util/normalize.h"

namespace geokg::test {
namespace {

const std::string kIcews = kImportData + "icews_300.tab";
enum { kId = 0, kDate = 1, kSrc = 2, kCode = 6, kTgt = 8, kStory = 11, kSentence = 12 };

std::set<std::string> DistinctActors(const std::vector<std::vector<std::string>>& rows) {
  std::set<std::string> names;
  for (const auto& r : rows) {
    names.insert(NormalizeName(r[kSrc]));
    names.insert(NormalizeName(r[kTgt]));
  }
  return names;
}

std::string HeaderLine() {
  std::string all = ReadFile(kIcews);
  return all.substr(0, all.find('\n') + 1);
}

}  // namespace

TEST_CASE("ICEWS import: counts equal an independent recount of the raw rows", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  ImportRun run = RunImport(store.get(), {kIcews});
  REQUIRE(run.result.ok());
  INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
  REQUIRE(run.diagnostics.empty());

  auto rows = ReadTsv(kIcews, 1);
  REQUIRE(rows.size() == 300);
  std::set<std::pair<std::string, std::string>> ids;
  std::map<std::string, uint64_t> by_root;
  for (const auto& r : rows) {
    ids.emplace(r[kId], r[kDate]);
    ++by_root[r[kCode].substr(0, 2)];
  }
  CHECK(CountKind(*store, NodeKind::kEvent) == ids.size());
  CHECK(CountKind(*store, NodeKind::kActor) == DistinctActors(rows).size());
  CHECK(run.result->events_added == ids.size());
  auto stats = store->ComputeStats();
  REQUIRE(stats.ok());
  CHECK(stats->edges_by_type[static_cast<int>(EdgeType::kInitiator)] == rows.size());
  CHECK(stats->edges_by_type[static_cast<int>(EdgeType::kTarget)] == rows.size());
  for (const auto& [root, n] : by_root) CHECK(CountEventsUnder(*store, root) == n);

  // Kim Jong-Un <-> Donald Trump, either direction, recounted from the rows.
  uint64_t dyad = 0;
  for (const auto& r : rows) {
    std::set<std::string> pair = {NormalizeName(r[kSrc]), NormalizeName(r[kTgt])};
    if (pair == std::set<std::string>{"kim jong un", "donald trump"}) ++dyad;
  }
  REQUIRE(dyad > 0);
  CHECK(SharedEventCount(*store, "Kim Jong-Un", "DONALD TRUMP") == dyad);
}

TEST_CASE("ICEWS import: every event keeps its provenance and codes", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  REQUIRE(RunImport(store.get(), {kIcews}).result.ok());
  // The first data row of the fixture.
  auto rows = ReadTsv(kIcews, 1);
  const auto& r = rows.front();
  auto id = store->LookupKey("event:icews:" + r[kId] + "@" + r[kDate]);
  REQUIRE(id.ok());
  REQUIRE(id->has_value());
  auto node = store->GetNode(**id);
  REQUIRE(node.ok());
  REQUIRE(node->has_value());
  const Node& n = **node;
  const auto& ev = std::get<Event>(n.body);
  CHECK(ev.cameo_code == r[kCode]);
  CHECK(ev.goldstein.has_value());
  CHECK(*ev.goldstein == Approx(std::stod(r[7])));
  CHECK(ev.time.precision == TimePrecision::kDay);
  REQUIRE(n.provenance.size() == 1);
  const Provenance& p = n.provenance.front();
  CHECK(p.dataset == "icews");
  CHECK(p.file == "icews_300.tab");
  CHECK(p.row == 2);
  CHECK(p.record_id == r[kId]);
  CHECK(p.story_id == r[kStory]);
  CHECK(p.sentence == std::stoi(r[kSentence]));
  CHECK(p.publisher == r[13]);
}

TEST_CASE("ICEWS import: re-importing the same file adds nothing", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  REQUIRE(RunImport(store.get(), {kIcews}).result.ok());
  RawDump before = DumpRaw(*store);
  uint64_t generation = store->generation();
  ImportRun again = RunImport(store.get(), {kIcews});
  REQUIRE(again.result.ok());
  CHECK(again.result->events_added == 0);
  CHECK(again.result->events_unchanged == 300);
  CHECK(again.result->actors_created == 0);
  CHECK(again.result->actors_updated == 0);
  CHECK(DumpRaw(*store) == before);
  CHECK(store->generation() == generation);
}

TEST_CASE("ICEWS import: zip, gzip and plain copies give the same store", "[io]") {
  TempDir dir;
  auto plain = OpenNewStore(dir.path() + "/plain");
  auto zip = OpenNewStore(dir.path() + "/zip");
  auto gz = OpenNewStore(dir.path() + "/gz");
  REQUIRE(RunImport(plain.get(), {kIcews}).result.ok());
  ImportRun z = RunImport(zip.get(), {kImportData + "icews_300.zip"});
  REQUIRE(z.result.ok());
  REQUIRE(RunImport(gz.get(), {kImportData + "icews_300.tab.gz"}).result.ok());
  RawDump expected = DumpRaw(*plain);
  CHECK(expected["nodes"].size() > 300);
  CHECK(DumpRaw(*zip) == expected);
  CHECK(DumpRaw(*gz) == expected);

  SECTION("a zip made on macOS, with __MACOSX/._icews_300.tab and .DS_Store beside the data") {
    auto mac = OpenNewStore(dir.path() + "/mac");
    ImportRun run = RunImport(mac.get(), {kImportData + "icews_300_macos.zip"});
    INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
    REQUIRE(run.result.ok());
    CHECK(run.diagnostics.empty());
    CHECK(run.result->rows == 300);
    CHECK(DumpRaw(*mac) == expected);
  }
}

TEST_CASE("ICEWS import: bad rows of every kind are reported with file, line and field", "[io]") {
  TempDir dir;
  auto rows = ReadTsv(kIcews, 1);
  auto join = [](std::vector<std::string> f) {
    std::string s;
    for (size_t i = 0; i < f.size(); ++i) s += (i ? "\t" : "") + f[i];
    return s + "\n";
  };
  std::string text = HeaderLine() + join(rows[0]);  // line 2: good
  auto bad = rows[1];
  bad[kCode] = "13y";
  text += join(bad);  // line 3
  bad = rows[2];
  bad[kDate] = "2018-02-30";
  text += join(bad);  // line 4
  bad = rows[3];
  bad.pop_back();
  text += join(bad);  // line 5: 19 fields
  bad = rows[4];
  bad[kSrc] = "Kim \xff\xfeJong";
  text += join(bad);  // line 6
  bad = rows[5];
  bad[kId] = "12a";
  text += join(bad);      // line 7
  text += join(rows[6]);  // line 8: good
  const std::string path = dir.path() + "/bad.tab";
  WriteFile(path, text);

  SECTION("--on-error fail writes nothing and lists every error") {
    auto store = OpenNewStore(dir.path() + "/db");
    RawDump empty = DumpRaw(*store);
    ImportRun run = RunImport(store.get(), {path});
    REQUIRE_FALSE(run.result.ok());
    CHECK(run.result.status().message().find("nothing was imported") != std::string::npos);
    // The one field that is not UTF-8 brings a hint for Latin-1 files.
    CHECK(run.result.status().message().find("1 field(s) are not UTF-8") != std::string::npos);
    CHECK(run.result.status().message().find("iconv -f latin1") != std::string::npos);
    CHECK(run.diagnostics.size() == 5);
    CHECK(Contains(run.diagnostics, path + ":3:"));
    CHECK(Contains(run.diagnostics, "field 'CAMEO Code': \"13y\" is not a CAMEO event code"));
    CHECK(Contains(run.diagnostics, path + ":4:"));
    CHECK(Contains(run.diagnostics, "field 'Event Date'"));
    CHECK(Contains(run.diagnostics, "February"));
    CHECK(Contains(run.diagnostics, path + ":5:1: field '(columns)': the row has 19"));
    CHECK(Contains(run.diagnostics, path + ":6:"));
    CHECK(Contains(run.diagnostics, "field 'Source Name': invalid UTF-8 (byte 0xff at offset 4"));
    CHECK(Contains(run.diagnostics, path + ":7:1: field 'Event ID': \"12a\" is not an event id"));
    CHECK(DumpRaw(*store) == empty);
  }
  SECTION("--on-error skip imports the good rows and counts the bad ones") {
    auto store = OpenNewStore(dir.path() + "/db");
    io::ImportOptions options;
    options.on_error = io::OnError::kSkip;
    ImportRun run = RunImport(store.get(), {path}, options);
    REQUIRE(run.result.ok());
    CHECK(run.result->rows == 7);
    CHECK(run.result->rows_skipped == 5);
    CHECK(run.result->errors_by_field.at("CAMEO Code") == 1);
    CHECK(run.result->invalid_utf8 == 1);
    CHECK(CountKind(*store, NodeKind::kEvent) == 2);
  }
}

TEST_CASE("ICEWS import: reciprocal pairs merge into one event with two participants", "[io]") {
  auto rows = ReadTsv(kIcews, 1);
  // Independent pairing: a row pairs with the earliest earlier unpaired row that has the same
  // story, sentence, code and date and the actors reversed.
  std::vector<bool> paired(rows.size(), false);
  uint64_t pairs = 0;
  for (size_t j = 0; j < rows.size(); ++j) {
    std::string a = NormalizeName(rows[j][kSrc]), b = NormalizeName(rows[j][kTgt]);
    if (a == b) continue;
    for (size_t i = 0; i < j; ++i) {
      const auto& p = rows[i];
      if (paired[i] || p[kStory] != rows[j][kStory] || p[kSentence] != rows[j][kSentence] ||
          p[kCode] != rows[j][kCode] || p[kDate] != rows[j][kDate] || NormalizeName(p[kSrc]) != b ||
          NormalizeName(p[kTgt]) != a) {
        continue;
      }
      paired[i] = paired[j] = true;
      ++pairs;
      break;
    }
  }
  REQUIRE(pairs > 20);
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  io::ImportOptions options;
  options.merge_reciprocal = true;
  ImportRun run = RunImport(store.get(), {kIcews}, options);
  REQUIRE(run.result.ok());
  CHECK(run.result->reciprocal_merged == pairs);
  CHECK(CountKind(*store, NodeKind::kEvent) == rows.size() - pairs);
  auto stats = store->ComputeStats();
  REQUIRE(stats.ok());
  CHECK(stats->edges_by_type[static_cast<int>(EdgeType::kParticipant)] == 2 * pairs);
  CHECK(stats->edges_by_type[static_cast<int>(EdgeType::kInitiator)] == rows.size() - 2 * pairs);
  // A merged event carries both rows' provenance.
  uint64_t two_rows = 0;
  REQUIRE(store
              ->ScanNodes(NodeKind::kEvent,
                          [&](const Node& n) {
                            if (n.key.find('+') != std::string::npos) {
                              two_rows += n.provenance.size() == 2;
                            }
                            return true;
                          })
              .ok());
  CHECK(two_rows == pairs);
}

TEST_CASE("ICEWS import: a curated actor and the imported one meet on one node", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  Actor a;
  a.kind = ActorKind::kPerson;
  a.name = "Kim Jong Un";
  a.description = "curated";
  a.external_ids = {{"wikidata", "Q56226"}};
  const NodeId kim = PutStoredActor(*store, "actor:kju", a);

  ImportRun run = RunImport(store.get(), {kIcews});
  REQUIRE(run.result.ok());
  CHECK(run.result->actors_matched == 1);
  auto found = store->FindByName("kim jong-un");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK(found->front() == kim);
  auto slug = store->LookupKey("actor:kim-jong-un");
  REQUIRE(slug.ok());
  CHECK_FALSE(slug->has_value());
  auto node = store->GetNode(kim);
  REQUIRE(node.ok());
  const auto& merged = std::get<Actor>((*node)->body);
  CHECK(merged.name == "Kim Jong Un");  // curated fields are kept
  CHECK(merged.kind == ActorKind::kPerson);
  CHECK(merged.description == "curated");
  CHECK(merged.external_ids.front().value == "Q56226");
  CHECK(merged.country_cameo == "PRK");  // filled in
  CHECK(std::find(merged.sectors.begin(), merged.sectors.end(), "Executive Office") !=
        merged.sectors.end());
  uint64_t events = 0;
  REQUIRE(store
              ->ScanAdjacency(kim, storage::Direction::kOut, {},
                              [&](const storage::AdjEntry&) {
                                ++events;
                                return true;
                              })
              .ok());
  uint64_t rows_with_kim = 0;
  for (const auto& r : ReadTsv(kIcews, 1)) {
    rows_with_kim +=
        (NormalizeName(r[kSrc]) == "kim jong un") + (NormalizeName(r[kTgt]) == "kim jong un");
  }
  CHECK(events == rows_with_kim);
}

}  // namespace geokg::test

namespace geokg::test {

TEST_CASE("ICEWS import: a re-imported event whose actor changed moves its role edges", "[io]") {
  // The same event (id and date) first with its own source actor, then with another one: the
  // event's participants and the actors' `out` entries follow, nothing of the old role is left.
  auto rows = ReadTsv(kIcews, 1);
  std::vector<std::string> row = rows[0];
  auto line = [](const std::vector<std::string>& r) {
    std::string s;
    for (size_t i = 0; i < r.size(); ++i) s += (i ? "\t" : "") + r[i];
    return s + "\n";
  };
  TempDir dir;
  WriteFile(dir.path() + "/a.tab", HeaderLine() + line(row));
  const std::string old_source = row[kSrc];
  row[kSrc] = "Someone Else Entirely";
  WriteFile(dir.path() + "/b.tab", HeaderLine() + line(row));
  auto store = OpenNewStore(dir.path() + "/db");
  REQUIRE(RunImport(store.get(), {dir.path() + "/a.tab"}).result.ok());
  ImportRun again = RunImport(store.get(), {dir.path() + "/b.tab"});
  REQUIRE(again.result.ok());
  CHECK(again.result->events_updated == 1);

  auto one = [&](std::string_view name) {
    auto ids = store->FindByName(name);
    REQUIRE(ids.ok());
    REQUIRE(ids->size() == 1);
    return ids->front();
  };
  const NodeId before = one(old_source), after = one(row[kSrc]), target = one(row[kTgt]);
  std::vector<NodeId> events;
  REQUIRE(store
              ->ScanNodes(NodeKind::kEvent,
                          [&](const Node& n) {
                            events.push_back(n.id);
                            return true;
                          })
              .ok());
  REQUIRE(events.size() == 1);
  std::vector<std::pair<EdgeType, NodeId>> in;
  REQUIRE(store
              ->ScanAdjacency(events[0], storage::Direction::kIn, {},
                              [&](const storage::AdjEntry& e) {
                                in.emplace_back(e.type, e.neighbor);
                                return true;
                              })
              .ok());
  CHECK(in == std::vector<std::pair<EdgeType, NodeId>>{{EdgeType::kInitiator, after},
                                                       {EdgeType::kTarget, target}});
  auto out_count = [&](NodeId actor) {
    int n = 0;
    REQUIRE(store
                ->ScanAdjacency(actor, storage::Direction::kOut, {},
                                [&](const storage::AdjEntry& e) {
                                  n += e.neighbor == events[0];
                                  return true;
                                })
                .ok());
    return n;
  };
  CHECK(out_count(before) == 0);
  CHECK(out_count(after) == 1);
  CHECK(out_count(target) == 1);
  auto stats = store->ComputeStats();
  REQUIRE(stats.ok());
  CHECK(stats->edges_by_type[static_cast<int>(EdgeType::kInitiator)] == 1);
}

}  // namespace geokg::test

namespace geokg::test {
namespace {

// `text` written as `dir`/icews_300.tab, so that its events have the fixture's provenance.
std::string WriteAsFixture(const std::string& dir, const std::string& text) {
  std::filesystem::create_directories(dir);
  WriteFile(dir + "/icews_300.tab", text);
  return dir + "/icews_300.tab";
}

// Imports `text`, written as the fixture (WriteAsFixture) under `dir`, into a new store there,
// after checking that it is detected as ICEWS; the import must succeed with no diagnostic.
std::unique_ptr<storage::Store> ImportVariant(const std::string& dir, const std::string& text) {
  const std::string path = WriteAsFixture(dir + "/v", text);
  auto format = io::DetectFormat(path);
  REQUIRE(format.ok());
  CHECK(*format == io::ImportFormat::kIcews);
  auto store = OpenNewStore(dir + "/db");
  ImportRun run = RunImport(store.get(), {path});
  INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics.empty());
  return store;
}

std::string Body() {
  std::string all = ReadFile(kIcews);
  return all.substr(all.find('\n') + 1);
}

}  // namespace

TEST_CASE("ICEWS import: header names match whatever their case, spacing or quotes", "[io]") {
  TempDir dir;
  auto plain = OpenNewStore(dir.path() + "/plain");
  REQUIRE(RunImport(plain.get(), {kIcews}).result.ok());
  const RawDump expected = DumpRaw(*plain);
  std::string header = HeaderLine();
  header.pop_back();  // '\n'
  std::vector<std::string> names;
  for (size_t start = 0;;) {
    size_t tab = header.find('\t', start);
    names.push_back(header.substr(start, tab == std::string::npos ? tab : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  auto join = [&](const std::function<std::string(std::string)>& fn) {
    std::string s;
    for (size_t i = 0; i < names.size(); ++i) s += (i ? "\t" : "") + fn(names[i]);
    return s + "\n";
  };
  std::string variant;
  SECTION("lower case") {
    variant = join([](std::string n) {
      for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return n;
    });
  }
  SECTION("upper case with trailing spaces") {
    variant = join([](std::string n) {
      for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return n + "  ";
    });
  }
  SECTION("quoted") {
    variant = join([](std::string n) { return "\"" + n + "\""; });
  }
  SECTION("snake_case") {
    variant = join([](std::string n) {
      for (char& c : n) {
        c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      return n;
    });
  }
  INFO(variant);
  auto store = ImportVariant(dir.path(), variant + Body());
  CHECK(DumpRaw(*store) == expected);
}

TEST_CASE("ICEWS import: a header missing a column or naming one twice is reported at it", "[io]") {
  TempDir dir;
  std::string header = HeaderLine();
  const size_t code_at = header.find("CAMEO Code") + 1;
  const size_t target_at = header.find("Target Name") + 1;
  std::string path, expected;
  SECTION("a misspelt column") {
    header.replace(code_at - 1, 10, "CAMEO Kode");
    path = dir.path() + "/misspelt.tab";
    expected = path + ":1:" + std::to_string(code_at) +
               ": field '(header)': not an ICEWS header: missing column(s) 'CAMEO Code'; not "
               "ICEWS column(s): 'CAMEO Kode' (column " +
               std::to_string(code_at) + ")";
  }
  SECTION("a column named twice") {
    header.replace(target_at - 1, 11, "Source Name");
    path = dir.path() + "/twice.tab";
    expected = path + ":1:" + std::to_string(target_at) +
               ": field '(header)': not an ICEWS header: missing column(s) 'Target Name'; column "
               "'Source Name' is named twice (at columns 21 and " +
               std::to_string(target_at) + ")";
  }
  WriteFile(path, header + Body());
  auto format = io::DetectFormat(path);  // close enough to an ICEWS header to say what is wrong
  REQUIRE(format.ok());
  CHECK(*format == io::ImportFormat::kIcews);
  auto store = OpenNewStore(dir.path() + "/db");
  const RawDump empty = DumpRaw(*store);
  ImportRun run = RunImport(store.get(), {path});
  REQUIRE_FALSE(run.result.ok());
  REQUIRE(run.diagnostics.size() == 1);
  CHECK(run.diagnostics.front().substr(0, expected.size()) == expected);
  CHECK(DumpRaw(*store) == empty);
}

TEST_CASE("ICEWS import: blank lines and line endings do not make rows", "[io]") {
  TempDir dir;
  auto plain = OpenNewStore(dir.path() + "/plain");
  REQUIRE(RunImport(plain.get(), {kIcews}).result.ok());
  std::string text = ReadFile(kIcews);
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  SECTION("CRLF, with a line of spaces and an empty line at the end") {
    text = crlf + "   \r\n\r\n";
  }
  SECTION("a line of tabs in the middle, no newline at the end") {
    size_t mid = text.find('\n', text.size() / 2) + 1;
    text = text.substr(0, mid) + "\t\t \t\n" + text.substr(mid, text.size() - mid - 1);
  }
  SECTION("blank lines before the header") { text = "\n  \n" + text; }
  const std::string path = WriteAsFixture(dir.path() + "/v", text);
  auto store = OpenNewStore(dir.path() + "/db");
  ImportRun run = RunImport(store.get(), {path});
  INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics.empty());
  CHECK(run.result->rows == 300);
  auto a = DumpRaw(*store), b = DumpRaw(*plain);
  // Row numbers in provenance follow the file's lines, so compare everything but the nodes.
  a.erase("nodes");
  b.erase("nodes");
  CHECK(a == b);
  CHECK(CountKind(*store, NodeKind::kEvent) == 300);
}

TEST_CASE("ICEWS import: a file without its header is read in the Dataverse column order", "[io]") {
  // `split -l` leaves the header in the first part only.
  TempDir dir;
  std::string body = Body();
  size_t mid = body.find('\n', body.size() / 2) + 1;
  WriteFile(dir.path() + "/part-aa", HeaderLine() + body.substr(0, mid));
  WriteFile(dir.path() + "/part-ab", body.substr(mid));
  auto format = io::DetectFormat(dir.path() + "/part-ab");
  REQUIRE(format.ok());
  CHECK(*format == io::ImportFormat::kIcews);

  auto store = OpenNewStore(dir.path() + "/db");
  ImportRun run = RunImport(store.get(), {dir.path() + "/part-aa", dir.path() + "/part-ab"});
  INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics.empty());
  CHECK(run.result->rows == 300);
  auto rows = ReadTsv(kIcews, 1);
  CHECK(CountKind(*store, NodeKind::kEvent) == 300);
  CHECK(CountKind(*store, NodeKind::kActor) == DistinctActors(rows).size());
  // The first line of the second part is a row, at line 1.
  auto second = ReadTsv(dir.path() + "/part-ab");
  auto id = store->LookupKey("event:icews:" + second[0][kId] + "@" + second[0][kDate]);
  REQUIRE(id.ok());
  REQUIRE(id->has_value());
  auto node = store->GetNode(**id);
  REQUIRE(node.ok());
  CHECK((*node)->provenance.front().row == 1);
  CHECK((*node)->provenance.front().file == "part-ab");
}

namespace {

// The fixture's rows as `edit` leaves them (header included, fields split at tabs).
std::string EditedFixture(
    const std::function<void(std::vector<std::string>* fields, bool header)>& edit) {
  std::string text = ReadFile(kIcews), out;
  size_t start = 0;
  for (bool header = true; start < text.size(); header = false) {
    size_t end = text.find('\n', start);
    std::vector<std::string> fields;
    for (std::string_view line(text.data() + start, end - start);;) {
      size_t tab = line.find('\t');
      fields.emplace_back(line.substr(0, tab));
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
    }
    edit(&fields, header);
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "\t" : "") + fields[i];
    out += '\n';
    start = end + 1;
  }
  return out;
}

// "2018-06-01" as the republished 2017 file writes it: "6/1/2018".
std::string UsDate(const std::string& iso) {
  return std::to_string(std::stoi(iso.substr(5, 2))) + "/" +
         std::to_string(std::stoi(iso.substr(8, 2))) + "/" + iso.substr(0, 4);
}

}  // namespace

TEST_CASE("ICEWS import: the 2017 file's M/D/YYYY dates and missing CAMEO Code column", "[io]") {
  // The Dataverse republished 2017 as Events.2017.20200602.tab with dates like "12/1/2017", and
  // later without its CAMEO Code column: the same events, so the same store.
  TempDir dir;
  auto plain = OpenNewStore(dir.path() + "/plain");
  REQUIRE(RunImport(plain.get(), {kIcews}).result.ok());
  std::string text;
  SECTION("M/D/YYYY dates") {
    text = EditedFixture([](std::vector<std::string>* f, bool header) {
      if (!header) (*f)[kDate] = UsDate((*f)[kDate]);
    });
    REQUIRE(text.find("\t6/1/2018\t") != std::string::npos);
  }
  SECTION("no CAMEO Code column: the code the Event Text names") {
    text = EditedFixture([](std::vector<std::string>* f, bool) { f->erase(f->begin() + kCode); });
    REQUIRE(text.find("CAMEO Code") == std::string::npos);
  }
  SECTION("as the 2020 file writes them: quoted fields, NULL, M/D/YYYY, no CAMEO Code") {
    // Events.2017.20201006.tab (andybega/icews#73, #75, #78): fields that hold a comma are
    // quoted, some others too, and missing values are "NULL".
    text = EditedFixture([](std::vector<std::string>* f, bool header) {
      f->erase(f->begin() + kCode);
      if (header) return;
      (*f)[kDate] = UsDate((*f)[kDate]);
      for (size_t i = 0; i < f->size(); ++i) {
        std::string& v = (*f)[i];
        if (v == "NA") {
          v = "NULL";
        } else if (v.find(',') != std::string::npos || i == kCode - 1) {  // and Event Text
          v = "\"" + v + "\"";
        }
      }
    });
    REQUIRE(text.find("\t\"Arrest, detain, or charge with legal action\"\t") != std::string::npos);
    REQUIRE(text.find("\tNULL\t") != std::string::npos);
  }
  SECTION("both, without the header (a split part)") {
    text = EditedFixture([](std::vector<std::string>* f, bool header) {
      if (!header) (*f)[kDate] = UsDate((*f)[kDate]);
    });
    text.erase(0, text.find('\n') + 1);
  }
  auto store = ImportVariant(dir.path(), text);
  auto a = DumpRaw(*store), b = DumpRaw(*plain);
  if (text.find("Event ID") == std::string::npos) {  // one line less: provenance rows differ
    a.erase("nodes");
    b.erase("nodes");
    CHECK(CountKind(*store, NodeKind::kEvent) == 300);
  }
  CHECK(a == b);
  // Identity is the ISO day, whatever the file wrote: the standard file adds nothing.
  ImportRun again = RunImport(store.get(), {kIcews});
  REQUIRE(again.result.ok());
  CHECK(again.result->events_added == 0);
}

TEST_CASE("ICEWS import: M/D/YYYY dates and codes named by Event Text are checked", "[io]") {
  TempDir dir;
  auto rows = ReadTsv(kIcews, 1);
  std::vector<std::string> header = ReadTsv(kIcews).front();
  auto join = [](std::vector<std::string> f, bool drop_code) {
    if (drop_code) f.erase(f.begin() + kCode);
    std::string s;
    for (size_t i = 0; i < f.size(); ++i) s += (i ? "\t" : "") + f[i];
    return s + "\n";
  };
  auto store = OpenNewStore(dir.path() + "/db");
  const RawDump empty = DumpRaw(*store);
  std::string path;
  std::vector<std::string> expected;
  SECTION("dates") {
    std::string text = join(header, false) + join(rows[0], false);  // line 2: good
    for (const char* date : {"2/30/2017", "13/1/2017", "June 1", "6/1/18", "2018-06-01T10:00"}) {
      auto bad = rows[1];
      bad[kDate] = date;
      text += join(bad, false);
    }
    path = dir.path() + "/dates.tab";
    WriteFile(path, text);
    const std::string at = path + ":";
    const std::string col =
        ":" + std::to_string(rows[1][kId].size() + 2) + ": field 'Event Date': ";
    expected = {at + "3" + col + "\"2/30/2017\" (M/D/YYYY): day 30 does not exist in February 2017",
                at + "4" + col + "\"13/1/2017\" (M/D/YYYY): month 13",
                at + "5" + col + "\"June 1\" is not a day (YYYY-MM-DD, or M/D/YYYY)",
                at + "6" + col + "\"6/1/18\" is not a day (YYYY-MM-DD, or M/D/YYYY)",
                at + "7" + col + "\"2018-06-01T10:00\" is not a day (YYYY-MM-DD, or M/D/YYYY)"};
  }
  SECTION("a code that is not one says which one its Event Text names") {
    auto bad = rows[0];
    bad[kCode] = "13y";
    bad[kCode - 1] = "Threaten with repression";
    path = dir.path() + "/code.tab";
    WriteFile(path, join(header, false) + join(bad, false));
    expected = {path + ":2:",
                "field 'CAMEO Code': \"13y\" is not a CAMEO event code (its Event Text names 137)"};
  }
  SECTION("without a CAMEO Code column, an Event Text that names no code") {
    auto bad = rows[0];
    bad[kCode - 1] = "Threaten with nonsense";
    path = dir.path() + "/text.tab";
    WriteFile(path, join(header, true) + join(rows[1], true) + join(bad, true));
    expected = {path + ":3:",
                "field 'Event Text': \"Threaten with nonsense\" is not a CAMEO event name (the "
                "file has no CAMEO Code column"};
  }
  SECTION("without CAMEO Code and Event Text columns") {
    path = dir.path() + "/neither.tab";
    std::string text;
    for (std::vector<std::string> f : {header, rows[0]}) {
      f.erase(f.begin() + kCode - 1, f.begin() + kCode + 1);  // Event Text, CAMEO Code
      text += join(f, false);
    }
    WriteFile(path, text);
    expected = {path +
                ":1:1: field '(header)': not an ICEWS header: missing column(s) 'Event "
                "Text', 'CAMEO Code'"};
  }
  ImportRun run = RunImport(store.get(), {path});
  REQUIRE_FALSE(run.result.ok());
  for (const std::string& e : expected) {
    INFO(e);
    CHECK(Contains(run.diagnostics, e));
  }
  CHECK(DumpRaw(*store) == empty);
}

}  // namespace geokg::test

namespace geokg::test {

TEST_CASE("ICEWS import: quoted fields are read the RFC 4180 way, other quotes as written",
          "[io]") {
  TempDir dir;
  auto rows = ReadTsv(kIcews, 1);
  std::vector<std::string> header = ReadTsv(kIcews).front();
  auto join = [](const std::vector<std::string>& f) {
    std::string s;
    for (size_t i = 0; i < f.size(); ++i) s += (i ? "\t" : "") + f[i];
    return s + "\n";
  };
  auto row = rows[0];
  row[kSrc] = "\"Red \"\"Shirts\"\" (Thailand)\"";  // quoted, with an escaped quote
  row[kTgt] = "\"Yellow Shirts\" (Thailand)";       // starts with a quote, not quoted
  row[13] = "\"Agence\tFrance\"";                   // Publisher: a tab inside quotes
  row[14] = "\"Bangkok";                            // City: a quote never closed
  const std::string path = dir.path() + "/quotes.tab";
  WriteFile(path, join(header) + join(row));
  auto store = OpenNewStore(dir.path() + "/db");
  ImportRun run = RunImport(store.get(), {path});
  INFO((run.diagnostics.empty() ? std::string() : run.diagnostics.front()));
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics.empty());
  auto id = store->LookupKey("event:icews:" + row[kId] + "@" + row[kDate]);
  REQUIRE(id.ok());
  REQUIRE(id->has_value());
  auto node = store->GetNode(**id);
  REQUIRE(node.ok());
  REQUIRE(node->has_value());
  const Event& ev = std::get<Event>((*node)->body);
  CHECK((*node)->provenance.front().publisher == "Agence\tFrance");
  CHECK(ev.location.place_name == "\"Bangkok");
  std::vector<std::string> names;
  for (const Participant& p : ev.participants) {
    auto actor = store->GetNode(p.actor);
    REQUIRE(actor.ok());
    REQUIRE(actor->has_value());
    names.push_back(std::get<Actor>((*actor)->body).name);
  }
  std::sort(names.begin(), names.end());
  CHECK(names ==
        std::vector<std::string>{"\"Yellow Shirts\" (Thailand)", "Red \"Shirts\" (Thailand)"});
}

}  // namespace geokg::test
