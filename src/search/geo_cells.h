// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The radius filter's terms. Each question is indexed under the grid cell
// holding its point at every level (cells of 0.01° × 4^level, so about
// 1 km to 280 km a side in Korea), and a radius search filters on the few
// cells of one level that cover the circle's box (geo::CircleBox). The
// cover may hold points beyond the radius, never fewer: the exact distance
// check stays with the searcher. Boolean terms keep the filter a handful of
// short posting lists, where value ranges on latitude and longitude read a
// value of every question the text matches.

#ifndef DONGNE_SEARCH_GEO_CELLS_H_
#define DONGNE_SEARCH_GEO_CELLS_H_

#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "dongne/types.h"

namespace dongne::search {

// The terms of the cells holding `p`, one per level.
std::vector<std::string> CellTermsOf(LatLon p);

// An OR of the cell terms covering every point within `radius_m` of
// `center`, from the finest level that needs at most a few dozen cells;
// nullopt when none does (a radius of hundreds of kilometres) or the circle
// reaches a pole or the antimeridian, where the distance check alone must
// do.
std::optional<Xapian::Query> CellCover(LatLon center, double radius_m);

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_GEO_CELLS_H_
