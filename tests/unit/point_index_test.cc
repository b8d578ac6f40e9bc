// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// geo::PointIndex and its bounds against a brute-force scan: membership by
// GeodesicDistance <= radius, order by (distance, id), distances checked
// against GeographicLib.

#include "geo/point_index.h"

#include <GeographicLib/Geodesic.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "geo/circle_bounds.h"
#include "geo/geodesic.h"
#include "test_util.h"

namespace dongne::geo {
namespace {

std::vector<PointHit> BruteForce(const std::vector<PointEntry>& all, LatLon center, double radius,
                                 const std::optional<NearKey>& after, std::size_t limit,
                                 const PointIndex::Filter& keep) {
  std::vector<PointHit> hits;
  for (const PointEntry& e : all) {
    const double d = GeodesicDistance(center, e.at);
    if (d <= radius && keep(e) && (!after || *after < NearKey{d, e.id})) hits.push_back({e, d});
  }
  std::sort(hits.begin(), hits.end(), [](const PointHit& a, const PointHit& b) {
    return NearKey{a.distance_m, a.entry.id} < NearKey{b.distance_m, b.entry.id};
  });
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

void ExpectSame(const std::vector<PointHit>& got, const std::vector<PointHit>& want,
                LatLon center) {
  ASSERT_EQ(got.size(), want.size()) << center.lat << "," << center.lon;
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].entry.id, want[i].entry.id) << "hit " << i;
    EXPECT_EQ(got[i].distance_m, want[i].distance_m);
    const double oracle = testing::OracleDistance(center, got[i].entry.at);
    EXPECT_NEAR(got[i].distance_m, oracle, std::max(1.0, oracle * 1e-3));
  }
}

// Points clustered around `centers` (some cells dense, most sparse), with
// random flags, plus duplicates at the same spot.
std::vector<PointEntry> RandomEntries(std::mt19937_64& rng, std::size_t n,
                                      const std::vector<LatLon>& centers, double spread_deg) {
  std::uniform_int_distribution<std::size_t> pick(0, centers.size() - 1);
  std::normal_distribution<double> jitter(0, spread_deg);
  std::uniform_int_distribution<int> bits(0, 15), category(0, 8);
  std::vector<PointEntry> entries;
  for (std::size_t i = 0; i < n; ++i) {
    const LatLon c = centers[pick(rng)];
    PointEntry e;
    if (i % 50 == 1) {
      e.at = entries.back().at;  // same spot as the previous one
    } else {
      double lon = c.lon + jitter(rng);
      if (lon > 180) lon -= 360;
      if (lon < -180) lon += 360;
      e.at = {std::clamp(c.lat + jitter(rng), -90.0, 90.0), lon};
    }
    e.id = static_cast<Id>(i + 1);
    e.created_at = static_cast<std::int64_t>(i);
    e.flags = static_cast<std::uint8_t>(bits(rng));
    e.category = static_cast<std::uint8_t>(category(rng));
    entries.push_back(e);
  }
  return entries;
}

void CheckRandomQueries(const std::vector<PointEntry>& entries, const std::vector<LatLon>& centers,
                        double spread_deg, std::uint64_t seed) {
  // Half loaded at once, half upserted one by one.
  PointIndex index;
  index.Load({entries.begin(), entries.begin() + entries.size() / 2});
  for (std::size_t i = entries.size() / 2; i < entries.size(); ++i) index.Upsert(entries[i]);
  ASSERT_EQ(index.size(), entries.size());
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, centers.size() - 1);
  std::normal_distribution<double> jitter(0, spread_deg);
  std::uniform_real_distribution<double> log_radius(0, 7);  // 1 m to 10,000 km
  std::uniform_int_distribution<int> limit(1, 60), filter(0, 3);
  for (int i = 0; i < 300; ++i) {
    const LatLon c0 = centers[pick(rng)];
    const LatLon center{std::clamp(c0.lat + jitter(rng), -90.0, 90.0),
                        std::clamp(c0.lon + jitter(rng), -180.0, 180.0)};
    const double radius = i % 10 == 0 ? 0 : std::pow(10, log_radius(rng));
    const std::size_t k = limit(rng);
    PointIndex::Filter keep = [](const PointEntry&) { return true; };
    switch (filter(rng)) {
      case 1: keep = [](const PointEntry& e) { return !e.answered(); }; break;
      case 2: keep = [](const PointEntry& e) { return e.urgent() && e.category == 3; }; break;
      default: break;
    }
    SCOPED_TRACE(::testing::Message() << "query " << i << " at " << center.lat << "," << center.lon
                                    << " radius " << radius << " k " << k);
    ExpectSame(index.Nearest(center, radius, std::nullopt, k, keep),
               BruteForce(entries, center, radius, std::nullopt, k, keep), center);
    // Paging from the middle of the first page resumes exactly.
    const auto first = index.Nearest(center, radius, std::nullopt, k, keep);
    if (!first.empty()) {
      const PointHit& mid = first[first.size() / 2];
      const NearKey after{mid.distance_m, mid.entry.id};
      ExpectSame(index.Nearest(center, radius, after, k, keep),
                 BruteForce(entries, center, radius, after, k, keep), center);
    }
  }
}

TEST(PointIndex, MatchesBruteForceOverKorea) {
  std::mt19937_64 rng(1);
  const std::vector<LatLon> cities = {{37.5665, 126.9780}, {35.1796, 129.0756},
                                      {33.4996, 126.5312}, {35.2, 128.9}, {36.35, 127.38}};
  CheckRandomQueries(RandomEntries(rng, 20000, cities, 0.05), cities, 0.05, 2);
  CheckRandomQueries(RandomEntries(rng, 5000, cities, 1.0), cities, 1.0, 3);
}

TEST(PointIndex, MatchesBruteForceNearPolesAndAntimeridian) {
  std::mt19937_64 rng(4);
  const std::vector<LatLon> odd = {{89.99, 0}, {-89.5, 120}, {0, 179.999}, {-33, -179.99},
                                   {65, 180}, {71.5, -180}, {0, 0}};
  CheckRandomQueries(RandomEntries(rng, 5000, odd, 0.3), odd, 0.3, 5);
  // Dense on both sides of ±180°, where a cell's nearest edge wraps.
  const std::vector<LatLon> dateline = {{10, 180}, {10, -180}, {-20, 179.995}, {-20, -179.995}};
  CheckRandomQueries(RandomEntries(rng, 4000, dateline, 0.004), dateline, 0.004, 10);
}

TEST(PointIndex, PagingWalksEveryPointInsideOnce) {
  std::mt19937_64 rng(6);
  const std::vector<LatLon> busan = {{35.1796, 129.0756}};
  const std::vector<PointEntry> entries = RandomEntries(rng, 3000, busan, 0.03);
  PointIndex index;
  for (const PointEntry& e : entries) index.Upsert(e);
  const auto all = [](const PointEntry&) { return true; };
  const std::vector<PointHit> want =
      BruteForce(entries, busan[0], 2500, std::nullopt, entries.size(), all);
  std::vector<PointHit> got;
  std::optional<NearKey> after;
  for (;;) {
    const auto page = index.Nearest(busan[0], 2500, after, 7, all);
    got.insert(got.end(), page.begin(), page.end());
    if (page.size() < 7) break;
    after = NearKey{page.back().distance_m, page.back().entry.id};
  }
  ExpectSame(got, want, busan[0]);
}

TEST(PointIndex, UpsertReplacesByIdInPlace) {
  PointIndex index;
  PointEntry e{.at = {33.45, 126.56}, .id = 7, .created_at = 1};
  index.Upsert(e);
  e.flags = PointEntry::Flags(true, true, QuestionStatus::kAccepted);
  index.Upsert(e);
  EXPECT_EQ(index.size(), 1u);
  const auto hits = index.Nearest({33.45, 126.56}, 10, std::nullopt, 5,
                                  [](const PointEntry&) { return true; });
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].distance_m, 0);
  EXPECT_TRUE(hits[0].entry.urgent());
  EXPECT_EQ(hits[0].entry.status(), QuestionStatus::kAccepted);
  EXPECT_GT(index.MemoryBytes(), sizeof(PointEntry));
}

TEST(DistanceBounds, HoldTheExactDistanceWhereTrusted) {
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> lat(-70, 70), lon(-180, 180), unit(-1, 1);
  for (int i = 0; i < 20000; ++i) {
    const LatLon c{lat(rng), lon(rng)};
    const double radius = std::pow(10, 5 * std::abs(unit(rng)));  // 1 m to 100 km
    const DistanceBounds bounds(c, radius);
    const LatLonBox box = CircleBox(c, radius);
    LatLon p{box.lat_min + (box.lat_max - box.lat_min) * (unit(rng) + 1) / 2,
             box.lon_min + (box.lon_max - box.lon_min) * (unit(rng) + 1) / 2};
    if (p.lon > 180) p.lon -= 360;
    if (p.lon < -180) p.lon += 360;
    const double d = GeodesicDistance(c, p);
    const DistanceBounds::Range r = bounds(p);
    EXPECT_LE(r.lower, d) << c.lat << "," << c.lon << " -> " << p.lat << "," << p.lon;
    EXPECT_GE(r.upper, d) << c.lat << "," << c.lon << " -> " << p.lat << "," << p.lon;
  }
}

TEST(CircleBox, HoldsEveryPointOfTheCircle) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> lat(-89, 89), lon(-180, 180), azimuth(-180, 180),
      unit(0, 1);
  const GeographicLib::Geodesic& wgs84 = GeographicLib::Geodesic::WGS84();
  for (int i = 0; i < 20000; ++i) {
    const LatLon c{lat(rng), lon(rng)};
    const double radius = std::pow(10, 7 * unit(rng));
    LatLon p;
    wgs84.Direct(c.lat, c.lon, azimuth(rng), radius * (1 - 1e-9), p.lat, p.lon);
    const LatLonBox box = CircleBox(c, radius);
    EXPECT_GE(p.lat, box.lat_min);
    EXPECT_LE(p.lat, box.lat_max);
    if (!box.all_lon) {
      const double lon_shifted = p.lon < box.lon_min ? p.lon + 360 : p.lon > box.lon_max ? p.lon - 360 : p.lon;
      EXPECT_GE(lon_shifted, box.lon_min) << c.lat << "," << c.lon << " r " << radius;
      EXPECT_LE(lon_shifted, box.lon_max) << c.lat << "," << c.lon << " r " << radius;
    }
  }
}

}  // namespace
}  // namespace dongne::geo
