// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// UTF-8 validation and ICU normalisation of user text. All functions are pure
// and thread-safe (ICU's normalizer instances are immutable singletons).

#ifndef DONGNE_TEXT_UNICODE_H_
#define DONGNE_TEXT_UNICODE_H_

#include <unicode/utf8.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace dongne::text {

// Calls `visit(c, bytes)` for each code point of `s` in order, where `bytes`
// is its UTF-8 and `c` is negative for an ill-formed sequence (ICU's
// U8_NEXT, which takes the longest ill-formed prefix as one), until `visit`
// returns false. False when it was stopped.
template <typename Visit>
bool ForEachCodePoint(std::string_view s, Visit visit) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (!visit(c, s.substr(start, i - start))) return false;
  }
  return true;
}

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values
// above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Unicode normalisation forms. `s` must be valid UTF-8.
std::string Nfc(std::string_view s);
std::string Nfkc(std::string_view s);
// NFKC with case folding (NFKC_Casefold): the form search terms are compared in.
std::string NfkcCasefold(std::string_view s);

// Number of code points in valid UTF-8: the "characters" that length limits
// count.
std::size_t CodePointCount(std::string_view s);

// True when `s` holds a C0/C1 control character or U+2028/U+2029, other than
// '\n', '\r' and '\t' when `allow_line_breaks`.
bool HasControlCharacters(std::string_view s, bool allow_line_breaks);

// True when `s` shows something: a character that is neither white space
// nor default-ignorable (zero-width space, the Hangul fillers U+3164 and
// U+115F, joiners, bidirectional marks), which render as nothing.
bool HasVisibleCharacter(std::string_view s);

// True when `s` holds a bidirectional embedding, override or isolate
// (U+202A-U+202E, U+2066-U+2069), which reorder the text shown after them.
bool HasBidiControls(std::string_view s);

// A key under which nicknames that look alike compare equal: the Unicode
// confusable skeleton (UTS #39) of the case-folded NFKC form, so "Jeju",
// "ＪＥＪＵ" and "Јеju" (Cyrillic Ј, е) share one key.
std::string LookalikeKey(std::string_view s);

// `s` made safe to show in a message: at most `max_chars` characters (then
// "…"), invalid UTF-8 and control characters replaced by U+FFFD.
std::string Printable(std::string_view s, std::size_t max_chars = 40);

// The byte offset `n` user-perceived characters (grapheme clusters: a
// syllable, an emoji with its joiners and modifiers) after (n > 0) or
// before (n < 0) `from`, which is on a boundary; stops at either end.
std::size_t MoveByGraphemes(std::string_view s, std::size_t from, std::ptrdiff_t n);

// Leading and trailing white space (Unicode White_Space) removed.
std::string_view Trim(std::string_view s);

}  // namespace dongne::text

#endif  // DONGNE_TEXT_UNICODE_H_
