// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "text/unicode.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uspoof.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <memory>
#include <stdexcept>

namespace dongne::text {
namespace {

std::string Normalize(const icu::Normalizer2* normalizer, std::string_view s) {
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = normalizer->normalize(in, status);
  if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
  std::string result;
  out.toUTF8String(result);
  return result;
}

const icu::Normalizer2* Instance(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n =
      icu::Normalizer2::getInstance(nullptr, name, UNORM2_COMPOSE, status);
  if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
  return n;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  return ForEachCodePoint(s, [](UChar32 c, std::string_view) { return c >= 0; });
}

std::string Nfc(std::string_view s) {
  static const icu::Normalizer2* n = Instance("nfc");
  return Normalize(n, s);
}

std::string Nfkc(std::string_view s) {
  static const icu::Normalizer2* n = Instance("nfkc");
  return Normalize(n, s);
}

std::string NfkcCasefold(std::string_view s) {
  static const icu::Normalizer2* n = Instance("nfkc_cf");
  return Normalize(n, s);
}

std::size_t CodePointCount(std::string_view s) {
  std::size_t count = 0;
  for (unsigned char c : s) count += (c & 0xC0) != 0x80;
  return count;
}

bool HasControlCharacters(std::string_view s, bool allow_line_breaks) {
  const bool clean = ForEachCodePoint(s, [allow_line_breaks](UChar32 c, std::string_view) {
    if (c < 0) return false;  // not UTF-8 at all: callers check validity first
    if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) return true;
    // Cc, Zl and Zp; not Cf, which holds the joiners of emoji sequences.
    const int8_t type = u_charType(c);
    return type != U_CONTROL_CHAR && type != U_LINE_SEPARATOR && type != U_PARAGRAPH_SEPARATOR;
  });
  return !clean;
}

std::size_t MoveByGraphemes(std::string_view s, std::size_t from, std::ptrdiff_t n) {
  // One iterator per thread: creating one costs more than a snippet.
  thread_local const std::unique_ptr<icu::BreakIterator> graphemes = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
    return it;
  }();
  UErrorCode status = U_ZERO_ERROR;
  UText text = UTEXT_INITIALIZER;
  utext_openUTF8(&text, s.data(), static_cast<int64_t>(s.size()), &status);
  graphemes->setText(&text, status);  // a shallow clone: `s` must outlive its use here
  if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
  // UTF-8 UText indexes are byte offsets.
  auto at = static_cast<int32_t>(from);
  for (; n > 0; --n) {
    const int32_t next = graphemes->following(at);
    if (next == icu::BreakIterator::DONE) break;
    at = next;
  }
  for (; n < 0; ++n) {
    const int32_t previous = graphemes->preceding(at);
    if (previous == icu::BreakIterator::DONE) break;
    at = previous;
  }
  utext_close(&text);
  return static_cast<std::size_t>(at);
}

bool HasVisibleCharacter(std::string_view s) {
  const bool invisible = ForEachCodePoint(s, [](UChar32 c, std::string_view) {
    return c >= 0 && (u_isUWhiteSpace(c) || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT));
  });
  return !invisible;
}

bool HasBidiControls(std::string_view s) {
  const bool clean = ForEachCodePoint(s, [](UChar32 c, std::string_view) {
    return !((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069));
  });
  return !clean;
}

std::string LookalikeKey(std::string_view s) {
  // Documented as safe for concurrent use once configured; never modified.
  static USpoofChecker* const checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* c = uspoof_open(&status);
    if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
    return c;
  }();
  const std::string folded = NfkcCasefold(s);
  std::string skeleton(folded.size() * 2 + 16, '\0');
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = uspoof_getSkeletonUTF8(checker, 0, folded.data(),
                                     static_cast<int32_t>(folded.size()), skeleton.data(),
                                     static_cast<int32_t>(skeleton.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    skeleton.assign(n, '\0');
    status = U_ZERO_ERROR;
    n = uspoof_getSkeletonUTF8(checker, 0, folded.data(), static_cast<int32_t>(folded.size()),
                               skeleton.data(), n, &status);
  }
  if (U_FAILURE(status)) throw std::runtime_error(u_errorName(status));
  skeleton.resize(n);
  return skeleton;
}

std::string Printable(std::string_view s, std::size_t max_chars) {
  std::string out;
  std::size_t count = 0;
  ForEachCodePoint(s, [&](UChar32 c, std::string_view bytes) {
    if (count++ == max_chars) {
      out += "…";
      return false;
    }
    out += c < 0 || u_charType(c) == U_CONTROL_CHAR ? std::string_view("\uFFFD") : bytes;
    return true;
  });
  return out;
}

std::string_view Trim(std::string_view s) {
  int32_t begin = 0;
  ForEachCodePoint(s, [&begin](UChar32 c, std::string_view bytes) {
    if (c < 0 || !u_isUWhiteSpace(c)) return false;
    begin += static_cast<int32_t>(bytes.size());
    return true;
  });
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t end = static_cast<int32_t>(s.size());
  while (end > begin) {
    int32_t prev = end;
    UChar32 c;
    U8_PREV(p, begin, prev, c);
    if (c < 0 || !u_isUWhiteSpace(c)) break;
    end = prev;
  }
  return s.substr(begin, end - begin);
}

}  // namespace dongne::text
