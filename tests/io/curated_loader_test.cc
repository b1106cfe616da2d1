#include "io/curated_loader.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "model/time_format.h"
#include "model/vocab.h"
#include "tests/test_util.h"

namespace geokg::io {
namespace {

const std::string kCurated = std::string(GEOKG_TEST_DATA_DIR) + "/curated/";
const std::string kExample =
    std::string(GEOKG_SOURCE_DIR) + "/data/examples/kim-putin-summit.jsonl";

// Everything a store holds, read back through its public scans: nodes of every kind, both
// adjacency directions (with their 3-byte values) and every edge payload, plus the stats.
struct StoreDump {
  std::vector<Node> nodes;
  std::vector<std::tuple<NodeId, int, Time, NodeId, EdgeId, int, int, bool>> adjacency[2];
  std::vector<Edge> payloads;
  std::vector<uint64_t> stats;
  uint64_t generation = 0;
  bool operator==(const StoreDump&) const = default;
};

StoreDump Dump(const storage::Store& store) {
  StoreDump d;
  for (int k = 0; k < kNodeKindCount; ++k) {
    REQUIRE(store
                .ScanNodes(static_cast<NodeKind>(k),
                           [&](const Node& n) {
                             d.nodes.push_back(n);
                             return true;
                           })
                .ok());
  }
  for (int dir = 0; dir < 2; ++dir) {
    REQUIRE(store
                .ScanAllAdjacency(static_cast<storage::Direction>(dir),
                                  [&](const storage::AdjEntry& e) {
                                    d.adjacency[dir].emplace_back(e.node, static_cast<int>(e.type),
                                                                  e.time, e.neighbor, e.edge,
                                                                  static_cast<int>(e.status),
                                                                  e.confidence_pct, e.has_payload);
                                    if (dir == 0) {
                                      auto payload = store.GetEdgePayload(e.edge);
                                      REQUIRE(payload.ok());
                                      if (*payload) d.payloads.push_back(**payload);
                                    }
                                    return true;
                                  })
                .ok());
  }
  auto stats = store.ComputeStats();
  REQUIRE(stats.ok());
  for (uint64_t n : stats->nodes_by_kind) d.stats.push_back(n);
  for (uint64_t n : stats->edges_by_type) d.stats.push_back(n);
  d.stats.push_back(stats->names);
  d.generation = store.generation();
  return d;
}

LoadReport Load(storage::Store& store, const std::vector<std::string>& paths,
                bool dry_run = false) {
  LoadOptions options;
  options.dry_run = dry_run;
  auto report = LoadCuratedFiles(store, paths, options);
  REQUIRE(report.ok());
  return *report;
}

std::string Errors(const LoadReport& r) {
  std::string out;
  for (const auto& d : r.errors) out += d.ToString() + "\n";
  return out;
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// The expected 1-based column of `marker` in `line`, in characters (independent of the loader).
uint64_t ColumnOf(const std::string& line, const std::string& marker) {
  const size_t at = line.find(marker);
  REQUIRE(at != std::string::npos);
  uint64_t col = 1;
  for (size_t i = 0; i < at; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
  }
  return col;
}

// Expected node counts by kind and edge counts by type for a curated file, computed with
// nlohmann::json, a parser independent of the loader's.
struct Expected {
  uint64_t records = 0;
  std::map<std::string, uint64_t> nodes;  // by kind name
  std::map<std::string, uint64_t> edges;  // by edge type name
};

Expected ExpectedCounts(const std::string& path) {
  Expected x;
  for (const std::string& line : Lines(path)) {
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto j = nlohmann::json::parse(line);
    ++x.records;
    const std::string type = j.at("type");
    if (type == "relation") {
      ++x.edges[j.at("relation").get<std::string>()];
      continue;
    }
    ++x.nodes[type];
    if (type == "event") {
      for (const auto& r : j.value("roles", nlohmann::json::array())) ++x.edges[r.at("role")];
      for (const auto& r : j.value("items", nlohmann::json::array())) ++x.edges[r.at("relation")];
      for (const auto& r : j.value("links", nlohmann::json::array())) ++x.edges[r.at("relation")];
      x.edges["reported_in"] += j.value("sources", nlohmann::json::array()).size();
    } else if (type == "statement") {
      ++x.edges["speaker"];
      x.edges["statement_about"] += j.value("about", nlohmann::json::array()).size();
    }
  }
  return x;
}

std::vector<storage::AdjEntry> Adjacent(const storage::Store& store, NodeId node,
                                        storage::Direction dir, std::optional<EdgeType> type) {
  std::vector<storage::AdjEntry> out;
  storage::AdjQuery q;
  q.type = type;
  REQUIRE(store
              .ScanAdjacency(node, dir, q,
                             [&](const storage::AdjEntry& e) {
                               out.push_back(e);
                               return true;
                             })
              .ok());
  return out;
}

Node GetNode(const storage::Store& store, NodeKind kind, const std::string& key) {
  auto node = store.GetNode(MakeNodeId(kind, key));
  REQUIRE(node.ok());
  REQUIRE(node->has_value());
  return **node;
}

TEST_CASE("CuratedLoader: the example dataset loads with no errors and every record", "[io]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  const LoadReport report = Load(*store, {kExample});
  INFO(Errors(report));
  REQUIRE(report.ok());
  CHECK(report.written);
  CHECK(report.files == 1);

  const Expected expected = ExpectedCounts(kExample);
  auto stats = store->ComputeStats();
  REQUIRE(stats.ok());
  for (int k = 0; k < kNodeKindCount; ++k) {
    const std::string kind(NodeKindName(static_cast<NodeKind>(k)));
    const uint64_t want = expected.nodes.count(kind) ? expected.nodes.at(kind) : 0;
    INFO(kind);
    CHECK(stats->nodes_by_kind[k] == want);
  }
  for (const auto& info : AllEdgeTypes()) {
    const std::string name(info.name);
    const uint64_t want = expected.edges.count(name) ? expected.edges.at(name) : 0;
    INFO(name);
    CHECK(stats->edges_by_type[static_cast<int>(info.type)] == want);
  }
  CHECK(report.summary.nodes_added == stats->nodes());
  CHECK(report.summary.edges_added == stats->edges());
  CHECK(report.records == expected.records);

  // Every event as written: code, status and summary, and its roles with the role's status.
  for (const std::string& line : Lines(kExample)) {
    if (line.empty() || line[0] == '#') continue;
    const auto j = nlohmann::json::parse(line);
    if (j.at("type") != "event") continue;
    const std::string key = j.at("key");
    INFO(key);
    const Node node = GetNode(*store, NodeKind::kEvent, key);
    const Event& e = std::get<Event>(node.body);
    CHECK(e.cameo_code == j.at("cameo").get<std::string>());
    CHECK(StatusName(e.status) == j.value("status", "unknown"));
    CHECK(e.summary == j.value("summary", ""));
    // In-edges of an event are its roles and the links other events declare to it.
    std::multiset<std::tuple<NodeId, std::string, std::string>> got, want;
    for (const auto& r : Adjacent(*store, node.id, storage::Direction::kIn, std::nullopt)) {
      if (!IsRole(r.type)) continue;
      got.emplace(r.neighbor, std::string(EdgeTypeName(r.type)), std::string(StatusName(r.status)));
    }
    for (const auto& r : j.value("roles", nlohmann::json::array())) {
      want.emplace(MakeNodeId(NodeKind::kActor, r.at("actor").get<std::string>()),
                   r.at("role").get<std::string>(),
                   r.value("status", j.value("status", std::string("unknown"))));
    }
    CHECK(got == want);
  }

  // The planned summit: imminent, place unknown, with Putin and Kim in their roles.
  const Node summit = GetNode(*store, NodeKind::kEvent, "event:putin-kim-summit");
  const Event& ev = std::get<Event>(summit.body);
  CHECK(ev.cameo_code == "043");
  CHECK(ev.status == FactStatus::kPlanned);
  CHECK(ev.time.precision == TimePrecision::kImminent);
  CHECK(ev.location.place_name.empty());
  CHECK(ev.location.country_iso3 == "RUS");
  REQUIRE(summit.provenance.size() == 1);
  CHECK(summit.provenance[0].source == MakeNodeId(NodeKind::kSource, "source:kim-putin-summit-fr"));
  CHECK(summit.provenance[0].dataset == "curated");
  CHECK(summit.provenance[0].file == "kim-putin-summit.jsonl");
  const auto lines = Lines(kExample);
  REQUIRE(summit.provenance[0].row >= 1);
  CHECK(lines[summit.provenance[0].row - 1].find("\"key\": \"event:putin-kim-summit\"") !=
        std::string::npos);

  const NodeId kim = MakeNodeId(NodeKind::kActor, "actor:kim-jong-un");
  const NodeId putin = MakeNodeId(NodeKind::kActor, "actor:vladimir-putin");
  auto visits = Adjacent(*store, kim, storage::Direction::kOut, EdgeType::kVisitor);
  REQUIRE(visits.size() == 2);  // the summit and the train journey
  CHECK(std::any_of(visits.begin(), visits.end(), [&](const storage::AdjEntry& e) {
    return e.neighbor == summit.id && e.status == FactStatus::kPlanned;
  }));
  auto hosts = Adjacent(*store, summit.id, storage::Direction::kIn, EdgeType::kHost);
  REQUIRE(hosts.size() == 1);
  CHECK(hosts[0].neighbor == putin);

  // The speculated arms exchange, in both directions.
  const NodeId shells = MakeNodeId(NodeKind::kItem, "item:artillery-shells");
  auto requested = Adjacent(*store, shells, storage::Direction::kIn, EdgeType::kRequests);
  REQUIRE(requested.size() == 1);
  CHECK(requested[0].status == FactStatus::kSpeculated);
  const NodeId food = MakeNodeId(NodeKind::kItem, "item:food-aid");
  REQUIRE(Adjacent(*store, food, storage::Direction::kIn, EdgeType::kRequests).size() == 1);

  // Names resolve in every spelling the article uses.
  for (const char* name : {"kim jong-un", "Kim Jong Un", "KIM JONG UN"}) {
    auto ids = store->FindByName(name);
    REQUIRE(ids.ok());
    CHECK(*ids == std::vector<NodeId>{kim});
  }
  const NodeId peskov = MakeNodeId(NodeKind::kActor, "actor:dmitry-peskov");
  for (const char* name : {"Dmitri Peskov", "Dimitri Peskov", "Dmitry Peskov"}) {
    auto ids = store->FindByName(name);
    REQUIRE(ids.ok());
    CHECK(*ids == std::vector<NodeId>{peskov});
  }

  // The long quote is kept verbatim, typographic apostrophes included.
  const Node quote =
      GetNode(*store, NodeKind::kStatement, "statement:peskov-relations-with-neighbours");
  const Statement& st = std::get<Statement>(quote.body);
  CHECK(st.quote.find("l’important pour nous est l’intérêt de nos deux pays") != std::string::npos);
  CHECK(st.speaker == peskov);
  CHECK(st.language == "fr");
}

TEST_CASE("CuratedLoader: loading the same files twice changes nothing", "[io]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  for (const std::string& path : {kExample, kCurated + "base.jsonl"}) {
    INFO(path);
    const LoadReport first = Load(*store, {path});
    REQUIRE(first.ok());
    const StoreDump before = Dump(*store);
    const LoadReport second = Load(*store, {path});
    REQUIRE(second.ok());
    CHECK_FALSE(second.summary.changed());
    CHECK(second.summary.nodes_unchanged == first.summary.nodes_added);
    CHECK(second.summary.edges_unchanged == first.summary.edges_added);
    CHECK(Dump(*store) == before);
  }
}

TEST_CASE("CuratedLoader: a corrected file updates its records in place", "[io]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  // The file is edited in place: same name, so provenance (file, line) stays the same for the
  // records that did not change.
  const std::string path = dir.path() + "/dataset.jsonl";
  test::WriteFile(path, test::ReadFile(kCurated + "base.jsonl"));
  REQUIRE(Load(*store, {path}).ok());
  const NodeId meeting = MakeNodeId(NodeKind::kEvent, "event:meeting");
  const NodeId carol = MakeNodeId(NodeKind::kActor, "actor:carol");
  REQUIRE(Adjacent(*store, carol, storage::Direction::kOut, EdgeType::kMentioned).size() == 1);
  auto before = store->ComputeStats();
  REQUIRE(before.ok());

  test::WriteFile(path, test::ReadFile(kCurated + "base-corrected.jsonl"));
  const LoadReport report = Load(*store, {path});
  INFO(Errors(report));
  REQUIRE(report.ok());
  CHECK(report.summary.nodes_added == 0);
  CHECK(report.summary.nodes_updated == 2);  // the meeting and Alice
  CHECK(report.summary.edges_deleted == 1);  // Carol's role
  CHECK(report.summary.edges_added == 0);

  const Node node = GetNode(*store, NodeKind::kEvent, "event:meeting");
  CHECK(std::get<Event>(node.body).status == FactStatus::kOccurred);
  CHECK(std::get<Event>(node.body).summary == "Alice and Bob met");
  CHECK(Adjacent(*store, carol, storage::Direction::kOut, EdgeType::kMentioned).empty());
  // The roles that remain took the event's new status.
  auto initiators = Adjacent(*store, meeting, storage::Direction::kIn, EdgeType::kInitiator);
  REQUIRE(initiators.size() == 1);
  CHECK(initiators[0].status == FactStatus::kOccurred);
  auto ali = store->FindByName("Ali");
  REQUIRE(ali.ok());
  CHECK(*ali == std::vector<NodeId>{MakeNodeId(NodeKind::kActor, "actor:alice")});
  auto after = store->ComputeStats();
  REQUIRE(after.ok());
  CHECK(after->nodes() == before->nodes());
  CHECK(after->edges() == before->edges() - 1);
}

struct ExpectedError {
  uint64_t line;
  std::string marker;  // text at the reported column ("" = column 1)
  std::string field;
  std::string message;  // a substring of the message
};

TEST_CASE("CuratedLoader: every kind of bad input is reported at its file:line:column", "[io]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  REQUIRE(Load(*store, {kExample}).ok());
  const StoreDump before = Dump(*store);

  const std::string base = kCurated + "base.jsonl";
  const std::string bad = kCurated + "errors.jsonl";
  const LoadReport report = Load(*store, {base, bad});
  INFO(Errors(report));
  CHECK_FALSE(report.written);
  CHECK(report.summary.nodes_added + report.summary.edges_added == 0);

  const std::vector<ExpectedError> expected = {
      {2, "\"name\"", "", "malformed JSON"},
      {3, "\"person\"", "type", "unknown record type 'person'"},
      {4, "\"nickname\"", "nickname", "unknown field 'nickname' in an actor record"},
      {5, "\"high\"", "confidence", "expected a number, got a string"},
      {6, "", "cameo", "missing required field 'cameo'"},
      {7, "\"actor:Kim Jong Un\"", "key", "invalid character 'K'"},
      {8, "\"2023-02-30\"", "time", "day 30 does not exist in February 2023"},
      {9, "\"planed\"", "status", "did you mean 'planned'?"},
      {10, "\"999\"", "cameo", "unknown CAMEO event code '999'"},
      {11, "\"actor:nobody\"", "roles[0].actor", "dangling reference: no actor with key"},
      {12, "\"item:widgets\"", "roles[0].actor", "expected an actor key ('actor:...'), got item"},
      {13, "\"item:widgets\"", "to", "expected an actor key ('actor:...'), got item"},
      {14, "\"actor:bob\"", "key", "conflicting duplicate key 'actor:bob'"},
      // line 15 repeats base.jsonl's Carol exactly: not an error.
      {16, "\"speaker\"", "roles[0].role", "'speaker' joins actor -> statement"},
      {17, "\"personne\"", "kind", "unknown actor kind 'personne'"},
      {18, "", "", "a record must be a JSON object"},
      {19, "\"Hal}", "", "string is never closed"},
      {20, "\"MEET\"", "plover", "unknown PLOVER event type 'MEET'"},
      {21, "\"month\"", "time.precision", "does not match start '2023-09-11'"},
      {22, "\"event:meeting\"]", "about[1]", "listed twice"},
      {23, "\"0577\"", "cameo", "did you mean '057' (Sign formal agreement)?"},
      {23, "\"actor:alise\"", "roles[0].actor", "; did you mean 'actor:alice'?"},
  };
  const auto lines = Lines(bad);
  REQUIRE(report.errors.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const ExpectedError& x = expected[i];
    const Diagnostic& d = report.errors[i];
    INFO("expected line " << x.line << ": " << x.message << "\n got: " << d.ToString());
    CHECK(d.file == bad);
    CHECK(d.line == x.line);
    CHECK(d.column == (x.marker.empty() ? 1 : ColumnOf(lines[x.line - 1], x.marker)));
    CHECK(d.field == x.field);
    CHECK(d.message.find(x.message) != std::string::npos);
    CHECK(d.ToString().rfind(
              bad + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": ", 0) == 0);
  }
  CHECK(Dump(*store) == before);
}

TEST_CASE("CuratedLoader: all errors of a file are listed, not just the first", "[io]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  const std::string path = kCurated + "three-errors.jsonl";
  const LoadReport report = Load(*store, {path});
  INFO(Errors(report));
  REQUIRE(report.errors.size() == 3);
  CHECK(report.errors[0].ToString() ==
        path +
            ":1:64: status: unknown status 'planed' (expected one of: unknown, occurred, "
            "ongoing, planned, reported, claimed, speculated, feared, predicted, denied, "
            "cancelled); did you mean 'planned'?");
  CHECK(report.errors[1].field == "colour");
  CHECK(report.errors[1].line == 1);
  CHECK(report.errors[2].field == "published");
  CHECK(report.errors[2].line == 2);
  CHECK(report.errors[2].message.find("month 13 is out of range") != std::string::npos);
  auto stats = store->ComputeStats();
  REQUIRE(stats.ok());
  CHECK(stats->nodes() == 0);
  CHECK(stats->edges() == 0);
}

TEST_CASE("CuratedLoader: unreadable files and invalid UTF-8 are reported, nothing is written",
          "[io]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  REQUIRE(Load(*store, {kCurated + "base.jsonl"}).ok());
  const StoreDump before = Dump(*store);

  const std::string utf8 = dir.path() + "/bad-utf8.jsonl";
  test::WriteFile(utf8,
                  "# comment\n{\"type\": \"item\", \"key\": \"item:x\", \"name\": \"Caf\xC3\xA9 "
                  "\xFF\"}\n");
  const std::string missing = dir.path() + "/does-not-exist.jsonl";
  const LoadReport report = Load(*store, {missing, utf8, kExample});
  INFO(Errors(report));
  REQUIRE(report.errors.size() == 2);
  CHECK(report.errors[0].ToString() == missing + ": cannot read file: No such file or directory");
  CHECK(report.errors[1].line == 2);
  CHECK(report.errors[1].column == 49);  // characters: "Café" counts 4, not 5 bytes
  CHECK(report.errors[1].message == "invalid UTF-8 (byte 0xFF)");
  CHECK(Dump(*store) == before);
}

TEST_CASE("CuratedLoader: references resolve against keys already in the store", "[io]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  const std::string extra = dir.path() + "/extra.jsonl";
  test::WriteFile(extra,
                  "{\"type\": \"event\", \"key\": \"event:later\", \"cameo\": \"042\", \"roles\": "
                  "[{\"actor\": \"actor:bob\", \"role\": \"visitor\"}], \"links\": [{\"relation\": "
                  "\"follows\", \"event\": \"event:meeting\"}]}\n");
  // Without base.jsonl in the store, both references dangle.
  LoadReport report = Load(*store, {extra});
  REQUIRE(report.errors.size() == 2);
  CHECK(report.errors[0].field == "roles[0].actor");
  CHECK(report.errors[1].field == "links[0].event");
  REQUIRE(Load(*store, {kCurated + "base.jsonl"}).ok());
  report = Load(*store, {extra});
  INFO(Errors(report));
  REQUIRE(report.ok());
  CHECK(report.summary.nodes_added == 1);
  CHECK(report.summary.edges_added == 2);
}

TEST_CASE("CuratedLoader: a dry run validates but writes nothing", "[io]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  const StoreDump before = Dump(*store);
  const LoadReport report = Load(*store, {kExample}, /*dry_run=*/true);
  CHECK(report.ok());
  CHECK_FALSE(report.written);
  CHECK(report.records > 0);
  CHECK(Dump(*store) == before);
  auto validated = ValidateCuratedFiles({kExample}, nullptr);
  REQUIRE(validated.ok());
  CHECK(validated->ok());
  CHECK(validated->records == report.records);
}

TEST_CASE("CuratedLoader: times take their precision from how they are written", "[io]") {
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  REQUIRE(Load(*store, {kCurated + "base.jsonl"}).ok());
  const Event meeting = std::get<Event>(GetNode(*store, NodeKind::kEvent, "event:meeting").body);
  CHECK(meeting.time.precision == TimePrecision::kMonth);
  CHECK(meeting.time.start == TimeFromCivil(2023, 9, 1));
  CHECK(meeting.time.end == TimeFromCivil(2023, 10, 1) - 1);
  REQUIRE(meeting.location.latitude.has_value());
  CHECK(*meeting.location.latitude == Approx(43.1));
  const Event trade = std::get<Event>(GetNode(*store, NodeKind::kEvent, "event:trade").body);
  CHECK(trade.time.precision == TimePrecision::kDay);
  CHECK(trade.time.start == TimeFromCivil(2023, 9, 12));
  CHECK(trade.confidence == Approx(0.5));
  // A role's own status overrides the event's.
  auto targets = Adjacent(*store, MakeNodeId(NodeKind::kEvent, "event:trade"),
                          storage::Direction::kIn, EdgeType::kTarget);
  REQUIRE(targets.size() == 1);
  CHECK(targets[0].status == FactStatus::kDenied);
  auto rel = store->GetEdgePayload(MakeKeyedEdgeId("rel:alice-leads-ruritania"));
  REQUIRE(rel.ok());
  REQUIRE(rel->has_value());
  CHECK((*rel)->validity.start == TimeFromCivil(2011, 12, 1));
  CHECK((*rel)->validity.open_end);
  CHECK((*rel)->type == EdgeType::kLeaderOf);
  CHECK((*rel)->key == "rel:alice-leads-ruritania");
}

}  // namespace
}  // namespace geokg::io
