// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The point ledger, in catalog.db (docs/ledger.md). Double entry: every
// movement is one transaction whose entries sum to zero, entries are never
// changed or deleted, and `balances` caches each account's sum, updated in
// the same transaction. Wallets never go negative: a posting that would
// overdraw one is InsufficientPoints and writes nothing.
//
// The write functions take the catalog's writer connection inside an open
// transaction (Catalog::Txn::db()); they are as thread-safe as that is.

#ifndef DONGNE_LEDGER_LEDGER_H_
#define DONGNE_LEDGER_LEDGER_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dongne/options.h"
#include "dongne/types.h"
#include "store/shard_store.h"
#include "store/sqlite.h"

namespace dongne::ledger {

// System accounts; a user's wallet is the account numbered by the user's id.
// Issuance, purchases and adjustments are sources and go negative; escrow
// and fees hold points and, like wallets, never do.
enum Account : Id {
  kIssuance = -1,
  kEscrow = -2,
  kFees = -3,
  kPurchases = -4,
  kAdjustments = -5,
};

struct Entry {
  Id account;
  std::int64_t amount;
  std::string_view kind;
};

struct Posted {
  std::int64_t txn_id = 0;
  bool fresh = false;  // false: `op_key` was posted before and nothing moved now
};

// Posts one transaction, or finds the one posted before under `op_key`.
// InsufficientPoints if a wallet, escrow or fees would go negative.
Posted Post(store::Database& db, std::string_view op_key, Id ref, std::string_view reason,
            Timestamp at, std::span<const Entry> entries);

std::int64_t BalanceOf(store::Database& db, Id account);

// The (account, amount) pairs, in account order, that the transaction
// posted under `op_key` moved; empty if none was posted.
std::vector<std::pair<Id, std::int64_t>> MovementsOf(store::Database& db, std::string_view op_key);

// Throws InsufficientPoints unless `account` can pay `amount` (one that may
// go negative always can).
void RequireFunds(store::Database& db, Id account, std::int64_t amount);

// Takes `bounty` into escrow and `fee` into fees from `asker` for `question`.
void HoldBounty(store::Database& db, Id question, Id asker, std::int64_t bounty,
                std::int64_t fee, Timestamp at);

// Applies a shard's event: pays an acceptance (escrowed bounty plus the
// policy's reward, within the daily cap) or refunds a closed question's
// bounty. Records the event id with its effect; an event applied before
// changes nothing and returns false.
bool ApplyEvent(store::Database& db, const store::PointsEvent& event, const PointsPolicy& policy);

// Returns a held escrow whose question never reached its shard (the write
// failed, or the process died, after the catalog committed): bounty and fee
// go back to the asker. No-op unless the escrow is held.
void RefundOrphan(store::Database& db, Id question, Timestamp at);

struct Escrow {
  Id question = 0;
  Id asker = 0;
  std::int64_t amount = 0;
  std::int64_t fee = 0;
  std::string state;  // held, paid, refunded
  Timestamp created_at{};
};

// Escrows, all or only the held ones created at or before `held_before`.
std::vector<Escrow> Escrows(store::Database& db, std::optional<Timestamp> held_before);

// A page of `account`'s entries, newest first, before entry id `before`
// (0: from the newest).
PointsStatement StatementOf(store::Database& db, Id account, int limit, std::int64_t before);

// The ledger's own invariants: transactions sum to zero, balances equal
// their entries, no wallet, escrow or fee account below zero, escrow's
// balance equals the held escrows. Appends a line per problem.
void CheckLedger(store::Database& db, std::vector<std::string>& problems, VerifyReport& report);

// Whether event `event_id` was applied.
bool EventApplied(store::Database& db, std::string_view event_id);

}  // namespace dongne::ledger

#endif  // DONGNE_LEDGER_LEDGER_H_
