// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The common-term rule on real Xapian indexes of 20,000 questions: a term
// most questions hold only adds weight (OP_AND_MAYBE), the best hits stay
// those of the plain OR, and a search still fills its page. And the caps
// that keep hostile queries small.

#include "search/query_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dongne/engine.h"

#include "search/document.h"
#include "search/query_parser.h"
#include "text/hangul.h"
#include "test_util.h"

namespace dongne::search {
namespace {

using testing::TempDir;

constexpr double kShare = 0.05;

// 20,000 questions: every one says 추천 부탁드려요 (common: all hold it),
// each names one of 25 places (4% each: not common), and question 7 is the
// only one about 갈치조림, in 성산.
class CommonTermsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<std::string> places = {
        "애월", "협재", "성산", "중문", "우도", "한림", "표선", "조천", "구좌", "대정",
        "안덕", "남원", "해운대", "광안리", "서면", "기장", "송정", "다대포", "영도", "동래",
        "강남", "홍대", "명동", "잠실", "성수"};
    Xapian::WritableDatabase db(dir.path().string(), Xapian::DB_CREATE);
    for (int i = 0; i < 20000; ++i) {
      Question q;
      q.id = i + 1;
      q.title = i == 7 ? "성산 갈치조림 추천 부탁드려요" : places[i % places.size()] + " 추천 부탁드려요";
      q.body = "주말에 가요";
      q.region = "jeju-do";
      q.category = "food";
      std::vector<std::string> spelling;
      db.add_document(MakeDocument(q, {}, spelling));
    }
    db.commit();
    reader = Xapian::Database(dir.path().string());
  }

  std::vector<Xapian::docid> Top(const Xapian::Query& query) {
    Xapian::Enquire enquire(reader);
    enquire.set_query(query);
    std::vector<Xapian::docid> ids;
    const Xapian::MSet mset = enquire.get_mset(0, 5);
    for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(*it);
    return ids;
  }

  TempDir dir;
  Xapian::Database reader;
};

TEST_F(CommonTermsTest, CommonTermsOnlyWeighAndTheBestHitsStay) {
  const BuiltQuery built = BuildQuery(ParseQuery("성산 갈치조림 추천 부탁드려요"), reader, false, kShare);
  ASSERT_FALSE(built.pruned.empty());
  EXPECT_NE(built.pruned.get_description().find("AND_MAYBE"), std::string::npos)
      << built.pruned.get_description();
  EXPECT_EQ(built.query.get_description().find("AND_MAYBE"), std::string::npos);
  ASSERT_FALSE(Top(built.pruned).empty());
  EXPECT_EQ(Top(built.pruned).front(), 8u);  // question 7, docid 8
  EXPECT_EQ(Top(built.pruned).front(), Top(built.query).front());
  // About the questions naming 성산 (800) are visited, not all 20,000.
  Xapian::Enquire enquire(reader);
  enquire.set_query(built.pruned);
  EXPECT_GE(enquire.get_mset(0, 20000).size(), 800u);
  EXPECT_LE(enquire.get_mset(0, 20000).size(), 2000u);
  enquire.set_query(built.query);
  EXPECT_EQ(enquire.get_mset(0, 20000).size(), 20000u);
}

// A term no question holds matches and weighs nothing: on a large index it
// is left out of the query (no posting-list lookup in every shard), while
// its word is still listed for typo correction.
TEST_F(CommonTermsTest, TermsNoQuestionHoldsAreLeftOut) {
  const BuiltQuery built = BuildQuery(ParseQuery("성산 갈치조림 쿼카펭귄"), reader, false, kShare);
  const std::string described = built.query.get_description();
  EXPECT_NE(described.find("B갈치"), std::string::npos) << described;
  EXPECT_EQ(described.find("B쿼카"), std::string::npos) << described;
  EXPECT_EQ(described.find("B림쿼"), std::string::npos) << described;  // the junction
  EXPECT_EQ(built.by_bigrams, (std::vector<std::string>{"성산", "갈치조림", "쿼카펭귄"}));
  EXPECT_EQ(Top(built.query).front(), 8u);
}

TEST_F(CommonTermsTest, NothingIsPrunedWhenOff) {
  const ParsedQuery parsed = ParseQuery("성산 갈치조림 추천 부탁드려요");
  EXPECT_TRUE(BuildQuery(parsed, reader, false, 0).pruned.empty());
  EXPECT_TRUE(BuildQuery(parsed, reader, false, 1).pruned.empty());
}

TEST_F(CommonTermsTest, OnlyCommonWordsAreNotPruned) {
  const BuiltQuery built = BuildQuery(ParseQuery("추천 부탁드려요"), reader, false, kShare);
  EXPECT_TRUE(built.pruned.empty());
}

// Fewer than `limit` questions hold a rare word: the search runs the whole
// query, so it still returns a full page.
// A draft (Engine::Similar) is searched by its most telling terms: those
// of the one question about 성산 갈치조림, then 성산's; not the words every
// question holds.
TEST_F(CommonTermsTest, ADraftIsSearchedByItsMostTellingTerms) {
  ParsedQuery draft;
  draft.words = {"성산 갈치조림 추천 부탁드려요", "주말에 가요"};
  draft.max_terms = 6;
  const BuiltQuery built = BuildQuery(draft, reader, false, kShare);
  const std::set<std::string> terms(built.query.get_unique_terms_begin(),
                                    built.query.get_unique_terms_end());
  // 갈치조림's bigrams and its junctions with its neighbours, then 성산.
  EXPECT_EQ(terms,
            (std::set<std::string>{"B갈치", "B치조", "B조림", "B산갈", "B림추", "B성산"}));
  EXPECT_EQ(Top(built.query).front(), 8u);
  draft.max_terms = 0;
  const BuiltQuery whole = BuildQuery(draft, reader, false, kShare);
  EXPECT_TRUE(std::count(whole.query.get_unique_terms_begin(), whole.query.get_unique_terms_end(),
                         "B추천"));
}

TEST(CommonTermsSearch, AFullPageEvenWhenRareWordsFindFewQuestions) {
  TempDir dir;
  auto engine = Engine::Open(dir.path(), testing::TestOptions());
  const std::filesystem::path jsonl = dir.path() / "q.jsonl";
  {
    std::ofstream out(jsonl);
    for (int i = 0; i < 20000; ++i) {
      const std::string title = i == 3 ? "성산 갈치조림 추천 부탁드려요" : "맛집 추천 부탁드려요";
      out << R"({"ext_id":"c)" << i << R"(","author":"글쓴이)" << i % 500 << R"(","title":")" << title
          << R"(","body":"주말에 가요","lat":33.45,"lon":126.56})" << '\n';
    }
  }
  ASSERT_EQ(engine->Import(jsonl).questions_added, 20000);
  SearchQuery q{.text = "갈치조림 추천 부탁드려요", .limit = 10};
  const SearchResult r = engine->Search(q);
  ASSERT_EQ(r.hits.size(), 10u);
  EXPECT_EQ(r.hits[0].question.ext_id, "c3");
}

// Regression: 초성 words, phrases, exclusions and tags had no cap, and a
// 99 KB query of 9,900 distinct 초성 words took 4.7 s (time grew with the
// square of their number); each now shares or has the 64 of stems.
TEST(QueryCaps, HostileQueriesStopGrowing) {
  const Xapian::Database none;
  const std::u32string consonants = U"ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ";
  std::string initials, exclusions, excluded_phrases, phrases, tags;
  for (int i = 0; i < 2000; ++i) {
    const std::u32string word = {consonants[i % 14], consonants[i / 14 % 14], consonants[i / 196]};
    initials += text::ToUtf8(word) + " ";
    exclusions += fmt::format("-단어{} ", i);
    excluded_phrases += fmt::format("-\"한라 산{}\" ", i);
    phrases += fmt::format("\"한라 산{}\" ", i);
    tags += fmt::format("#태그{} ", i);
  }
  for (const std::string& text :
       {initials, "x " + exclusions, "x " + excluded_phrases, phrases, "x " + tags}) {
    const BuiltQuery built = BuildQuery(ParseQuery(text), none, false, kShare);
    EXPECT_LE(built.query.get_length(), 4 * 64u) << text.substr(0, 40);  // thousands without caps
    EXPECT_LE(built.tags.size(), 64u);
  }
}

// Regression: each bigram of an unbroken Hangul run was a term of the query,
// and a run of 33,000 syllables took Xapian's matcher 100 s.
TEST(QueryCaps, AnUnbrokenHangulRunStopsGrowing) {
  const Xapian::Database none;
  std::u32string run;
  for (char32_t i = 0; i < 3000; ++i) run += static_cast<char32_t>(0xAC00 + i * 7 % 11172);
  const std::string varied = text::ToUtf8(run);
  std::string same;
  for (int i = 0; i < 3000; ++i) same += "가";
  for (const std::string& text : {varied, same, "\"" + varied + "\"", same + " " + varied}) {
    const BuiltQuery built = BuildQuery(ParseQuery(text), none, true, kShare);
    EXPECT_LE(built.query.get_length(), 2 * 32u) << text.substr(0, 40);  // 2,999 a run without the cap
  }
}

}  // namespace
}  // namespace dongne::search
