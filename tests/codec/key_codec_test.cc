// Tests for src/codec/key_codec.h: byte order of every key equals the numeric order of its
// fields (negative times included), scan bounds cover exactly what they promise, and decoders
// reject malformed keys.

#include "codec/key_codec.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "model/time_format.h"

namespace geokg::codec {
namespace {

using FactStatus = decltype(AdjValue::status);

auto Tuple(const AdjKey& k) {
  return std::make_tuple(k.node, static_cast<uint16_t>(k.type), k.time, k.neighbor, k.edge);
}

// Times drawn to hit the interesting places: around 0, the extremes and the unknown marker.
Time RandomTime(std::mt19937_64& rng) {
  switch (rng() % 6) {
    case 0:
      return static_cast<Time>(rng() % 2001) - 1000;
    case 1:
      return static_cast<Time>(rng());
    case 2:
      return kMinTime + static_cast<Time>(rng() % 3);
    case 3:
      return kMaxTime - static_cast<Time>(rng() % 3);
    case 4:
      return kUnknownTime;
    default:
      return -static_cast<Time>(rng() % 4000000000);
  }
}

AdjKey RandomAdjKey(std::mt19937_64& rng) {
  AdjKey k;
  const NodeId nodes[] = {1, 2, 0x1000000000000001ULL, 0x2FFFFFFFFFFFFFFFULL, ~0ULL};
  k.node = nodes[rng() % 5];
  k.type = static_cast<EdgeType>(rng() % kEdgeTypeCount);
  k.time = RandomTime(rng);
  k.neighbor = rng() % 3 == 0 ? rng() % 4 : rng();
  k.edge = rng() % 3 == 0 ? rng() % 4 : rng();
  return k;
}

TEST_CASE("KeyCodec: primitives are big-endian and times sort signed", "[codec]") {
  std::string s;
  PutBE16(&s, 0x0102);
  PutBE32(&s, 0x03040506);
  PutBE64(&s, 0x0708090A0B0C0D0EULL);
  REQUIRE(s == std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0A\x0B\x0C\x0D\x0E", 14));
  CHECK(GetBE16(s.data()) == 0x0102);
  CHECK(GetBE32(s.data() + 2) == 0x03040506);
  CHECK(GetBE64(s.data() + 6) == 0x0708090A0B0C0D0EULL);

  const std::vector<Time> times = {kMinTime, kMinTime + 1, -86400,   -1,          0,
                                   1,        86400,        kMaxTime, kUnknownTime};
  std::vector<std::string> encoded;
  for (Time t : times) {
    std::string e;
    PutTime(&e, t);
    REQUIRE(e.size() == 8);
    CHECK(GetTime(e.data()) == t);
    encoded.push_back(e);
  }
  CHECK(std::is_sorted(encoded.begin(), encoded.end()));
  CHECK(std::adjacent_find(encoded.begin(), encoded.end()) == encoded.end());
}

TEST_CASE("KeyCodec: adjacency keys sort by (node, type, time, neighbor, edge)", "[codec]") {
  std::mt19937_64 rng(99);
  std::vector<AdjKey> keys;
  for (int i = 0; i < 3000; ++i) keys.push_back(RandomAdjKey(rng));

  std::vector<std::pair<std::string, size_t>> encoded;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string e = EncodeAdjKey(keys[i]);
    REQUIRE(e.size() == kAdjKeySize);
    char buf[kAdjKeySize];
    EncodeAdjKeyTo(keys[i], buf);
    REQUIRE(std::string(buf, kAdjKeySize) == e);
    AdjKey back;
    REQUIRE(DecodeAdjKey(e, &back));
    REQUIRE(Tuple(back) == Tuple(keys[i]));
    encoded.emplace_back(std::move(e), i);
  }
  std::sort(encoded.begin(), encoded.end());
  for (size_t i = 1; i < encoded.size(); ++i) {
    const AdjKey& a = keys[encoded[i - 1].second];
    const AdjKey& b = keys[encoded[i].second];
    INFO("pair " << i);
    REQUIRE(Tuple(a) <= Tuple(b));
    if (encoded[i - 1].first == encoded[i].first) REQUIRE(Tuple(a) == Tuple(b));
  }
}

TEST_CASE("KeyCodec: node and type prefixes cover exactly their keys", "[codec]") {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 2000; ++i) {
    AdjKey k = RandomAdjKey(rng);
    const std::string e = EncodeAdjKey(k);
    const NodeId other_node = RandomAdjKey(rng).node;
    const auto other_type = static_cast<EdgeType>(rng() % kEdgeTypeCount);
    const std::string node_prefix = AdjNodePrefix(other_node);
    const std::string type_prefix = AdjTypePrefix(other_node, other_type);
    CHECK((e.compare(0, node_prefix.size(), node_prefix) == 0) == (k.node == other_node));
    CHECK((e.compare(0, type_prefix.size(), type_prefix) == 0) ==
          (k.node == other_node && k.type == other_type));
  }
}

TEST_CASE("KeyCodec: AdjPageLower/Upper bound exactly the pages of the days of [t1, t2]",
          "[codec]") {
  std::mt19937_64 rng(17);
  const NodeId node = 0x1000000000000042ULL;
  const EdgeType type = EdgeType::kInitiator;
  std::vector<AdjKey> keys;
  for (int i = 0; i < 2000; ++i) {
    AdjKey k = RandomAdjKey(rng);
    if (rng() % 4 != 0) {  // most keys share the scanned node and type
      k.node = node;
      k.type = type;
    }
    keys.push_back(k);
  }
  // Neighbours of the scanned (node, type) range, which must stay outside it.
  keys.push_back({node, static_cast<EdgeType>(1), kMinTime, 0, 0});
  keys.push_back({node - 1, type, 0, ~0ULL, ~0ULL});
  keys.push_back({node + 1, type, kMinTime, 0, 0});
  keys.push_back({node, type, kUnknownTime, ~0ULL, ~0ULL});
  keys.push_back({node, type, kMinTime, 0, 0});

  std::vector<std::pair<Time, Time>> windows = {{0, 0},
                                                {-1000, 1000},
                                                {-1, -1},
                                                {kMinTime, kMaxTime},
                                                {kMinTime, 0},
                                                {0, kMaxTime},
                                                {5, 4},
                                                {kMinTime, kUnknownTime},
                                                {kMaxTime, kUnknownTime},
                                                {kUnknownTime, kUnknownTime},
                                                {kMinTime, kMinTime}};
  for (int i = 0; i < 30; ++i) {
    Time a = RandomTime(rng), b = RandomTime(rng);
    windows.emplace_back(std::min(a, b), std::max(a, b));
  }
  for (auto [t1, t2] : windows) {
    const std::string lo = AdjPageLower(node, type, t1);
    const std::string hi = AdjPageUpper(node, type, t2);
    for (const AdjKey& k : keys) {
      char page[kAdjPageKeySize];
      PageKeyOfEntry(kAdjPages, EncodeAdjKey(k).data(), page);
      const std::string p(page, sizeof(page));
      const bool in_range = lo <= p && p < hi;
      // Every page holding a time of the window, and no other (scans check times on the first
      // and last day).
      const bool expected = k.node == node && k.type == type && PageDay(k.time) >= PageDay(t1) &&
                            PageDay(k.time) <= PageDay(t2);
      INFO("window [" << t1 << ", " << t2 << "] key time " << k.time << " node " << k.node
                      << " type " << static_cast<int>(k.type));
      REQUIRE(in_range == expected);
    }
  }
}

// Sorting the entries by entry key and by (page key, record) gives the same order: element i of
// each list is one entry, as an entry key and as a page key with its record.
void CheckSameOrder(const std::vector<std::pair<std::string, std::string>>& by_entry,
                    const std::vector<std::pair<std::string, std::string>>& by_page) {
  std::vector<size_t> a(by_entry.size()), b(by_entry.size());
  for (size_t i = 0; i < a.size(); ++i) a[i] = b[i] = i;
  std::stable_sort(a.begin(), a.end(),
                   [&](size_t x, size_t y) { return by_entry[x] < by_entry[y]; });
  std::stable_sort(b.begin(), b.end(), [&](size_t x, size_t y) { return by_page[x] < by_page[y]; });
  for (size_t i = 0; i < a.size(); ++i) CHECK(by_entry[a[i]].first == by_entry[b[i]].first);
}

TEST_CASE("KeyCodec: pages and records keep the entry key order and round-trip", "[codec]") {
  std::mt19937_64 rng(23);
  std::vector<AdjKey> keys;
  for (int i = 0; i < 3000; ++i) keys.push_back(RandomAdjKey(rng));
  // Day edges, both signs.
  for (Time t : {Time{-86401}, Time{-86400}, Time{-86399}, Time{-1}, Time{0}, Time{86399},
                 Time{86400}, kMinTime, kMinTime + 86399, kMinTime + 86400, kMaxTime}) {
    keys.push_back({0x1000000000000001ULL, EdgeType::kInitiator, t, 5, 6});
  }
  const char value[kAdjValueSize] = {1, 50, 0};
  std::vector<std::pair<std::string, std::string>> by_entry, by_page;
  for (const AdjKey& k : keys) {
    const std::string e = EncodeAdjKey(k);
    char page[kAdjPageKeySize], rec[kAdjRecordSize];
    PageKeyOfEntry(kAdjPages, e.data(), page);
    EncodeRecordTo(kAdjPages, e.data(), value, rec);
    INFO("time " << k.time);
    NodeId node;
    EdgeType type;
    int64_t day;
    REQUIRE(DecodeAdjPageKey(std::string_view(page, sizeof(page)), &node, &type, &day));
    CHECK(node == k.node);
    CHECK(type == k.type);
    CHECK(day == PageDay(k.time));
    CHECK(static_cast<__int128>(day) * kPageSeconds <= static_cast<__int128>(k.time));
    CHECK(static_cast<__int128>(k.time) < (static_cast<__int128>(day) + 1) * kPageSeconds);
    AdjKey back;
    REQUIRE(DecodeAdjRecordKey(rec, node, type, day, &back));
    CHECK(Tuple(back) == Tuple(k));
    CHECK(std::string_view(rec + kAdjRecordKeySize, kAdjValueSize) ==
          std::string_view(value, kAdjValueSize));
    by_entry.emplace_back(e, "");
    by_page.emplace_back(std::string(page, sizeof(page)), std::string(rec, kAdjRecordKeySize));
  }
  // Sorting by entry key and by (page key, record key) give the same order.
  CheckSameOrder(by_entry, by_page);
}

TEST_CASE("KeyCodec: PageStart cuts between pages, never inside one", "[codec]") {
  std::mt19937_64 rng(29);
  std::vector<std::string> entries;
  for (int i = 0; i < 400; ++i) {
    AdjKey k = RandomAdjKey(rng);
    if (i % 2 == 0) k.node = 2;  // many on the same node and type, across days
    if (i % 2 == 0) k.type = EdgeType::kTarget;
    entries.push_back(EncodeAdjKey(k));
  }
  auto page_of = [](const std::string& e) {
    char page[kAdjPageKeySize];
    PageKeyOfEntry(kAdjPages, e.data(), page);
    return std::string(page, sizeof(page));
  };
  for (const std::string& cut_at : entries) {
    const std::string cut = PageStart(kAdjPages, cut_at);
    REQUIRE(cut.size() == kAdjKeySize);
    CHECK(cut <= cut_at);
    for (const std::string& e : entries) {
      INFO("entry page " << page_of(e).size());
      CHECK((e < cut) == (page_of(e) < page_of(cut_at)));
    }
  }
}

TEST_CASE("KeyCodec: decoders reject malformed keys and values", "[codec]") {
  AdjKey k{0x1000000000000001ULL, EdgeType::kReportedIn, -5, 7, 9};
  const std::string e = EncodeAdjKey(k);
  AdjKey out;
  CHECK_FALSE(DecodeAdjKey("", &out));
  CHECK_FALSE(DecodeAdjKey(e.substr(0, kAdjKeySize - 1), &out));
  CHECK_FALSE(DecodeAdjKey(e + "x", &out));
  std::string bad_type = e;
  bad_type[8] = 0;
  bad_type[9] = static_cast<char>(kEdgeTypeCount);
  CHECK_FALSE(DecodeAdjKey(bad_type, &out));
  bad_type[8] = 1;
  bad_type[9] = 0;
  CHECK_FALSE(DecodeAdjKey(bad_type, &out));
  REQUIRE(DecodeAdjKey(e, &out));
  CHECK(out.type == EdgeType::kReportedIn);
  CHECK(out.time == -5);

  NodeId id = 0;
  CHECK(DecodeNodeKey(NodeKey(0x3000000000000abcULL), &id));
  CHECK(id == 0x3000000000000abcULL);
  CHECK_FALSE(DecodeNodeKey("1234567", &id));
  CHECK_FALSE(DecodeNodeKey("123456789", &id));
  CHECK(EdgeKey(42) == NodeKey(42));

  AdjValue v{FactStatus::kClaimed, 75, true};
  AdjValue v_out;
  REQUIRE(DecodeAdjValue(EncodeAdjValue(v), &v_out));
  CHECK(v_out.status == FactStatus::kClaimed);
  CHECK(v_out.confidence_pct == 75);
  CHECK(v_out.has_payload);
  CHECK_FALSE(DecodeAdjValue("", &v_out));
  CHECK_FALSE(DecodeAdjValue(EncodeAdjValue(v) + "x", &v_out));
  CHECK_FALSE(DecodeAdjValue(std::string("\x0B\x10\x00", 3), &v_out));  // status 11
  CHECK_FALSE(DecodeAdjValue(std::string("\x01\x65\x00", 3), &v_out));  // 101 %
  CHECK_FALSE(DecodeAdjValue(std::string("\x01\x10\x02", 3), &v_out));  // unknown flag

  std::string_view name;
  CHECK_FALSE(DecodeNameKey("", &name, &id));
  CHECK_FALSE(DecodeNameKey("kim" + NodeKey(1), &name, &id));  // no separator
  CHECK_FALSE(DecodeNameKey(std::string("a\0b\0", 4) + NodeKey(1), &name, &id));
  Time t;
  std::string code;
  CHECK_FALSE(DecodeEventByCodeKey("c043", &code, &t, &id));
  CHECK_FALSE(DecodeEventByCodeKey("t" + EventByCodeKey("043", 1, 2).substr(1), &code, &t, &id));
}

TEST_CASE("KeyCodec: name keys round-trip and a name prefix matches only that name", "[codec]") {
  const std::string key = NameKey("kim jong un", 0x1000000000000007ULL);
  std::string_view name;
  NodeId id = 0;
  REQUIRE(DecodeNameKey(key, &name, &id));
  CHECK(name == "kim jong un");
  CHECK(id == 0x1000000000000007ULL);
  REQUIRE(DecodeNameKey(NameKey("", 5), &name, &id));
  CHECK(name.empty());
  CHECK(id == 5);

  const std::string prefix = NamePrefix("kim");
  CHECK(NameKey("kim", 1).compare(0, prefix.size(), prefix) == 0);
  CHECK(NameKey("kim", ~0ULL).compare(0, prefix.size(), prefix) == 0);
  CHECK(NameKey("kim jong un", 1).compare(0, prefix.size(), prefix) != 0);
  CHECK(NameKey("kim", ~0ULL) < NameKey("kim jong un", 0));
  CHECK(NameKey("kim", 1) < NameKey("kim", 2));
}

TEST_CASE("KeyCodec: event index keys sort by code then time", "[codec]") {
  std::string code;
  Time t = 0;
  NodeId id = 0;
  REQUIRE(DecodeEventByCodeKey(EventByCodeKey("043", -86400, 77), &code, &t, &id));
  CHECK(code == "043");
  CHECK(t == -86400);
  CHECK(id == 77);
  REQUIRE(DecodeEventByCodeKey(EventByCodeKey("0431", kUnknownTime, 1), &code, &t, &id));
  CHECK(code == "0431");
  CHECK(t == kUnknownTime);

  // A root prefix matches every code under it and nothing else.
  const std::string p04 = EventByCodePrefix("04");
  for (const char* c : {"04", "040", "043", "0431", "049"}) {
    CHECK(EventByCodeKey(c, 0, 1).compare(0, p04.size(), p04) == 0);
  }
  for (const char* c : {"05", "03", "0", "140"}) {
    CHECK(EventByCodeKey(c, 0, 1).compare(0, p04.size(), p04) != 0);
  }
  // Within one code, time order (negative first); across codes, code order.
  CHECK(EventByCodeKey("043", -1, 9) < EventByCodeKey("043", 0, 1));
  CHECK(EventByCodeKey("043", kMaxTime, 9) < EventByCodeKey("043", kUnknownTime, 1));
  CHECK(EventByCodeKey("043", kUnknownTime, 9) < EventByCodeKey("0431", kMinTime, 1));
}

TEST_CASE("KeyCodec: event index pages and records keep the entry key order and round-trip",
          "[codec]") {
  // Random codes (some a prefix of others), times and ids, plus the day edges: the page key and
  // the record of each entry key decode back to it, and sorting by (page key, record) is sorting
  // by entry key.
  std::mt19937_64 rng(31);
  const std::vector<std::string> codes = {"", "0", "04", "043", "0431", "190", "20"};
  struct E {
    std::string code;
    Time time;
    NodeId id;
  };
  std::vector<E> events;
  for (int i = 0; i < 3000; ++i) {
    events.push_back({codes[rng() % codes.size()], RandomTime(rng), rng() % 3 == 0 ? 7 : rng()});
  }
  for (Time t :
       {Time{-86401}, Time{-86400}, Time{-86399}, Time{-1}, Time{0}, Time{86399}, Time{86400},
        kMinTime, kMinTime + 86399, kMinTime + 86400, kMaxTime, kUnknownTime}) {
    events.push_back({"043", t, 5});
  }
  std::vector<std::pair<std::string, std::string>> by_entry, by_page;
  for (const E& e : events) {
    INFO("code '" << e.code << "' time " << e.time);
    const std::string entry = EventByCodeKey(e.code, e.time, e.id);
    REQUIRE(entry.size() == kEventByCodeKeySize);
    char page[kEventPageKeySize], rec[kEventRecordSize];
    PageKeyOfEntry(kEventPages, entry.data(), page);
    EncodeRecordTo(kEventPages, entry.data(), nullptr, rec);
    std::string_view code;
    int64_t day = 0;
    REQUIRE(DecodeEventPageKey(std::string_view(page, sizeof(page)), &code, &day));
    CHECK(code == e.code);
    CHECK(day == PageDay(e.time));
    CHECK(std::string(page, sizeof(page)) == EventPageKey(e.code, day));
    Time t = 0;
    REQUIRE(PageTime(day, GetBE32(rec), &t));
    CHECK(t == e.time);
    CHECK(GetBE64(rec + 4) == e.id);
    by_entry.emplace_back(entry, "");
    by_page.emplace_back(std::string(page, sizeof(page)), std::string(rec, sizeof(rec)));
  }
  // The unknown time's day holds no real instant but kMaxTime (INT64_MAX - 1), and sorts last.
  CHECK(PageDay(kUnknownTime) == PageDay(kMaxTime));
  CHECK(EventPageKey("043", PageDay(TimeFromCivil(9999, 12, 31))) <
        EventPageKey("043", PageDay(kUnknownTime)));
  CheckSameOrder(by_entry, by_page);
  // A page start is the least entry key of its page.
  for (const auto& [entry, unused] : by_entry) {
    const std::string start = PageStart(kEventPages, entry);
    CHECK(start <= entry);
    char page[kEventPageKeySize], start_page[kEventPageKeySize];
    PageKeyOfEntry(kEventPages, entry.data(), page);
    PageKeyOfEntry(kEventPages, start.data(), start_page);
    CHECK(std::string_view(page, sizeof(page)) == std::string_view(start_page, sizeof(page)));
  }
}

TEST_CASE("KeyCodec: event index page keys that are malformed are rejected", "[codec]") {
  const std::string good = EventPageKey("043", 17500);
  std::string_view code;
  int64_t day = 0;
  REQUIRE(DecodeEventPageKey(good, &code, &day));
  CHECK(code == "043");
  CHECK(day == 17500);
  CHECK_FALSE(DecodeEventPageKey("", &code, &day));
  CHECK_FALSE(DecodeEventPageKey(good.substr(0, kEventPageKeySize - 1), &code, &day));
  CHECK_FALSE(DecodeEventPageKey(good + "x", &code, &day));
  CHECK_FALSE(DecodeEventPageKey("t" + good.substr(1), &code, &day));
  std::string letter = good;
  letter[2] = 'x';  // not a digit
  CHECK_FALSE(DecodeEventPageKey(letter, &code, &day));
  std::string gap = good;
  gap[2] = '\0';  // a digit after the padding
  CHECK_FALSE(DecodeEventPageKey(gap, &code, &day));
  // A day of no int64 time (the sign-flipped word read back as INT64_MAX).
  std::string far = good;
  for (size_t i = 1 + kCodeWidth; i < kEventPageKeySize; ++i) far[i] = '\xff';
  CHECK_FALSE(DecodeEventPageKey(far, &code, &day));
  // An entry key (21 bytes) is not a page key.
  CHECK_FALSE(DecodeEventPageKey(EventByCodeKey("043", 0, 1), &code, &day));
}

TEST_CASE("KeyCodec: PrefixSuccessor is the least key above every extension", "[codec]") {
  CHECK(PrefixSuccessor("abc") == "abd");
  CHECK(PrefixSuccessor(std::string("ab\xff", 3)) == "ac");
  CHECK(PrefixSuccessor(std::string("a\xff\xff", 3)) == "b");
  CHECK(PrefixSuccessor(std::string("\xff\xff", 2)).empty());
  CHECK(PrefixSuccessor("").empty());
  CHECK(PrefixSuccessor(std::string("\x00", 1)) == std::string("\x01", 1));

  std::mt19937_64 rng(11);
  for (int i = 0; i < 2000; ++i) {
    std::string p(rng() % 4, '\0');
    for (char& c : p) c = static_cast<char>(rng() % 3 == 0 ? 0xff : rng());
    const std::string succ = PrefixSuccessor(p);
    std::string ext = p;
    for (size_t n = rng() % 4; n > 0; --n) ext.push_back(static_cast<char>(rng()));
    if (!succ.empty()) {
      REQUIRE(ext < succ);
      REQUIRE(p < succ);
      REQUIRE(succ.compare(0, p.size(), p) != 0);  // the successor is not itself an extension
    } else {
      REQUIRE(std::all_of(p.begin(), p.end(), [](char c) { return c == '\xff'; }));
    }
  }
}

}  // namespace
}  // namespace geokg::codec
