// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Engine: nearby search, the "needs an answer near me" feed, location
// verification (동네 인증) and who can answer. Each shard's questions are
// searched in its in-memory geo::PointIndex; a circle asks every shard whose
// region it may touch (and the default shard) and the hits are merged by
// distance.

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <compare>
#include <limits>
#include <map>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "engine/engine_impl.h"
#include "engine/ids.h"
#include "engine/validate.h"
#include "geo/circle_bounds.h"
#include "geo/geodesic.h"
#include "geo/point_index.h"

namespace dongne {
namespace {

constexpr int kDefaultPage = 20;
constexpr int kMaxK = 1000;
// k nearest without a radius: search circles of this radius, then wider.
constexpr double kFirstRadiusM = 2000;
constexpr double kRadiusGrowth = 8;
constexpr auto kRecentActivity = std::chrono::days(30);

std::int64_t Seconds(Timestamp t) { return t.time_since_epoch().count(); }

// Cursors are "<kind>:<query>:<field>:…", numbers in the shortest text
// that reads back to the same value: "n2:<query>:<distance>:<id>" for
// Nearby, "f2:<query>:<urgent>:<created_at>:<distance>:<id>" for the feed.
// <query> is a hash of what the position is relative to (the centre and the
// filters; not the page size), so a cursor of another query is refused
// rather than read as a position in this one: one from a centre 262 km away
// skipped every nearer question.
InvalidArgument BadCursor(std::string_view what) {
  return InvalidArgument(fmt::format("cursor is not a {} cursor of this engine", what));
}

// FNV-1a of `canonical`, in hex.
std::string QueryMark(const std::string& canonical) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : canonical) hash = (hash ^ c) * 1099511628211ull;
  return fmt::format("{:016x}", hash);
}

std::string MarkOf(const NearbyQuery& q, const std::string& category, const std::string& tag) {
  return QueryMark(fmt::format(
      "{}|{}|{}|{}|{}|{}|{}|{}|{}", q.center.lat, q.center.lon, q.radius_m.value_or(-1),
      q.unanswered, q.urgent, category, tag, q.status ? static_cast<int>(*q.status) : -1,
      q.newer_than ? Seconds(*q.newer_than) : std::numeric_limits<std::int64_t>::min()));
}

std::string MarkOf(const FeedQuery& q, const std::string& category) {
  return QueryMark(fmt::format("{}|{}|{}|{}", q.center.lat, q.center.lon, q.radius_m, category));
}

// The fields after "`kind`:<mark>:" (n of them); InvalidArgument naming
// `what` when the cursor is malformed or of another query.
std::vector<std::string_view> CursorFields(std::string_view cursor, std::string_view kind,
                                           const std::string& mark, std::size_t n,
                                           std::string_view what) {
  if (!cursor.starts_with(kind) || cursor.substr(kind.size(), 1) != ":") throw BadCursor(what);
  cursor.remove_prefix(kind.size() + 1);
  std::vector<std::string_view> fields;
  for (std::size_t colon; (colon = cursor.find(':')) != std::string_view::npos;) {
    fields.push_back(cursor.substr(0, colon));
    cursor.remove_prefix(colon + 1);
  }
  fields.push_back(cursor);
  if (fields.size() != n + 1) throw BadCursor(what);
  if (fields[0] != mark) {
    throw InvalidArgument(fmt::format(
        "cursor belongs to another {} query (its centre, radius or filters differ)", what));
  }
  fields.erase(fields.begin());
  return fields;
}

template <typename T>
T CursorNumber(std::string_view field, std::string_view what) {
  T value{};
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size()) throw BadCursor(what);
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value) || value < 0) throw BadCursor(what);
  }
  return value;
}

std::string EncodeCursor(const std::string& mark, const geo::NearKey& key) {
  return fmt::format("n2:{}:{}:{}", mark, key.distance_m, key.id);
}

std::optional<geo::NearKey> DecodeCursor(std::string_view cursor, const std::string& mark) {
  if (cursor.empty()) return std::nullopt;
  const auto fields = CursorFields(cursor, "n2", mark, 2, "nearby");
  return geo::NearKey{CursorNumber<double>(fields[0], "nearby"),
                      CursorNumber<Id>(fields[1], "nearby")};
}

// A position in feed order: urgent first, then the oldest, then the nearest,
// then the smallest id.
struct FeedKey {
  bool urgent = false;
  std::int64_t created_at = 0;
  geo::NearKey near;
};

std::string EncodeFeedCursor(const std::string& mark, const FeedKey& key) {
  return fmt::format("f2:{}:{}:{}:{}:{}", mark, key.urgent ? 1 : 0, key.created_at,
                     key.near.distance_m, key.near.id);
}

std::optional<FeedKey> DecodeFeedCursor(std::string_view cursor, const std::string& mark) {
  if (cursor.empty()) return std::nullopt;
  const auto fields = CursorFields(cursor, "f2", mark, 4, "feed");
  const int urgent = CursorNumber<int>(fields[0], "feed");
  if (urgent != 0 && urgent != 1) throw BadCursor("feed");
  return FeedKey{urgent == 1, CursorNumber<std::int64_t>(fields[1], "feed"),
                 {CursorNumber<double>(fields[2], "feed"), CursorNumber<Id>(fields[3], "feed")}};
}

std::uint8_t CategoryIndex(const std::string& category) {
  return static_cast<std::uint8_t>(
      std::find(std::begin(kCategories), std::end(kCategories), category) -
      std::begin(kCategories));
}

// The filters of a NearbyQuery that the index entries answer.
geo::PointIndex::Filter EntryFilter(const NearbyQuery& q, const std::string& category) {
  const bool any_category = category.empty();
  const std::uint8_t category_index = any_category ? 0 : CategoryIndex(category);
  const std::optional<std::int64_t> newer =
      q.newer_than ? std::optional(Seconds(*q.newer_than)) : std::nullopt;
  return [=, unanswered = q.unanswered, urgent = q.urgent,
          status = q.status](const geo::PointEntry& e) {
    return (!unanswered || !e.answered()) && (!urgent || e.urgent()) &&
           (any_category || e.category == category_index) && (!status || e.status() == *status) &&
           (!newer || e.created_at > *newer);
  };
}

// The questions `ids` name, in that order, read one shard at a time.
std::vector<Question> Fetch(Engine::Impl& engine, std::span<const Id> ids) {
  std::map<int, std::vector<Id>> by_shard;
  for (Id id : ids) by_shard[ShardOf(id)].push_back(id);
  std::unordered_map<Id, Question> found;
  for (const auto& [no, shard_ids] : by_shard) {
    for (Question& q : engine.ShardFor(shard_ids.front(), IdKind::kQuestion).GetQuestions(shard_ids)) {
      found.emplace(q.id, std::move(q));
    }
  }
  std::vector<Question> questions;
  for (Id id : ids) {
    auto it = found.find(id);
    if (it == found.end()) {
      throw Corruption(fmt::format("question {} is indexed but not stored", id));
    }
    questions.push_back(std::move(it->second));
  }
  return questions;
}

}  // namespace

NearbyPage Engine::Nearby(const NearbyQuery& q) {
  validate::Location(q.center, "center");
  if (!q.radius_m && !q.k) throw InvalidArgument("nearby needs radius_m, k or both");
  if (q.radius_m) validate::Radius(*q.radius_m, "radius_m");
  if (q.k) validate::Limit(*q.k, kMaxK, "limit (k)");
  const std::size_t k = q.k.value_or(kDefaultPage);
  const std::string category = q.category.empty() ? "" : validate::Category(q.category);
  const std::string tag = q.tag.empty() ? "" : validate::Hashtag(q.tag);
  const std::string mark = MarkOf(q, category, tag);
  const std::optional<geo::NearKey> after = DecodeCursor(q.cursor, mark);
  const geo::PointIndex::Filter base = EntryFilter(q, category);

  // The k + 1 first hits after the cursor within `radius` in every shard
  // near, merged: one more than a page tells whether another follows.
  const auto search = [&](double radius) {
    std::vector<geo::PointHit> hits;
    for (store::ShardStore* shard : impl_->shards->Near(q.center, radius)) {
      geo::PointIndex::Filter keep = base;
      if (!tag.empty()) {
        const std::vector<Id> ids = shard->Tagged(tag);
        keep = [&base, tagged = std::unordered_set<Id>(ids.begin(), ids.end())](
                   const geo::PointEntry& e) { return tagged.contains(e.id) && base(e); };
      }
      auto part = shard->Points().Nearest(q.center, radius, after, k + 1, keep);
      std::move(part.begin(), part.end(), std::back_inserter(hits));
    }
    const auto nearer = [](const geo::PointHit& a, const geo::PointHit& b) {
      return geo::NearKey{a.distance_m, a.entry.id} < geo::NearKey{b.distance_m, b.entry.id};
    };
    const std::size_t keep = std::min(hits.size(), k + 1);
    std::partial_sort(hits.begin(), hits.begin() + keep, hits.end(), nearer);
    hits.resize(keep);
    return hits;
  };

  std::vector<geo::PointHit> hits;
  if (q.radius_m) {
    hits = search(*q.radius_m);
  } else {
    // k nearest at any distance: widen the circle until it holds k + 1 hits
    // (every hit within a circle is found, so those are the nearest) or the
    // whole Earth.
    double radius = std::max(kFirstRadiusM, after ? after->distance_m * 2 : 0);
    for (;;) {
      radius = std::min(radius, validate::kMaxRadiusM);
      hits = search(radius);
      if (hits.size() > k || radius >= validate::kMaxRadiusM) break;
      radius *= kRadiusGrowth;
    }
  }

  NearbyPage page;
  const std::size_t shown = std::min(hits.size(), k);
  std::vector<Id> ids;
  for (std::size_t i = 0; i < shown; ++i) ids.push_back(hits[i].entry.id);
  std::vector<Question> questions = Fetch(*impl_, ids);
  for (std::size_t i = 0; i < shown; ++i) {
    page.hits.push_back({std::move(questions[i]), hits[i].distance_m});
  }
  if (hits.size() > k) {
    page.next_cursor = EncodeCursor(mark, {hits[k - 1].distance_m, hits[k - 1].entry.id});
  }
  return page;
}

FeedPage Engine::NeedsAnswer(const FeedQuery& q) {
  validate::Location(q.center, "center");
  validate::Radius(q.radius_m, "radius_m");
  validate::Limit(q.limit, kMaxK, "limit");
  const std::string category = q.category.empty() ? "" : validate::Category(q.category);
  const std::string mark = MarkOf(q, category);
  const std::optional<FeedKey> after = DecodeFeedCursor(q.cursor, mark);
  NearbyQuery filters{.unanswered = true, .category = category, .status = QuestionStatus::kOpen};
  const geo::PointIndex::Filter keep = EntryFilter(filters, category);

  // Members of the circle. Most are inside by their bounds alone; the exact
  // distance is computed for those on the boundary, and later for those
  // whose order depends on it or that are shown.
  struct Member {
    geo::PointEntry entry;
    mutable double distance_m = -1;  // -1: not computed yet
    double Distance(LatLon center) const {
      if (distance_m < 0) distance_m = geo::GeodesicDistance(center, entry.at);
      return distance_m;
    }
  };
  // Where a member stands against a position in feed order: urgent first,
  // then the longest waiting, then the nearest; ids break ties.
  const auto order = [&](const Member& m, const FeedKey& key) -> std::partial_ordering {
    if (m.entry.urgent() != key.urgent) {
      return m.entry.urgent() ? std::partial_ordering::less : std::partial_ordering::greater;
    }
    if (m.entry.created_at != key.created_at) return m.entry.created_at <=> key.created_at;
    return geo::NearKey{m.Distance(q.center), m.entry.id} <=> key.near;
  };
  const auto key_of = [&](const Member& m) {
    return FeedKey{m.entry.urgent(), m.entry.created_at, {m.Distance(q.center), m.entry.id}};
  };
  std::vector<Member> members;
  for (store::ShardStore* shard : impl_->shards->Near(q.center, q.radius_m)) {
    shard->Points().ForEachNear(
        q.center, q.radius_m, keep, [&](const geo::PointEntry& e, geo::DistanceBounds::Range r) {
          Member m{e};
          if (r.upper > q.radius_m && m.Distance(q.center) > q.radius_m) return;
          if (after && !(order(m, *after) > 0)) return;  // on an earlier page
          members.push_back(m);
        });
  }
  const auto before = [&](const Member& a, const Member& b) { return order(a, key_of(b)) < 0; };
  const std::size_t shown = std::min<std::size_t>(members.size(), q.limit);
  std::partial_sort(members.begin(), members.begin() + shown, members.end(), before);

  const Timestamp now = impl_->Now();
  std::vector<Id> ids;
  for (std::size_t i = 0; i < shown; ++i) ids.push_back(members[i].entry.id);
  std::vector<Question> questions = Fetch(*impl_, ids);
  FeedPage page;
  for (std::size_t i = 0; i < shown; ++i) {
    const Member& m = members[i];
    const std::int64_t waiting = std::max<std::int64_t>(0, Seconds(now) - m.entry.created_at);
    page.hits.push_back({std::move(questions[i]), m.Distance(q.center), waiting});
  }
  if (members.size() > shown) {
    page.next_cursor = EncodeFeedCursor(mark, key_of(members[shown - 1]));
  }
  return page;
}

Home Engine::VerifyLocation(Id user, LatLon point) {
  validate::Location(point, "point");
  impl_->RequireUser(user, "user");
  const ShardSet::Route route = impl_->shards->Locate(point);
  const Home home{.user = user,
                  .neighborhood = route.neighborhood.empty() ? route.key : route.neighborhood,
                  .location = point,
                  .verified_at = impl_->Now()};
  auto txn = impl_->catalog->Begin();
  txn.SetHome(home);
  txn.Commit();
  return home;
}

std::optional<Home> Engine::GetHome(Id user) {
  impl_->RequireUser(user, "user");
  return impl_->catalog->GetHome(user);
}

std::vector<Answerer> Engine::WhoCanAnswer(Id question_id, double radius_m, int limit) {
  validate::Radius(radius_m, "radius_m");
  validate::Limit(limit, kMaxK, "limit");
  const Question question = GetQuestion(question_id);

  std::vector<Answerer> found;
  const geo::LatLonBox box = geo::CircleBox(question.location, radius_m);
  for (const Home& home : impl_->catalog->HomesBetween(box.lat_min, box.lat_max)) {
    if (home.user == question.author_id) continue;
    const double d = geo::GeodesicDistance(home.location, question.location);
    if (d > radius_m) continue;
    found.push_back({.home = home, .distance_m = d});
  }
  std::vector<Id> users;
  for (const Answerer& a : found) users.push_back(a.home.user);
  const Timestamp since = impl_->Now() - kRecentActivity;
  std::map<Id, store::AnswerStats> stats;
  for (store::ShardStore* shard : impl_->shards->All()) {
    for (const auto& [user, s] : shard->AnswerStatsOf(users, since)) {
      stats[user].recent += s.recent;
      stats[user].accepted += s.accepted;
    }
  }
  for (Answerer& a : found) {
    const store::AnswerStats s = stats[a.home.user];
    a.recent_answers = s.recent;
    a.accepted_answers = s.accepted;
    const double nearness = radius_m > 0 ? 1 - a.distance_m / radius_m : 1;
    a.score = 0.5 * nearness + 0.3 * std::min(s.recent, 10) / 10.0 +
              0.2 * std::min(s.accepted, 10) / 10.0;
  }
  std::sort(found.begin(), found.end(), [](const Answerer& a, const Answerer& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.distance_m != b.distance_m) return a.distance_m < b.distance_m;
    return a.home.user < b.home.user;
  });
  if (found.size() > static_cast<std::size_t>(limit)) found.resize(limit);
  for (Answerer& a : found) a.user = impl_->RequireUser(a.home.user, "user");
  return found;
}

}  // namespace dongne
