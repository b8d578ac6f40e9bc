// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "geo/point_index.h"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "geo/geodesic.h"

namespace dongne::geo {
namespace {

constexpr double kCellDeg = 0.01;
constexpr std::int64_t kRows = 18000;     // 180° / kCellDeg
constexpr std::int64_t kColumns = 36000;  // 360° / kCellDeg

std::int64_t Row(double lat) {
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor((lat + 90) / kCellDeg)), 0,
                                  kRows - 1);
}

std::int64_t Column(double lon) {
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor((lon + 180) / kCellDeg)), 0,
                                  kColumns - 1);
}

}  // namespace

std::uint64_t PointIndex::CellOf(LatLon p) {
  return static_cast<std::uint64_t>(Row(p.lat) * kColumns + Column(p.lon));
}

void PointIndex::Load(std::vector<PointEntry> entries) {
  std::sort(entries.begin(), entries.end(), [](const PointEntry& a, const PointEntry& b) {
    return CellOf(a.at) < CellOf(b.at);
  });
  std::map<std::uint64_t, Cell> cells;
  for (auto first = entries.begin(); first != entries.end();) {
    const std::uint64_t key = CellOf(first->at);
    const auto last = std::find_if(first, entries.end(),
                                   [key](const PointEntry& e) { return CellOf(e.at) != key; });
    cells.emplace_hint(cells.end(), key, Cell(first, last));
    first = last;
  }
  std::unique_lock lock(mutex_);
  cells_ = std::move(cells);
  size_ = entries.size();
}

void PointIndex::Upsert(const PointEntry& entry) {
  std::unique_lock lock(mutex_);
  Cell& cell = cells_[CellOf(entry.at)];
  auto it = std::find_if(cell.begin(), cell.end(),
                         [&](const PointEntry& e) { return e.id == entry.id; });
  if (it != cell.end()) {
    *it = entry;
  } else {
    cell.push_back(entry);
    ++size_;
  }
}

std::vector<PointIndex::NearCell> PointIndex::CellsNear(LatLon center, double radius_m,
                                                        const DistanceBounds& bounds) const {
  std::vector<NearCell> near;
  if (cells_.empty()) return near;
  const LatLonBox box = CircleBox(center, radius_m);
  // Column ranges of the box, wrapped at the antimeridian.
  std::vector<std::pair<std::int64_t, std::int64_t>> columns;
  if (box.all_lon) {
    columns.emplace_back(0, kColumns - 1);
  } else if (box.lon_min < -180) {
    columns.emplace_back(0, Column(box.lon_max));
    columns.emplace_back(Column(box.lon_min + 360), kColumns - 1);
  } else if (box.lon_max > 180) {
    columns.emplace_back(Column(box.lon_min), kColumns - 1);
    columns.emplace_back(0, Column(box.lon_max - 360));
  } else {
    columns.emplace_back(Column(box.lon_min), Column(box.lon_max));
  }
  // Only rows that hold cells: a whole-Earth query over a shard of one
  // province walks that province's rows.
  const std::int64_t first_row =
      std::max(Row(box.lat_min), static_cast<std::int64_t>(cells_.begin()->first / kColumns));
  const std::int64_t last_row =
      std::min(Row(box.lat_max), static_cast<std::int64_t>(cells_.rbegin()->first / kColumns));
  for (std::int64_t row = first_row; row <= last_row; ++row) {
    for (const auto& [first, last] : columns) {
      const auto end = cells_.upper_bound(static_cast<std::uint64_t>(row * kColumns + last));
      for (auto it = cells_.lower_bound(static_cast<std::uint64_t>(row * kColumns + first));
           it != end; ++it) {
        // The cell's point nearest the centre in degrees; the estimate's
        // scale varies by under 0.1% across a cell, so 2% under its lower
        // bound is below every entry's.
        const std::int64_t column = static_cast<std::int64_t>(it->first % kColumns);
        const double lat0 = row * kCellDeg - 90, lon0 = column * kCellDeg - 180;
        LatLon nearest{std::clamp(center.lat, lat0, lat0 + kCellDeg),
                       std::clamp(center.lon, lon0, lon0 + kCellDeg)};
        // Across ±180°, the nearest edge is the one the centre reaches by
        // wrapping: the west edge going east, the east edge going west.
        if (center.lon - nearest.lon > 180) nearest.lon = lon0;
        if (nearest.lon - center.lon > 180) nearest.lon = lon0 + kCellDeg;
        const double lower = bounds(nearest).lower * 0.98 - 1;
        if (lower <= radius_m) near.push_back({lower, &it->second});
      }
    }
  }
  std::sort(near.begin(), near.end(),
            [](const NearCell& a, const NearCell& b) { return a.lower_m < b.lower_m; });
  return near;
}

void PointIndex::ForEachNear(
    LatLon center, double radius_m, const Filter& keep,
    const std::function<void(const PointEntry&, DistanceBounds::Range)>& fn) const {
  const DistanceBounds bounds(center, radius_m);
  const LatLonBox box = CircleBox(center, radius_m);
  std::shared_lock lock(mutex_);
  for (const NearCell& near : CellsNear(center, radius_m, bounds)) {
    for (const PointEntry& e : *near.cell) {
      if (e.at.lat < box.lat_min || e.at.lat > box.lat_max) continue;
      const DistanceBounds::Range range = bounds(e.at);
      if (range.lower > radius_m || !keep(e)) continue;
      fn(e, range);
    }
  }
}

std::vector<PointHit> PointIndex::Nearest(LatLon center, double radius_m,
                                          const std::optional<NearKey>& after, std::size_t limit,
                                          const Filter& keep) const {
  std::vector<PointHit> best;
  if (limit == 0) return best;
  struct Candidate {
    DistanceBounds::Range range;
    PointEntry entry;
  };
  std::vector<Candidate> candidates;
  // Upper bounds of `limit` entries certain to be hits (inside the radius
  // and after the cursor), as a max-heap: its top bounds the distance of
  // the limit-th hit, so nothing whose lower bound exceeds it can enter.
  std::vector<double> certain;
  double threshold = radius_m;
  {
    const DistanceBounds bounds(center, radius_m);
    const LatLonBox box = CircleBox(center, radius_m);
    std::shared_lock lock(mutex_);
    for (const NearCell& near : CellsNear(center, radius_m, bounds)) {
      if (near.lower_m > threshold) break;  // cells come nearest first
      for (const PointEntry& e : *near.cell) {
        if (e.at.lat < box.lat_min || e.at.lat > box.lat_max) continue;
        const DistanceBounds::Range range = bounds(e.at);
        if (range.lower > threshold) continue;
        // Entirely before the cursor: skip without the exact distance.
        if (after && range.upper < after->distance_m) continue;
        if (!keep(e)) continue;
        candidates.push_back({range, e});
        if (range.upper <= radius_m && (!after || range.lower > after->distance_m)) {
          certain.push_back(range.upper);
          std::push_heap(certain.begin(), certain.end());
          if (certain.size() > limit) {
            std::pop_heap(certain.begin(), certain.end());
            certain.pop_back();
          }
          if (certain.size() == limit) threshold = std::min(threshold, certain.front());
        }
      }
    }
  }

  // Candidates by lower bound, smallest first; results kept as a max-heap of
  // the best `limit` so far. Once the next lower bound exceeds the worst
  // kept distance, no later candidate can enter.
  const auto by_lower = [](const Candidate& a, const Candidate& b) {
    return a.range.lower > b.range.lower;
  };
  std::make_heap(candidates.begin(), candidates.end(), by_lower);
  const auto by_key = [](const PointHit& a, const PointHit& b) {
    return NearKey{a.distance_m, a.entry.id} < NearKey{b.distance_m, b.entry.id};
  };
  while (!candidates.empty()) {
    std::pop_heap(candidates.begin(), candidates.end(), by_lower);
    const Candidate c = candidates.back();
    candidates.pop_back();
    if (best.size() == limit && c.range.lower > best.front().distance_m) break;
    const double d = GeodesicDistance(center, c.entry.at);
    if (d > radius_m) continue;
    if (after && !(*after < NearKey{d, c.entry.id})) continue;
    best.push_back({c.entry, d});
    std::push_heap(best.begin(), best.end(), by_key);
    if (best.size() > limit) {
      std::pop_heap(best.begin(), best.end(), by_key);
      best.pop_back();
    }
  }
  std::sort_heap(best.begin(), best.end(), by_key);
  return best;
}

std::size_t PointIndex::size() const {
  std::shared_lock lock(mutex_);
  return size_;
}

std::size_t PointIndex::MemoryBytes() const {
  std::shared_lock lock(mutex_);
  // A std::map node: the pair plus three pointers and a colour.
  std::size_t bytes = cells_.size() * (sizeof(std::pair<const std::uint64_t, Cell>) + 32);
  for (const auto& [key, cell] : cells_) bytes += cell.capacity() * sizeof(PointEntry);
  return bytes;
}

}  // namespace dongne::geo
