// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The Xapian index of one shard, at shards/<key>/index/: derived data that
// follows the shard's change log (store.db's `changes`).
//
// CatchUp applies the log after the last applied seq: each listed question
// is re-read from store.db and its document replaced (or added), and the
// seq of the last entry applied is written to the index's metadata in the
// same Xapian commit. Applying an entry twice only writes the question's
// current state again, so a crash at any point (even after Xapian flushed
// documents but before the seq was committed) is repaired by the next
// CatchUp. Rebuild makes the index anew from the questions table.
//
// The writable database is opened for each catch-up and closed after it, so
// other processes on the same directory can take their turn (a held lock is
// waited for up to the busy timeout, as SQLite does).
//
// Thread-safety: all methods may be called from many threads; writes to the
// index are serialised on one mutex. A Xapian::Database is not thread-safe,
// so each search leases its own reader from a pool (kept open between
// searches: opening an index costs more than a small search).

#ifndef DONGNE_SEARCH_SHARD_INDEX_H_
#define DONGNE_SEARCH_SHARD_INDEX_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <xapian.h>

#include "store/shard_store.h"

namespace dongne::search {

class ShardIndex {
 public:
  // Opens nothing yet: the index is created by the first CatchUp. `sync`:
  // commits are flushed to stable storage (Options::sync); another process's
  // lock is waited for up to `busy_timeout_ms` (Options::busy_timeout_ms).
  ShardIndex(store::ShardStore& store, bool sync, int busy_timeout_ms);

  const std::filesystem::path& path() const { return path_; }

  // A reader at the index's last commit (by any process), for one thread at
  // a time; it goes back to the pool when the last copy is dropped. The
  // index must exist (CatchUp made it).
  using Reader = std::shared_ptr<Xapian::Database>;
  Reader Lease();

  // Applies every change-log entry after the applied seq. Returns how many
  // questions were (re)indexed. Cheap when nothing is pending: one SQLite
  // query. An index of another format (terms.h) is rebuilt.
  std::int64_t CatchUp();

  // Replaces the index with one built from every stored question, calling
  // `indexed(n)` after each n questions.
  void Rebuild(const std::function<void(std::int64_t)>& indexed = {});

  // What is wrong with the index against its store, writing nothing: an
  // applied seq beyond the change log (the store was replaced under it), or
  // a caught-up index whose document count is not the question count. An
  // index that is merely behind is sound: the next CatchUp applies the rest.
  // A file in the index's place is a problem too.
  std::vector<std::string> Audit();

 private:
  std::unique_ptr<Xapian::WritableDatabase> OpenWritable(int action);
  // Returns how many questions it indexed.
  std::int64_t RebuildLocked(const std::function<void(std::int64_t)>& on_page = {});
  // Whether a file stands in the index's place (Xapian would read it as a
  // stub naming other databases).
  bool IsAFile() const;
  // One reading of the index for Audit; throws Xapian::DatabaseModifiedError
  // when another process's commit discards the revision being read.
  void AuditOnce(std::vector<std::string>& problems);
  // (Re)indexes `q`, adding its spelling words when it is new to the index.
  void IndexLocked(Xapian::WritableDatabase& db, const Question& q);

  store::ShardStore& store_;
  const std::filesystem::path path_;
  const int flags_;  // Xapian::DB_NO_SYNC unless sync
  const int busy_timeout_ms_;
  std::mutex mutex_;  // guards the two below and serialises writers
  bool known_ = false;  // applied_ was read from the index (or written to it)
  std::int64_t applied_ = 0;

  // What identifies a commit of the index: every commit (or rebuild) of a
  // Xapian glass database replaces its version file, iamglass.
  struct Stamp {
    std::uint64_t inode = 0, size = 0;
    std::int64_t mtime_ns = 0, ctime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  // Idle readers with the stamp of the commit they were opened at. Xapian's
  // reopen() would be cheaper than opening afresh but misses a rebuild
  // (which may restart the revision count), so a changed stamp means a new
  // Database.
  struct Idle {
    std::unique_ptr<Xapian::Database> db;
    Stamp stamp;
  };
  std::mutex pool_mutex_;  // guards pool_
  std::vector<Idle> pool_;
};

}  // namespace dongne::search

#endif  // DONGNE_SEARCH_SHARD_INDEX_H_
