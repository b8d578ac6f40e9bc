// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The point ledger: each flow, each refusal (with nothing moved), idempotency,
// expiry, and a property test of random operations on several threads.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <random>
#include <thread>
#include <fstream>

#include <sqlite3.h>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "test_util.h"

namespace dongne {
namespace {

using testing::Digest;
using testing::ExecOn;
using testing::TempDir;

constexpr LatLon kAewol{33.4628, 126.3310};
constexpr LatLon kHaeundae{35.1587, 129.1604};

// Policy defaults, spelled out so the arithmetic below reads on its own.
constexpr std::int64_t kBonus = 100, kReward = 10, kCap = 50, kUrgentFee = 5;

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine = Engine::Open(dir.path(), testing::TestOptions());
    asker = engine->CreateUser("귤러버");
    local = engine->CreateUser("제주토박이");
  }

  Question Ask(std::int64_t bounty, bool urgent = false, LatLon at = kAewol) {
    return engine->Ask({.author = asker.id,
                        .title = "애월 흑돼지 맛집 추천해주세요",
                        .body = "현지인 맛집이요",
                        .location = at,
                        .category = "food",
                        .urgent = urgent,
                        .bounty = bounty});
  }
  Answer AnswerBy(const User& who, Id question) {
    return engine->PostAnswer({.question = question, .author = who.id, .body = "숙성도 가보세요"});
  }
  void ExpectSound() {
    const VerifyReport report = engine->Verify();
    EXPECT_TRUE(report.sound) << ::testing::PrintToString(report.problems);
  }

  TempDir dir;
  std::unique_ptr<Engine> engine;
  User asker, local;
};

TEST_F(LedgerTest, NewUserGetsTheSignupBonus) {
  EXPECT_EQ(asker.balance, kBonus);
  EXPECT_EQ(engine->GetUser(asker.id).balance, kBonus);
  const PointsStatement s = engine->Statement(asker.id);
  ASSERT_EQ(s.entries.size(), 1u);
  EXPECT_EQ(s.entries[0].amount, kBonus);
  EXPECT_EQ(s.entries[0].kind, "signup_bonus");
  ExpectSound();
}

TEST_F(LedgerTest, AskHoldsBountyAndUrgentFee) {
  const Question q = Ask(30, /*urgent=*/true);
  EXPECT_EQ(engine->Balance(asker.id), kBonus - 30 - kUrgentFee);
  const PointsStatement s = engine->Statement(asker.id);
  ASSERT_EQ(s.entries.size(), 3u);
  EXPECT_EQ(s.entries[0].ref, q.id);
  ExpectSound();
}

TEST_F(LedgerTest, AcceptPaysBountyAndReward) {
  const Question q = Ask(30);
  const Answer a = AnswerBy(local, q.id);
  engine->Accept(a.id, asker.id);
  EXPECT_EQ(engine->Balance(local.id), kBonus + 30 + kReward);
  EXPECT_EQ(engine->Balance(asker.id), kBonus - 30);
  const PointsStatement s = engine->Statement(local.id);
  ASSERT_GE(s.entries.size(), 2u);
  EXPECT_EQ(s.entries[0].ref, a.id);
  // Accepting again is the same result and moves nothing.
  engine->Accept(a.id, asker.id);
  EXPECT_EQ(engine->Balance(local.id), kBonus + 30 + kReward);
  ExpectSound();
}

TEST_F(LedgerTest, RewardsStopAtTheDailyCap) {
  for (int i = 0; i < 7; ++i) {
    const Question q = Ask(0);
    engine->Accept(AnswerBy(local, q.id).id, asker.id);
  }
  EXPECT_EQ(engine->Balance(local.id), kBonus + kCap);
  ExpectSound();
}

TEST_F(LedgerTest, CloseRefundsTheBountyButNotTheFee) {
  const Question q = Ask(40, /*urgent=*/true);
  engine->Close(q.id, asker.id);
  EXPECT_EQ(engine->Balance(asker.id), kBonus - kUrgentFee);
  EXPECT_EQ(engine->GetQuestion(q.id).status, QuestionStatus::kClosed);
  EXPECT_THROW(AnswerBy(local, q.id), Refused);
  engine->Close(q.id, asker.id);  // again: no-op
  EXPECT_EQ(engine->Balance(asker.id), kBonus - kUrgentFee);
  ExpectSound();
}

// Regression (found by the crash test): an urgent question without bounty
// keeps a zero escrow for its fee; closing it made Verify report the escrow
// "held but the question is closed".
TEST_F(LedgerTest, ClosingAnUrgentQuestionWithoutBountyIsSound) {
  const Question q = Ask(0, /*urgent=*/true);
  engine->Close(q.id, asker.id);
  EXPECT_EQ(engine->Balance(asker.id), kBonus - kUrgentFee);
  ExpectSound();
}

TEST_F(LedgerTest, ExpireRefundsOnlyOverdueUnacceptedBounties) {
  const Question overdue = Ask(20);
  const Question accepted = Ask(20);
  engine->Accept(AnswerBy(local, accepted.id).id, asker.id);
  const Timestamp later = testing::TestNow() + std::chrono::hours(24 * 8);
  EXPECT_EQ(engine->Expire(testing::TestNow() + std::chrono::hours(1)), 0);
  EXPECT_EQ(engine->Expire(later), 1);
  EXPECT_EQ(engine->Expire(later), 0);
  EXPECT_EQ(engine->GetQuestion(overdue.id).status, QuestionStatus::kClosed);
  EXPECT_EQ(engine->Balance(asker.id), kBonus - 20);
  ExpectSound();
}

TEST_F(LedgerTest, PurchaseIsIdempotentOnPaymentId) {
  EXPECT_EQ(engine->Purchase(asker.id, 500, "pay-1"), kBonus + 500);
  EXPECT_EQ(engine->Purchase(asker.id, 500, "pay-1"), kBonus + 500);
  EXPECT_EQ(engine->Purchase(asker.id, 70, "pay-2"), kBonus + 570);
  ExpectSound();
}

// Regression: a payment id used again for another user or amount was taken
// for a repeat, silently, and returned that user's balance as if paid.
TEST_F(LedgerTest, APaymentIdOrKeyReusedForAnotherMovementIsAConflict) {
  engine->Purchase(asker.id, 500, "pay-1");
  engine->Adjust(asker.id, -40, "정정", "fix-1");
  const std::string before = Digest(dir.path());
  EXPECT_THROW(engine->Purchase(local.id, 500, "pay-1"), Conflict);
  EXPECT_THROW(engine->Purchase(asker.id, 999, "pay-1"), Conflict);
  EXPECT_THROW(engine->Adjust(local.id, -40, "정정", "fix-1"), Conflict);
  EXPECT_THROW(engine->Adjust(asker.id, 40, "정정", "fix-1"), Conflict);
  EXPECT_EQ(Digest(dir.path()), before);
  EXPECT_EQ(engine->Purchase(asker.id, 500, "pay-1"), kBonus + 460);  // the same: a repeat
}

TEST_F(LedgerTest, AdjustmentNeedsReasonAndCannotOverdraw) {
  EXPECT_EQ(engine->Adjust(asker.id, -40, "중복 지급 정정", "fix-1"), kBonus - 40);
  EXPECT_EQ(engine->Adjust(asker.id, -40, "중복 지급 정정", "fix-1"), kBonus - 40);
  const std::string before = Digest(dir.path());
  EXPECT_THROW(engine->Adjust(asker.id, -1000, "too much", "fix-2"), InsufficientPoints);
  EXPECT_THROW(engine->Adjust(asker.id, 5, "", "fix-3"), InvalidArgument);
  EXPECT_EQ(Digest(dir.path()), before);
  ExpectSound();
}

// Each refusal: the right error, and not a byte changed anywhere.
TEST_F(LedgerTest, RefusalsMoveNothing) {
  const Question q = Ask(30);
  const Answer own = AnswerBy(asker, q.id);
  const Answer a = AnswerBy(local, q.id);
  const User stranger = engine->CreateUser("부산갈매기");
  const std::string before = Digest(dir.path());
  EXPECT_THROW(engine->Accept(a.id, stranger.id), Refused);      // not the asker
  EXPECT_THROW(engine->Accept(own.id, asker.id), Refused);       // own answer
  EXPECT_THROW(Ask(kBonus), InsufficientPoints);                 // bounty above balance
  EXPECT_THROW(engine->Ask({.author = 999999, .title = "t", .body = "b", .location = kAewol,
                            .bounty = 1}),
               NotFound);                                        // unknown user
  EXPECT_THROW(engine->Close(q.id, local.id), Refused);
  EXPECT_THROW(engine->Purchase(asker.id, 0, "p"), InvalidArgument);
  EXPECT_THROW(engine->Statement(asker.id, 10, "garbage"), InvalidArgument);
  EXPECT_EQ(Digest(dir.path()), before);

  engine->Accept(a.id, asker.id);
  const Answer late = AnswerBy(stranger, q.id);
  const std::string accepted = Digest(dir.path());
  EXPECT_THROW(engine->Accept(late.id, asker.id), Conflict);     // second acceptance
  EXPECT_THROW(engine->Close(q.id, asker.id), Conflict);
  EXPECT_EQ(Digest(dir.path()), accepted);
  ExpectSound();
}

TEST_F(LedgerTest, StatementPagesAndSumsToBalance) {
  for (int i = 0; i < 5; ++i) engine->Purchase(asker.id, 10 + i, "pay-" + std::to_string(i));
  std::int64_t sum = 0;
  std::string cursor;
  int pages = 0;
  do {
    const PointsStatement page = engine->Statement(asker.id, 2, cursor);
    for (const LedgerEntry& e : page.entries) sum += e.amount;
    cursor = page.next_cursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(sum, engine->Balance(asker.id));
}

TEST_F(LedgerTest, ImportedBountiesAndAcceptancesMovePoints) {
  const std::filesystem::path file = dir / "in.jsonl";
  std::ofstream(file) << R"({"ext_id":"q1","author":"새내기","title":"해운대 밀면","body":"어디?","lat":35.1587,"lon":129.1604,"bounty":30})"
                      << "\n"
                      << R"({"ext_id":"a1","question_ext_id":"q1","author":"부산토박이","body":"가야밀면","accepted":true})"
                      << "\n"
                      << R"({"ext_id":"q2","author":"새내기","title":"너무 큰 현상금","body":"?","lat":35.1587,"lon":129.1604,"bounty":500})"
                      << "\n";
  const ImportSummary summary = engine->Import(file);
  EXPECT_EQ(summary.questions_added, 1);
  EXPECT_EQ(summary.errors, 1);
  EXPECT_EQ(engine->FindUser("새내기").balance, kBonus - 30);
  EXPECT_EQ(engine->FindUser("부산토박이").balance, kBonus + 30 + kReward);
  ExpectSound();
}

// Runs `sql` on the SQLite file `file` of a closed engine; returns the rows
// it changed.
// ExecOn every shard's store.db of the closed engine in `dir`.
int ExecOnEveryShard(const std::filesystem::path& dir, const std::string& sql) {
  int changed = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().filename() == "store.db") changed += ExecOn(entry.path(), sql);
  }
  return changed;
}

TEST_F(LedgerTest, VerifyFindsATamperedBalance) {
  Ask(10);
  engine.reset();
  ASSERT_GT(
      ExecOn(dir / "catalog.db", "UPDATE balances SET balance = balance + 7 WHERE account > 0"), 0);
  engine = Engine::Open(dir.path(), testing::TestOptions());
  const VerifyReport report = engine->Verify();
  EXPECT_FALSE(report.sound);
  EXPECT_FALSE(report.problems.empty());
}

// Two questions stored under one ext_id (as two writers racing could, before
// the shard checked) are named.
TEST_F(LedgerTest, VerifyNamesAnExtIdStoredTwice) {
  const Question first = Ask(0);
  const Question second = Ask(0);
  engine.reset();
  ASSERT_EQ(ExecOnEveryShard(dir.path(), fmt::format("UPDATE questions SET ext_id = 'twice' "
                                                     "WHERE id IN ({}, {})",
                                                     first.id, second.id)),
            2);
  engine = Engine::Open(dir.path(), testing::TestOptions());
  const VerifyReport report = engine->Verify();
  EXPECT_FALSE(report.sound);
  EXPECT_THAT(report.problems,
              ::testing::Contains(::testing::EndsWith("ext_id \"twice\" is stored under 2 questions")));
}

// The escrow of a question the store shows accepted, though no payout was
// ever applied, is named with both states.
TEST_F(LedgerTest, VerifyNamesAnEscrowThatDisagreesWithItsQuestion) {
  const Question q = Ask(10);
  engine.reset();
  ASSERT_EQ(ExecOnEveryShard(dir.path(), fmt::format("UPDATE questions SET status = 'accepted' "
                                                     "WHERE id = {}",
                                                     q.id)),
            1);
  engine = Engine::Open(dir.path(), testing::TestOptions());
  const VerifyReport report = engine->Verify();
  EXPECT_FALSE(report.sound);
  EXPECT_THAT(report.problems,
              ::testing::Contains(fmt::format("escrow of question {} is held but the question is "
                                            "accepted",
                                            q.id)));
}

// A crash between the ask's catalog commit and its shard commit leaves an
// escrow whose question was never stored; opening refunds exactly those,
// looking each shard's escrowed questions up together.
TEST_F(LedgerTest, OpeningRefundsOnlyEscrowsWhoseQuestionIsMissing) {
  // Two shards (Jeju, Busan); one question of each is lost.
  const std::vector<Id> kept = {Ask(10).id, Ask(12).id, Ask(13, false, kHaeundae).id};
  const Question lost_jeju = Ask(11), lost_busan = Ask(14, false, kHaeundae);
  ASSERT_NE(lost_jeju.region, lost_busan.region);
  ASSERT_EQ(engine->Balance(asker.id), kBonus - 60);
  engine.reset();
  // What the crash leaves: the catalog holds the escrows, the shards lack
  // the questions.
  ASSERT_EQ(ExecOnEveryShard(dir.path(), fmt::format("DELETE FROM questions WHERE id IN ({}, {})",
                                         lost_jeju.id, lost_busan.id)),
            2);

  engine = Engine::Open(dir.path(), testing::TestOptions());
  EXPECT_EQ(engine->Balance(asker.id), kBonus - 60 + 11 + 14);
  engine->RebuildIndex();  // the rows removed above are still indexed, unlike after a crash
  ExpectSound();
  for (Id question : kept) engine->Close(question, asker.id);  // each escrow still held
  EXPECT_EQ(engine->Balance(asker.id), kBonus);
  ExpectSound();
}

// An escrow found with its question at one open is not looked at again:
// opening checks only the escrows held since (a crash can orphan only
// those), so its cost does not grow with every open bounty. A question
// lost behind the engine's back after its check is Verify's to find.
TEST_F(LedgerTest, OpeningChecksOnlyEscrowsHeldSinceTheLastOpen) {
  const Question checked = Ask(10);
  engine.reset();
  engine = Engine::Open(dir.path(), testing::TestOptions());
  const Question unchecked = Ask(11);
  engine.reset();
  ASSERT_EQ(ExecOnEveryShard(dir.path(), fmt::format("DELETE FROM questions WHERE id IN ({}, {})",
                                                     checked.id, unchecked.id)),
            2);

  engine = Engine::Open(dir.path(), testing::TestOptions());
  EXPECT_EQ(engine->Balance(asker.id), kBonus - 10);
  EXPECT_THAT(engine->Verify().problems,
              ::testing::Contains(fmt::format(
                  "escrow of question {} is held but the question is not stored", checked.id)));
}

// An escrow whose question is not stored may be another handle's ask
// between its two writes (the escrow held, the question not yet stored), so
// an open while another handle is open refunds nothing, and Verify excuses
// it; the next open that has the directory to itself refunds it. (Every
// open refunded it: an ask in flight in one process lost its escrow to a
// CLI command opening the engine, and its question was stored with a
// bounty nobody held.)
TEST_F(LedgerTest, OnlyAnOpenThatIsAloneRefundsEscrowsWithoutQuestions) {
  const Question in_flight = Ask(20);
  ASSERT_EQ(ExecOnEveryShard(dir.path(),
                             fmt::format("DELETE FROM questions WHERE id = {}", in_flight.id)),
            1);
  engine->RebuildIndex();  // unlike an ask in flight, it was indexed
  // `engine` stays open: it stands for the handle whose ask is in flight.
  auto other = Engine::Open(dir.path(), testing::TestOptions());
  EXPECT_EQ(other->Balance(asker.id), kBonus - 20);
  const VerifyReport report = other->Verify();
  EXPECT_TRUE(report.sound) << ::testing::PrintToString(report.problems);
  other.reset();
  ExpectSound();

  engine.reset();
  engine = Engine::Open(dir.path(), testing::TestOptions());
  EXPECT_EQ(engine->Balance(asker.id), kBonus);
  ExpectSound();
}

// A catalog from before the marks (schema version 2) has every held escrow
// checked at its first open.
TEST_F(LedgerTest, OpeningAnOlderCatalogChecksEveryEscrow) {
  const Question lost = Ask(10);
  engine.reset();
  engine = Engine::Open(dir.path(), testing::TestOptions());
  engine.reset();
  ExecOn(dir / "catalog.db",
         "ALTER TABLE shards DROP COLUMN escrows_checked_below; PRAGMA user_version = 2");
  ASSERT_EQ(
      ExecOnEveryShard(dir.path(), fmt::format("DELETE FROM questions WHERE id = {}", lost.id)), 1);

  engine = Engine::Open(dir.path(), testing::TestOptions());
  EXPECT_EQ(engine->Balance(asker.id), kBonus);
}

// Checking each store.db and index is most of an audit's time (seconds at a
// million questions) and needs no lock on the catalog, so points move
// meanwhile: at each progress report a purchase on another thread must
// finish while the audit waits for it. (Each waited for the whole audit when
// Verify held the catalog's writer throughout.)
TEST_F(LedgerTest, PointsMoveWhileVerifyReportsProgress) {
  Ask(10);
  std::vector<std::thread> buyers;
  std::vector<bool> bought_during_audit;
  const VerifyReport report = engine->Verify([&](const VerifyProgress& p) {
    std::promise<void> done;
    std::future<void> bought = done.get_future();
    buyers.emplace_back([this, p, done = std::move(done)]() mutable {
      try {
        engine->Purchase(local.id, 1, "during-verify-" + std::to_string(p.checked));
        done.set_value();
      } catch (...) {
        done.set_exception(std::current_exception());
      }
    });
    bought_during_audit.push_back(bought.wait_for(std::chrono::seconds(5)) ==
                                  std::future_status::ready);
  });
  for (std::thread& buyer : buyers) buyer.join();
  EXPECT_TRUE(report.sound) << ::testing::PrintToString(report.problems);
  EXPECT_EQ(bought_during_audit, std::vector<bool>(buyers.size(), true));
  EXPECT_EQ(engine->Balance(local.id), kBonus + static_cast<std::int64_t>(buyers.size()));
}

// Random asks, answers, accepts, closes and purchases on four threads for
// the same few users: no update lost, nothing overdrawn, every invariant of
// Verify holds, and the points in the system are exactly those issued.
TEST(LedgerProperty, ConcurrentRandomOperationsKeepInvariants) {
  TempDir dir;
  auto engine = Engine::Open(dir.path(), testing::TestOptions());
  std::vector<User> users;
  for (const char* nick : {"하나", "둘", "셋", "넷"}) users.push_back(engine->CreateUser(nick));
  std::atomic<std::int64_t> purchased{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t + 1);
      std::vector<Id> questions, answers;
      for (int i = 0; i < 150; ++i) {
        const User& me = users[rng() % users.size()];
        try {
          switch (rng() % 6) {
            case 0:
            case 1:
              questions.push_back(engine->Ask({.author = me.id, .title = "질문", .body = "내용",
                                               .location = rng() % 2 ? kAewol : kHaeundae,
                                               .urgent = rng() % 4 == 0,
                                               .bounty = static_cast<std::int64_t>(rng() % 40)})
                                      .id);
              break;
            case 2:
              if (!questions.empty()) {
                answers.push_back(engine->PostAnswer({.question = questions[rng() % questions.size()],
                                                      .author = me.id, .body = "답"})
                                      .id);
              }
              break;
            case 3:
              if (!answers.empty()) {
                const Answer a = engine->GetAnswer(answers[rng() % answers.size()]);
                engine->Accept(a.id, engine->GetQuestion(a.question_id).author_id);
              }
              break;
            case 4:
              if (!questions.empty()) {
                const Question q = engine->GetQuestion(questions[rng() % questions.size()]);
                engine->Close(q.id, q.author_id);
              }
              break;
            case 5: {
              const std::int64_t points = 1 + rng() % 20;
              engine->Purchase(me.id, points, "pay-" + std::to_string(t) + "-" + std::to_string(i));
              purchased += points;
              break;
            }
          }
        } catch (const Refused&) {  // own answer, accepted or closed, no points
          ++refused;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const VerifyReport report = engine->Verify();
  EXPECT_TRUE(report.sound) << ::testing::PrintToString(report.problems);
  std::int64_t wallets = 0;
  for (const User& u : users) {
    const std::int64_t balance = engine->Balance(u.id);
    EXPECT_GE(balance, 0);
    wallets += balance;
  }
  // Points enter by bonus, reward and purchase; they leave wallets only into
  // escrow (held bounties) and fees.
  EXPECT_GT(report.transactions, 100);
  EXPECT_GT(wallets, 0);
  EXPECT_LE(wallets, 4 * kBonus + purchased.load() + 4 * kCap * 2);
}

}  // namespace
}  // namespace dongne
