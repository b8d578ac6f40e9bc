// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Checks and normalises what hosts pass in, before anything is written. Each
// function throws InvalidArgument naming the field and the rule broken, and
// returns the normalised value.

#ifndef DONGNE_ENGINE_VALIDATE_H_
#define DONGNE_ENGINE_VALIDATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dongne/options.h"
#include "dongne/search.h"
#include "dongne/types.h"

namespace dongne::validate {

inline constexpr std::size_t kMaxNickname = 30;
inline constexpr std::size_t kMaxTitle = 200;
inline constexpr std::size_t kMaxBody = 20000;
inline constexpr std::size_t kMaxHashtags = 10;
inline constexpr std::size_t kMaxHashtag = 30;
inline constexpr std::size_t kMaxExtId = 200;
inline constexpr std::int64_t kMaxBounty = 1'000'000;
inline constexpr int kMaxListLimit = 1000;
// Half a meridian, rounded up: a circle this wide holds all of the Earth.
inline constexpr double kMaxRadiusM = 20'004'000;

// Latitude in [-90, 90] and longitude in [-180, 180], both finite.
void Location(LatLon p, std::string_view field = "location");

// NFC, trimmed, 1–30 characters, no control characters.
std::string Nickname(std::string_view nickname);

// NFC and trimmed; 1–max_chars characters; line breaks allowed only when
// `multiline`. `field` names it in errors ("title", "body").
std::string Text(std::string_view text, std::string_view field, std::size_t max_chars,
                 bool multiline);

// One hashtag: NFKC with case folding, leading '#'s dropped, 1–30
// characters, no white space or control characters.
std::string Hashtag(std::string_view tag);

// Every tag normalised as above, duplicates dropped (first kept), at most 10.
std::vector<std::string> Hashtags(const std::vector<std::string>& tags);

// One of kCategories; empty means "other".
std::string Category(std::string_view category);

// 0 to kMaxBounty.
void Bounty(std::int64_t bounty);

// Empty (none) or 1–200 characters of UTF-8 without control characters.
std::string ExtId(std::string_view ext_id);

// A time in the years 1 to 9999, all that RFC 3339 (the CLI's and HTTP's
// JSON) and Python's datetime can write. `field` names it in errors.
Timestamp Time(Timestamp t, std::string_view field = "created_at");

// A page size: 1 to max. `field` names it in errors.
void Limit(int limit, int max = kMaxListLimit, std::string_view field = "limit");

// A search radius in metres: finite, 0 to kMaxRadiusM.
void Radius(double radius_m, std::string_view field = "radius_m");

// Search ranking options: weights, decay scales and bm25_k1 finite and
// non-negative (a negative weight could turn a boost factor negative and
// the ranking upside down); bm25_b and common_term_share in [0, 1].
void Ranking(const RankingOptions& ranking);

// Engine options: point amounts 0 to kMaxBounty, the bounty expiry at
// least a second, snap_distance_m finite and 0 to kMaxRadiusM,
// busy_timeout_ms not negative. (A negative acceptance reward charged the
// answerer; a signup bonus near 2^63 overflowed the next sum.)
void EngineOptions(const Options& options);

}  // namespace dongne::validate

#endif  // DONGNE_ENGINE_VALIDATE_H_
