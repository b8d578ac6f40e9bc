// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The proximity bonus: how much of a query a question holds close
// together. BM25 scores each term wherever it is, so a long passage that
// mentions the query's words in different sentences ties with the one that
// answers it in one; the bonus tells them apart. The title and hashtags
// count in every window of the body. docs/search.md has the figures that
// chose the window.

#ifndef DONGNE_SEARCH_PROXIMITY_H_
#define DONGNE_SEARCH_PROXIMITY_H_

#include <map>
#include <string>

#include "dongne/types.h"

namespace dongne::search {

// Consecutive words of the body a window spans.
inline constexpr std::size_t kProximityWords = 30;

// The largest sum of the weights of the distinct `query_terms` (index terms
// as BuiltQuery::term_weights names them) that `q`'s title and hashtags
// and one window of kProximityWords words of its body hold, plus
// `title_weight` times the sum of those the title and hashtags hold.
double ProximityOf(const Question& q, const std::map<std::string, double>& query_terms,
                   double title_weight);

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_PROXIMITY_H_
