// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Hangul syllable arithmetic (Unicode §3.12): a precomposed syllable U+AC00 +
// (initial × 21 + medial) × 28 + final. Initials (초성) are shown as
// compatibility jamo (ㄱ U+3131 …), the letters a keyboard types alone.
// All functions are pure and thread-safe; inputs are valid UTF-8.

#ifndef DONGNE_TEXT_HANGUL_H_
#define DONGNE_TEXT_HANGUL_H_

#include <string>
#include <string_view>

namespace dongne::text {

inline constexpr char32_t kFirstSyllable = 0xAC00;
inline constexpr char32_t kLastSyllable = 0xD7A3;

inline bool IsHangulSyllable(char32_t c) { return c >= kFirstSyllable && c <= kLastSyllable; }
// A compatibility consonant, ㄱ (U+3131) to ㅎ (U+314E).
inline bool IsCompatibilityConsonant(char32_t c) { return c >= 0x3131 && c <= 0x314E; }

// UTF-8 <-> UTF-32 for short words.
std::u32string ToUtf32(std::string_view s);
std::string ToUtf8(std::u32string_view s);

// 0–18 for the 19 initials; -1 when `c` is not a consonant that can begin
// a syllable (ㄳ, ㄵ, … cannot).
int InitialIndexOfConsonant(char32_t compatibility_consonant);
// The compatibility letter of a syllable's initial: 한 -> ㅎ.
char32_t InitialOf(char32_t syllable);
// The syllable's final consonant index (0 = none, 1–27).
inline int FinalIndexOf(char32_t syllable) { return (syllable - kFirstSyllable) % 28; }
// The syllable without its final consonant: 랏 -> 라.
inline char32_t WithoutFinal(char32_t syllable) { return syllable - FinalIndexOf(syllable); }
// The initial index (0–18) a final consonant would become when the next
// vowel pulls it over (랏 + ㅏ -> 라사), or -1 for none and double finals.
int FinalAsInitial(int final_index);

// The 초성 string of `word`: every syllable replaced by its initial, anything
// else dropped. "한라산" -> "ㅎㄹㅅ".
std::string Initials(std::string_view word);

// True when `word` is made only of compatibility consonants (a 초성 query).
bool IsInitialsOnly(std::string_view word);

// True when `word` is made only of Hangul letters standing alone (jamo, of
// any of Unicode's blocks): ㅠㅠ, ㅜㅜ, ㅋㅋ, which chat writes as emoticons.
bool IsJamoOnly(std::string_view word);

// Syllables decomposed into conjoining jamo (NFD for Hangul), so edit
// distance counts letters: 한라삼 and 한라산 differ in one. Compose undoes it.
std::string Decompose(std::string_view word);
std::string Compose(std::string_view jamo);

}  // namespace dongne::text

#endif  // DONGNE_TEXT_HANGUL_H_
