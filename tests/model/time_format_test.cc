#include "model/time_format.h"

#include <catch2/catch.hpp>

namespace geokg {
namespace {

// Reference instants computed independently (python3: calendar.timegm).
constexpr Time k20230911 = 1694390400;  // 2023-09-11T00:00:00Z
constexpr Time k20230901 = 1693526400;  // 2023-09-01T00:00:00Z
constexpr Time k20231001 = 1696118400;  // 2023-10-01T00:00:00Z
constexpr Time k20230101 = 1672531200;  // 2023-01-01T00:00:00Z
constexpr Time k20240101 = 1704067200;  // 2024-01-01T00:00:00Z

TEST_CASE("ParseDate: day, month and year dates cover their whole unit", "[model]") {
  auto day = ParseDate("2023-09-11");
  REQUIRE(day.ok());
  CHECK(day->start == k20230911);
  CHECK(day->end == k20230911 + 86399);
  CHECK(day->precision == TimePrecision::kDay);

  auto month = ParseDate("2023-09");
  REQUIRE(month.ok());
  CHECK(month->start == k20230901);
  CHECK(month->end == k20231001 - 1);
  CHECK(month->precision == TimePrecision::kMonth);

  auto year = ParseDate("2023");
  REQUIRE(year.ok());
  CHECK(year->start == k20230101);
  CHECK(year->end == k20240101 - 1);
  CHECK(year->precision == TimePrecision::kYear);

  auto december = ParseDate("2023-12");
  REQUIRE(december.ok());
  CHECK(december->end == k20240101 - 1);
}

TEST_CASE("ParseDate: times of day and dates before 1970", "[model]") {
  auto minute = ParseDate("2023-09-11T14:05Z");
  REQUIRE(minute.ok());
  CHECK(minute->start == k20230911 + 14 * 3600 + 5 * 60);
  CHECK(minute->end == minute->start + 59);
  CHECK(minute->precision == TimePrecision::kMinute);

  auto second = ParseDate("2023-09-11T14:05:30");
  REQUIRE(second.ok());
  CHECK(second->start == k20230911 + 14 * 3600 + 5 * 60 + 30);
  CHECK(second->precision == TimePrecision::kSecond);

  auto old = ParseDate("1950-06-25");  // python3: calendar.timegm((1950,6,25,0,0,0)) == -616032000
  REQUIRE(old.ok());
  CHECK(old->start == -616032000);
  CHECK(FormatTime(old->start) == "1950-06-25T00:00:00Z");
}

TEST_CASE("ParseDate: leap years follow the Gregorian rule", "[model]") {
  CHECK(ParseDate("2024-02-29").ok());
  CHECK(ParseDate("2000-02-29").ok());
  CHECK_FALSE(ParseDate("1900-02-29").ok());
  CHECK_FALSE(ParseDate("2023-02-29").ok());
}

TEST_CASE("ParseDate: bad dates are rejected with a precise reason", "[model]") {
  auto feb30 = ParseDate("2023-02-30");
  REQUIRE_FALSE(feb30.ok());
  CHECK(feb30.status().IsInvalidArgument());
  CHECK(feb30.status().message() ==
        "\"2023-02-30\": day 30 does not exist in February 2023 (28 days)");

  auto month13 = ParseDate("2023-13");
  REQUIRE_FALSE(month13.ok());
  CHECK(month13.status().message() == "\"2023-13\": month 13 is out of range (01..12)");

  auto hour = ParseDate("2023-09-11T25:00");
  REQUIRE_FALSE(hour.ok());
  CHECK(hour.status().message().find("hour 25") != std::string::npos);

  for (const char* bad : {"", "23-09-11", "2023/09/11", "2023-9-11", "2023-09-11x", "soon",
                          "2023-09-1", "0000", "2023-09-11T14", "2023-09-11T14:05+02:00"}) {
    INFO(bad);
    auto r = ParseDate(bad);
    CHECK_FALSE(r.ok());
    CHECK(r.status().IsInvalidArgument());
  }
}

TEST_CASE("FormatInterval: prints the date at its precision, with the precision", "[model]") {
  CHECK(FormatInterval(*ParseDate("2023-09")) == "2023-09 (month)");
  CHECK(FormatInterval(*ParseDate("2023-09-11")) == "2023-09-11 (day)");
  CHECK(FormatInterval(*ParseDate("2023")) == "2023 (year)");
  CHECK(FormatInterval(*ParseDate("2023-09-11T14:05")) == "2023-09-11T14:05Z (minute)");
  CHECK(FormatInterval(Interval{}) == "unknown");
  CHECK(FormatIntervalShort(Interval{}) == "unknown");

  Interval imminent{k20230911, k20230911, TimePrecision::kImminent, false};
  CHECK(FormatInterval(imminent) == "imminent (reported 2023-09-11)");
  CHECK(FormatIntervalShort(imminent) == "imminent");
  Interval undated_imminent;
  undated_imminent.precision = TimePrecision::kImminent;
  CHECK(FormatInterval(undated_imminent) == "imminent");
  CHECK(FormatIntervalShort(undated_imminent) == "imminent");

  Interval span{k20230101, k20240101 + 86400 * 40, TimePrecision::kMonth, false};
  CHECK(FormatInterval(span) == "2023-01 to 2024-02 (month)");
  Interval open{k20230101, k20230101, TimePrecision::kYear, true};
  CHECK(FormatInterval(open) == "since 2023 (year)");
}

TEST_CASE("FormatTime: ISO 8601 UTC, and unknown", "[model]") {
  CHECK(FormatTime(k20230911 + 3661) == "2023-09-11T01:01:01Z");
  CHECK(FormatTime(kUnknownTime) == "unknown");
  CHECK(FormatTimeAt(k20230911, TimePrecision::kMonth) == "2023-09");
  CHECK(TimeFromCivil(2023, 9, 11) == k20230911);
}

}  // namespace
}  // namespace geokg
