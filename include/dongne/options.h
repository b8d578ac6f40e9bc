// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Options for opening an Engine. Every field has a documented default; a
// default-constructed Options opens (or creates) an engine on the built-in
// region map.

#ifndef DONGNE_OPTIONS_H_
#define DONGNE_OPTIONS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "dongne/types.h"

namespace dongne {

// How points move (docs/ledger.md). Amounts are whole points.
struct PointsPolicy {
  // Credited to every new user, from the system's issuance account.
  std::int64_t signup_bonus = 100;
  // Paid by the system to the author of an accepted answer, on top of the
  // question's bounty, up to daily_reward_cap per answerer per UTC day.
  std::int64_t acceptance_reward = 10;
  std::int64_t daily_reward_cap = 50;
  // Charged to the asker of an urgent question (not refunded).
  std::int64_t urgent_fee = 5;
  // A bounty not paid out this long after its question was asked is refunded
  // by Engine::Expire, which the host calls; nothing runs in the background.
  std::chrono::seconds bounty_expiry = std::chrono::hours(24 * 7);
};

struct Options {
  // Region map: a GeoJSON FeatureCollection of (Multi)Polygons. Each feature
  // is a region whose shard key is its "region" property if present, else a
  // lower-case ASCII slug of "name_eng" ("Jeju-do" -> "jeju-do"), else its
  // "code". Read when the engine is created and kept in catalog.db; on a later
  // open it may be left empty or name a file with the same content (anything
  // else is an InvalidArgument: an engine cannot be re-sharded in place).
  // Default: empty, the small map built into the library (docs/regions.md).
  std::string regions_file;

  // Optional neighbourhood map, same format: the "name" of the feature that
  // holds a question becomes its neighborhood label. Same rules as above.
  // Default: empty, no labels.
  std::string neighborhoods_file;

  // Create the directory and its catalog when absent. Default: true.
  bool create_if_missing = true;

  // A point outside every region polygon but within this distance of one goes
  // to the nearest (coasts and slivers of simplified maps); farther points go
  // to the "default" shard. Default: 3 km.
  double snap_distance_m = 3000;

  // How long a write waits for another process's lock before it fails with
  // IOError. Default: 5 s.
  int busy_timeout_ms = 5000;

  // true: every commit is flushed to stable storage (SQLite synchronous=FULL),
  // so acknowledged writes survive power loss. false: synchronous=NORMAL,
  // which survives a process crash but may lose the last commits on power
  // loss. Default: true.
  bool sync = true;

  // The engine's notion of now, for created_at defaults, freshness and
  // expiry. Default (empty): the system clock. Tests set a fixed clock.
  std::function<Timestamp()> clock;

  // Point amounts and periods. Defaults as in PointsPolicy.
  PointsPolicy points;
};

}  // namespace dongne

#endif  // DONGNE_OPTIONS_H_
