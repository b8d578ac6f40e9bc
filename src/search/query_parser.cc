// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "search/query_parser.h"

#include <unicode/uchar.h>

#include "text/hangul.h"

namespace dongne::search {
namespace {

bool IsQuote(char32_t c) { return c == U'"' || c == U'“' || c == U'”' || c == U'＂'; }
bool IsSpace(char32_t c) { return u_isUWhiteSpace(static_cast<UChar32>(c)); }

// `-word` excludes the word; a minus before a digit is a negative number
// (영하 -20도, -1.5), read as a plain word.
bool IsExclusion(const std::u32string& word) {
  return (word[0] == U'-' || word[0] == U'－') && word.size() > 1 &&
         !u_isdigit(static_cast<UChar32>(word[1]));
}

// The position of the quote closing one opened before `from`, or s.size().
std::size_t ClosingQuote(const std::u32string& s, std::size_t from) {
  while (from < s.size() && !IsQuote(s[from])) ++from;
  return from;
}

// Nothing but quotes from `from` on: a word there is the last typed, as
// when the quotes are read as phrase marks ("흑돼지 맛ㅈ" completes 맛ㅈ
// either way).
bool OnlyQuotesFrom(const std::u32string& s, std::size_t from) {
  while (from < s.size() && IsQuote(s[from])) ++from;
  return from == s.size();
}

}  // namespace

ParsedQuery ParseQuery(std::string_view text, bool phrases_and_tags) {
  ParsedQuery q;
  const std::u32string s = text::ToUtf32(text);
  std::size_t i = 0;
  while (i < s.size()) {
    if ((s[i] == U'-' || s[i] == U'－') && i + 1 < s.size() && IsQuote(s[i + 1])) {
      // Read as a minus and a phrase, it required what the user excluded.
      const std::size_t close = ClosingQuote(s, i + 2);
      if (close < s.size()) {
        q.excluded_phrases.push_back(text::ToUtf8(s.substr(i + 2, close - i - 2)));
        i = close + 1;
        continue;
      }
    }
    if (IsSpace(s[i]) || (!phrases_and_tags && IsQuote(s[i]))) {
      ++i;
      continue;
    }
    if (IsQuote(s[i])) {
      const std::size_t close = ClosingQuote(s, i + 1);
      if (close < s.size()) {
        // Kept when empty: "" is text that analyses to nothing, not no text.
        q.phrases.push_back(text::ToUtf8(s.substr(i + 1, close - i - 1)));
        i = close + 1;
        continue;
      }
      ++i;  // unbalanced: the quote is dropped and the rest read as words
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && !IsSpace(s[end]) && !IsQuote(s[end])) ++end;
    const std::u32string word = s.substr(i, end - i);
    i = end;
    if (IsExclusion(word)) {
      q.excluded.push_back(text::ToUtf8(word.substr(1)));
    } else if ((word[0] == U'#' || word[0] == U'＃') && word.size() > 1) {
      const std::size_t start = word.find_first_not_of(U"#＃");
      if (start == std::u32string::npos) continue;
      if (phrases_and_tags) {
        q.tags.push_back(text::ToUtf8(word.substr(start)));
      } else {
        q.words.push_back(text::ToUtf8(word.substr(start)));
        q.last_word_open = OnlyQuotesFrom(s, i);
      }
    } else {
      q.words.push_back(text::ToUtf8(word));
      q.last_word_open = OnlyQuotesFrom(s, i);
    }
  }
  return q;
}

}  // namespace dongne::search
