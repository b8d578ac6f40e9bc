// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// NearbyGeoJson: a page of hits as a GeoJSON FeatureCollection, for maps.
// The properties mirror the hosts' question JSON (examples/common/
// json_format.cc), which hosts may not share with the library.

#include <nlohmann/json.hpp>

#include "dongne/nearby.h"

namespace dongne {
namespace {

using Json = nlohmann::ordered_json;

Json NullIfEmpty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

}  // namespace

std::string NearbyGeoJson(std::span<const NearbyHit> hits) {
  Json features = Json::array();
  for (const NearbyHit& hit : hits) {
    const Question& q = hit.question;
    features.push_back(
        {{"type", "Feature"},
         {"geometry", {{"type", "Point"}, {"coordinates", {q.location.lon, q.location.lat}}}},
         {"properties",
          {{"id", q.id},
           {"ext_id", NullIfEmpty(q.ext_id)},
           {"region", q.region},
           {"neighborhood", NullIfEmpty(q.neighborhood)},
           {"title", q.title},
           {"body", q.body},
           {"author", q.author},
           {"author_id", q.author_id},
           {"lat", q.location.lat},
           {"lon", q.location.lon},
           {"category", q.category},
           {"hashtags", q.hashtags},
           {"urgent", q.urgent},
           {"bounty", q.bounty},
           {"status", QuestionStatusName(q.status)},
           {"answer_count", q.answer_count},
           {"accepted_answer", q.accepted_answer ? Json(*q.accepted_answer) : Json(nullptr)},
           {"likes", q.likes},
           {"created_at", FormatRfc3339(q.created_at)},
           {"distance_m", hit.distance_m}}}});
  }
  const Json collection = {{"type", "FeatureCollection"}, {"features", std::move(features)}};
  return collection.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace dongne
