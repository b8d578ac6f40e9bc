// Copyright (c) libdongne authors. Licensed under the MIT license.

#include <fmt/format.h>

#include <charconv>

#include "dongne/error.h"
#include "dongne/types.h"
#include "text/unicode.h"

namespace dongne {
namespace {

// Reads exactly `digits` decimal digits at `pos`.
bool ReadNumber(std::string_view text, std::size_t pos, int digits, int& value) {
  if (pos + digits > text.size()) return false;
  const char* begin = text.data() + pos;
  for (int i = 0; i < digits; ++i) {
    if (begin[i] < '0' || begin[i] > '9') return false;
  }
  return std::from_chars(begin, begin + digits, value).ec == std::errc();
}

}  // namespace

std::string FormatRfc3339(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(t - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

Timestamp ParseRfc3339(std::string_view text) {
  const auto fail = [&]() -> Timestamp {
    throw InvalidArgument(fmt::format(
        "time \"{}\" is not RFC 3339 (e.g. 2025-05-01T12:00:00+09:00)",
        text::Printable(text, 64)));
  };
  int year, month, day, hour, minute, second;
  if (!ReadNumber(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
      !ReadNumber(text, 5, 2, month) || text[7] != '-' || !ReadNumber(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !ReadNumber(text, 11, 2, hour) || text[13] != ':' || !ReadNumber(text, 14, 2, minute) ||
      text[16] != ':' || !ReadNumber(text, 17, 2, second)) {
    return fail();
  }
  std::size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    const std::size_t digits_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_start) return fail();
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!ReadNumber(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadNumber(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return fail();
    }
    offset_minutes = (text[pos] == '+' ? 1 : -1) * (oh * 60 + om);
    pos += 6;
  } else {
    return fail();
  }
  if (pos != text.size()) return fail();
  const std::chrono::year_month_day ymd{std::chrono::year(year),
                                        std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return fail();
  const auto local = std::chrono::sys_days(ymd) + std::chrono::hours(hour) +
                     std::chrono::minutes(minute) + std::chrono::seconds(std::min(second, 59));
  return Timestamp(local - std::chrono::minutes(offset_minutes));
}

}  // namespace dongne
