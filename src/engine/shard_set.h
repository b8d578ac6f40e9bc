// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The engine's shards: routes a point to its region's shard through the
// region map, and opens shards on first use (creating a region's store.db the
// first time a question lands there).
//
// Thread-safety: all methods may be called from many threads. Open shards
// live as long as the ShardSet; references to them stay valid.

#ifndef DONGNE_ENGINE_SHARD_SET_H_
#define DONGNE_ENGINE_SHARD_SET_H_

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "dongne/types.h"
#include "geo/region_map.h"
#include "ledger/catalog.h"
#include "store/shard_store.h"

namespace dongne {

inline constexpr std::string_view kDefaultShard = "default";

class ShardSet {
 public:
  // `load_neighborhoods` gives the neighbourhood map (nullopt: none) when
  // a point is first located: parsing the 3,482 real neighbourhoods was a
  // fifth of `dongne show`, and most opens (a read, a CLI command) locate
  // nothing.
  ShardSet(std::filesystem::path dir, ledger::Catalog& catalog, geo::RegionMap regions,
           std::function<std::optional<geo::RegionMap>()> load_neighborhoods,
           double snap_distance_m, store::Database::Config config,
           std::function<Timestamp()> now);

  struct Route {
    std::string key;           // the region's shard key, or "default"
    std::string neighborhood;  // empty without a neighbourhood map or match
  };
  Route Locate(LatLon p) const;

  // The shard for `key`, registered and created when new.
  store::ShardStore& Open(const std::string& key);
  // The shard numbered `no`; nullptr when no such shard was ever created.
  store::ShardStore* Find(int no);
  // The shard for `key`; nullptr when none was created yet.
  store::ShardStore* Find(const std::string& key);
  // Every shard created so far, opened. A store.db that cannot be opened
  // (damaged) is Corruption naming it, here and from Find and Open.
  std::vector<store::ShardStore*> All();
  // Every shard created so far that opens, and the numbers and errors of
  // those that do not: for Recover and Verify, which go on past them.
  struct Openable {
    std::vector<store::ShardStore*> open;
    std::map<int, std::string> broken;
  };
  Openable AllThatOpen();
  // The shards that may hold questions within `radius_m` of `center`: those
  // of the regions whose box the circle, widened by the snap distance,
  // meets (a question snapped in from the sea lies outside its region's
  // polygon), and the default shard. Shards never created are left out.
  std::vector<store::ShardStore*> Near(LatLon center, double radius_m);

  // The map's shard keys and "default".
  std::vector<std::string> Keys() const;
  const geo::RegionMap& regions() const { return regions_; }

 private:
  store::ShardStore& OpenLocked(const ledger::ShardInfo& info);
  const std::optional<geo::RegionMap>& Neighborhoods() const;

  const std::filesystem::path dir_;
  ledger::Catalog& catalog_;
  const geo::RegionMap regions_;
  const std::function<std::optional<geo::RegionMap>()> load_neighborhoods_;
  mutable std::once_flag neighborhoods_loaded_;
  mutable std::optional<geo::RegionMap> neighborhoods_;  // set once, under the flag
  const double snap_distance_m_;
  const store::Database::Config config_;
  const std::function<Timestamp()> now_;

  std::shared_mutex mutex_;  // guards the two maps
  std::map<int, std::unique_ptr<store::ShardStore>> by_no_;
  std::map<std::string, store::ShardStore*, std::less<>> by_key_;
};

}  // namespace dongne

#endif  // DONGNE_ENGINE_SHARD_SET_H_
