// Tests for src/codec/value_codec.h: every node body and an edge with every field round-trip
// exactly, and malformed bytes of any kind give Corruption without crashing.

#include "codec/value_codec.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "model/types.h"

namespace geokg {
namespace {

using FactStatus = decltype(Edge::status);
using codec::DecodeEdge;
using codec::DecodeNode;
using codec::EncodeEdge;
using codec::EncodeNode;

Provenance FullProvenance(NodeId source) {
  Provenance p;
  p.source = source;
  p.dataset = "icews";
  p.file = "events.2018.tab";
  p.row = 42;
  p.record_id = "26720839";
  p.story_id = "story-7";
  p.sentence = 3;
  p.url = "https://example.org/a?b=c";
  p.publisher = "Le Monde";
  return p;
}

Interval Day(Time start) { return Interval{start, start + 86399, TimePrecision::kDay, false}; }

Node MakeNode(NodeKind kind, std::string key) {
  Node n;
  n.key = std::move(key);
  switch (kind) {
    case NodeKind::kActor:
      n.body = Actor{};
      break;
    case NodeKind::kEvent:
      n.body = Event{};
      break;
    case NodeKind::kSource:
      n.body = Source{};
      break;
    case NodeKind::kStatement:
      n.body = Statement{};
      break;
    case NodeKind::kItem:
      n.body = Item{};
      break;
  }
  n.id = MakeNodeId(kind, n.key);
  return n;
}

Node FullActor() {
  Node n = MakeNode(NodeKind::kActor, "actor:kim-jong-un");
  Actor& a = std::get<Actor>(n.body);
  a.kind = ActorKind::kPerson;
  a.name = "Kim Jong-un";
  a.aliases = {"김정은", "Kim Jong Un", ""};
  a.country_iso3 = "PRK";
  a.country_cameo = "PRK";
  a.cameo_types = {"GOV", "MIL"};
  a.sectors = {"Executive", "Government"};
  a.external_ids = {{"wikidata", "Q56226"}, {"icews", "12345"}};
  a.description = "Supreme Leader of North Korea";
  n.provenance = {FullProvenance(MakeNodeId(NodeKind::kSource, "src:kcna")), Provenance{}};
  return n;
}

Node FullEvent() {
  Node n = MakeNode(NodeKind::kEvent, "icews:event:26720839@2018-06-01");
  Event& e = std::get<Event>(n.body);
  e.cameo_code = "0431";
  e.plover_type = "CONSULT";
  e.time = Interval{-86400 * 365, -1, TimePrecision::kSecond, true};
  e.location = {"Singapore", "Central", "SGP", 1.3521, 103.8198};
  e.status = FactStatus::kOccurred;
  e.confidence = 0.75f;
  e.summary = "Summit in Singapore";
  e.goldstein = -9.5f;
  e.quad_class = 4;
  e.participants = {{EdgeType::kInitiator, MakeNodeId(NodeKind::kActor, "actor:a")},
                    {EdgeType::kInitiator, MakeNodeId(NodeKind::kActor, "actor:b")},
                    {EdgeType::kTarget, MakeNodeId(NodeKind::kActor, "actor:a")}};
  std::sort(e.participants.begin(), e.participants.end());
  n.provenance = {FullProvenance(kNoNode)};
  return n;
}

Node FullSource() {
  Node n = MakeNode(NodeKind::kSource, "src:lemonde-2024-01-01");
  Source& s = std::get<Source>(n.body);
  s.title = "Poutine défie l'Occident";
  s.publisher = "Le Monde";
  s.url = "https://lemonde.fr/x";
  s.language = "fr";
  s.published = Interval{1704067200, 1704067200, TimePrecision::kMinute, false};
  return n;
}

Node FullStatement() {
  Node n = MakeNode(NodeKind::kStatement, "stmt:peskov-1");
  Statement& s = std::get<Statement>(n.body);
  s.speaker = MakeNodeId(NodeKind::kActor, "actor:dmitry-peskov");
  s.quote = "Мы не комментируем";
  s.language = "ru";
  s.translation = "We do not comment";
  s.time = Day(1704067200);
  s.source = MakeNodeId(NodeKind::kSource, "src:tass");
  return n;
}

Node FullItem() {
  Node n = MakeNode(NodeKind::kItem, "item:artillery-shells");
  Item& i = std::get<Item>(n.body);
  i.name = "artillery shells";
  i.aliases = {"152mm shells"};
  i.category = "weapon";
  i.description = "North Korean munitions";
  return n;
}

Edge FullEdge() {
  Edge e;
  e.type = EdgeType::kSpokespersonFor;
  e.src = MakeNodeId(NodeKind::kActor, "actor:dmitry-peskov");
  e.dst = MakeNodeId(NodeKind::kActor, "actor:kremlin");
  e.validity = Interval{1000, 2000, TimePrecision::kYear, true};
  e.status = FactStatus::kClaimed;
  e.confidence = 0.5f;
  e.label = "press secretary";
  e.provenance = {FullProvenance(MakeNodeId(NodeKind::kSource, "src:tass"))};
  e.owner = MakeNodeId(NodeKind::kEvent, "ev:1");
  e.key = "rel:peskov-kremlin";
  e.id = MakeKeyedEdgeId(e.key);
  return e;
}

// Re-encodes `node` with one field changed by `mutate`; the id stays the original one.
template <typename Fn>
Status DecodeMutatedNode(Node node, Fn mutate) {
  NodeId id = node.id;
  mutate(node);
  return DecodeNode(EncodeNode(node), id).status();
}

std::string Flip(std::string s, size_t at, unsigned char mask) {
  s[at] = static_cast<char>(static_cast<unsigned char>(s[at]) ^ mask);
  return s;
}

TEST_CASE("ValueCodec: every node body kind round-trips with all fields", "[codec]") {
  for (const Node& n : {FullActor(), FullEvent(), FullSource(), FullStatement(), FullItem()}) {
    INFO("kind " << NodeKindName(n.kind()));
    std::string bytes = EncodeNode(n);
    Result<Node> back = DecodeNode(bytes, n.id);
    REQUIRE(back.ok());
    CHECK(*back == n);
  }
}

TEST_CASE("ValueCodec: EncodeNodeTo replaces a reused string's contents with EncodeNode's bytes",
          "[codec]") {
  // Encoded one after another into one string, as bulk imports do: large, small and large
  // again, so that the string shrinks and grows with its old bytes still in its capacity.
  Node big = FullActor();
  std::get<Actor>(big.body).description = std::string(30000, 'd');
  std::string out = "leftover bytes";
  for (const Node& n : {FullEvent(), big, MakeNode(NodeKind::kEvent, ""), FullActor(), big,
                        FullItem(), FullEvent()}) {
    INFO("kind " << NodeKindName(n.kind()) << ", key " << n.key);
    codec::EncodeNodeTo(n, &out);
    CHECK(out == EncodeNode(n));
  }
}

TEST_CASE("ValueCodec: a node too large for one segment round-trips", "[codec]") {
  // Over 8 KiB the builder starts a second segment: the packed reader must read the longer
  // segment table and every segment, and still reject a truncation anywhere.
  Node n = FullActor();
  auto& a = std::get<Actor>(n.body);
  for (int i = 0; i < 3000; ++i) a.aliases.push_back("alias number " + std::to_string(i));
  a.description = std::string(20000, 'd');
  const std::string bytes = EncodeNode(n);
  REQUIRE(bytes.size() > 20000);
  Result<Node> back = DecodeNode(bytes, n.id);
  REQUIRE(back.ok());
  CHECK(*back == n);
  for (size_t len : {size_t{8}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
    INFO("length " << len);
    CHECK(DecodeNode(bytes.substr(0, len), n.id).status().IsCorruption());
  }
  // Larger than the 8 MiB every value may unpack to: a long text packs about 1:1.
  a.description = std::string(12 << 20, 'x');
  Result<Node> huge = DecodeNode(EncodeNode(n), n.id);
  REQUIRE(huge.ok());
  CHECK(*huge == n);
}

TEST_CASE("ValueCodec: default-valued nodes round-trip", "[codec]") {
  for (int k = 0; k < kNodeKindCount; ++k) {
    Node n = MakeNode(static_cast<NodeKind>(k), "");
    Result<Node> back = DecodeNode(EncodeNode(n), n.id);
    REQUIRE(back.ok());
    CHECK(*back == n);
  }
}

TEST_CASE("ValueCodec: optional event fields stay absent or present", "[codec]") {
  Node n = FullEvent();
  SECTION("no coordinates, no goldstein, no quad class") {
    Event& e = std::get<Event>(n.body);
    e.location.latitude.reset();
    e.location.longitude.reset();
    e.goldstein.reset();
    e.quad_class.reset();
  }
  SECTION("zero values are kept, not confused with absence") {
    Event& e = std::get<Event>(n.body);
    e.location.latitude = 0.0;
    e.location.longitude = 0.0;
    e.goldstein = 0.0f;
    e.quad_class = 1;
  }
  SECTION("extreme legal values") {
    Event& e = std::get<Event>(n.body);
    e.location.latitude = -90.0;
    e.location.longitude = 180.0;
    e.goldstein = 10.0f;
    e.confidence = 0.0f;
  }
  Result<Node> back = DecodeNode(EncodeNode(n), n.id);
  REQUIRE(back.ok());
  CHECK(*back == n);
}

TEST_CASE("ValueCodec: an edge round-trips with all fields and takes its id from the key",
          "[codec]") {
  Edge e = FullEdge();
  Result<Edge> back = DecodeEdge(EncodeEdge(e), e.id);
  REQUIRE(back.ok());
  CHECK(*back == e);

  Result<Edge> other = DecodeEdge(EncodeEdge(e), 12345);
  REQUIRE(other.ok());
  CHECK(other->id == 12345);

  Edge role;
  role.type = EdgeType::kInitiator;
  role.src = MakeNodeId(NodeKind::kActor, "a");
  role.dst = MakeNodeId(NodeKind::kEvent, "e");
  role.owner = role.dst;
  role.id = MakeOwnedEdgeId(role.owner, role.type, role.src, role.dst);
  Result<Edge> role_back = DecodeEdge(EncodeEdge(role), role.id);
  REQUIRE(role_back.ok());
  CHECK(*role_back == role);
}

TEST_CASE("ValueCodec: store info round-trips", "[codec]") {
  codec::StoreInfo info{3, "geokg 0.1.0", 1700000000, 0xdeadbeefcafef00dULL};
  // The store info stays flat (a segment table word, then the segment), so that a store written
  // with another value encoding can still be read far enough to report its version.
  CHECK(codec::EncodeStoreInfo(info).size() % 8 == 0);
  Result<codec::StoreInfo> back = codec::DecodeStoreInfo(codec::EncodeStoreInfo(info));
  REQUIRE(back.ok());
  CHECK(back->format_version == 3);
  CHECK(back->created_by == "geokg 0.1.0");
  CHECK(back->created_at == 1700000000);
  CHECK(back->store_id == 0xdeadbeefcafef00dULL);
  CHECK(codec::DecodeStoreInfo("").status().IsCorruption());
}

TEST_CASE("ValueCodec: DecodeEventRoles reads what DecodeNode reads of an event's roles",
          "[codec]") {
  const Node n = FullEvent();
  auto roles = codec::DecodeEventRoles(EncodeNode(n), n.id);
  REQUIRE(roles.ok());
  const Event& e = std::get<Event>(n.body);
  CHECK(roles->participants == e.participants);
  CHECK(roles->time == e.time);
  CHECK(roles->status == e.status);
  CHECK(roles->confidence == e.confidence);
  // Other kinds have none; a damaged participant list is Corruption here too.
  const Node actor = FullActor();
  auto none = codec::DecodeEventRoles(EncodeNode(actor), actor.id);
  REQUIRE(none.ok());
  CHECK(none->participants.empty());
  Node bad = FullEvent();
  std::get<Event>(bad.body).participants[0].actor = 7;
  CHECK(codec::DecodeEventRoles(EncodeNode(bad), bad.id).status().IsCorruption());
}

TEST_CASE("ValueCodec: a node read under another id is Corruption naming the id", "[codec]") {
  Node n = FullActor();
  NodeId wrong = MakeNodeId(NodeKind::kActor, "actor:someone-else");
  Status st = DecodeNode(EncodeNode(n), wrong).status();
  REQUIRE(st.IsCorruption());
  CHECK_THAT(st.message(), Catch::Contains("node key does not match its id"));
  char hex[24];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(wrong));
  CHECK_THAT(st.message(), Catch::Contains(hex));

  // Same key, other kind: the hash mixes the kind in.
  CHECK(DecodeNode(EncodeNode(n), MakeNodeId(NodeKind::kItem, n.key)).status().IsCorruption());
}

TEST_CASE("ValueCodec: out-of-range fields are Corruption naming the field", "[codec]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    const char* field;
    Status status;
  };
  std::vector<Case> cases = {
      {"event.confidence",
       DecodeMutatedNode(FullEvent(), [](Node& n) { std::get<Event>(n.body).confidence = 1.5f; })},
      {"event.confidence", DecodeMutatedNode(FullEvent(),
                                             [](Node& n) {
                                               std::get<Event>(n.body).confidence =
                                                   std::numeric_limits<float>::quiet_NaN();
                                             })},
      {"event.location.latitude",
       DecodeMutatedNode(FullEvent(),
                         [](Node& n) { std::get<Event>(n.body).location.latitude = 90.5; })},
      {"event.location.longitude",
       DecodeMutatedNode(FullEvent(),
                         [](Node& n) { std::get<Event>(n.body).location.longitude = -181; })},
      {"event.location.latitude",
       DecodeMutatedNode(FullEvent(),
                         [&](Node& n) { std::get<Event>(n.body).location.latitude = nan; })},
      {"event.goldstein",
       DecodeMutatedNode(FullEvent(), [](Node& n) { std::get<Event>(n.body).goldstein = 11.f; })},
      {"event.quadClass",
       DecodeMutatedNode(FullEvent(), [](Node& n) { std::get<Event>(n.body).quad_class = 5; })},
      {"event.participants", DecodeMutatedNode(FullEvent(),
                                               [](Node& n) {
                                                 auto& p = std::get<Event>(n.body).participants;
                                                 std::swap(p[0], p[1]);  // out of order
                                               })},
      {"event.participants", DecodeMutatedNode(FullEvent(),
                                               [](Node& n) {
                                                 auto& p = std::get<Event>(n.body).participants;
                                                 p[1] = p[0];  // twice
                                               })},
      {"event.participants.actor",
       DecodeMutatedNode(FullEvent(),
                         [](Node& n) {
                           std::get<Event>(n.body).participants[0].actor =
                               MakeNodeId(NodeKind::kEvent, "event:x");
                         })},
      {"event.participants.role", DecodeMutatedNode(FullEvent(),
                                                    [](Node& n) {
                                                      std::get<Event>(n.body).participants[2].role =
                                                          EdgeType::kRelatedTo;
                                                    })},
      {"event.status", DecodeMutatedNode(FullEvent(),
                                         [](Node& n) {
                                           std::get<Event>(n.body).status =
                                               static_cast<FactStatus>(kStatusCount);
                                         })},
      {"event.time.precision", DecodeMutatedNode(FullEvent(),
                                                 [](Node& n) {
                                                   std::get<Event>(n.body).time.precision =
                                                       static_cast<TimePrecision>(8);
                                                 })},
      {"actor.kind", DecodeMutatedNode(FullActor(),
                                       [](Node& n) {
                                         std::get<Actor>(n.body).kind =
                                             static_cast<ActorKind>(kActorKindCount);
                                       })},
      {"actor.name",
       DecodeMutatedNode(FullActor(), [](Node& n) { std::get<Actor>(n.body).name = "Kim\xC3"; })},
      {"actor.aliases",
       DecodeMutatedNode(
           FullActor(),
           [](Node& n) { std::get<Actor>(n.body).aliases.push_back("\xED\xA0\x80"); })},
      {"statement.speaker", DecodeMutatedNode(FullStatement(),
                                              [](Node& n) {
                                                std::get<Statement>(n.body).speaker =
                                                    MakeNodeId(NodeKind::kItem, "x");
                                              })},
      {"statement.source", DecodeMutatedNode(FullStatement(),
                                             [](Node& n) {
                                               std::get<Statement>(n.body).source =
                                                   MakeNodeId(NodeKind::kActor, "x");
                                             })},
      {"statement.speaker", DecodeMutatedNode(FullStatement(),
                                              [](Node& n) {
                                                std::get<Statement>(n.body).speaker =
                                                    0x7000000000000001ULL;  // kind 6: no such kind
                                              })},
      {"provenance.source",
       DecodeMutatedNode(
           FullItem(),
           [](Node& n) { n.provenance = {FullProvenance(MakeNodeId(NodeKind::kEvent, "e"))}; })},
      {"provenance.sentence", DecodeMutatedNode(FullItem(),
                                                [](Node& n) {
                                                  Provenance p;
                                                  p.sentence = -2;
                                                  n.provenance = {p};
                                                })},
  };
  for (const Case& c : cases) {
    INFO(c.field << ": " << c.status.ToString());
    CHECK(c.status.IsCorruption());
    CHECK_THAT(c.status.message(), Catch::Contains(c.field));
  }
  // The node's id heads the message.
  CHECK_THAT(cases[0].status.message(), Catch::Contains("node 0x"));

  Edge e = FullEdge();
  auto edge_status = [&](auto mutate) {
    Edge copy = e;
    mutate(copy);
    return DecodeEdge(EncodeEdge(copy), copy.id).status();
  };
  CHECK(edge_status([](Edge& x) { x.src = 0; }).IsCorruption());
  CHECK(edge_status([](Edge& x) { x.dst = 0x0000000000000005ULL; }).IsCorruption());
  CHECK(edge_status([](Edge& x) { x.owner = 0xF000000000000001ULL; }).IsCorruption());
  CHECK(edge_status([](Edge& x) { x.confidence = -0.1f; }).IsCorruption());
  CHECK(
      edge_status([](Edge& x) { x.type = static_cast<EdgeType>(kEdgeTypeCount); }).IsCorruption());
  CHECK(edge_status([](Edge& x) { x.status = static_cast<FactStatus>(200); }).IsCorruption());
  CHECK(edge_status([](Edge& x) { x.label = "\xFF"; }).IsCorruption());
  CHECK(edge_status([](Edge& x) { x.owner = 0; }).ok());
  Status st = edge_status([](Edge& x) { x.confidence = 2.0f; });
  CHECK_THAT(st.message(), Catch::Contains("edge 0x") && Catch::Contains("confidence"));
}

TEST_CASE("ValueCodec: malformed framing is Corruption", "[codec]") {
  Node n = FullEvent();
  const std::string good = EncodeNode(n);

  SECTION("empty") { CHECK(DecodeNode("", n.id).status().IsCorruption()); }
  SECTION("every truncation") {
    for (size_t len = 1; len < good.size(); ++len) {
      INFO("length " << len);
      Status st = DecodeNode(good.substr(0, len), n.id).status();
      CHECK(st.IsCorruption());
      CHECK_THAT(st.message(), Catch::Contains("node 0x"));
    }
  }
  SECTION("trailing bytes") {
    for (std::string tail : {std::string(1, '\0'), std::string(8, '\0'), std::string("\x01")}) {
      Status st = DecodeNode(good + tail, n.id).status();
      CHECK(st.IsCorruption());
      CHECK_THAT(st.message(), Catch::Contains("trailing bytes"));
    }
  }
  SECTION("a packed zero run that would expand a few bytes into megabytes") {
    // Tag 0x00 with a count of 255: 256 zero words from two bytes, repeated.
    std::string bomb;
    for (int i = 0; i < 4096; ++i) bomb += std::string("\x00\xff", 2);
    CHECK(DecodeNode(bomb, n.id).status().IsCorruption());
  }
  SECTION("random garbage") {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 500; ++i) {
      std::string junk((rng() % 64 + 1) * 8, '\0');
      for (char& c : junk) c = static_cast<char>(rng());
      CHECK(DecodeNode(junk, n.id).status().IsCorruption());
    }
  }
  SECTION("a segment table claiming a huge segment or too many segments") {
    // Packed words: tag 0xF0 (bytes 4-7 present) then the segment size 0x7FFFFFFF; tag 0x0F
    // (bytes 0-3) then a segment count of 100,000.
    Status huge = DecodeNode(std::string("\xF0\xFF\xFF\xFF\x7F", 5), n.id).status();
    CHECK(huge.IsCorruption());
    CHECK_THAT(huge.message(), Catch::Contains("message size"));
    Status many = DecodeNode(std::string("\x0F\xA0\x86\x01\x00", 5), n.id).status();
    CHECK(many.IsCorruption());
    CHECK_THAT(many.message(), Catch::Contains("segment count"));
  }
  SECTION("an edge read as a node and a node read as an edge") {
    Edge e = FullEdge();
    CHECK(DecodeNode(EncodeEdge(e), n.id).status().IsCorruption());
    CHECK(DecodeEdge(good, e.id).status().IsCorruption());
  }
}

TEST_CASE("ValueCodec: every single-byte flip gives OK or Corruption, never a crash", "[codec]") {
  for (const Node& n : {FullActor(), FullEvent(), FullStatement()}) {
    const std::string good = EncodeNode(n);
    int corrupt = 0;
    for (size_t at = 0; at < good.size(); ++at) {
      for (unsigned char mask : {0x01, 0x80, 0xFF}) {
        Result<Node> r = DecodeNode(Flip(good, at, mask), n.id);
        if (!r.ok()) {
          REQUIRE(r.status().IsCorruption());
          ++corrupt;
        }
      }
    }
    CHECK(corrupt > 0);
  }
}

TEST_CASE("ValueCodec: thousands of random mutations never crash", "[codec]") {
  std::mt19937_64 rng(20240601);
  const std::vector<std::string> seeds = {EncodeNode(FullActor()), EncodeNode(FullEvent()),
                                          EncodeNode(FullSource()), EncodeNode(FullStatement()),
                                          EncodeNode(FullItem())};
  const std::vector<NodeId> ids = {FullActor().id, FullEvent().id, FullSource().id,
                                   FullStatement().id, FullItem().id};
  const std::string edge_seed = EncodeEdge(FullEdge());
  int ok = 0, corrupt = 0;
  for (int iter = 0; iter < 4000; ++iter) {
    const size_t which = rng() % (seeds.size() + 1);
    std::string bytes = which < seeds.size() ? seeds[which] : edge_seed;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits; ++k) {
      switch (rng() % 4) {
        case 0:  // random byte
          bytes[rng() % bytes.size()] = static_cast<char>(rng());
          break;
        case 1:  // bit flip
          bytes[rng() % bytes.size()] ^= static_cast<char>(1u << (rng() % 8));
          break;
        case 2:  // random 64-bit word (a fake pointer)
        {
          size_t w = rng() % (bytes.size() / 8);
          uint64_t v = rng();
          std::memcpy(&bytes[w * 8], &v, 8);
          break;
        }
        default:  // truncate or extend by whole words
          if (rng() % 2 && bytes.size() > 8) {
            bytes.resize(bytes.size() - 8);
          } else {
            bytes.append(8, static_cast<char>(rng()));
          }
      }
    }
    Status st = which < seeds.size() ? DecodeNode(bytes, ids[which]).status()
                                     : DecodeEdge(bytes, FullEdge().id).status();
    if (st.ok()) {
      ++ok;
    } else {
      REQUIRE(st.IsCorruption());
      ++corrupt;
    }
  }
  CHECK(corrupt > 0);
  CHECK(ok + corrupt == 4000);
}

}  // namespace
}  // namespace geokg
