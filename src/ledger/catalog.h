// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// catalog.db: what the whole engine shares. Users, the region maps it was
// created with, the shard registry, id allocation, the ext_id registry,
// verified homes and the point ledger (ledger.h).
//
// Thread-safety: all methods may be called from many threads. A Txn holds
// the single writer connection, so write transactions are serialised; reads
// use pooled readers and see committed data.

#ifndef DONGNE_LEDGER_CATALOG_H_
#define DONGNE_LEDGER_CATALOG_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dongne/nearby.h"
#include "dongne/types.h"
#include "engine/ids.h"
#include "store/connection_pool.h"

namespace dongne::ledger {

struct ShardInfo {
  int no = 0;
  std::string key;
};

// A shard's held escrows that Recover has not checked against it yet.
struct ShardEscrows {
  int shard = 0;
  // The held escrows' questions, of sequences in [checked_from, checked_to):
  // those asked since the last check up to the shard's next sequence when
  // they were read. Once they are checked, every lower one has been.
  std::vector<Id> questions;
  std::int64_t checked_from = 0;
  std::int64_t checked_to = 0;
};

class Catalog {
 public:
  // Opens or creates `file`, migrating its schema. New users are credited
  // `signup_bonus` points.
  Catalog(const std::filesystem::path& file, const store::Database::Config& config,
          std::int64_t signup_bonus);

  // An open write transaction. Nothing it does is visible to others, or
  // durable, until Commit(); destroyed uncommitted, it rolls back.
  class Txn {
   public:
    // Creates a user with the sign-up bonus; Conflict when the nickname, or one that looks the same
    // (Unicode confusables, case), is taken. `nickname` is already NFC.
    User CreateUser(std::string_view nickname, Timestamp now);
    // The user's id, creating the user when the nickname is new.
    Id EnsureUser(std::string_view nickname, Timestamp now);

    // The shard registered under `key`, registering it (with the next free
    // number) when new.
    ShardInfo RegisterShard(std::string_view key, Timestamp now);

    // Reserves `count` consecutive sequence numbers of `kind` in `shard` and
    // returns the first.
    std::int64_t AllocateSequences(int shard, IdKind kind, int count);

    std::optional<Id> FindExtId(IdKind kind, std::string_view ext_id);
    // Records `ext_id` as `id`'s, replacing an earlier reservation.
    void ReserveExtId(IdKind kind, std::string_view ext_id, Id id);
    // Drops the reservation of `ext_id`, if it is still `id`'s.
    void ReleaseExtId(IdKind kind, std::string_view ext_id, Id id);

    void SetMeta(std::string_view key, std::string_view value);

    // Records that every escrow of `shard`'s questions with a sequence below
    // `below` has been checked against the shard (EscrowsToCheck).
    void MarkEscrowsChecked(int shard, std::int64_t below);

    // Records `home` as its user's, replacing an earlier one.
    void SetHome(const Home& home);

    void Commit() { txn_.Commit(); }
    store::Database& db() { return *lease_; }

   private:
    friend class Catalog;
    Txn(store::ConnectionPool::WriteLease lease, std::int64_t signup_bonus)
        : lease_(std::move(lease)), txn_(*lease_), signup_bonus_(signup_bonus) {}
    store::ConnectionPool::WriteLease lease_;
    store::Transaction txn_;
    std::int64_t signup_bonus_;
  };

  Txn Begin() { return Txn(pool_.Write(), signup_bonus_); }

  std::optional<User> GetUser(Id id);
  std::optional<User> FindUser(std::string_view nickname);
  std::optional<Id> FindExtId(IdKind kind, std::string_view ext_id);
  std::optional<std::string> GetMeta(std::string_view key);
  std::vector<ShardInfo> Shards();

  // Per shard, the held escrows of questions asked since its last check
  // (MarkEscrowsChecked): only those can belong to a question a crash kept
  // from its shard, as every earlier one was found stored, or refunded.
  std::vector<ShardEscrows> EscrowsToCheck();

  std::optional<Home> GetHome(Id user);
  // Every home with latitude in [lat_min, lat_max] (indexed).
  std::vector<Home> HomesBetween(double lat_min, double lat_max);

  // SQLite's quick_check of catalog.db, read from a snapshot: no writer waits.
  std::vector<std::string> QuickCheck();

  store::ConnectionPool& pool() { return pool_; }

 private:
  store::ConnectionPool pool_;
  const std::int64_t signup_bonus_;
};

}  // namespace dongne::ledger

#endif  // DONGNE_LEDGER_CATALOG_H_
