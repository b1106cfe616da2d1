// Tests for src/util/normalize.h: the one name-matching rule, UTF-8 validation and the capped
// edit distance.

#include "util/normalize.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>

namespace geokg {
namespace {

TEST_CASE("Normalize: spelling variants of one name give one key", "[util]") {
  const std::string key = NormalizeName("Kim Jong-Un");
  CHECK(key == "kim jong un");
  CHECK(NormalizeName("kim jong un") == key);
  CHECK(NormalizeName("KIM JONG UN") == key);
  CHECK(NormalizeName("Kim  Jong Un") == key);
  CHECK(NormalizeName("  Kim_Jong.Un!  ") == key);
  CHECK(NormalizeName("Kim\tJong\nUn") == key);
  CHECK(NormalizeName("O'Brien") == "o brien");
  CHECK(NormalizeName("") == "");
  CHECK(NormalizeName(" -- ") == "");
  CHECK(NormalizeName("G20 2018") == "g20 2018");
}

TEST_CASE("Normalize: accents and compatibility forms fold away", "[util]") {
  CHECK(NormalizeName("Dmítri Peskov") == NormalizeName("Dmitri Peskov"));
  CHECK(NormalizeName("Dmitrï Péskov") == "dmitri peskov");
  CHECK(NormalizeName("Poutine") == "poutine");
  CHECK(NormalizeName("POUTINE") == "poutine");
  CHECK(NormalizeName("Emmanuel Macrón") == "emmanuel macron");
  CHECK(NormalizeName("Straße") == "strasse");                // full case folding
  CHECK(NormalizeName("ﬁnance") == "finance");                // NFKD: ligature
  CHECK(NormalizeName("Ｋｉｍ") == "kim");                    // NFKD: full-width letters
  CHECK(NormalizeName("İstanbul") == "istanbul");             // U+0130 folds to i + combining dot
  CHECK(NormalizeName("Kim\u2019s") == "kim s");              // typographic apostrophe separates
  CHECK(NormalizeName("Jean\u00A0Dupont") == "jean dupont");  // no-break space
  CHECK(NormalizeName("Zürich") == NormalizeName("ZU\u0308RICH"));  // precomposed = decomposed
}

TEST_CASE("Normalize: non-Latin scripts survive", "[util]") {
  CHECK(NormalizeName("Владимир Путин") == "владимир путин");
  CHECK(NormalizeName("ВЛАДИМИР  ПУТИН") == "владимир путин");
  CHECK(NormalizeName("Дмитрий Песков") == NormalizeName("дмитрий песков"));
  // Hangul comes back composed (NFKD splits syllables into jamo).
  CHECK(NormalizeName("김정은") == "김정은");
  CHECK(NormalizeName("김 정은!") == "김 정은");
  CHECK(NormalizeName("習近平") == "習近平");
  CHECK(NormalizeName("مودي") == "مودي");
  CHECK(NormalizeName("नरेन्द्र मोदी") == NormalizeName(NormalizeName("नरेन्द्र मोदी")));
  CHECK(NormalizeName("नरेन्द्र मोदी").find(' ') != std::string::npos);
}

TEST_CASE("Normalize: the key is a fixed point", "[util]") {
  for (const char* s : {"Kim Jong-Un", "Dmitrï Péskov", "Straße", "김정은", "İstanbul",
                        "Владимир Путин", "ﬁ-Ｋｉｍ", "नरेन्द्र मोदी"}) {
    INFO(s);
    const std::string once = NormalizeName(s);
    CHECK(NormalizeName(once) == once);
    CHECK(IsValidUtf8(once));
  }
}

TEST_CASE("Normalize: invalid UTF-8 is dropped, never a crash", "[util]") {
  CHECK(NormalizeName("Kim\xFF Jong") == "kim jong");
  CHECK(NormalizeName("Kim\xC3") == "kim");      // truncated sequence at the end
  CHECK(NormalizeName("\xC0\xAFKim") == "kim");  // overlong '/'
  CHECK(NormalizeName("a\xED\xA0\x80"
                      "b") == "ab");                      // surrogate
  CHECK(NormalizeName("P\xC3\xA9\x80skov") == "peskov");  // stray continuation byte
  std::mt19937 rng(1);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 40, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    const std::string out = NormalizeName(junk);
    REQUIRE(IsValidUtf8(out));
    REQUIRE(NormalizeName(out) == out);
  }
}

TEST_CASE("Normalize: Slugify joins words with hyphens", "[util]") {
  CHECK(Slugify("Kim Jong-Un") == "kim-jong-un");
  CHECK(Slugify("  Dmitrï  Péskov ") == "dmitri-peskov");
  CHECK(Slugify("Владимир Путин") == "владимир-путин");
  CHECK(Slugify("...") == "");
  for (std::string_view name : {"Kim Jong-Un", "  Dmitrï  Péskov ", "Владимир Путин"}) {
    CHECK(SlugOfNormalized(NormalizeName(name)) == Slugify(name));
  }
}

TEST_CASE("Normalize: IsValidUtf8 is strict", "[util]") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("plain ascii"));
  CHECK(IsValidUtf8("Péskov Путин 김정은 \xF0\x9F\x98\x80"));  // up to 4-byte sequences
  CHECK(IsValidUtf8(std::string("a\0b", 3)));
  CHECK(IsValidUtf8("\xF4\x8F\xBF\xBF"));        // U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  CHECK_FALSE(IsValidUtf8("\xC0\x80"));          // overlong NUL
  CHECK_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800 surrogate
  CHECK_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF surrogate
  CHECK(IsValidUtf8("\xED\x9F\xBF"));            // U+D7FF
  CHECK_FALSE(IsValidUtf8("\x80"));
  CHECK_FALSE(IsValidUtf8("\xC3"));
  CHECK_FALSE(IsValidUtf8("\xE2\x82"));
  CHECK_FALSE(IsValidUtf8("\xFF"));
  CHECK_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));  // 5-byte form
  // ASCII is skipped eight bytes at a time: a bad byte or a valid sequence at every offset of
  // the first words, and one cut by the end of the string.
  for (size_t at = 0; at < 24; ++at) {
    INFO("at " << at);
    const std::string pad(at, 'x');
    CHECK_FALSE(IsValidUtf8(pad + "\xFF" + "0123456789abcdef"));
    CHECK_FALSE(IsValidUtf8(pad + "\xE2\x82"));
    CHECK(IsValidUtf8(pad + "\xE2\x82\xAC" + "0123456789abcdef"));
  }
}

TEST_CASE("Normalize: AsciiLower lowers ASCII letters only", "[util]") {
  CHECK(AsciiLower("GLOBALEVENTID") == "globaleventid");
  CHECK(AsciiLower("Event_ID 09 Zz") == "event_id 09 zz");
  CHECK(AsciiLower("\xC3\x89T\xC3\x89") == "\xC3\x89t\xC3\x89");  // "ÉTÉ": the É bytes stay
  CHECK(AsciiLower("") == "");
}

TEST_CASE("Normalize: HasNameContent says whether the normalized name is empty", "[util]") {
  for (std::string_view name : {"", " ", "--", " - . ", "\t", "a", " x ", "0", "Kim Jong-Un", "é",
                                " \xC3\xA9 ", "\xE2\x80\x94", "\xCC\x81", "Путин", "...!"}) {
    INFO(name);
    CHECK(HasNameContent(name) == !NormalizeName(name).empty());
  }
}

TEST_CASE("Normalize: EditDistance is Levenshtein capped at limit + 1", "[util]") {
  CHECK(EditDistance("", "", 3) == 0);
  CHECK(EditDistance("abc", "abc", 3) == 0);
  CHECK(EditDistance("kitten", "sitting", 5) == 3);
  CHECK(EditDistance("kitten", "sitting", 3) == 3);
  CHECK(EditDistance("kitten", "sitting", 2) == 3);  // capped: limit + 1
  CHECK(EditDistance("kitten", "sitting", 0) == 1);
  CHECK(EditDistance("", "abcd", 10) == 4);
  CHECK(EditDistance("abcd", "", 2) == 3);
  CHECK(EditDistance("putin", "poutine", 5) == 2);

  // Against an uncapped reference on random short strings.
  auto reference = [](const std::string& a, const std::string& b) {
    std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
    for (size_t i = 1; i <= a.size(); ++i) {
      for (size_t j = 1; j <= b.size(); ++j) {
        d[i][j] = std::min(
            {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      }
    }
    return d[a.size()][b.size()];
  };
  std::mt19937 rng(3);
  for (int i = 0; i < 3000; ++i) {
    std::string a(rng() % 9, 'a'), b(rng() % 9, 'a');
    for (char& c : a) c = static_cast<char>('a' + rng() % 3);
    for (char& c : b) c = static_cast<char>('a' + rng() % 3);
    const int limit = static_cast<int>(rng() % 6);
    INFO(a << " / " << b << " limit " << limit);
    REQUIRE(EditDistance(a, b, limit) == std::min(reference(a, b), limit + 1));
  }
}

}  // namespace
}  // namespace geokg

namespace geokg {

TEST_CASE("EscapeControls: control bytes become escapes, text stays as it is", "[util]") {
  CHECK(EscapeControls("Kim Jong-Un, Pyongyang \xc3\xa9") == "Kim Jong-Un, Pyongyang \xc3\xa9");
  CHECK(EscapeControls("a\tb\r\nc") == "a\\tb\\r\\nc");
  CHECK(EscapeControls(std::string("\x1b[31m\x00\x7f", 7)) == "\\x1b[31m\\x00\\x7f");
  CHECK(EscapeControls("") == "");
}

}  // namespace geokg
