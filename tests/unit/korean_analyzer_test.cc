// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "text/korean_analyzer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "text/hangul.h"

namespace dongne::text {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Stems(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) out.push_back(t.stem);
  return out;
}

TEST(KoreanAnalyzer, StripsParticles) {
  for (const char* word : {"제주도", "제주도에서", "제주도는", "제주도의", "제주도에서만", "제주도까지"}) {
    EXPECT_EQ(StripEnding(word), "제주도") << word;
  }
  EXPECT_EQ(StripEnding("한라산을"), "한라산");
  EXPECT_EQ(StripEnding("바다가"), "바다");
  EXPECT_EQ(StripEnding("서울로"), "서울");
  EXPECT_EQ(StripEnding("공항으로"), "공항");
}

TEST(KoreanAnalyzer, StripsEndings) {
  for (const char* word : {"먹었어요", "먹는", "먹을"}) EXPECT_EQ(StripEnding(word), "먹") << word;
  EXPECT_EQ(StripEnding("추천해주세요"), "추천");
  EXPECT_EQ(StripEnding("있나요"), "있");
  EXPECT_EQ(StripEnding("어디인가요"), "어디");
}

// Encyclopedia passages end their sentences in written style; questions
// about them ask with 한/된/인가: both must come to one stem.
TEST(KoreanAnalyzer, StripsWrittenStyleEndings) {
  for (const char* word : {"설치하였다", "설치하였으며", "설치하여", "설치한", "설치했다"}) {
    EXPECT_EQ(StripEnding(word), "설치") << word;
  }
  for (const char* word : {"지정되었다", "지정되었으며", "지정된", "지정되어", "지정됐다"}) {
    EXPECT_EQ(StripEnding(word), "지정") << word;
  }
  for (const char* word : {"봉우리이다", "봉우리이며", "봉우리이고", "봉우리였으며"}) {
    EXPECT_EQ(StripEnding(word), "봉우리") << word;
  }
  EXPECT_EQ(StripEnding("화산이며"), "화산");
  EXPECT_EQ(StripEnding("높으며"), "높");
  EXPECT_EQ(StripEnding("보이며"), "보이");  // one syllable would be too little
}

TEST(KoreanAnalyzer, LeavesShortAndAmbiguousWordsAlone) {
  EXPECT_EQ(StripEnding("나이"), "나이");    // 이 needs two syllables before it
  EXPECT_EQ(StripEnding("바다"), "바다");    // 다 likewise
  EXPECT_EQ(StripEnding("도로"), "도로");
  // Regression: 로는 took one syllable where 로 takes two, so 도로는 was 도
  // while 도로 and 도로의 were 도로, and 회로는 was 회.
  EXPECT_EQ(StripEnding("도로는"), "도로");
  EXPECT_EQ(StripEnding("회로는"), "회로");
  EXPECT_EQ(StripEnding("바다로는"), "바다");
  EXPECT_EQ(StripEnding("강원도"), "강원도");  // 도 is never stripped
  EXPECT_EQ(StripEnding("산"), "산");
}

TEST(KoreanAnalyzer, TokenizesMixedScriptsAndNumbers) {
  EXPECT_THAT(Stems("KTX역에서 1592년에 ＡＢＣ!"), ElementsAre("ktx", "역", "1592", "년", "abc"));
}

TEST(KoreanAnalyzer, SymbolsAndEmojiNeverFail) {
  EXPECT_THAT(Stems("🍊🍊 ~!@#$%^&*() 귤 🙂"), ElementsAre("귤"));
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize("   \n\t").empty());
  EXPECT_TRUE(Tokenize("\"'--;DROP TABLE").size() == 2);
}

TEST(KoreanAnalyzer, OffsetsPointAtTheSource) {
  const std::string text = "애월 흑돼지를 먹었어요";
  std::vector<Token> tokens = Tokenize(text);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin), "흑돼지를");
  EXPECT_EQ(tokens[1].stem, "흑돼지");
}

TEST(KoreanAnalyzer, BigramsMeetAcrossSpacing) {
  EXPECT_THAT(Bigrams("갈치조림"), ElementsAre("갈치", "치조", "조림"));
  EXPECT_TRUE(Bigrams("산").empty());
  EXPECT_EQ(JunctionBigram("해운대", "돼지국밥"), "대돼");  // as inside 해운대돼지국밥
}

TEST(KoreanAnalyzer, NumbersKeepTheWordTheyCount) {
  const auto number_bigram = [](std::string_view text) {
    const std::vector<Token> t = Tokenize(text);
    return t.size() == 2 ? NumberBigram(t[0], t[1]) : "(" + std::to_string(t.size()) + " tokens)";
  };
  EXPECT_EQ(number_bigram("1차"), "1차");
  EXPECT_EQ(number_bigram("4차"), "4차");
  EXPECT_EQ(number_bigram("1592년에"), "1592년");
  EXPECT_EQ(number_bigram("3단엔진"), "3단");
  EXPECT_EQ(number_bigram("１차"), "1차");  // full-width digits fold
  EXPECT_EQ(number_bigram("1 차"), "");     // apart: two words
  EXPECT_EQ(number_bigram("차1"), "");      // Hangul first
  EXPECT_EQ(number_bigram("ktx역"), "");    // not a number
}

TEST(Hangul, InitialsAndJamo) {
  EXPECT_EQ(Initials("한라산"), "ㅎㄹㅅ");
  EXPECT_EQ(Initials("주문진 대게"), "ㅈㅁㅈㄷㄱ");
  EXPECT_TRUE(IsInitialsOnly("ㅎㄹㅅ"));
  EXPECT_FALSE(IsInitialsOnly("ㅎ라"));
  EXPECT_TRUE(IsJamoOnly("ㅠㅠ"));
  EXPECT_TRUE(IsJamoOnly("\u1172\u1172"));  // ㅠㅠ as conjoining jamo, as NFKC leaves it
  EXPECT_TRUE(IsJamoOnly("ㅋㅋㅋ"));
  EXPECT_FALSE(IsJamoOnly("ㅠㅠ숙소"));
  EXPECT_FALSE(IsJamoOnly(""));
  EXPECT_EQ(Compose(Decompose("한라산 abc")), "한라산 abc");
  EXPECT_EQ(ToUtf32(Decompose("한")).size(), 3u);
  EXPECT_EQ(InitialIndexOfConsonant(U'ㄷ'), 3);
  EXPECT_EQ(WithoutFinal(U'랏'), U'라');
  EXPECT_EQ(FinalAsInitial(FinalIndexOf(U'랏')), 9);  // ㅅ
}

}  // namespace
}  // namespace dongne::text
