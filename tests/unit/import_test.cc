// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// JSONL import: lines, bad lines by number, idempotence on ext_id.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "test_util.h"

namespace dongne {
namespace {

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override { engine = Engine::Open(dir / "engine", testing::TestOptions()); }

  std::filesystem::path Write(const std::string& name, const std::string& text) {
    const std::filesystem::path path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  testing::TempDir dir;
  std::unique_ptr<Engine> engine;
};

constexpr char kGood[] =
    R"({"type":"question","ext_id":"q1","author":"귤러버","title":"애월 흑돼지 맛집?","body":"추천해주세요","lat":33.4628,"lon":126.3310,"category":"food","hashtags":["맛집","#애월"],"urgent":false,"bounty":0,"created_at":"2025-05-01T12:00:00+09:00"}
{"type":"answer","ext_id":"a1","question_ext_id":"q1","author":"제주토박이","body":"숙성도 가세요","accepted":true,"created_at":"2025-05-01T12:07:00+09:00"}
{"type":"answer","ext_id":"a2","question_ext_id":"q1","author":"부산갈매기","body":"돈사돈도 좋아요"}

{"type":"question","ext_id":"q2","author":"부산갈매기","title":"해운대 돼지국밥","body":"어디가 맛있나요?","lat":35.1587,"lon":129.1604}
)";

TEST_F(ImportTest, ImportsQuestionsAnswersAuthorsAndAcceptance) {
  const ImportSummary s = engine->Import(Write("good.jsonl", kGood));
  EXPECT_EQ(s.lines, 4);
  EXPECT_EQ(s.questions_added, 2);
  EXPECT_EQ(s.answers_added, 2);
  EXPECT_EQ(s.errors, 0) << (s.first_errors.empty() ? "" : s.first_errors[0].message);
  const QuestionPage page = engine->List({});
  ASSERT_EQ(page.questions.size(), 2u);
  const Question& q1 = page.questions[1].ext_id == "q1" ? page.questions[1] : page.questions[0];
  EXPECT_EQ(q1.status, QuestionStatus::kAccepted);
  EXPECT_EQ(q1.answer_count, 2);
  EXPECT_EQ(q1.hashtags, (std::vector<std::string>{"맛집", "애월"}));
  EXPECT_EQ(q1.created_at, ParseRfc3339("2025-05-01T03:00:00Z"));
  EXPECT_EQ(q1.author, "귤러버");
  EXPECT_EQ(engine->GetAnswer(*q1.accepted_answer).ext_id, "a1");
  EXPECT_EQ(engine->FindUser("제주토박이").nickname, "제주토박이");
}

TEST_F(ImportTest, SecondImportChangesNothing) {
  const auto file = Write("good.jsonl", kGood);
  engine->Import(file);
  const std::string before = testing::Digest(dir / "engine");
  const ImportSummary again = engine->Import(file);
  EXPECT_EQ(again.questions_added, 0);
  EXPECT_EQ(again.answers_added, 0);
  EXPECT_EQ(again.unchanged, 4);
  EXPECT_EQ(testing::Digest(dir / "engine"), before);
}

// Regression: a repeated ext_id within one batch was given a second id and
// stored twice, the first copy orphaned from its ext_id.
TEST_F(ImportTest, RepeatedExtIdInOneFileIsStoredOnce) {
  const std::string line =
      R"({"ext_id":"dup","title":"성산일출봉 일출 몇 시?","body":"내일 새벽에 가요","lat":33.4585,"lon":126.9425})"
      "\n";
  const ImportSummary s = engine->Import(Write("dup.jsonl", line + line));
  EXPECT_EQ(s.questions_added, 1);
  EXPECT_EQ(s.unchanged, 1);
  const QuestionPage page = engine->List({});
  ASSERT_EQ(page.questions.size(), 1u);
  EXPECT_EQ(engine->GetQuestion(page.questions[0].id).ext_id, "dup");
}

// Regression: a huge float bounty was cast to an integer, which is
// undefined behaviour; it must be refused as out of range.
// Datasets often number their rows: an integer ext_id is its digits, and
// the same row imported again with a string id is the same question.
TEST_F(ImportTest, IntegerExtIdsAreTheirDigits) {
  const ImportSummary s = engine->Import(Write(
      "numbered.jsonl",
      R"({"ext_id":42,"title":"한라산 높이","body":"몇 미터인가요","lat":33.36,"lon":126.53})" "\n"
      R"({"question_ext_id":42,"ext_id":-7,"body":"1,947미터예요"})" "\n"
      R"({"ext_id":4.5,"title":"t","body":"b","lat":33.46,"lon":126.33})" "\n"
      R"({"ext_id":true,"title":"t","body":"b","lat":33.46,"lon":126.33})" "\n"));
  EXPECT_EQ(s.questions_added, 1);
  EXPECT_EQ(s.answers_added, 1);
  ASSERT_EQ(s.errors, 2);
  EXPECT_EQ(s.first_errors[0].message, "\"ext_id\" is not a string or an integer");
  const std::vector<Question> questions = engine->List({}).questions;
  ASSERT_EQ(questions.size(), 1u);
  EXPECT_EQ(questions[0].ext_id, "42");
  EXPECT_EQ(engine->ListAnswers(questions[0].id).at(0).ext_id, "-7");
  const ImportSummary again = engine->Import(Write(
      "again.jsonl",
      R"({"ext_id":"42","title":"한라산 높이","body":"몇 미터인가요","lat":33.36,"lon":126.53})" "\n"));
  EXPECT_EQ(again.questions_added, 0);
  EXPECT_EQ(again.unchanged, 1);
}

TEST_F(ImportTest, HugeNumbersAreRefusedNotCast) {
  const ImportSummary s = engine->Import(Write(
      "huge.jsonl",
      R"({"ext_id":"h1","title":"t","body":"b","lat":33.46,"lon":126.33,"bounty":1e300})"
      "\n"
      R"({"ext_id":"h2","title":"t","body":"b","lat":33.46,"lon":126.33,"bounty":18446744073709551615})"
      "\n"
      // Regression: wrapped to -1 and stored as 1969-12-31T23:59:59Z.
      R"({"ext_id":"h3","title":"t","body":"b","lat":33.46,"lon":126.33,"created_at":18446744073709551615})"
      "\n"));
  EXPECT_EQ(s.questions_added, 0);
  ASSERT_EQ(s.errors, 3);
  EXPECT_NE(s.first_errors[0].message.find("bounty"), std::string::npos) << s.first_errors[0].message;
  EXPECT_NE(s.first_errors[1].message.find("bounty"), std::string::npos) << s.first_errors[1].message;
  EXPECT_NE(s.first_errors[2].message.find("created_at"), std::string::npos) << s.first_errors[2].message;
}

// Regression: errors were kept in the order found, so a line its shard
// refused was left out behind 100 later lines the catalog step refused.
TEST_F(ImportTest, TheFirstErrorsAreTheFirstLinesThatFailed) {
  std::string lines =
      R"({"ext_id":"q1","author":"a","title":"t","body":"b","lat":33.46,"lon":126.33})" "\n"
      R"({"ext_id":"a1","question_ext_id":"q1","author":"b","body":"x","accepted":true})" "\n"
      R"({"ext_id":"a2","question_ext_id":"q1","author":"c","body":"y","accepted":true})" "\n";
  for (int i = 0; i < 150; ++i) {
    lines += fmt::format(R"({{"ext_id":"u{}","question_ext_id":"nowhere","body":"z"}})" "\n", i);
  }
  const ImportSummary s = engine->Import(Write("order.jsonl", lines));
  EXPECT_EQ(s.errors, 151);
  ASSERT_EQ(s.first_errors.size(), 100u);
  EXPECT_EQ(s.first_errors[0].line, 3) << s.first_errors[0].message;
  EXPECT_EQ(s.first_errors[99].line, 102);
}

// Regression: an empty ext_id was "none", so importing the file again added
// the question (and an answer so marked) a second time.
TEST_F(ImportTest, AnEmptyExtIdIsABadLine) {
  const auto file = Write("empty_ids.jsonl",
                          R"({"ext_id":"","title":"t","body":"b","lat":33.46,"lon":126.33})" "\n"
                          R"({"ext_id":"q","title":"t","body":"b","lat":33.46,"lon":126.33})" "\n"
                          R"({"type":"answer","ext_id":"","question_ext_id":"q","body":"a"})" "\n");
  for (int round = 0; round < 2; ++round) {
    const ImportSummary s = engine->Import(file);
    ASSERT_EQ(s.errors, 2);
    EXPECT_EQ(s.first_errors[0].message, "\"ext_id\" is empty");
  }
  ASSERT_EQ(engine->List({}).questions.size(), 1u);
  EXPECT_TRUE(engine->ListAnswers(engine->List({}).questions[0].id).empty());
}

// Seconds since 1970 are read as such; a millisecond timestamp is after the
// year 9999, which no RFC 3339 time or Python datetime can hold.
TEST_F(ImportTest, TimesOutsideTheYears1To9999AreBadLines) {
  const ImportSummary s = engine->Import(Write(
      "times.jsonl",
      R"({"ext_id":"ms","title":"t","body":"b","lat":33.46,"lon":126.33,"created_at":1733356800000})" "\n"
      R"({"ext_id":"y0","title":"t","body":"b","lat":33.46,"lon":126.33,"created_at":"0001-01-01T00:30:00+01:00"})" "\n"
      R"({"ext_id":"ok","title":"t","body":"b","lat":33.46,"lon":126.33,"created_at":1733356800})" "\n"));
  EXPECT_EQ(s.questions_added, 1);
  ASSERT_EQ(s.errors, 2);
  EXPECT_NE(s.first_errors[0].message.find("years 1 to 9999"), std::string::npos)
      << s.first_errors[0].message;
}

TEST_F(ImportTest, BadLinesAreReportedByNumberAndSkipped) {
  const std::string text = std::string(kGood) +
      "not json at all\n"                                                          // 6
      R"({"type":"question","ext_id":"q3","title":"","body":"b","lat":33,"lon":126})" "\n"   // 7
      R"({"type":"question","ext_id":"q4","title":"t","body":"b","lat":91,"lon":126})" "\n"  // 8
      R"({"type":"answer","ext_id":"a9","question_ext_id":"nope","body":"b"})" "\n"          // 9
      R"({"type":"answer","ext_id":"a10","question_ext_id":"q2","author":"부산갈매기","body":"자답","accepted":true})" "\n"  // 10
      R"([1,2,3])" "\n"                                                             // 11
      R"({"type":"poll","ext_id":"p1"})" "\n"                                      // 12
      R"({"type":"question","title":"no ext_id","body":"b","lat":33,"lon":126})" "\n"  // 13
      R"({"type":"question","ext_id":"q5","title":"ok","body":"b","lat":33.5,"lon":126.5})" "\n";  // 14
  const ImportSummary s = engine->Import(Write("mixed.jsonl", text));
  EXPECT_EQ(s.errors, 8);
  std::vector<std::int64_t> lines;
  for (const ImportError& e : s.first_errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<std::int64_t>{6, 7, 8, 9, 10, 11, 12, 13}));
  EXPECT_EQ(s.questions_added, 3);
  EXPECT_EQ(s.answers_added, 2);
  // The refused self-acceptance left no answer behind.
  EXPECT_EQ(engine->List({}).questions.size(), 3u);
  for (const ImportError& e : s.first_errors) EXPECT_FALSE(e.message.empty());
}

TEST_F(ImportTest, ReportsProgressEndingAtTheFileSize) {
  const auto file = Write("good.jsonl", kGood);
  std::vector<ImportProgress> reports;
  engine->Import(file, [&](const ImportProgress& p) { reports.push_back(p); });
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back().lines, 4);
  EXPECT_EQ(reports.back().bytes, static_cast<std::int64_t>(std::filesystem::file_size(file)));
  EXPECT_EQ(reports.back().total_bytes, reports.back().bytes);
}

// Regression: a bounty its asker could pay only with the reward of an
// answer accepted earlier in the same batch was refused, and stored by a
// second import of the same file (by then the reward was in the ledger).
TEST_F(ImportTest, ABountyPaidFromAnEarlierLinesRewardIsStoredAtTheFirstImport) {
  // 바다소년 has the sign-up bonus (100) and the acceptance reward (10).
  const auto file = Write("reward.jsonl", R"({"type":"question","ext_id":"q1","author":"귤러버","title":"협재 노을","body":"몇 시에 가요?","lat":33.39,"lon":126.24}
{"type":"answer","ext_id":"a1","question_ext_id":"q1","author":"바다소년","body":"일곱 시쯤요","accepted":true}
{"type":"question","ext_id":"q2","author":"바다소년","title":"우도 배편","body":"막배가 몇 시인가요?","lat":33.50,"lon":126.95,"bounty":105}
{"type":"question","ext_id":"q3","author":"바다소년","title":"성산 일출","body":"주차 되나요?","lat":33.46,"lon":126.94,"bounty":10}
)");
  const ImportSummary s = engine->Import(file);
  EXPECT_EQ(s.errors, 1);
  ASSERT_EQ(s.first_errors.size(), 1u);
  EXPECT_EQ(s.first_errors[0].line, 4);  // 5 points left: q3's bounty is refused
  EXPECT_EQ(s.questions_added, 2);
  EXPECT_EQ(engine->Balance(engine->FindUser("바다소년").id), 5);
  const std::string before = testing::Digest(dir / "engine");
  const ImportSummary again = engine->Import(file);
  EXPECT_EQ(again.unchanged, 3);
  EXPECT_EQ(again.errors, 1);
  EXPECT_EQ(testing::Digest(dir / "engine"), before);
}

// Regression: a line its shard refused (a second accepted answer, an
// answer to a closed question) failed, but its author, new to the engine,
// stayed behind with the sign-up bonus.
TEST_F(ImportTest, ALineTheQuestionsStateRefusesCreatesNoAuthor) {
  engine->Import(Write("asked.jsonl", R"({"type":"question","ext_id":"q1","author":"귤러버","title":"협재 노을","body":"몇 시에 가요?","lat":33.39,"lon":126.24}
{"type":"question","ext_id":"q2","author":"귤러버","title":"우도 배편","body":"막배가 몇 시인가요?","lat":33.50,"lon":126.95}
)"));
  for (const Question& q : engine->List({}).questions) {
    if (q.ext_id == "q2") engine->Close(q.id, engine->FindUser("귤러버").id);
  }
  const ImportSummary s = engine->Import(Write("answers.jsonl", R"({"type":"answer","ext_id":"a1","question_ext_id":"q1","author":"바다소년","body":"일곱 시쯤요","accepted":true}
{"type":"answer","ext_id":"a2","question_ext_id":"q1","author":"늦은손님","body":"여덟 시요","accepted":true}
{"type":"answer","ext_id":"a3","question_ext_id":"q1","author":"귤러버","body":"제가 답할게요","accepted":true}
{"type":"answer","ext_id":"a4","question_ext_id":"q2","author":"뱃사람","body":"다섯 시 반"}
)"));
  EXPECT_EQ(s.answers_added, 1);
  EXPECT_EQ(s.errors, 3);
  EXPECT_THROW(engine->FindUser("늦은손님"), NotFound);  // a second accepted answer
  EXPECT_THROW(engine->FindUser("뱃사람"), NotFound);    // an answer to a closed question
  ASSERT_EQ(s.first_errors.size(), 3u);
  EXPECT_EQ(s.first_errors[1].line, 3);
  EXPECT_NE(s.first_errors[1].message.find("own"), std::string::npos) << s.first_errors[1].message;
  EXPECT_TRUE(engine->Verify().sound);
}

// The same rules for a question of the same file, not yet stored when its
// answers are checked.
TEST_F(ImportTest, AnswersToAQuestionOfTheSameBatchAreCheckedAsStoredOnes) {
  const ImportSummary s = engine->Import(Write("same.jsonl", R"({"ext_id":"q1","author":"귤러버","title":"협재 노을","body":"몇 시에 가요?","lat":33.39,"lon":126.24}
{"ext_id":"a1","question_ext_id":"q1","author":"귤러버","body":"제가 답할게요","accepted":true}
{"ext_id":"a2","question_ext_id":"q1","author":"바다소년","body":"일곱 시쯤요","accepted":true}
{"ext_id":"a3","question_ext_id":"q1","author":"늦은손님","body":"여덟 시요","accepted":true}
)"));
  EXPECT_EQ(s.questions_added, 1);
  EXPECT_EQ(s.answers_added, 1);
  ASSERT_EQ(s.first_errors.size(), 2u);
  EXPECT_EQ(s.first_errors[0].line, 2);  // the asker's own
  EXPECT_EQ(s.first_errors[1].line, 4);  // a second acceptance
  EXPECT_THROW(engine->FindUser("늦은손님"), NotFound);
  EXPECT_EQ(engine->Balance(engine->FindUser("바다소년").id), 110);
}

// Regression: a line that failed after its ext_id was placed (a bounty its
// author cannot pay) left the ext_id placed for the batch, so a later line
// with that ext_id counted as unchanged and was never stored.
TEST_F(ImportTest, AnExtIdOfAFailedLineIsFreeForALaterLine) {
  const ImportSummary s = engine->Import(Write("retry.jsonl", R"({"type":"question","ext_id":"q1","author":"귤러버","title":"협재 노을","body":"몇 시에 가요?","lat":33.39,"lon":126.24,"bounty":500}
{"type":"question","ext_id":"q1","author":"귤러버","title":"협재 노을","body":"몇 시에 가요?","lat":33.39,"lon":126.24,"bounty":50}
)"));
  EXPECT_EQ(s.errors, 1);
  // Regression: it said "user 1 has 100 points and needs 500", an id the
  // next new user was given once this one was rolled back.
  EXPECT_EQ(s.first_errors[0].message, "author \"귤러버\" cannot pay 500 points here");
  EXPECT_EQ(s.unchanged, 0);
  EXPECT_EQ(s.questions_added, 1);
  ASSERT_EQ(engine->List({}).questions.size(), 1u);
  EXPECT_EQ(engine->List({}).questions[0].bounty, 50);
}

// Regression: a line whose ext_id was taken counted as unchanged but still
// created its author, with the sign-up bonus.
TEST_F(ImportTest, AnUnchangedLineCreatesNoAuthor) {
  const ImportSummary s = engine->Import(Write("taken.jsonl", R"({"ext_id":"q1","author":"귤러버","title":"협재 노을","body":"몇 시에 가요?","lat":33.39,"lon":126.24}
{"ext_id":"q1","author":"다른사람","title":"다른 제목","body":"?","lat":33.39,"lon":126.24}
{"ext_id":"a1","question_ext_id":"q1","author":"바다소년","body":"일곱 시쯤요"}
{"ext_id":"a1","question_ext_id":"q1","author":"또다른사람","body":"여덟 시요"}
)"));
  EXPECT_EQ(s.unchanged, 2);
  EXPECT_THROW(engine->FindUser("다른사람"), NotFound);
  EXPECT_THROW(engine->FindUser("또다른사람"), NotFound);
  EXPECT_EQ(engine->Import(Write("later.jsonl", R"({"ext_id":"q1","author":"나중사람","title":"t","body":"b","lat":33.39,"lon":126.24})" "\n")).unchanged, 1);
  EXPECT_THROW(engine->FindUser("나중사람"), NotFound);
}

TEST_F(ImportTest, MissingFileIsNotFound) {
  EXPECT_THROW(engine->Import(dir / "absent.jsonl"), NotFound);
}

TEST_F(ImportTest, ManyLinesInSeveralBatches) {
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    text += R"({"type":"question","ext_id":"bulk)" + std::to_string(i) +
            R"(","author":"user)" + std::to_string(i % 37) +
            R"(","title":"제목","body":"본문","lat":33.4,"lon":126.5})" "\n";
  }
  const ImportSummary s = engine->Import(Write("bulk.jsonl", text));
  EXPECT_EQ(s.questions_added, 5000);
  EXPECT_EQ(s.errors, 0);
  EXPECT_EQ(engine->Import(dir / "bulk.jsonl").unchanged, 5000);
}

}  // namespace
}  // namespace dongne
