// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The connections to one SQLite file: a single writer, serialised by a mutex,
// and readers lent out one per concurrent reading thread. In WAL mode the
// readers run in parallel with each other and with the writer, each seeing the
// last committed state when its statement starts.

#ifndef DONGNE_STORE_CONNECTION_POOL_H_
#define DONGNE_STORE_CONNECTION_POOL_H_

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sqlite.h"

namespace dongne::store {

class ConnectionPool {
 public:
  // Opens the writer now (creating the file when config.create), readers on
  // demand.
  ConnectionPool(const std::filesystem::path& path, const Database::Config& config);

  // Exclusive use of the writer until the lease ends.
  class WriteLease {
   public:
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_; }

   private:
    friend class ConnectionPool;
    WriteLease(std::mutex& mutex, Database* db) : lock_(mutex), db_(db) {}
    std::unique_lock<std::mutex> lock_;
    Database* db_;
  };

  // A reader for the calling thread until the lease ends. Readers are kept
  // for reuse: as many as there were concurrent reading threads at the peak.
  class ReadLease {
   public:
    ReadLease(ReadLease&& other) noexcept : pool_(other.pool_), db_(std::move(other.db_)) {}
    ~ReadLease();
    Database& operator*() const { return *db_; }
    Database* operator->() const { return db_.get(); }

   private:
    friend class ConnectionPool;
    ReadLease(ConnectionPool* pool, std::unique_ptr<Database> db)
        : pool_(pool), db_(std::move(db)) {}
    ConnectionPool* pool_;
    std::unique_ptr<Database> db_;
  };

  WriteLease Write() { return WriteLease(write_mutex_, writer_.get()); }
  ReadLease Read();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  Database::Config config_;
  std::mutex write_mutex_;
  std::unique_ptr<Database> writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Database>> idle_readers_;
};

}  // namespace dongne::store

#endif  // DONGNE_STORE_CONNECTION_POOL_H_
