#include "query/event_query.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "tests/query/query_fixture.h"

namespace geokg::query {
namespace {

using test::QueryFixture;

std::vector<std::string> Keys(const EventQueryResult& r) {
  std::vector<std::string> keys;
  for (const auto& e : r.events) keys.push_back(e.ref.key);
  return keys;
}

TEST_CASE("QueryEvents: no filter lists every event in time order, undated last", "[query]") {
  QueryFixture f;
  auto r = QueryEvents(*f.store, EventFilter{});
  REQUIRE(r.ok());
  CHECK(r->plan == "event index by code, merged into time order");
  CHECK_FALSE(r->more);
  const auto keys = Keys(*r);
  REQUIRE(keys.size() == 6);
  CHECK(keys.front() == "event:summit-2019");
  CHECK(keys[1] == "event:train-journey");  // 2023-09 (month) starts 2023-09-01
  CHECK(keys.back() == "event:consequences");
  CHECK(std::set<std::string>(keys.begin() + 2, keys.end() - 1) ==
        std::set<std::string>{"event:summit-2023", "event:arms-to-russia", "event:tech-to-korea"});
}

TEST_CASE("QueryEvents: by actor, through the actor's role adjacency", "[query]") {
  QueryFixture f;
  EventFilter filter;
  filter.actors = {f.kim};
  auto r = QueryEvents(*f.store, filter);
  REQUIRE(r.ok());
  CHECK(r->plan == "actor role adjacency");
  CHECK(r->events.size() == 5);  // not the undated "consequences" event (Putin only)
  CHECK(r->events.front().ref.key == "event:summit-2019");
  // In an event query every actor is a participant (there is no viewer).
  for (const auto& e : r->events) {
    CHECK(e.roles.empty());
    bool has_kim = false;
    for (const auto& p : e.participants) has_kim |= p.actor.id == f.kim;
    CHECK(has_kim);
  }

  filter.actors = {f.putin};
  auto putin = QueryEvents(*f.store, filter);
  REQUIRE(putin.ok());
  CHECK(putin->events.size() == 5);
  CHECK(putin->events.back().ref.key == "event:consequences");
}

TEST_CASE("QueryEvents: several actors give the events they all share", "[query]") {
  QueryFixture f;
  EventFilter filter;
  filter.actors = {f.putin, f.kim};
  auto r = QueryEvents(*f.store, filter);
  REQUIRE(r.ok());
  CHECK(r->plan == "actor role adjacency of 2 actors, intersected");
  // Not the train journey (Kim alone) nor the undated consequences (Putin alone); the summits
  // (participant/host, host/visitor) and both supply events (initiator/target either way).
  std::set<std::string> keys;
  for (const auto& e : r->events) keys.insert(e.ref.key);
  CHECK(keys == std::set<std::string>{"event:summit-2019", "event:summit-2023",
                                      "event:arms-to-russia", "event:tech-to-korea"});
  CHECK(r->events.front().ref.key == "event:summit-2019");  // time order

  SECTION("the same actor twice is that actor's events") {
    filter.actors = {f.kim, f.kim};
    auto kim = QueryEvents(*f.store, filter);
    REQUIRE(kim.ok());
    CHECK(kim->plan == "actor role adjacency");
    CHECK(kim->events.size() == 5);
  }
  SECTION("with the other filters: a time window and a code") {
    filter.from = QueryFixture::Date("2023").start;
    filter.code_prefix = "07";
    auto arms = QueryEvents(*f.store, filter);
    REQUIRE(arms.ok());
    std::set<std::string> found;
    for (const auto& e : arms->events) found.insert(e.ref.key);
    CHECK(found == std::set<std::string>{"event:arms-to-russia", "event:tech-to-korea"});
  }
  SECTION("an actor sharing nothing") {
    filter.actors = {f.kim, f.peskov};
    auto none = QueryEvents(*f.store, filter);
    REQUIRE(none.ok());
    CHECK(none->events.empty());
  }
}

TEST_CASE("QueryEvents: CAMEO code prefix and QuadClass", "[query]") {
  QueryFixture f;
  EventFilter filter;
  filter.code_prefix = "07";
  auto r = QueryEvents(*f.store, filter);
  REQUIRE(r.ok());
  CHECK(r->plan == "event index by code");
  const auto keys = Keys(*r);
  CHECK(std::set<std::string>(keys.begin(), keys.end()) ==
        std::set<std::string>{"event:arms-to-russia", "event:tech-to-korea"});

  filter.code_prefix = "04";
  auto consult = QueryEvents(*f.store, filter);
  REQUIRE(consult.ok());
  CHECK(Keys(*consult) == std::vector<std::string>{"event:summit-2019", "event:train-journey"});

  filter.code_prefix.clear();
  filter.quad_class = 1;  // roots 01-05: 036, 042, 043
  auto verbal = QueryEvents(*f.store, filter);
  REQUIRE(verbal.ok());
  CHECK(Keys(*verbal).size() == 3);
  filter.quad_class = 2;  // roots 06-09: the two 072 events
  CHECK(QueryEvents(*f.store, filter)->events.size() == 2);
  filter.quad_class = 3;  // roots 10-14: 138
  CHECK(Keys(*QueryEvents(*f.store, filter)) == std::vector<std::string>{"event:consequences"});
  filter.quad_class = 4;
  CHECK(QueryEvents(*f.store, filter)->events.empty());
}

TEST_CASE("QueryEvents: a time window leaves out undated events and events outside it", "[query]") {
  QueryFixture f;
  EventFilter filter;
  filter.from = QueryFixture::Date("2023").start;
  filter.to = QueryFixture::Date("2023").end;
  auto r = QueryEvents(*f.store, filter);
  REQUIRE(r.ok());
  CHECK(r->events.size() == 4);
  for (const auto& e : r->events) {
    CHECK(e.event.time.start >= filter.from);
    CHECK(e.event.time.start <= filter.to);
  }
  filter.actors = {f.putin};
  auto putin = QueryEvents(*f.store, filter);
  REQUIRE(putin.ok());
  CHECK(putin->events.size() == 3);  // 2023 only, without the undated one

  EventFilter old;
  old.to = QueryFixture::Date("2019-04-25").end;
  auto r2019 = QueryEvents(*f.store, old);
  REQUIRE(r2019.ok());
  CHECK(Keys(*r2019) == std::vector<std::string>{"event:summit-2019"});
}

TEST_CASE("QueryEvents: status filter, limit, and filters combined", "[query]") {
  QueryFixture f;
  EventFilter filter;
  filter.statuses = {FactStatus::kSpeculated, FactStatus::kPlanned};
  auto r = QueryEvents(*f.store, filter);
  REQUIRE(r.ok());
  CHECK(r->events.size() == 3);
  for (const auto& e : r->events) {
    CHECK((e.event.status == FactStatus::kSpeculated || e.event.status == FactStatus::kPlanned));
  }
  filter.limit = 2;
  auto limited = QueryEvents(*f.store, filter);
  REQUIRE(limited.ok());
  CHECK(limited->events.size() == 2);
  CHECK(limited->more);
  filter.limit = 3;
  CHECK_FALSE(QueryEvents(*f.store, filter)->more);

  EventFilter combined;
  combined.actors = {f.kim};
  combined.code_prefix = "072";
  combined.statuses = {FactStatus::kSpeculated};
  auto c = QueryEvents(*f.store, combined);
  REQUIRE(c.ok());
  CHECK(c->events.size() == 2);
  combined.statuses = {FactStatus::kOccurred};
  CHECK(QueryEvents(*f.store, combined)->events.empty());
}

TEST_CASE("QueryEvents: code prefixes, windows inside days and limits agree with brute force",
          "[query]") {
  // Events on few codes and days (several per day and code: the event index's pages), windows
  // whose ends fall inside days; the answer must be the brute-force filter, in (time, id) order,
  // cut at the limit.
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/db");
  std::mt19937_64 rng(7);
  const std::vector<std::string> codes = {"010", "036", "04", "043", "0431", "190"};
  const Time day = 86400;
  struct Ev {
    std::string key, code;
    Time time;
    NodeId id;
  };
  std::vector<Ev> evs;
  storage::WriteBatch batch;
  for (int i = 0; i < 400; ++i) {
    Ev e{"event:q" + std::to_string(i), codes[rng() % codes.size()], kUnknownTime, 0};
    Event body;
    body.cameo_code = e.code;
    if (rng() % 20 != 0) {
      e.time = static_cast<Time>(rng() % 6) * day + static_cast<Time>(rng() % day);
      body.time = {e.time, e.time, TimePrecision::kSecond, false};
    }
    Node n;
    n.key = e.key;
    n.id = e.id = MakeNodeId(NodeKind::kEvent, e.key);
    n.body = body;
    batch.PutNode(n);
    evs.push_back(e);
  }
  REQUIRE(store->Write(batch).ok());
  std::sort(evs.begin(), evs.end(), [](const Ev& a, const Ev& b) {
    return std::make_pair(a.time, a.id) < std::make_pair(b.time, b.id);
  });
  for (const char* prefix : {"", "04", "043", "19"}) {
    for (int w = 0; w < 8; ++w) {
      EventFilter filter;
      filter.code_prefix = prefix;
      if (w > 0) {
        filter.from = static_cast<Time>(rng() % 6) * day + static_cast<Time>(rng() % day);
        filter.to = filter.from + static_cast<Time>(rng() % (3 * day));
      }
      filter.limit = w % 3 == 0 ? 0 : 1 + rng() % 40;
      INFO("prefix '" << prefix << "' window " << filter.from << ".." << filter.to << " limit "
                      << filter.limit);
      std::vector<std::string> want;
      bool more = false;
      for (const Ev& e : evs) {
        if (e.code.rfind(prefix, 0) != 0 || e.time < filter.from || e.time > filter.to) continue;
        if (filter.limit != 0 && want.size() == filter.limit) {
          more = true;
          break;
        }
        want.push_back(e.key);
      }
      auto r = QueryEvents(*store, filter);
      REQUIRE(r.ok());
      CHECK(Keys(*r) == want);
      CHECK(r->more == more);
    }
  }
}

TEST_CASE("QueryEvents: bad filters are rejected", "[query]") {
  QueryFixture f;
  CHECK(ValidateCodePrefix("04").ok());
  CHECK(ValidateCodePrefix("0211").ok());
  CHECK(ValidateCodePrefix("0431").IsInvalidArgument());
  CHECK(ValidateCodePrefix("").ok());
  CHECK(ValidateCodePrefix("99").IsInvalidArgument());
  CHECK(ValidateCodePrefix("21").IsInvalidArgument());
  CHECK(ValidateCodePrefix("0a").IsInvalidArgument());
  EventFilter bad;
  bad.code_prefix = "99";
  CHECK(QueryEvents(*f.store, bad).status().IsInvalidArgument());
  EventFilter quad;
  quad.quad_class = 5;
  CHECK(QueryEvents(*f.store, quad).status().IsInvalidArgument());
  EventFilter window;
  window.from = 100;
  window.to = 10;
  CHECK(QueryEvents(*f.store, window).status().IsInvalidArgument());
}

TEST_CASE("ParseStatusList: names separated by commas", "[query]") {
  auto ok = ParseStatusList("planned, speculated,planned");
  REQUIRE(ok.ok());
  CHECK(*ok == std::vector<FactStatus>{FactStatus::kPlanned, FactStatus::kSpeculated});
  auto bad = ParseStatusList("plannd");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("unknown status \"plannd\"") != std::string::npos);
  CHECK(bad.status().message().find("speculated") != std::string::npos);
  CHECK_FALSE(ParseStatusList(",").ok());
}

TEST_CASE("ComputeEventStats: counts by CAMEO root and QuadClass, time span", "[query]") {
  QueryFixture f;
  auto s = ComputeEventStats(*f.store);
  REQUIRE(s.ok());
  CHECK(s->events == 6);
  CHECK(s->undated == 1);
  CHECK(s->by_root == std::map<std::string, uint64_t>{{"03", 1}, {"04", 2}, {"07", 2}, {"13", 1}});
  CHECK(s->by_quad_class == std::array<uint64_t, 5>{0, 3, 2, 1, 0});
  CHECK(s->first == QueryFixture::Date("2019-04-25").start);
  CHECK(s->last == QueryFixture::Date("2023-09-11").start);
}

}  // namespace
}  // namespace geokg::query
