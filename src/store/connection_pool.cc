// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "store/connection_pool.h"

namespace dongne::store {

ConnectionPool::ConnectionPool(const std::filesystem::path& path,
                               const Database::Config& config)
    : path_(path), config_(config), writer_(std::make_unique<Database>(path, config)) {
  config_.create = false;  // readers open what the writer created
}

ConnectionPool::ReadLease ConnectionPool::Read() {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      auto db = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReadLease(this, std::move(db));
    }
  }
  return ReadLease(this, std::make_unique<Database>(path_, config_));
}

ConnectionPool::ReadLease::~ReadLease() {
  if (!db_) return;
  std::lock_guard lock(pool_->readers_mutex_);
  pool_->idle_readers_.push_back(std::move(db_));
}

}  // namespace dongne::store
