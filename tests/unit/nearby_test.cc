// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Engine::Nearby, NeedsAnswer, VerifyLocation and WhoCanAnswer: results
// against a brute-force scan of everything asked (membership by
// GeodesicDistance <= radius, distances checked against GeographicLib),
// across the real Busan–Gyeongsangnam border and the coast, with the point
// index kept current by writes.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "dongne/json.h"
#include "geo/geodesic.h"
#include "test_util.h"

namespace dongne {
namespace {

using testing::TempDir;
using testing::TestNow;
using testing::TestOptions;

// Nearby tests ask many urgent questions; points are not their subject.
Options FreeOptions() {
  Options options = TestOptions();
  options.points.urgent_fee = 0;
  return options;
}

constexpr LatLon kAewol{33.4628, 126.3310};          // 애월, Jeju
constexpr LatLon kBusanGimhaeBorder{35.2181, 128.9470};  // between 김해 and 부산 강서구
constexpr LatLon kGwangalli{35.1532, 129.1187};      // 광안리: beach, sea to the south

struct Asked {
  Question question;  // as asked, with the state the test gave it since
};

class NearbyTest : public ::testing::Test {
 protected:
  void Open(Options options = FreeOptions()) {
    engine.reset();
    engine = Engine::Open(dir.path(), options);
  }

  void SetUp() override {
    Open();
    asker = engine->CreateUser("귤러버");
    local = engine->CreateUser("제주토박이");
  }

  Question AskAt(LatLon where, bool urgent = false, std::string category = "food",
                 std::vector<std::string> tags = {}, std::optional<Timestamp> at = {}) {
    return engine->Ask({.author = asker.id,
                        .title = "근처 맛집 추천해주세요",
                        .body = "현지인 추천 부탁해요",
                        .location = where,
                        .category = std::move(category),
                        .hashtags = std::move(tags),
                        .urgent = urgent,
                        .created_at = at});
  }

  // An engine over `regions` in `where` (the fixture's engine keeps the
  // built-in map).
  static std::unique_ptr<Engine> OpenWithRegions(const TempDir& where,
                                                  const std::filesystem::path& regions) {
    Options options = FreeOptions();
    options.regions_file = regions;
    return Engine::Open(where.path(), options);
  }

  TempDir dir;
  std::unique_ptr<Engine> engine;
  User asker, local;
};

// What Nearby must return: every question passing `keep` within radius
// (any distance when nullopt) after `after`, nearest first, ids breaking ties.
std::vector<std::pair<double, Id>> BruteForce(const std::vector<Question>& all, LatLon center,
                                              std::optional<double> radius,
                                              const std::function<bool(const Question&)>& keep) {
  std::vector<std::pair<double, Id>> hits;
  for (const Question& q : all) {
    const double d = geo::GeodesicDistance(center, q.location);
    if ((!radius || d <= *radius) && keep(q)) hits.emplace_back(d, q.id);
  }
  std::sort(hits.begin(), hits.end());
  return hits;
}

// Every page of `query`, concatenated.
std::vector<NearbyHit> AllPages(Engine& engine, NearbyQuery query) {
  std::vector<NearbyHit> hits;
  for (int pages = 0; pages < 10000; ++pages) {
    NearbyPage page = engine.Nearby(query);
    std::move(page.hits.begin(), page.hits.end(), std::back_inserter(hits));
    if (page.next_cursor.empty()) return hits;
    query.cursor = page.next_cursor;
  }
  ADD_FAILURE() << "paging did not end";
  return hits;
}

void ExpectHits(const std::vector<NearbyHit>& got, const std::vector<std::pair<double, Id>>& want,
                LatLon center) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].question.id, want[i].second) << "hit " << i;
    EXPECT_EQ(got[i].distance_m, want[i].first) << "hit " << i;
    const double oracle = testing::OracleDistance(center, got[i].question.location);
    EXPECT_NEAR(got[i].distance_m, oracle, std::max(1.0, oracle * 1e-3));
  }
}

// Questions around a point with random urgency, categories, tags, answers
// and acceptances.
std::vector<Question> Populate(Engine& engine, const User& asker, const User& local,
                               LatLon around, double spread_deg, int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> jitter(0, spread_deg);
  std::uniform_int_distribution<int> dice(0, 5);
  std::vector<Question> asked;
  for (int i = 0; i < n; ++i) {
    const LatLon at = i % 17 == 3 && !asked.empty()
                          ? asked.back().location  // same spot: ties by id
                          : LatLon{around.lat + jitter(rng), around.lon + jitter(rng)};
    Question q = engine.Ask({.author = asker.id,
                             .title = "질문 " + std::to_string(i),
                             .body = "본문",
                             .location = at,
                             .category = dice(rng) < 2 ? "food" : "transport",
                             .hashtags = dice(rng) == 0 ? std::vector<std::string>{"맛집"}
                                                        : std::vector<std::string>{},
                             .urgent = dice(rng) == 0,
                             .created_at = TestNow() - std::chrono::minutes(i)});
    const int fate = dice(rng);
    if (fate >= 3) {
      const Answer a = engine.PostAnswer({.question = q.id, .author = local.id, .body = "답"});
      if (fate == 5) engine.Accept(a.id, asker.id);
    }
    asked.push_back(engine.GetQuestion(q.id));
  }
  return asked;
}

void CheckRandomQueries(Engine& engine, const std::vector<Question>& asked, LatLon around,
                        double spread_deg, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> jitter(0, spread_deg);
  std::uniform_real_distribution<double> log_radius(1, 4.5);  // 10 m to 30 km
  std::uniform_int_distribution<int> k(1, 40), filter(0, 4);
  for (int i = 0; i < 60; ++i) {
    NearbyQuery query{.center = {around.lat + jitter(rng), around.lon + jitter(rng)}};
    std::function<bool(const Question&)> keep = [](const Question&) { return true; };
    switch (filter(rng)) {
      case 1:
        query.unanswered = true;
        keep = [](const Question& q) { return q.answer_count == 0; };
        break;
      case 2:
        query.urgent = true;
        query.category = "food";
        keep = [](const Question& q) { return q.urgent && q.category == "food"; };
        break;
      case 3:
        query.tag = "#맛집";
        query.status = QuestionStatus::kOpen;
        keep = [](const Question& q) {
          return q.status == QuestionStatus::kOpen &&
                 std::find(q.hashtags.begin(), q.hashtags.end(), "맛집") != q.hashtags.end();
        };
        break;
      case 4:
        query.newer_than = TestNow() - std::chrono::minutes(100);
        keep = [](const Question& q) { return q.created_at > TestNow() - std::chrono::minutes(100); };
        break;
      default: break;
    }
    const int mode = i % 3;  // radius only, k only, both
    if (mode != 1) query.radius_m = std::pow(10, log_radius(rng));
    if (mode != 0) query.k = k(rng);
    SCOPED_TRACE(::testing::Message() << "query " << i << " at " << query.center.lat << ","
                                      << query.center.lon << " mode " << mode);
    auto want = BruteForce(asked, query.center, query.radius_m, keep);
    if (mode == 0) {
      ExpectHits(AllPages(engine, query), want, query.center);
    } else {
      if (want.size() > static_cast<std::size_t>(*query.k)) want.resize(*query.k);
      ExpectHits(engine.Nearby(query).hits, want, query.center);
    }
  }
}

TEST_F(NearbyTest, CirclesOverTheBusanGyeongsangnamBorderMatchBruteForce) {
  DONGNE_REQUIRE_SHARED_DATA(provinces, "korea-provinces-2013.geojson");
  TempDir real;
  auto engine = OpenWithRegions(real, provinces);
  const User asker = engine->CreateUser("귤러버"), local = engine->CreateUser("제주토박이");
  const std::vector<Question> asked =
      Populate(*engine, asker, local, kBusanGimhaeBorder, 0.03, 400, 1);
  std::set<std::string> regions;
  for (const Question& q : asked) regions.insert(q.region);
  ASSERT_TRUE(regions.contains("busan") && regions.contains("gyeongsangnam-do"));
  CheckRandomQueries(*engine, asked, kBusanGimhaeBorder, 0.03, 2);

  // A 5 km circle on the border gathers both sides, merged by distance.
  const NearbyPage page = engine->Nearby({.center = kBusanGimhaeBorder, .radius_m = 5000, .k = 1000});
  std::set<std::string> seen;
  for (const NearbyHit& h : page.hits) seen.insert(h.question.region);
  EXPECT_TRUE(seen.contains("busan") && seen.contains("gyeongsangnam-do"));
}

TEST_F(NearbyTest, CirclesOverTheCoastReachTheDefaultShard) {
  DONGNE_REQUIRE_SHARED_DATA(provinces, "korea-provinces-2013.geojson");
  TempDir real;
  auto engine = OpenWithRegions(real, provinces);
  const User asker = engine->CreateUser("귤러버"), local = engine->CreateUser("제주토박이");
  // Spread of ~0.08° off 광안리: beach, harbour and sea beyond snapping.
  std::vector<Question> asked = Populate(*engine, asker, local, kGwangalli, 0.08, 300, 3);
  asked.push_back(engine->Ask({.author = asker.id, .title = "바다 위", .body = "배에서",
                               .location = {34.9, 129.3}}));  // ~30 km offshore
  std::set<std::string> regions;
  for (const Question& q : asked) regions.insert(q.region);
  ASSERT_TRUE(regions.contains("default") && regions.contains("busan"));
  CheckRandomQueries(*engine, asked, kGwangalli, 0.08, 4);
}

// A question snapped into a region from beyond its polygon's bounding box
// lives in that region's shard, which a small circle around the question
// does not meet unless the fan-out widens it by the snap distance.
TEST_F(NearbyTest, SmallCircleFindsAQuestionSnappedFromBeyondItsRegionsBox) {
  TempDir maps;
  const std::filesystem::path map = maps.path() / "squares.geojson";
  std::ofstream(map) << R"js({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"region":"west"},
     "geometry":{"type":"Polygon","coordinates":[[[126,33],[126.5,33],[126.5,33.5],[126,33.5],[126,33]]]}},
    {"type":"Feature","properties":{"region":"east"},
     "geometry":{"type":"Polygon","coordinates":[[[128,33],[128.5,33],[128.5,33.5],[128,33.5],[128,33]]]}}]})js";
  TempDir real;
  auto engine = OpenWithRegions(real, map);
  const User asker = engine->CreateUser("귤러버");
  const LatLon offshore{33.25, 126.52};  // ~1.9 km east of "west": snapped into it
  const Question q = engine->Ask(
      {.author = asker.id, .title = "배 위에서 질문", .body = "근처 포구", .location = offshore});
  ASSERT_EQ(q.region, "west");
  const NearbyPage page = engine->Nearby({.center = offshore, .radius_m = 100, .k = 10});
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].question.id, q.id);
  SearchQuery search{.text = "포구", .near = offshore, .radius_m = 100};
  EXPECT_EQ(engine->Search(search).hits.size(), 1u);
}

TEST_F(NearbyTest, BuiltInMapMatchesBruteForce) {
  const std::vector<Question> asked = Populate(*engine, asker, local, kAewol, 0.05, 300, 5);
  CheckRandomQueries(*engine, asked, kAewol, 0.05, 6);
}

TEST_F(NearbyTest, KNearestFindsFarQuestionsAcrossShards) {
  const Question jeju = AskAt(kAewol);
  const Question busan = AskAt({35.1587, 129.1604});
  const Question sea = AskAt({37.5, 131.5});  // East Sea: default shard
  const NearbyPage page = engine->Nearby({.center = {37.4, 131.4}, .k = 3});
  ASSERT_EQ(page.hits.size(), 3u);
  EXPECT_EQ(page.hits[0].question.id, sea.id);
  EXPECT_EQ(page.hits[1].question.id, busan.id);
  EXPECT_EQ(page.hits[2].question.id, jeju.id);
  EXPECT_TRUE(page.next_cursor.empty());
  // From the other side of the Earth, still all three.
  EXPECT_EQ(engine->Nearby({.center = {-35, -50}, .k = 10}).hits.size(), 3u);
  const NearbyPage two = engine->Nearby({.center = {37.4, 131.4}, .k = 2});
  ASSERT_EQ(two.hits.size(), 2u);
  const NearbyPage rest = engine->Nearby({.center = {37.4, 131.4}, .k = 2, .cursor = two.next_cursor});
  ASSERT_EQ(rest.hits.size(), 1u);
  EXPECT_EQ(rest.hits[0].question.id, jeju.id);
}

// Regression: a cursor was only a position (distance, id), so one from a
// query about another centre or filters was read as a position in this one,
// and the page skipped every question nearer than that. A cursor now names
// its query; the page size may change between pages.
TEST_F(NearbyTest, ACursorOfAnotherQueryIsRefused) {
  for (int i = 0; i < 4; ++i) AskAt({33.4628 + i * 0.001, 126.3310});
  const std::string jeju = engine->Nearby({.center = kAewol, .k = 2}).next_cursor;
  ASSERT_FALSE(jeju.empty());
  EXPECT_EQ(engine->Nearby({.center = kAewol, .k = 3, .cursor = jeju}).hits.size(), 2u);
  for (const NearbyQuery& other :
       {NearbyQuery{.center = {35.1587, 129.1604}, .k = 2, .cursor = jeju},
        NearbyQuery{.center = kAewol, .radius_m = 5000, .k = 2, .cursor = jeju},
        NearbyQuery{.center = kAewol, .k = 2, .unanswered = true, .cursor = jeju},
        NearbyQuery{.center = kAewol, .k = 2, .category = "food", .cursor = jeju}}) {
    try {
      engine->Nearby(other);
      ADD_FAILURE() << "a cursor of another query was taken";
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("another nearby query"), std::string::npos) << e.what();
    }
  }
  const std::string feed = engine->NeedsAnswer({.center = kAewol, .limit = 2}).next_cursor;
  ASSERT_FALSE(feed.empty());
  EXPECT_NO_THROW(engine->NeedsAnswer({.center = kAewol, .limit = 5, .cursor = feed}));
  EXPECT_THROW(engine->NeedsAnswer({.center = kAewol, .radius_m = 100, .cursor = feed}),
               InvalidArgument);
  EXPECT_THROW(engine->NeedsAnswer({.center = {33.5, 126.5}, .cursor = feed}), InvalidArgument);
}

TEST_F(NearbyTest, IndexFollowsAnswersAcceptanceAndNewQuestions) {
  const Question q = AskAt(kAewol);
  const NearbyQuery open{.center = kAewol, .radius_m = 100, .unanswered = true};
  ASSERT_EQ(engine->Nearby(open).hits.size(), 1u);  // loads the index
  const Answer a = engine->PostAnswer({.question = q.id, .author = local.id, .body = "숙성도"});
  EXPECT_TRUE(engine->Nearby(open).hits.empty());
  NearbyQuery accepted{.center = kAewol, .radius_m = 100, .status = QuestionStatus::kAccepted};
  EXPECT_TRUE(engine->Nearby(accepted).hits.empty());
  engine->Accept(a.id, asker.id);
  ASSERT_EQ(engine->Nearby(accepted).hits.size(), 1u);
  EXPECT_EQ(engine->Nearby(accepted).hits[0].question.status, QuestionStatus::kAccepted);
  const Question later = AskAt({33.4629, 126.3310});
  const NearbyPage page = engine->Nearby({.center = kAewol, .radius_m = 100, .unanswered = true});
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].question.id, later.id);
  EXPECT_NEAR(page.hits[0].distance_m, testing::OracleDistance(kAewol, later.location), 1);

  // Reopened, the index is read back from store.db.
  Open();
  EXPECT_EQ(engine->Nearby({.center = kAewol, .radius_m = 100}).hits.size(), 2u);
  EXPECT_EQ(engine->Nearby(accepted).hits.size(), 1u);
}

// Two engines on one directory, as two processes would be: each one's
// point index follows what the other writes.
TEST_F(NearbyTest, IndexFollowsAnotherEnginesWrites) {
  const Question q = AskAt(kAewol);
  const NearbyQuery open{.center = kAewol, .radius_m = 100, .unanswered = true};
  ASSERT_EQ(engine->Nearby(open).hits.size(), 1u);  // loads the index
  auto second = Engine::Open(dir.path(), FreeOptions());
  ASSERT_EQ(second->Nearby(open).hits.size(), 1u);
  const Question later = second->Ask(
      {.author = asker.id, .title = "애월 카페", .body = "바다 보이는 곳", .location = {33.4629, 126.3310}});
  const Answer a = second->PostAnswer({.question = q.id, .author = local.id, .body = "숙성도"});
  const NearbyPage page = engine->Nearby(open);
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].question.id, later.id);
  engine->Accept(a.id, asker.id);
  const NearbyQuery accepted{.center = kAewol, .radius_m = 100, .status = QuestionStatus::kAccepted};
  ASSERT_EQ(second->Nearby(accepted).hits.size(), 1u);
  EXPECT_EQ(second->Nearby(accepted).hits[0].question.id, q.id);
}

// So many changes by another engine that the index reads the shard again
// instead of one question at a time: the result is the same.
TEST_F(NearbyTest, IndexFollowsAnotherEnginesLargeImport) {
  AskAt(kAewol);
  ASSERT_EQ(engine->Nearby({.center = kAewol, .radius_m = 1000}).hits.size(), 1u);
  const std::filesystem::path jsonl = dir / "many.jsonl";
  {
    std::ofstream out(jsonl);
    for (int i = 0; i < 20005; ++i) {
      // Five within 1 km of 애월, the rest around 서귀포 (the same shard).
      const LatLon at = i < 5 ? LatLon{33.4628 + 0.001 * i, 126.3320}
                              : LatLon{33.25 + 0.00001 * (i % 1000), 126.56 + 0.00001 * (i / 1000)};
      out << nlohmann::json{{"type", "question"}, {"ext_id", "m" + std::to_string(i)},
                            {"author", "a"}, {"title", "질문"}, {"body", "본문"},
                            {"lat", at.lat}, {"lon", at.lon}}
                 .dump()
          << "\n";
    }
  }
  auto second = Engine::Open(dir.path(), FreeOptions());
  ASSERT_EQ(second->Import(jsonl).questions_added, 20005);
  EXPECT_EQ(engine->Nearby({.center = kAewol, .radius_m = 1000}).hits.size(), 6u);
  EXPECT_EQ(engine->Nearby({.center = {33.255, 126.565}, .radius_m = 5000, .k = 1000}).hits.size(),
            1000u);
}

TEST_F(NearbyTest, ImportedQuestionsAndAnswersAreIndexed) {
  AskAt(kAewol);
  ASSERT_EQ(engine->Nearby({.center = kAewol, .radius_m = 1000}).hits.size(), 1u);
  const std::filesystem::path jsonl = dir / "in.jsonl";
  std::ofstream(jsonl) << R"({"type":"question","ext_id":"q1","author":"a","title":"t","body":"b","lat":33.4630,"lon":126.3311})"
                       << "\n"
                       << R"({"type":"answer","ext_id":"a1","question_ext_id":"q1","author":"c","body":"d"})"
                       << "\n";
  ASSERT_EQ(engine->Import(jsonl).errors, 0);
  EXPECT_EQ(engine->Nearby({.center = kAewol, .radius_m = 1000}).hits.size(), 2u);
  EXPECT_EQ(engine->Nearby({.center = kAewol, .radius_m = 1000, .unanswered = true}).hits.size(), 1u);
}

TEST_F(NearbyTest, DegenerateInputIsRefusedOrAnsweredCorrectly) {
  const Question q = AskAt(kAewol);
  AskAt({33.47, 126.34});
  const auto invalid = [&](NearbyQuery query, const std::string& field) {
    try {
      engine->Nearby(query);
      ADD_FAILURE() << "accepted " << field;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  invalid({.center = kAewol}, "radius_m");
  invalid({.center = kAewol, .radius_m = -1}, "radius_m");
  invalid({.center = kAewol, .radius_m = nan}, "radius_m");
  invalid({.center = kAewol, .radius_m = inf}, "radius_m");
  invalid({.center = kAewol, .radius_m = 20'004'001}, "radius_m");
  invalid({.center = kAewol, .k = 0}, "k");
  invalid({.center = kAewol, .k = -5}, "k");
  invalid({.center = kAewol, .k = 1001}, "k");
  invalid({.center = {nan, 126}, .k = 1}, "center");
  invalid({.center = {33, 181}, .k = 1}, "center");
  invalid({.center = kAewol, .k = 1, .category = "맛집"}, "category");
  invalid({.center = kAewol, .k = 1, .tag = "a b"}, "hashtag");
  invalid({.center = kAewol, .k = 1, .cursor = "garbage"}, "cursor");
  // A real cursor's kind and query, with a forged position.
  const std::string real = engine->Nearby({.center = kAewol, .k = 1}).next_cursor;
  ASSERT_FALSE(real.empty());
  const std::string head = real.substr(0, real.find(':', 3) + 1);
  invalid({.center = kAewol, .k = 1, .cursor = head + "-3:5"}, "cursor");
  invalid({.center = kAewol, .k = 1, .cursor = head + "nan:5"}, "cursor");
  invalid({.center = kAewol, .k = 1, .cursor = head + "1:2:3"}, "cursor");

  // Radius 0: the questions exactly at the centre.
  const NearbyPage exact = engine->Nearby({.center = kAewol, .radius_m = 0});
  ASSERT_EQ(exact.hits.size(), 1u);
  EXPECT_EQ(exact.hits[0].question.id, q.id);
  EXPECT_EQ(exact.hits[0].distance_m, 0);
  // Half the Earth holds everything, from anywhere.
  EXPECT_EQ(engine->Nearby({.center = {-33.46, -53.67}, .radius_m = 20'004'000}).hits.size(), 2u);
  EXPECT_EQ(engine->Nearby({.center = {90, 0}, .radius_m = 20'004'000, .k = 1000}).hits.size(), 2u);
  // An empty engine area, a pole, the antimeridian.
  EXPECT_TRUE(engine->Nearby({.center = {-90, 180}, .radius_m = 1000}).hits.empty());
  EXPECT_TRUE(engine->Nearby({.center = {0, -180}, .k = 1000, .unanswered = true,
                              .status = QuestionStatus::kClosed}).hits.empty());
}

TEST_F(NearbyTest, FeedPutsUrgentThenLongestWaitingThenNearest) {
  const Timestamp now = TestNow();
  const Question old_far = AskAt({33.47, 126.33}, false, "food", {}, now - std::chrono::hours(5));
  const Question old_near = AskAt({33.463, 126.331}, false, "food", {}, now - std::chrono::hours(5));
  const Question urgent_new = AskAt({33.465, 126.332}, true, "food", {}, now - std::chrono::minutes(1));
  const Question fresh = AskAt({33.4628, 126.3310}, false, "food", {}, now - std::chrono::minutes(3));
  const Question answered = AskAt({33.4628, 126.3311}, true, "food", {}, now - std::chrono::hours(9));
  engine->PostAnswer({.question = answered.id, .author = local.id, .body = "답"});
  AskAt({33.9, 126.9}, true, "food", {}, now - std::chrono::hours(9));  // beyond the radius

  const std::vector<FeedHit> feed = engine->NeedsAnswer({.center = kAewol, .radius_m = 5000}).hits;
  std::vector<Id> order;
  for (const FeedHit& h : feed) order.push_back(h.question.id);
  EXPECT_EQ(order, (std::vector<Id>{urgent_new.id, old_near.id, old_far.id, fresh.id}));
  EXPECT_EQ(feed[0].waiting_s, 60);
  EXPECT_EQ(feed[1].waiting_s, 5 * 3600);
  EXPECT_NEAR(feed[1].distance_m, testing::OracleDistance(kAewol, old_near.location), 1);
  EXPECT_LT(feed[1].distance_m, feed[2].distance_m);
  EXPECT_EQ(engine->NeedsAnswer({.center = kAewol, .radius_m = 5000, .limit = 2}).hits.size(), 2u);
  EXPECT_TRUE(
      engine->NeedsAnswer({.center = kAewol, .radius_m = 5000, .category = "lodging"}).hits.empty());
  const std::string real = engine->NeedsAnswer({.center = kAewol, .limit = 1}).next_cursor;
  ASSERT_FALSE(real.empty());
  const std::string head = real.substr(0, real.find(':', 3) + 1);
  EXPECT_THROW(engine->NeedsAnswer({.center = kAewol, .cursor = "n2:" + real.substr(3)}),
               InvalidArgument);
  EXPECT_THROW(engine->NeedsAnswer({.center = kAewol, .cursor = head + "2:0:1:2"}), InvalidArgument);
  EXPECT_THROW(engine->NeedsAnswer({.center = kAewol, .cursor = head + "0:0:1"}), InvalidArgument);
  EXPECT_THROW(engine->NeedsAnswer({.center = kAewol, .radius_m = -1}), InvalidArgument);
  EXPECT_THROW(engine->NeedsAnswer({.center = kAewol, .limit = 0}), InvalidArgument);
}

TEST_F(NearbyTest, FeedMatchesBruteForceOnRandomQuestions) {
  const std::vector<Question> asked = Populate(*engine, asker, local, kAewol, 0.03, 300, 7);
  std::vector<const Question*> want;
  for (const Question& q : asked) {
    if (q.answer_count == 0 && q.status == QuestionStatus::kOpen &&
        geo::GeodesicDistance(kAewol, q.location) <= 3000) {
      want.push_back(&q);
    }
  }
  std::sort(want.begin(), want.end(), [](const Question* a, const Question* b) {
    const double da = geo::GeodesicDistance(kAewol, a->location);
    const double db = geo::GeodesicDistance(kAewol, b->location);
    return std::tuple(!a->urgent, a->created_at, da, a->id) <
           std::tuple(!b->urgent, b->created_at, db, b->id);
  });
  ASSERT_GT(want.size(), 14u);  // enough for three pages of 7
  const FeedPage all = engine->NeedsAnswer({.center = kAewol, .radius_m = 3000, .limit = 1000});
  EXPECT_TRUE(all.next_cursor.empty());
  ASSERT_EQ(all.hits.size(), want.size());
  for (std::size_t i = 0; i < all.hits.size(); ++i) EXPECT_EQ(all.hits[i].question.id, want[i]->id);
  // Paging, 7 at a time, walks the same feed.
  std::vector<Id> paged;
  FeedQuery query{.center = kAewol, .radius_m = 3000, .limit = 7};
  for (;;) {
    const FeedPage page = engine->NeedsAnswer(query);
    for (const FeedHit& h : page.hits) paged.push_back(h.question.id);
    if (page.next_cursor.empty()) break;
    query.cursor = page.next_cursor;
  }
  ASSERT_EQ(paged.size(), want.size());
  for (std::size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i], want[i]->id);
}

TEST_F(NearbyTest, VerifyLocationRecordsTheHomeNeighbourhood) {
  const Home home = engine->VerifyLocation(local.id, kAewol);
  EXPECT_EQ(home.neighborhood, "jeju");  // no neighbourhood map: the region key
  EXPECT_EQ(home.verified_at, TestNow());
  ASSERT_TRUE(engine->GetHome(local.id));
  EXPECT_EQ(engine->GetHome(local.id)->location.lat, kAewol.lat);
  EXPECT_FALSE(engine->GetHome(asker.id));
  engine->VerifyLocation(local.id, {35.1587, 129.1604});
  EXPECT_EQ(engine->GetHome(local.id)->neighborhood, "busan");
  EXPECT_EQ(engine->VerifyLocation(local.id, {37.5, 131.5}).neighborhood, "default");
  EXPECT_THROW(engine->VerifyLocation(999, kAewol), NotFound);
  EXPECT_THROW(engine->GetHome(999), NotFound);
  EXPECT_THROW(engine->VerifyLocation(local.id, {91, 0}), InvalidArgument);
  Open();
  EXPECT_EQ(engine->GetHome(local.id)->neighborhood, "default");
}

TEST_F(NearbyTest, VerifyLocationNamesTheRealNeighbourhood) {
  DONGNE_REQUIRE_SHARED_DATA(dongs, "korea-neighborhoods-2013.geojson");
  Options options = FreeOptions();
  options.neighborhoods_file = dongs;
  TempDir real;
  auto engine = Engine::Open(real.path(), options);
  const User user = engine->CreateUser("애월주민");
  EXPECT_EQ(engine->VerifyLocation(user.id, kAewol).neighborhood, "애월읍");
}

TEST_F(NearbyTest, CatalogMigratesToHomesFromVersionOne) {
  engine.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "catalog.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TABLE homes; ALTER TABLE shards DROP COLUMN escrows_checked_below; "
                         "PRAGMA user_version = 1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Open();
  engine->VerifyLocation(local.id, kAewol);
  EXPECT_TRUE(engine->GetHome(local.id));
}

TEST_F(NearbyTest, WhoCanAnswerRanksVerifiedNeighboursAndSkipsTheAsker) {
  const Question q = AskAt(kAewol);
  const User near_idle = engine->CreateUser("옆집");
  const User near_busy = engine->CreateUser("동네고수");
  const User far = engine->CreateUser("서울사람");
  const User unverified = engine->CreateUser("미인증");
  engine->VerifyLocation(asker.id, kAewol);
  engine->VerifyLocation(near_idle.id, {33.4630, 126.3312});  // ~30 m
  engine->VerifyLocation(near_busy.id, {33.4800, 126.3500});  // ~2.6 km
  engine->VerifyLocation(far.id, {37.5665, 126.9780});
  (void)unverified;
  // near_busy answered ten times recently, and one answer was accepted:
  // that outweighs being 2.6 km away rather than next door.
  for (int i = 0; i < 10; ++i) {
    const Question other = AskAt({33.46, 126.33});
    const Answer a = engine->PostAnswer({.question = other.id, .author = near_busy.id, .body = "답"});
    if (i == 0) engine->Accept(a.id, asker.id);
  }
  // An old answer counts for acceptance history but not recent activity.
  const Question old = AskAt({33.46, 126.33});
  engine->PostAnswer({.question = old.id, .author = near_idle.id, .body = "옛날 답",
                      .created_at = TestNow() - std::chrono::days(40)});

  const std::vector<Answerer> who = engine->WhoCanAnswer(q.id);
  ASSERT_EQ(who.size(), 2u);
  EXPECT_EQ(who[0].user.id, near_busy.id);
  EXPECT_EQ(who[0].recent_answers, 10);
  EXPECT_EQ(who[0].accepted_answers, 1);
  EXPECT_EQ(who[1].user.id, near_idle.id);
  EXPECT_EQ(who[1].recent_answers, 0);
  EXPECT_EQ(who[1].user.nickname, "옆집");
  EXPECT_NEAR(who[1].distance_m, testing::OracleDistance(who[1].home.location, kAewol), 1);
  EXPECT_GT(who[0].score, who[1].score);
  // A 1 km radius leaves only the next-door neighbour; limit 1 only the best.
  ASSERT_EQ(engine->WhoCanAnswer(q.id, 1000).size(), 1u);
  EXPECT_EQ(engine->WhoCanAnswer(q.id, 1000)[0].user.id, near_idle.id);
  EXPECT_EQ(engine->WhoCanAnswer(q.id, 5000, 1).size(), 1u);
  EXPECT_THROW(engine->WhoCanAnswer(q.id, -1), InvalidArgument);
  EXPECT_THROW(engine->WhoCanAnswer(12345), NotFound);
}

TEST_F(NearbyTest, QueriesRunWhileWritersAskAndAnswer) {
  constexpr int kWriters = 2, kPerWriter = 40;
  std::atomic<int> writers_left{kWriters};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerWriter; ++i) {
        const Question q = AskAt({kAewol.lat + 0.001 * w, kAewol.lon + 0.0001 * i});
        if (i % 2) engine->PostAnswer({.question = q.id, .author = local.id, .body = "답"});
      }
      --writers_left;
    });
  }
  std::atomic<int> queries{0};
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&] {
      while (writers_left > 0) {
        const NearbyPage page = engine->Nearby({.center = kAewol, .radius_m = 10000, .k = 1000});
        for (std::size_t i = 1; i < page.hits.size(); ++i) {
          EXPECT_LE(page.hits[i - 1].distance_m, page.hits[i].distance_m);
        }
        engine->NeedsAnswer({.center = kAewol, .radius_m = 10000});
        ++queries;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_GT(queries.load(), 0);
  EXPECT_EQ(engine->Nearby({.center = kAewol, .radius_m = 10000, .k = 1000}).hits.size(),
            std::size_t{kWriters * kPerWriter});
  EXPECT_EQ(engine->NeedsAnswer({.center = kAewol, .radius_m = 10000, .limit = 1000}).hits.size(),
            std::size_t{kWriters * kPerWriter / 2});
}

TEST_F(NearbyTest, GeoJsonIsAFeatureCollectionOfPoints) {
  const Question q = AskAt(kAewol, true, "food", {"맛집"});
  const NearbyPage page = engine->Nearby({.center = kAewol, .k = 5});
  const nlohmann::json geo = nlohmann::json::parse(NearbyGeoJson(page));
  EXPECT_EQ(geo["type"], "FeatureCollection");
  ASSERT_EQ(geo["features"].size(), 1u);
  const auto& f = geo["features"][0];
  EXPECT_EQ(f["type"], "Feature");
  EXPECT_EQ(f["geometry"]["type"], "Point");
  EXPECT_EQ(f["geometry"]["coordinates"][0], kAewol.lon);
  EXPECT_EQ(f["geometry"]["coordinates"][1], kAewol.lat);
  EXPECT_EQ(f["properties"]["id"], q.id);
  EXPECT_EQ(f["properties"]["hashtags"][0], "맛집");
  EXPECT_EQ(f["properties"]["distance_m"], 0.0);
  EXPECT_EQ(f["properties"]["status"], "open");
  EXPECT_EQ(geo["next_cursor"], nullptr);  // the last page
  EXPECT_EQ(nlohmann::json::parse(NearbyGeoJson({}))["features"].size(), 0u);
}

// Regression: the collection had no cursor, so a map could not page.
TEST_F(NearbyTest, GeoJsonCarriesThePagesCursor) {
  for (int i = 0; i < 3; ++i) AskAt(kAewol, false, "food", {});
  const NearbyPage first = engine->Nearby({.center = kAewol, .radius_m = 1000, .k = 2});
  ASSERT_FALSE(first.next_cursor.empty());
  const nlohmann::json geo = nlohmann::json::parse(NearbyGeoJson(first));
  EXPECT_EQ(geo["next_cursor"], first.next_cursor);
  const NearbyPage second =
      engine->Nearby({.center = kAewol, .radius_m = 1000, .k = 2, .cursor = geo["next_cursor"].get<std::string>()});
  EXPECT_EQ(second.hits.size(), 1u);
}

// The properties are the question's JSON (dongne/json.h), the object the
// hosts print, in its order, with distance_m after it.
TEST_F(NearbyTest, GeoJsonPropertiesAreTheQuestionJsonThenDistance) {
  AskAt(kAewol, true, "food", {"맛집", "고기국수"});
  const NearbyPage page = engine->Nearby({.center = kAewol, .k = 5});
  ASSERT_EQ(page.hits.size(), 1u);
  const auto geo = nlohmann::ordered_json::parse(NearbyGeoJson(page));
  nlohmann::ordered_json expected = page.hits[0].question;
  expected["distance_m"] = page.hits[0].distance_m;
  EXPECT_EQ(geo["features"][0]["properties"], expected);
  EXPECT_EQ(expected.begin().key(), "id");
  EXPECT_EQ(expected["ext_id"], nullptr);  // none given: null, not ""
  EXPECT_EQ(expected["accepted_answer"], nullptr);
  EXPECT_EQ(expected["created_at"], FormatRfc3339(page.hits[0].question.created_at));
}

}  // namespace
}  // namespace dongne
