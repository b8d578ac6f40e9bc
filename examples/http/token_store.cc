// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "token_store.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>

#include "dongne/error.h"

namespace dongne::http {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest Sha256(const std::string& text) {
  Digest digest{};
  unsigned int length = 0;
  if (!EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr)) {
    throw IOError("SHA-256 failed");
  }
  return digest;
}

void Require(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw IOError(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

}  // namespace

TokenStore::TokenStore(const std::filesystem::path& file) {
  std::filesystem::create_directories(file.parent_path());
  Require(sqlite3_open(file.c_str(), &db_), db_, "opening the token store");
  Require(sqlite3_exec(db_,
                     "PRAGMA journal_mode=WAL;"
                     "CREATE TABLE IF NOT EXISTS tokens(user_id INTEGER PRIMARY KEY, digest BLOB NOT NULL)",
                     nullptr, nullptr, nullptr),
        db_, "creating the token store");
}

TokenStore::~TokenStore() { sqlite3_close(db_); }

std::string TokenStore::Issue(Id user) {
  std::array<unsigned char, 32> secret{};
  if (RAND_bytes(secret.data(), secret.size()) != 1) throw IOError("no randomness for a token");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token = std::to_string(user) + ".";
  for (unsigned char byte : secret) token += {kHex[byte >> 4], kHex[byte & 15]};
  const Digest digest = Sha256(token);
  std::lock_guard lock(mutex_);
  sqlite3_stmt* st = nullptr;
  Require(sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO tokens(user_id, digest) VALUES (?, ?)", -1,
                           &st, nullptr),
        db_, "storing a token");
  sqlite3_bind_int64(st, 1, user);
  sqlite3_bind_blob(st, 2, digest.data(), digest.size(), SQLITE_TRANSIENT);
  const int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  Require(rc, db_, "storing a token");
  return token;
}

std::optional<Id> TokenStore::Check(const std::string& token) {
  const std::size_t dot = token.find('.');
  if (dot == std::string::npos || token.size() - dot - 1 != 64) return std::nullopt;
  Id user = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + dot, user);
  if (ec != std::errc() || end != token.data() + dot) return std::nullopt;
  const Digest given = Sha256(token);
  std::lock_guard lock(mutex_);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT digest FROM tokens WHERE user_id = ?", -1, &st, nullptr) !=
      SQLITE_OK) {
    return std::nullopt;
  }
  sqlite3_bind_int64(st, 1, user);
  bool match = false;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
    match = CRYPTO_memcmp(sqlite3_column_blob(st, 0), given.data(), given.size()) == 0;
  }
  sqlite3_finalize(st);
  return match ? std::optional(user) : std::nullopt;
}

}  // namespace dongne::http
