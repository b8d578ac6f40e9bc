// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// SIGKILL during import: a child imports a file with bounties and accepted
// answers and is killed at a random instant; after each kill the engine
// reopens sound, and importing the same file again completes it with every
// line stored exactly once and every point moved once.

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "dongne/engine.h"
#include "test_util.h"

namespace dongne {
namespace {

constexpr int kQuestions = 6000;

void WriteFile(const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  std::mt19937 rng(5);
  for (int i = 0; i < kQuestions; ++i) {
    const double lat = (i % 2 ? 33.45 : 35.15) + (rng() % 1000) / 20000.0;
    const double lon = (i % 2 ? 126.50 : 129.10) + (rng() % 1000) / 20000.0;
    out << R"({"ext_id":"q)" << i << R"(","author":"질문러)" << i % 50 << R"(","title":"질문 )" << i
        << R"( 흑돼지 맛집","body":"어디가 좋아요?","lat":)" << lat << R"(,"lon":)" << lon
        << R"(,"bounty":)" << (i % 7 == 0 ? 1 : 0) << "}\n";
    if (i % 3 == 0) {
      out << R"({"ext_id":"a)" << i << R"(","question_ext_id":"q)" << i << R"(","author":"답변러)" << i % 40
          << R"(","body":"여기요","accepted":)" << (i % 6 == 0 ? "true" : "false") << "}\n";
    }
  }
}

TEST(ImportCrash, SigkillMidImportThenImportAgainCompletesOnce) {
  testing::TempDir dir;
  const std::filesystem::path file = dir / "questions.jsonl";
  WriteFile(file);
  const std::filesystem::path engine_dir = dir / "engine";
  std::mt19937 rng(11);
  int kills = 0;
  for (int round = 0; round < 8; ++round) {
    const testing::KilledChild killed = testing::RunAndKill(
        [&](int fd) {
          try {
            testing::OpenAndStart(engine_dir, fd)->Import(file);
          } catch (...) {
            _exit(2);
          }
        },
        std::chrono::microseconds(30'000 + rng() % 370'000));
    kills += killed.killed;
    auto engine = Engine::Open(engine_dir, testing::TestOptions());
    const VerifyReport report = engine->Verify();
    ASSERT_TRUE(report.sound) << "after kill " << kills << ": " << ::testing::PrintToString(report.problems);
  }
  auto engine = Engine::Open(engine_dir, testing::TestOptions());
  const ImportSummary rest = engine->Import(file);
  EXPECT_EQ(rest.errors, 0) << (rest.first_errors.empty() ? "" : rest.first_errors[0].message);
  const VerifyReport report = engine->Verify();
  EXPECT_TRUE(report.sound) << ::testing::PrintToString(report.problems);
  EXPECT_EQ(report.questions, kQuestions);
  const ImportSummary again = engine->Import(file);
  EXPECT_EQ(again.questions_added + again.answers_added, 0);
  EXPECT_GE(kills, 4);
  std::cout << "[import crash] " << kills << " kills mid-import, then complete: " << report.questions
            << " questions, " << report.transactions << " ledger transactions, sound\n";
}

}  // namespace
}  // namespace dongne
