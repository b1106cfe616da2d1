// Temporal-KG import on an ICEWS18 slice (tests/data/import/ICEWS18: 4,595 facts from train,
// valid and test, incl. every Kim Jong-Un <-> Donald Trump fact), checked against recounts.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "codec/fact_codec.h"
#include "io/import.h"
#include "model/cameo.h"
#include "model/time_format.h"
#include "query/event_query.h"
#include "storage/store.h"
#include "tests/io/import_test_util.h"
#include "util/normalize.h"

namespace geokg::test {
namespace {

const std::string kSet = kImportData + "ICEWS18";

struct Fixture {
  std::map<long, std::string> entities, relations;
  std::vector<std::tuple<long, long, long, long>> facts;
};

long Num(const std::string& s) { return std::stol(s); }  // stol skips the padding spaces

Fixture ReadFixture(const std::string& set = kSet) {
  Fixture f;
  for (const auto& r : ReadTsv(set + "/entity2id.txt")) f.entities[Num(r[1])] = r[0];
  for (const auto& r : ReadTsv(set + "/relation2id.txt")) f.relations[Num(r[1])] = r[0];
  for (const char* split : {"/train.txt", "/valid.txt", "/test.txt"}) {
    for (const auto& r : ReadTsv(set + split)) {
      f.facts.emplace_back(Num(r[0]), Num(r[1]), Num(r[2]), Num(r[3]));
    }
  }
  return f;
}

// Imports the temporal-KG set in `set` and checks the store against counts recomputed here from
// the raw files: facts, distinct events, distinct actors, and the Kim Jong-Un <-> Donald Trump
// dyad (distinct facts with one as subject and the other as object, names normalized).
void CheckImportAgainstRecount(const std::string& set) {
  Fixture fx = ReadFixture(set);
  std::set<std::tuple<long, long, long, long>> distinct(fx.facts.begin(), fx.facts.end());
  std::set<std::string> actors;
  uint64_t dyad = 0;
  for (const auto& [s, r, o, t] : fx.facts) {
    actors.insert(NormalizeName(fx.entities.at(s)));
    actors.insert(NormalizeName(fx.entities.at(o)));
  }
  for (const auto& [s, r, o, t] : distinct) {
    // By normalized name, as the store resolves actors: ICEWS18 has both "Kim Jong-Un" (0) and
    // "Kim Jong Un" (2926), one person.
    std::set<std::string> pair = {NormalizeName(fx.entities.at(s)),
                                  NormalizeName(fx.entities.at(o))};
    if (pair == std::set<std::string>{"kim jong un", "donald trump"}) ++dyad;
  }
  REQUIRE(dyad > 0);
  std::map<std::string, uint64_t> by_root;  // distinct facts under each CAMEO root
  for (const auto& [s, r, o, t] : distinct) {
    const CameoEventCode* code = Codebook::Default().FindByName(fx.relations.at(r));
    REQUIRE(code != nullptr);
    ++by_root[code->root];
  }

  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  auto detected = io::DetectFormat(set);
  REQUIRE(detected.ok());
  CHECK(*detected == io::ImportFormat::kTkg);
  ImportRun run = RunImport(store.get(), {set});
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics.empty());
  CHECK(run.result->rows == fx.facts.size());
  CHECK(CountKind(*store, NodeKind::kEvent) == distinct.size());
  CHECK(CountKind(*store, NodeKind::kActor) == actors.size());

  CHECK(SharedEventCount(*store, "KIM JONG UN", "donald trump") == dyad);
  for (const auto& [root, n] : by_root) {
    INFO(root);
    CHECK(CountEventsUnder(*store, root) == n);
  }
  // The dyad as `geokg events --actor ... --actor ...` lists it.
  query::EventFilter filter;
  for (const char* name : {"Kim Jong-Un", "Donald Trump"}) {
    auto found = store->FindByName(name);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    filter.actors.push_back(found->front());
  }
  auto listed = query::QueryEvents(*store, filter);
  REQUIRE(listed.ok());
  CHECK(listed->events.size() == dyad);
}

}  // namespace

TEST_CASE("TKG import: facts, actors and the Kim Jong-Un/Trump dyad match a recount", "[io]") {
  CheckImportAgainstRecount(kSet);
}

TEST_CASE("TKG import: the full ICEWS18 set (468,558 facts) matches a recount", "[io][.slow]") {
  const std::string full = std::string(GEOKG_SOURCE_DIR) + "/../shared/data/ICEWS18";
  if (!std::filesystem::exists(full + "/train.txt")) {
    WARN("skipped: " << full << " is absent (it ships beside the repository, not in it)");
    return;
  }
  CheckImportAgainstRecount(full);
}

TEST_CASE("TKG import: relation names become CAMEO codes and hours become days", "[io]") {
  Fixture fx = ReadFixture();
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  REQUIRE(RunImport(store.get(), {kSet}).result.ok());
  // Every fact is findable under its content key with the code its relation name maps to.
  int checked = 0;
  for (size_t i = 0; i < fx.facts.size(); i += 97) {
    auto [s, r, o, t] = fx.facts[i];
    std::string key = "event:tkg:ICEWS18:" + std::to_string(s) + "-" + std::to_string(r) + "-" +
                      std::to_string(o) + "-" + std::to_string(t);
    auto id = store->LookupKey(key);
    REQUIRE(id.ok());
    REQUIRE(id->has_value());
    auto node = store->GetNode(**id);
    REQUIRE(node.ok());
    const auto& ev = std::get<Event>((*node)->body);
    const CameoEventCode* code = Codebook::Default().FindByName(fx.relations.at(r));
    REQUIRE(code != nullptr);
    CHECK(ev.cameo_code == code->code);
    CHECK(ev.time.start == TimeFromCivil(2018, 1, 1) + t * 3600);
    CHECK(ev.time.precision == TimePrecision::kDay);
    CHECK((*node)->provenance.front().dataset == "tkg:ICEWS18");
    ++checked;
  }
  CHECK(checked > 40);
  // "Make statement" is 010 in ICEWS's table.
  const CameoEventCode* statement = Codebook::Default().FindByName("Make statement");
  REQUIRE(statement != nullptr);
  CHECK(statement->code == "010");
}

TEST_CASE("TKG import: importing the set again adds nothing", "[io]") {
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  REQUIRE(RunImport(store.get(), {kSet}).result.ok());
  RawDump before = DumpRaw(*store);
  const uint64_t generation = store->generation();
  ImportRun again = RunImport(store.get(), {kSet + "/train.txt", kSet});
  REQUIRE(again.result.ok());
  CHECK(again.result->events_added == 0);
  CHECK(again.result->events_updated == 0);
  CHECK(DumpRaw(*store) == before);
  CHECK(store->generation() == generation);  // not even a fact table written
}

TEST_CASE("TKG import: importing one split again finds every fact unchanged", "[io]") {
  // The split alone has a fact table of its own (other files, fewer actors): its facts are stored
  // under the whole set's table, and must compare by what they mean, not by their bytes.
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  REQUIRE(RunImport(store.get(), {kSet}).result.ok());
  RawDump before = DumpRaw(*store);
  const uint64_t generation = store->generation();
  std::set<std::tuple<long, long, long, long>> distinct;
  for (const auto& r : ReadTsv(kSet + "/test.txt")) {
    distinct.emplace(Num(r[0]), Num(r[1]), Num(r[2]), Num(r[3]));
  }
  ImportRun again = RunImport(store.get(), {kSet + "/test.txt"});
  REQUIRE(again.result.ok());
  CHECK(again.result->events_added == 0);
  CHECK(again.result->events_updated == 0);
  CHECK(again.result->events_unchanged == distinct.size());
  CHECK(DumpRaw(*store) == before);
  CHECK(store->generation() == generation);
}

TEST_CASE("TKG import: facts kept as records give the store that encoding each event gives",
          "[io]") {
  // The writer keeps temporal-KG facts as records and writes them as compact facts naming their
  // set's table (ImportOptions::fact_records); the store must read exactly as the one written by
  // encoding every event as it is read: every node equal through the API, every other family
  // byte for byte. Two sets in one import (other clocks and data sets: the writer writes facts of
  // both, interleaved in key order), then a split of the first again (a third table); with a
  // small budget, the records are moved into the encoded buffers as they fill up and spill.
  io::ImportOptions options;
  SECTION("default budget") {}
  SECTION("a budget of 256 KiB") { options.memory_budget = size_t{256} << 10; }
  TempDir dir;
  // The fixture's files again as a set named GDELT: a clock of minutes, keys and a data set of
  // its own, the same actors.
  const std::string gdelt = dir.path() + "/GDELT";
  std::filesystem::create_directory(gdelt);
  for (const char* f : {"entity2id.txt", "relation2id.txt", "train.txt", "test.txt"}) {
    std::filesystem::copy_file(kSet + "/" + f, gdelt + "/" + f);
  }
  auto with = OpenNewStore(dir.path() + "/records");
  auto without = OpenNewStore(dir.path() + "/encoded");
  ImportRun a = RunImport(with.get(), {kSet, gdelt, kSet + "/valid.txt"}, options);
  options.fact_records = false;
  ImportRun b = RunImport(without.get(), {kSet, gdelt, kSet + "/valid.txt"}, options);
  REQUIRE(a.result.ok());
  REQUIRE(b.result.ok());
  CHECK(a.diagnostics == b.diagnostics);
  CHECK(a.result->events_added == b.result->events_added);
  CHECK(a.result->events_added > 4000);
  if (options.memory_budget < (size_t{1} << 20)) CHECK(a.result->bulk.spills > 2);
  CHECK(AllNodes(*with) == AllNodes(*without));
  RawDump raw_with = DumpRaw(*with), raw_without = DumpRaw(*without);
  size_t compact = 0, bytes_with = 0, bytes_without = 0;
  for (const auto& [k, v] : raw_with["nodes"]) {
    compact += codec::IsCompactFact(v);
    bytes_with += v.size();
  }
  for (const auto& [k, v] : raw_without["nodes"]) {
    CHECK(!codec::IsCompactFact(v));
    bytes_without += v.size();
  }
  CHECK(raw_with["nodes"].size() == raw_without["nodes"].size());
  CHECK(compact > 0);
  if (options.memory_budget >= (size_t{1} << 20)) {  // no fact was moved into the buffers
    CHECK(compact == a.result->events_added);
    CHECK(bytes_with * 4 < bytes_without);
  }
  raw_with.erase("nodes");
  raw_without.erase("nodes");
  CHECK(raw_with == raw_without);
}

TEST_CASE("TKG import: facts parsed on a second thread are committed in file order", "[io]") {
  // The importer parses batches of 4096 rows (tkg_importer.cc) on a worker while this thread
  // commits them, four batches in flight. Here: a split of five batches and more (the batches are
  // reused) and one of exactly one batch; bad rows (one with two errors) and blank lines at and
  // around the batch boundaries; quadruples repeated across batches and splits (the last row
  // wins: its line is the event's provenance); entities first named by a bad row and by a good
  // one only batches later (the good one gives their country code and, of two spellings of one
  // name, the actor's name). Checked against what the rows say, and against one thread alone.
  TempDir dir;
  const std::string set = dir.path() + "/ICEWS18";
  std::string entities = "Kim Jong-Un\t0\nKim Jong Un\t1\nChina\t2\n";
  for (int e = 3; e < 40; ++e) {
    entities += "Actor " + std::to_string(e) + "\t" + std::to_string(e) + "\n";
  }
  WriteTkgSet(set, entities, "Make statement\t0\nNot a CAMEO name\t1\n042\t2\n", "train.txt", "");
  std::vector<std::string> expected = {
      set +
      "/relation2id.txt: relation 1 \"Not a CAMEO name\" is neither a CAMEO event code nor a "
      "CAMEO event name"};
  std::map<std::string, std::pair<std::string, uint64_t>> last;  // event key -> file, line
  uint64_t rows = 0, skipped = 0;
  // Writes `n` rows to the split, row k made from k + `shift`.
  auto write_split = [&](const std::string& name, int n, int shift) {
    const std::string path = set + "/" + name;
    std::string text;
    uint64_t line = 0;
    for (int k = 0; k < n; ++k) {
      if (k % 1000 == 999 || k % 4096 == 4095) {
        text += k % 2 ? "\n" : " \t \n";  // blank: not a row
        ++line;
      }
      ++line;
      ++rows;
      const int i = k + shift;
      const std::string s = std::to_string(3 + (i * 7) % 37),
                        o = std::to_string(3 + (i * 11 + 5) % 37);
      const std::string r = i % 3 == 0 ? "2" : "0", t = std::to_string(24 * (i % 89));
      const std::string at = path + ":" + std::to_string(line) + ":";
      // Column of a field after `before`, all ASCII.
      auto col = [](const std::string& before) { return std::to_string(before.size() + 1); };
      std::string row;
      const size_t diagnostics = expected.size();
      if (k == 10) {  // names entities 2 and 1 first, and is bad
        row = "2\t0\t1\tx";
        expected.push_back(at + "7: field 'time': \"x\" is not a non-negative integer");
      } else if (k % 4096 <= 1 || k % 4096 >= 4094 || k % 501 == 0) {
        switch (k % 4) {
          case 0:
            row = s + "\t" + r + "\t99\t" + t;
            expected.push_back(at + col(s + "\t" + r + "\t") +
                               ": field 'object': id 99 is not in entity2id.txt");
            break;
          case 1:
            row = "-3\t" + r + "\t" + o + "\tx";
            expected.push_back(at + "1: field 'subject': \"-3\" is not a non-negative integer");
            expected.push_back(at + col("-3\t" + r + "\t" + o + "\t") +
                               ": field 'time': \"x\" is not a non-negative integer");
            break;
          case 2:
            row = s + "\t" + r + "\t" + o;
            expected.push_back(at +
                               "1: field '(columns)': the row has 3 tab-separated fields; "
                               "expected subject, relation, object, time[, 0]");
            break;
          default:
            row = s + "\t1\t" + o + "\t" + t + "\t0";
            expected.push_back(at + col(s + "\t") +
                               ": field 'relation': relation 1 has no CAMEO code");
        }
      } else {  // good; entity 1 then 2 named by a good row in the second batch, 0 in the third
        const std::string gs = k == 5000 ? "1" : k == 9000 ? "0" : s;
        const std::string gr = k == 9000 ? "2" : r;
        const std::string go = k == 5000 || k == 9000 ? "2" : o;
        row = gs + "\t" + gr + "\t" + go + "\t" + t + (k % 2 ? "\t0" : "");
        last["event:tkg:ICEWS18:" + gs + "-" + gr + "-" + go + "-" + t] = {name, line};
      }
      skipped += expected.size() > diagnostics;
      text += row + "\n";
    }
    WriteFile(path, text);
  };
  write_split("train.txt", 5 * 4096 + 700, 0);
  write_split("test.txt", 4096, 7);

  io::ImportOptions options;
  options.on_error = io::OnError::kSkip;
  std::vector<uint64_t> progress;
  options.on_progress = [&](const io::ImportProgress& p) {
    if (p.phase == io::ImportProgress::Phase::kReading) progress.push_back(p.rows);
  };
  auto store = OpenNewStore(dir.path() + "/two");
  ImportRun run = RunImport(store.get(), {set}, options);
  REQUIRE(run.result.ok());
  CHECK(run.diagnostics == expected);
  CHECK(run.result->rows == rows);
  CHECK(run.result->rows_skipped == skipped);
  CHECK(std::is_sorted(progress.begin(), progress.end()));
  REQUIRE(!progress.empty());
  CHECK(progress.back() == rows);
  CHECK(CountKind(*store, NodeKind::kEvent) == last.size());
  for (const auto& [key, at] : last) {
    INFO(key);
    auto id = store->LookupKey(key);
    REQUIRE(id.ok());
    REQUIRE(id->has_value());
    auto node = store->GetNode(**id);
    REQUIRE(node.ok());
    REQUIRE(node->has_value());
    CHECK((*node)->provenance.at(0).file == at.first);
    CHECK((*node)->provenance.at(0).row == at.second);
  }
  auto actor = [&](const std::string& name) {
    auto found = store->FindByName(name);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    auto node = store->GetNode(found->front());
    REQUIRE(node.ok());
    REQUIRE(node->has_value());
    return std::get<Actor>((*node)->body);
  };
  CHECK(actor("kim jong un").name == "Kim Jong Un");
  const Actor china = actor("China");
  CHECK(china.kind == ActorKind::kState);
  REQUIRE(Codebook::Default().CountryCodeForName("China").has_value());
  CHECK(china.country_cameo == *Codebook::Default().CountryCodeForName("China"));

  options.on_progress = nullptr;
  options.parse_thread = false;
  auto one = OpenNewStore(dir.path() + "/one");
  ImportRun alone = RunImport(one.get(), {set}, options);
  REQUIRE(alone.result.ok());
  CHECK(alone.diagnostics == expected);
  CHECK(DumpRaw(*one) == DumpRaw(*store));

  // With OnError::kFail: the same diagnostics, and nothing written.
  options.on_error = io::OnError::kFail;
  for (bool thread : {true, false}) {
    INFO("parse thread " << thread);
    options.parse_thread = thread;
    auto failed = OpenNewStore(dir.path() + "/fail-" + std::to_string(thread));
    ImportRun refused = RunImport(failed.get(), {set}, options);
    REQUIRE_FALSE(refused.result.ok());
    CHECK(refused.diagnostics == expected);
    CHECK(CountKind(*failed, NodeKind::kEvent) == 0);
  }
}

TEST_CASE("TKG import: a new actor whose key a stored node holds gets a suffixed key", "[io]") {
  // A stored actor keyed "actor:kim-jong-un" under another name (no "Kim Jong Un" in the name
  // index): the imported "Kim Jong-Un" is a new actor and must not overwrite it.
  TempDir dir;
  auto store = OpenNewStore(dir.path() + "/db");
  Actor chairman;
  chairman.name = "Chairman of the State Affairs Commission";
  const NodeId stored = PutStoredActor(*store, "actor:kim-jong-un", chairman);

  const std::string set = dir.path() + "/ICEWS18";
  WriteTkgSet(set, "Kim Jong-Un\t0\nDonald Trump\t1\n", "Make statement\t0\n", "train.txt",
              "0\t0\t1\t24\t0\n");
  ImportRun run = RunImport(store.get(), {set});
  REQUIRE(run.result.ok());
  CHECK(run.result->actors_created == 2);
  auto kept = store->GetNode(stored);
  REQUIRE(kept.ok());
  REQUIRE(kept->has_value());
  CHECK(std::get<Actor>((*kept)->body).name == chairman.name);
  auto suffixed = store->LookupKey("actor:kim-jong-un-2");
  REQUIRE(suffixed.ok());
  REQUIRE(suffixed->has_value());
  auto kim = store->GetNode(**suffixed);
  REQUIRE(kim.ok());
  CHECK(std::get<Actor>((*kim)->body).name == "Kim Jong-Un");
}

TEST_CASE("TKG import: bad quadruples and unknown sets are explained", "[io]") {
  TempDir dir;
  const std::string set = dir.path() + "/ICEWS18";
  std::filesystem::create_directories(set);
  WriteFile(set + "/entity2id.txt", "Kim Jong-Un\t0\nDonald Trump\t1\n");
  WriteFile(set + "/relation2id.txt", "Make statement\t0\nNot a CAMEO name\t1\n");
  WriteFile(set + "/train.txt",
            "0\t0\t1\t24\t0\n"  // good
            "0\t0\t7\t24\t0\n"  // unknown entity
            "0\t1\t1\t24\t0\n"  // relation without a code
            "0\t0\t1\tx\t0\n"   // bad time
            "0\t0\t1\n");       // too few fields
  auto store = OpenNewStore(dir.path() + "/db");
  io::ImportOptions options;
  options.on_error = io::OnError::kSkip;
  ImportRun run = RunImport(store.get(), {set}, options);
  REQUIRE(run.result.ok());
  CHECK(Contains(run.diagnostics, "relation 1 \"Not a CAMEO name\" is neither a CAMEO event code"));
  CHECK(Contains(run.diagnostics, "train.txt:2:5: field 'object': id 7 is not in entity2id.txt"));
  CHECK(Contains(run.diagnostics, "train.txt:3:3: field 'relation': relation 1 has no CAMEO code"));
  CHECK(Contains(run.diagnostics, "train.txt:4:7: field 'time': \"x\" is not a non-negative"));
  CHECK(Contains(run.diagnostics, "train.txt:5:1: field '(columns)': the row has 3"));
  CHECK(CountKind(*store, NodeKind::kEvent) == 1);

  const std::string other = dir.path() + "/MYSET";
  WriteTkgSet(other, "A\t0\n", "042\t0\n", "test.txt", "0\t0\t0\t3\n");
  ImportRun unknown = RunImport(store.get(), {other});
  REQUIRE_FALSE(unknown.result.ok());
  CHECK(unknown.result.status().message().find("--epoch") != std::string::npos);
  io::ImportOptions clock;
  clock.epoch = "2020-01-01";
  clock.time_unit = "day";
  ImportRun known = RunImport(store.get(), {other}, clock);
  REQUIRE(known.result.ok());
  auto id = store->LookupKey("event:tkg:MYSET:0-0-0-3");
  REQUIRE(id.ok());
  REQUIRE(id->has_value());
  auto node = store->GetNode(**id);
  REQUIRE(node.ok());
  CHECK(std::get<Event>((*node)->body).time.start == TimeFromCivil(2020, 1, 4));
  CHECK(std::get<Event>((*node)->body).cameo_code == "042");

  // One id far beyond the others would size the importer's tables by it (gigabytes): refused,
  // at the id, and nothing is written. Gaps of a few ids are fine.
  const std::string sparse = dir.path() + "/SPARSE";
  WriteTkgSet(sparse, "A\t0\nB\t5\nFoo\t99999999\n", "042\t0\n", "test.txt", "0\t0\t5\t3\n");
  const RawDump before = DumpRaw(*store);
  ImportRun huge = RunImport(store.get(), {sparse}, clock);
  REQUIRE_FALSE(huge.result.ok());
  CHECK(
      Contains(huge.diagnostics, "entity2id.txt:3:5: field 'id': id 99999999 is far beyond the 3"));
  CHECK(DumpRaw(*store) == before);
  WriteTkgSet(sparse, "Foo\t99999999\nA\t0\n", "042\t0\n", "test.txt", "1\t0\t1\t3\n");
  ImportRun first = RunImport(store.get(), {sparse}, clock);
  REQUIRE_FALSE(first.result.ok());
  CHECK(Contains(first.diagnostics, "entity2id.txt:1:5: field 'id': id 99999999 is far beyond"));
  WriteTkgSet(sparse, "A\t0\nB\t5\n", "042\t0\n", "test.txt", "0\t0\t5\t3\n");
  CHECK(RunImport(store.get(), {sparse}, clock).result.ok());
}

TEST_CASE("TKG import: a time too large for the clock is an error, whatever the epoch", "[io]") {
  TempDir dir;
  const std::string set = dir.path() + "/MYSET";
  const std::string max = std::to_string(kMaxTime);
  const std::string last = std::to_string((kMaxTime - 86399) / 86400);  // ends at kMaxTime
  WriteTkgSet(set, "A\t0\n", "042\t0\n", "test.txt",
              "0\t0\t0\t" + max + "\n0\t0\t0\t" + last + "\n0\t0\t0\t1\n");
  // Before 1970 the epoch is negative: the room above it is not larger than from 1970.
  for (const auto& [epoch, events] : std::vector<std::pair<std::string, uint64_t>>{
           {"0001-01-01", 2}, {"1960-01-01", 2}, {"1970-01-01", 2}, {"2018-01-01", 1}}) {
    INFO("epoch " << epoch);
    auto store = OpenNewStore(dir.path() + "/db-" + epoch);
    io::ImportOptions options;
    options.on_error = io::OnError::kSkip;
    options.epoch = epoch;
    options.time_unit = "day";
    ImportRun run = RunImport(store.get(), {set}, options);
    REQUIRE(run.result.ok());
    CHECK(Contains(run.diagnostics, "test.txt:1:7: field 'time': time " + max + " is too large"));
    CHECK(Contains(run.diagnostics, "test.txt:2:7: field 'time'") == (events == 1));
    CHECK(CountKind(*store, NodeKind::kEvent) == events);
  }
}

}  // namespace geokg::test
