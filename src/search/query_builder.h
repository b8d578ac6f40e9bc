// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Turns a ParsedQuery into a Xapian query over the terms of document.cc,
// analysing the text exactly as the index did (text/korean_analyzer.h):
//
//   plain words   OR of each Hangul word's bigrams (or its stem, when it
//                 has one syllable), other words' stems, and the junction
//                 and number bigrams between words (and a pruned form:
//                 BuiltQuery::pruned); a word the index does not know is
//                 searched beside its correction, when given one;
//                 a word of 초성 only (ㅎㄹㅅ) matches title and hashtag
//                 initials; a last word ending in a lone consonant (제주ㄷ)
//                 or, with as_you_type, any last word, is completed from
//                 the index's vocabulary (OP_SYNONYM of the completions)
//   "phrases"     required: stems in order (OP_PHRASE); one word: its stem
//                 or all its bigrams
//   -words        OP_AND_NOT their stems
//   #tags         filters on the exact hashtag
//
// Not thread-safe per call (it reads `db`), but calls share nothing.

#ifndef DONGNE_SEARCH_QUERY_BUILDER_H_
#define DONGNE_SEARCH_QUERY_BUILDER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "search/query_parser.h"

namespace dongne::search {

struct BuiltQuery {
  Xapian::Query query;    // MatchAll when the query has no text
  // `query` with the terms most questions hold only adding weight (see
  // RankingOptions::common_term_share): far faster on a large index, but it
  // may find fewer questions. Empty when no term is that common.
  Xapian::Query pruned;
  bool has_text = false;  // false: rank by the boosts alone
  std::vector<std::string> tags;  // normalised #tags, to filter on
  // The plain Hangul stems of two or more syllables, searched by their
  // bigrams: those the index does not hold are candidates for typo
  // correction. Whether it holds them is left to the caller, which needs
  // to know only when a search finds too few.
  std::vector<std::string> by_bigrams;
  // The plain-word terms the index holds, by their inverse document
  // frequency, log(1 + (N - n + 0.5) / (n + 0.5)): the proximity bonus's
  // weights (proximity.h).
  std::map<std::string, double> term_weights;
  // What snippets highlight.
  std::set<std::string> stems;
  std::set<std::string> bigrams;
};

// `common_share`: RankingOptions::common_term_share. `corrections` maps
// stems the index does not hold to corrected ones, which are searched
// beside them.
BuiltQuery BuildQuery(const ParsedQuery& parsed, const Xapian::Database& db, bool as_you_type,
                      double common_share,
                      const std::map<std::string, std::string>& corrections = {});

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_QUERY_BUILDER_H_
