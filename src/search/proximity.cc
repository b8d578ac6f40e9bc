// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "search/proximity.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "search/document.h"
#include "search/terms.h"

namespace dongne::search {
namespace {

using QueryTerm = const std::pair<const std::string, double>*;

// (word number, query term) for every query term `text` holds, in word
// order. Junction bigrams are left out: counted too, they made the bonus
// rank worse on the fixtures.
std::vector<std::pair<std::size_t, QueryTerm>> QueryTermsIn(
    std::string_view text, const std::map<std::string, double>& query_terms) {
  std::vector<std::pair<std::size_t, QueryTerm>> hits;
  std::size_t number = 0;
  const auto find = [&](const std::string& term) {
    const auto it = query_terms.find(term);
    if (it != query_terms.end()) hits.emplace_back(number, &*it);
  };
  for (const IndexedWord& word : IndexedWords(text)) {
    find(word.token.stem);
    for (const std::string& b : word.bigrams) find(Term(kBigram, b));
    ++number;
  }
  return hits;
}

}  // namespace

double ProximityOf(const Question& q, const std::map<std::string, double>& query_terms,
                   double title_weight) {
  if (query_terms.empty()) return 0;
  // How often each term is in the window, and the weight of the distinct
  // ones. The title's and hashtags' terms are in every window: they say
  // what each sentence of the body is about (an article's subject, the
  // place a question asks about), and a paragraph need not name it again.
  std::map<QueryTerm, int> in_window;
  double weight = 0;
  const auto enter = [&](QueryTerm term) {
    if (in_window[term]++ == 0) weight += term->second;
  };
  const auto enter_all = [&](std::string_view text) {
    for (const auto& [number, term] : QueryTermsIn(text, query_terms)) enter(term);
  };
  enter_all(q.title);
  for (const std::string& tag : q.hashtags) enter_all(tag);
  const double in_title = weight;
  double best = weight;
  // A window sliding over the body.
  const auto body = QueryTermsIn(q.body, query_terms);
  std::size_t first = 0;
  for (std::size_t last = 0; last < body.size(); ++last) {
    enter(body[last].second);
    while (body[last].first - body[first].first >= kProximityWords) {
      if (--in_window[body[first].second] == 0) weight -= body[first].second->second;
      ++first;
    }
    best = std::max(best, weight);
  }
  return best + title_weight * in_title;
}

}  // namespace dongne::search
