// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The lenient reader of users' query text (dongne/search.h, SearchQuery::
// text). It never fails: unbalanced quotes, lone '-' or '#', symbols and
// SQL or Xapian syntax are read as plain text or dropped. Xapian's own
// QueryParser is not used on user text because its syntax errors and
// operators (AND, NEAR, field:) would leak to users.

#ifndef DONGNE_SEARCH_QUERY_PARSER_H_
#define DONGNE_SEARCH_QUERY_PARSER_H_

#include <string>
#include <string_view>
#include <vector>

namespace dongne::search {

struct ParsedQuery {
  std::vector<std::string> words;     // plain words, as typed
  std::vector<std::string> phrases;   // the text between double quotes
  std::vector<std::string> excluded;  // words after '-'
  std::vector<std::string> excluded_phrases;  // -"the text between the quotes"
  std::vector<std::string> tags;      // after '#', without it (not yet normalised)
  // The text ended inside a word (no trailing space): the last plain word
  // may be incomplete.
  bool last_word_open = false;
  // Not from the parser: when set, the plain words are searched by this
  // many of their terms, the most telling (Engine::Similar's drafts).
  std::size_t max_terms = 0;
};

// `text` must be valid UTF-8. Without `phrases_and_tags`, quotes separate
// words like spaces and a '#' before a word is dropped: the reading of a
// query whose phrases or tags matched nothing (an excluded phrase stays
// one).
ParsedQuery ParseQuery(std::string_view text, bool phrases_and_tags = true);

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_QUERY_PARSER_H_
