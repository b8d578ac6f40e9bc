// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "store/sqlite.h"

// spatialite.h uses sqlite3's types without including it.
#include <sqlite3.h>
#include <spatialite.h>

#include <fmt/format.h>

#include "dongne/error.h"

namespace dongne::store {

void ThrowSqliteError(sqlite3* db, int rc, std::string_view what) {
  const std::string detail =
      db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string message = fmt::format("{}: {}", what, detail);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      throw Conflict(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      throw Corruption(message);
    default:  // FULL, IOERR, READONLY, CANTOPEN, PERM, BUSY, LOCKED, NOMEM, …
      throw IOError(message);
  }
}

// --- Statement --------------------------------------------------------------

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) ThrowSqliteError(db, rc, "preparing a statement");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) ThrowSqliteError(db_, rc, "binding a parameter");
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) ThrowSqliteError(db_, rc, "binding a parameter");
  return *this;
}

// SQLite copies the text (SQLITE_TRANSIENT): a statement bound in one
// expression and stepped in the next must not read a temporary that died in
// between (ASan caught exactly that with an optional<string> argument).
Statement& Statement::Bind(int index, std::string_view value) {
  const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) ThrowSqliteError(db_, rc, "binding a parameter");
  return *this;
}

Statement& Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) ThrowSqliteError(db_, rc, "binding a parameter");
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  ThrowSqliteError(db_, rc, "running a statement");
}

std::int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::Double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     sqlite3_column_bytes(stmt_, column));
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// --- Database ---------------------------------------------------------------

namespace {

// SQLite's memory statistics take one process-wide mutex on every malloc and
// free, which serialises the shard writers of an import (measured: 2 threads
// no faster than 1). They must be switched off before SQLite initialises;
// when the host initialised it first the call fails harmlessly.
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

}  // namespace

Database::Database(const std::filesystem::path& path, const Config& config)
    : path_(path) {
  ConfigureSqliteOnce();
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= config.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (config.create && !config.read_only) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string what = fmt::format("opening {}", path.string());
    sqlite3* failed = db_;
    db_ = nullptr;
    try {
      ThrowSqliteError(failed, rc, what);
    } catch (...) {
      sqlite3_close(failed);
      throw;
    }
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, config.busy_timeout_ms);
  try {
    // The first statement reads the header: a file that is not a database
    // fails here with SQLITE_NOTADB, which becomes Corruption.
    if (!config.read_only) Exec("PRAGMA journal_mode=WAL");
    Exec(config.sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    Exec("PRAGMA foreign_keys=ON");
    Exec(fmt::format("PRAGMA cache_size=-{}", config.cache_kib));
    Exec("PRAGMA temp_store=MEMORY");
  } catch (...) {
    statements_.clear();
    sqlite3_close(db_);
    throw;
  }
}

void Database::LoadSpatialite() {
  if (spatialite_cache_) return;
  spatialite_cache_ = spatialite_alloc_connection();
  spatialite_init_ex(db_, spatialite_cache_, 0);
}

Database::~Database() {
  statements_.clear();  // finalize before closing
  sqlite3_close(db_);
  if (spatialite_cache_) spatialite_cleanup_ex(spatialite_cache_);
}

void Database::Exec(std::string_view sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) {
    ThrowSqliteError(db_, rc, fmt::format("running `{}` on {}",
                                          sql.substr(0, 60), path_.filename().string()));
  }
}

StatementRef Database::Prepare(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    it = statements_.emplace(std::string(sql), std::make_unique<Statement>(db_, sql)).first;
  }
  return StatementRef(it->second.get());
}

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int Database::Changes() const { return sqlite3_changes(db_); }

// --- Transaction ------------------------------------------------------------

Transaction::Transaction(Database& db) : db_(db) { db_.Exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    // ROLLBACK cannot usefully fail here; when SQLite already rolled back
    // (e.g. after SQLITE_FULL) it reports "no transaction is active".
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

std::vector<std::string> QuickCheck(Database& db) {
  std::vector<std::string> problems;
  try {
    auto st = db.Prepare("PRAGMA quick_check");
    while (st->Step()) {
      std::string line = st->Text(0);
      if (line != "ok") problems.push_back(std::move(line));
    }
  } catch (const Error& e) {
    problems.emplace_back(e.what());
  }
  return problems;
}

}  // namespace dongne::store
