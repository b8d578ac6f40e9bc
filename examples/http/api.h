// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The REST API of docs/http.md: request parsing, authentication, rate
// limits, and the mapping of the library's errors to statuses.

#ifndef DONGNE_EXAMPLES_HTTP_API_H_
#define DONGNE_EXAMPLES_HTTP_API_H_

#include <httplib.h>

#include <memory>

#include "dongne/engine.h"
#include "rate_limiter.h"
#include "server.h"
#include "token_store.h"

namespace dongne::http {

class Api {
 public:
  Api(std::shared_ptr<Engine> engine, const std::filesystem::path& tokens,
      const ServeOptions& options);
  void Register(httplib::Server& server);

 private:
  std::shared_ptr<Engine> engine_;
  TokenStore tokens_;
  RateLimiter writes_;
  std::size_t max_body_;
};

}  // namespace dongne::http

#endif  // DONGNE_EXAMPLES_HTTP_API_H_
