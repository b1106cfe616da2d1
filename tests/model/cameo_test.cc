// Tests for src/model/cameo.h: the bundled codebook against the raw files it was built from
// (re-read here independently from data/cameo/), and ICEWS18's relation names.

#include "model/cameo.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "util/normalize.h"

namespace geokg {
namespace {

// `CODE<TAB>VALUE` rows of a data/cameo file, header skipped.
std::map<std::string, std::string> ReadTabFile(const std::string& name) {
  std::ifstream in(std::string(GEOKG_SOURCE_DIR) + "/data/cameo/" + name);
  REQUIRE(in.good());
  std::map<std::string, std::string> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string value = line.substr(tab + 1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
    rows.emplace(line.substr(0, tab), value);
  }
  return rows;
}

TEST_CASE("Cameo: the codebook holds GDELT's 311 codes plus ICEWS's 1213", "[model]") {
  const Codebook& cb = Codebook::Default();
  const auto gdelt = ReadTabFile("CAMEO.eventcodes.txt");
  REQUIRE(gdelt.size() == 311);
  CHECK(cb.EventCodes().size() == 312);
  for (const auto& [code, description] : gdelt) {
    const CameoEventCode* c = cb.Find(code);
    REQUIRE(c != nullptr);
    CHECK(c->code == code);
    CHECK(c->description == description);
  }
  const CameoEventCode* extra = cb.Find("1213");
  REQUIRE(extra != nullptr);
  CHECK(gdelt.count("1213") == 0);
  CHECK(extra->description == "Reject judicial cooperation");
  CHECK(extra->icews_name == "Reject judicial cooperation");
  CHECK(extra->goldstein == -4.0f);
  CHECK(extra->quad_class == 3);
  CHECK(extra->plover_type == "REJECT");

  // Ordered by code string, no duplicates.
  for (size_t i = 1; i < cb.EventCodes().size(); ++i) {
    CHECK(cb.EventCodes()[i - 1].code < cb.EventCodes()[i].code);
  }
}

TEST_CASE("Cameo: codes are strings and leading zeros matter", "[model]") {
  const Codebook& cb = Codebook::Default();
  CHECK(cb.IsValidEventCode("043"));
  CHECK(cb.IsValidEventCode("0431") == (cb.Find("0431") != nullptr));
  CHECK_FALSE(cb.IsValidEventCode("43"));
  CHECK_FALSE(cb.IsValidEventCode("13y"));
  CHECK_FALSE(cb.IsValidEventCode(""));
  CHECK_FALSE(cb.IsValidEventCode("0"));
  CHECK_FALSE(cb.IsValidEventCode("04310"));
  CHECK_FALSE(cb.IsValidEventCode("21"));
  CHECK_FALSE(cb.IsValidEventCode(" 043"));

  const CameoEventCode* c = cb.Find("043");
  REQUIRE(c != nullptr);
  CHECK(c->description == "Host a visit");
  CHECK(c->icews_name == "Host a visit");
  CHECK(c->root == "04");
  CHECK(c->base == "043");
  CHECK(c->quad_class == 1);
  CHECK(c->plover_type == "CONSULT");
  CHECK(c->plover_mode == "visit");
  CHECK(c->plover_context.empty());

  const CameoEventCode* d = cb.Find("0251");
  REQUIRE(d != nullptr);
  CHECK(d->root == "02");
  CHECK(d->base == "025");
  CHECK(cb.Find("02")->base == "02");
}

TEST_CASE("Cameo: QuadClass follows the root by the fixed rule", "[model]") {
  const Codebook& cb = Codebook::Default();
  for (int r = 1; r <= 20; ++r) {
    const std::string root = (r < 10 ? "0" : "") + std::to_string(r);
    const int expected = r <= 5 ? 1 : r <= 9 ? 2 : r <= 14 ? 3 : 4;
    INFO("root " << root);
    CHECK(Codebook::QuadClassOfRoot(root) == expected);
    const CameoEventCode* c = cb.Find(root);
    REQUIRE(c != nullptr);
    CHECK(c->quad_class == expected);
  }
  for (const char* bad : {"00", "21", "1", "001", "", "ab", "-1", "99"}) {
    CHECK(Codebook::QuadClassOfRoot(bad) == 0);
  }
  for (const CameoEventCode& c : cb.EventCodes()) {
    INFO(c.code);
    CHECK(c.root == c.code.substr(0, 2));
    CHECK(c.quad_class == Codebook::QuadClassOfRoot(c.root));
    CHECK(c.quad_class != 0);
  }
  CHECK(Codebook::QuadClassName(1) == "verbal cooperation");
  CHECK(Codebook::QuadClassName(2) == "material cooperation");
  CHECK(Codebook::QuadClassName(3) == "verbal conflict");
  CHECK(Codebook::QuadClassName(4) == "material conflict");
}

TEST_CASE("Cameo: Goldstein values match the raw files, ICEWS's kept where it differs", "[model]") {
  const Codebook& cb = Codebook::Default();
  const auto raw = ReadTabFile("CAMEO.goldsteinscale.txt");
  REQUIRE(raw.size() == 311);
  for (const auto& [code, value] : raw) {
    const CameoEventCode* c = cb.Find(code);
    REQUIRE(c != nullptr);
    INFO(code);
    CHECK(c->goldstein == Approx(std::stof(value)));
  }
  CHECK(cb.Find("011")->goldstein == Approx(-0.1));
  CHECK(cb.Find("043")->goldstein == Approx(2.8));
  CHECK(cb.Find("175")->goldstein == Approx(-9.0));

  // The four codes on which ICEWS and GDELT disagree (values read from the two files).
  struct Diff {
    const char* code;
    float gdelt, icews;
  };
  std::set<std::string> differing;
  for (const Diff& d : {Diff{"016", -2.0f, -5.0f}, Diff{"022", 3.2f, 3.4f},
                        Diff{"164", -7.0f, -6.5f}, Diff{"165", -6.5f, -7.0f}}) {
    const CameoEventCode* c = cb.Find(d.code);
    REQUIRE(c != nullptr);
    CHECK(c->goldstein == Approx(d.gdelt));
    REQUIRE(c->icews_goldstein.has_value());
    CHECK(*c->icews_goldstein == Approx(d.icews));
  }
  for (const CameoEventCode& c : cb.EventCodes()) {
    if (c.icews_goldstein) differing.insert(c.code);
  }
  CHECK(differing == std::set<std::string>{"016", "022", "164", "165"});
}

TEST_CASE("Cameo: PLOVER types, modes and contexts come from the 2021 table", "[model]") {
  const Codebook& cb = Codebook::Default();
  CHECK(cb.Find("091")->plover_type == "ACCUSE");
  CHECK(cb.Find("091")->plover_mode == "investigate");
  CHECK(cb.Find("091")->plover_context == "crime; corruption");
  CHECK(cb.Find("0861")->plover_type == "RETREAT");
  CHECK(cb.Find("0861")->plover_mode == "access");
  CHECK(cb.Find("0861")->plover_context == "peacekeeping");
  CHECK(cb.Find("175")->plover_type == "ASSAULT");
  CHECK(cb.Find("175")->plover_context == "military");
  CHECK(cb.Find("04")->plover_type == "CONSULT");
  CHECK(cb.Find("04")->plover_mode.empty());
  CHECK(cb.Find("080")->plover_type == "CONCEDE");
  CHECK(cb.Find("084")->plover_type == "RETREAT");
  // Root 08 is split by PLOVER into CONCEDE and RETREAT: no single type.
  CHECK(cb.Find("08")->plover_type.empty());
  // Statements and appeals have no PLOVER event type.
  CHECK(cb.Find("010")->plover_type.empty());
  CHECK(cb.Find("0211")->plover_type.empty());
  int with_type = 0;
  for (const CameoEventCode& c : cb.EventCodes()) with_type += c.plover_type.empty() ? 0 : 1;
  // Every code outside roots 01 and 02, except the ambiguous root 08 (counted with awk:
  // 312 codes, 39 under 01/02).
  CHECK(with_type == 312 - 39 - 1);
}

TEST_CASE("Cameo: FindByName maps every ICEWS18 relation name to a code", "[model]") {
  const Codebook& cb = Codebook::Default();
  std::ifstream in(std::string(GEOKG_TEST_DATA_DIR) + "/icews18_relation2id.txt");
  REQUIRE(in.good());
  std::string line;
  int names = 0;
  std::set<std::string> codes;
  while (std::getline(in, line)) {
    const std::string name = line.substr(0, line.find('\t'));
    const CameoEventCode* c = cb.FindByName(name);
    INFO(name);
    REQUIRE(c != nullptr);
    CHECK(c->icews_name == name);  // ICEWS names win over GDELT descriptions
    codes.insert(c->code);
    ++names;
  }
  CHECK(names == 256);
  CHECK(codes.size() == 256);  // distinct names, distinct codes

  // The codes ICEWS data itself gives these names (raw ICEWS sample, 2018-06-01).
  CHECK(cb.FindByName("Make an appeal or request")->code == "020");
  CHECK(cb.FindByName("Make statement")->code == "010");
  CHECK(cb.FindByName("Demand")->code == "100");
  CHECK(cb.FindByName("Consult")->code == "040");
  // ICEWS and GDELT disagree on 105-108; the ICEWS name decides.
  CHECK(cb.FindByName("Demand mediation")->code == "108");
  CHECK(cb.FindByName("Demand meeting, negotiation")->code == "106");
  CHECK(cb.FindByName("Reject judicial cooperation")->code == "1213");
}

TEST_CASE("Cameo: FindByName ignores case and surrounding spaces", "[model]") {
  const Codebook& cb = Codebook::Default();
  CHECK(cb.FindByName("  host a VISIT ")->code == "043");
  CHECK(cb.FindByName("DEMAND")->code == "10");              // exact: the root's capitalised name
  CHECK(cb.FindByName("demand")->code == "100");             // case-insensitive: the longer code
  CHECK(cb.FindByName("Demand withdrawal")->code == "106");  // GDELT-only description
  CHECK(cb.FindByName("Appeal, not specified below")->code == "020");
  CHECK(cb.FindByName("") == nullptr);
  CHECK(cb.FindByName("Host a visitor") == nullptr);
  CHECK(cb.FindByName("043") == nullptr);
}

TEST_CASE("Cameo: actor types and countries", "[model]") {
  const Codebook& cb = Codebook::Default();
  CHECK(cb.ActorTypeLabel("GOV") == std::optional<std::string_view>("Government"));
  CHECK(cb.ActorTypeLabel("COP") == std::optional<std::string_view>("Police forces"));
  CHECK(cb.ActorTypeLabel("REB") == std::optional<std::string_view>("Rebels"));
  CHECK_FALSE(cb.ActorTypeLabel("gov").has_value());
  CHECK_FALSE(cb.ActorTypeLabel("XXX").has_value());
  CHECK(cb.ActorTypeLabel("UIS") == std::optional<std::string_view>("Unidentified State Actor"));

  const auto raw = ReadTabFile("CAMEO.country.txt");
  REQUIRE(raw.size() == 259);
  for (const auto& [code, label] : raw) {
    INFO(code << " " << label);
    CHECK(cb.CountryLabel(code) == std::optional<std::string_view>(label));
    CHECK(cb.CountryCodeForName(label) == std::optional<std::string_view>(code));
    // The temporal-KG importer's worker normalizes each name once and looks it up so.
    CHECK(cb.CountryCodeForNormalized(NormalizeName(label)) ==
          std::optional<std::string_view>(code));
  }
  // Only a normalized name is found by CountryCodeForNormalized.
  CHECK_FALSE(cb.CountryCodeForNormalized("North Korea").has_value());
  CHECK_FALSE(cb.CountryCodeForNormalized("").has_value());
  CHECK(cb.CountryCodeForName("North Korea") == std::optional<std::string_view>("PRK"));
  CHECK(cb.CountryCodeForName("north korea") == std::optional<std::string_view>("PRK"));
  CHECK(cb.CountryCodeForName("  RUSSIA ") == std::optional<std::string_view>("RUS"));
  CHECK(cb.CountryCodeForName("United States") == std::optional<std::string_view>("USA"));
  CHECK(cb.CountryCodeForName("People's Republic of the Congo") ==
        std::optional<std::string_view>("COG"));
  CHECK_FALSE(cb.CountryCodeForName("Narnia").has_value());
  CHECK_FALSE(cb.CountryCodeForName("").has_value());
  CHECK_FALSE(cb.CountryLabel("rus").has_value());
}

}  // namespace
}  // namespace geokg
