// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "search/proximity.h"

#include <algorithm>
#include <vector>

#include "search/document.h"
#include "search/terms.h"

namespace dongne::search {

double ProximityOf(const Question& q, const std::map<std::string, double>& query_terms) {
  if (query_terms.empty()) return 0;
  // (word number, query term) for every query term the text holds, in word
  // order: the title's words, then the body's. Junction bigrams are left
  // out: counted too, they made the bonus rank worse on the fixtures.
  std::vector<std::pair<std::size_t, const std::pair<const std::string, double>*>> hits;
  std::size_t number = 0;
  const auto find = [&](const std::string& term) {
    const auto it = query_terms.find(term);
    if (it != query_terms.end()) hits.emplace_back(number, &*it);
  };
  for (const std::string* text : {&q.title, &q.body}) {
    for (const IndexedWord& word : IndexedWords(*text)) {
      find(word.token.stem);
      for (const std::string& b : word.bigrams) find(Term(kBigram, b));
      ++number;
    }
  }
  // A sliding window over `hits`: how often each term is in it, and the
  // weight of the distinct ones.
  std::map<const void*, int> in_window;
  double weight = 0, best = 0;
  std::size_t first = 0;
  for (std::size_t last = 0; last < hits.size(); ++last) {
    if (in_window[hits[last].second]++ == 0) weight += hits[last].second->second;
    while (hits[last].first - hits[first].first >= kProximityWords) {
      if (--in_window[hits[first].second] == 0) weight -= hits[first].second->second;
      ++first;
    }
    best = std::max(best, weight);
  }
  return best;
}

}  // namespace dongne::search
