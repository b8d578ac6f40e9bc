// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "engine/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace dongne {
namespace {

TEST(ParallelForTest, CallsEveryIndexOnce) {
  std::vector<std::atomic<int>> calls(100);
  ParallelFor(calls.size(), [&](std::size_t i) { ++calls[i]; });
  for (std::size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(calls[i], 1) << "index " << i;
}

TEST(ParallelForTest, NothingToDoCallsNothing) {
  bool called = false;
  ParallelFor(0, [&](std::size_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ParallelForTest, RethrowsAndStartsNoIndexAfterAFailure) {
  std::atomic<int> started{0};
  std::atomic<int> running{0};
  EXPECT_THROW(ParallelFor(1000,
                           [&](std::size_t i) {
                             ++started;
                             if (i == 0) throw std::runtime_error("shard 0 failed");
                             ++running;
                             std::this_thread::sleep_for(std::chrono::milliseconds(1));
                             --running;
                           }),
               std::runtime_error);
  // Each thread finishes the index it had taken and stops (twice the
  // threads leaves room for a failing thread descheduled for a while).
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_LE(started, 2 * threads + 1);
  EXPECT_EQ(running, 0) << "a task outlived the call";
}

TEST(LargestFirstTest, MostWorkFirstTiesByShardNumber) {
  EXPECT_EQ(LargestFirst({{1, 10}, {2, 3000}, {3, 10}, {4, 200}}), (std::vector<int>{2, 4, 1, 3}));
  EXPECT_TRUE(LargestFirst({}).empty());
}

}  // namespace
}  // namespace dongne
