// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "geo/geodesic.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <random>

namespace dongne::geo {
namespace {

void ExpectClose(LatLon a, LatLon b) {
  const double expected = testing::OracleDistance(a, b);
  EXPECT_NEAR(GeodesicDistance(a, b), expected, std::max(1.0, expected * 1e-3))
      << a.lat << "," << a.lon << " -> " << b.lat << "," << b.lon;
}

TEST(Geodesic, KnownPairs) {
  EXPECT_EQ(GeodesicDistance({33.5, 126.5}, {33.5, 126.5}), 0);
  ExpectClose({33.4996, 126.5312}, {35.1587, 129.1604});  // 제주 -> 해운대
  ExpectClose({0, 0}, {0, 90});                           // along the equator
  ExpectClose({-90, 0}, {90, 0});                         // pole to pole
  ExpectClose({0, 0}, {0.5, 179.7});                      // nearly antipodal
  ExpectClose({0, 0}, {0, 180});
}

TEST(Geodesic, RandomPairsMatchGeographicLib) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lat(-90, 90), lon(-180, 180), small(-0.05, 0.05);
  for (int i = 0; i < 20000; ++i) {
    const LatLon a{lat(rng), lon(rng)};
    ExpectClose(a, {lat(rng), lon(rng)});
    ExpectClose(a, {std::clamp(a.lat + small(rng), -90.0, 90.0), a.lon + small(rng)});
  }
}

TEST(Geodesic, NearlyAntipodalPairsMatchGeographicLib) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> lat(-60, 60), lon(-180, 180), jitter(-1, 1);
  for (int i = 0; i < 5000; ++i) {
    const LatLon a{lat(rng), lon(rng)};
    const LatLon b{-a.lat + jitter(rng), a.lon + 180 + jitter(rng) - (a.lon > 0 ? 360 : 0)};
    ExpectClose(a, b);
  }
}

}  // namespace
}  // namespace dongne::geo
