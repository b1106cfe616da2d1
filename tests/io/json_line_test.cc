#include "io/json_line.h"

#include <catch2/catch.hpp>
#include <string>

namespace geokg::io {
namespace {

// {"type": [[...]]} with the array nested `arrays` deep (the record itself is one more level).
std::string Nested(size_t arrays) {
  return "{\"type\": " + std::string(arrays, '[') + std::string(arrays, ']') + "}";
}

TEST_CASE("JsonLineParser: nesting past 64 levels is an error at the first level too deep",
          "[io]") {
  JsonLineParser parser;
  JsonValue value;
  size_t offset = 0;
  std::string error;

  SECTION("64 levels parse") {
    CHECK(parser.Parse(Nested(63), &value, &offset, &error));
    CHECK(error.empty());
  }
  SECTION("65 levels do not") {
    CHECK_FALSE(parser.Parse(Nested(64), &value, &offset, &error));
    CHECK(error == "malformed JSON: nested too deeply (more than 64 levels)");
    CHECK(offset == 9 + 63);  // the 64th '[' (level 65)
  }
  SECTION("far past simdjson's own limit, and deeper than the stack would hold") {
    const std::string line = Nested(1000000);
    CHECK_FALSE(parser.Parse(line, &value, &offset, &error));
    CHECK(error == "malformed JSON: nested too deeply (more than 64 levels)");
    CHECK(offset == 9 + 63);
    JsonValue next;
    CHECK(parser.Parse("{\"type\": \"actor\"}", &next, &offset, &error));  // parser reusable
  }
}

}  // namespace
}  // namespace geokg::io
