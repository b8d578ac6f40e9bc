// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The bad-input table: every row gives its documented error type, a message
// naming the field, and leaves every database exactly as it was.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "engine/ids.h"
#include "test_util.h"

namespace dongne {
namespace {

constexpr LatLon kAewol{33.4628, 126.3310};

struct BadInput {
  std::string name;
  ErrorCode expected;
  std::string message_contains;
  std::function<void(Engine&, const User&, const Question&)> call;
};

NewQuestion Valid(const User& author) {
  return {.author = author.id,
          .title = "성산일출봉 일출 시간?",
          .body = "내일 새벽에 가려고 해요",
          .location = kAewol,
          .category = "sights",
          .hashtags = {"일출"}};
}

std::vector<BadInput> Table() {
  const auto ask = [](std::function<void(NewQuestion&)> change) {
    return [change](Engine& e, const User& u, const Question&) {
      NewQuestion q = Valid(u);
      change(q);
      e.Ask(q);
    };
  };
  // Opens an engine in a new directory with changed options.
  const auto open = [](std::function<void(Options&)> change) {
    return [change](Engine&, const User&, const Question&) {
      Options options = testing::TestOptions();
      change(options);
      Engine::Open(testing::TempDir().path(), options);
    };
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::string> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back("tag" + std::to_string(i));
  return {
      {"latitude 91", ErrorCode::kInvalidArgument, "latitude",
       ask([](NewQuestion& q) { q.location.lat = 91; })},
      {"latitude NaN", ErrorCode::kInvalidArgument, "latitude",
       ask([=](NewQuestion& q) { q.location.lat = nan; })},
      {"longitude infinite", ErrorCode::kInvalidArgument, "longitude",
       ask([=](NewQuestion& q) { q.location.lon = inf; })},
      {"longitude -180.5", ErrorCode::kInvalidArgument, "longitude",
       ask([](NewQuestion& q) { q.location.lon = -180.5; })},
      {"empty title", ErrorCode::kInvalidArgument, "title",
       ask([](NewQuestion& q) { q.title = ""; })},
      {"blank title", ErrorCode::kInvalidArgument, "title",
       ask([](NewQuestion& q) { q.title = " \u3000 "; })},
      {"201-character title", ErrorCode::kInvalidArgument, "title",
       ask([](NewQuestion& q) {
         q.title.clear();
         for (int i = 0; i < 201; ++i) q.title += "한";
       })},
      {"20,001-character body", ErrorCode::kInvalidArgument, "body",
       ask([](NewQuestion& q) { q.body = std::string(20001, 'a'); })},
      {"invalid UTF-8 title", ErrorCode::kInvalidArgument, "UTF-8",
       ask([](NewQuestion& q) { q.title = "제주\xff\xfe"; })},
      {"invalid UTF-8 body", ErrorCode::kInvalidArgument, "UTF-8",
       ask([](NewQuestion& q) { q.body = "\xc0\xaf"; })},
      {"control character in title", ErrorCode::kInvalidArgument, "control",
       ask([](NewQuestion& q) { q.title = "제목\x07"; })},
      {"line break in title", ErrorCode::kInvalidArgument, "title",
       ask([](NewQuestion& q) { q.title = "두 줄\n제목"; })},
      {"11 hashtags", ErrorCode::kInvalidArgument, "hashtags",
       ask([=](NewQuestion& q) { q.hashtags = eleven; })},
      {"31-character hashtag", ErrorCode::kInvalidArgument, "hashtag",
       ask([](NewQuestion& q) { q.hashtags = {std::string(31, 'x')}; })},
      {"hashtag with a space", ErrorCode::kInvalidArgument, "white space",
       ask([](NewQuestion& q) { q.hashtags = {"제주 맛집"}; })},
      {"empty hashtag", ErrorCode::kInvalidArgument, "hashtag",
       ask([](NewQuestion& q) { q.hashtags = {"#"}; })},
      {"unknown category", ErrorCode::kInvalidArgument, "category",
       ask([](NewQuestion& q) { q.category = "gossip"; })},
      {"negative bounty", ErrorCode::kInvalidArgument, "bounty",
       ask([](NewQuestion& q) { q.bounty = -1; })},
      {"enormous bounty", ErrorCode::kInvalidArgument, "bounty",
       ask([](NewQuestion& q) { q.bounty = std::numeric_limits<std::int64_t>::max(); })},
      // Regression: the shard of a region's first question was created
      // before the catalog refused the bounty.
      {"bounty over the balance, in a region with no shard yet", ErrorCode::kInsufficientPoints,
       "points", ask([](NewQuestion& q) {
         q.location = {37.5665, 126.9780};
         q.bounty = 101;
       })},
      // Regression: the shard was created before the catalog found the
      // ext_id taken (the seed question below holds "seed-1").
      {"ext_id already used, in a region with no shard yet", ErrorCode::kConflict, "ext_id",
       ask([](NewQuestion& q) {
         q.location = {37.5665, 126.9780};
         q.ext_id = "seed-1";
       })},
      // Regression: stored, then unreadable in Python and written as year
      // -31878 in JSON (a millisecond timestamp read as seconds).
      {"created_at in milliseconds", ErrorCode::kInvalidArgument, "created_at",
       ask([](NewQuestion& q) { q.created_at = Timestamp(std::chrono::seconds(1733356800000)); })},
      {"created_at before year 1", ErrorCode::kInvalidArgument, "created_at",
       ask([](NewQuestion& q) { q.created_at = Timestamp(std::chrono::seconds(-62135596801)); })},
      {"unknown author", ErrorCode::kNotFound, "author",
       ask([](NewQuestion& q) { q.author = 9999; })},
      {"duplicate nickname", ErrorCode::kConflict, "taken",
       [](Engine& e, const User&, const Question&) { e.CreateUser("귤러버"); }},
      {"empty nickname", ErrorCode::kInvalidArgument, "nickname",
       [](Engine& e, const User&, const Question&) { e.CreateUser(""); }},
      // Regression: invisible text passed the emptiness check, and a
      // right-to-left override showed another name than the one stored.
      {"title of a zero-width space", ErrorCode::kInvalidArgument, "title is empty",
       ask([](NewQuestion& q) { q.title = "\u200b"; })},
      {"title of Hangul fillers", ErrorCode::kInvalidArgument, "title is empty",
       ask([](NewQuestion& q) { q.title = "\u3164\u115f \u3164"; })},
      {"invisible nickname", ErrorCode::kInvalidArgument, "nickname is empty",
       [](Engine& e, const User&, const Question&) { e.CreateUser("\u3164"); }},
      {"nickname with a right-to-left override", ErrorCode::kInvalidArgument, "bidirectional",
       [](Engine& e, const User&, const Question&) { e.CreateUser("\u202eabc"); }},
      {"31-character nickname", ErrorCode::kInvalidArgument, "nickname",
       [](Engine& e, const User&, const Question&) { e.CreateUser(std::string(31, 'n')); }},
      {"nickname with a control character", ErrorCode::kInvalidArgument, "nickname",
       [](Engine& e, const User&, const Question&) { e.CreateUser("nick\x1b[31m"); }},
      {"answer to an unknown question", ErrorCode::kNotFound, "question",
       [](Engine& e, const User& u, const Question& q) {
         e.PostAnswer({.question = MakeId(ShardOf(q.id), IdKind::kQuestion, 777),
                       .author = u.id, .body = "답"});
       }},
      {"answer to a malformed id", ErrorCode::kNotFound, "question",
       [](Engine& e, const User& u, const Question&) {
         e.PostAnswer({.question = -5, .author = u.id, .body = "답"});
       }},
      {"empty answer", ErrorCode::kInvalidArgument, "body",
       [](Engine& e, const User& u, const Question& q) {
         e.PostAnswer({.question = q.id, .author = u.id, .body = ""});
       }},
      {"list limit 0", ErrorCode::kInvalidArgument, "limit",
       [](Engine& e, const User&, const Question&) { e.List({.limit = 0}); }},
      {"list with a forged cursor", ErrorCode::kInvalidArgument, "cursor",
       [](Engine& e, const User&, const Question&) { e.List({.cursor = "'; DROP TABLE x"}); }},
      {"list of an unknown region", ErrorCode::kNotFound, "region",
       [](Engine& e, const User&, const Question&) { e.List({.region = "atlantis"}); }},
      // Regression: a negative reward charged the answerer; a bonus near 2^63
      // overflowed the next sum; a negative expiry refunded new bounties.
      {"negative acceptance reward", ErrorCode::kInvalidArgument, "acceptance_reward",
       open([](Options& o) { o.points.acceptance_reward = -30; })},
      {"signup bonus near 2^62", ErrorCode::kInvalidArgument, "signup_bonus",
       open([](Options& o) { o.points.signup_bonus = std::int64_t{1} << 62; })},
      {"negative bounty expiry", ErrorCode::kInvalidArgument, "bounty_expiry",
       open([](Options& o) { o.points.bounty_expiry = std::chrono::seconds(-100); })},
      {"snap distance NaN", ErrorCode::kInvalidArgument, "snap_distance_m",
       open([=](Options& o) { o.snap_distance_m = nan; })},
      {"negative busy timeout", ErrorCode::kInvalidArgument, "busy_timeout_ms",
       open([](Options& o) { o.busy_timeout_ms = -1; })},
  };
}

void PrintTo(const BadInput& row, std::ostream* out) { *out << row.name; }

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, GivesItsErrorAndWritesNothing) {
  testing::TempDir dir;
  auto engine = Engine::Open(dir.path(), testing::TestOptions());
  const User user = engine->CreateUser("귤러버");
  NewQuestion seed = Valid(user);
  seed.ext_id = "seed-1";
  const Question question = engine->Ask(seed);
  const std::string before = testing::Digest(dir.path());

  const BadInput& row = GetParam();
  try {
    row.call(*engine, user, question);
    FAIL() << row.name << ": no error";
  } catch (const Error& e) {
    EXPECT_EQ(ErrorCodeName(e.code()), ErrorCodeName(row.expected)) << e.what();
    EXPECT_NE(std::string(e.what()).find(row.message_contains), std::string::npos)
        << "message \"" << e.what() << "\" does not mention " << row.message_contains;
  }
  EXPECT_EQ(testing::Digest(dir.path()), before) << row.name << " wrote something";
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputTest, ::testing::ValuesIn(Table()),
                         [](const ::testing::TestParamInfo<BadInput>& info) {
                           std::string name;
                           for (char c : info.param.name) {
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace dongne
