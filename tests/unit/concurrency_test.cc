// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// One Engine used from many threads: readers run while writers write, every
// write lands once, readers only ever see committed, whole rows.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "test_util.h"

namespace dongne {
namespace {

TEST(Concurrency, ReadersAndWritersOnSeveralThreads) {
  testing::TempDir dir;
  auto engine = Engine::Open(dir.path(), testing::TestOptions());
  const User asker = engine->CreateUser("귤러버");
  const User local = engine->CreateUser("제주토박이");
  constexpr int kWriters = 3;
  constexpr int kPerWriter = 60;
  constexpr LatLon kPlaces[] = {{33.4996, 126.5312}, {35.1796, 129.0756}, {37.5665, 126.9780}};

  std::atomic<int> writers_left{kWriters};
  std::atomic<int> reads{0};
  std::vector<std::thread> threads;
  std::mutex ids_mutex;
  std::vector<Id> asked;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const Question q = engine->Ask({.author = asker.id,
                                        .title = "질문 " + std::to_string(w) + "-" + std::to_string(i),
                                        .body = "본문",
                                        .location = kPlaces[(w + i) % 3]});
        engine->PostAnswer({.question = q.id, .author = local.id, .body = "답"});
        std::lock_guard lock(ids_mutex);
        asked.push_back(q.id);
      }
      --writers_left;
    });
  }
  for (int r = 0; r < 4; ++r) {
    threads.emplace_back([&] {
      while (writers_left > 0) {
        const QuestionPage page = engine->List({.limit = 50});
        for (const Question& q : page.questions) {
          // A question is never seen half-written: its answer count only
          // moves forward from what its status says.
          const Question again = engine->GetQuestion(q.id);
          EXPECT_GE(again.answer_count, q.answer_count);
          EXPECT_EQ(q.status == QuestionStatus::kOpen, q.answer_count == 0);
        }
        ++reads;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GT(reads.load(), 0);
  ASSERT_EQ(asked.size(), static_cast<std::size_t>(kWriters * kPerWriter));
  EXPECT_EQ(std::set<Id>(asked.begin(), asked.end()).size(), asked.size());
  std::size_t listed = 0;
  ListOptions options{.limit = 1000};
  listed = engine->List(options).questions.size();
  EXPECT_EQ(listed, asked.size());
  for (Id id : asked) EXPECT_EQ(engine->GetQuestion(id).answer_count, 1);
}

// Regression: the catalog took an ext_id reserved by a write still on its
// way to the shard for an abandoned one, so two threads asking (or two
// imports of one file) stored the same ext_id twice, and verify was sound.
TEST(Concurrency, AnExtIdWrittenFromSeveralThreadsAtOnceIsStoredOnce) {
  testing::TempDir dir;
  auto engine = Engine::Open(dir.path(), testing::TestOptions());
  const User asker = engine->CreateUser("귤러버");
  const User local = engine->CreateUser("제주토박이");
  const Question asked = engine->Ask({.author = asker.id, .title = "질문", .body = "본문",
                                      .location = {33.4996, 126.5312}});
  constexpr int kThreads = 4;
  constexpr int kIds = 60;
  std::atomic<int> stored{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIds; ++i) {
        try {
          engine->Ask({.author = asker.id, .title = "질문 " + std::to_string(i), .body = "본문",
                       .location = {33.4996, 126.5312}, .ext_id = "q" + std::to_string(i)});
          engine->PostAnswer({.question = asked.id, .author = local.id, .body = "답",
                              .ext_id = "a" + std::to_string(i)});
          ++stored;
        } catch (const Conflict&) {
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(engine->List({.limit = 1000}).questions.size(), kIds + 1u);
  EXPECT_EQ(engine->GetQuestion(asked.id).answer_count, kIds);
  EXPECT_EQ(stored + conflicts, kThreads * kIds);

  // Two imports of one file at once: each line stored once.
  std::string lines;
  for (int i = 0; i < 300; ++i) {
    lines += fmt::format(
        R"({{"ext_id":"i{}","title":"제목 {}","body":"본문","lat":33.46,"lon":126.33}})" "\n", i, i);
  }
  const auto file = dir.path() / "twice.jsonl";
  std::ofstream(file) << lines;
  std::thread other([&] { engine->Import(file); });
  engine->Import(file);
  other.join();
  EXPECT_EQ(engine->List({.limit = 1000}).questions.size(), kIds + 1u + 300u);
  const ImportSummary again = engine->Import(file);
  EXPECT_EQ(again.questions_added, 0);
  EXPECT_EQ(again.errors, 0) << (again.first_errors.empty() ? "" : again.first_errors[0].message);
  EXPECT_TRUE(engine->Verify().sound);
}

}  // namespace
}  // namespace dongne
