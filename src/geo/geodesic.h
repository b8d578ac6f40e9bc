// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Distances on the WGS84 ellipsoid.

#ifndef DONGNE_GEO_GEODESIC_H_
#define DONGNE_GEO_GEODESIC_H_

#include "dongne/types.h"

namespace dongne::geo {

inline constexpr double kEarthRadiusM = 6371008.8;  // mean radius, for bounds

// The geodesic distance in metres between two valid points on the WGS84
// ellipsoid, within 0.1% or 1 m of GeographicLib's for any pair (tests check
// it against GeographicLib). Pure and thread-safe.
double GeodesicDistance(LatLon a, LatLon b);

}  // namespace dongne::geo

#endif  // DONGNE_GEO_GEODESIC_H_
