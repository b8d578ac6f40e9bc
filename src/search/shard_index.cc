// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "search/shard_index.h"

#include <fmt/format.h>

#include <chrono>
#include <set>
#include <thread>

#include <sys/stat.h>

#include "dongne/error.h"
#include "search/document.h"
#include "search/terms.h"

namespace dongne::search {
namespace {

constexpr int kChangesPerCommit = 20000;
constexpr int kRebuildPage = 2000;
// Idle readers kept per index; more are opened under a burst and closed
// when it ends.
constexpr std::size_t kMaxIdleReaders = 16;

std::int64_t ParseSeq(const std::string& s) { return s.empty() ? 0 : std::stoll(s); }

}  // namespace

ShardIndex::ShardIndex(store::ShardStore& store, bool sync, int busy_timeout_ms)
    : store_(store),
      path_(store.path().parent_path() / "index"),
      flags_(sync ? 0 : Xapian::DB_NO_SYNC),
      busy_timeout_ms_(busy_timeout_ms) {}

std::unique_ptr<Xapian::WritableDatabase> ShardIndex::OpenWritable(int action) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
  for (;;) {
    try {
      return std::make_unique<Xapian::WritableDatabase>(path_.string(), action | flags_);
    } catch (const Xapian::DatabaseLockError& e) {
      // Another process is catching this index up; it will be done soon.
      if (std::chrono::steady_clock::now() >= deadline) {
        throw IOError(fmt::format("search index {} stayed locked by another process for {} ms",
                                  path_.string(), busy_timeout_ms_));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

void ShardIndex::IndexLocked(Xapian::WritableDatabase& db, const Question& q) {
  std::vector<std::string> spelling;
  const std::vector<Answer> answers =
      q.answer_count > 0 ? store_.ListAnswers(q.id) : std::vector<Answer>();
  Xapian::Document doc = MakeDocument(q, answers, spelling);
  const std::string id_term = Term(kId, std::to_string(q.id));
  // Spelling frequencies count questions, so only a question's first
  // indexing adds its words.
  if (!db.term_exists(id_term)) {
    for (const std::string& word : spelling) db.add_spelling(word);
  }
  db.replace_document(id_term, doc);
}

std::int64_t ShardIndex::CatchUp() {
  std::lock_guard lock(mutex_);
  // The applied seq only grows (whoever catches the index up), so a cached
  // one at or past the log's end means nothing is pending.
  if (known_ && store_.LastChangeSeq() <= applied_) return 0;
  known_ = false;
  try {
    std::unique_ptr<Xapian::WritableDatabase> db = OpenWritable(Xapian::DB_CREATE_OR_OPEN);
    applied_ = ParseSeq(db->get_metadata(std::string(kAppliedSeqKey)));
    if (db->get_metadata(std::string(kFormatKey)) != kIndexFormat &&
        (applied_ > 0 || db->get_doccount() > 0)) {
      db->close();
      return RebuildLocked();
    }
    std::int64_t indexed = 0;
    for (;;) {
      const std::vector<store::Change> changes = store_.ChangesSince(applied_, kChangesPerCommit);
      if (changes.empty()) break;
      std::set<Id> seen;
      for (const store::Change& c : changes) {
        if (!seen.insert(c.question_id).second) continue;
        if (std::optional<Question> q = store_.GetQuestion(c.question_id)) {
          IndexLocked(*db, *q);
          ++indexed;
        }
      }
      db->set_metadata(std::string(kAppliedSeqKey), std::to_string(changes.back().seq));
      db->set_metadata(std::string(kFormatKey), std::string(kIndexFormat));
      db->commit();
      applied_ = changes.back().seq;
    }
    // Closed after every catch-up: the lock is free for other processes
    // on the same directory between writes.
    db->close();
    known_ = true;
    return indexed;
  } catch (const Xapian::DatabaseCorruptError& e) {
    throw Corruption(fmt::format("search index {}: {}; run `dongne reindex` to rebuild it",
                                 path_.string(), e.get_msg()));
  } catch (const Xapian::Error& e) {
    // Whatever was not committed is lost; the next catch-up starts again
    // from the committed seq.
    throw IOError(fmt::format("search index {}: {}", path_.string(), e.get_msg()));
  }
}

void ShardIndex::Rebuild(const std::function<void(std::int64_t)>& indexed) {
  std::lock_guard lock(mutex_);
  known_ = false;
  try {
    RebuildLocked(indexed);
  } catch (const Xapian::Error& e) {
    throw IOError(fmt::format("search index {}: {}", path_.string(), e.get_msg()));
  }
}

bool ShardIndex::IsAFile() const {
  std::error_code ec;
  return std::filesystem::exists(path_, ec) && !std::filesystem::is_directory(path_, ec);
}

std::int64_t ShardIndex::RebuildLocked(const std::function<void(std::int64_t)>& on_page) {
  // The seq first: a change committed while the questions are read is
  // applied again by the next CatchUp, which is harmless.
  const std::int64_t seq = store_.LastChangeSeq();
  // Starts from an empty database. A crash before the commit below leaves
  // an index without an applied seq, which the next CatchUp fills from the
  // whole change log.
  // A file in the index's place (Xapian would read it as a stub naming
  // other databases) is replaced too.
  std::error_code ec;
  if (IsAFile()) std::filesystem::remove(path_, ec);
  std::unique_ptr<Xapian::WritableDatabase> db = OpenWritable(Xapian::DB_CREATE_OR_OVERWRITE);
  std::int64_t indexed = 0;
  Id after = 0;
  for (;;) {
    const std::vector<Question> page = store_.QuestionsAfter(after, kRebuildPage);
    if (page.empty()) break;
    for (const Question& q : page) IndexLocked(*db, q);
    indexed += static_cast<std::int64_t>(page.size());
    after = page.back().id;
    if (on_page) on_page(static_cast<std::int64_t>(page.size()));
  }
  db->set_metadata(std::string(kAppliedSeqKey), std::to_string(seq));
  db->set_metadata(std::string(kFormatKey), std::string(kIndexFormat));
  db->commit();
  db->close();
  applied_ = seq;
  known_ = true;
  return indexed;
}

ShardIndex::Reader ShardIndex::Lease() {
  struct stat st {};
  if (::stat((path_ / "iamglass").c_str(), &st) != 0) {
    throw IOError(fmt::format("search index {} is missing; run `dongne reindex` to rebuild it",
                              path_.string()));
  }
  // Read before opening: a commit in between leaves a reader newer than its
  // stamp, which the next lease replaces.
  const Stamp stamp{static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size),
                    st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec,
                    st.st_ctim.tv_sec * 1'000'000'000LL + st.st_ctim.tv_nsec};
  std::unique_ptr<Xapian::Database> db;
  {
    std::lock_guard lock(pool_mutex_);
    while (!pool_.empty() && !db) {
      Idle idle = std::move(pool_.back());
      pool_.pop_back();
      if (idle.stamp == stamp) db = std::move(idle.db);  // others are stale: closed
    }
  }
  if (!db) db = std::make_unique<Xapian::Database>(path_.string());
  return Reader(db.release(), [this, stamp](Xapian::Database* released) {
    std::unique_ptr<Xapian::Database> back(released);
    std::lock_guard lock(pool_mutex_);
    if (pool_.size() < kMaxIdleReaders) pool_.push_back({std::move(back), stamp});
  });
}

std::vector<std::string> ShardIndex::Audit() {
  std::lock_guard lock(mutex_);  // no CatchUp moves the index meanwhile
  std::vector<std::string> problems;
  std::error_code ec;
  if (IsAFile()) {
    problems.push_back(fmt::format(
        "search index of shard {} is not a directory; run `dongne reindex`", store_.key()));
    return problems;
  }
  if (!std::filesystem::exists(path_ / "iamglass", ec)) return problems;  // nothing indexed yet
  // Another process may commit to the index while it is read: its revision
  // is then gone, and it is read again.
  for (int attempt = 1;; ++attempt) {
    try {
      AuditOnce(problems);
      return problems;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt == 5) {
        problems.push_back(fmt::format("search index of shard {} cannot be read: {}",
                                       store_.key(), e.get_msg()));
        return problems;
      }
    }
  }
}

void ShardIndex::AuditOnce(std::vector<std::string>& problems) {
  try {
    const Xapian::Database db(path_.string());
    const std::int64_t applied = ParseSeq(db.get_metadata(std::string(kAppliedSeqKey)));
    const std::int64_t docs = db.get_doccount();
    // The count before the seq: a question stored after the count was
    // read has a change beyond `applied`, so the comparison is skipped.
    const std::int64_t questions = store_.QuestionCount();
    const std::int64_t last = store_.LastChangeSeq();
    if (applied > last) {
      problems.push_back(fmt::format(
          "search index of shard {} applied change {} but the change log ends at {}; run "
          "`dongne reindex`",
          store_.key(), applied, last));
    } else if (applied == last && docs != questions) {
      problems.push_back(fmt::format("search index of shard {} holds {} questions, store.db {}",
                                     store_.key(), docs, questions));
    }
  } catch (const Xapian::DatabaseModifiedError&) {
    throw;
  } catch (const Xapian::Error& e) {
    problems.push_back(
        fmt::format("search index of shard {} cannot be read: {}", store_.key(), e.get_msg()));
  }
}

}  // namespace dongne::search
