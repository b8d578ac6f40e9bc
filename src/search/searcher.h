// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Runs a search over the indexes of several shards as one Xapian database,
// so BM25 statistics (document counts, term frequencies, lengths) are
// engine-wide and scores comparable. Ranking (dongne/search.h,
// RankingOptions): with text, Xapian's BM25 picks the best `limit × 5` (at
// least 50) candidates, which the blend of text with distance, freshness and
// quality re-ranks; without text, a Xapian::KeyMaker sorts every match by the
// boosts, so a nearby feed is exact.
//
// Thread-safety: a call leases its own readers (ShardIndex::Lease); calls
// may run concurrently with each other and with index writers.

#ifndef DONGNE_SEARCH_SEARCHER_H_
#define DONGNE_SEARCH_SEARCHER_H_

#include <functional>
#include <optional>
#include <vector>

#include "dongne/search.h"
#include "search/query_parser.h"
#include "search/shard_index.h"

namespace dongne::search {

// Reads a hit's question from its store; nullopt if gone.
using QuestionLoader = std::function<std::optional<Question>(Id)>;

// `query` is validated; `parsed` is its text, read by ParseQuery (or made
// by the caller, as Similar does, without phrases: phrases that match
// nothing are searched again from query.text). The indexes must have
// caught up.
SearchResult Search(const std::vector<ShardIndex*>& shards, const SearchQuery& query,
                    const ParsedQuery& parsed, Timestamp now, const QuestionLoader& load);

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_SEARCHER_H_
