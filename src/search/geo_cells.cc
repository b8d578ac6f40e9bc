// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "search/geo_cells.h"

#include <fmt/format.h>

#include <cmath>

#include "geo/circle_bounds.h"
#include "search/terms.h"

namespace dongne::search {
namespace {

constexpr int kLevels = 5;
constexpr double kFinestDegrees = 0.01;
// Cells of one level per query at most: beyond this the OR of posting
// lists costs more than the cells save.
constexpr long kMaxCoverCells = 36;

double CellDegrees(int level) { return kFinestDegrees * std::pow(4.0, level); }

// Cell indexes count from the south-west corner (-90°, -180°), so they are
// never negative.
long Row(double lat, int level) { return std::lround(std::floor((lat + 90) / CellDegrees(level))); }
long Column(double lon, int level) {
  return std::lround(std::floor((lon + 180) / CellDegrees(level)));
}

std::string CellTerm(int level, long row, long column) {
  return fmt::format("{}{}:{},{}", kCell, level, row, column);
}

}  // namespace

std::vector<std::string> CellTermsOf(LatLon p) {
  std::vector<std::string> terms;
  for (int level = 0; level < kLevels; ++level) {
    terms.push_back(CellTerm(level, Row(p.lat, level), Column(p.lon, level)));
  }
  return terms;
}

std::optional<Xapian::Query> CellCover(LatLon center, double radius_m) {
  const geo::LatLonBox box = geo::CircleBox(center, radius_m);
  if (box.all_lon || box.lon_min < -180 || box.lon_max > 180 || box.lat_min <= -90 ||
      box.lat_max >= 90) {
    return std::nullopt;
  }
  for (int level = 0; level < kLevels; ++level) {
    const long row_min = Row(box.lat_min, level), row_max = Row(box.lat_max, level);
    const long column_min = Column(box.lon_min, level), column_max = Column(box.lon_max, level);
    if ((row_max - row_min + 1) * (column_max - column_min + 1) > kMaxCoverCells) continue;
    std::vector<Xapian::Query> cells;
    for (long row = row_min; row <= row_max; ++row) {
      for (long column = column_min; column <= column_max; ++column) {
        cells.emplace_back(CellTerm(level, row, column));
      }
    }
    return Xapian::Query(Xapian::Query::OP_OR, cells.begin(), cells.end());
  }
  return std::nullopt;
}

}  // namespace dongne::search
