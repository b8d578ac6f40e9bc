// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Nearby search: the value types of Engine's "Nearby" methods, and the
// GeoJSON of a page of hits. Distances are geodesic, in metres on the WGS84
// ellipsoid. docs/nearby.md explains the choices.

#ifndef DONGNE_NEARBY_H_
#define DONGNE_NEARBY_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dongne/types.h"

namespace dongne {

// What Engine::Nearby takes: a centre with a radius, a number of hits, or
// both, and filters. Hits come nearest first; ties go to the smaller id.
//
//   radius only   every question within radius_m, 20 a page
//   k only        the k nearest at any distance
//   both          the k nearest within radius_m
//
// Every page after the first is asked for with the previous next_cursor and
// otherwise the same query.
struct NearbyQuery {
  LatLon center;
  std::optional<double> radius_m;  // 0 to 20,004,000 (half a meridian: all of the Earth)
  std::optional<int> k;            // hits per page: 1 to 1000; default 20

  bool unanswered = false;  // only questions without answers
  bool urgent = false;      // only urgent questions
  std::string category;     // one of kCategories; empty = any
  std::string tag;          // a hashtag, normalised as when asking; empty = any
  std::optional<QuestionStatus> status;  // only questions in this state
  std::optional<Timestamp> newer_than;   // only questions created after this

  std::string cursor;  // next_cursor of the previous page; empty = first page
};

struct NearbyHit {
  Question question;
  double distance_m = 0;  // from the query's centre
};

struct NearbyPage {
  std::vector<NearbyHit> hits;
  // Opaque: the position (distance, id) of the last hit. Empty when no
  // further question matches. Paging neither skips nor repeats a question
  // that stays put and matching.
  std::string next_cursor;
};

// "Needs an answer near me": open questions without answers within a radius,
// urgent ones first, then the longest waiting, then the nearest (ties by id).
struct FeedQuery {
  LatLon center;
  double radius_m = 5000;  // 0 to 20,004,000
  int limit = 20;          // hits per page: 1 to 1000
  std::string category;    // empty = any
  std::string cursor;      // next_cursor of the previous page; empty = first page
};

struct FeedHit {
  Question question;
  double distance_m = 0;
  std::int64_t waiting_s = 0;  // seconds since it was asked, by the engine's clock
};

struct FeedPage {
  std::vector<FeedHit> hits;
  // Opaque: the position of the last hit in feed order; empty when no
  // further question matches. A question answered meanwhile leaves the feed.
  std::string next_cursor;
};

// A user's verified home neighbourhood (동네 인증).
struct Home {
  Id user = 0;
  std::string neighborhood;  // the neighbourhood map's name there, else the region key
  LatLon location;
  Timestamp verified_at{};
};

// A user who could answer a question: verified home near it.
struct Answerer {
  User user;
  Home home;
  double distance_m = 0;     // from the home to the question
  int recent_answers = 0;    // answers in the 30 days before now
  int accepted_answers = 0;  // accepted answers, ever
  // 0.5 (1 - distance / radius) + 0.3 min(recent, 10) / 10
  // + 0.2 min(accepted, 10) / 10; higher first, ties nearest first.
  double score = 0;
};

// The page as a GeoJSON FeatureCollection of Points ([lon, lat]); each
// feature's properties are the question's JSON (dongne/json.h) plus
// "distance_m". The collection's "next_cursor" (a foreign member, which
// RFC 7946 allows) is the page's, or null on the last page.
std::string NearbyGeoJson(const NearbyPage& page);

}  // namespace dongne

#endif  // DONGNE_NEARBY_H_
