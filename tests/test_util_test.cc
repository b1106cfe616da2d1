// Shared test helpers (tests/test_util.h) and a check that they work.
#include "tests/test_util.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <sstream>

namespace geokg::test {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "geokg-test-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  REQUIRE(made != nullptr);
  path_ = made;
}
TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream f(path, std::ios::binary);
  REQUIRE(f.good());
  f << contents;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::unique_ptr<storage::Store> OpenNewStore(const std::string& path) {
  storage::OpenOptions o;
  o.create_if_missing = true;
  auto r = storage::Store::Open(path, o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

int RunCommand(const std::string& command, std::string* out, std::string* err) {
  TempDir dir;
  std::string o = dir.path() + "/out", e = dir.path() + "/err";
  int rc = std::system(("( " + command + " ) >" + o + " 2>" + e + " </dev/null").c_str());
  if (out) *out = ReadFile(o);
  if (err) *err = ReadFile(e);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

TEST_CASE("Test utilities: a temp dir exists and is removed", "[util]") {
  std::string p;
  {
    TempDir d;
    p = d.path();
    CHECK(std::filesystem::is_directory(p));
    WriteFile(p + "/f", "abc");
    CHECK(ReadFile(p + "/f") == "abc");
  }
  CHECK_FALSE(std::filesystem::exists(p));
  std::string out, err;
  CHECK(RunCommand("echo hi; echo oops >&2; exit 3", &out, &err) == 3);
  CHECK(out == "hi\n");
  CHECK(err == "oops\n");
}

}  // namespace geokg::test
