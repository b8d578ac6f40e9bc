// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "text/unicode.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dongne::text {
namespace {

TEST(Unicode, ValidUtf8AcceptsKoreanEmojiAndAscii) {
  EXPECT_TRUE(IsValidUtf8("제주도 흑돼지 🐷 BBQ 2025"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Unicode, ValidUtf8RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("제주\xea"));           // truncated
}

TEST(Unicode, NfcComposesConjoiningJamo) {
  // 한 as three conjoining jamo composes to one syllable.
  EXPECT_EQ(Nfc("\u1112\u1161\u11ab"), "한");
}

TEST(Unicode, NfkcFoldsCompatibilityForms) {
  EXPECT_EQ(Nfkc("ＪＥＪＵ１"), "JEJU1");
  EXPECT_EQ(NfkcCasefold("ＪＥＪＵ Island"), "jeju island");
}

TEST(Unicode, CodePointCountCountsCharactersNotBytes) {
  EXPECT_EQ(CodePointCount("한라산"), 3u);
  EXPECT_EQ(CodePointCount("a🐷"), 2u);
}

TEST(Unicode, ControlCharactersFoundButLineBreaksAllowedInBodies) {
  EXPECT_TRUE(HasControlCharacters("a\x01", true));
  EXPECT_TRUE(HasControlCharacters("a\nb", false));
  EXPECT_FALSE(HasControlCharacters("a\nb\tc", true));
  EXPECT_TRUE(HasControlCharacters("a\u2028b", true));
  // The zero-width joiner inside an emoji sequence is not a control character.
  EXPECT_FALSE(HasControlCharacters("👨‍👩‍👧", false));
}

TEST(Unicode, TrimRemovesUnicodeWhiteSpace) {
  EXPECT_EQ(Trim("\u3000 한라산 \n"), "한라산");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(" \xff 한라산"), "\xff 한라산");  // stops at what is not UTF-8
}

TEST(Unicode, PrintableKeepsTextCutsLongTextAndReplacesWhatCannotBeShown) {
  EXPECT_EQ(Printable("애월 흑돼지 🐷", 8), "애월 흑돼지 🐷");  // exactly 8: no ellipsis
  EXPECT_EQ(Printable("애월 흑돼지 🐷!", 8), "애월 흑돼지 🐷…");
  EXPECT_EQ(Printable("a\x01" "b\xff" "c", 40), "a\uFFFDb\uFFFDc");
  EXPECT_EQ(Printable("제주\xea", 40), "제주\uFFFD");  // a truncated sequence is one character
  EXPECT_EQ(Printable("", 40), "");
}

TEST(Unicode, ForEachCodePointVisitsInOrderAndStopsWhenAsked) {
  std::vector<UChar32> seen;
  EXPECT_TRUE(ForEachCodePoint("a한\xff🐷", [&](UChar32 c, std::string_view) {
    seen.push_back(c);
    return true;
  }));
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], U'a');
  EXPECT_EQ(seen[1], U'한');
  EXPECT_LT(seen[2], 0);
  EXPECT_EQ(seen[3], static_cast<UChar32>(U'🐷'));
  std::string bytes;
  EXPECT_FALSE(ForEachCodePoint("한라산", [&](UChar32, std::string_view b) {
    bytes += b;
    return bytes.size() < 6;
  }));
  EXPECT_EQ(bytes, "한라");
}

TEST(Unicode, LookalikeKeyEqualForConfusablesWidthAndCase) {
  const std::string key = LookalikeKey("Jeju");
  EXPECT_EQ(LookalikeKey("ＪＥＪＵ"), key);
  EXPECT_EQ(LookalikeKey("jeju"), key);
  EXPECT_EQ(LookalikeKey("J\u0435ju"), key);  // Cyrillic е
  EXPECT_NE(LookalikeKey("Jejo"), key);
  EXPECT_EQ(LookalikeKey("귤러버"), LookalikeKey("귤러버"));
  EXPECT_NE(LookalikeKey("귤러버"), LookalikeKey("귤러보"));
}

}  // namespace
}  // namespace dongne::text
