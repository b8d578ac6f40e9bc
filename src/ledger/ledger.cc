// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "ledger/ledger.h"

#include <fmt/format.h>

#include <map>

#include "dongne/error.h"

namespace dongne::ledger {
namespace {

std::int64_t Seconds(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp FromSeconds(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

bool MayGoNegative(Id account) {
  return account == kIssuance || account == kPurchases || account == kAdjustments;
}

std::string AccountName(Id account) {
  switch (account) {
    case kIssuance: return "system:issuance";
    case kEscrow: return "system:escrow";
    case kFees: return "system:fees";
    case kPurchases: return "system:purchases";
    case kAdjustments: return "system:adjustments";
  }
  return fmt::format("user {}", account);
}

std::optional<Escrow> SelectEscrow(store::Database& db, Id question) {
  auto st = db.Prepare(
      "SELECT question_id, asker, amount, fee, state, created_at FROM escrows WHERE question_id = ?");
  st->BindAll(question);
  if (!st->Step()) return std::nullopt;
  Escrow e{st->Int(0), st->Int(1), st->Int(2), st->Int(3), st->Text(4), FromSeconds(st->Int(5))};
  st->Reset();
  return e;
}

void SetEscrowState(store::Database& db, Id question, std::string_view state) {
  db.Prepare("UPDATE escrows SET state = ? WHERE question_id = ?")->BindAll(state, question).Run();
}

void RecordEvent(store::Database& db, std::string_view event_id, std::int64_t txn_id) {
  db.Prepare("INSERT INTO applied_events(event_id, txn_id) VALUES (?, ?)")
      ->BindAll(event_id, txn_id)
      .Run();
}

// Rewards already paid to `user` on the UTC day of `at`.
std::int64_t RewardsOnDay(store::Database& db, Id user, Timestamp at) {
  const std::int64_t day = Seconds(at) / 86400 * 86400;
  auto st = db.Prepare(
      "SELECT IFNULL(SUM(e.amount), 0) FROM ledger_entries e JOIN ledger_txns t ON t.id = e.txn_id "
      "WHERE e.account = ? AND e.kind = 'reward' AND t.at >= ? AND t.at < ?");
  st->BindAll(user, day, day + 86400);
  st->Step();
  const std::int64_t paid = st->Int(0);
  st->Reset();
  return paid;
}

}  // namespace

std::int64_t BalanceOf(store::Database& db, Id account) {
  auto st = db.Prepare("SELECT balance FROM balances WHERE account = ?");
  st->BindAll(account);
  const std::int64_t balance = st->Step() ? st->Int(0) : 0;
  st->Reset();
  return balance;
}

std::vector<std::pair<Id, std::int64_t>> MovementsOf(store::Database& db, std::string_view op_key) {
  auto st = db.Prepare(
      "SELECT e.account, e.amount FROM ledger_entries e JOIN ledger_txns t ON t.id = e.txn_id "
      "WHERE t.op_key = ? ORDER BY e.account, e.amount");
  st->BindAll(op_key);
  std::vector<std::pair<Id, std::int64_t>> movements;
  while (st->Step()) movements.emplace_back(st->Int(0), st->Int(1));
  return movements;
}

void RequireFunds(store::Database& db, Id account, std::int64_t amount) {
  if (MayGoNegative(account)) return;
  const std::int64_t balance = BalanceOf(db, account);
  if (balance < amount) {
    throw InsufficientPoints(
        fmt::format("{} has {} points and needs {}", AccountName(account), balance, amount));
  }
}

Posted Post(store::Database& db, std::string_view op_key, Id ref, std::string_view reason,
            Timestamp at, std::span<const Entry> entries) {
  auto existing = db.Prepare("SELECT id FROM ledger_txns WHERE op_key = ?");
  existing->BindAll(op_key);
  if (existing->Step()) {
    const std::int64_t id = existing->Int(0);
    existing->Reset();
    return {id, false};
  }
  // Net movement per account; refuse before writing anything.
  std::map<Id, std::int64_t> net;
  std::int64_t sum = 0;
  for (const Entry& e : entries) {
    net[e.account] += e.amount;
    sum += e.amount;
  }
  if (sum != 0) throw Corruption(fmt::format("ledger transaction {} does not sum to zero", op_key));
  for (const auto& [account, amount] : net) {
    if (amount < 0) RequireFunds(db, account, -amount);
  }
  db.Prepare("INSERT INTO ledger_txns(op_key, ref, reason, at) VALUES (?, ?, ?, ?)")
      ->BindAll(op_key, ref, reason, Seconds(at))
      .Run();
  const std::int64_t txn_id = db.LastInsertRowId();
  for (const Entry& e : entries) {
    if (e.amount == 0) continue;
    db.Prepare("INSERT INTO ledger_entries(txn_id, account, amount, kind) VALUES (?, ?, ?, ?)")
        ->BindAll(txn_id, e.account, e.amount, e.kind)
        .Run();
  }
  for (const auto& [account, amount] : net) {
    db.Prepare(
          "INSERT INTO balances(account, balance) VALUES (?1, ?2) "
          "ON CONFLICT(account) DO UPDATE SET balance = balance + ?2")
        ->BindAll(account, amount)
        .Run();
  }
  return {txn_id, true};
}

void HoldBounty(store::Database& db, Id question, Id asker, std::int64_t bounty,
                std::int64_t fee, Timestamp at) {
  if (bounty == 0 && fee == 0) return;
  const Entry entries[] = {{asker, -bounty, "bounty_hold"},
                           {kEscrow, bounty, "bounty_hold"},
                           {asker, -fee, "urgent_fee"},
                           {kFees, fee, "urgent_fee"}};
  Post(db, fmt::format("ask:{}", question), question, "bounty held for question", at, entries);
  db.Prepare(
        "INSERT INTO escrows(question_id, asker, amount, fee, state, created_at) "
        "VALUES (?, ?, ?, ?, 'held', ?)")
      ->BindAll(question, asker, bounty, fee, Seconds(at))
      .Run();
}

bool ApplyEvent(store::Database& db, const store::PointsEvent& event, const PointsPolicy& policy) {
  if (EventApplied(db, event.id)) return false;
  const std::optional<Escrow> escrow = SelectEscrow(db, event.question);
  // What the escrow holds for this question: the event's bounty, unless the
  // escrow was already settled (then nothing is left to move).
  const std::int64_t held = escrow && escrow->state == "held" ? escrow->amount : 0;
  std::vector<Entry> entries;
  std::string reason;
  Id ref = event.question;
  if (event.kind == store::PointsEvent::Kind::kPayout) {
    const std::int64_t room =
        std::max<std::int64_t>(0, policy.daily_reward_cap - RewardsOnDay(db, event.answerer, event.at));
    const std::int64_t reward = std::min(policy.acceptance_reward, room);
    entries = {{kEscrow, -held, "bounty_payout"},
               {event.answerer, held, "bounty_payout"},
               {kIssuance, -reward, "reward"},
               {event.answerer, reward, "reward"}};
    reason = "answer accepted";
    ref = event.answer;
    if (escrow && escrow->state == "held") SetEscrowState(db, event.question, "paid");
  } else {
    entries = {{kEscrow, -held, "bounty_refund"}, {event.asker, held, "bounty_refund"}};
    reason = "question closed without acceptance";
    if (escrow && escrow->state == "held") SetEscrowState(db, event.question, "refunded");
  }
  const Posted posted = Post(db, event.id, ref, reason, event.at, entries);
  RecordEvent(db, event.id, posted.txn_id);
  return true;
}

void RefundOrphan(store::Database& db, Id question, Timestamp at) {
  const std::optional<Escrow> escrow = SelectEscrow(db, question);
  if (!escrow || escrow->state != "held") return;
  const Entry entries[] = {{kEscrow, -escrow->amount, "bounty_refund"},
                           {escrow->asker, escrow->amount, "bounty_refund"},
                           {kFees, -escrow->fee, "urgent_fee"},
                           {escrow->asker, escrow->fee, "urgent_fee"}};
  Post(db, fmt::format("orphan:{}", question), question, "question was never stored", at, entries);
  SetEscrowState(db, question, "refunded");
}

std::vector<Escrow> Escrows(store::Database& db, std::optional<Timestamp> held_before) {
  auto st = db.Prepare(
      held_before ? "SELECT question_id, asker, amount, fee, state, created_at FROM escrows "
                    "WHERE state = 'held' AND created_at <= ? ORDER BY created_at"
                  : "SELECT question_id, asker, amount, fee, state, created_at FROM escrows");
  if (held_before) st->BindAll(Seconds(*held_before));
  std::vector<Escrow> escrows;
  while (st->Step()) {
    escrows.push_back(
        {st->Int(0), st->Int(1), st->Int(2), st->Int(3), st->Text(4), FromSeconds(st->Int(5))});
  }
  return escrows;
}

PointsStatement StatementOf(store::Database& db, Id account, int limit, std::int64_t before) {
  PointsStatement statement;
  statement.balance = BalanceOf(db, account);
  auto st = db.Prepare(
      "SELECT e.id, e.amount, e.kind, t.ref, t.at FROM ledger_entries e "
      "JOIN ledger_txns t ON t.id = e.txn_id WHERE e.account = ?1 AND (?2 = 0 OR e.id < ?2) "
      "ORDER BY e.id DESC LIMIT ?3");
  st->BindAll(account, before, limit + 1);
  std::int64_t last = 0;
  while (st->Step()) {
    if (static_cast<int>(statement.entries.size()) == limit) {
      statement.next_cursor = std::to_string(last);
      break;
    }
    last = st->Int(0);
    statement.entries.push_back({st->Int(1), st->Text(2), st->Int(3), FromSeconds(st->Int(4))});
  }
  st->Reset();
  return statement;
}

bool EventApplied(store::Database& db, std::string_view event_id) {
  auto st = db.Prepare("SELECT 1 FROM applied_events WHERE event_id = ?");
  st->BindAll(event_id);
  const bool applied = st->Step();
  st->Reset();
  return applied;
}

void CheckLedger(store::Database& db, std::vector<std::string>& problems, VerifyReport& report) {
  {
    auto st = db.Prepare(
        "SELECT t.op_key, IFNULL(SUM(e.amount), 0) FROM ledger_txns t "
        "LEFT JOIN ledger_entries e ON e.txn_id = t.id GROUP BY t.id HAVING IFNULL(SUM(e.amount), 0) != 0");
    while (st->Step()) {
      problems.push_back(fmt::format("transaction {} sums to {}, not 0", st->Text(0), st->Int(1)));
    }
  }
  {
    auto st = db.Prepare("SELECT COUNT(*) FROM ledger_txns");
    st->Step();
    report.transactions = st->Int(0);
    st->Reset();
  }
  {
    auto st = db.Prepare(
        "SELECT account, SUM(cached), SUM(derived) FROM ("
        " SELECT account, balance AS cached, 0 AS derived FROM balances"
        " UNION ALL SELECT account, 0, amount FROM ledger_entries) "
        "GROUP BY account");
    while (st->Step()) {
      const Id account = st->Int(0);
      const std::int64_t cached = st->Int(1), derived = st->Int(2);
      if (cached != derived) {
        problems.push_back(fmt::format("{} has balance {} but its entries sum to {}",
                                       AccountName(account), cached, derived));
      }
      if (derived < 0 && !MayGoNegative(account)) {
        problems.push_back(fmt::format("{} is negative: {}", AccountName(account), derived));
      }
    }
  }
  {
    auto st = db.Prepare("SELECT IFNULL(SUM(amount), 0), COUNT(*) FROM escrows WHERE state = 'held'");
    st->Step();
    const std::int64_t held = st->Int(0);
    report.escrows_held = st->Int(1);
    st->Reset();
    const std::int64_t balance = BalanceOf(db, kEscrow);
    if (held != balance) {
      problems.push_back(
          fmt::format("system:escrow holds {} but held escrows total {}", balance, held));
    }
  }
  {
    auto st = db.Prepare(
        "SELECT a.event_id, (SELECT COUNT(*) FROM ledger_txns t WHERE t.op_key = a.event_id) "
        "FROM applied_events a");
    while (st->Step()) {
      ++report.events_applied;
      if (st->Int(1) != 1) {
        problems.push_back(fmt::format("event {} has {} ledger transactions", st->Text(0), st->Int(1)));
      }
    }
  }
}

}  // namespace dongne::ledger
