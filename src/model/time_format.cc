#include "model/time_format.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

#include "model/vocab.h"

namespace geokg {
namespace {

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a civil date, and back: H. Hinnant's algorithms
// (http://howardhinnant.github.io/date_algorithms.html), exact for the proleptic Gregorian
// calendar.
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year;
  int month, day, hour, minute, second;
};

Civil CivilFromTime(Time t) {
  int64_t days = t / 86400;
  int64_t secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t y = yoe + era * 400 + (m <= 2);
  return {y,
          m,
          d,
          static_cast<int>(secs / 3600),
          static_cast<int>(secs / 60 % 60),
          static_cast<int>(secs % 60)};
}

// Reads exactly `n` ASCII digits at `pos`; false if any is not a digit.
bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

Status Bad(std::string_view text, const std::string& why) {
  return Status::InvalidArgument("\"" + std::string(text) + "\": " + why);
}

// The last second of the precision unit that starts at `start`.
Time UnitEnd(Time start, TimePrecision p) {
  Civil c = CivilFromTime(start);
  switch (p) {
    case TimePrecision::kSecond:
      return start;
    case TimePrecision::kMinute:
      return start + 59;
    case TimePrecision::kHour:
      return start + 3599;
    case TimePrecision::kYear:
      return TimeFromCivil(static_cast<int>(c.year) + 1, 1, 1) - 1;
    case TimePrecision::kMonth:
      return c.month == 12 ? TimeFromCivil(static_cast<int>(c.year) + 1, 1, 1) - 1
                           : TimeFromCivil(static_cast<int>(c.year), c.month + 1, 1) - 1;
    default:
      return start + 86399;
  }
}

}  // namespace

Time TimeFromCivil(int year, int month, int day) { return DaysFromCivil(year, month, day) * 86400; }

Result<Interval> ParseDate(std::string_view text) {
  const std::string_view s = text;
  const std::string expected = "expected a date YYYY, YYYY-MM or YYYY-MM-DD";
  if (s.empty()) return Status::InvalidArgument("empty date; " + expected);
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(s, 0, 4, &year)) return Bad(text, expected);
  if (year == 0) return Bad(text, "year 0000 is out of range (0001..9999)");
  TimePrecision precision = TimePrecision::kYear;
  size_t pos = 4;
  if (pos < s.size()) {
    if (s[pos] != '-' || !ReadDigits(s, pos + 1, 2, &month)) return Bad(text, expected);
    if (month < 1 || month > 12) {
      return Bad(text, "month " + std::to_string(month) + " is out of range (01..12)");
    }
    precision = TimePrecision::kMonth;
    pos += 3;
  }
  if (pos < s.size()) {
    if (s[pos] != '-' || !ReadDigits(s, pos + 1, 2, &day)) return Bad(text, expected);
    const int dim = DaysInMonth(year, month);
    if (day < 1 || day > dim) {
      return Bad(text, "day " + std::to_string(day) + " does not exist in " +
                           std::string(kMonthNames[month - 1]) + " " + std::to_string(year) + " (" +
                           std::to_string(dim) + " days)");
    }
    precision = TimePrecision::kDay;
    pos += 3;
  }
  if (pos < s.size()) {
    const std::string time_expected = "expected a time of day THH:MM or THH:MM:SS (UTC)";
    if ((s[pos] != 'T' && s[pos] != ' ') || !ReadDigits(s, pos + 1, 2, &hour) ||
        pos + 3 >= s.size() || s[pos + 3] != ':' || !ReadDigits(s, pos + 4, 2, &minute)) {
      return Bad(text, time_expected);
    }
    precision = TimePrecision::kMinute;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!ReadDigits(s, pos + 1, 2, &second)) return Bad(text, time_expected);
      precision = TimePrecision::kSecond;
      pos += 3;
    }
    if (pos < s.size() && s[pos] == 'Z') ++pos;
    if (pos != s.size()) return Bad(text, time_expected + " (only UTC, 'Z', is accepted)");
    if (hour > 23) return Bad(text, "hour " + std::to_string(hour) + " is out of range (00..23)");
    if (minute > 59) {
      return Bad(text, "minute " + std::to_string(minute) + " is out of range (00..59)");
    }
    if (second > 59) {
      return Bad(text, "second " + std::to_string(second) + " is out of range (00..59)");
    }
  }
  Interval iv;
  iv.start = TimeFromCivil(year, month, day) + hour * 3600 + minute * 60 + second;
  iv.precision = precision;
  iv.end = UnitEnd(iv.start, precision);
  return iv;
}

std::string FormatTimeAt(Time t, TimePrecision precision) {
  if (t == kUnknownTime) return "unknown";
  const Civil c = CivilFromTime(t);
  char buf[64];
  const long long y = static_cast<long long>(c.year);
  switch (precision) {
    case TimePrecision::kYear:
      std::snprintf(buf, sizeof buf, "%04lld", y);
      break;
    case TimePrecision::kMonth:
      std::snprintf(buf, sizeof buf, "%04lld-%02d", y, c.month);
      break;
    case TimePrecision::kHour:
      std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02dZ", y, c.month, c.day, c.hour);
      break;
    case TimePrecision::kMinute:
      std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02dZ", y, c.month, c.day, c.hour,
                    c.minute);
      break;
    case TimePrecision::kSecond:
      std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02dZ", y, c.month, c.day, c.hour,
                    c.minute, c.second);
      break;
    default:
      std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", y, c.month, c.day);
      break;
  }
  return buf;
}

std::string FormatTime(Time t) { return FormatTimeAt(t, TimePrecision::kSecond); }

std::string FormatIntervalShort(const Interval& iv) {
  if (iv.precision == TimePrecision::kImminent) return "imminent";
  if (!iv.known() || iv.start == kUnknownTime) return "unknown";
  std::string out = FormatTimeAt(iv.start, iv.precision);
  if (iv.open_end) return "since " + out;
  if (iv.end != kUnknownTime && iv.end > UnitEnd(iv.start, iv.precision)) {
    out += " to " + FormatTimeAt(iv.end, iv.precision);
  }
  return out;
}

std::string FormatInterval(const Interval& iv) {
  if (iv.precision == TimePrecision::kImminent) {
    // Soon after the reporting date, when the source gives one.
    if (iv.start == kUnknownTime) return "imminent";
    return "imminent (reported " + FormatTimeAt(iv.start, TimePrecision::kDay) + ")";
  }
  if (!iv.known() || iv.start == kUnknownTime) return "unknown";
  return FormatIntervalShort(iv) + " (" + std::string(PrecisionName(iv.precision)) + ")";
}

}  // namespace geokg
