// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "search/snippet.h"

#include <algorithm>
#include <vector>

#include "text/hangul.h"
#include "text/korean_analyzer.h"
#include "text/unicode.h"

namespace dongne::search {
namespace {

struct Span {
  std::size_t begin, end;  // bytes
};

// Source segments holding a matched token, merged and in order.
std::vector<Span> Matches(const std::string& text, const std::set<std::string>& stems,
                          const std::set<std::string>& bigrams) {
  std::vector<Span> spans;
  for (const text::Token& t : text::Tokenize(text)) {
    bool hit = stems.count(t.stem) > 0;
    if (!hit && t.hangul) {
      for (const std::string& b : text::Bigrams(t.stem)) hit = hit || bigrams.count(b) > 0;
    }
    if (!hit) continue;
    if (!spans.empty() && spans.back().end >= t.begin) {
      spans.back().end = std::max(spans.back().end, t.end);
    } else {
      spans.push_back({t.begin, t.end});
    }
  }
  return spans;
}

// A piece of the text as shown: on one line, and with the text's own « and »
// as ‹ and ›, so that the marks around matches are the only ones.
std::string Plain(std::string_view piece) {
  std::string out;
  out.reserve(piece.size());
  for (std::size_t i = 0; i < piece.size(); ++i) {
    const char c = piece[i];
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (piece.substr(i).starts_with("«") || piece.substr(i).starts_with("»")) {
      out += piece.substr(i).starts_with("«") ? "‹" : "›";
      ++i;  // both are two bytes
    } else {
      out += c;
    }
  }
  return out;
}

// text[begin, end) with `spans` marked.
std::string Render(const std::string& text, std::size_t begin, std::size_t end,
                   const std::vector<Span>& spans) {
  const std::string_view all = text;
  std::string out = begin > 0 ? "…" : "";
  std::size_t at = begin;
  for (const Span& span : spans) {
    if (span.end <= begin || span.begin >= end) continue;
    const std::size_t b = std::max(span.begin, begin);
    const std::size_t e = std::min(span.end, end);
    out += Plain(all.substr(at, b - at)) + "«" + Plain(all.substr(b, e - b)) + "»";
    at = e;
  }
  out += Plain(all.substr(at, end - at));
  if (end < text.size()) out += "…";
  return out;
}

}  // namespace

std::string MakeSnippet(const Question& q, const std::set<std::string>& stems,
                        const std::set<std::string>& bigrams) {
  const std::vector<Span> spans = Matches(q.body, stems, bigrams);
  if (spans.empty()) {
    const std::vector<Span> title = Matches(q.title, stems, bigrams);
    if (!title.empty()) return Render(q.title, 0, q.title.size(), title);
    return Render(q.body, 0, text::MoveByGraphemes(q.body, 0, kSnippetChars), {});
  }
  // The window starting a little before some match that holds the most
  // matches.
  std::size_t best_begin = 0, best_end = 0;
  int best = -1;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const std::size_t begin = i == 0 && text::ToUtf32(q.body.substr(0, spans[0].begin)).size() < 30
                                  ? 0
                                  : text::MoveByGraphemes(q.body, spans[i].begin, -20);
    const std::size_t end = text::MoveByGraphemes(q.body, begin, kSnippetChars);
    int count = 0;
    for (std::size_t j = i; j < spans.size() && spans[j].end <= end; ++j) ++count;
    if (count > best) {
      best = count;
      best_begin = begin;
      best_end = end;
    }
  }
  return Render(q.body, best_begin, best_end, spans);
}

}  // namespace dongne::search
