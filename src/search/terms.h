// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The vocabulary shared by the index (document.cc) and the queries
// (query_builder.cc): term prefixes, value slots and field weights. Changing
// any of them changes what an index means: bump kIndexFormat so existing
// indexes are rebuilt from store.db when opened.

#ifndef DONGNE_SEARCH_TERMS_H_
#define DONGNE_SEARCH_TERMS_H_

#include <string>
#include <string_view>

#include <xapian.h>

namespace dongne::search {

// 2: answers, 3: junctions, 4: RankingData (document.h) as document data,
// 5: number bigrams (1차), written-style endings (하였다, 되었다, 이며),
// 6: grid cells (geo_cells.h) for the radius filter, in place of values,
// 7: kTitleTermRepeats, 8: 로는 keeps a two-syllable stem (도로는 -> 도로)
inline constexpr std::string_view kIndexFormat = "8";

// Term prefixes. Word stems carry none; Xapian's convention is upper-case
// ASCII, which no normalised (case-folded) stem begins with.
inline constexpr std::string_view kBigram = "B";    // Hangul bigrams, junctions too
inline constexpr std::string_view kTag = "K";       // a hashtag, exact
inline constexpr std::string_view kInitials = "I";  // 초성 of a title word or hashtag
inline constexpr std::string_view kId = "Q";        // the question id: one per document
inline constexpr std::string_view kRegion = "XR";
inline constexpr std::string_view kCategory = "XC";
inline constexpr std::string_view kStatus = "XS";
inline constexpr std::string_view kUrgent = "XU";  // XU1 or XU0
inline constexpr std::string_view kCell = "XG";    // XG<level>:<row>,<column>

// A title word counts as this many body words (its wdf), so BM25 weighs
// the title above the body; hashtags count as title words.
inline constexpr Xapian::termcount kTitleWdf = 2;
// A title term (a title word's or hashtag's stem or bigram) weighs in the
// body and answers only this many times more: the paragraphs of one article
// share its title, and the one naming its subject most would otherwise rank
// first for every question naming it (docs/search.md). Later repeats keep
// their positions, for phrases.
inline constexpr Xapian::termcount kTitleTermRepeats = 2;
// Body positions start here, so no phrase spans the title and the body.
inline constexpr Xapian::termpos kBodyStart = 1000;

// Xapian's limit on a term (prefix included): a document holding a longer
// one cannot be written, and its shard's index would stop there.
inline constexpr std::size_t kMaxTermBytes = 245;

// Metadata keys of an index.
inline constexpr std::string_view kAppliedSeqKey = "dongne.applied_seq";
inline constexpr std::string_view kFormatKey = "dongne.format";

// The terms filters match (region, category, status, urgent, cell, tag):
// not text a question matched. Prefixes are upper case and words folded.
inline bool IsFilterTerm(std::string_view term) {
  return term.starts_with("X") || term.starts_with(kTag);
}

inline std::string Term(std::string_view prefix, std::string_view value) {
  std::string t(prefix);
  t += value;
  return t;
}

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_TERMS_H_
