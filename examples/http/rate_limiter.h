// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Per-user write rate limit: a token bucket of `burst` writes refilled at
// `per_minute`. Thread-safe.

#ifndef DONGNE_EXAMPLES_HTTP_RATE_LIMITER_H_
#define DONGNE_EXAMPLES_HTTP_RATE_LIMITER_H_

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "dongne/types.h"

namespace dongne::http {

class RateLimiter {
 public:
  RateLimiter(double per_minute, double burst) : per_second_(per_minute / 60), burst_(burst) {}

  // 0 when `user` may write now (and takes one token); else the whole
  // seconds to wait, for Retry-After.
  int Acquire(Id user);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  const double per_second_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<Id, Bucket> buckets_;
};

}  // namespace dongne::http

#endif  // DONGNE_EXAMPLES_HTTP_RATE_LIMITER_H_
