// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// One shard's store.db: a SpatiaLite database with the questions (a POINT
// layer in SRID 4326 with a spatial index, so GIS tools see them), answers,
// likes, hashtags and the change log the search index follows.
//
// Every write is one transaction and appends to the change log, in that same
// transaction, the questions whose searchable state it changed. Callers
// validate input first; the store enforces the rules that depend on stored
// state (acceptance, likes) and the uniqueness of ids and ext_ids.
//
// Thread-safety: all methods may be called from many threads; writes are
// serialised on the single writer connection, reads use pooled readers.

#ifndef DONGNE_STORE_SHARD_STORE_H_
#define DONGNE_STORE_SHARD_STORE_H_

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "dongne/error.h"
#include "dongne/types.h"
#include "engine/ids.h"
#include "geo/point_index.h"
#include "store/connection_pool.h"

namespace dongne::store {

// The Conflict of an ext_id already stored under `stored`.
Conflict ExtIdTaken(IdKind kind, std::string_view ext_id, Id stored);

// Throws what storing the new `answer` under `question` as it stands would:
// Conflict when the question is closed; for an answer marked accepted,
// Refused when it is the asker's own and Conflict when the question has an
// accepted answer. Import checks its lines with it before creating their
// authors, so a line the shard would refuse leaves none behind.
void RequireAnswerable(const Question& question, const Answer& answer);

// Where a listed question stands in its sort order: (primary, created_at, id)
// descending. `primary` is the sort's leading key (0 for recent).
struct ListKey {
  std::int64_t primary = 0;
  std::int64_t created_at = 0;
  Id id = 0;
};

struct ListedQuestion {
  ListKey key;
  Question question;
};

// One entry of the change log: question `question_id` changed (created,
// answered, accepted, liked, …) in the transaction that wrote `seq`.
struct Change {
  std::int64_t seq = 0;
  Id question_id = 0;
};

// A change in a shard that moves points in catalog.db, written to the
// shard's outbox in the transaction of the change and applied to the ledger
// exactly once (the ledger records `id`). A question yields at most one:
// acceptance and closing are final and exclude each other.
struct PointsEvent {
  enum class Kind { kPayout, kRefund };
  std::string id;  // "payout:<question>" or "refund:<question>"
  Kind kind = Kind::kPayout;
  Id question = 0;
  Id answer = 0;    // payout: the accepted answer
  Id answerer = 0;  // payout: its author
  Id asker = 0;
  std::int64_t bounty = 0;
  Timestamp at{};
};

// One author's answers in a shard: those since a time, and those accepted.
struct AnswerStats {
  int recent = 0;
  int accepted = 0;
};

class ShardStore {
 public:
  // Opens or creates `dir`/store.db for shard number `shard_no` with key
  // `key`, migrating its schema. A file recorded for another shard is
  // Corruption.
  ShardStore(const std::filesystem::path& dir, int shard_no, std::string key,
             const Database::Config& config);

  int shard_no() const { return shard_no_; }
  const std::string& key() const { return key_; }
  const std::filesystem::path& path() const { return pool_.path(); }

  // --- Writes --------------------------------------------------------------

  // Inserts the questions whose id is not stored yet (ids are allocated by
  // the catalog, so replaying an insert is harmless) and returns how many
  // were new. The catalog reserves ext_ids; a question whose ext_id this
  // shard holds under another id is a Conflict (two writers reserved it at
  // once), as is such an answer below.
  int InsertQuestions(std::span<const Question> questions);

  // Inserts the answers whose id is not stored yet, updating their
  // questions' counts and status; an answer with `accepted` set is accepted
  // as by Accept. An answer whose question is missing is NotFound; a closed
  // question takes no more answers (Conflict). An accepted one still does, and
  // stays accepted.
  int InsertAnswers(std::span<const Answer> answers);

  // `by` accepts `answer` at `now`, writing a payout event. Refused unless
  // `by` asked the question and did not write the answer; Conflict when the
  // question has another accepted answer or is closed. Accepting the
  // accepted answer again changes nothing. Returns the accepted answer.
  Answer Accept(Id answer, Id by, Timestamp now);

  // Closes `question` at `now`, writing a refund event when it has a
  // bounty. Refused unless `by` asked it (`by` = 0: the engine, for expiry);
  // Conflict when it is accepted; closing a closed question changes nothing.
  Question Close(Id question, Id by, Timestamp now);

  // Outbox events not yet marked delivered, oldest first.
  std::vector<PointsEvent> PendingEvents();
  // Marks events delivered once the ledger has applied them.
  void MarkDelivered(const std::string& event_id);
  // Every event id in the outbox, with whether it was marked delivered.
  std::vector<std::pair<std::string, bool>> AllEvents();
  // Questions with a bounty or the urgent flag, for the ledger audit.
  std::vector<Question> QuestionsWithPoints();
  std::int64_t QuestionCount();
  // PRAGMA quick_check of store.db: empty when sound.
  std::vector<std::string> QuickCheck();

  // Adds (on) or removes (!on) `user`'s like of question or answer `target`;
  // returns the target's like count. Idempotent.
  int SetLike(Id user, Id target, bool on);

  // --- Reads ---------------------------------------------------------------

  std::optional<Question> GetQuestion(Id id);
  // The stored questions among `ids`, in their order, on one connection.
  std::vector<Question> GetQuestions(std::span<const Id> ids);
  std::optional<Answer> GetAnswer(Id id);
  std::vector<Answer> ListAnswers(Id question);  // oldest first

  // Questions in `sort` order strictly after `after` (all when nullopt),
  // filtered by category and normalised tag (empty = any); at most `limit`.
  std::vector<ListedQuestion> List(ListSort sort, const std::string& category,
                                   const std::string& tag,
                                   const std::optional<ListKey>& after, int limit);

  // Refused when `question` would not take an answer now (see InsertAnswers);
  // NotFound when it is not stored.
  void CheckTakesAnswers(Id question);

  // Change-log entries after `seq`, oldest first, at most `limit`.
  std::vector<Change> ChangesSince(std::int64_t seq, int limit);

  // The seq of the last change-log entry; 0 when none.
  std::int64_t LastChangeSeq();

  // Questions with ids above `after`, in id order, at most `limit`: a full
  // scan in pages, for rebuilding the search index.
  std::vector<Question> QuestionsAfter(Id after, int limit);

  // Adds to `counts` one for each hashtag of each question created in
  // [since, until]. Reads only the window, through the index on created_at:
  // the time follows the window, not the shard's history.
  void AddTagCounts(Timestamp since, Timestamp until,
                    std::unordered_map<std::string, std::int64_t>& counts);

  // Whether `id` is stored as a question or an answer.
  bool Has(Id id);
  // ext_ids stored under more than one question or answer (the first 20 of
  // each), as problems for Verify. Writes before schema v4 could do that.
  std::vector<std::string> DuplicateExtIds();
  // The question or answer (by `kind`) stored with `ext_id`, if any.
  std::optional<Id> IdOfExtId(IdKind kind, std::string_view ext_id);
  // The questions among `questions` that are not stored, in their order: one
  // statement for many ids (a statement per id is a read transaction each).
  std::vector<Id> MissingQuestions(std::span<const Id> questions);

  // --- Nearby --------------------------------------------------------------

  // The shard's question points, read from store.db on first use (holding
  // the writer, so no write of this process slips between the read and the
  // index going live). This process's writes update it as they commit, still
  // holding the writer; what other processes committed is read from the
  // change log on each call before the index is returned.
  const geo::PointIndex& Points();

  // The questions carrying normalised `tag`.
  std::vector<Id> Tagged(const std::string& tag);

  // Per author among `authors`: answers created at or after `since`, and
  // accepted answers. Authors without answers here are absent.
  std::map<Id, AnswerStats> AnswerStatsOf(std::span<const Id> authors, Timestamp since);

 private:
  // A write's own point entries, and the change seqs around it.
  struct PointsUpdate {
    std::vector<geo::PointEntry> entries;
    std::int64_t seq_before = 0;  // the last change before the transaction
    std::int64_t seq_after = 0;   // the transaction's last change
  };
  // Re-reads the index entries of `ids`, the questions a transaction
  // changed, at its end inside it, when the index is live (nothing
  // otherwise: the first Points() reads them). `seq_before`: the last change
  // seq when the transaction began.
  PointsUpdate PointEntries(Database& db, std::int64_t seq_before, std::span<const Id> ids);
  // After the commit, still holding the writer.
  void ApplyPoints(const PointsUpdate& update);
  // Applies the changes logged after points_seq_ (any process's): their
  // questions' entries, or the whole shard again when they are many.
  void CatchUpPoints();
  void LoadPointsLocked(Database& db);

  int shard_no_;
  std::string key_;
  ConnectionPool pool_;
  geo::PointIndex points_;
  std::atomic<bool> points_live_ = false;  // set once, holding the writer
  // Held while entries read from store.db are applied (a catch-up, or a
  // write's own entries), so an entry read earlier never lands after one
  // read later. Taken after the writer, never before it.
  std::mutex points_mutex_;
  // Every change up to it is in points_. Written holding points_mutex_
  // after the entries it covers; read without it to skip the lock when
  // caught up.
  std::atomic<std::int64_t> points_seq_ = 0;
};

}  // namespace dongne::store

#endif  // DONGNE_STORE_SHARD_STORE_H_
