// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The state behind dongne::Engine, shared by the files of src/engine/ that
// implement its methods (one concern each: engine.cc, import.cc, …).

#ifndef DONGNE_ENGINE_ENGINE_IMPL_H_
#define DONGNE_ENGINE_ENGINE_IMPL_H_

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>

#include "dongne/engine.h"
#include "engine/open_lock.h"
#include "engine/shard_set.h"
#include "ledger/catalog.h"
#include "search/shard_index.h"

namespace dongne {

struct Engine::Impl {
  Impl(std::filesystem::path dir, const Options& options);

  Timestamp Now() const;

  // The user, or NotFound naming `role` ("author", "user", …).
  User RequireUser(Id id, std::string_view role);

  // The shard holding question or answer `id`; NotFound when `id` is not of
  // `kind` or names no shard.
  store::ShardStore& ShardFor(Id id, IdKind kind);

  // A new id of `kind` in `shard`, with `ext_id` (if any) reserved for it in
  // the catalog. An earlier reservation of `ext_id` that never reached its
  // shard (a write that failed, or crashed, after the catalog committed) is
  // replaced; one whose question or answer is stored is a Conflict. Runs in
  // the caller's catalog transaction.
  Id AllocateId(ledger::Catalog::Txn& txn, store::ShardStore& shard, IdKind kind,
                const std::string& ext_id);

  // `reserved`, the id the catalog holds for an ext_id, if its question or
  // answer is stored; nullopt when unused or only reserved by a write that
  // never reached its shard.
  std::optional<Id> StoredExtId(std::optional<Id> reserved);

  // Throws Conflict when `ext_id`, whose catalog reservation is `reserved`,
  // names a stored question or answer.
  void RequireUnusedExtId(std::optional<Id> reserved, IdKind kind, const std::string& ext_id);

  // Undoes the reservation of `ext_id` for `id`, whose write its shard
  // refused: dropped, or pointed at the question or answer the shard holds
  // under `ext_id` (a writer that reserved it at the same time and got there
  // first), so that the next write of it is found unchanged or a Conflict.
  void ForgetExtId(ledger::Catalog::Txn& txn, store::ShardStore& shard, IdKind kind,
                   const std::string& ext_id, Id id);

  // AllocateId without the check: the caller has just made it.
  Id NewId(ledger::Catalog::Txn& txn, store::ShardStore& shard, IdKind kind,
           const std::string& ext_id);

  // Applies `shard`'s pending points events to the ledger, each in one
  // catalog transaction, then marks them delivered. Safe to run from several
  // threads at once: the ledger applies each event once.
  void Deliver(store::ShardStore& shard);

  // At open: delivers every shard's pending events and, if no other handle
  // has the directory open (OpenLock), refunds held escrows whose questions
  // never reached their shards. With another handle open, such an escrow
  // may be its ask in flight: it waits for an open that is alone.
  void Recover();

  // The search index of `shard`, made on first use (nothing is opened until
  // its first CatchUp).
  search::ShardIndex& Index(store::ShardStore& shard);

  // Brings `shard`'s index up to the write just committed, so a search after
  // an acknowledged write sees it. A failure here is not the write's: it is
  // left for the next search, which catches up before reading and reports
  // it.
  void Reindex(store::ShardStore& shard) noexcept;

  const std::filesystem::path dir;
  const Options options;
  OpenLock open_lock;  // before the databases: held until they are closed
  std::unique_ptr<ledger::Catalog> catalog;
  std::unique_ptr<ShardSet> shards;
  // After `shards`: indexes refer to their stores and go first.
  std::mutex indexes_mutex;  // guards the map; each index locks itself
  std::map<int, std::unique_ptr<search::ShardIndex>> indexes;
};

}  // namespace dongne

#endif  // DONGNE_ENGINE_ENGINE_IMPL_H_
