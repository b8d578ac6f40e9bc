// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// ParallelFor: the engine's one way of spreading independent work (a batch's
// shards, an index rebuild's) over the cores, and LargestFirst, the order to
// give it shards in.

#ifndef DONGNE_ENGINE_PARALLEL_H_
#define DONGNE_ENGINE_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace dongne {

// Calls task(i) for every i in [0, count), on up to one thread per core.
// Each thread takes the next index as soon as it is done with one, so give
// the largest pieces of work the smallest indexes: a long task started last
// would leave the other cores idle.
//
// Returns when every started task has returned. When a task throws, no
// further index is started and the first exception is rethrown here, so no
// task outlives the call. `task` must be safe to call from several threads
// at once for different indexes.
template <typename Task>
void ParallelFor(std::size_t count, const Task& task) {
  const std::size_t width =
      std::min<std::size_t>(count, std::max(1u, std::thread::hardware_concurrency()));
  if (width <= 1) {
    for (std::size_t i = 0; i < count; ++i) task(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  const auto work = [&] {
    for (std::size_t i; !failed && (i = next++) < count;) {
      try {
        task(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::future<void>> workers;
  for (std::size_t w = 1; w < width; ++w) workers.push_back(std::async(std::launch::async, work));
  work();  // this thread is one of them
  for (auto& worker : workers) worker.get();
  if (first_error) std::rethrow_exception(first_error);
}

// The shard numbers of `sizes` (shard -> work), the most work first, ties
// by number: the order to hand shards to ParallelFor.
inline std::vector<int> LargestFirst(const std::map<int, std::size_t>& sizes) {
  std::vector<int> order;
  for (const auto& [no, size] : sizes) order.push_back(no);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return sizes.at(a) > sizes.at(b); });
  return order;
}

}  // namespace dongne

#endif  // DONGNE_ENGINE_PARALLEL_H_
