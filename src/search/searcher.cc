// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "search/searcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "dongne/error.h"
#include "geo/geodesic.h"
#include "search/document.h"
#include "search/geo_cells.h"
#include "search/proximity.h"
#include "search/query_builder.h"
#include "search/snippet.h"
#include "search/terms.h"
#include "text/hangul.h"
#include "text/unicode.h"

namespace dongne::search {
namespace {

constexpr int kMinCandidates = 50;
constexpr int kCandidatesPerHit = 5;
// The best candidates by BM25 and boosts that the proximity bonus re-orders
// (proximity.h): a fixed number, so that a hit's rank does not depend on
// the limit asked for. The tenth was as good as the twentieth on the
// quality fixtures.
constexpr std::size_t kProximityCandidates = 10;
// With a point and no radius, the questions within this many
// distance_half_m of it that match best also join the candidates: the boost
// doubles a match next to the searcher, but only for candidates, and the
// best by text alone can all be far away. At ten (20 km by default) the
// boost is under a tenth; farther, the text decides.
constexpr double kNearbyPoolHalfDistances = 10;
constexpr int kAttempts = 3;  // reopen after a concurrent commit overwrote what we read

RankingData RankingDataOf(const Xapian::Document& doc) {
  return RankingData::Unpack(doc.get_data());
}

struct Boosts {
  double distance = 0, freshness = 0, quality = 0;
  std::optional<double> distance_m;
  double Factor() const { return 1 + distance + freshness + quality; }
};

Boosts ComputeBoosts(const RankingData& doc, const SearchQuery& q, Timestamp now) {
  const RankingOptions& r = q.ranking;
  Boosts b;
  if (q.near) {
    b.distance_m = geo::GeodesicDistance(*q.near, doc.location);
    if (r.distance_half_m > 0) {
      b.distance = r.distance_weight / (1 + *b.distance_m / r.distance_half_m);
    }
  }
  const double age_days =
      std::max(0.0, (static_cast<double>(now.time_since_epoch().count()) - doc.created_at) / 86400.0);
  if (r.freshness_half_life_days > 0) {
    b.freshness = r.freshness_weight * std::exp2(-age_days / r.freshness_half_life_days);
  }
  b.quality = r.quality_weight * doc.quality;
  return b;
}

// Sorts a text-less search by its boosts, descending with reverse = true.
class BoostKey : public Xapian::KeyMaker {
 public:
  BoostKey(const SearchQuery& q, Timestamp now) : q_(q), now_(now) {}
  std::string operator()(const Xapian::Document& doc) const override {
    return Xapian::sortable_serialise(ComputeBoosts(RankingDataOf(doc), q_, now_).Factor());
  }

 private:
  const SearchQuery& q_;
  Timestamp now_;
};

// The exact radius check behind the cell filter (geo_cells.h).
class WithinRadius : public Xapian::MatchDecider {
 public:
  WithinRadius(LatLon center, double radius_m) : center_(center), radius_m_(radius_m) {}
  bool operator()(const Xapian::Document& doc) const override {
    return geo::GeodesicDistance(center_, RankingDataOf(doc).location) <= radius_m_;
  }

 private:
  LatLon center_;
  double radius_m_;
};

// `query` with the filters of `q` and `built`, and within `area` (grid cells).
Xapian::Query WithFilters(Xapian::Query query, const SearchQuery& q, const BuiltQuery& built,
                          const std::optional<Xapian::Query>& area) {
  std::vector<Xapian::Query> filters;
  if (!q.region.empty()) filters.emplace_back(Term(kRegion, q.region));
  if (!q.category.empty()) filters.emplace_back(Term(kCategory, q.category));
  if (!q.tag.empty()) filters.emplace_back(Term(kTag, q.tag));
  for (const std::string& tag : built.tags) filters.emplace_back(Term(kTag, tag));
  if (q.status) filters.emplace_back(Term(kStatus, QuestionStatusName(*q.status)));
  if (q.urgent) filters.emplace_back(Term(kUrgent, *q.urgent ? "1" : "0"));
  if (area) filters.push_back(*area);
  if (filters.empty()) return query;
  return Xapian::Query(Xapian::Query::OP_FILTER, query,
                       Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
}

struct Candidate {
  Xapian::docid docid;
  Id id;
  double text;  // BM25, plus the proximity bonus when it has one
  Boosts boosts;
  double score;
  double proximity = 0;
  bool loaded = false;  // `question` is what the store holds (nullopt: deleted)
  std::optional<Question> question;
};

// Corrections for the words of `stems` no question holds: the closest title
// word or hashtag at the letter level, from any shard that knows one. One
// letter may differ in a word of up to three syllables, two in a longer one:
// two in a short word reached other words (뭐예요 -> 시예요, from 몇 시예요).
// Words of more than kMaxCorrectedLetters are taken as typed: Xapian's
// suggestion compares whole words, in time that grows with the square of
// their length (a query of 33,000 syllables took 100 s).
constexpr std::size_t kMaxCorrectedLetters = 20;

std::map<std::string, std::string> Correct(const std::vector<ShardIndex::Reader>& parts,
                                           const Xapian::Database& db,
                                           const std::vector<std::string>& stems) {
  std::map<std::string, std::string> corrections;
  for (const std::string& word : stems) {
    const std::size_t letters = text::CodePointCount(word);
    if (letters > kMaxCorrectedLetters || db.get_termfreq(word) > 0) continue;
    const std::string jamo = text::Decompose(word);
    const unsigned edits = letters <= 3 ? 1 : 2;
    for (const ShardIndex::Reader& part : parts) {
      const std::string suggestion = part->get_spelling_suggestion(jamo, edits);
      if (!suggestion.empty()) {
        corrections[word] = text::Compose(suggestion);
        break;
      }
    }
  }
  return corrections;
}

SearchResult SearchOnce(const std::vector<ShardIndex*>& shards, const SearchQuery& q,
                        const ParsedQuery& parsed, Timestamp now, const QuestionLoader& load) {
  if (shards.empty()) return SearchResult();
  // Declared first so they go back to their pools last: Xapian's reference
  // counts are not atomic, so no Xapian object of this search may outlive
  // its lease.
  std::vector<ShardIndex::Reader> parts;
  for (ShardIndex* shard : shards) parts.push_back(shard->Lease());
  Xapian::Database db;
  for (const ShardIndex::Reader& part : parts) db.add_database(*part);
  SearchResult result;

  BuiltQuery built = BuildQuery(parsed, db, q.as_you_type, q.ranking.common_term_share);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(
      Xapian::BM25Weight(q.ranking.bm25_k1, 0, 1, q.ranking.bm25_b, 0.5));
  BoostKey boost_key(q, now);
  if (!built.has_text) enquire.set_sort_by_key(&boost_key, true);
  std::optional<WithinRadius> within;
  std::optional<Xapian::Query> radius_cells;
  if (q.near && q.radius_m > 0) {
    within.emplace(*q.near, q.radius_m);
    radius_cells = CellCover(*q.near, q.radius_m);
  }
  const Xapian::doccount wanted =
      built.has_text ? std::max(q.limit * kCandidatesPerHit, kMinCandidates) : q.limit;
  // The pruned query first; the whole one when that finds too few.
  const auto run = [&](const BuiltQuery& b) {
    Xapian::MSet found;
    for (const Xapian::Query* text : {&b.pruned, &b.query}) {
      if (text->empty()) continue;
      enquire.set_query(WithFilters(*text, q, b, radius_cells));
      found = enquire.get_mset(0, wanted, nullptr, within ? &*within : nullptr);
      if (found.size() >= static_cast<Xapian::doccount>(q.limit)) break;
    }
    return found;
  };
  Xapian::MSet mset = run(built);

  // Phrases or #tags no question holds: their words are read as plain
  // words, as a web search does, rather than showing nothing.
  ParsedQuery literal;
  const ParsedQuery* searched = &parsed;
  if (mset.empty() && (!parsed.phrases.empty() || !parsed.tags.empty())) {
    literal = ParseQuery(q.text, /*phrases_and_tags=*/false);
    if (!literal.words.empty()) {  // "" reads as nothing, not as every question
      searched = &literal;
      built = BuildQuery(literal, db, q.as_you_type, q.ranking.common_term_share);
      mset = run(built);
    }
  }

  // Typo fallback: few matches and a word the index does not know.
  std::map<std::string, std::string> corrections;
  if (built.has_text && mset.size() < static_cast<Xapian::doccount>(q.limit)) {
    corrections = Correct(parts, db, built.by_bigrams);
    if (!corrections.empty()) {
      built = BuildQuery(*searched, db, q.as_you_type, q.ranking.common_term_share, corrections);
      mset = run(built);
    }
  }
  if (searched != &parsed || !corrections.empty()) {
    // The reading searched: the phrases, tags and exclusions that still
    // apply, then the words, corrected, last, so that a word being typed
    // stays the last. (A corrected word was searched beside the typo, so
    // the suggestion, searched, can find more.)
    std::vector<std::string> parts;
    for (const std::string& phrase : searched->phrases) parts.push_back("\"" + phrase + "\"");
    for (const std::string& tag : searched->tags) parts.push_back("#" + tag);
    for (const std::string& word : searched->excluded) parts.push_back("-" + word);
    for (const std::string& phrase : searched->excluded_phrases) {
      parts.push_back("-\"" + phrase + "\"");
    }
    for (std::string word : searched->words) {
      for (const auto& [from, to] : corrections) {
        const std::size_t at = word.find(from);
        if (at != std::string::npos) word.replace(at, from.size(), to);
      }
      parts.push_back(std::move(word));
    }
    for (const std::string& part : parts) {
      result.suggestion += (result.suggestion.empty() ? "" : " ") + part;
    }
  }

  std::vector<Candidate> candidates;
  std::set<Xapian::docid> seen;
  const auto add_candidates = [&](const Xapian::MSet& found) {
    for (auto it = found.begin(); it != found.end(); ++it) {
      if (!seen.insert(*it).second) continue;
      const RankingData doc = RankingDataOf(it.get_document());
      Candidate c{*it, doc.id, built.has_text ? it.get_weight() : 1.0, ComputeBoosts(doc, q, now),
                  0};
      c.score = c.text * c.boosts.Factor();
      candidates.push_back(c);
    }
  };
  add_candidates(mset);
  const double nearby_m = kNearbyPoolHalfDistances * q.ranking.distance_half_m;
  if (built.has_text && q.near && !within && q.ranking.distance_weight > 0 && nearby_m > 0) {
    if (std::optional<Xapian::Query> nearby = CellCover(*q.near, nearby_m)) {
      enquire.set_query(WithFilters(built.query, q, built, nearby));
      add_candidates(enquire.get_mset(0, wanted));
    }
  }
  const auto by_score = [](const Candidate& a, const Candidate& b) { return a.score > b.score; };
  std::stable_sort(candidates.begin(), candidates.end(), by_score);

  // The proximity bonus for the best few, loaded now rather than as hits.
  // It only adds, so they stay ahead of the rest.
  if (built.has_text && q.ranking.proximity_weight > 0) {
    const std::size_t near_top = std::min(candidates.size(), kProximityCandidates);
    const auto best = candidates.begin() + static_cast<std::ptrdiff_t>(near_top);
    for (auto c = candidates.begin(); c != best; ++c) {
      c->question = load(c->id);
      c->loaded = true;
      if (!c->question) continue;
      c->proximity = q.ranking.proximity_weight * ProximityOf(*c->question, built.term_weights,
                                                                 q.ranking.title_weight);
      c->text += c->proximity;
      c->score = c->text * c->boosts.Factor();
    }
    std::stable_sort(candidates.begin(), best, by_score);
  }

  for (Candidate& c : candidates) {
    if (result.hits.size() == static_cast<std::size_t>(q.limit)) break;
    if (!c.loaded) c.question = load(c.id);
    if (!c.question) continue;  // gone since it was indexed
    SearchHit hit;
    hit.score = c.score;
    hit.distance_m = c.boosts.distance_m;
    hit.snippet = MakeSnippet(*c.question, built.stems, built.bigrams);
    if (q.explain) {
      ScoreExplanation e{c.text,           c.proximity, c.boosts.distance, c.boosts.freshness,
                         c.boosts.quality, {}};
      for (auto t = enquire.get_matching_terms_begin(c.docid);
           t != enquire.get_matching_terms_end(c.docid); ++t) {
        if (!IsFilterTerm(*t)) e.matched_terms.push_back(*t);
      }
      hit.explain = std::move(e);
    }
    hit.question = std::move(*c.question);
    result.hits.push_back(std::move(hit));
  }
  return result;
}

}  // namespace

SearchResult Search(const std::vector<ShardIndex*>& shards, const SearchQuery& query,
                    const ParsedQuery& parsed, Timestamp now, const QuestionLoader& load) {
  for (int attempt = 1;; ++attempt) {
    try {
      return SearchOnce(shards, query, parsed, now, load);
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt == kAttempts) throw IOError("search index kept changing during the search");
    } catch (const Xapian::DatabaseOpeningError& e) {
      throw IOError(fmt::format("cannot open search index: {}", e.get_msg()));
    } catch (const Xapian::Error& e) {
      throw IOError(fmt::format("search failed: {}", e.get_msg()));
    }
  }
}

}  // namespace dongne::search
