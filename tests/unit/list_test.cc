// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Listing: filters, sorts, and keyset cursors that neither skip nor repeat.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "test_util.h"

namespace dongne {
namespace {

constexpr LatLon kJeju{33.4996, 126.5312};
constexpr LatLon kBusan{35.1796, 129.0756};

class ListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine = Engine::Open(dir.path(), testing::TestOptions());
    asker = engine->CreateUser("귤러버");
    fan = engine->CreateUser("좋아요요정");
    // 30 questions, one a minute back from now, alternating Jeju and Busan.
    for (int i = 0; i < 30; ++i) {
      const Question q = engine->Ask(
          {.author = asker.id,
           .title = "질문 " + std::to_string(i),
           .body = "본문",
           .location = i % 2 ? kBusan : kJeju,
           .category = i % 3 ? "food" : "transport",
           .hashtags = i % 5 == 0 ? std::vector<std::string>{"맛집"} : std::vector<std::string>{},
           .urgent = i % 7 == 0,
           .created_at = testing::TestNow() - std::chrono::minutes(i)});
      ids.push_back(q.id);  // ids[0] is the newest
    }
  }

  std::vector<Id> All(ListOptions options) {
    std::vector<Id> out;
    for (;;) {
      QuestionPage page = engine->List(options);
      for (const Question& q : page.questions) out.push_back(q.id);
      if (page.next_cursor.empty()) return out;
      options.cursor = page.next_cursor;
    }
  }

  testing::TempDir dir;
  std::unique_ptr<Engine> engine;
  User asker, fan;
  std::vector<Id> ids;
};

TEST_F(ListTest, RecentIsNewestFirstAcrossShards) {
  const QuestionPage page = engine->List({.limit = 5});
  ASSERT_EQ(page.questions.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(page.questions[i].id, ids[i]);
  EXPECT_FALSE(page.next_cursor.empty());
}

TEST_F(ListTest, PagingVisitsEveryQuestionOnceInOrder) {
  EXPECT_EQ(All({.limit = 7}), ids);
  EXPECT_EQ(All({.limit = 30}), ids);
  EXPECT_EQ(All({.limit = 1000}), ids);
}

TEST_F(ListTest, RegionCategoryAndTagFilter) {
  for (const Question& q : engine->List({.region = "busan", .limit = 100}).questions) {
    EXPECT_EQ(q.region, "busan");
  }
  EXPECT_EQ(engine->List({.region = "busan", .limit = 100}).questions.size(), 15u);
  EXPECT_EQ(engine->List({.category = "transport", .limit = 100}).questions.size(), 10u);
  // The tag filter is normalised like stored tags: "#맛집" finds "맛집".
  const QuestionPage tagged = engine->List({.tag = "#맛집", .limit = 100});
  ASSERT_EQ(tagged.questions.size(), 6u);
  for (const Question& q : tagged.questions) EXPECT_EQ(q.hashtags.front(), "맛집");
  // A region in the map that has no shard yet lists nothing.
  EXPECT_TRUE(engine->List({.region = "seoul"}).questions.empty());
}

TEST_F(ListTest, UrgentFirstThenNewest) {
  const std::vector<Id> order = All({.sort = ListSort::kUrgent, .limit = 4});
  const std::vector<Id> expected = {ids[0], ids[7], ids[14], ids[21], ids[28], ids[1], ids[2]};
  EXPECT_EQ(std::vector<Id>(order.begin(), order.begin() + 7), expected);
  EXPECT_EQ(order.size(), ids.size());
}

TEST_F(ListTest, PopularOrdersByLikesPlusAnswers) {
  engine->Like(fan.id, ids[20]);
  engine->PostAnswer({.question = ids[20], .author = fan.id, .body = "답"});
  engine->Like(fan.id, ids[10]);
  const std::vector<Id> order = All({.sort = ListSort::kPopular, .limit = 3});
  EXPECT_EQ(order[0], ids[20]);
  EXPECT_EQ(order[1], ids[10]);
  EXPECT_EQ(order[2], ids[0]);
  EXPECT_EQ(order.size(), ids.size());
}

TEST_F(ListTest, UnansweredFirst) {
  engine->PostAnswer({.question = ids[0], .author = fan.id, .body = "답"});
  const std::vector<Id> order = All({.sort = ListSort::kUnanswered, .limit = 6});
  EXPECT_EQ(order.front(), ids[1]);
  EXPECT_EQ(order.back(), ids[0]);
}

TEST_F(ListTest, CursorOfAnotherSortIsRefused) {
  const QuestionPage page = engine->List({.limit = 2});
  EXPECT_THROW(engine->List({.sort = ListSort::kPopular, .cursor = page.next_cursor}),
               InvalidArgument);
}

TEST_F(ListTest, PagingUnderConcurrentInsertsNeitherSkipsNorRepeats) {
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; !done; ++i) {
      engine->Ask({.author = asker.id,
                   .title = "새 질문 " + std::to_string(i),
                   .body = "본문",
                   .location = i % 2 ? kBusan : kJeju,
                   .created_at = testing::TestNow() + std::chrono::hours(1)});
    }
  });
  std::vector<Id> seen;
  ListOptions options{.limit = 3};
  for (;;) {
    QuestionPage page = engine->List(options);
    for (const Question& q : page.questions) seen.push_back(q.id);
    if (page.next_cursor.empty()) break;
    options.cursor = page.next_cursor;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  done = true;
  writer.join();
  EXPECT_EQ(std::set<Id>(seen.begin(), seen.end()).size(), seen.size()) << "an id repeated";
  std::vector<Id> old;
  for (Id id : seen) {
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) old.push_back(id);
  }
  EXPECT_EQ(old, ids) << "a question present before paging began was skipped";
}

}  // namespace
}  // namespace dongne
