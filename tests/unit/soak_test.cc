// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Soak: writers and readers on several threads for a bounded time
// ($DONGNE_SOAK_SECONDS, default 8). Invariants hold at checkpoints during
// the run and at its end, and memory stops growing once the caches are warm.
// Memory: an import grows it only up to the page caches' ceilings, and
// an overlong line is not read whole.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "test_util.h"

// GCC says __SANITIZE_ADDRESS__; clang 14 only __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define DONGNE_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DONGNE_UNDER_ASAN 1
#endif
#endif

namespace dongne {
namespace {

long ResidentKiB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// The peak resident memory since the last ResetPeakResident (VmHWM).
long PeakResidentKiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// False where the kernel does not let a process reset its peak.
bool ResetPeakResident() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

TEST(Soak, ReadersAndWritersKeepInvariantsAndBoundedMemory) {
  const char* env = std::getenv("DONGNE_SOAK_SECONDS");
  const int seconds = env ? std::atoi(env) : 8;
  testing::TempDir dir;
  auto engine = Engine::Open(dir.path(), testing::TestOptions());
  std::vector<User> users;
  for (int i = 0; i < 6; ++i) {
    users.push_back(engine->CreateUser("이웃" + std::to_string(i)));
    engine->Purchase(users.back().id, 1'000'000, "seed-" + std::to_string(i));
  }
  const LatLon places[] = {{33.4628, 126.3310}, {35.1587, 129.1604}, {37.5665, 126.9780}};
  std::atomic<bool> stop{false};
  std::atomic<long> writes{0}, reads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      std::vector<Answer> answers;
      while (!stop) {
        const User& me = users[rng() % users.size()];
        try {
          const Question q = engine->Ask({.author = me.id, .title = "소크 질문", .body = "내용",
                                          .location = places[rng() % 3], .bounty = static_cast<std::int64_t>(1 + rng() % 5)});
          const User& other = users[(rng() % (users.size() - 1) + 1 + (&me - users.data())) % users.size()];
          const Answer a = engine->PostAnswer({.question = q.id, .author = other.id, .body = "답"});
          if (rng() % 2) engine->Accept(a.id, me.id);
          else if (rng() % 3 == 0) engine->Close(q.id, me.id);
          writes += 3;
        } catch (const Refused&) {
        }
      }
    });
  }
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      while (!stop) {
        const QuestionPage page = engine->List({.limit = 50});
        for (const Question& q : page.questions) engine->GetQuestion(q.id);
        engine->Statement(users[0].id, 20);
        ++reads;
      }
    });
  }
  const auto start = std::chrono::steady_clock::now();
  long warm_kib = 0;
  int checks = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(seconds)) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const VerifyReport report = engine->Verify();  // during the run, writers waiting briefly
    EXPECT_TRUE(report.sound) << ::testing::PrintToString(report.problems);
    if (!report.sound) break;
    ++checks;
    if (checks == 2) warm_kib = ResidentKiB();
  }
  stop = true;
  for (auto& thread : threads) thread.join();
  const long end_kib = ResidentKiB();
  EXPECT_TRUE(engine->Verify().sound);
  EXPECT_GT(writes.load(), 100);
  EXPECT_GT(reads.load(), 10);
  // The data grows, and SQLite caches it up to their ceilings; growth beyond
  // 64 MiB after warming up would be a leak or an unbounded cache. Not under
  // AddressSanitizer: its quarantine keeps freed memory resident (up to
  // 256 MiB), so growth there measures the run's allocations, not what it
  // keeps (a sanitized run grew 150 MiB; LeakSanitizer checks for leaks).
#ifndef DONGNE_UNDER_ASAN
  EXPECT_LT(end_kib - warm_kib, 64 * 1024) << "warm " << warm_kib << " KiB, end " << end_kib << " KiB";
#endif
  std::cout << "[soak] " << seconds << " s, " << writes.load() << " writes, " << reads.load()
            << " read rounds, " << checks << " verifies, RSS " << warm_kib / 1024 << " -> "
            << end_kib / 1024 << " MiB\n";
}

// An import writes every page of the shard's store.db through the writer's
// connection, whose cache keeps them up to its ceiling (8 MiB): a 64 MiB
// ceiling made a 1M-question import peak at 795 MB resident. Skipped under
// AddressSanitizer, whose quarantine holds freed memory.
TEST(Memory, AnImportGrowsMemoryOnlyUpToThePageCacheCeilings) {
#ifdef DONGNE_UNDER_ASAN
  GTEST_SKIP() << "resident memory is not the program's under AddressSanitizer";
#endif
  testing::TempDir dir;
  auto engine = Engine::Open(dir / "engine", testing::TestOptions());
  // 12,000 questions with 4 KB bodies in one shard: 57 MB of store.db. Few
  // distinct words, so indexing them stays quick.
  std::string body;
  while (body.size() < 4000) body += "귤밭 돌담길 산책 코스 ";
  const auto write = [&](const std::string& name, int from, int count) {
    std::ofstream out(dir / name);
    for (int i = from; i < from + count; ++i) {
      out << fmt::format(R"({{"ext_id":"m{}","author":"주민{}","title":"애월 산책 {}",)"
                         R"("body":"{}","lat":33.46,"lon":126.33}})",
                         i, i % 50, i, body)
          << '\n';
    }
    return dir / name;
  };
  // Warm: the engine's own structures, ICU's data, the first pages.
  ASSERT_EQ(engine->Import(write("warm.jsonl", 0, 500)).questions_added, 500);
  const long before_kib = ResidentKiB();
  ASSERT_EQ(engine->Import(write("big.jsonl", 500, 12000)).questions_added, 12000);
  const long after_kib = ResidentKiB();
  std::uintmax_t stored = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir / "engine")) {
    if (entry.path().filename() == "store.db") stored += entry.file_size();
  }
  ASSERT_GT(stored, 40u << 20) << "the shard's file must outgrow the caches to test them";
  // The shard's and the catalog's writers' caches (8 MiB each), two batches
  // of 8 MiB of text, and allocator slack: 27 MiB when written, 84 MiB with
  // 64 MiB caches, 92 MiB with batches of 10,000 lines whatever their size.
  EXPECT_LT(after_kib - before_kib, 40 * 1024)
      << "RSS " << before_kib / 1024 << " -> " << after_kib / 1024 << " MiB over an import of "
      << (stored >> 20) << " MiB";
  std::cout << "[memory] RSS " << before_kib / 1024 << " -> " << after_kib / 1024
            << " MiB over an import of " << (stored >> 20) << " MiB\n";
}

// A line is kept up to its limit (1 MiB) and the rest skipped: a file
// without line breaks is one bad line, not a read of the whole file.
TEST(Memory, AnOverlongLineIsFailedWithoutBeingReadWhole) {
  testing::TempDir dir;
  auto engine = Engine::Open(dir / "engine", testing::TestOptions());
  const auto line = [](int i) {
    return fmt::format(R"({{"ext_id":"l{}","author":"주민","title":"성산 일출","body":"몇 시?",)"
                       R"("lat":33.46,"lon":126.94}})",
                       i);
  };
  {
    std::ofstream out(dir / "long.jsonl");
    out << line(1) << '\n' << R"({"ext_id":"l2","title":")";
    const std::string chunk(1 << 20, 'a');
    for (int i = 0; i < 64; ++i) out << chunk;
    out << "\"}\n" << line(3) << '\n';
  }
  engine->Import(dir / "long.jsonl");  // warm
  // Unused under ASan, whose shadow memory makes RSS say nothing.
  [[maybe_unused]] const long before_kib = ResidentKiB();
  [[maybe_unused]] const bool peak_reset = ResetPeakResident();
  const ImportSummary summary = engine->Import(dir / "long.jsonl");
  [[maybe_unused]] const long peak_kib = PeakResidentKiB();
  EXPECT_EQ(summary.lines, 3);
  EXPECT_EQ(summary.unchanged, 2);
  ASSERT_EQ(summary.errors, 1);
  EXPECT_EQ(summary.first_errors[0].line, 2);
  EXPECT_NE(summary.first_errors[0].message.find("longer than"), std::string::npos)
      << summary.first_errors[0].message;
#ifndef DONGNE_UNDER_ASAN
  if (!peak_reset) GTEST_SKIP() << "cannot reset the peak resident memory (/proc/self/clear_refs)";
  EXPECT_LT(peak_kib - before_kib, 16 * 1024)
      << "RSS " << before_kib / 1024 << " MiB, peak " << peak_kib / 1024 << " MiB over a 64 MiB line";
#endif
}

}  // namespace
}  // namespace dongne
