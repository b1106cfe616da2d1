#pragma once
// A small hand-built store for the query tests, written through Store::Write (independent of the
// curated loader): the actors, events, relations and statement of the Kim–Putin summit article,
// plus an undated event and two actors sharing the alias "Supreme Leader" (for ambiguity).

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "model/time_format.h"
#include "storage/store.h"
#include "tests/test_util.h"

namespace geokg::test {

struct QueryFixture {
  TempDir dir;
  std::unique_ptr<storage::Store> store;
  storage::WriteBatch batch;

  static Interval Date(const char* text) {
    auto r = ParseDate(text);
    REQUIRE(r.ok());
    return *r;
  }
  static Interval Imminent(const char* reported) {
    Interval iv = Date(reported);
    iv.precision = TimePrecision::kImminent;
    iv.end = iv.start;
    return iv;
  }
  static Interval Since(const char* text) {
    Interval iv = Date(text);
    iv.open_end = true;
    return iv;
  }

  NodeId Put(NodeKind kind, const std::string& key, decltype(Node::body) body,
             NodeId source = kNoNode) {
    Node n;
    n.key = key;
    n.id = MakeNodeId(kind, key);
    n.body = std::move(body);
    if (source != kNoNode) {
      Provenance p;
      p.source = source;
      p.dataset = "curated";
      n.provenance.push_back(p);
    }
    batch.PutNode(n);
    return n.id;
  }
  NodeId AddActor(const std::string& key, const std::string& name, ActorKind kind,
                  std::vector<std::string> aliases = {}, const std::string& iso3 = "") {
    Actor a;
    a.kind = kind;
    a.name = name;
    a.aliases = std::move(aliases);
    a.country_iso3 = iso3;
    return Put(NodeKind::kActor, key, a);
  }
  struct Role {
    NodeId actor;
    EdgeType type;
  };
  NodeId AddEvent(const std::string& key, const std::string& code, Interval time, FactStatus status,
                  const std::string& summary, std::vector<Role> roles, NodeId source,
                  std::vector<std::pair<EdgeType, NodeId>> out = {}) {
    Event e;
    e.cameo_code = code;
    e.time = time;
    e.status = status;
    e.summary = summary;
    NodeId id = Put(NodeKind::kEvent, key, e, source);
    std::vector<Edge> edges;
    for (const Role& r : roles) edges.push_back(Owned(id, r.type, r.actor, id, time, status));
    for (const auto& [type, dst] : out) edges.push_back(Owned(id, type, id, dst, time, status));
    batch.SetOwnedEdges(id, edges);
    return id;
  }
  static Edge Owned(NodeId owner, EdgeType type, NodeId src, NodeId dst, Interval validity,
                    FactStatus status) {
    Edge e;
    e.type = type;
    e.src = src;
    e.dst = dst;
    e.owner = owner;
    e.id = MakeOwnedEdgeId(owner, type, src, dst);
    e.validity = validity;
    e.status = status;
    return e;
  }
  void AddRelation(const std::string& key, EdgeType type, NodeId src, NodeId dst, Interval validity,
                   FactStatus status, NodeId source) {
    Edge e = test::KeyedEdge(type, src, dst, key, validity);
    e.status = status;
    Provenance p;
    p.source = source;
    e.provenance.push_back(p);
    batch.PutEdge(e);
  }

  NodeId kim, putin, peskov, kremlin, north_korea, russia, khamenei, lemonde, shells, summit,
      arms_to_russia, arms_to_korea, train, summit_2019, undated, statement;

  QueryFixture() {
    store = OpenNewStore(dir.path() + "/store");
    Source src;
    src.title = "Kim Jong-un en route pour la Russie";
    src.publisher = "Le Monde";
    src.language = "fr";
    src.published = Date("2023-09-11");
    lemonde = Put(NodeKind::kSource, "source:lemonde-2023-09-11", src);
    kim = AddActor("actor:kim-jong-un", "Kim Jong Un", ActorKind::kPerson,
                   {"Kim Jong-un", "Supreme Leader"}, "PRK");
    putin = AddActor("actor:vladimir-putin", "Vladimir Putin", ActorKind::kPerson, {}, "RUS");
    peskov = AddActor("actor:dmitry-peskov", "Dmitry Peskov", ActorKind::kPerson, {"Dmitri Peskov"},
                      "RUS");
    kremlin = AddActor("actor:kremlin", "Kremlin", ActorKind::kGovernmentBody, {}, "RUS");
    north_korea = AddActor("actor:north-korea", "North Korea", ActorKind::kState, {}, "PRK");
    russia = AddActor("actor:russia", "Russia", ActorKind::kState, {}, "RUS");
    khamenei = AddActor("actor:ali-khamenei", "Ali Khamenei", ActorKind::kPerson,
                        {"Supreme Leader"}, "IRN");
    Item item;
    item.name = "artillery shells";
    item.category = "weapon";
    shells = Put(NodeKind::kItem, "item:artillery-shells", item);

    summit = AddEvent("event:summit-2023", "036", Imminent("2023-09-11"), FactStatus::kPlanned,
                      "Planned summit between Kim Jong Un and Vladimir Putin",
                      {{kim, EdgeType::kParticipant}, {putin, EdgeType::kHost}}, lemonde);
    arms_to_russia =
        AddEvent("event:arms-to-russia", "072", Imminent("2023-09-11"), FactStatus::kSpeculated,
                 "North Korea could supply artillery shells to Russia",
                 {{kim, EdgeType::kInitiator}, {putin, EdgeType::kTarget}}, lemonde,
                 {{EdgeType::kSupplies, shells}});
    arms_to_korea =
        AddEvent("event:tech-to-korea", "072", Imminent("2023-09-11"), FactStatus::kSpeculated,
                 "Russia could supply satellite technology to North Korea",
                 {{putin, EdgeType::kInitiator}, {kim, EdgeType::kTarget}}, lemonde);
    train = AddEvent("event:train-journey", "042", Date("2023-09"), FactStatus::kOccurred,
                     "Kim Jong Un travels to Russia by armoured train", {{kim, EdgeType::kVisitor}},
                     lemonde);
    summit_2019 = AddEvent("event:summit-2019", "043", Date("2019-04-25"), FactStatus::kOccurred,
                           "First summit in Vladivostok",
                           {{putin, EdgeType::kHost}, {kim, EdgeType::kVisitor}}, lemonde);
    undated = AddEvent("event:consequences", "138", Interval{}, FactStatus::kPredicted,
                       "Washington warns of consequences", {{putin, EdgeType::kTarget}}, lemonde);
    AddRelation("rel:kim-leads-nk", EdgeType::kLeaderOf, kim, north_korea, Since("2011-12"),
                FactStatus::kOccurred, lemonde);
    AddRelation("rel:putin-leads-russia", EdgeType::kLeaderOf, putin, russia, Since("2012-05"),
                FactStatus::kOccurred, lemonde);
    AddRelation("rel:peskov-kremlin", EdgeType::kSpokespersonFor, peskov, kremlin, Since("2012"),
                FactStatus::kOccurred, lemonde);

    Statement st;
    st.speaker = peskov;
    st.quote = "Les dirigeants auront des entretiens";
    st.language = "fr";
    st.time = Date("2023-09-11");
    st.source = lemonde;
    statement = Put(NodeKind::kStatement, "statement:peskov-talks", st, lemonde);
    batch.SetOwnedEdges(statement, {Owned(statement, EdgeType::kSpeaker, peskov, statement, st.time,
                                          FactStatus::kOccurred),
                                    Owned(statement, EdgeType::kStatementAbout, statement, summit,
                                          st.time, FactStatus::kOccurred)});
    auto written = store->Write(batch);
    INFO(written.status().ToString());
    REQUIRE(written.ok());
  }
};

}  // namespace geokg::test
