// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// A question as a Xapian document: analysed title, body and hashtags,
// boolean filter terms, grid cells for the radius filter (geo_cells.h), and
// in its data what ranking reads of a candidate (RankingData).

#ifndef DONGNE_SEARCH_DOCUMENT_H_
#define DONGNE_SEARCH_DOCUMENT_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "dongne/types.h"
#include "text/korean_analyzer.h"

namespace dongne::search {

// The quality boost's input in [0, 1] (dongne/search.h, RankingOptions).
double Quality(const Question& q);

// What a search reads of each candidate, packed as the document's data so
// that one lookup fetches it (four values took four lookups).
struct RankingData {
  Id id = 0;
  LatLon location;
  double created_at = 0;  // Unix seconds
  double quality = 0;     // Quality()

  // Native byte order: an index is local, derived data (terms.h).
  std::string Pack() const;
  // Throws Corruption when `data` is not a packed RankingData.
  static RankingData Unpack(const std::string& data);
};

// A word of a text and the weighted terms the index holds for it besides
// its stem: the bigrams of a Hangul stem, and the junction or number bigram
// (1차) joining it to the word before. Bigrams without their kBigram prefix.
struct IndexedWord {
  text::Token token;
  std::string join;                  // empty when none
  std::vector<std::string> bigrams;  // empty unless Hangul of two syllables or more
};

// The words of `text` as the index analyses them (also read by the
// proximity bonus, proximity.h).
std::vector<IndexedWord> IndexedWords(std::string_view text);

// The document for `q` and its `answers`. `spelling` receives the words
// that feed typo correction: title stems and hashtags of two or more
// syllables, decomposed into jamo.
Xapian::Document MakeDocument(const Question& q, std::span<const Answer> answers,
                              std::vector<std::string>& spelling);

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_DOCUMENT_H_
