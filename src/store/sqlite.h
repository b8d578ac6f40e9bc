// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// A thin RAII layer over the SQLite C API: a connection with a cache of
// prepared statements, statements that reset themselves, transactions that
// roll back unless committed, and SQLite result codes mapped to the library's
// typed errors.
//
// Thread-safety: a Database (and every statement from it) is used by one
// thread at a time; connections are opened with SQLITE_OPEN_NOMUTEX and the
// callers (ShardStore, Catalog) hand them out under their own locks.

#ifndef DONGNE_STORE_SQLITE_H_
#define DONGNE_STORE_SQLITE_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace dongne::store {

// Throws the typed error for SQLite result code `rc`: disk full, I/O, locks
// and read-only files are IOError; corrupt files Corruption; constraint
// violations Conflict. `what` says what was being done.
[[noreturn]] void ThrowSqliteError(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text is bound without copying: it
  // must outlive the step that uses it.
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, std::int64_t{value}); }
  Statement& Bind(int index, bool value) { return Bind(index, std::int64_t{value}); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Statement& BindNull(int index);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Binds the arguments to parameters 1, 2, ….
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
    return *this;
  }

  // Runs to the next row: true when there is one, false when done.
  bool Step();
  // Runs a statement that returns no rows.
  void Run() { while (Step()) {} }

  std::int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;

  // Ready to run again with new bindings. Also ends the statement's read of
  // the database, which in WAL mode pins a snapshot until reset.
  void Reset();

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A statement borrowed from a Database's cache; reset when it goes away.
class StatementRef {
 public:
  explicit StatementRef(Statement* statement) : statement_(statement) {}
  StatementRef(StatementRef&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  StatementRef(const StatementRef&) = delete;
  StatementRef& operator=(const StatementRef&) = delete;
  ~StatementRef() {
    if (statement_) statement_->Reset();
  }
  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

class Database {
 public:
  struct Config {
    bool create = true;
    bool read_only = false;
    bool sync = true;         // synchronous=FULL, else NORMAL
    int busy_timeout_ms = 5000;
    // Page cache ceiling; pages are cached as read. Each shard file has a
    // writer and pooled readers, so an engine's caches grow with files x
    // connections: at 8 MiB a 1M-question import peaked at 265 MB resident,
    // at 64 MiB at 795 MB, as fast (docs/architecture.md, Memory).
    int cache_kib = 8192;
  };

  // Opens `path` in WAL mode with foreign keys on.
  Database(const std::filesystem::path& path, const Config& config);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return no rows.
  void Exec(std::string_view sql);

  // A prepared statement for `sql`, compiled once per connection and cached.
  // The same SQL may not be borrowed twice at once.
  StatementRef Prepare(std::string_view sql);

  // Makes SpatiaLite's SQL functions available on this connection, loading
  // them on the first call. Loaded on demand because only creating a
  // shard's schema and inserting questions call them, and loading them into
  // every shard's writer was a third of `dongne show` at 100k questions.
  void LoadSpatialite();

  std::int64_t LastInsertRowId() const;
  int Changes() const;  // rows changed by the last statement
  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
  void* spatialite_cache_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

// BEGIN IMMEDIATE … COMMIT; rolls back when destroyed uncommitted (on an
// exception), so a failed write leaves nothing behind.
class Transaction {
 public:
  explicit Transaction(Database& db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void Commit();

 private:
  Database& db_;
  bool done_ = false;
};

// SQLite's own structural audit (PRAGMA quick_check): empty when the file is
// sound, else what it found (a file too damaged to read gives one message).
std::vector<std::string> QuickCheck(Database& db);

}  // namespace dongne::store

#endif  // DONGNE_STORE_SQLITE_H_
