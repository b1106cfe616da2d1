#include "codec/fact_codec.h"

#include <catch2/catch.hpp>
#include <string>

#include "codec/key_codec.h"
#include "codec/value_codec.h"

namespace geokg::codec {
namespace {

FactTable Table() {
  FactTable t;
  t.key_prefix = "event:tkg:ICEWS18:";
  t.dataset = "tkg:ICEWS18";
  t.epoch = 1'514'764'800;
  t.unit_seconds = 3600;
  t.precision = TimePrecision::kDay;
  t.span = 86400;
  t.files = {"train.txt"};
  t.relations = {"Make statement", "Host a visit"};
  t.codes = {"010", "043"};
  t.actor_of = {MakeNodeId(NodeKind::kActor, "actor:a"), kNoNode,
                MakeNodeId(NodeKind::kActor, "actor:b")};
  return t;
}

TEST_CASE("Fact codec: a compact fact round-trips and expands to the table's event", "[codec]") {
  const FactTable t = Table();
  const QuadFact f{2, 1, 0, 373'018, 0, 7'271};
  std::string v;
  EncodeCompactFactTo(0x0123456789abcdefULL, f, &v);
  CHECK(IsCompactFact(v));
  CHECK(v.size() == 1 + 8 + 1 + 1 + 1 + 3 + 1 + 2);
  Node want;
  t.Expand(f, &want);
  CHECK(want.key == "event:tkg:ICEWS18:2-1-0-7271");
  want.id = MakeNodeId(NodeKind::kEvent, want.key);
  auto c = DecodeCompactFact(v, want.id);
  REQUIRE(c.ok());
  CHECK(c->table == 0x0123456789abcdefULL);
  CHECK(c->fact == f);
  auto node = ExpandCompactFact(*c, t, want.id);
  REQUIRE(node.ok());
  CHECK(*node == want);
  // The roles read as DecodeEventRoles reads them from the encoded node.
  auto roles = CompactFactRoles(*c, t, want.id);
  auto from_node = DecodeEventRoles(EncodeNode(want), want.id);
  REQUIRE(roles.ok());
  REQUIRE(from_node.ok());
  CHECK(roles->time == from_node->time);
  CHECK(roles->status == from_node->status);
  CHECK(roles->confidence == from_node->confidence);
  CHECK(roles->participants == from_node->participants);
  // Large values: every field at its limit.
  const QuadFact big{UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX, INT64_MAX};
  EncodeCompactFactTo(1, big, &v);
  auto back = DecodeCompactFact(v, want.id);
  REQUIRE(back.ok());
  CHECK(back->fact == big);
}

TEST_CASE("Fact codec: no stored node value starts with the compact tag", "[codec]") {
  // A packed message starts with a tag byte whose bits 2 and 3 stand for the high bytes of its
  // segment count, 0 for fewer than 2^16 segments; fact_codec.cc has the argument.
  Node actor;
  actor.key = "actor:a";
  actor.id = MakeNodeId(NodeKind::kActor, actor.key);
  actor.body = Actor{};
  Node event;
  Table().Expand({0, 0, 2, 1, 0, 5}, &event);
  event.id = MakeNodeId(NodeKind::kEvent, event.key);
  Node big = event;
  std::get<Event>(big.body).summary = std::string(100'000, 'x');  // more than one segment's worth
  for (const Node& n : {actor, event, big, Node{}}) {
    const std::string v = EncodeNode(n);
    CHECK((static_cast<unsigned char>(v[0]) & 0x0C) == 0);
    CHECK(!IsCompactFact(v));
  }
  // A value that starts with the tag never decodes as a node.
  std::string v = EncodeNode(event);
  v[0] = static_cast<char>(kCompactFactTag);
  CHECK(DecodeNode(v, event.id).status().IsCorruption());
}

TEST_CASE("Fact codec: malformed compact facts are Corruption", "[codec]") {
  const FactTable t = Table();
  const QuadFact f{0, 0, 2, 300, 0, 200};
  Node node;
  t.Expand(f, &node);
  const NodeId id = MakeNodeId(NodeKind::kEvent, node.key);
  std::string good;
  EncodeCompactFactTo(7, f, &good);
  REQUIRE(ExpandCompactFact(*DecodeCompactFact(good, id), t, id).ok());
  for (size_t n = 0; n < good.size(); ++n) {
    CHECK(DecodeCompactFact(good.substr(0, n), id).status().IsCorruption());
  }
  CHECK(DecodeCompactFact(good + "x", id).status().IsCorruption());
  std::string bad_tag = good;
  bad_tag[0] = 0x1F;
  CHECK(DecodeCompactFact(bad_tag, id).status().IsCorruption());
  // An overlong varint (0 written as 0x80 0x00) and one past 32 bits.
  std::string overlong = good.substr(0, 9) + std::string("\x80\x00", 2) + good.substr(10);
  CHECK(DecodeCompactFact(overlong, id).status().IsCorruption());
  std::string wide = good.substr(0, 9) + std::string("\xff\xff\xff\xff\x10", 5) + good.substr(10);
  CHECK(DecodeCompactFact(wide, id).status().IsCorruption());
  std::string unterminated = good.substr(0, 9) + std::string(12, '\xff');
  CHECK(DecodeCompactFact(unterminated, id).status().IsCorruption());

  // Both readers check the fields against the table; only the node's reader hashes the key (as
  // DecodeEventRoles does not).
  auto expand = [&](QuadFact q, NodeId as, bool hashed_only = false) {
    std::string v;
    EncodeCompactFactTo(7, q, &v);
    auto c = DecodeCompactFact(v, as);
    REQUIRE(c.ok());
    CHECK(CompactFactRoles(*c, t, as).status().IsCorruption() != hashed_only);
    return ExpandCompactFact(*c, t, as).status();
  };
  CHECK(expand({0, 2, 2, 300, 0, 200}, id).IsCorruption());  // no relation 2
  CHECK(expand({1, 0, 2, 300, 0, 200}, id).IsCorruption());  // entity 1 has no actor
  CHECK(expand({3, 0, 2, 300, 0, 200}, id).IsCorruption());  // no entity 3
  CHECK(expand({0, 0, 2, 300, 1, 200}, id).IsCorruption());  // no file 1
  CHECK(expand({0, 0, 2, 300, 0, t.MaxTime() + 1}, id).IsCorruption());
  CHECK(expand({0, 0, 2, 300, 0, 201}, id, true).IsCorruption());  // another key than the id's
  CHECK(expand(f, MakeNodeId(NodeKind::kActor, node.key)).IsCorruption());  // not an event
}

TEST_CASE("Fact codec: a fact table round-trips under its content id, and is checked", "[codec]") {
  const FactTable t = Table();
  const std::string bytes = EncodeFactTable(t);
  const uint64_t id = FactTableId(bytes);
  CHECK(EncodeFactTable(Table()) == bytes);  // the same table, the same id
  auto back = DecodeFactTable(bytes, id);
  REQUIRE(back.ok());
  CHECK(*back == t);
  CHECK(DecodeFactTable(bytes, id + 1).status().IsCorruption());
  for (size_t i = 0; i < bytes.size(); i += 7) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x21);
    CHECK(DecodeFactTable(bad, id).status().IsCorruption());
  }
  // Well-hashed but ill-formed tables.
  auto refused = [](FactTable x) {
    const std::string b = EncodeFactTable(x);
    return DecodeFactTable(b, FactTableId(b)).status().IsCorruption();
  };
  FactTable x = t;
  x.codes[1] = "999";
  CHECK(refused(x));
  x = t;
  x.codes.pop_back();
  CHECK(refused(x));
  x = t;
  x.unit_seconds = 0;
  CHECK(refused(x));
  x = t;
  x.span = -1;
  CHECK(refused(x));
  x = t;
  x.actor_of[1] = MakeNodeId(NodeKind::kEvent, "event:e");
  CHECK(refused(x));
  x = t;
  x.relations[0] = "\xff\xfe";
  CHECK(refused(x));
  x = t;
  x.precision = TimePrecision::kUnknown;
  CHECK(refused(x));
}

}  // namespace
}  // namespace geokg::codec
