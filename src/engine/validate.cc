// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "engine/validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "dongne/error.h"
#include "text/unicode.h"

namespace dongne::validate {
namespace {

void RequireUtf8(std::string_view text, std::string_view field) {
  if (!text::IsValidUtf8(text)) {
    throw InvalidArgument(fmt::format("{} is not valid UTF-8", field));
  }
}

void RequireLength(std::string_view text, std::string_view field, std::size_t max_chars) {
  const std::size_t n = text::CodePointCount(text);
  if (n == 0) throw InvalidArgument(fmt::format("{} is empty", field));
  if (n > max_chars) {
    throw InvalidArgument(fmt::format("{} has {} characters; at most {} are allowed", field, n,
                                      max_chars));
  }
}

bool HasWhiteSpace(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }) ||
         text::Trim(text).size() != text.size() ||
         text.find("\u3000") != std::string_view::npos ||
         text.find("\u00a0") != std::string_view::npos;
}

}  // namespace

void Location(LatLon p, std::string_view field) {
  if (!std::isfinite(p.lat) || p.lat < -90 || p.lat > 90) {
    throw InvalidArgument(fmt::format("{} latitude {} is outside [-90, 90]", field, p.lat));
  }
  if (!std::isfinite(p.lon) || p.lon < -180 || p.lon > 180) {
    throw InvalidArgument(fmt::format("{} longitude {} is outside [-180, 180]", field, p.lon));
  }
}

std::string Text(std::string_view text, std::string_view field, std::size_t max_chars,
                 bool multiline) {
  RequireUtf8(text, field);
  std::string normal = text::Nfc(text::Trim(text));
  if (text::HasControlCharacters(normal, multiline)) {
    throw InvalidArgument(fmt::format("{} contains control characters{}", field,
                                      multiline ? "" : " or line breaks"));
  }
  RequireLength(normal, field, max_chars);
  if (!text::HasVisibleCharacter(normal)) {
    throw InvalidArgument(fmt::format("{} is empty: it holds only invisible characters", field));
  }
  return normal;
}

std::string Nickname(std::string_view nickname) {
  std::string normal = Text(nickname, "nickname", kMaxNickname, false);
  // A right-to-left override would show another name than the one stored.
  if (text::HasBidiControls(normal)) {
    throw InvalidArgument("nickname contains bidirectional control characters");
  }
  return normal;
}

std::string Hashtag(std::string_view tag) {
  RequireUtf8(tag, "hashtag");
  std::string_view trimmed = text::Trim(tag);
  while (!trimmed.empty() && trimmed.front() == '#') trimmed.remove_prefix(1);
  std::string normal = text::NfkcCasefold(trimmed);
  // NFKC maps the full-width ＃ to '#': drop what that uncovers too.
  normal.erase(0, normal.find_first_not_of('#'));
  // Printable: a NUL would cut the message short in C and Python.
  const std::string named = fmt::format("hashtag \"{}\"", text::Printable(normal));
  if (text::HasControlCharacters(normal, false)) {
    throw InvalidArgument(named + " contains control characters");
  }
  if (HasWhiteSpace(normal)) throw InvalidArgument(named + " contains white space");
  RequireLength(normal, named, kMaxHashtag);
  return normal;
}

std::vector<std::string> Hashtags(const std::vector<std::string>& tags) {
  std::vector<std::string> normal;
  for (const std::string& tag : tags) {
    std::string t = Hashtag(tag);
    if (std::find(normal.begin(), normal.end(), t) == normal.end()) normal.push_back(std::move(t));
  }
  if (normal.size() > kMaxHashtags) {
    throw InvalidArgument(fmt::format("{} hashtags given; at most {} are allowed", normal.size(),
                                      kMaxHashtags));
  }
  return normal;
}

std::string Category(std::string_view category) {
  if (category.empty()) return "other";
  for (std::string_view known : kCategories) {
    if (category == known) return std::string(known);
  }
  RequireUtf8(category, "category");
  throw InvalidArgument(fmt::format("category \"{}\" is not one of {}", text::Printable(category),
                                    fmt::join(std::begin(kCategories), std::end(kCategories),
                                              ", ")));
}

void Bounty(std::int64_t bounty) {
  if (bounty < 0 || bounty > kMaxBounty) {
    throw InvalidArgument(fmt::format("bounty {} is outside [0, {}]", bounty, kMaxBounty));
  }
}

std::string ExtId(std::string_view ext_id) {
  if (ext_id.empty()) return {};
  RequireUtf8(ext_id, "ext_id");
  if (text::HasControlCharacters(ext_id, false)) {
    throw InvalidArgument("ext_id contains control characters");
  }
  RequireLength(ext_id, "ext_id", kMaxExtId);
  return std::string(ext_id);
}

Timestamp Time(Timestamp t, std::string_view field) {
  constexpr std::int64_t kFirst = -62'135'596'800;  // 0001-01-01T00:00:00Z
  constexpr std::int64_t kLast = 253'402'300'799;   // 9999-12-31T23:59:59Z
  const std::int64_t seconds = t.time_since_epoch().count();
  if (seconds < kFirst || seconds > kLast) {
    throw InvalidArgument(fmt::format(
        "{} {} is outside the years 1 to 9999 (seconds since 1970, not milliseconds)", field,
        seconds));
  }
  return t;
}

void Limit(int limit, int max, std::string_view field) {
  if (limit < 1 || limit > max) {
    throw InvalidArgument(fmt::format("{} {} is outside [1, {}]", field, limit, max));
  }
}

void Radius(double radius_m, std::string_view field) {
  if (!std::isfinite(radius_m) || radius_m < 0 || radius_m > kMaxRadiusM) {
    throw InvalidArgument(fmt::format("{} {} is outside [0, {}] metres", field, radius_m,
                                      kMaxRadiusM));
  }
}

void Ranking(const RankingOptions& ranking) {
  const std::pair<const char*, double> non_negative[] = {
      {"distance_weight", ranking.distance_weight},
      {"distance_half_m", ranking.distance_half_m},
      {"freshness_weight", ranking.freshness_weight},
      {"freshness_half_life_days", ranking.freshness_half_life_days},
      {"quality_weight", ranking.quality_weight},
      {"bm25_k1", ranking.bm25_k1},
      {"proximity_weight", ranking.proximity_weight},
      {"title_weight", ranking.title_weight}};
  for (const auto& [name, value] : non_negative) {
    if (!std::isfinite(value) || value < 0) {
      throw InvalidArgument(
          fmt::format("ranking option {} {} is not a finite number >= 0", name, value));
    }
  }
  const std::pair<const char*, double> shares[] = {{"bm25_b", ranking.bm25_b},
                                                   {"common_term_share", ranking.common_term_share}};
  for (const auto& [name, value] : shares) {
    if (!(value >= 0 && value <= 1)) {
      throw InvalidArgument(fmt::format("ranking option {} {} is outside [0, 1]", name, value));
    }
  }
}

void EngineOptions(const Options& options) {
  const PointsPolicy& points = options.points;
  const std::pair<const char*, std::int64_t> amounts[] = {
      {"signup_bonus", points.signup_bonus},
      {"acceptance_reward", points.acceptance_reward},
      {"daily_reward_cap", points.daily_reward_cap},
      {"urgent_fee", points.urgent_fee}};
  for (const auto& [name, value] : amounts) {
    if (value < 0 || value > kMaxBounty) {
      throw InvalidArgument(fmt::format("option {} {} is outside [0, {}]", name, value, kMaxBounty));
    }
  }
  if (points.bounty_expiry < std::chrono::seconds(1)) {
    throw InvalidArgument(fmt::format("option bounty_expiry {} s is under a second",
                                      points.bounty_expiry.count()));
  }
  if (!(options.snap_distance_m >= 0 && options.snap_distance_m <= kMaxRadiusM)) {
    throw InvalidArgument(fmt::format("option snap_distance_m {} is outside [0, {}]",
                                      options.snap_distance_m, kMaxRadiusM));
  }
  if (options.busy_timeout_ms < 0) {
    throw InvalidArgument(fmt::format("option busy_timeout_ms {} is negative", options.busy_timeout_ms));
  }
}

}  // namespace dongne::validate
