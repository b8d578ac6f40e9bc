// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "store/shard_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>
#include <nlohmann/json.hpp>

#include "dongne/error.h"
#include "engine/ids.h"
#include "store/schema.h"
#include "text/unicode.h"

namespace dongne::store {
namespace {

// steps[v] takes a store.db from schema version v to v + 1.
constexpr std::string_view kSchemaSteps[] = {
    R"sql(
CREATE TABLE shard(key TEXT NOT NULL, shard_no INTEGER NOT NULL);
SELECT InitSpatialMetadata(0, 'WGS84_ONLY');
CREATE TABLE questions(
  id              INTEGER PRIMARY KEY,  -- engine-wide id: shard and kind encoded
  ext_id          TEXT,                 -- the importer's id, NULL when none (the
                                        -- catalog's ext_ids keeps them unique)
  author_id       INTEGER NOT NULL,
  author          TEXT NOT NULL,        -- nickname at the time of writing
  title           TEXT NOT NULL,
  body            TEXT NOT NULL,
  lat             REAL NOT NULL,
  lon             REAL NOT NULL,
  neighborhood    TEXT NOT NULL,
  category        TEXT NOT NULL,
  hashtags        TEXT NOT NULL,        -- JSON array of normalised tags
  urgent          INTEGER NOT NULL,
  bounty          INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('open', 'answered', 'accepted', 'closed')),
  answer_count    INTEGER NOT NULL DEFAULT 0,
  accepted_answer INTEGER,
  likes           INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,     -- Unix seconds
  updated_at      INTEGER NOT NULL
);
SELECT AddGeometryColumn('questions', 'geom', 4326, 'POINT', 'XY', 1);
SELECT CreateSpatialIndex('questions', 'geom');
-- SpatiaLite's insert triggers check the geometry with a subquery, index it
-- through RTreeAlign (which prepares SQL for every row) and stamp
-- geometry_columns_time on every insert and update (every like, every
-- answer): together they halve import speed. The engine always writes
-- MakePoint(lon, lat, 4326), so one plain trigger indexes the point instead.
-- SQLite's R*Tree rounds its float32 boxes outwards: the box holds the point.
-- The update and delete triggers stay as SpatiaLite made them.
DROP TRIGGER ggi_questions_geom;
DROP TRIGGER gii_questions_geom;
DROP TRIGGER tmi_questions_geom;
DROP TRIGGER tmu_questions_geom;
DROP TRIGGER tmd_questions_geom;
CREATE TRIGGER gii_questions_geom AFTER INSERT ON questions FOR EACH ROW BEGIN
  INSERT INTO idx_questions_geom(pkid, xmin, xmax, ymin, ymax)
  VALUES (NEW.rowid, NEW.lon, NEW.lon, NEW.lat, NEW.lat);
END;
CREATE INDEX questions_recent ON questions(created_at);
CREATE INDEX questions_category ON questions(category, created_at);
CREATE INDEX questions_popular ON questions(likes + answer_count, created_at);
CREATE INDEX questions_urgent ON questions(urgent, created_at);
CREATE INDEX questions_unanswered ON questions(answer_count = 0, created_at);
CREATE TABLE question_tags(
  tag         TEXT NOT NULL,
  question_id INTEGER NOT NULL REFERENCES questions(id),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (tag, question_id)
) WITHOUT ROWID;
CREATE TABLE answers(
  id          INTEGER PRIMARY KEY,
  question_id INTEGER NOT NULL REFERENCES questions(id),
  ext_id      TEXT,
  author_id   INTEGER NOT NULL,
  author      TEXT NOT NULL,
  body        TEXT NOT NULL,
  accepted    INTEGER NOT NULL DEFAULT 0,
  likes       INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
CREATE INDEX answers_question ON answers(question_id);
CREATE TABLE likes(
  target_id  INTEGER NOT NULL,  -- a question or an answer
  user_id    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (target_id, user_id)
) WITHOUT ROWID;
-- Every transaction that changes what a question looks like to search appends
-- the question here; the Xapian index applies entries in seq order.
CREATE TABLE changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, question_id INTEGER NOT NULL);
-- Events for the ledger in catalog.db (PointsEvent), written with the change
-- that causes them; delivered = the ledger has applied them.
CREATE TABLE outbox(
  event_id    TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('payout', 'refund')),
  question_id INTEGER NOT NULL,
  answer_id   INTEGER NOT NULL,
  answerer    INTEGER NOT NULL,
  asker       INTEGER NOT NULL,
  bounty      INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  delivered   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX outbox_pending ON outbox(delivered) WHERE delivered = 0;
)sql",
    // v2: who can answer counts each nearby user's recent and accepted answers.
    R"sql(
CREATE INDEX answers_author ON answers(author_id, created_at);
)sql",
    // v3: trending hashtags count a recent window of question_tags.
    R"sql(
CREATE INDEX question_tags_recent ON question_tags(created_at, tag);
)sql",
    // v4: an insert checks its ext_id is not stored under another id.
    R"sql(
CREATE INDEX questions_ext_id ON questions(ext_id) WHERE ext_id IS NOT NULL;
CREATE INDEX answers_ext_id ON answers(ext_id) WHERE ext_id IS NOT NULL;
)sql",
};

constexpr std::string_view kQuestionColumns =
    "id, ext_id, author_id, author, title, body, lat, lon, neighborhood, category, "
    "hashtags, urgent, bounty, status, answer_count, accepted_answer, likes, created_at";

constexpr std::string_view kAnswerColumns =
    "id, question_id, ext_id, author_id, author, body, accepted, likes, created_at";

std::int64_t Seconds(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp FromSeconds(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

QuestionStatus ParseStatus(const std::string& s) {
  if (s == "answered") return QuestionStatus::kAnswered;
  if (s == "accepted") return QuestionStatus::kAccepted;
  if (s == "closed") return QuestionStatus::kClosed;
  return QuestionStatus::kOpen;
}

// Reads kQuestionColumns starting at column 0.
Question ReadQuestion(const Statement& st, const std::string& region) {
  Question q;
  q.id = st.Int(0);
  q.ext_id = st.Text(1);
  q.author_id = st.Int(2);
  q.author = st.Text(3);
  q.title = st.Text(4);
  q.body = st.Text(5);
  q.location = {st.Double(6), st.Double(7)};
  q.region = region;
  q.neighborhood = st.Text(8);
  q.category = st.Text(9);
  q.hashtags = nlohmann::json::parse(st.Text(10)).get<std::vector<std::string>>();
  q.urgent = st.Int(11) != 0;
  q.bounty = st.Int(12);
  q.status = ParseStatus(st.Text(13));
  q.answer_count = static_cast<int>(st.Int(14));
  q.accepted_answer = st.OptionalInt(15);
  q.likes = static_cast<int>(st.Int(16));
  q.created_at = FromSeconds(st.Int(17));
  return q;
}

Answer ReadAnswer(const Statement& st) {
  Answer a;
  a.id = st.Int(0);
  a.question_id = st.Int(1);
  a.ext_id = st.Text(2);
  a.author_id = st.Int(3);
  a.author = st.Text(4);
  a.body = st.Text(5);
  a.accepted = st.Int(6) != 0;
  a.likes = static_cast<int>(st.Int(7));
  a.created_at = FromSeconds(st.Int(8));
  return a;
}

// The columns a geo::PointEntry is made of, and the entry from them.
constexpr std::string_view kPointColumns =
    "id, lat, lon, created_at, urgent, answer_count, status, category";

geo::PointEntry ReadPointEntry(const Statement& st) {
  geo::PointEntry e;
  e.id = st.Int(0);
  e.at = {st.Double(1), st.Double(2)};
  e.created_at = st.Int(3);
  e.flags = geo::PointEntry::Flags(st.Int(4) != 0, st.Int(5) > 0, ParseStatus(st.Text(6)));
  const std::string category = st.Text(7);
  const auto known = std::find(std::begin(kCategories), std::end(kCategories), category);
  e.category = static_cast<std::uint8_t>(known - std::begin(kCategories));
  return e;
}

std::optional<std::string> NullIfEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::int64_t LastChangeSeqOn(Database& db) {
  auto st = db.Prepare("SELECT COALESCE(MAX(seq), 0) FROM changes");
  st->Step();
  const std::int64_t seq = st->Int(0);
  st->Reset();
  return seq;
}

// Changed questions a catch-up of the point index reads one by one; beyond
// this it reads the whole shard again.
constexpr std::size_t kPointsCatchUpMax = 20000;

void LogChange(Database& db, Id question) {
  db.Prepare("INSERT INTO changes(question_id) VALUES (?)")->BindAll(question).Run();
}

std::optional<Question> SelectQuestion(Database& db, Id id, const std::string& region) {
  auto st = db.Prepare(fmt::format("SELECT {} FROM questions WHERE id = ?", kQuestionColumns));
  st->BindAll(id);
  if (!st->Step()) return std::nullopt;
  return ReadQuestion(*st, region);
}

std::optional<Answer> SelectAnswer(Database& db, Id id) {
  auto st = db.Prepare(fmt::format("SELECT {} FROM answers WHERE id = ?", kAnswerColumns));
  st->BindAll(id);
  if (!st->Step()) return std::nullopt;
  return ReadAnswer(*st);
}

// The acceptance rules and their effect, inside the caller's transaction.
// Returns false when `answer` was already the accepted one (nothing to do).
void WriteEvent(Database& db, const PointsEvent& e) {
  db.Prepare(
        "INSERT INTO outbox(event_id, kind, question_id, answer_id, answerer, asker, bounty, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      ->BindAll(e.id, e.kind == PointsEvent::Kind::kPayout ? "payout" : "refund", e.question,
                e.answer, e.answerer, e.asker, e.bounty, Seconds(e.at))
      .Run();
}

// The acceptance rules that do not depend on who accepts.
void RequireAcceptable(const Question& question, const Answer& answer) {
  if (answer.author_id == question.author_id) {
    throw Refused(fmt::format("answer {} is the asker's own and cannot be accepted",
                              answer.id));
  }
  if (question.status == QuestionStatus::kAccepted) {
    throw Conflict(fmt::format("question {} already has an accepted answer ({})",
                               question.id, *question.accepted_answer));
  }
  if (question.status == QuestionStatus::kClosed) {
    throw Conflict(fmt::format("question {} is closed", question.id));
  }
}

}  // namespace

void RequireAnswerable(const Question& question, const Answer& answer) {
  if (question.status == QuestionStatus::kClosed) {
    throw Conflict(fmt::format("question {} is closed and takes no more answers", question.id));
  }
  if (answer.accepted) RequireAcceptable(question, answer);
}

namespace {

bool ApplyAcceptance(Database& db, const Answer& answer, const Question& question, Id by,
                     Timestamp now) {
  if (by != question.author_id) {
    throw Refused(fmt::format("only the asker of question {} may accept its answers",
                              question.id));
  }
  if (question.status == QuestionStatus::kAccepted && question.accepted_answer == answer.id) {
    return false;
  }
  RequireAcceptable(question, answer);
  db.Prepare("UPDATE answers SET accepted = 1 WHERE id = ?")->BindAll(answer.id).Run();
  db.Prepare(
        "UPDATE questions SET status = 'accepted', accepted_answer = ?, updated_at = ? "
        "WHERE id = ?")
      ->BindAll(answer.id, Seconds(now), question.id)
      .Run();
  LogChange(db, question.id);
  WriteEvent(db, {.id = fmt::format("payout:{}", question.id),
                  .kind = PointsEvent::Kind::kPayout,
                  .question = question.id,
                  .answer = answer.id,
                  .answerer = answer.author_id,
                  .asker = question.author_id,
                  .bounty = question.bounty,
                  .at = now});
  return true;
}

// The sort's leading key, which comes before (created_at, id); none for
// recent.
std::string_view PrimaryKeyExpression(ListSort sort) {
  switch (sort) {
    case ListSort::kRecent: return "";
    case ListSort::kPopular: return "(likes + answer_count)";
    case ListSort::kUrgent: return "urgent";
    case ListSort::kUnanswered: return "(answer_count = 0)";
  }
  return "";
}

// `ids` as a JSON array, bound to `json_each(?)` to look many ids up in one
// statement (one read transaction) rather than a statement each.
std::string JsonIds(std::span<const Id> ids) {
  return nlohmann::json(std::vector<Id>(ids.begin(), ids.end())).dump();
}

// The id `ext_id` is stored under as a question or an answer (`kind`).
std::optional<Id> IdOfExtId(Database& db, IdKind kind, std::string_view ext_id) {
  auto st = db.Prepare(kind == IdKind::kQuestion ? "SELECT id FROM questions WHERE ext_id = ?"
                                                 : "SELECT id FROM answers WHERE ext_id = ?");
  st->BindAll(ext_id);
  if (!st->Step()) return std::nullopt;
  return st->Int(0);
}

// Conflict when `ext_id` is stored under an id other than `id`: two writers
// that reserved it at once (the catalog cannot tell a reservation in flight
// from an abandoned one) reach the shard one after the other.
void RequireExtIdFree(Database& db, const std::optional<std::string>& ext_id, Id id) {
  if (!ext_id) return;
  const std::optional<Id> stored = IdOfExtId(db, KindOf(id), *ext_id);
  if (stored && *stored != id) throw ExtIdTaken(KindOf(id), *ext_id, *stored);
}

}  // namespace

ShardStore::ShardStore(const std::filesystem::path& dir, int shard_no, std::string key,
                       const Database::Config& config)
    : shard_no_(shard_no),
      key_(std::move(key)),
      pool_(dir / "store.db", config) {
  auto db = pool_.Write();
  // Creating the geometry column and its index calls SpatiaLite.
  if (SchemaVersion(*db) < static_cast<int>(std::size(kSchemaSteps))) db->LoadSpatialite();
  Migrate(*db, kSchemaSteps, fmt::format("shard {}", key_));
  // Record which shard this file is, or check it is the one we expect.
  Transaction txn(*db);
  auto st = db->Prepare("SELECT key, shard_no FROM shard");
  if (st->Step()) {
    if (st->Text(0) != key_ || st->Int(1) != shard_no_) {
      throw Corruption(fmt::format("{} belongs to shard {} (#{}), not {} (#{})",
                                   path().string(), st->Text(0), st->Int(1), key_,
                                   shard_no_));
    }
  } else {
    db->Prepare("INSERT INTO shard(key, shard_no) VALUES (?, ?)")
        ->BindAll(key_, shard_no_)
        .Run();
  }
  st->Reset();
  txn.Commit();
}

Conflict ExtIdTaken(IdKind kind, std::string_view ext_id, Id stored) {
  return Conflict(fmt::format("ext_id \"{}\" is already used by {} {}", text::Printable(ext_id),
                              kind == IdKind::kQuestion ? "question" : "answer", stored));
}

std::optional<Id> ShardStore::IdOfExtId(IdKind kind, std::string_view ext_id) {
  auto db = pool_.Read();
  return store::IdOfExtId(*db, kind, ext_id);
}

int ShardStore::InsertQuestions(std::span<const Question> questions) {
  auto db = pool_.Write();
  db->LoadSpatialite();  // for MakePoint
  Transaction txn(*db);
  const std::int64_t seq_before = LastChangeSeqOn(*db);  // stable: the txn holds the lock
  int added = 0;
  std::vector<Id> added_ids;
  for (const Question& q : questions) {
    const std::string hashtags = nlohmann::json(q.hashtags).dump();
    const std::optional<std::string> ext_id = NullIfEmpty(q.ext_id);
    RequireExtIdFree(*db, ext_id, q.id);
    const std::int64_t created = Seconds(q.created_at);
    auto insert = db->Prepare(
        "INSERT INTO questions(id, ext_id, author_id, author, title, body, lat, lon, "
        "neighborhood, category, hashtags, urgent, bounty, status, created_at, updated_at, "
        "geom) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'open', ?14, "
        "?14, MakePoint(?8, ?7, 4326)) ON CONFLICT(id) DO NOTHING");
    insert->BindAll(q.id, ext_id, q.author_id, q.author, q.title, q.body, q.location.lat,
                    q.location.lon, q.neighborhood, q.category, hashtags, q.urgent, q.bounty,
                    created);
    insert->Run();
    if (db->Changes() == 0) continue;
    ++added;
    for (const std::string& tag : q.hashtags) {
      db->Prepare("INSERT INTO question_tags(tag, question_id, created_at) VALUES (?, ?, ?)")
          ->BindAll(tag, q.id, created)
          .Run();
    }
    LogChange(*db, q.id);
    added_ids.push_back(q.id);
  }
  const PointsUpdate points = PointEntries(*db, seq_before, added_ids);
  txn.Commit();
  ApplyPoints(points);
  return added;
}

int ShardStore::InsertAnswers(std::span<const Answer> answers) {
  auto db = pool_.Write();
  Transaction txn(*db);
  const std::int64_t seq_before = LastChangeSeqOn(*db);  // stable: the txn holds the lock
  int added = 0;
  std::vector<Id> changed;
  for (const Answer& a : answers) {
    std::optional<Question> question = SelectQuestion(*db, a.question_id, key_);
    if (!question) throw NotFound(fmt::format("question {} not found", a.question_id));
    auto insert = db->Prepare(
        "INSERT INTO answers(id, question_id, ext_id, author_id, author, body, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING");
    // Text is bound without copying: the ext_id must outlive Run().
    const std::optional<std::string> ext_id = NullIfEmpty(a.ext_id);
    RequireExtIdFree(*db, ext_id, a.id);
    insert->BindAll(a.id, a.question_id, ext_id, a.author_id, a.author, a.body,
                    Seconds(a.created_at));
    insert->Run();
    if (db->Changes() == 0) continue;  // a replayed insert: stored already
    RequireAnswerable(*question, a);   // throwing rolls the insert back
    ++added;
    db->Prepare(
          "UPDATE questions SET answer_count = answer_count + 1, updated_at = ?, "
          "status = CASE status WHEN 'open' THEN 'answered' ELSE status END WHERE id = ?")
        ->BindAll(Seconds(a.created_at), a.question_id)
        .Run();
    LogChange(*db, a.question_id);
    changed.push_back(a.question_id);
    if (a.accepted) {
      if (question->status == QuestionStatus::kOpen) question->status = QuestionStatus::kAnswered;
      Answer stored = a;
      stored.accepted = false;
      ApplyAcceptance(*db, stored, *question, question->author_id, a.created_at);
    }
  }
  const PointsUpdate points = PointEntries(*db, seq_before, changed);
  txn.Commit();
  ApplyPoints(points);
  return added;
}

Answer ShardStore::Accept(Id answer_id, Id by, Timestamp now) {
  auto db = pool_.Write();
  Transaction txn(*db);
  const std::int64_t seq_before = LastChangeSeqOn(*db);  // stable: the txn holds the lock
  std::optional<Answer> answer = SelectAnswer(*db, answer_id);
  if (!answer) throw NotFound(fmt::format("answer {} not found", answer_id));
  std::optional<Question> question = SelectQuestion(*db, answer->question_id, key_);
  if (!question) throw Corruption(fmt::format("answer {} has no question", answer_id));
  ApplyAcceptance(*db, *answer, *question, by, now);
  const Id changed[] = {question->id};
  const PointsUpdate points = PointEntries(*db, seq_before, changed);
  txn.Commit();
  ApplyPoints(points);
  answer->accepted = true;
  return *answer;
}

Question ShardStore::Close(Id question_id, Id by, Timestamp now) {
  auto db = pool_.Write();
  Transaction txn(*db);
  const std::int64_t seq_before = LastChangeSeqOn(*db);  // stable: the txn holds the lock
  std::optional<Question> question = SelectQuestion(*db, question_id, key_);
  if (!question) throw NotFound(fmt::format("question {} not found", question_id));
  if (by != 0 && by != question->author_id) {
    throw Refused(fmt::format("only the asker of question {} may close it", question_id));
  }
  if (question->status == QuestionStatus::kClosed) return *question;
  if (question->status == QuestionStatus::kAccepted) {
    throw Conflict(fmt::format("question {} has an accepted answer and cannot be closed",
                               question_id));
  }
  db->Prepare("UPDATE questions SET status = 'closed', updated_at = ? WHERE id = ?")
      ->BindAll(Seconds(now), question_id)
      .Run();
  LogChange(*db, question_id);
  if (question->bounty > 0) {
    WriteEvent(*db, {.id = fmt::format("refund:{}", question_id),
                     .kind = PointsEvent::Kind::kRefund,
                     .question = question_id,
                     .asker = question->author_id,
                     .bounty = question->bounty,
                     .at = now});
  }
  const Id changed[] = {question_id};
  const PointsUpdate points = PointEntries(*db, seq_before, changed);
  txn.Commit();
  ApplyPoints(points);
  question->status = QuestionStatus::kClosed;
  return *question;
}

std::vector<PointsEvent> ShardStore::PendingEvents() {
  // Read through the writer, which every open shard has: opening asks every
  // shard, and a reader for this one statement would be a connection (and
  // its schema) more per shard: a quarter of `dongne show` at 100k.
  auto db = pool_.Write();
  auto st = db->Prepare(
      "SELECT event_id, kind, question_id, answer_id, answerer, asker, bounty, at FROM outbox "
      "WHERE delivered = 0 ORDER BY at, event_id");
  std::vector<PointsEvent> events;
  while (st->Step()) {
    events.push_back({.id = st->Text(0),
                      .kind = st->Text(1) == "payout" ? PointsEvent::Kind::kPayout
                                                      : PointsEvent::Kind::kRefund,
                      .question = st->Int(2),
                      .answer = st->Int(3),
                      .answerer = st->Int(4),
                      .asker = st->Int(5),
                      .bounty = st->Int(6),
                      .at = FromSeconds(st->Int(7))});
  }
  return events;
}

void ShardStore::MarkDelivered(const std::string& event_id) {
  auto db = pool_.Write();
  db->Prepare("UPDATE outbox SET delivered = 1 WHERE event_id = ?")->BindAll(event_id).Run();
}

std::vector<std::pair<std::string, bool>> ShardStore::AllEvents() {
  auto db = pool_.Read();
  auto st = db->Prepare("SELECT event_id, delivered FROM outbox");
  std::vector<std::pair<std::string, bool>> events;
  while (st->Step()) events.emplace_back(st->Text(0), st->Int(1) != 0);
  return events;
}

std::vector<Question> ShardStore::QuestionsWithPoints() {
  auto db = pool_.Read();
  auto st = db->Prepare(fmt::format(
      "SELECT {} FROM questions WHERE bounty > 0 OR urgent = 1", kQuestionColumns));
  std::vector<Question> questions;
  while (st->Step()) questions.push_back(ReadQuestion(*st, key_));
  return questions;
}

std::vector<std::string> ShardStore::QuickCheck() {
  auto db = pool_.Read();
  return store::QuickCheck(*db);
}

std::vector<std::string> ShardStore::DuplicateExtIds() {
  auto db = pool_.Read();
  std::vector<std::string> found;
  for (std::string_view table : {"questions", "answers"}) {
    auto st = db->Prepare(fmt::format(
        "SELECT ext_id, COUNT(*) FROM {} WHERE ext_id IS NOT NULL GROUP BY ext_id "
        "HAVING COUNT(*) > 1 LIMIT 20",
        table));
    while (st->Step()) {
      found.push_back(fmt::format("ext_id \"{}\" is stored under {} {}", text::Printable(st->Text(0)),
                                  st->Int(1), table));
    }
  }
  return found;
}

std::int64_t ShardStore::QuestionCount() {
  auto db = pool_.Read();
  auto st = db->Prepare("SELECT COUNT(*) FROM questions");
  st->Step();
  const std::int64_t count = st->Int(0);
  st->Reset();
  return count;
}

int ShardStore::SetLike(Id user, Id target, bool on) {
  auto db = pool_.Write();
  Transaction txn(*db);
  const bool is_question = KindOf(target) == IdKind::kQuestion;
  const std::string_view table = is_question ? "questions" : "answers";
  auto owner = db->Prepare(fmt::format(
      "SELECT author_id, {} FROM {} WHERE id = ?", is_question ? "id" : "question_id", table));
  owner->BindAll(target);
  if (!owner->Step()) {
    throw NotFound(fmt::format("{} {} not found", is_question ? "question" : "answer", target));
  }
  const Id author = owner->Int(0);
  const Id question = owner->Int(1);
  owner->Reset();
  if (author == user) {
    throw Refused(fmt::format("user {} cannot like their own {} {}", user,
                              is_question ? "question" : "answer", target));
  }
  if (on) {
    db->Prepare("INSERT OR IGNORE INTO likes(target_id, user_id, created_at) "
                "VALUES (?, ?, strftime('%s', 'now'))")
        ->BindAll(target, user)
        .Run();
  } else {
    db->Prepare("DELETE FROM likes WHERE target_id = ? AND user_id = ?")
        ->BindAll(target, user)
        .Run();
  }
  if (db->Changes() > 0) {
    db->Prepare(fmt::format("UPDATE {} SET likes = likes {} 1 WHERE id = ?", table,
                            on ? '+' : '-'))
        ->BindAll(target)
        .Run();
    LogChange(*db, question);
  }
  auto count = db->Prepare(fmt::format("SELECT likes FROM {} WHERE id = ?", table));
  count->BindAll(target);
  count->Step();
  const int likes = static_cast<int>(count->Int(0));
  count->Reset();
  txn.Commit();
  return likes;
}

std::optional<Question> ShardStore::GetQuestion(Id id) {
  auto db = pool_.Read();
  return SelectQuestion(*db, id, key_);
}

std::vector<Question> ShardStore::GetQuestions(std::span<const Id> ids) {
  // One statement, so one read transaction (and one WAL read lock) for all:
  // a statement per id costs more in locking than in reading.
  auto db = pool_.Read();
  auto st = db->Prepare(fmt::format(
      "SELECT {} FROM questions WHERE id IN (SELECT value FROM json_each(?))", kQuestionColumns));
  const std::string id_list = JsonIds(ids);
  st->BindAll(id_list);  // bound without copying: outlives the steps
  std::unordered_map<Id, Question> found;
  while (st->Step()) {
    Question q = ReadQuestion(*st, key_);
    found.emplace(q.id, std::move(q));
  }
  std::vector<Question> questions;
  for (Id id : ids) {
    if (auto it = found.find(id); it != found.end()) questions.push_back(std::move(it->second));
  }
  return questions;
}

std::optional<Answer> ShardStore::GetAnswer(Id id) {
  auto db = pool_.Read();
  return SelectAnswer(*db, id);
}

std::vector<Answer> ShardStore::ListAnswers(Id question) {
  auto db = pool_.Read();
  auto st = db->Prepare(fmt::format(
      "SELECT {} FROM answers WHERE question_id = ? ORDER BY created_at, id", kAnswerColumns));
  st->BindAll(question);
  std::vector<Answer> answers;
  while (st->Step()) answers.push_back(ReadAnswer(*st));
  return answers;
}

std::vector<ListedQuestion> ShardStore::List(ListSort sort, const std::string& category,
                                             const std::string& tag,
                                             const std::optional<ListKey>& after, int limit) {
  // One statement text per combination of filters, so each is prepared once
  // and its plan uses the matching index.
  const std::string_view primary = PrimaryKeyExpression(sort);
  const std::string prefix = primary.empty() ? "" : fmt::format("{}, ", primary);
  const std::string order_by =
      primary.empty() ? "" : fmt::format("{} DESC, ", primary);
  std::string sql = fmt::format("SELECT {}, {} FROM questions WHERE 1", kQuestionColumns,
                                primary.empty() ? "0" : primary);
  if (!category.empty()) sql += " AND category = :category";
  if (!tag.empty()) sql += " AND id IN (SELECT question_id FROM question_tags WHERE tag = :tag)";
  if (after) {
    sql += fmt::format(" AND ({}created_at, id) < ({}:t, :id)", prefix,
                       primary.empty() ? "" : ":p, ");
  }
  sql += fmt::format(" ORDER BY {}created_at DESC, id DESC LIMIT :limit", order_by);

  auto db = pool_.Read();
  auto st = db->Prepare(sql);
  int index = 0;
  if (!category.empty()) st->Bind(++index, category);
  if (!tag.empty()) st->Bind(++index, tag);
  if (after) {
    if (!primary.empty()) st->Bind(++index, after->primary);
    st->Bind(++index, after->created_at);
    st->Bind(++index, after->id);
  }
  st->Bind(++index, limit);
  std::vector<ListedQuestion> page;
  while (st->Step()) {
    Question q = ReadQuestion(*st, key_);
    const ListKey key{st->Int(18), Seconds(q.created_at), q.id};
    page.push_back({key, std::move(q)});
  }
  return page;
}

void ShardStore::CheckTakesAnswers(Id question) {
  std::optional<Question> q = GetQuestion(question);
  if (!q) throw NotFound(fmt::format("question {} not found", question));
  if (q->status == QuestionStatus::kClosed) {
    throw Conflict(fmt::format("question {} is closed and takes no more answers", question));
  }
}

std::vector<Change> ShardStore::ChangesSince(std::int64_t seq, int limit) {
  auto db = pool_.Read();
  auto st = db->Prepare("SELECT seq, question_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?");
  st->BindAll(seq, limit);
  std::vector<Change> changes;
  while (st->Step()) changes.push_back({st->Int(0), st->Int(1)});
  return changes;
}

std::int64_t ShardStore::LastChangeSeq() {
  auto db = pool_.Read();
  return LastChangeSeqOn(*db);
}

std::vector<Question> ShardStore::QuestionsAfter(Id after, int limit) {
  auto db = pool_.Read();
  auto st = db->Prepare(
      fmt::format("SELECT {} FROM questions WHERE id > ? ORDER BY id LIMIT ?", kQuestionColumns));
  st->BindAll(after, limit);
  std::vector<Question> questions;
  while (st->Step()) questions.push_back(ReadQuestion(*st, key_));
  return questions;
}

void ShardStore::AddTagCounts(Timestamp since, Timestamp until,
                              std::unordered_map<std::string, std::int64_t>& counts) {
  auto db = pool_.Read();
  // Counted here rather than by GROUP BY: without statistics SQLite groups
  // by scanning the whole table in tag order (its primary key), which took
  // 12.7 ms for a day's 3,941 rows of a 118,724-row shard; the window's
  // rows alone, hashed, took 0.9 ms (a month, every row: 27 against 20 ms).
  auto st = db->Prepare(
      "SELECT tag FROM question_tags INDEXED BY question_tags_recent "
      "WHERE created_at BETWEEN ? AND ?");
  st->BindAll(Seconds(since), Seconds(until));
  while (st->Step()) ++counts[st->Text(0)];
}

bool ShardStore::Has(Id id) {
  auto db = pool_.Read();
  auto st = db->Prepare(KindOf(id) == IdKind::kQuestion ? "SELECT 1 FROM questions WHERE id = ?"
                                                       : "SELECT 1 FROM answers WHERE id = ?");
  st->BindAll(id);
  return st->Step();
}

std::vector<Id> ShardStore::MissingQuestions(std::span<const Id> questions) {
  auto db = pool_.Read();
  auto st = db->Prepare("SELECT id FROM questions WHERE id IN (SELECT value FROM json_each(?))");
  const std::string id_list = JsonIds(questions);
  st->BindAll(id_list);  // bound without copying: outlives the steps
  std::unordered_set<Id> stored;
  while (st->Step()) stored.insert(st->Int(0));
  std::vector<Id> missing;
  for (Id id : questions) {
    if (!stored.count(id)) missing.push_back(id);
  }
  return missing;
}

const geo::PointIndex& ShardStore::Points() {
  if (!points_live_.load(std::memory_order_acquire)) {
    auto db = pool_.Write();
    if (!points_live_.load(std::memory_order_relaxed)) {
      std::lock_guard lock(points_mutex_);
      LoadPointsLocked(*db);
      points_live_.store(true, std::memory_order_release);
      return points_;
    }
  }
  CatchUpPoints();
  return points_;
}

void ShardStore::LoadPointsLocked(Database& db) {
  // The seq first: a change committed while the questions are read is
  // applied again by the next catch-up, which is harmless.
  const std::int64_t seq = LastChangeSeqOn(db);
  auto st = db.Prepare(fmt::format("SELECT {} FROM questions", kPointColumns));
  std::vector<geo::PointEntry> entries;
  while (st->Step()) entries.push_back(ReadPointEntry(*st));
  points_.Load(std::move(entries));
  points_seq_.store(seq, std::memory_order_release);
}

void ShardStore::CatchUpPoints() {
  auto db = pool_.Read();
  const std::int64_t last = LastChangeSeqOn(*db);
  // Caught up (the usual case): no lock, so queries do not queue here.
  if (last <= points_seq_.load(std::memory_order_acquire)) return;
  std::lock_guard lock(points_mutex_);
  if (last <= points_seq_.load(std::memory_order_relaxed)) return;  // another caught up
  std::vector<Id> changed;
  {
    auto st = db->Prepare(
        "SELECT DISTINCT question_id FROM changes WHERE seq > ? AND seq <= ? LIMIT ?");
    st->BindAll(points_seq_.load(std::memory_order_relaxed), last,
                static_cast<std::int64_t>(kPointsCatchUpMax) + 1);
    while (st->Step()) changed.push_back(st->Int(0));
  }
  if (changed.size() > kPointsCatchUpMax) {
    // Reading them one by one would take longer than reading the shard.
    LoadPointsLocked(*db);
    return;
  }
  auto st = db->Prepare(fmt::format("SELECT {} FROM questions WHERE id = ?", kPointColumns));
  for (Id id : changed) {
    st->BindAll(id);
    if (st->Step()) points_.Upsert(ReadPointEntry(*st));
    st->Reset();
  }
  points_seq_.store(last, std::memory_order_release);
}

ShardStore::PointsUpdate ShardStore::PointEntries(Database& db, std::int64_t seq_before,
                                                 std::span<const Id> ids) {
  PointsUpdate update;
  if (!points_live_.load(std::memory_order_relaxed)) return update;
  auto st = db.Prepare(fmt::format("SELECT {} FROM questions WHERE id = ?", kPointColumns));
  for (Id id : ids) {
    st->BindAll(id);
    if (st->Step()) update.entries.push_back(ReadPointEntry(*st));
    st->Reset();
  }
  update.seq_before = seq_before;
  update.seq_after = LastChangeSeqOn(db);
  return update;
}

void ShardStore::ApplyPoints(const PointsUpdate& update) {
  std::lock_guard lock(points_mutex_);
  for (const geo::PointEntry& e : update.entries) points_.Upsert(e);
  // The transaction's changes are exactly those in (seq_before, seq_after];
  // when the index held everything before them, it now holds them too, and
  // the next catch-up need not read them again.
  const std::int64_t held = points_seq_.load(std::memory_order_relaxed);
  if (held >= update.seq_before && update.seq_after > held) {
    points_seq_.store(update.seq_after, std::memory_order_release);
  }
}

std::vector<Id> ShardStore::Tagged(const std::string& tag) {
  auto db = pool_.Read();
  auto st = db->Prepare("SELECT question_id FROM question_tags WHERE tag = ?");
  st->BindAll(tag);
  std::vector<Id> ids;
  while (st->Step()) ids.push_back(st->Int(0));
  return ids;
}

std::map<Id, AnswerStats> ShardStore::AnswerStatsOf(std::span<const Id> authors,
                                                     Timestamp since) {
  auto db = pool_.Read();
  auto st = db->Prepare(
      "SELECT SUM(created_at >= ?), SUM(accepted) FROM answers WHERE author_id = ?");
  std::map<Id, AnswerStats> stats;
  for (Id author : authors) {
    st->BindAll(Seconds(since), author);
    if (st->Step() && !st->IsNull(0)) {
      stats[author] = {static_cast<int>(st->Int(0)), static_cast<int>(st->Int(1))};
    }
    st->Reset();
  }
  return stats;
}

}  // namespace dongne::store
