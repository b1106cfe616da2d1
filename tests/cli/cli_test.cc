// End-to-end tests of the geokg binary (GEOKG_BINARY): exit codes, stderr messages, JSON output
// that parses, and the store path rules (--db, GEOKG_DB, ./geokg.db).
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "codec/value_codec.h"
#include "storage/store.h"
#include "tests/test_util.h"

namespace geokg::cli {
namespace {

using nlohmann::json;

const std::string kExample =
    std::string(GEOKG_SOURCE_DIR) + "/data/examples/kim-putin-summit.jsonl";

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

struct Run {
  int code = -1;
  std::string out, err;
};

// Runs geokg with `args` (already quoted) in directory `cwd`, with `env` prefixed.
Run Geokg(const std::string& args, const std::string& cwd = ".", const std::string& env = "") {
  Run r;
  r.code = test::RunCommand(
      "cd " + Quote(cwd) + " && env -u GEOKG_DB " + env + " " + Quote(GEOKG_BINARY) + " " + args,
      &r.out, &r.err);
  return r;
}

// Record counts by "type" of a curated JSON Lines file, read independently of the loader.
std::map<std::string, int> CountRecordTypes(const std::string& path) {
  std::map<std::string, int> counts;
  std::istringstream in(test::ReadFile(path));
  std::string line;
  while (std::getline(in, line)) {
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    ++counts[json::parse(line).at("type").get<std::string>()];
  }
  return counts;
}

json ParseJson(const Run& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  json j;
  REQUIRE_NOTHROW(j = json::parse(r.out));
  return j;
}

// A temp dir with the example dataset loaded into <dir>/db.
struct LoadedStore {
  test::TempDir dir;
  std::string db = dir.path() + "/db";
  LoadedStore() {
    Run r = cli::Geokg("--db " + Quote(db) + " load " + Quote(kExample));
    INFO(r.err);
    REQUIRE(r.code == 0);
  }
  Run Geokg(const std::string& args) const {
    return cli::Geokg("--db " + Quote(db) + " " + args, dir.path());
  }
};

TEST_CASE("CLI: load reports what changed, and a second load changes nothing", "[cli]") {
  test::TempDir dir;
  const std::string db = dir.path() + "/db";
  Run first = Geokg("--db " + Quote(db) + " load " + Quote(kExample));
  INFO(first.err);
  REQUIRE(first.code == 0);
  CHECK(first.out.find("loaded") != std::string::npos);
  CHECK(first.out.find("added") != std::string::npos);
  Run again = Geokg("--db " + Quote(db) + " --format json load " + Quote(kExample));
  REQUIRE(again.code == 0);
  json j = ParseJson(again);
  CHECK(j["ok"] == true);
  CHECK(j["nodes"]["added"] == 0);
  CHECK(j["nodes"]["updated"] == 0);
  CHECK(j["edges"]["added"] == 0);
  CHECK(j["nodes"]["unchanged"].get<int>() > 0);
}

TEST_CASE("CLI: a rejected load into a new store path creates no store", "[cli]") {
  test::TempDir dir;
  const std::string db = dir.path() + "/db";
  const std::string bad = dir.path() + "/bad.jsonl";
  test::WriteFile(
      bad, "{\"type\": \"actor\", \"key\": \"actor:x\", \"name\": \"X\", \"kind\": \"persn\"}\n");
  Run rejected = Geokg("--db " + Quote(db) + " load " + Quote(bad));
  CHECK(rejected.code == 2);
  CHECK(rejected.err.find("bad.jsonl:1:") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(db));
  Run ok = Geokg("--db " + Quote(db) + " load " + Quote(kExample));
  INFO(ok.err);
  CHECK(ok.code == 0);
  CHECK(std::filesystem::exists(db + "/CURRENT"));
}

TEST_CASE("CLI: a failed import into a new store path leaves no store", "[cli]") {
  test::TempDir dir;
  const std::string bad = dir.path() + "/bad.tsv";
  test::WriteFile(bad, "not\tan\tevent\n");
  for (bool dir_exists : {false, true}) {
    INFO((dir_exists ? "into an empty directory" : "into a new path"));
    const std::string db = dir.path() + (dir_exists ? "/empty" : "/db");
    if (dir_exists) std::filesystem::create_directories(db);
    Run failed = Geokg("--db " + Quote(db) + " import --format gdelt1 " + Quote(bad));
    CHECK(failed.code == 2);
    CHECK(failed.err.find("bad.tsv:1:") != std::string::npos);
    CHECK(std::filesystem::exists(db) == dir_exists);
    if (dir_exists) CHECK(std::filesystem::is_empty(db));
  }
  // A store that was there stays, unchanged.
  const std::string db = dir.path() + "/kept";
  REQUIRE(Geokg("--db " + Quote(db) + " load " + Quote(kExample)).code == 0);
  Run failed = Geokg("--db " + Quote(db) + " import --format gdelt1 " + Quote(bad));
  CHECK(failed.code == 2);
  CHECK(std::filesystem::exists(db + "/CURRENT"));
  CHECK(Geokg("--db " + Quote(db) + " stats").code == 0);
}

TEST_CASE("CLI: input quoted in messages reaches the terminal without control bytes", "[cli]") {
  // A field holding an escape sequence and a carriage return: the diagnostic must not let the
  // terminal act on them (colour, cursor moves, overwriting the line).
  test::TempDir dir;
  const std::string set = dir.path() + "/ICEWS18";
  std::filesystem::create_directories(set);
  const std::string bad = set + "/train.txt";
  test::WriteFile(bad, "1\t12\x1b[31mRE\rD\t1\t4\t0\n");
  test::WriteFile(set + "/entity2id.txt", "A\t0\nB\t1\n");
  test::WriteFile(set + "/relation2id.txt", "Make statement\t0\n");
  Run r = Geokg("--db " + Quote(dir.path() + "/db") + " import --format tkg " + Quote(bad));
  CHECK(r.code == 2);
  INFO(r.err);
  CHECK(r.err.find("\"12\\x1b[31mRE\\rD\" is not") != std::string::npos);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(r.err.find('\r') == std::string::npos);
}

TEST_CASE("CLI: load --dry-run validates without writing or creating a store", "[cli]") {
  test::TempDir dir;
  const std::string db = dir.path() + "/db";
  Run dry = Geokg("--db " + Quote(db) + " load --dry-run " + Quote(kExample));
  INFO(dry.err);
  CHECK(dry.code == 0);
  CHECK(dry.out.find("dry run") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(db));
  const std::string bad = dir.path() + "/bad.jsonl";
  test::WriteFile(
      bad, "{\"type\": \"actor\", \"key\": \"actor:x\", \"name\": \"X\", \"kind\": \"persn\"}\n");
  Run rejected = Geokg("--db " + Quote(db) + " --format json load --dry-run " + Quote(bad));
  CHECK(rejected.code == 2);
  json j = ParseJson(rejected);
  CHECK(j["ok"] == false);
  REQUIRE(j["errors"].size() == 1);
  CHECK(j["errors"][0]["line"] == 1);
  CHECK(j["errors"][0]["field"] == "kind");
  CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("CLI: actor --format json shows the planned summit with Putin, with its source",
          "[cli]") {
  LoadedStore s;
  for (const char* spelling : {"kim jong un", "Kim Jong-Un", "KIM JONG-UN", "actor:kim-jong-un"}) {
    INFO(spelling);
    Run r = s.Geokg("actor --format json " + Quote(spelling));
    INFO(r.err);
    REQUIRE(r.code == 0);
    json j = ParseJson(r);
    CHECK(j["key"] == "actor:kim-jong-un");
    CHECK(j["actor"]["name"] == "Kim Jong Un");
    bool planned_with_putin = false;
    for (const auto& g : j["event_groups"]) {
      for (const auto& e : g["events"]) {
        CHECK(e["code"] == g["code"]);
        for (const auto& p : e["participants"]) {
          if (p["key"] == "actor:vladimir-putin" && e["status"] == "planned") {
            planned_with_putin = true;
            CHECK_FALSE(e["sources"].empty());
            CHECK(e["sources"][0]["title"] ==
                  "Kim Jong Un en Russie : Rencontre imminente avec Poutine");
          }
        }
      }
    }
    CHECK(planned_with_putin);
  }
  // The global option may also come first, and the name may be several words.
  Run words = s.Geokg("--format json actor kim jong un");
  REQUIRE(words.code == 0);
  CHECK(ParseJson(words)["key"] == "actor:kim-jong-un");
  // The table form names the sections.
  Run table = s.Geokg("actor 'Kim Jong Un'");
  REQUIRE(table.code == 0);
  CHECK(table.out.find("Kim Jong Un") == 0);
  CHECK(table.out.find("Relations (") != std::string::npos);
  CHECK(table.out.find("Events (") != std::string::npos);
  CHECK(table.out.find("planned") != std::string::npos);
}

TEST_CASE("CLI: an unknown actor exits 3 and suggests the close match", "[cli]") {
  LoadedStore s;
  Run r = s.Geokg("actor 'vladimir putn'");
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "geokg: error: no actor named \"vladimir putn\"; did you mean \"Vladimir Putin\"?\n");
}

TEST_CASE("CLI: events filters and JSON output", "[cli]") {
  LoadedStore s;
  Run all = s.Geokg("--format json events --limit 0");
  REQUIRE(all.code == 0);
  json j = ParseJson(all);
  CHECK(j["count"] == CountRecordTypes(kExample)["event"]);
  CHECK(j["truncated"] == false);

  Run spec = s.Geokg("--format json events --actor 'vladimir putin' --status speculated");
  REQUIRE(spec.code == 0);
  json sj = ParseJson(spec);
  CHECK(sj["index"] == "actor role adjacency");
  REQUIRE(sj["count"].get<int>() >= 1);
  for (const auto& e : sj["events"]) {
    CHECK(e["status"] == "speculated");
    bool has_putin = false;
    for (const auto& p : e["participants"]) has_putin |= p["key"] == "actor:vladimir-putin";
    CHECK(has_putin);
  }

  Run limited = s.Geokg("--format json events --limit 2");
  REQUIRE(limited.code == 0);
  json lj = ParseJson(limited);
  CHECK(lj["count"] == 2);
  CHECK(lj["truncated"] == true);

  Run code = s.Geokg("--format json events --code 04");
  REQUIRE(code.code == 0);
  const json code_json = ParseJson(code);
  for (const auto& e : code_json.at("events")) {
    CHECK(e["code"].get<std::string>().rfind("04", 0) == 0);
  }
  Run table = s.Geokg("events");
  REQUIRE(table.code == 0);
  CHECK(table.out.rfind("DATE", 0) == 0);

  // A dyad: the events both actors take part in, recounted from the full listing.
  Run dyad =
      s.Geokg("--format json events --actor 'kim jong un' --actor 'Vladimir Putin' --limit 0");
  REQUIRE(dyad.code == 0);
  const json dj = ParseJson(dyad);
  CHECK(dj["index"] == "actor role adjacency of 2 actors, intersected");
  std::set<std::string> expected, got;
  for (const auto& e : j["events"]) {
    std::set<std::string> who;
    for (const auto& p : e["participants"]) who.insert(p["key"].get<std::string>());
    if (who.count("actor:kim-jong-un") && who.count("actor:vladimir-putin")) {
      expected.insert(e["key"].get<std::string>());
    }
  }
  for (const auto& e : dj["events"]) got.insert(e["key"].get<std::string>());
  CHECK(expected.size() >= 2);
  CHECK(got == expected);
  Run unknown = s.Geokg("events --actor 'kim jong un' --actor 'nobody at all'");
  CHECK(unknown.code == 3);
}

TEST_CASE("CLI: stats counts what the example file holds", "[cli]") {
  LoadedStore s;
  Run r = s.Geokg("--format json stats");
  REQUIRE(r.code == 0);
  json j = ParseJson(r);
  auto counts = CountRecordTypes(kExample);
  REQUIRE(counts["event"] > 0);
  for (const char* kind : {"actor", "event", "item", "source", "statement"}) {
    INFO(kind);
    CHECK(j["nodes"][kind] == counts[kind]);
  }
  CHECK(j["events"]["total"] == counts["event"]);
  int edges = 0;
  for (const auto& [type, n] : j["edges"].items()) edges += n.get<int>();
  CHECK(j["edges_total"] == edges);
  CHECK(j["store"]["format_version"] == storage::kFormatVersion);
  CHECK(j["store"]["path"] == s.db);
  Run table = s.Geokg("stats");
  REQUIRE(table.code == 0);
  CHECK(table.out.find("NODE KIND") != std::string::npos);
}

TEST_CASE("CLI: usage errors exit 1 with one line on stderr", "[cli]") {
  LoadedStore s;
  for (const char* args :
       {"frobnicate", "events --quad-class 9", "events --from 2023-02-30", "events --code 99",
        "events --status plannd", "actor", "--format xml stats", ""}) {
    INFO(args);
    Run r = s.Geokg(args);
    CHECK(r.code == 1);
    CHECK(r.err.rfind("geokg: error: ", 0) == 0);
  }
  Run date = s.Geokg("events --from 2023-02-30");
  CHECK(date.err.find("day 30 does not exist in February 2023") != std::string::npos);
}

TEST_CASE("CLI: a bad file is rejected with file:line:col diagnostics, exit 2, store unchanged",
          "[cli]") {
  LoadedStore s;
  const std::string bad = s.dir.path() + "/bad.jsonl";
  test::WriteFile(
      bad,
      "{\"type\": \"actor\", \"key\": \"actor:x\", \"name\": \"X\", \"kind\": \"person\"}\n"
      "{\"type\": \"actor\", \"key\": \"actor:y\", \"name\": \n");
  Run before = s.Geokg("--format json stats");
  Run r = s.Geokg("load " + Quote(bad));
  CHECK(r.code == 2);
  CHECK(r.err.find(bad + ":2:") != std::string::npos);
  CHECK(r.err.find("geokg: error: load rejected") != std::string::npos);
  Run after = s.Geokg("--format json stats");
  CHECK(ParseJson(after)["nodes"] == ParseJson(before)["nodes"]);
  CHECK(s.Geokg("actor actor:x").code == 3);

  Run missing = s.Geokg("load " + Quote(s.dir.path() + "/no-such-file.jsonl"));
  CHECK(missing.code == 2);
}

// A new store at `path` whose info claims format `version`, written by `creator`.
void MakeStoreOfVersion(const std::string& path, uint32_t version, const std::string& creator) {
  auto store = test::OpenNewStore(path);
  codec::StoreInfo info;
  info.format_version = version;
  info.created_by = creator;
  info.store_id = 42;
  REQUIRE(store->raw_db()
              ->Put(rocksdb::WriteOptions(), store->cf(storage::Cf::kMeta), "info",
                    codec::EncodeStoreInfo(info))
              .ok());
}

TEST_CASE("CLI: store errors exit 4", "[cli]") {
  test::TempDir dir;
  Run none = Geokg("--db " + Quote(dir.path() + "/nothing") + " stats");
  CHECK(none.code == 4);
  CHECK(none.err.find("geokg init") != std::string::npos);

  const std::string file = dir.path() + "/plain-file";
  test::WriteFile(file, "not a store");
  CHECK(Geokg("--db " + Quote(file) + " stats").code == 4);
  CHECK(Geokg("--db " + Quote(file) + " init").code == 4);

  // A store written by another format version: rewrite the stored format info (meta "info",
  // docs/storage.md) through the raw RocksDB handle.
  const std::string db = dir.path() + "/old";
  MakeStoreOfVersion(db, storage::kFormatVersion + 1, "geokg from the future");
  Run mismatch = Geokg("--db " + Quote(db) + " stats");
  CHECK(mismatch.code == 4);
  CHECK(mismatch.err.find("format version") != std::string::npos);
  CHECK(mismatch.err.rfind("geokg: error: ", 0) == 0);

  // A format-3 store (one event index key per event) is refused the same way, by every command.
  const std::string v3 = dir.path() + "/v3";
  MakeStoreOfVersion(v3, 3, "geokg 0.3");
  for (const char* command : {"stats", "events --limit 5", "init"}) {
    INFO(command);
    Run old = Geokg("--db " + Quote(v3) + " " + command);
    CHECK(old.code == 4);
    CHECK(old.err.find("format version 3,") != std::string::npos);
  }
}

TEST_CASE("CLI: a format-4 store is read as it is and upgraded when written to", "[cli]") {
  // Format 5 only adds compact facts to format 4: the commands that read leave a format-4 store
  // as it is; the first that writes upgrades it, and says so.
  test::TempDir dir;
  const std::string db = dir.path() + "/v4";
  MakeStoreOfVersion(db, 4, "geokg 0.4");
  // A load that fails, or that changes nothing, writes nothing: the format neither.
  const std::string bad = dir.path() + "/bad.jsonl";
  test::WriteFile(bad, "{\"type\": \"actor\"}\n");
  CHECK(Geokg("--db " + Quote(db) + " load " + Quote(bad)).code == 2);
  const std::string icews = std::string(GEOKG_TEST_DATA_DIR) + "/import/icews_300.tab";
  std::string rows = test::ReadFile(icews);
  rows = rows.substr(0, rows.find('\n', rows.find('\n') + 1) + 1);  // the header and one row
  const std::string bad_row = dir.path() + "/bad.tab";
  test::WriteFile(bad_row, rows.replace(rows.find("\t2018-06-01\t"), 12, "\t2018-06-31\t"));
  CHECK(Geokg("--db " + Quote(db) + " import " + Quote(bad_row)).code == 2);
  Run stats = Geokg("--db " + Quote(db) + " --format json stats");
  INFO(stats.err);
  REQUIRE(stats.code == 0);
  CHECK(json::parse(stats.out)["store"]["format_version"] == 4);
  CHECK(stats.err.find("upgraded") == std::string::npos);
  CHECK(Geokg("--db " + Quote(db) + " events --limit 5").code == 0);
  Run init = Geokg("--db " + Quote(db) + " init");
  CHECK(init.code == 0);
  CHECK(init.out.find("(format version 4)") != std::string::npos);

  const std::string set = std::string(GEOKG_TEST_DATA_DIR) + "/import/ICEWS18";
  Run imported = Geokg("--db " + Quote(db) + " import " + Quote(set));
  INFO(imported.err);
  REQUIRE(imported.code == 0);
  CHECK(imported.err.find("geokg: note: upgraded the store from format 4 to 5") !=
        std::string::npos);
  Run after = Geokg("--db " + Quote(db) + " --format json stats");
  REQUIRE(after.code == 0);
  CHECK(json::parse(after.out)["store"]["format_version"] == 5);
  CHECK(Geokg("--db " + Quote(db) + " events --limit 5").code == 0);
  Run again = Geokg("--db " + Quote(db) + " import " + Quote(set));
  CHECK(again.code == 0);
  CHECK(again.err.find("upgraded") == std::string::npos);
}

TEST_CASE("CLI: a damaged compact fact or fact table exits 4", "[cli]") {
  // An imported temporal-KG set stores its facts as compact values naming a fact table in `meta`
  // (docs/storage.md); the commands that read events refuse damage to either, exit 4.
  test::TempDir dir;
  const std::string db = dir.path() + "/db";
  const std::string set = std::string(GEOKG_TEST_DATA_DIR) + "/import/ICEWS18";
  Run imported = Geokg("--db " + Quote(db) + " import " + Quote(set));
  INFO(imported.err);
  REQUIRE(imported.code == 0);
  REQUIRE(Geokg("--db " + Quote(db) + " events --limit 5").code == 0);
  std::string table_key;
  {
    auto opened = storage::Store::Open(db, {});
    REQUIRE(opened.ok());
    storage::Store& store = **opened;
    std::unique_ptr<rocksdb::Iterator> it(
        store.raw_db()->NewIterator(rocksdb::ReadOptions(), store.cf(storage::Cf::kMeta)));
    for (it->Seek("fact-template:"); it->Valid() && it->key().starts_with("fact-template:");
         it->Next()) {
      table_key = it->key().ToString();
    }
    REQUIRE(!table_key.empty());
  }
  auto damage = [&](const std::function<void(rocksdb::DB*, storage::Store&)>& change) {
    auto opened = storage::Store::Open(db, {});
    REQUIRE(opened.ok());
    change((*opened)->raw_db(), **opened);
  };
  std::string table;
  damage([&](rocksdb::DB* raw, storage::Store& store) {
    REQUIRE(raw->Get({}, store.cf(storage::Cf::kMeta), table_key, &table).ok());
  });
  SECTION("the table missing") {
    damage([&](rocksdb::DB* raw, storage::Store& store) {
      REQUIRE(raw->Delete({}, store.cf(storage::Cf::kMeta), table_key).ok());
    });
  }
  SECTION("the table damaged") {
    damage([&](rocksdb::DB* raw, storage::Store& store) {
      std::string bad = table;
      bad[bad.size() / 2] ^= 0x11;
      REQUIRE(raw->Put({}, store.cf(storage::Cf::kMeta), table_key, bad).ok());
    });
  }
  SECTION("every fact's table id damaged") {
    damage([&](rocksdb::DB* raw, storage::Store& store) {
      std::unique_ptr<rocksdb::Iterator> it(
          raw->NewIterator(rocksdb::ReadOptions(), store.cf(storage::Cf::kNodes)));
      rocksdb::WriteBatch batch;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        std::string v = it->value().ToString();
        if (v.empty() || v[0] != '\x0F') continue;
        v[1] ^= 0x01;
        batch.Put(store.cf(storage::Cf::kNodes), it->key(), v);
      }
      REQUIRE(batch.Count() > 4000);
      REQUIRE(raw->Write({}, &batch).ok());
    });
  }
  for (const char* command : {"events --limit 5", "actor 'Donald Trump'", "ego 'Donald Trump'"}) {
    INFO(command);
    Run r = Geokg("--db " + Quote(db) + " " + command);
    INFO(r.err);
    CHECK(r.code == 4);
    CHECK(r.err.rfind("geokg: error: ", 0) == 0);
    CHECK(r.err.find("fact") != std::string::npos);
  }
}

TEST_CASE("CLI: the store path comes from --db, else GEOKG_DB, else ./geokg.db", "[cli]") {
  test::TempDir dir;
  Run init = Geokg("init", dir.path());
  REQUIRE(init.code == 0);
  CHECK(std::filesystem::exists(dir.path() + "/geokg.db/CURRENT"));
  Run again = Geokg("init", dir.path());
  CHECK(again.code == 0);
  CHECK(again.out.find("already a geokg store") != std::string::npos);

  const std::string env_db = dir.path() + "/from-env";
  Run env_load = Geokg("load " + Quote(kExample), dir.path(), "GEOKG_DB=" + Quote(env_db));
  REQUIRE(env_load.code == 0);
  Run env_stats = Geokg("--format json stats", dir.path(), "GEOKG_DB=" + Quote(env_db));
  REQUIRE(env_stats.code == 0);
  CHECK(ParseJson(env_stats)["store"]["path"] == env_db);
  CHECK(ParseJson(env_stats)["nodes"]["actor"] == CountRecordTypes(kExample)["actor"]);
  // --db wins over GEOKG_DB; the default store is still empty.
  Run db_wins = Geokg("--db geokg.db --format json stats", dir.path(), "GEOKG_DB=" + Quote(env_db));
  REQUIRE(db_wins.code == 0);
  CHECK(ParseJson(db_wins)["nodes"]["actor"] == 0);
}

TEST_CASE("CLI: --version and --help exit 0", "[cli]") {
  Run v = Geokg("--version");
  CHECK(v.code == 0);
  CHECK(v.out.rfind(std::string("geokg ") + GEOKG_VERSION, 0) == 0);
  Run h = Geokg("--help");
  CHECK(h.code == 0);
  CHECK(h.out.find("actor") != std::string::npos);
  CHECK(Geokg("events --help").code == 0);
}

}  // namespace
}  // namespace geokg::cli
