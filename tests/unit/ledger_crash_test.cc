// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Crash safety of the point flows, with real crashes: a child process runs
// random asks with bounties, answers, accepts, closes and purchases and is
// killed with SIGKILL at a random instant; the parent reopens the engine
// (which replays pending events) and checks that Verify is sound and that
// every operation the child saw acknowledged is there, applied once.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <sstream>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "test_util.h"

namespace dongne {
namespace {

constexpr LatLon kPlaces[] = {{33.4628, 126.3310}, {35.1587, 129.1604}, {36.35, 127.38}};

// Runs until killed, writing one line to `ack_fd` after each call returns:
// "Q <question> <bounty>", "A <answer>" (accepted), "C <question>" (closed).
[[noreturn]] void RunChild(const std::filesystem::path& dir, int ack_fd, unsigned seed) {
  try {
    auto engine = testing::OpenAndStart(dir, ack_fd);
    std::vector<User> users;
    for (const char* nick : {"하나", "둘", "셋"}) users.push_back(testing::UserNamed(*engine, nick));
    std::mt19937 rng(seed);
    std::vector<Id> questions;
    std::vector<Answer> answers;
    auto ack = [ack_fd](const std::string& line) { testing::Acknowledge(ack_fd, line); };
    for (int i = 0;; ++i) {
      const User& me = users[rng() % users.size()];
      try {
        switch (rng() % 5) {
          case 0: {
            const std::int64_t bounty = rng() % 30;
            const Question q = engine->Ask({.author = me.id, .title = "질문", .body = "내용",
                                            .location = kPlaces[rng() % 3],
                                            .urgent = rng() % 3 == 0, .bounty = bounty});
            questions.push_back(q.id);
            ack("Q " + std::to_string(q.id) + " " + std::to_string(bounty));
            break;
          }
          case 1:
            if (!questions.empty()) {
              answers.push_back(engine->PostAnswer(
                  {.question = questions[rng() % questions.size()], .author = me.id, .body = "답"}));
            }
            break;
          case 2:
            if (!answers.empty()) {
              const Answer& a = answers[rng() % answers.size()];
              engine->Accept(a.id, engine->GetQuestion(a.question_id).author_id);
              ack("A " + std::to_string(a.id));
            }
            break;
          case 3:
            if (!questions.empty()) {
              const Question q = engine->GetQuestion(questions[rng() % questions.size()]);
              engine->Close(q.id, q.author_id);
              ack("C " + std::to_string(q.id));
            }
            break;
          case 4:
            engine->Purchase(me.id, 1 + rng() % 30, "pay-" + std::to_string(seed) + "-" + std::to_string(i));
            break;
        }
      } catch (const Refused&) {
      }
    }
  } catch (...) {
    _exit(2);
  }
}

TEST(LedgerCrash, SigkillAtRandomInstantsLosesAndDoublesNothing) {
  testing::TempDir dir;
  std::mt19937 rng(20261127);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(25);
  int kills = 0, acked_asks = 0, acked_accepts = 0;
  while (kills < 40 && std::chrono::steady_clock::now() < deadline) {
    const std::uint32_t seed = rng();
    const testing::KilledChild round = testing::RunAndKill(
        [&](int fd) { RunChild(dir.path(), fd, seed); },
        std::chrono::microseconds(20'000 + rng() % 250'000));
    ASSERT_TRUE(round.killed) << "the child stopped by itself, status " << round.status;
    ++kills;
    const std::string& acks = round.written;

    auto engine = Engine::Open(dir.path(), testing::TestOptions());
    const VerifyReport report = engine->Verify();
    ASSERT_TRUE(report.sound) << "after kill " << kills << ": "
                              << ::testing::PrintToString(report.problems);
    std::istringstream lines(acks);
    std::string kind;
    Id id = 0;
    while (lines >> kind >> id) {
      if (kind == "Q") {
        std::int64_t bounty = 0;
        lines >> bounty;
        if (lines.fail()) break;  // the kill cut the line short
        EXPECT_EQ(engine->GetQuestion(id).bounty, bounty);
        ++acked_asks;
      } else if (kind == "A") {
        const Answer a = engine->GetAnswer(id);
        EXPECT_TRUE(a.accepted) << "acknowledged acceptance of answer " << id << " lost";
        ++acked_accepts;
      } else if (kind == "C") {
        const QuestionStatus status = engine->GetQuestion(id).status;
        EXPECT_TRUE(status == QuestionStatus::kClosed) << "acknowledged close of " << id << " lost";
      }
    }
  }
  EXPECT_GE(kills, 10);
  EXPECT_GT(acked_asks, 0);
  RecordProperty("kills", kills);
  RecordProperty("acknowledged_asks", acked_asks);
  RecordProperty("acknowledged_accepts", acked_accepts);
  std::cout << "[ledger crash] " << kills << " kills, " << acked_asks << " acknowledged asks, "
            << acked_accepts << " acknowledged accepts, all verified\n";
}

}  // namespace
}  // namespace dongne
