// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Korean text analysis for search (docs/search.md): the same function turns
// questions into index terms and queries into query terms, so both sides
// always agree.
//
//   1. ICU word breaks split the text; segments without letters or digits
//      (spaces, punctuation, emoji, symbols) are dropped, never an error.
//   2. Each segment is NFKC-normalised and case-folded, then split where it
//      changes between Hangul syllables and other letters or digits:
//      "KTX역에서" -> "ktx", "역에서"; "1592년에" -> "1592", "년에".
//   3. A Hangul run that ends its segment loses its particles (조사) and
//      endings (어미) by a conservative suffix list with phonological checks
//      and minimum stem lengths: 제주도에서/제주도는/제주도의 -> 제주도;
//      먹었어요/먹는/먹을 -> 먹. At most two suffixes go (제주도에서만).
//   4. Hangul stems also yield character bigrams (Bigrams), so compounds
//      and spacing variants meet: 갈치조림 and 갈치 조림 share 갈치, 조림;
//      neighbouring stems add the bigram across their boundary
//      (JunctionBigram: 갈치 조림 -> 치조, as inside 갈치조림).
//
// All functions are pure and thread-safe; text must be valid UTF-8.

#ifndef DONGNE_TEXT_KOREAN_ANALYZER_H_
#define DONGNE_TEXT_KOREAN_ANALYZER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dongne::text {

struct Token {
  std::size_t begin = 0;  // byte range of the source segment it came from
  std::size_t end = 0;
  std::string stem;    // normalised; particles and endings stripped
  bool hangul = false;  // stem is a run of Hangul syllables
};

// The tokens of `text` in order. Several tokens may share a segment.
std::vector<Token> Tokenize(std::string_view text);

// `word` (NFKC-casefolded Hangul syllables) without its particles and
// endings; `word` itself when none applies.
std::string StripEnding(std::string_view word);

// The overlapping two-syllable substrings of a Hangul stem; none for one
// syllable.
std::vector<std::string> Bigrams(std::string_view hangul_stem);

// The bigram across a word boundary: the last syllable of one Hangul stem
// and the first of the next. Indexed for neighbouring words, it makes
// 해운대 돼지국밥 meet 해운대돼지국밥 and rewards words that stand together
// (a cheap proximity signal).
std::string JunctionBigram(std::string_view left_stem, std::string_view right_stem);

// A number written against the Hangul word after it (1차, 1592년에,
// 3단엔진): the number and the word's first syllable, so 1차 and 4차 stay
// apart where 1, 4 and 차 alone would not. Empty unless `number` is ASCII
// digits and `word` Hangul right after it, with nothing between.
std::string NumberBigram(const Token& number, const Token& word);

}  // namespace dongne::text

#endif  // DONGNE_TEXT_KOREAN_ANALYZER_H_
