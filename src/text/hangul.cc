// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "text/hangul.h"

#include <unicode/utf8.h>

#include <algorithm>

#include "text/unicode.h"

namespace dongne::text {
namespace {

// Initials in syllable order, as compatibility jamo.
constexpr char32_t kInitials[19] = {0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141,
                                    0x3142, 0x3143, 0x3145, 0x3146, 0x3147, 0x3148, 0x3149,
                                    0x314A, 0x314B, 0x314C, 0x314D, 0x314E};
// Final index (1–27) -> initial index, for the single finals that can move.
constexpr int kFinalToInitial[28] = {-1, 0,  1, -1, 2,  -1, -1, 3,  5,  -1,
                                     -1, -1, -1, -1, -1, -1, 6,  7,  -1, 9,
                                     10, 11, 12, 14, 15, 16, 17, 18};

constexpr char32_t kLeadBase = 0x1100, kVowelBase = 0x1161, kTailBase = 0x11A7;

}  // namespace

std::u32string ToUtf32(std::string_view s) {
  std::u32string out;
  ForEachCodePoint(s, [&out](UChar32 c, std::string_view) {
    if (c >= 0) out.push_back(static_cast<char32_t>(c));
    return true;
  });
  return out;
}

std::string ToUtf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    char buf[4];
    int32_t len = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, static_cast<UChar32>(c), error);
    if (!error) out.append(buf, len);
  }
  return out;
}

int InitialIndexOfConsonant(char32_t c) {
  for (int i = 0; i < 19; ++i) {
    if (kInitials[i] == c) return i;
  }
  return -1;
}

char32_t InitialOf(char32_t syllable) {
  return kInitials[(syllable - kFirstSyllable) / (21 * 28)];
}

int FinalAsInitial(int final_index) {
  return final_index > 0 && final_index < 28 ? kFinalToInitial[final_index] : -1;
}

std::string Initials(std::string_view word) {
  std::u32string out;
  for (char32_t c : ToUtf32(word)) {
    if (IsHangulSyllable(c)) out.push_back(InitialOf(c));
  }
  return ToUtf8(out);
}

bool IsInitialsOnly(std::string_view word) {
  const std::u32string w = ToUtf32(word);
  if (w.empty()) return false;
  for (char32_t c : w) {
    if (!IsCompatibilityConsonant(c)) return false;
  }
  return true;
}

bool IsJamoOnly(std::string_view word) {
  const std::u32string w = ToUtf32(word);
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char32_t c) {
    return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3131 && c <= 0x318E) ||
           (c >= 0xA960 && c <= 0xA97F) || (c >= 0xD7B0 && c <= 0xD7FF);
  });
}

std::string Decompose(std::string_view word) {
  std::u32string out;
  for (char32_t c : ToUtf32(word)) {
    if (!IsHangulSyllable(c)) {
      out.push_back(c);
      continue;
    }
    const char32_t s = c - kFirstSyllable;
    out.push_back(kLeadBase + s / (21 * 28));
    out.push_back(kVowelBase + (s % (21 * 28)) / 28);
    if (s % 28) out.push_back(kTailBase + s % 28);
  }
  return ToUtf8(out);
}

std::string Compose(std::string_view jamo) {
  const std::u32string in = ToUtf32(jamo);
  std::u32string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char32_t c = in[i];
    const bool lead = c >= kLeadBase && c < kLeadBase + 19;
    if (lead && i + 1 < in.size() && in[i + 1] >= kVowelBase && in[i + 1] < kVowelBase + 21) {
      char32_t s = kFirstSyllable + ((c - kLeadBase) * 21 + (in[i + 1] - kVowelBase)) * 28;
      ++i;
      if (i + 1 < in.size() && in[i + 1] > kTailBase && in[i + 1] < kTailBase + 28) {
        s += in[++i] - kTailBase;
      }
      out.push_back(s);
    } else {
      out.push_back(c);
    }
  }
  return ToUtf8(out);
}

}  // namespace dongne::text
