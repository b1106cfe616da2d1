// Tests for src/codec/packed.h: the word-at-a-time packer writes exactly the bytes Cap'n Proto's
// own packer (capnp::_::PackedOutputStream) writes, on words of every shape and at every run
// boundary, and encoded nodes (one segment or several) are what capnp::writePackedMessage writes.

#include "codec/packed.h"

#include <capnp/serialize-packed.h>
#include <kj/io.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "codec/value_codec.h"
#include "model/types.h"

namespace geokg {
namespace {

// Cap'n Proto's packer, given `pieces` one write() each, as capnp::writeMessage gives them.
std::string CapnpPacked(const std::vector<std::string>& pieces) {
  size_t total = 0;
  for (const auto& p : pieces) total += p.size();
  std::vector<kj::byte> buf(total * 10 / 8 + 64);
  kj::ArrayOutputStream array(kj::arrayPtr(buf.data(), buf.size()));
  {
    capnp::_::PackedOutputStream packed(array);
    for (const auto& p : pieces) packed.write(p.data(), p.size());
  }
  auto bytes = array.getArray();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

// Our packer's bytes; both versions (SIMD where the host has it, and portable) must agree.
std::string OursPacked(const std::string& words) {
  REQUIRE(words.size() % 8 == 0);
  std::vector<uint64_t> aligned(words.size() / 8 + 1);
  std::memcpy(aligned.data(), words.data(), words.size());
  std::string out(codec::MaxPackedBytes(words.size() / 8), '\0');
  out.resize(codec::PackWords(aligned.data(), words.size() / 8, out.data()));
  std::string portable(codec::MaxPackedBytes(words.size() / 8), '\0');
  portable.resize(codec::PackWordsPortable(aligned.data(), words.size() / 8, portable.data()));
  REQUIRE(portable == out);
  return out;
}

// A word with exactly `zeros` zero bytes at random places, the others random non-zero bytes.
std::string WordWithZeros(std::mt19937_64& rng, int zeros) {
  std::string w(8, '\0');
  for (char& c : w) c = static_cast<char>(1 + rng() % 255);
  std::vector<int> at = {0, 1, 2, 3, 4, 5, 6, 7};
  std::shuffle(at.begin(), at.end(), rng);
  for (int i = 0; i < zeros; ++i) w[static_cast<size_t>(at[static_cast<size_t>(i)])] = '\0';
  return w;
}

TEST_CASE("PackWords writes Cap'n Proto's packed bytes for every word shape", "[codec]") {
  // Each tag on its own, with 0x00 and 0xff runs cut by the end of the input.
  for (unsigned tag = 0; tag < 256; ++tag) {
    std::string w(8, '\0');
    for (int i = 0; i < 8; ++i) {
      if (tag & (1u << i)) w[static_cast<size_t>(i)] = static_cast<char>(0x11 * (i + 1));
    }
    INFO("tag " << tag);
    CHECK(OursPacked(w) == CapnpPacked({w}));
    CHECK(OursPacked(w + w) == CapnpPacked({w + w}));
  }
  CHECK(OursPacked("").empty());
}

TEST_CASE("PackWords cuts zero and verbatim runs where Cap'n Proto does", "[codec]") {
  std::mt19937_64 rng(20261124);
  const std::string zero(8, '\0');
  // Runs of every length around the 255-word limit, after a zero word and after a full word,
  // each followed by words of 0, 1 and 2 zero bytes.
  for (size_t len : {0, 1, 2, 254, 255, 256, 257, 510, 511, 512, 700}) {
    for (int next = 0; next <= 2; ++next) {
      std::string zeros, full;
      for (size_t i = 0; i <= len; ++i) zeros += zero;
      full += WordWithZeros(rng, 0);
      for (size_t i = 0; i < len; ++i) full += WordWithZeros(rng, static_cast<int>(rng() % 2));
      const std::string tail = next == 0 ? zero : WordWithZeros(rng, next);
      INFO("run " << len << ", then a word of " << next << " zero bytes");
      CHECK(OursPacked(zeros + tail) == CapnpPacked({zeros + tail}));
      CHECK(OursPacked(full + tail) == CapnpPacked({full + tail}));
      CHECK(OursPacked(zeros) == CapnpPacked({zeros}));
      CHECK(OursPacked(full) == CapnpPacked({full}));
    }
  }
}

TEST_CASE("PackWords matches Cap'n Proto on random messages of mixed words", "[codec]") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 400; ++round) {
    std::string words;
    const size_t n = rng() % 600;
    // Words drawn from a few shapes, in stretches, as in real messages: zero runs, text, pointers.
    while (words.size() < n * 8) {
      const int shape = static_cast<int>(rng() % 4);
      const size_t stretch = 1 + rng() % (rng() % 8 == 0 ? 300 : 6);
      for (size_t i = 0; i < stretch && words.size() < n * 8; ++i) {
        if (shape == 0) {
          words += std::string(8, '\0');
        } else {
          words += WordWithZeros(
              rng, shape == 1 ? static_cast<int>(rng() % 2) : static_cast<int>(rng() % 9));
        }
      }
    }
    INFO("round " << round << ", " << n << " words");
    REQUIRE(OursPacked(words) == CapnpPacked({words}));
  }
}

// Unpacks a packed message with capnp's reader into its flat pieces: segment table, segments.
std::vector<std::string> FlatPieces(const std::string& packed) {
  kj::ArrayInputStream in(
      kj::arrayPtr(reinterpret_cast<const kj::byte*>(packed.data()), packed.size()));
  capnp::PackedMessageReader reader(in);
  REQUIRE(reader.getSegment(0) != nullptr);
  std::vector<std::string> pieces;
  std::vector<uint32_t> table = {0};
  uint32_t count = 0;
  while (reader.getSegment(count) != nullptr) ++count;
  table[0] = count - 1;
  for (uint32_t i = 0; i < count; ++i) table.push_back(reader.getSegment(i).size());
  if (table.size() % 2 == 1) table.push_back(0);
  pieces.emplace_back(reinterpret_cast<const char*>(table.data()), table.size() * 4);
  for (uint32_t i = 0; i < count; ++i) {
    auto seg = reader.getSegment(i);
    pieces.emplace_back(reinterpret_cast<const char*>(seg.begin()), seg.size() * 8);
  }
  return pieces;
}

TEST_CASE("Encoded nodes are what capnp::writePackedMessage writes, over several segments",
          "[codec]") {
  for (size_t summary : {size_t{0}, size_t{40}, size_t{9000}, size_t{30000}}) {
    Node node;
    node.key = "event:test:" + std::to_string(summary);
    node.id = MakeNodeId(NodeKind::kEvent, node.key);
    Event ev;
    ev.cameo_code = "042";
    ev.summary = std::string(summary, 'x');
    ev.time = Interval{1527811200, 1527897599, TimePrecision::kDay, false};
    node.body = ev;
    Provenance p;
    p.dataset = "tkg:ICEWS18";
    p.file = "train.txt";
    p.row = 104;
    node.provenance.push_back(p);
    const std::string ours = codec::EncodeNode(node);
    const auto pieces = FlatPieces(ours);
    INFO("summary of " << summary << " bytes, " << pieces.size() - 1 << " segments");
    if (summary >= 9000) CHECK(pieces.size() > 2);  // the large ones span segments
    CHECK(ours == CapnpPacked(pieces));
    auto back = codec::DecodeNode(ours, node.id);
    REQUIRE(back.ok());
    CHECK(std::get<Event>(back->body).summary.size() == summary);
  }
}

}  // namespace
}  // namespace geokg
