// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "geo/circle_bounds.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dongne::geo {
namespace {

constexpr double kA = 6378137.0;          // WGS84 semi-major axis
constexpr double kF = 1 / 298.257223563;  // WGS84 flattening
constexpr double kE2 = kF * (2 - kF);     // first eccentricity squared
constexpr double kMinRadiusM = kA * (1 - kE2);  // smallest radius of curvature
constexpr double kDeg = 180 / std::numbers::pi;
constexpr double kRad = std::numbers::pi / 180;

}  // namespace

LatLonBox CircleBox(LatLon center, double radius_m) {
  // A hair wider than the radius: GeodesicDistance agrees with the true
  // distance to well under a millimetre, and degrees round.
  const double delta = (radius_m * (1 + 1e-9) + 0.01) / kMinRadiusM;  // radians on the sphere
  LatLonBox box;
  if (delta >= std::numbers::pi) return box;  // the whole Earth
  const double dlat = delta * kDeg;
  box.lat_min = std::max(-90.0, center.lat - dlat);
  box.lat_max = std::min(90.0, center.lat + dlat);
  if (std::abs(center.lat) + dlat >= 90) return box;  // the cap holds a pole
  const double s = std::sin(delta) / std::cos(center.lat * kRad);
  if (s >= 1) return box;
  const double dlon = std::asin(s) * kDeg + 1e-9;
  box.all_lon = false;
  box.lon_min = center.lon - dlon;
  box.lon_max = center.lon + dlon;
  return box;
}

DistanceBounds::DistanceBounds(LatLon center, double radius_m) : center_(center) {
  const LatLonBox box = CircleBox(center, radius_m);
  valid_ = radius_m <= kMaxRadiusM && std::max(std::abs(box.lat_min), std::abs(box.lat_max)) <= 72;
  if (!valid_) return;
  const double phi = center.lat * kRad;
  cos0_ = std::cos(phi);
  sin0_ = std::sin(phi);
  const double w = 1 - kE2 * sin0_ * sin0_;
  m_per_deg_lat_ = kA * (1 - kE2) / (w * std::sqrt(w)) * kRad;
  n_per_deg_ = kA / std::sqrt(w) * kRad;
}

}  // namespace dongne::geo
