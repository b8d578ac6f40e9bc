// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Full-text search: what Engine::Search and Engine::Similar take and return,
// and Engine::Trending's hashtag counts. docs/search.md explains the Korean
// analysis and the ranking.
//
//   dongne::SearchQuery q;
//   q.text = "애월 흑돼지 맛집";
//   q.near = dongne::LatLon{33.4628, 126.3310};
//   dongne::SearchResult r = engine->Search(q);
//   for (const dongne::SearchHit& hit : r.hits) … hit.question.title, hit.snippet …

#ifndef DONGNE_SEARCH_H_
#define DONGNE_SEARCH_H_

#include <optional>
#include <string>
#include <vector>

#include "dongne/types.h"

namespace dongne {

// How a candidate's final score is blended from its text relevance (BM25)
// and the three boosts, each in [0, 1]:
//
//   score = text × (1 + distance_weight / (1 + distance / distance_half_m)
//                     + freshness_weight × 2^(−age / freshness_half_life)
//                     + quality_weight × quality)
//
// quality = s / (s + 5) with s = answers + likes / 2 + 3 if an answer is
// accepted. A boost multiplies, so a question that does not match the text
// never outranks one that does by much; with no query text, text = 1 and the
// boosts alone rank a nearby feed. The distance boost applies only when the
// query has a point. Search throws InvalidArgument, naming the option, when a
// weight, a decay scale or bm25_k1 is negative or not finite, or bm25_b or
// common_term_share is outside [0, 1].
struct RankingOptions {
  double distance_weight = 1.0;
  double distance_half_m = 2000;  // the boost is half at 2 km, a tenth at 18 km
  double freshness_weight = 0.1;
  double freshness_half_life_days = 30;
  double quality_weight = 0.1;
  // BM25 parameters (Xapian::BM25Weight): term-frequency saturation and
  // length normalisation; docs/search.md compares settings on the quality
  // fixtures (tests/fixtures/).
  double bm25_k1 = 1.2;
  double bm25_b = 0.75;
  // Adds to the text score of each of the ten best candidates this times
  // the summed IDF of the distinct query words' terms its title and
  // hashtags hold together with one stretch of 30 words of its body
  // (docs/search.md); 0 turns it off.
  double proximity_weight = 1.5;
  // Within that bonus, the title's and hashtags' terms count this many
  // times more: a question whose title names what is asked (an article's
  // subject, the place) is about it. 0: they count once, as the body's.
  double title_weight = 0.5;
  // On an engine of 20,000 questions or more, a query term held by more
  // than this share of them only adds weight to questions its rarer terms
  // find, instead of making the search visit every question holding it.
  // 0 (or 1): every term finds questions. docs/search.md has the figures.
  double common_term_share = 0.05;
};

struct SearchQuery {
  // The user's text, read leniently (never an error unless not UTF-8):
  //   "a phrase"  words that must appear in this order
  //   -word       excludes questions with the word (-20도: a negative number, plain text)
  //   #tag        only questions with this hashtag
  //   (when no question matches, phrases and #tags are read as plain words)
  //   ㅎㄹㅅ       초성 (initials) of a title word or hashtag
  //   anything else is plain text; a last word ending in a lone consonant
  //   (제주ㄷ) is completed as a prefix.
  // Empty: every question passing the filters, ranked by the boosts.
  std::string text;
  std::optional<LatLon> near;  // the searcher's point: distance boost and distance_m
  double radius_m = 0;         // > 0: only questions within this distance of `near`
  std::string region;          // a shard key; empty = every region
  std::string category;        // empty = any
  std::string tag;             // a hashtag; empty = any
  std::optional<QuestionStatus> status;  // nullopt = any
  std::optional<bool> urgent;            // nullopt = either
  int limit = 10;  // 1–1000
  // Treat the last word as still being typed: 제주 also finds 제주도.
  bool as_you_type = false;
  bool explain = false;  // fill SearchHit::explain
  RankingOptions ranking;
};

// Why a hit scored what it did: score = text × (1 + distance + freshness +
// quality), each boost already multiplied by its weight, and text = BM25 +
// proximity.
struct ScoreExplanation {
  double text = 0;       // BM25 over the analysed terms, plus `proximity`
  double proximity = 0;  // the proximity bonus, already times its weight
  double distance = 0;
  double freshness = 0;
  double quality = 0;
  std::vector<std::string> matched_terms;  // index terms the question matched
};

struct SearchHit {
  Question question;
  double score = 0;
  std::optional<double> distance_m;  // when the query had a point
  // A short excerpt of the body (the title when the body has no match) with
  // matched words between « and ».
  std::string snippet;
  std::optional<ScoreExplanation> explain;
};

struct SearchResult {
  std::vector<SearchHit> hits;  // best first
  // The query `hits` answer when it is not the one given, as plain words:
  // when a query word was unknown and few questions matched, the query with
  // that word corrected at the letter (jamo) level, e.g. 한라삼 -> 한라산,
  // whose matches are included in `hits`; when its "phrases" or #tags
  // matched nothing, the query with the quotes read as spaces and without
  // the '#'. Empty otherwise.
  std::string suggestion;
};

// A hashtag and how many questions carried it in the window.
struct TagCount {
  std::string tag;
  std::int64_t count = 0;
};

struct TrendingOptions {
  std::string region;  // a shard key; empty = every region
  int hours = 24;      // the window ending now: 1–8760
  int limit = 20;      // 1–1000
};

}  // namespace dongne

#endif  // DONGNE_SEARCH_H_
