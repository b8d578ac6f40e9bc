// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// A question as a Xapian document: analysed title, body and hashtags,
// boolean filter terms, and the values ranking reads (terms.h).

#ifndef DONGNE_SEARCH_DOCUMENT_H_
#define DONGNE_SEARCH_DOCUMENT_H_

#include <span>
#include <string>
#include <vector>

#include <xapian.h>

#include "dongne/types.h"

namespace dongne::search {

// The quality boost's input in [0, 1] (dongne/search.h, RankingOptions).
double Quality(const Question& q);

// The document for `q` and its `answers`. `spelling` receives the words
// that feed typo correction: title stems and hashtags of two or more
// syllables, decomposed into jamo.
Xapian::Document MakeDocument(const Question& q, std::span<const Answer> answers,
                              std::vector<std::string>& spelling);

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_DOCUMENT_H_
