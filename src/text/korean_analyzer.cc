// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "text/korean_analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <stdexcept>

#include "text/hangul.h"
#include "text/unicode.h"

namespace dongne::text {
namespace {

// What the syllable before a suffix must end with for the suffix to be a
// particle there: 은/을/이/과 follow a final consonant, 는/를/가/와 a vowel,
// 로 a vowel or ㄹ.
enum class After { kAny, kConsonant, kVowel, kVowelOrRieul };

struct Suffix {
  std::u32string text;
  int min_stem;  // syllables that must remain: one-syllable particles that
                 // also end common nouns (이, 가, 의, 로) need two
  After after;
};

// Conservative on purpose: a suffix that also ends many nouns (도: 제주도,
// 강원도; 고: 창고) is left out, because stripping it from the bare noun but
// not from the noun plus another particle would split one word into two
// terms. Bigrams cover what the list misses.
std::vector<Suffix> MakeSuffixes() {
  const struct {
    const char* text;
    int min_stem;
    After after;
  } table[] = {
      // Case and topic particles.
      {"에서부터", 1, After::kAny}, {"으로부터", 1, After::kConsonant},
      {"로부터", 1, After::kVowelOrRieul}, {"에게서", 1, After::kAny},
      {"한테서", 1, After::kAny}, {"에서는", 1, After::kAny}, {"에서도", 1, After::kAny},
      {"에서의", 1, After::kAny}, {"에서만", 1, After::kAny}, {"으로는", 1, After::kConsonant},
      {"으로도", 1, After::kConsonant}, {"으로서", 1, After::kConsonant},
      {"으로써", 1, After::kConsonant}, {"으로", 1, After::kConsonant},
      {"로서", 2, After::kVowelOrRieul}, {"로써", 2, After::kVowelOrRieul},
      {"로는", 2, After::kVowelOrRieul}, {"로", 2, After::kVowelOrRieul},
      {"에서", 1, After::kAny}, {"에게", 1, After::kAny}, {"한테", 1, After::kAny},
      {"께서", 2, After::kAny}, {"까지", 1, After::kAny}, {"부터", 1, After::kAny},
      {"처럼", 1, After::kAny}, {"보다", 2, After::kAny}, {"마다", 2, After::kAny},
      {"조차", 2, After::kAny}, {"마저", 2, After::kAny}, {"밖에", 2, After::kAny},
      {"만큼", 2, After::kAny}, {"이랑", 2, After::kConsonant}, {"랑", 2, After::kVowel},
      {"이나", 2, After::kConsonant}, {"이라고", 2, After::kConsonant},
      {"라고", 2, After::kVowel}, {"이라는", 2, After::kConsonant}, {"라는", 2, After::kVowel},
      {"에는", 1, After::kAny}, {"에도", 1, After::kAny}, {"에만", 1, After::kAny},
      {"와", 2, After::kVowel}, {"과", 2, After::kConsonant}, {"의", 2, After::kAny},
      {"은", 1, After::kConsonant}, {"는", 1, After::kAny}, {"을", 1, After::kConsonant},
      {"를", 1, After::kVowel}, {"이", 2, After::kConsonant}, {"가", 2, After::kVowel},
      {"에", 1, After::kAny}, {"만", 2, After::kAny}, {"들", 2, After::kAny},
      // The copula and question endings on nouns.
      {"입니다", 1, After::kAny}, {"입니까", 1, After::kAny}, {"이에요", 2, After::kConsonant},
      {"예요", 2, After::kVowel}, {"인가요", 1, After::kAny}, {"인가", 2, After::kAny},
      {"일까요", 1, After::kAny}, {"인데", 2, After::kAny}, {"이었다", 2, After::kAny},
      {"였다", 2, After::kAny}, {"이다", 2, After::kConsonant},
      // Written (encyclopedia) style: 화산이며, 봉우리이다, 수도였으며.
      {"이다", 2, After::kVowel}, {"이며", 2, After::kAny}, {"이고", 2, After::kAny},
      {"이었으며", 1, After::kAny}, {"였으며", 2, After::kAny},
      // Verb and adjective endings, down to the stem (먹, 있, 좋).
      {"었습니다", 1, After::kAny}, {"았습니다", 1, After::kAny}, {"었어요", 1, After::kAny},
      {"았어요", 1, After::kAny}, {"였어요", 1, After::kAny}, {"었나요", 1, After::kAny},
      {"았나요", 1, After::kAny}, {"을까요", 1, After::kAny}, {"었다", 1, After::kAny},
      {"았다", 1, After::kAny}, {"었던", 1, After::kAny}, {"았던", 1, After::kAny},
      {"습니다", 1, After::kAny}, {"습니까", 1, After::kAny}, {"어요", 1, After::kAny},
      {"아요", 1, After::kAny}, {"나요", 1, After::kAny}, {"까요", 1, After::kAny},
      {"세요", 1, After::kAny}, {"는데", 1, After::kAny}, {"은데", 1, After::kAny},
      {"지만", 1, After::kAny}, {"면서", 1, After::kAny}, {"으면", 1, After::kAny},
      {"려고", 1, After::kAny}, {"려면", 1, After::kAny}, {"는지", 1, After::kAny},
      {"은지", 1, After::kAny}, {"어서", 1, After::kAny}, {"아서", 1, After::kAny},
      {"던", 2, After::kAny}, {"다", 2, After::kAny},
      {"었으며", 1, After::kAny}, {"았으며", 1, After::kAny}, {"으며", 1, After::kConsonant},
      {"며", 2, After::kVowel},
      // 되다 verbs, the passive of 하다 ones: 지정되었다, 지정된 -> 지정.
      {"되었으며", 1, After::kAny}, {"되었다", 1, After::kAny}, {"되었던", 1, After::kAny},
      {"되었고", 1, After::kAny}, {"되어", 1, After::kAny}, {"됐다", 1, After::kAny},
      {"되며", 1, After::kAny}, {"되고", 1, After::kAny}, {"되는", 1, After::kAny},
      {"된다", 1, After::kAny}, {"되다", 1, After::kAny}, {"된", 2, After::kAny},
      {"될", 2, After::kAny},
      // 하다 verbs: 추천해주세요, 추천합니다, 추천하는 -> 추천.
      {"해주세요", 1, After::kAny}, {"해주실", 1, After::kAny}, {"해줘요", 1, After::kAny},
      {"해주는", 1, After::kAny}, {"했습니다", 1, After::kAny}, {"합니다", 1, After::kAny},
      {"합니까", 1, After::kAny}, {"했어요", 1, After::kAny}, {"했나요", 1, After::kAny},
      {"할까요", 1, After::kAny}, {"하나요", 1, After::kAny}, {"하세요", 1, After::kAny},
      {"했던", 1, After::kAny}, {"했다", 1, After::kAny}, {"해요", 1, After::kAny},
      {"해야", 1, After::kAny}, {"해서", 1, After::kAny}, {"하는", 1, After::kAny},
      {"하고", 1, After::kAny}, {"하면", 1, After::kAny}, {"하기", 1, After::kAny},
      {"하다", 1, After::kAny}, {"한다", 1, After::kAny}, {"할", 2, After::kAny},
      {"하였으며", 1, After::kAny}, {"하였다", 1, After::kAny}, {"하였던", 1, After::kAny},
      {"하였고", 1, After::kAny}, {"하여", 1, After::kAny}, {"하며", 1, After::kAny},
      {"했으며", 1, After::kAny}, {"했고", 1, After::kAny},
      {"한", 2, After::kAny}, {"해", 2, After::kAny},
  };
  std::vector<Suffix> suffixes;
  for (const auto& row : table) {
    suffixes.push_back({ToUtf32(row.text), row.min_stem, row.after});
  }
  // Longest first, so 에서는 wins over 는.
  std::stable_sort(suffixes.begin(), suffixes.end(), [](const Suffix& a, const Suffix& b) {
    return a.text.size() > b.text.size();
  });
  return suffixes;
}

bool Allows(After after, char32_t previous) {
  const int final_index = FinalIndexOf(previous);
  switch (after) {
    case After::kAny: return true;
    case After::kConsonant: return final_index != 0;
    case After::kVowel: return final_index == 0;
    case After::kVowelOrRieul: return final_index == 0 || final_index == 8;  // ㄹ
  }
  return false;
}

// The suffixes by their last syllable, longest first within each: a word
// is compared only with the few that can end it.
using SuffixIndex = std::unordered_map<char32_t, std::vector<Suffix>>;

SuffixIndex MakeSuffixIndex() {
  SuffixIndex index;
  for (Suffix& s : MakeSuffixes()) index[s.text.back()].push_back(std::move(s));
  return index;
}

// One suffix off `word`, or false when none applies.
bool StripOnce(std::u32string& word) {
  static const SuffixIndex suffixes = MakeSuffixIndex();
  if (word.empty()) return false;
  const auto bucket = suffixes.find(word.back());
  if (bucket == suffixes.end()) return false;
  for (const Suffix& s : bucket->second) {
    if (word.size() < s.text.size() + s.min_stem) continue;
    if (word.compare(word.size() - s.text.size(), s.text.size(), s.text) != 0) continue;
    if (!Allows(s.after, word[word.size() - s.text.size() - 1])) continue;
    word.resize(word.size() - s.text.size());
    return true;
  }
  return false;
}

// True when NFKC_Casefold leaves `s` as it is because it holds only Hangul
// syllables, lower-case ASCII letters and digits: most segments, and ICU's
// normaliser is the dearest step of analysis.
bool AlreadyFolded(const std::u32string& s) {
  for (char32_t c : s) {
    if (!IsHangulSyllable(c) && !(c >= U'a' && c <= U'z') && !(c >= U'0' && c <= U'9')) {
      return false;
    }
  }
  return true;
}

bool IsWordChar(UChar32 c) {
  return u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK ||
         u_charType(c) == U_COMBINING_SPACING_MARK;
}

// Splits a normalised segment into Hangul runs and other letter/digit runs.
void SplitRuns(const std::u32string& segment, std::size_t begin, std::size_t end,
               std::vector<Token>& out) {
  std::size_t i = 0;
  const std::size_t first = out.size();
  while (i < segment.size()) {
    if (!IsWordChar(static_cast<UChar32>(segment[i]))) {
      ++i;
      continue;
    }
    const bool hangul = IsHangulSyllable(segment[i]);
    std::size_t j = i;
    while (j < segment.size() && IsWordChar(static_cast<UChar32>(segment[j])) &&
           IsHangulSyllable(segment[j]) == hangul) {
      ++j;
    }
    out.push_back({begin, end, ToUtf8(segment.substr(i, j - i)), hangul});
    i = j;
  }
  // Only a Hangul run that ends the segment carries its particles.
  if (out.size() > first && out.back().hangul) out.back().stem = StripEnding(out.back().stem);
}

// A word break iterator for this thread: ICU's iterators are not
// thread-safe, and building one costs more than a clone.
icu::BreakIterator& WordBreaker() {
  thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(
        icu::BreakIterator::createWordInstance(icu::Locale::getKorean(), status));
    if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
    return b;
  }();
  return *breaker;
}

}  // namespace

std::string StripEnding(std::string_view word) {
  std::u32string w = ToUtf32(word);
  for (int pass = 0; pass < 2 && StripOnce(w); ++pass) {
  }
  return ToUtf8(w);
}

std::vector<std::string> Bigrams(std::string_view hangul_stem) {
  const std::u32string w = ToUtf32(hangul_stem);
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 1 < w.size(); ++i) out.push_back(ToUtf8(w.substr(i, 2)));
  return out;
}

std::string JunctionBigram(std::string_view left_stem, std::string_view right_stem) {
  const std::u32string left = ToUtf32(left_stem);
  const std::u32string right = ToUtf32(right_stem);
  if (left.empty() || right.empty()) return {};
  return ToUtf8(std::u32string{left.back(), right.front()});
}

std::string NumberBigram(const Token& number, const Token& word) {
  // ICU breaks 1차 into two segments; within one segment, SplitRuns gives
  // both runs the segment's range.
  const bool adjacent =
      number.end == word.begin || (number.begin == word.begin && number.end == word.end);
  if (!word.hangul || number.hangul || !adjacent || number.stem.empty() ||
      number.stem.find_first_not_of("0123456789") != std::string::npos) {
    return {};
  }
  return number.stem + ToUtf8(std::u32string{ToUtf32(word.stem).front()});
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
  icu::BreakIterator& breaker = WordBreaker();
  breaker.setText(ut, status);
  if (U_FAILURE(status)) {
    utext_close(ut);
    throw std::runtime_error(u_errorName(status));
  }
  // Over UTF-8 UText, break positions are byte offsets.
  int32_t start = breaker.first();
  for (int32_t end = breaker.next(); end != icu::BreakIterator::DONE;
       start = end, end = breaker.next()) {
    if (breaker.getRuleStatus() == UBRK_WORD_NONE) {
      // Spaces and punctuation; but ICU also files some letters here
      // (lone compatibility jamo), so look before dropping.
      bool any = false;
      const std::u32string s = ToUtf32(text.substr(start, end - start));
      for (char32_t c : s) any = any || IsWordChar(static_cast<UChar32>(c));
      if (!any) continue;
    }
    const std::string_view source = text.substr(start, end - start);
    std::u32string segment = ToUtf32(source);
    if (!AlreadyFolded(segment)) segment = ToUtf32(NfkcCasefold(source));
    SplitRuns(segment, static_cast<std::size_t>(start), static_cast<std::size_t>(end), tokens);
  }
  utext_close(ut);
  return tokens;
}

}  // namespace dongne::text
