// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// A region map: polygons read from a GeoJSON FeatureCollection, indexed for
// point-in-polygon routing.

#ifndef DONGNE_GEO_REGION_MAP_H_
#define DONGNE_GEO_REGION_MAP_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dongne/types.h"

namespace dongne::geo {

// One feature of the map.
struct Region {
  std::string key;   // shard key: "region" property, else slug of "name_eng", else "code"
  std::string name;  // "name" property (e.g. 애월읍); empty when absent
  std::string code;  // "code" property; empty when absent
};

// Immutable after Parse: every const method is safe from many threads.
class RegionMap {
 public:
  // Parses a GeoJSON FeatureCollection of Polygon and MultiPolygon features
  // (other geometry types are an error). Throws InvalidArgument naming
  // `source` and the offending feature's index when the text is not such a
  // collection, a ring has fewer than 4 positions, a coordinate is out of
  // range, or a feature has no usable shard key.
  static RegionMap Parse(std::string_view geojson, std::string_view source);

  // The small map built into the library (src/geo/default_regions.geojson).
  static const RegionMap& BuiltIn();
  static std::string_view BuiltInGeoJson();

  RegionMap(RegionMap&&) noexcept;
  RegionMap& operator=(RegionMap&&) noexcept;
  ~RegionMap();

  // The index of the feature whose polygon contains `p`; else of the feature
  // nearest to `p` if it is within `snap_distance_m`; else nullopt. Uses a
  // spatial index: cost grows with the features near `p`, not the map size.
  std::optional<std::size_t> Locate(LatLon p, double snap_distance_m) const;

  // Indexes of features that may hold points within `radius_m` of `center`
  // (bounding-box test, so a superset). For fan-out of nearby queries.
  std::vector<std::size_t> FeaturesNear(LatLon center, double radius_m) const;

  const Region& region(std::size_t feature) const;
  std::size_t size() const;

  // Distinct shard keys in the order of their first feature.
  std::vector<std::string> Keys() const;

 private:
  struct Data;
  explicit RegionMap(std::unique_ptr<Data> data);
  std::unique_ptr<Data> data_;
};

// "Jeju-do" -> "jeju-do", "Chungcheongbuk-do" -> "chungcheongbuk-do":
// lower-case ASCII letters and digits, other runs collapsed to one '-',
// no leading or trailing '-'.
std::string Slug(std::string_view text);

}  // namespace dongne::geo

#endif  // DONGNE_GEO_REGION_MAP_H_
