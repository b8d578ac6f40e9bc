// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// GeoJSON region maps: any bytes parse or throw InvalidArgument; a parsed map
// routes any point without crashing.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dongne/error.h"
#include "geo/region_map.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto map = dongne::geo::RegionMap::Parse(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
    for (double lat : {-90.0, 0.0, 0.5, 33.4585, 90.0}) {
      for (double lon : {-180.0, 0.0, 0.5, 126.9425, 180.0}) {
        map.Locate({lat, lon}, 3000);
        map.FeaturesNear({lat, lon}, 5000);
      }
    }
    map.Keys();
  } catch (const dongne::InvalidArgument&) {
  }
  return 0;
}
