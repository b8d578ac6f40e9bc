// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Search snippets: the window of a question's body with the most matched
// words, those words between « and ». A word matches when its stem is a
// query stem or shares a bigram with one (so 갈치조림 lights up for 조림).

#ifndef DONGNE_SEARCH_SNIPPET_H_
#define DONGNE_SEARCH_SNIPPET_H_

#include <set>
#include <string>

#include "dongne/types.h"

namespace dongne::search {

// User-perceived characters (grapheme clusters) in a snippet's window.
inline constexpr std::size_t kSnippetChars = 120;

// The body's best window; the highlighted title when the body matches
// nothing but the title does; else the body's beginning.
std::string MakeSnippet(const Question& q, const std::set<std::string>& stems,
                        const std::set<std::string>& bigrams);

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_SNIPPET_H_
