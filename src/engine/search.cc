// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Engine: search, similar questions, trending hashtags, index upkeep.

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <unordered_map>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "engine/engine_impl.h"
#include "engine/ids.h"
#include "engine/parallel.h"
#include "engine/validate.h"
#include "search/searcher.h"
#include "text/unicode.h"

namespace dongne {
namespace {

constexpr std::size_t kMaxQueryBytes = 100'000;
constexpr int kMaxTrendingHours = 24 * 365;
constexpr std::chrono::milliseconds kRebuildProgressEvery{500};
// A draft is searched by this many of its terms, the most telling: drafts
// made of the first 15% or 40% of the fixtures' 274 passages found their
// passage first 273 and 273 times with 24 terms, 273 and 274 with every
// term, and Similar's median went from 22 to 14 ms on the benchmark's
// 100,000 questions (docs/benchmarks.md).
constexpr std::size_t kSimilarTerms = 24;

// The first `max` bytes of UTF-8 `s`, not cutting a character.
std::string_view Head(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;
  return s.substr(0, max);
}

void RequireRegion(ShardSet& shards, const std::string& region) {
  const std::vector<std::string> keys = shards.Keys();
  if (std::find(keys.begin(), keys.end(), region) == keys.end()) {
    throw NotFound(
        fmt::format("region \"{}\" is not in the region map", text::Printable(region)));
  }
}

// The shards a search covers, caught up: the region's, or those a radius
// reaches, or all.
std::vector<search::ShardIndex*> IndexesFor(Engine::Impl& impl, const SearchQuery& q) {
  std::vector<store::ShardStore*> stores;
  if (!q.region.empty()) {
    if (store::ShardStore* shard = impl.shards->Find(q.region)) stores.push_back(shard);
  } else if (q.near && q.radius_m > 0) {
    stores = impl.shards->Near(*q.near, q.radius_m);
  } else {
    stores = impl.shards->All();
  }
  std::vector<search::ShardIndex*> indexes;
  for (store::ShardStore* store : stores) {
    search::ShardIndex& index = impl.Index(*store);
    index.CatchUp();
    indexes.push_back(&index);
  }
  return indexes;
}

SearchResult Run(Engine::Impl& impl, SearchQuery q, const search::ParsedQuery& parsed) {
  validate::Limit(q.limit);
  if (q.near) validate::Location(*q.near, "near");
  if (!std::isfinite(q.radius_m) || q.radius_m < 0) {
    throw InvalidArgument("radius_m must be a non-negative number of meters");
  }
  if (q.radius_m > 0 && !q.near) throw InvalidArgument("radius_m needs a point (near)");
  validate::Ranking(q.ranking);
  if (!q.category.empty()) q.category = validate::Category(q.category);
  if (!q.tag.empty()) q.tag = validate::Hashtag(q.tag);
  if (!q.region.empty()) RequireRegion(*impl.shards, q.region);
  const std::vector<search::ShardIndex*> indexes = IndexesFor(impl, q);
  const auto load = [&impl](Id id) -> std::optional<Question> {
    store::ShardStore* shard = impl.shards->Find(ShardOf(id));
    return shard ? shard->GetQuestion(id) : std::nullopt;
  };
  return search::Search(indexes, q, parsed, impl.Now(), load);
}

}  // namespace

search::ShardIndex& Engine::Impl::Index(store::ShardStore& shard) {
  std::lock_guard lock(indexes_mutex);
  std::unique_ptr<search::ShardIndex>& index = indexes[shard.shard_no()];
  if (!index) index = std::make_unique<search::ShardIndex>(shard, options.sync, options.busy_timeout_ms);
  return *index;
}

void Engine::Impl::Reindex(store::ShardStore& shard) noexcept {
  try {
    Index(shard).CatchUp();
  } catch (...) {
    // Left for the next search's CatchUp, which reports it.
  }
}

SearchResult Engine::Search(const SearchQuery& query) {
  if (!text::IsValidUtf8(query.text)) throw InvalidArgument("query text is not valid UTF-8");
  if (query.text.size() > kMaxQueryBytes) {
    throw InvalidArgument(fmt::format("query text is longer than {} bytes", kMaxQueryBytes));
  }
  return Run(*impl_, query, search::ParseQuery(query.text));
}

SearchResult Engine::Similar(std::string_view title, std::string_view body,
                             std::optional<LatLon> near, int limit) {
  if (!text::IsValidUtf8(title)) throw InvalidArgument("title is not valid UTF-8");
  if (!text::IsValidUtf8(body)) throw InvalidArgument("body is not valid UTF-8");
  // Plain words only: a body's quotes and dashes are not query syntax. The
  // title comes first so its words survive the query's term cap.
  search::ParsedQuery parsed;
  parsed.words = {std::string(Head(title, kMaxQueryBytes)), std::string(Head(body, kMaxQueryBytes))};
  parsed.max_terms = kSimilarTerms;
  SearchQuery q;
  q.near = near;
  q.limit = limit;
  return Run(*impl_, q, parsed);
}

std::vector<TagCount> Engine::Trending(const TrendingOptions& options) {
  validate::Limit(options.limit);
  if (options.hours < 1 || options.hours > kMaxTrendingHours) {
    throw InvalidArgument(fmt::format("hours must be 1-{}", kMaxTrendingHours));
  }
  std::vector<store::ShardStore*> shards;
  if (options.region.empty()) {
    shards = impl_->shards->All();
  } else {
    RequireRegion(*impl_->shards, options.region);
    if (store::ShardStore* shard = impl_->shards->Find(options.region)) shards.push_back(shard);
  }
  // The window ends now: a question dated in the future (imported so) is
  // not trending yet.
  const Timestamp now = impl_->Now();
  const Timestamp since = now - std::chrono::hours(options.hours);
  // Every tag of the window from every shard, so the merged counts are
  // exact (a shard's top few could miss a tag used a little everywhere).
  std::unordered_map<std::string, std::int64_t> counts;
  for (store::ShardStore* shard : shards) shard->AddTagCounts(since, now, counts);
  std::vector<TagCount> tags;
  tags.reserve(counts.size());
  for (auto& [tag, n] : counts) tags.push_back({tag, n});
  const std::size_t kept = std::min(tags.size(), static_cast<std::size_t>(options.limit));
  std::partial_sort(tags.begin(), tags.begin() + static_cast<std::ptrdiff_t>(kept), tags.end(),
                    [](const TagCount& a, const TagCount& b) {
                      return a.count != b.count ? a.count > b.count : a.tag < b.tag;
                    });
  tags.resize(kept);
  return tags;
}

void Engine::RebuildIndex(const std::function<void(const RebuildProgress&)>& progress) {
  std::map<int, std::size_t> sizes;
  std::int64_t total = 0;
  for (store::ShardStore* shard : impl_->shards->All()) {
    sizes[shard->shard_no()] = static_cast<std::size_t>(shard->QuestionCount());
    total += static_cast<std::int64_t>(sizes[shard->shard_no()]);
  }
  const std::vector<int> order = LargestFirst(sizes);
  std::atomic<std::int64_t> indexed{0};
  const auto count = [&indexed](std::int64_t n) { indexed += n; };
  const auto rebuild = [&] {
    ParallelFor(order.size(), [&](std::size_t i) {
      impl_->Index(*impl_->shards->Find(order[i])).Rebuild(count);
    });
  };
  if (!progress) {
    rebuild();
    return;
  }
  // The future's destructor waits for the rebuild, so nothing it uses goes
  // out of scope under it, even when `progress` throws.
  std::future<void> done = std::async(std::launch::async, rebuild);
  while (done.wait_for(kRebuildProgressEvery) != std::future_status::ready) {
    progress({indexed, total});
  }
  done.get();
  progress({indexed, total});
}

}  // namespace dongne
