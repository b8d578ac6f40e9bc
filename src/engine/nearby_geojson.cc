// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// NearbyGeoJson: a page of hits as a GeoJSON FeatureCollection, for maps.

#include <nlohmann/json.hpp>

#include "dongne/json.h"
#include "dongne/nearby.h"

namespace dongne {

std::string NearbyGeoJson(const NearbyPage& page) {
  using Json = nlohmann::ordered_json;
  Json features = Json::array();
  for (const NearbyHit& hit : page.hits) {
    const Question& q = hit.question;
    Json properties = q;
    properties["distance_m"] = hit.distance_m;
    features.push_back(
        {{"type", "Feature"},
         {"geometry", {{"type", "Point"}, {"coordinates", {q.location.lon, q.location.lat}}}},
         {"properties", std::move(properties)}});
  }
  const Json collection = {
      {"type", "FeatureCollection"},
      {"features", std::move(features)},
      {"next_cursor", page.next_cursor.empty() ? Json(nullptr) : Json(page.next_cursor)}};
  return collection.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace dongne
