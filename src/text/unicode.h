// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// UTF-8 validation and ICU normalisation of user text. All functions are pure
// and thread-safe (ICU's normalizer instances are immutable singletons).

#ifndef DONGNE_TEXT_UNICODE_H_
#define DONGNE_TEXT_UNICODE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace dongne::text {

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

// A key under which nicknames that look alike compare equal: the Unicode
// confusable skeleton (UTS #39) of the case-folded NFKC form, so "Jeju",
// "ＪＥＪＵ" and "Јеju" (Cyrillic Ј, е) share one key.
std::string LookalikeKey(std::string_view s);

// `s` made safe to show in a message: at most `max_chars` characters (then
// "…"), invalid UTF-8 and control characters replaced by U+FFFD.
std::string Printable(std::string_view s, std::size_t max_chars = 40);

// Leading and trailing white space (Unicode White_Space) removed.
std::string_view Trim(std::string_view s);

}  // namespace dongne::text

#endif  // DONGNE_TEXT_UNICODE_H_
