// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Crash safety of the search index, with real crashes: a child process asks
// and answers questions (each write catching its shard's index up) and is
// killed with SIGKILL at a random instant, often inside a Xapian commit; the
// parent reopens the engine and checks that every question the child saw
// acknowledged is found by its unique word, with the status it had, and
// that Verify finds every index agreeing with its store.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <sstream>

#include "dongne/engine.h"
#include "test_util.h"

namespace dongne {
namespace {

constexpr LatLon kPlaces[] = {{33.4628, 126.3310}, {35.1587, 129.1604}, {37.5665, 126.9780}};

// Runs until killed. Acknowledges "Q <id> <word>" after an Ask returns and
// "A <id>" after its first answer is posted.
[[noreturn]] void RunChild(const std::filesystem::path& dir, int ack_fd, unsigned seed) {
  try {
    auto engine = testing::OpenAndStart(dir, ack_fd);
    const User asker = testing::UserNamed(*engine, "묻는이");
    const User answerer = testing::UserNamed(*engine, "답하는이");
    std::mt19937 rng(seed);
    std::vector<Id> unanswered;
    auto ack = [ack_fd](const std::string& line) { testing::Acknowledge(ack_fd, line); };
    for (int i = 0;; ++i) {
      if (unanswered.empty() || rng() % 3 != 0) {
        const std::string word = "w" + std::to_string(seed) + "x" + std::to_string(i);
        const Question q = engine->Ask({.author = asker.id,
                                        .title = "제주 맛집 " + word,
                                        .body = "추천해주세요",
                                        .location = kPlaces[rng() % 3]});
        unanswered.push_back(q.id);
        ack("Q " + std::to_string(q.id) + " " + word);
      } else {
        const Id q = unanswered.back();
        unanswered.pop_back();
        engine->PostAnswer({.question = q, .author = answerer.id, .body = "여기요"});
        ack("A " + std::to_string(q));
      }
    }
  } catch (...) {
    _exit(2);
  }
}

TEST(SearchCrash, SigkillAtRandomInstantsLosesNoAcknowledgedWrite) {
  testing::TempDir dir;
  std::mt19937 rng(5);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int kills = 0, checked = 0;
  std::map<Id, std::string> words;  // every acknowledged question
  std::map<Id, bool> answered;
  while (kills < 30 && std::chrono::steady_clock::now() < deadline) {
    const std::uint32_t seed = rng();
    const testing::KilledChild round = testing::RunAndKill(
        [&](int fd) { RunChild(dir.path(), fd, seed); },
        std::chrono::microseconds(20'000 + rng() % 200'000));
    ASSERT_TRUE(round.killed) << "the child stopped by itself, status " << round.status;
    ++kills;
    std::istringstream lines(round.written);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::string kind, word;
      Id id = 0;
      fields >> kind >> id;
      if (kind == "Q" && (fields >> word) && !lines.eof()) {
        words[id] = word;
      } else if (kind == "A" && !lines.eof()) {
        answered[id] = true;
      }
    }

    auto engine = Engine::Open(dir.path(), testing::TestOptions());
    for (const auto& [id, word] : words) {
      SearchQuery q;
      q.text = word;
      const SearchResult r = engine->Search(q);
      ASSERT_FALSE(r.hits.empty()) << "acknowledged question " << id << " (" << word
                                   << ") not found after kill " << kills;
      EXPECT_EQ(r.hits[0].question.id, id);
      // The index agrees with the store (an answer may have been stored
      // without its acknowledgement), and an acknowledged answer is there.
      const QuestionStatus stored = engine->GetQuestion(id).status;
      if (answered.count(id)) {
        EXPECT_EQ(stored, QuestionStatus::kAnswered);
      }
      q.status = stored;
      EXPECT_EQ(engine->Search(q).hits.size(), 1u)
          << "question " << id << " indexed with a stale status after kill " << kills;
      ++checked;
    }
    const VerifyReport report = engine->Verify();
    ASSERT_TRUE(report.sound) << "after kill " << kills << ": "
                              << ::testing::PrintToString(report.problems);
  }
  EXPECT_GE(kills, 5);
  EXPECT_GT(words.size(), 0u);
  std::cout << "[search crash] " << kills << " kills, " << words.size()
            << " acknowledged questions, " << answered.size() << " answered, " << checked
            << " searches checked\n";
}

}  // namespace
}  // namespace dongne
