// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The value types a host passes to and gets from an Engine: users, questions,
// answers and pages of them. They are plain structs, cheap to copy and safe to
// share between threads once built.

#ifndef DONGNE_TYPES_H_
#define DONGNE_TYPES_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dongne {

// Users, questions and answers are named by 64-bit ids. A question's or an
// answer's id encodes the shard that holds it and whether it is a question or
// an answer, so a lookup by id touches one shard. Ids stay below 2^53, so
// JavaScript clients can hold them as numbers.
using Id = std::int64_t;

// Seconds since the Unix epoch, UTC.
using Timestamp = std::chrono::sys_seconds;

// RFC 3339 text of a time in UTC, e.g. "2025-05-01T03:00:00Z".
std::string FormatRfc3339(Timestamp t);
// Parses RFC 3339 ("2025-05-01T12:00:00+09:00", "…Z", fractions of a second
// dropped). InvalidArgument on anything else.
Timestamp ParseRfc3339(std::string_view text);

// A WGS84 position in degrees: latitude in [-90, 90], longitude in [-180, 180].
struct LatLon {
  double lat = 0;
  double lon = 0;
};

// The categories a question may carry. Anything else is an InvalidArgument.
//   food       맛집, 카페, 시장
//   sights     관광지, 명소, 사진 찍기 좋은 곳
//   transport  버스, 택시, 주차, 길 찾기
//   lodging    숙소, 캠핑
//   shopping   쇼핑, 기념품
//   activity   체험, 레저, 등산, 바다
//   weather    날씨와 지금 현장 상황 (줄, 혼잡, 통제)
//   living     생활 정보: 병원, 약국, 편의시설, 동네 소식
//   other      그 밖의 모든 것 (the default)
inline constexpr std::string_view kCategories[] = {
    "food",    "sights",   "transport", "lodging", "shopping",
    "activity", "weather", "living",    "other"};

enum class QuestionStatus {
  kOpen,      // no answer yet
  kAnswered,  // at least one answer, none accepted
  kAccepted,  // the asker accepted an answer; final
  kClosed,    // closed or expired without acceptance; final
};

// "open", "answered", "accepted", "closed".
std::string_view QuestionStatusName(QuestionStatus status);
// The status of one of those names; InvalidArgument for any other.
QuestionStatus ParseQuestionStatus(std::string_view name);

struct User {
  Id id = 0;
  std::string nickname;  // NFC, 1–30 characters, unique in the engine
  std::int64_t balance = 0;
  Timestamp created_at{};
};

struct Question {
  Id id = 0;
  std::string ext_id;        // the importer's id; empty when none
  std::string region;        // shard key, e.g. "jeju"
  std::string neighborhood;  // from the neighbourhood map; empty when none
  std::string title;
  std::string body;
  Id author_id = 0;
  std::string author;  // the author's nickname
  LatLon location;
  std::string category;
  std::vector<std::string> hashtags;
  bool urgent = false;
  std::int64_t bounty = 0;
  QuestionStatus status = QuestionStatus::kOpen;
  int answer_count = 0;
  std::optional<Id> accepted_answer;
  int likes = 0;
  Timestamp created_at{};
};

struct Answer {
  Id id = 0;
  Id question_id = 0;
  std::string ext_id;
  Id author_id = 0;
  std::string author;
  std::string body;
  bool accepted = false;
  int likes = 0;
  Timestamp created_at{};
};

// What Engine::Ask takes. Text is validated and normalised (NFC; hashtags
// NFKC, without a leading '#', Latin lower-cased, deduplicated) before it is
// stored. Text that shows nothing (white space, zero-width characters, Hangul
// fillers) is empty; a nickname may not hold bidirectional overrides.
struct NewQuestion {
  Id author = 0;
  std::string title;  // 1–200 characters
  std::string body;   // 1–20,000 characters
  LatLon location;
  std::string category = "other";     // one of kCategories
  std::vector<std::string> hashtags;  // at most 10, each 1–30 characters
  bool urgent = false;
  std::int64_t bounty = 0;  // points offered; non-negative
  std::optional<Timestamp> created_at;  // default: now; years 1–9999
  std::string ext_id;  // optional; at most one question per ext_id
};

struct NewAnswer {
  Id question = 0;
  Id author = 0;
  std::string body;  // 1–20,000 characters
  std::optional<Timestamp> created_at;  // default: now; years 1–9999
  std::string ext_id;
};

enum class ListSort {
  kRecent,      // newest first
  kPopular,     // most likes + answers first, then newest
  kUrgent,      // urgent first, then newest
  kUnanswered,  // questions without answers first, then newest
};

struct ListOptions {
  std::string region;    // a shard key; empty = every region
  std::string category;  // empty = any
  std::string tag;       // empty = any; matched after hashtag normalisation
  ListSort sort = ListSort::kRecent;
  int limit = 20;      // 1–1000
  std::string cursor;  // from a previous page's next_cursor; empty = first page
};

struct QuestionPage {
  std::vector<Question> questions;
  // Opaque; pass it back in ListOptions::cursor for the next page. Empty when
  // there are no more questions. Paging with recent (and with the other sorts
  // while counts do not change) neither skips nor repeats a question, even
  // while new questions arrive.
  std::string next_cursor;
};

// One line of a user's points statement: a signed amount, what moved it, and
// the question or answer it was for (0 when none).
struct LedgerEntry {
  std::int64_t amount = 0;
  std::string kind;  // signup_bonus, bounty_hold, urgent_fee, bounty_payout, reward,
                     // bounty_refund, purchase, adjustment
  Id ref = 0;
  Timestamp at{};
};

struct PointsStatement {
  std::int64_t balance = 0;          // equals the sum of every entry ever
  std::vector<LedgerEntry> entries;  // newest first
  std::string next_cursor;           // empty when no older entries remain
};

// What Engine::Verify found. `sound` when `problems` is empty.
struct VerifyReport {
  bool sound = true;
  std::vector<std::string> problems;  // each names the account, question or event
  std::int64_t transactions = 0;
  std::int64_t escrows_held = 0;
  std::int64_t events_applied = 0;
  std::int64_t questions = 0;
};

// Progress of a long call such as Engine::Import, reported every few thousand
// lines and once at the end.
struct ImportProgress {
  std::int64_t lines = 0;
  std::int64_t bytes = 0;
  std::int64_t total_bytes = 0;  // size of the input; 0 when unknown
};

// Progress of Engine::RebuildIndex, reported about twice a second and once
// at the end.
struct RebuildProgress {
  std::int64_t indexed = 0;  // questions indexed so far, over every shard
  std::int64_t total = 0;    // questions stored when the rebuild began
};

// Progress of Engine::Verify, reported after each shard (its store.db and
// search index), then after catalog.db (the ledger against the shards).
struct VerifyProgress {
  std::int64_t checked = 0;  // files audited so far
  std::int64_t total = 0;    // every shard and catalog.db
};

struct ImportError {
  std::int64_t line = 0;  // 1-based
  std::string message;
};

struct ImportSummary {
  std::int64_t lines = 0;              // non-blank lines read
  std::int64_t questions_added = 0;
  std::int64_t answers_added = 0;
  std::int64_t unchanged = 0;          // ext_id already imported
  std::int64_t errors = 0;             // lines skipped
  std::vector<ImportError> first_errors;  // the first 100 of them
  double seconds = 0;
};

}  // namespace dongne

#endif  // DONGNE_TYPES_H_
