// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "engine/shard_set.h"

#include <fmt/format.h>

#include <algorithm>

#include "dongne/error.h"

namespace dongne {
namespace {

// A circle wider than this may touch any region: every shard is asked.
constexpr double kAllShardsRadiusM = 1'000'000;

}  // namespace

ShardSet::ShardSet(std::filesystem::path dir, ledger::Catalog& catalog, geo::RegionMap regions,
                   std::function<std::optional<geo::RegionMap>()> load_neighborhoods,
                   double snap_distance_m, store::Database::Config config,
                   std::function<Timestamp()> now)
    : dir_(std::move(dir)),
      catalog_(catalog),
      regions_(std::move(regions)),
      load_neighborhoods_(std::move(load_neighborhoods)),
      snap_distance_m_(snap_distance_m),
      config_(config),
      now_(std::move(now)) {}

ShardSet::Route ShardSet::Locate(LatLon p) const {
  Route route;
  const std::optional<std::size_t> region = regions_.Locate(p, snap_distance_m_);
  route.key = region ? regions_.region(*region).key : std::string(kDefaultShard);
  if (const std::optional<geo::RegionMap>& neighborhoods = Neighborhoods()) {
    if (auto n = neighborhoods->Locate(p, snap_distance_m_)) {
      route.neighborhood = neighborhoods->region(*n).name;
    }
  }
  return route;
}

const std::optional<geo::RegionMap>& ShardSet::Neighborhoods() const {
  std::call_once(neighborhoods_loaded_, [this] { neighborhoods_ = load_neighborhoods_(); });
  return neighborhoods_;
}

store::ShardStore& ShardSet::Open(const std::string& key) {
  if (store::ShardStore* shard = Find(key)) return *shard;
  // The directory first: on a read-only or full disk the write that needed
  // this shard fails here, before the catalog records a shard that every
  // later read would then fail to open.
  const std::filesystem::path shard_dir = dir_ / "shards" / key;
  std::error_code ec;
  std::filesystem::create_directories(shard_dir, ec);
  if (ec) throw IOError(fmt::format("cannot create {}: {}", shard_dir.string(), ec.message()));
  ledger::ShardInfo info;
  {
    auto txn = catalog_.Begin();
    info = txn.RegisterShard(key, now_());
    txn.Commit();
  }
  std::unique_lock lock(mutex_);
  return OpenLocked(info);
}

store::ShardStore* ShardSet::Find(int no) {
  {
    std::shared_lock lock(mutex_);
    if (auto it = by_no_.find(no); it != by_no_.end()) return it->second.get();
  }
  for (const ledger::ShardInfo& info : catalog_.Shards()) {
    if (info.no == no) {
      std::unique_lock lock(mutex_);
      return &OpenLocked(info);
    }
  }
  return nullptr;
}

store::ShardStore* ShardSet::Find(const std::string& key) {
  {
    std::shared_lock lock(mutex_);
    if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
  }
  for (const ledger::ShardInfo& info : catalog_.Shards()) {
    if (info.key == key) {
      std::unique_lock lock(mutex_);
      return &OpenLocked(info);
    }
  }
  return nullptr;
}

std::vector<store::ShardStore*> ShardSet::All() {
  Openable all = AllThatOpen();
  if (!all.broken.empty()) throw Corruption(all.broken.begin()->second);
  return std::move(all.open);
}

ShardSet::Openable ShardSet::AllThatOpen() {
  const std::vector<ledger::ShardInfo> shards = catalog_.Shards();
  std::unique_lock lock(mutex_);
  Openable all;
  for (const ledger::ShardInfo& info : shards) {
    try {
      all.open.push_back(&OpenLocked(info));
    } catch (const Corruption& e) {
      all.broken.emplace(info.no, e.what());
    }
  }
  return all;
}

std::vector<std::string> ShardSet::Keys() const {
  std::vector<std::string> keys = regions_.Keys();
  if (std::find(keys.begin(), keys.end(), kDefaultShard) == keys.end()) {
    keys.emplace_back(kDefaultShard);
  }
  return keys;
}

store::ShardStore& ShardSet::OpenLocked(const ledger::ShardInfo& info) {
  if (auto it = by_no_.find(info.no); it != by_no_.end()) return *it->second;
  const std::filesystem::path shard_dir = dir_ / "shards" / info.key;
  std::error_code ec;
  std::filesystem::create_directories(shard_dir, ec);
  if (ec) {
    throw IOError(fmt::format("cannot create {}: {}", shard_dir.string(), ec.message()));
  }
  std::unique_ptr<store::ShardStore> shard;
  try {
    shard = std::make_unique<store::ShardStore>(shard_dir, info.no, info.key, config_);
  } catch (const Corruption& e) {
    throw Corruption(fmt::format("shards/{}/store.db cannot be opened: {}", info.key, e.what()));
  }
  store::ShardStore* raw = shard.get();
  by_no_.emplace(info.no, std::move(shard));
  by_key_.emplace(info.key, raw);
  return *raw;
}

std::vector<store::ShardStore*> ShardSet::Near(LatLon center, double radius_m) {
  const double reach_m = radius_m + snap_distance_m_;
  if (reach_m >= kAllShardsRadiusM) return All();
  std::vector<std::string> keys;
  for (std::size_t f : regions_.FeaturesNear(center, reach_m)) keys.push_back(regions_.region(f).key);
  keys.emplace_back(kDefaultShard);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<store::ShardStore*> near;
  for (const std::string& key : keys) {
    if (store::ShardStore* shard = Find(key)) near.push_back(shard);
  }
  return near;
}

}  // namespace dongne
