// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The Engine's storage contract: users, questions, answers, acceptance,
// likes, ids, reopening and schema versions.

#include "dongne/engine.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "dongne/error.h"
#include "engine/ids.h"
#include "test_util.h"

namespace dongne {
namespace {

using testing::ExecOn;
using testing::TempDir;
using testing::TestOptions;

constexpr LatLon kAewol{33.4628, 126.3310};       // 애월, Jeju
constexpr LatLon kHaeundae{35.1587, 129.1604};    // 해운대, Busan
constexpr LatLon kEastSea{37.5, 131.5};           // at sea, far from land

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine = Engine::Open(dir.path(), TestOptions());
    asker = engine->CreateUser("귤러버");
    local = engine->CreateUser("제주토박이");
    other = engine->CreateUser("부산갈매기");
  }

  Question AskAt(LatLon where, const std::string& title = "애월 흑돼지 맛집 추천해주세요") {
    return engine->Ask({.author = asker.id,
                        .title = title,
                        .body = "가족 여행인데 현지인 맛집 알려주세요",
                        .location = where,
                        .category = "food",
                        .hashtags = {"#맛집", "흑돼지"}});
  }

  TempDir dir;
  std::unique_ptr<Engine> engine;
  User asker, local, other;
};

TEST_F(EngineTest, CreatesCatalogAndShardOnFirstQuestion) {
  EXPECT_TRUE(std::filesystem::exists(dir / "catalog.db"));
  EXPECT_FALSE(std::filesystem::exists(dir / "shards/jeju/store.db"));
  AskAt(kAewol);
  EXPECT_TRUE(std::filesystem::exists(dir / "shards/jeju/store.db"));
}

TEST_F(EngineTest, AskStoresNormalisedQuestionInItsRegion) {
  const Question q = engine->Ask({.author = asker.id,
                                  .title = "  애월 흑돼지 맛집?  ",
                                  .body = "추천\n부탁해요",
                                  .location = kAewol,
                                  .category = "food",
                                  .hashtags = {"#맛집", "ＪＥＪＵ", "맛집", "##Jeju"},
                                  .urgent = true,
                                  .bounty = 20});
  EXPECT_EQ(q.region, "jeju");
  EXPECT_EQ(q.title, "애월 흑돼지 맛집?");
  EXPECT_EQ(q.hashtags, (std::vector<std::string>{"맛집", "jeju"}));
  const Question stored = engine->GetQuestion(q.id);
  EXPECT_EQ(stored.title, q.title);
  EXPECT_EQ(stored.body, "추천\n부탁해요");
  EXPECT_EQ(stored.author, "귤러버");
  EXPECT_EQ(stored.author_id, asker.id);
  EXPECT_EQ(stored.hashtags, q.hashtags);
  EXPECT_TRUE(stored.urgent);
  EXPECT_EQ(stored.bounty, 20);
  EXPECT_EQ(stored.status, QuestionStatus::kOpen);
  EXPECT_EQ(stored.created_at, testing::TestNow());
  EXPECT_DOUBLE_EQ(stored.location.lat, kAewol.lat);
  EXPECT_DOUBLE_EQ(stored.location.lon, kAewol.lon);
}

TEST_F(EngineTest, IdsEncodeShardAndKindAndStayJavaScriptSafe) {
  const Question jeju = AskAt(kAewol);
  const Question busan = AskAt(kHaeundae, "해운대 돼지국밥 어디가 맛있나요");
  const Answer a = engine->PostAnswer({.question = jeju.id, .author = local.id, .body = "숙성도"});
  EXPECT_NE(ShardOf(jeju.id), ShardOf(busan.id));
  EXPECT_EQ(ShardOf(a.id), ShardOf(jeju.id));
  EXPECT_EQ(KindOf(jeju.id), IdKind::kQuestion);
  EXPECT_EQ(KindOf(a.id), IdKind::kAnswer);
  for (Id id : {jeju.id, busan.id, a.id}) EXPECT_LT(id, Id{1} << 53);
  // An answer id is not a question id and vice versa.
  EXPECT_THROW(engine->GetQuestion(a.id), NotFound);
  EXPECT_THROW(engine->GetAnswer(jeju.id), NotFound);
}

TEST_F(EngineTest, PointFarAtSeaGoesToDefaultShard) {
  EXPECT_EQ(AskAt(kEastSea).region, "default");
  EXPECT_TRUE(std::filesystem::exists(dir / "shards/default/store.db"));
}

TEST_F(EngineTest, AnswerMovesQuestionToAnsweredAndCounts) {
  const Question q = AskAt(kAewol);
  engine->PostAnswer({.question = q.id, .author = local.id, .body = "숙성도 추천"});
  engine->PostAnswer({.question = q.id, .author = other.id, .body = "돈사돈도 좋아요"});
  const Question after = engine->GetQuestion(q.id);
  EXPECT_EQ(after.status, QuestionStatus::kAnswered);
  EXPECT_EQ(after.answer_count, 2);
  const std::vector<Answer> answers = engine->ListAnswers(q.id);
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].body, "숙성도 추천");
  EXPECT_EQ(answers[1].author, "부산갈매기");
}

TEST_F(EngineTest, AskerAcceptsAnotherUsersAnswerOnce) {
  const Question q = AskAt(kAewol);
  const Answer a = engine->PostAnswer({.question = q.id, .author = local.id, .body = "숙성도"});
  const Answer accepted = engine->Accept(a.id, asker.id);
  EXPECT_TRUE(accepted.accepted);
  const Question after = engine->GetQuestion(q.id);
  EXPECT_EQ(after.status, QuestionStatus::kAccepted);
  EXPECT_EQ(after.accepted_answer, a.id);
  EXPECT_TRUE(engine->GetAnswer(a.id).accepted);
  // Accepting the same answer again is idempotent.
  EXPECT_TRUE(engine->Accept(a.id, asker.id).accepted);
}

TEST_F(EngineTest, AcceptanceRulesRefuseAndChangeNothing) {
  const Question q = AskAt(kAewol);
  const Answer mine = engine->PostAnswer({.question = q.id, .author = asker.id, .body = "자답"});
  const Answer theirs = engine->PostAnswer({.question = q.id, .author = local.id, .body = "답"});
  const Answer second = engine->PostAnswer({.question = q.id, .author = other.id, .body = "답2"});

  const std::string before = testing::Digest(dir.path());
  EXPECT_THROW(engine->Accept(theirs.id, other.id), Refused);  // not the asker
  EXPECT_THROW(engine->Accept(mine.id, asker.id), Refused);    // own answer
  EXPECT_THROW(engine->Accept(theirs.id, 9999), NotFound);     // unknown user
  EXPECT_THROW(engine->Accept(MakeId(1, IdKind::kAnswer, 999), asker.id), NotFound);
  EXPECT_EQ(testing::Digest(dir.path()), before);

  engine->Accept(theirs.id, asker.id);
  const std::string accepted = testing::Digest(dir.path());
  try {
    engine->Accept(second.id, asker.id);
    FAIL() << "a second acceptance was allowed";
  } catch (const Conflict& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(theirs.id)), std::string::npos);
  }
  EXPECT_EQ(testing::Digest(dir.path()), accepted);
}

TEST_F(EngineTest, AcceptedQuestionStillTakesAnswersAndStaysAccepted) {
  const Question q = AskAt(kAewol);
  const Answer a = engine->PostAnswer({.question = q.id, .author = local.id, .body = "숙성도"});
  engine->Accept(a.id, asker.id);
  engine->PostAnswer({.question = q.id, .author = other.id, .body = "늦었지만 돈사돈도"});
  const Question after = engine->GetQuestion(q.id);
  EXPECT_EQ(after.status, QuestionStatus::kAccepted);
  EXPECT_EQ(after.answer_count, 2);
  EXPECT_EQ(after.accepted_answer, a.id);
}

TEST_F(EngineTest, LikesAreOnePerUserAndCanBeWithdrawn) {
  const Question q = AskAt(kAewol);
  const Answer a = engine->PostAnswer({.question = q.id, .author = local.id, .body = "숙성도"});
  EXPECT_EQ(engine->Like(local.id, q.id), 1);
  EXPECT_EQ(engine->Like(local.id, q.id), 1);  // idempotent
  EXPECT_EQ(engine->Like(other.id, q.id), 2);
  EXPECT_EQ(engine->Like(asker.id, a.id), 1);
  EXPECT_EQ(engine->GetQuestion(q.id).likes, 2);
  EXPECT_EQ(engine->GetAnswer(a.id).likes, 1);
  EXPECT_EQ(engine->Unlike(local.id, q.id), 1);
  EXPECT_EQ(engine->Unlike(local.id, q.id), 1);  // idempotent
  EXPECT_EQ(engine->GetQuestion(q.id).likes, 1);
  EXPECT_THROW(engine->Like(asker.id, q.id), Refused);  // own question
  EXPECT_THROW(engine->Like(9999, q.id), NotFound);
  EXPECT_THROW(engine->Like(local.id, MakeId(ShardOf(q.id), IdKind::kQuestion, 999)), NotFound);
}

TEST_F(EngineTest, NicknamesAreNormalisedUniqueAndNotLookalikes) {
  // NFC: 한 spelled as conjoining jamo is the same nickname.
  EXPECT_THROW(engine->CreateUser("\u1100\u1172\u11af러버"), Conflict);
  EXPECT_THROW(engine->CreateUser("귤러버"), Conflict);
  const User latin = engine->CreateUser("Jeju");
  EXPECT_THROW(engine->CreateUser("J\u0435ju"), Conflict);  // Cyrillic е
  EXPECT_THROW(engine->CreateUser("ＪＥＪＵ"), Conflict);
  EXPECT_EQ(engine->FindUser("Jeju").id, latin.id);
  EXPECT_EQ(engine->GetUser(latin.id).nickname, "Jeju");
  EXPECT_THROW(engine->FindUser("없는사람"), NotFound);
  EXPECT_THROW(engine->GetUser(424242), NotFound);
}

TEST_F(EngineTest, SqlMetacharactersAndEmojiAreStoredVerbatim) {
  const std::string title = "'; DROP TABLE questions; -- \"%_ 🍊🐷";
  const Question q = AskAt(kAewol, title);
  EXPECT_EQ(engine->GetQuestion(q.id).title, title);
  EXPECT_EQ(engine->List({}).questions.size(), 1u);
}

TEST_F(EngineTest, ExtIdIsUniquePerEngine) {
  engine->Ask({.author = asker.id, .title = "t", .body = "b", .location = kAewol,
               .ext_id = "q1"});
  EXPECT_THROW(engine->Ask({.author = asker.id, .title = "t2", .body = "b", .location = kHaeundae,
                            .ext_id = "q1"}),
               Conflict);
}

TEST_F(EngineTest, ReopenSeesEverythingWritten) {
  const Question q = AskAt(kAewol);
  const Answer a = engine->PostAnswer({.question = q.id, .author = local.id, .body = "숙성도"});
  engine->Accept(a.id, asker.id);
  engine.reset();
  engine = Engine::Open(dir.path(), TestOptions());
  EXPECT_EQ(engine->GetQuestion(q.id).status, QuestionStatus::kAccepted);
  EXPECT_EQ(engine->FindUser("제주토박이").id, local.id);
  EXPECT_EQ(engine->List({}).questions.size(), 1u);
}

TEST(EngineOpen, MissingDirectoryIsNotFoundWithoutCreateIfMissing) {
  TempDir dir;
  Options options = TestOptions();
  options.create_if_missing = false;
  EXPECT_THROW(Engine::Open(dir / "absent", options), NotFound);
  EXPECT_FALSE(std::filesystem::exists(dir / "absent"));
}

TEST(EngineOpen, NewerSchemaIsRefusedWithBothVersions) {
  TempDir dir;
  Engine::Open(dir.path(), TestOptions());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "catalog.db").c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  try {
    Engine::Open(dir.path(), TestOptions());
    FAIL() << "a newer schema was opened";
  } catch (const Refused& e) {
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

// Writes `text` to `path`.
void WriteText(const std::filesystem::path& path, const char* text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fputs(text, f);
  std::fclose(f);
}

// A map of one region, "x", written to `path`.
std::filesystem::path WriteOneRegionMap(const std::filesystem::path& path) {
  WriteText(path, R"({"type":"FeatureCollection","features":[{"type":"Feature",
    "properties":{"region":"x"},"geometry":{"type":"Polygon",
    "coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]})");
  return path;
}

TEST(EngineOpen, AFileThatIsNotADatabaseIsCorruption) {
  TempDir dir;
  WriteText(dir / "catalog.db",
            "this is not a SQLite database, just some text that is long enough");
  EXPECT_THROW(Engine::Open(dir.path(), TestOptions()), Corruption);
}

// Regression: an engine whose creation was killed before its region map was
// stored was opened by the next command on the built-in map, and creating it
// again with its map was then refused as a re-sharding.
TEST(EngineOpen, ACreationCutShortIsFinishedOnlyByAnOpenThatMayCreate) {
  TempDir dir;
  Engine::Open(dir.path(), TestOptions());
  ASSERT_EQ(ExecOn(dir / "catalog.db", "DELETE FROM meta WHERE key IN ('regions', 'neighborhoods')"), 2);
  Options existing = TestOptions();
  existing.create_if_missing = false;
  EXPECT_THROW(Engine::Open(dir.path(), existing), NotFound);
  Options create = TestOptions();
  create.regions_file = WriteOneRegionMap(dir / "one.geojson").string();
  EXPECT_EQ(Engine::Open(dir.path(), create)->Regions(), (std::vector<std::string>{"x", "default"}));
  EXPECT_EQ(Engine::Open(dir.path(), existing)->Regions(), (std::vector<std::string>{"x", "default"}));
}

// Regression: another program's SQLite file was adopted, libdongne's tables
// written in beside its own.
TEST(EngineOpen, AnotherProgramsDatabaseIsCorruptionAndKeptAsItWas) {
  TempDir dir;
  ASSERT_EQ(ExecOn(dir / "catalog.db", "CREATE TABLE notes(text); INSERT INTO notes VALUES ('mine')"), 1);
  const std::string before = testing::Digest(dir.path());
  EXPECT_THROW(Engine::Open(dir.path(), TestOptions()), Corruption);
  EXPECT_EQ(testing::Digest(dir.path()), before);
}

TEST(EngineOpen, ADifferentRegionMapIsRefused) {
  TempDir dir;
  Engine::Open(dir.path(), TestOptions());
  Options options = TestOptions();
  options.regions_file = WriteOneRegionMap(dir / "other.geojson").string();
  EXPECT_THROW(Engine::Open(dir.path(), options), InvalidArgument);
}

// Shard keys become directory names. Regression: an unsafe one was refused
// without the file or the feature, unlike every other fault of a map.
TEST(EngineOpen, AnUnsafeRegionKeyIsNamedWithItsFileAndFeature) {
  TempDir dir;
  const std::filesystem::path map = dir / "bad.geojson";
  WriteText(map, R"({"type":"FeatureCollection","features":[{"type":"Feature",
    "properties":{"region":"ok"},"geometry":{"type":"Polygon",
    "coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},{"type":"Feature",
    "properties":{"region":"../x"},"geometry":{"type":"Polygon",
    "coordinates":[[[2,0],[3,0],[3,1],[2,0]]]}}]})");
  Options options = TestOptions();
  options.regions_file = map.string();
  try {
    Engine::Open(dir / "engine", options);
    ADD_FAILURE() << "an unsafe key was accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find(map.string() + ": feature 1: region key \"../x\""),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "engine"));
}

// The neighbourhood map is kept in the catalog and read back when a point is
// first placed after a reopen (not at the open): a question asked then is
// still named after its neighbourhood. A map given to a new engine is
// checked at once.
TEST(EngineOpen, AReopenedEngineNamesNeighbourhoodsFromItsStoredMap) {
  TempDir dir;
  const std::filesystem::path map = dir / "dongs.geojson";
  WriteText(map, R"({"type":"FeatureCollection","features":[{"type":"Feature",
    "properties":{"code":"1","name":"애월읍"},"geometry":{"type":"Polygon",
    "coordinates":[[[126.30,33.44],[126.36,33.44],[126.36,33.49],[126.30,33.49],[126.30,33.44]]]}}]})");
  Options options = TestOptions();
  options.neighborhoods_file = map.string();
  const std::filesystem::path engine_dir = dir / "engine";
  auto engine = Engine::Open(engine_dir, options);
  const User user = engine->CreateUser("애월주민");
  const auto ask = [&](LatLon at) {
    return engine->Ask({.author = user.id, .title = "흑돼지 맛집?", .body = "추천해주세요",
                        .location = at}).neighborhood;
  };
  EXPECT_EQ(ask(kAewol), "애월읍");
  engine.reset();

  engine = Engine::Open(engine_dir, TestOptions());
  EXPECT_EQ(ask(kAewol), "애월읍");
  EXPECT_EQ(ask({35.1587, 129.1604}), "");  // Haeundae: no neighbourhood of this map

  WriteText(map, R"({"type":"FeatureCollection","features":[{"type":"Feature"}]})");
  EXPECT_THROW(Engine::Open(dir / "another", options), InvalidArgument);
}

// A creation refused for its maps (one that is no map, one that is not
// there) writes nothing: no directory, and nothing in one that existed.
TEST(EngineOpen, AFailedCreationLeavesNothingBehind) {
  TempDir dir;
  WriteText(dir / "bad.geojson", "[]");
  Options options = TestOptions();
  options.regions_file = (dir / "bad.geojson").string();
  EXPECT_THROW(Engine::Open(dir / "new", options), InvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir / "new"));
  Options absent = TestOptions();
  absent.neighborhoods_file = (dir / "absent.geojson").string();
  EXPECT_THROW(Engine::Open(dir / "new", absent), NotFound);
  EXPECT_FALSE(std::filesystem::exists(dir / "new"));
  // Regression: a directory opened, read as empty, and was "not valid JSON".
  Options a_directory = TestOptions();
  a_directory.regions_file = dir.path().string();
  EXPECT_THROW(Engine::Open(dir / "new", a_directory), NotFound);
  EXPECT_FALSE(std::filesystem::exists(dir / "new"));

  std::filesystem::create_directory(dir / "mine");
  WriteText(dir / "mine" / "notes.txt", "kept");
  EXPECT_THROW(Engine::Open(dir / "mine", options), InvalidArgument);
  EXPECT_EQ(std::vector<std::filesystem::path>(std::filesystem::directory_iterator(dir / "mine"),
                                               std::filesystem::directory_iterator()),
            std::vector<std::filesystem::path>{dir / "mine" / "notes.txt"});

  options.regions_file.clear();
  EXPECT_NO_THROW(Engine::Open(dir / "mine", options));  // then created as asked
}

TEST(EngineOpen, RegionsListsMapKeysAndDefault) {
  TempDir dir;
  auto engine = Engine::Open(dir.path(), TestOptions());
  const std::vector<std::string> regions = engine->Regions();
  EXPECT_NE(std::find(regions.begin(), regions.end(), "jeju"), regions.end());
  EXPECT_NE(std::find(regions.begin(), regions.end(), "busan"), regions.end());
  EXPECT_EQ(regions.back(), "default");
}

}  // namespace
}  // namespace dongne
