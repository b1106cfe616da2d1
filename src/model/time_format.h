#pragma once
// Dates as people write them and as geokg prints them. ParseDate reads ISO 8601 calendar dates of
// day, month or year precision ("2023-09-11", "2023-09", "2023"), optionally with a UTC time of day
// ("2023-09-11T14:05[:30][Z]"), into the Interval they cover (start = first second, end = last
// second). FormatInterval prints an Interval with its precision ("2023-09 (month)",
// "imminent (reported 2023-09-11)", "unknown"). Pure functions on the proleptic Gregorian calendar,
// UTC only; thread-safe.

#include <string>
#include <string_view>

#include "model/types.h"
#include "util/status.h"

namespace geokg {

// Parses "YYYY", "YYYY-MM", "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS" (a trailing
// 'Z' is allowed; years 0001..9999). Errors: InvalidArgument naming what is wrong, e.g.
// `"2023-02-30": day 30 does not exist in February 2023 (28 days)`.
Result<Interval> ParseDate(std::string_view text);

// The interval with its precision: "2023-09-11 (day)", "2023-09 (month)", "2023 (year)",
// "2023-09-11T14:05Z (minute)", "imminent (reported 2023-09-11)", "imminent" (no reporting date),
// "unknown"; a span wider than its
// precision unit prints as "2018-01 to 2019-03 (month)", an open end as "since 2018 (year)".
std::string FormatInterval(const Interval& interval);

// The interval's date part only, at its precision ("2023-09", "2023-09-11", "2018 to 2019",
// "imminent", "unknown"): for narrow table columns.
std::string FormatIntervalShort(const Interval& interval);

// An instant as ISO 8601 UTC, "2023-09-11T14:05:00Z"; kUnknownTime prints "unknown".
std::string FormatTime(Time t);

// An instant truncated to a precision: "2023", "2023-09", "2023-09-11", "2023-09-11T14Z",
// "2023-09-11T14:05Z", "2023-09-11T14:05:30Z" (imminent and unknown print the day).
std::string FormatTimeAt(Time t, TimePrecision precision);

// Seconds since the epoch of 00:00:00 UTC on the given civil date (month 1-12, day 1-31; not
// validated) — exposed for importers that read numeric dates.
Time TimeFromCivil(int year, int month, int day);

}  // namespace geokg
