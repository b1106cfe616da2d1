#include "query/actor_view.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "io/curated_loader.h"
#include "model/vocab.h"
#include "tests/query/query_fixture.h"
#include "tests/test_util.h"

namespace geokg::query {
namespace {

using test::QueryFixture;

const EventView* FindEvent(const ActorView& v, const std::string& key) {
  for (const auto& g : v.event_groups) {
    for (const auto& e : g.events) {
      if (e.ref.key == key) return &e;
    }
  }
  return nullptr;
}

TEST_CASE("ResolveActor: a name resolves in any spelling, and by key", "[query]") {
  QueryFixture f;
  for (const char* spelling : {"Kim Jong Un", "kim jong un", "KIM JONG-UN", "Kim Jong-un",
                               "  kim   jong  un ", "kim-jong-un", "actor:kim-jong-un"}) {
    INFO(spelling);
    auto id = ResolveOneActor(*f.store, spelling);
    REQUIRE(id.ok());
    CHECK(*id == f.kim);
  }
  auto peskov = ResolveOneActor(*f.store, "Dmitrï Péskov");  // an alias, with diacritics
  REQUIRE(peskov.ok());
  CHECK(*peskov == f.peskov);
}

TEST_CASE("ResolveActor: an unknown name says so and suggests close matches", "[query]") {
  QueryFixture f;
  auto typo = ResolveOneActor(*f.store, "vladimir putn");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.status().IsNotFound());
  CHECK(typo.status().message() ==
        "no actor named \"vladimir putn\"; did you mean \"Vladimir Putin\"?");

  auto partial = ResolveActor(*f.store, "putin");
  REQUIRE(partial.ok());
  CHECK(partial->matches.empty());
  REQUIRE_FALSE(partial->suggestions.empty());
  CHECK(partial->suggestions.front().ref.id == f.putin);

  auto none = ResolveOneActor(*f.store, "xyzzy qwerty");
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message() == "no actor named \"xyzzy qwerty\"; no similar names");

  // An item's name is not an actor's.
  auto item = ResolveOneActor(*f.store, "artillery shells");
  REQUIRE_FALSE(item.ok());
  CHECK(item.status().IsNotFound());
}

TEST_CASE("ResolveActor: an ambiguous name lists the candidates with their keys", "[query]") {
  QueryFixture f;
  auto res = ResolveActor(*f.store, "supreme leader");
  REQUIRE(res.ok());
  CHECK(res->matches.size() == 2);
  auto one = ResolveOneActor(*f.store, "Supreme Leader");
  REQUIRE_FALSE(one.ok());
  const std::string msg = one.status().message();
  CHECK(msg.find("is ambiguous") != std::string::npos);
  CHECK(msg.find("actor:kim-jong-un") != std::string::npos);
  CHECK(msg.find("actor:ali-khamenei") != std::string::npos);
}

TEST_CASE("ActorView: events grouped by CAMEO code, in time order, with roles and counterparts",
          "[query]") {
  QueryFixture f;
  auto view = BuildActorView(*f.store, f.kim);
  REQUIRE(view.ok());
  CHECK(view->actor.name == "Kim Jong Un");
  CHECK(view->event_count == 5);
  std::vector<std::string> codes;
  for (const auto& g : view->event_groups) codes.push_back(g.code);
  CHECK(codes == std::vector<std::string>{"036", "042", "043", "072"});

  const EventView* summit = FindEvent(*view, "event:summit-2023");
  REQUIRE(summit != nullptr);
  CHECK(summit->event.status == FactStatus::kPlanned);
  CHECK(summit->event.time.precision == TimePrecision::kImminent);
  REQUIRE(summit->roles.size() == 1);
  CHECK(summit->roles[0].role == EdgeType::kParticipant);
  REQUIRE(summit->participants.size() == 1);
  CHECK(summit->participants[0].actor.label == "Vladimir Putin");
  CHECK(summit->participants[0].role == EdgeType::kHost);
  REQUIRE(summit->sources.size() == 1);
  CHECK(summit->sources[0].title == "Kim Jong-un en route pour la Russie");
  CHECK(summit->sources[0].publisher == "Le Monde");
  CHECK(summit->quad_class == 1);
  CHECK_FALSE(summit->code_description.empty());
  // The statement about the summit is linked from it.
  REQUIRE(summit->links.size() == 1);
  CHECK(summit->links[0].type == EdgeType::kStatementAbout);

  // The speculated arms exchange, in both directions, under 072.
  const auto& arms = view->event_groups.back();
  REQUIRE(arms.events.size() == 2);
  for (const auto& e : arms.events) {
    CHECK(e.event.status == FactStatus::kSpeculated);
    REQUIRE(e.participants.size() == 1);
    CHECK(e.participants[0].actor.id == f.putin);
  }
  const EventView* to_russia = FindEvent(*view, "event:arms-to-russia");
  REQUIRE(to_russia != nullptr);
  CHECK(to_russia->roles[0].role == EdgeType::kInitiator);
  CHECK(to_russia->participants[0].role == EdgeType::kTarget);
  REQUIRE(to_russia->links.size() == 1);
  CHECK(to_russia->links[0].other.label == "artillery shells");
  CHECK(to_russia->links[0].type == EdgeType::kSupplies);
  const EventView* to_korea = FindEvent(*view, "event:tech-to-korea");
  REQUIRE(to_korea != nullptr);
  CHECK(to_korea->roles[0].role == EdgeType::kTarget);
}

TEST_CASE("ActorView: events of one type are ordered by time", "[query]") {
  QueryFixture f;
  // Two events of one code at different times: a second visit before the 2023 train journey.
  storage::WriteBatch b;
  Event e;
  e.cameo_code = "042";
  e.time = QueryFixture::Date("2011-08");
  e.status = FactStatus::kOccurred;
  Node n{MakeNodeId(NodeKind::kEvent, "event:visit-2011"), "event:visit-2011", {}, e};
  b.PutNode(n);
  b.SetOwnedEdges(n.id, {QueryFixture::Owned(n.id, EdgeType::kVisitor, f.kim, n.id, e.time,
                                             FactStatus::kOccurred)});
  REQUIRE(f.store->Write(b).ok());
  auto view = BuildActorView(*f.store, f.kim);
  REQUIRE(view.ok());
  const EventGroup* visits = nullptr;
  for (const auto& g : view->event_groups) {
    if (g.code == "042") visits = &g;
  }
  REQUIRE(visits != nullptr);
  REQUIRE(visits->events.size() == 2);
  CHECK(visits->events[0].ref.key == "event:visit-2011");
  CHECK(visits->events[1].ref.key == "event:train-journey");
}

TEST_CASE("ActorView: relations in both directions, with validity, status and source", "[query]") {
  QueryFixture f;
  auto kim = BuildActorView(*f.store, f.kim);
  REQUIRE(kim.ok());
  REQUIRE(kim->relations.size() == 1);
  const RelationView& leads = kim->relations[0];
  CHECK(leads.type == EdgeType::kLeaderOf);
  CHECK(leads.outgoing);
  CHECK(leads.reading == "is leader of");
  CHECK(leads.other.label == "North Korea");
  CHECK(leads.validity.open_end);
  CHECK(leads.status == FactStatus::kOccurred);
  REQUIRE(leads.sources.size() == 1);
  CHECK(leads.sources[0].publisher == "Le Monde");

  auto kremlin = BuildActorView(*f.store, f.kremlin);
  REQUIRE(kremlin.ok());
  REQUIRE(kremlin->relations.size() == 1);
  CHECK_FALSE(kremlin->relations[0].outgoing);
  CHECK(kremlin->relations[0].reading == "has spokesperson");
  CHECK(kremlin->relations[0].other.id == f.peskov);
}

TEST_CASE("ActorView: statements with their quote, subject and source", "[query]") {
  QueryFixture f;
  auto view = BuildActorView(*f.store, f.peskov);
  REQUIRE(view.ok());
  CHECK(view->event_count == 0);
  REQUIRE(view->statements.size() == 1);
  const StatementView& s = view->statements[0];
  CHECK(s.statement.quote == "Les dirigeants auront des entretiens");
  CHECK(s.speaker.id == f.peskov);
  REQUIRE(s.about.size() == 1);
  CHECK(s.about[0].id == f.summit);
  REQUIRE(s.sources.size() == 1);
  CHECK(s.sources[0].title == "Kim Jong-un en route pour la Russie");
}

TEST_CASE("ActorView: a node that is not an actor is NotFound", "[query]") {
  QueryFixture f;
  CHECK(BuildActorView(*f.store, f.summit).status().IsNotFound());
  CHECK(
      BuildActorView(*f.store, MakeNodeId(NodeKind::kActor, "actor:nobody")).status().IsNotFound());
}

// The bundled example dataset (data/examples/), loaded through the curated loader.
TEST_CASE(
    "ActorView: on the example dataset, Kim Jong-un's planned summit and the speculated "
    "arms exchange with Vladimir Putin, with statuses and source",
    "[query]") {
  const std::string example =
      std::string(GEOKG_SOURCE_DIR) + "/data/examples/kim-putin-summit.jsonl";
  REQUIRE(std::filesystem::exists(example));
  test::TempDir dir;
  auto store = test::OpenNewStore(dir.path() + "/store");
  auto report = io::LoadCuratedFiles(*store, {example}, io::LoadOptions{});
  REQUIRE(report.ok());
  for (const auto& d : report->errors) UNSCOPED_INFO(d.ToString());
  REQUIRE(report->ok());

  auto kim = ResolveOneActor(*store, "kim jong-un");
  REQUIRE(kim.ok());
  for (const char* spelling : {"Kim Jong Un", "KIM JONG UN", "kim  jong-un", "Kim Jong-Un"}) {
    INFO(spelling);
    auto id = ResolveOneActor(*store, spelling);
    REQUIRE(id.ok());
    CHECK(*id == *kim);
  }
  auto putin = ResolveOneActor(*store, "Vladimir Putin");
  REQUIRE(putin.ok());
  auto typo = ResolveOneActor(*store, "vladimir putn");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.status().IsNotFound());
  CHECK(typo.status().message().find("did you mean \"Vladimir Putin\"") != std::string::npos);

  auto view = BuildActorView(*store, *kim);
  REQUIRE(view.ok());
  bool planned_summit = false, speculated_arms = false;
  for (const auto& g : view->event_groups) {
    for (const auto& e : g.events) {
      const bool with_putin =
          std::any_of(e.participants.begin(), e.participants.end(),
                      [&](const Participant& p) { return p.actor.id == *putin; });
      if (!with_putin) continue;
      const bool sourced = !e.sources.empty() && !e.sources[0].title.empty();
      CHECK(sourced);
      CHECK_FALSE(e.roles.empty());
      // A meeting (CAMEO 03 intent / 04 consult) that is planned.
      if (e.event.status == FactStatus::kPlanned &&
          (g.code.rfind("03", 0) == 0 || g.code.rfind("04", 0) == 0)) {
        planned_summit = true;
      }
      // Arms or technology changing hands (CAMEO 07 provide aid, 06 material cooperation...).
      if (e.event.status == FactStatus::kSpeculated) speculated_arms = true;
    }
  }
  CHECK(planned_summit);
  CHECK(speculated_arms);
}

}  // namespace
}  // namespace geokg::query
