// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Engine's point flows: balances and statements, closing and expiry,
// purchases and adjustments, and the delivery of shard events to the ledger
// (docs/ledger.md gives the argument for exactly-once).

#include <fmt/format.h>

#include <map>
#include <set>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "engine/engine_impl.h"
#include "engine/validate.h"
#include "ledger/ledger.h"
#include "text/unicode.h"

namespace dongne {
namespace {

constexpr std::int64_t kMaxPurchase = 1'000'000'000;

std::string RequireKey(std::string_view key, std::string_view field) {
  if (key.empty() || key.size() > 200 || !text::IsValidUtf8(key) || text::HasControlCharacters(key, false)) {
    throw InvalidArgument(fmt::format("{} must be 1-200 bytes of printable UTF-8", field));
  }
  return std::string(key);
}

// Posts a purchase or adjustment under `op_key`. A key used before must
// name the same movement: repeating it moves nothing, while the same payment
// id for another user or amount is a mistake to report (Conflict), not a
// repeat to pass over. Returns `user`'s balance.
std::int64_t PostOnce(ledger::Catalog::Txn& txn, const std::string& op_key, std::string_view what,
                      Id user, Id system, std::int64_t amount, std::string_view kind,
                      std::string_view reason, Timestamp now) {
  const ledger::Entry entries[] = {{system, -amount, kind}, {user, amount, kind}};
  const std::vector<std::pair<Id, std::int64_t>> before = ledger::MovementsOf(txn.db(), op_key);
  if (!before.empty()) {
    const std::vector<std::pair<Id, std::int64_t>> asked = {{system, -amount}, {user, amount}};
    if (before != asked) {
      throw Conflict(fmt::format("{} was used for another user or amount", what));
    }
  }
  ledger::Post(txn.db(), op_key, 0, reason, now, entries);
  return ledger::BalanceOf(txn.db(), user);
}

}  // namespace

void Engine::Impl::Deliver(store::ShardStore& shard) {
  for (const store::PointsEvent& event : shard.PendingEvents()) {
    auto txn = catalog->Begin();
    ledger::ApplyEvent(txn.db(), event, options.points);
    txn.Commit();
    shard.MarkDelivered(event.id);
  }
}

void Engine::Impl::Recover() {
  // A damaged shard does not stop the engine from opening: its own calls
  // throw Corruption, Verify names it, and its pending events and orphans
  // wait (an escrow is never refunded on a guess that its question is gone).
  std::set<int> damaged;
  const ShardSet::Openable all = shards->AllThatOpen();
  for (const auto& [no, error] : all.broken) damaged.insert(no);
  for (store::ShardStore* shard : all.open) {
    try {
      Deliver(*shard);
    } catch (const Corruption&) {
      damaged.insert(shard->shard_no());
    }
  }
  // An escrow without its question is an orphan only if no other handle
  // is open: another's ask may be between its two writes.
  const std::optional<OpenLock::Exclusive> alone = open_lock.TryExclusive();
  if (!alone) return;
  // Only escrows held since the last open's check can be orphans, so an
  // open costs time with the questions asked since, not with every open
  // bounty (1.1-1.6 s for 100,148 held at a million questions when each
  // open checked them all). A shard's questions are looked up in one
  // statement; the refunds and the new marks commit together.
  std::vector<std::pair<const ledger::ShardEscrows*, std::vector<Id>>> missing;
  const std::vector<ledger::ShardEscrows> unchecked = catalog->EscrowsToCheck();
  for (const ledger::ShardEscrows& escrows : unchecked) {
    if (escrows.checked_from == escrows.checked_to || damaged.count(escrows.shard)) continue;
    store::ShardStore* shard = shards->Find(escrows.shard);
    try {
      missing.emplace_back(&escrows, shard ? shard->MissingQuestions(escrows.questions)
                                           : escrows.questions);
    } catch (const Corruption&) {
      // Its escrows stay unchecked, and its mark where it was, until it is repaired.
    }
  }
  if (missing.empty()) return;
  auto txn = catalog->Begin();
  for (const auto& [escrows, questions] : missing) {
    for (Id question : questions) ledger::RefundOrphan(txn.db(), question, Now());
    txn.MarkEscrowsChecked(escrows->shard, escrows->checked_to);
  }
  txn.Commit();
}

std::int64_t Engine::Balance(Id user) { return impl_->RequireUser(user, "user").balance; }

PointsStatement Engine::Statement(Id user, int limit, const std::string& cursor) {
  impl_->RequireUser(user, "user");
  validate::Limit(limit);
  std::int64_t before = 0;
  if (!cursor.empty()) {
    try {
      std::size_t used = 0;
      before = std::stoll(cursor, &used);
      if (used != cursor.size() || before <= 0) throw std::invalid_argument("cursor");
    } catch (const std::exception&) {
      throw InvalidArgument("cursor is not one this engine gave out");
    }
  }
  auto db = impl_->catalog->pool().Read();
  return ledger::StatementOf(*db, user, limit, before);
}

Question Engine::Close(Id question, Id by) {
  store::ShardStore& shard = impl_->ShardFor(question, IdKind::kQuestion);
  impl_->RequireUser(by, "user");
  Question closed = shard.Close(question, by, impl_->Now());
  impl_->Deliver(shard);
  impl_->Reindex(shard);
  return closed;
}

int Engine::Expire(Timestamp now) {
  std::vector<ledger::Escrow> due;
  {
    auto db = impl_->catalog->pool().Read();
    due = ledger::Escrows(*db, now - impl_->options.points.bounty_expiry);
  }
  int closed = 0;
  for (const ledger::Escrow& escrow : due) {
    if (escrow.amount == 0) continue;  // only a fee was charged: nothing to refund
    store::ShardStore* shard = impl_->shards->Find(ShardOf(escrow.question));
    if (!shard) continue;
    // Not stored: an orphan, which Recover refunds. Accepted: its payout
    // settles the escrow, now or when its event is delivered.
    const std::optional<Question> question = shard->GetQuestion(escrow.question);
    if (!question || question->status == QuestionStatus::kClosed ||
        question->status == QuestionStatus::kAccepted) {
      continue;
    }
    try {
      shard->Close(escrow.question, 0, now);
      ++closed;
    } catch (const Conflict&) {
      // Accepted since the read above.
    }
    impl_->Deliver(*shard);
    impl_->Reindex(*shard);
  }
  return closed;
}

std::int64_t Engine::Purchase(Id user, std::int64_t points, std::string_view payment_id) {
  impl_->RequireUser(user, "user");
  if (points < 1 || points > kMaxPurchase) {
    throw InvalidArgument(fmt::format("points must be 1-{}", kMaxPurchase));
  }
  const std::string key = RequireKey(payment_id, "payment_id");
  auto txn = impl_->catalog->Begin();
  const std::int64_t balance =
      PostOnce(txn, "purchase:" + key, fmt::format("payment_id \"{}\"", text::Printable(key)), user,
               ledger::kPurchases, points, "purchase", "points purchased", impl_->Now());
  txn.Commit();
  return balance;
}

std::int64_t Engine::Adjust(Id user, std::int64_t amount, std::string_view reason,
                            std::string_view key) {
  impl_->RequireUser(user, "user");
  if (amount == 0 || amount < -kMaxPurchase || amount > kMaxPurchase) {
    throw InvalidArgument(fmt::format("amount must be non-zero and within ±{}", kMaxPurchase));
  }
  const std::string why = validate::Text(reason, "reason", 500, false);
  const std::string op = RequireKey(key, "key");
  auto txn = impl_->catalog->Begin();
  const std::int64_t balance =
      PostOnce(txn, "adjust:" + op, fmt::format("key \"{}\"", text::Printable(op)), user,
               ledger::kAdjustments, amount, "adjustment", why, impl_->Now());
  txn.Commit();
  return balance;
}

}  // namespace dongne
