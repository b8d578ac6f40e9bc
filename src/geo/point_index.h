// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// An in-memory index of one shard's question points for nearby search: a
// grid of 0.01° cells (about 1.1 km × 0.9 km in Korea), kept in row-major
// order so a circle's cells are a few ordered ranges, each cell a packed
// vector of entries with what the filters need. A query visits the cells of
// a conservative box (CircleBox) nearest first, bounds each entry's distance
// by a cheap estimate (DistanceBounds), skips what the bounds already rule
// out, and computes GeodesicDistance only for the candidates whose bounds
// leave the answer open: it is exact about the boundary (distance <= radius
// by GeodesicDistance) and the order.
//
// Thread-safety: all methods may be called from many threads; queries share
// a reader-writer lock, updates take it exclusively.

#ifndef DONGNE_GEO_POINT_INDEX_H_
#define DONGNE_GEO_POINT_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "dongne/types.h"
#include "geo/circle_bounds.h"

namespace dongne::geo {

// What the filters of nearby search read, 40 bytes a question.
struct PointEntry {
  static constexpr std::uint8_t kUrgent = 1;
  static constexpr std::uint8_t kAnswered = 2;  // answer_count > 0
  // Bits 2-3 hold the QuestionStatus.

  LatLon at;
  Id id = 0;
  std::int64_t created_at = 0;  // Unix seconds
  std::uint8_t flags = 0;
  std::uint8_t category = 0;  // index into kCategories

  QuestionStatus status() const { return static_cast<QuestionStatus>((flags >> 2) & 3); }
  bool urgent() const { return flags & kUrgent; }
  bool answered() const { return flags & kAnswered; }
  static std::uint8_t Flags(bool urgent, bool answered, QuestionStatus status) {
    return static_cast<std::uint8_t>((urgent ? kUrgent : 0) | (answered ? kAnswered : 0) |
                                     (static_cast<int>(status) << 2));
  }
};

// A position in nearest-first order: (distance, id), ascending.
struct NearKey {
  double distance_m = 0;
  Id id = 0;
  friend auto operator<=>(const NearKey&, const NearKey&) = default;
};

struct PointHit {
  PointEntry entry;
  double distance_m = 0;  // GeodesicDistance from the centre
};

class PointIndex {
 public:
  using Filter = std::function<bool(const PointEntry&)>;

  // Replaces the contents with `entries`, whose ids are distinct; each cell
  // gets exactly the room it needs (Upsert one by one grows vectors to up
  // to twice that).
  void Load(std::vector<PointEntry> entries);

  // Adds the entry, or replaces the one with its id (a question's point
  // never moves, so it is looked for in the entry's own cell).
  void Upsert(const PointEntry& entry);

  // The `limit` entries passing `keep` with GeodesicDistance(center, entry)
  // <= radius_m and (distance, id) > `after`, nearest first (ties by id).
  std::vector<PointHit> Nearest(LatLon center, double radius_m, const std::optional<NearKey>& after,
                                std::size_t limit, const Filter& keep) const;

  // Calls `fn` with every entry passing `keep` that may be within radius_m
  // of `center`, and bounds on its distance (see DistanceBounds); entries
  // the bounds put beyond radius_m are skipped. `fn` runs under the shared
  // lock: it must not call back into the index.
  void ForEachNear(LatLon center, double radius_m, const Filter& keep,
                   const std::function<void(const PointEntry&, DistanceBounds::Range)>& fn) const;

  std::size_t size() const;
  // Bytes held by entries and cells (an estimate of the heap use).
  std::size_t MemoryBytes() const;

 private:
  using Cell = std::vector<PointEntry>;
  struct NearCell {
    double lower_m;  // no entry of the cell is nearer to the centre than this
    const Cell* cell;
  };
  static std::uint64_t CellOf(LatLon p);
  // The non-empty cells meeting CircleBox(center, radius_m), nearest first.
  // The caller holds the lock.
  std::vector<NearCell> CellsNear(LatLon center, double radius_m,
                                  const DistanceBounds& bounds) const;

  mutable std::shared_mutex mutex_;
  std::map<std::uint64_t, Cell> cells_;  // by row * kColumns + column
  std::size_t size_ = 0;
};

}  // namespace dongne::geo

#endif  // DONGNE_GEO_POINT_INDEX_H_
