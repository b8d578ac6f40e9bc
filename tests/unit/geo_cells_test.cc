// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The radius filter's cell cover: every point of the circle is in a cell of
// the cover, checked against GeographicLib, and the cover stays small.

#include <gtest/gtest.h>

#include <GeographicLib/Geodesic.hpp>
#include <random>
#include <set>
#include <string>

#include "search/geo_cells.h"

namespace dongne::search {
namespace {

std::set<std::string> TermsOf(const Xapian::Query& q) {
  return std::set<std::string>(q.get_terms_begin(), q.get_terms_end());
}

TEST(CellCover, HoldsEveryPointOfTheCircle) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> lat(-80, 80), lon(-179, 179), azimuth(-180, 180),
      unit(0, 1);
  const GeographicLib::Geodesic& wgs84 = GeographicLib::Geodesic::WGS84();
  int covered = 0;
  for (int i = 0; i < 20000; ++i) {
    const LatLon c{lat(rng), lon(rng)};
    const double radius = std::pow(10, 6 * unit(rng));  // 1 m to 1,000 km
    const std::optional<Xapian::Query> cover = CellCover(c, radius);
    if (!cover) continue;
    ++covered;
    LatLon p;
    wgs84.Direct(c.lat, c.lon, azimuth(rng), radius * unit(rng), p.lat, p.lon);
    const std::set<std::string> cells = TermsOf(*cover);
    bool inside = false;
    for (const std::string& term : CellTermsOf(p)) inside |= cells.count(term) > 0;
    EXPECT_TRUE(inside) << c.lat << "," << c.lon << " r " << radius << " -> " << p.lat << ","
                        << p.lon;
  }
  EXPECT_GT(covered, 15000);  // only radii of hundreds of kilometres go without
}

TEST(CellCover, IsAFewCellsOfOneLevel) {
  const std::optional<Xapian::Query> cover = CellCover({37.5665, 126.9780}, 5000);
  ASSERT_TRUE(cover);
  const std::set<std::string> cells = TermsOf(*cover);
  EXPECT_LE(cells.size(), 36u);
  std::set<std::string> levels;
  for (const std::string& cell : cells) levels.insert(cell.substr(0, cell.find(':')));
  EXPECT_EQ(levels.size(), 1u);
}

TEST(CellCover, NoneWhereTheDistanceCheckMustDo) {
  EXPECT_FALSE(CellCover({37.5, 179.999}, 5000));    // across the antimeridian
  EXPECT_FALSE(CellCover({89.99, 10}, 5000));        // around the pole
  EXPECT_FALSE(CellCover({36.5, 127.5}, 2'000'000));  // more cells than is worth it
}

TEST(CellTermsOf, OneCellPerLevelAndNeighboursShareCoarseCells) {
  const std::vector<std::string> a = CellTermsOf({33.4996, 126.5312});
  const std::vector<std::string> b = CellTermsOf({33.4997, 126.5313});  // 15 m away
  const std::vector<std::string> far = CellTermsOf({35.1631, 129.1635});
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a, b);
  EXPECT_NE(a.front(), far.front());
  EXPECT_NE(a.back(), far.back());  // 280 km apart
}

}  // namespace
}  // namespace dongne::search
