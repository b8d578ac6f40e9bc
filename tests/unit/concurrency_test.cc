// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// One Engine used from many threads: readers run while writers write, every
// write lands once, readers only ever see committed, whole rows.

#include <gtest/gtest.h>

#include <atomic>
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

}  // namespace
}  // namespace dongne
