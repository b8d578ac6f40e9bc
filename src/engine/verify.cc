// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Engine::Verify: each shard's file and search index on their own, then,
// holding the catalog, the ledger against itself, each escrow against its
// question and each shard event against the ledger.

#include <fmt/format.h>

#include <map>
#include <set>

#include "dongne/engine.h"
#include "engine/engine_impl.h"
#include "ledger/ledger.h"

namespace dongne {

VerifyReport Engine::Verify(const std::function<void(const VerifyProgress&)>& progress) {
  VerifyReport report;
  std::vector<std::string>& problems = report.problems;

  const ShardSet::Openable all = impl_->shards->AllThatOpen();
  const std::vector<store::ShardStore*>& shards = all.open;
  // Shards whose rows cannot be trusted (or read): their escrows are not
  // checked against them below.
  std::set<int> unreadable;
  for (const auto& [no, error] : all.broken) {
    problems.push_back(error);
    unreadable.insert(no);
  }
  VerifyProgress audited{.checked = 0, .total = 1 + static_cast<std::int64_t>(shards.size())};
  const auto checked_one = [&] {
    ++audited.checked;
    if (progress) progress(audited);
  };

  // First the files, which need no lock on the catalog: each shard's
  // store.db (SQLite's quick_check, most of an audit's time) and index, and
  // catalog.db, read from a snapshot.
  std::set<store::ShardStore*> damaged;
  for (store::ShardStore* shard : shards) {
    const std::vector<std::string> damage = shard->QuickCheck();
    for (const std::string& problem : damage) {
      problems.push_back(fmt::format("shards/{}/store.db: {}", shard->key(), problem));
    }
    // A damaged file's rows cannot be trusted for the checks below.
    if (!damage.empty()) {
      damaged.insert(shard);
      unreadable.insert(shard->shard_no());
    } else {
      for (const std::string& problem : shard->DuplicateExtIds()) {
        problems.push_back(fmt::format("shards/{}/store.db: {}", shard->key(), problem));
      }
      for (std::string& problem : impl_->Index(*shard).Audit()) {
        problems.push_back(std::move(problem));
      }
      report.questions += shard->QuestionCount();
    }
    checked_one();
  }
  for (std::string& problem : impl_->catalog->QuickCheck()) {
    problems.push_back("catalog.db: " + problem);
  }

  std::map<Id, Question> with_points;  // questions holding a bounty or a fee
  std::set<std::string> pending;        // events a shard has not seen applied
  std::set<std::string> applied;
  std::vector<ledger::Escrow> escrows;
  std::set<Id> unchecked;  // held escrows no open that was alone has checked
  {
    // Then the ledger against the shards, in the catalog's write transaction
    // (rolled back): no event can be applied meanwhile, so what the shards
    // show is either applied in this state of the ledger or still pending.
    // Writes that need the catalog wait for this part; shard writes go on.
    auto txn = impl_->catalog->Begin();
    store::Database& db = txn.db();
    // Those an ask of any handle may still be storing (an open that is alone
    // checks them: Recover), or that a crash left to such an open. Their
    // marks cannot move while this handle is open.
    for (const ledger::ShardEscrows& shard : impl_->catalog->EscrowsToCheck()) {
      unchecked.insert(shard.questions.begin(), shard.questions.end());
    }
    ledger::CheckLedger(db, problems, report);
    escrows = ledger::Escrows(db, std::nullopt);
    auto st = db.Prepare("SELECT event_id FROM applied_events");
    while (st->Step()) applied.insert(st->Text(0));
    for (store::ShardStore* shard : shards) {
      if (damaged.count(shard)) continue;
      for (Question& q : shard->QuestionsWithPoints()) with_points.emplace(q.id, std::move(q));
      for (const auto& [event_id, delivered] : shard->AllEvents()) {
        if (!applied.count(event_id)) {
          if (delivered) {
            problems.push_back(
                fmt::format("event {} is marked delivered but was never applied", event_id));
          }
          pending.insert(event_id);
        }
      }
    }
  }
  checked_one();

  std::set<Id> stored_escrow_questions;
  for (const ledger::Escrow& escrow : escrows) {
    if (unreadable.count(ShardOf(escrow.question))) continue;
    const auto it = with_points.find(escrow.question);
    const std::string payout = fmt::format("payout:{}", escrow.question);
    const std::string refund = fmt::format("refund:{}", escrow.question);
    if (it == with_points.end()) {
      if (unchecked.count(escrow.question)) continue;
      // Never stored (the write failed or the process died), and checked: it
      // must have been refunded, by the failing call or by the check.
      if (escrow.state == "held" || escrow.state == "paid") {
        problems.push_back(fmt::format("escrow of question {} is {} but the question is not stored",
                                       escrow.question, escrow.state));
      }
      continue;
    }
    stored_escrow_questions.insert(escrow.question);
    const Question& q = it->second;
    if (escrow.amount != q.bounty) {
      problems.push_back(fmt::format("escrow of question {} holds {} but its bounty is {}",
                                     q.id, escrow.amount, q.bounty));
    }
    // An escrow of 0 records only an urgent fee (kept so that a question
    // never stored gets its fee back); it holds nothing to settle.
    if (escrow.amount == 0) continue;
    const bool settling = pending.count(payout) || pending.count(refund);
    const bool consistent =
        (escrow.state == "held" && (q.status == QuestionStatus::kOpen ||
                                    q.status == QuestionStatus::kAnswered || settling)) ||
        (escrow.state == "paid" && q.status == QuestionStatus::kAccepted && applied.count(payout)) ||
        (escrow.state == "refunded" && q.status == QuestionStatus::kClosed && applied.count(refund));
    if (!consistent) {
      problems.push_back(fmt::format("escrow of question {} is {} but the question is {}", q.id,
                                     escrow.state, QuestionStatusName(q.status)));
    }
  }
  for (const auto& [id, q] : with_points) {
    if (q.bounty > 0 && !stored_escrow_questions.count(id)) {
      problems.push_back(fmt::format("question {} has bounty {} but no escrow", id, q.bounty));
    }
  }
  report.sound = problems.empty();
  return report;
}

}  // namespace dongne
