// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Bearer tokens of the HTTP host, in DIR/http/tokens.db. A token is
// "<user id>.<64 hex digits of randomness>"; only its SHA-256 is stored, and
// checks compare digests in constant time.
//
// Thread-safety: all methods may be called from many threads (one SQLite
// connection behind a mutex: token checks are short).

#ifndef DONGNE_EXAMPLES_HTTP_TOKEN_STORE_H_
#define DONGNE_EXAMPLES_HTTP_TOKEN_STORE_H_

#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "dongne/types.h"

namespace dongne::http {

class TokenStore {
 public:
  explicit TokenStore(const std::filesystem::path& file);
  ~TokenStore();
  TokenStore(const TokenStore&) = delete;
  TokenStore& operator=(const TokenStore&) = delete;

  // A new token for `user`, replacing any earlier one.
  std::string Issue(Id user);
  // The user a token belongs to; nullopt for a malformed or unknown token.
  std::optional<Id> Check(const std::string& token);

 private:
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
};

}  // namespace dongne::http

#endif  // DONGNE_EXAMPLES_HTTP_TOKEN_STORE_H_
