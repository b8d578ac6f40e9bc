// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Helpers shared by the test suites: temporary engine directories, the real
// geodata of ../shared/data, a digest of everything an engine stored, and
// the fork-and-kill round of the crash tests.

#ifndef DONGNE_TESTS_UNIT_TEST_UTIL_H_
#define DONGNE_TESTS_UNIT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "dongne/engine.h"

namespace dongne::testing {

// A fresh directory, removed with everything in it when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// ../shared/data/<name> (or $DONGNE_SHARED_DATA/<name>), nullopt when absent.
std::optional<std::filesystem::path> SharedData(const std::string& name);

// Skips the calling test with a message when ../shared/data/<name> is absent.
#define DONGNE_REQUIRE_SHARED_DATA(var, name)                                        \
  const std::optional<std::filesystem::path> var##_opt = ::dongne::testing::SharedData(name); \
  if (!var##_opt) GTEST_SKIP() << "real geodata " << name << " not found in ../shared/data"; \
  const std::filesystem::path var = *var##_opt

// A digest of the logical content of every SQLite file under `dir` (every
// row of every table): equal digests before and after a call prove it wrote
// nothing.
std::string Digest(const std::filesystem::path& dir);

// Runs `sql` on the SQLite file `file` (of a closed engine, or one the test
// tampers with under it); returns how many rows it changed.
int ExecOn(const std::filesystem::path& file, const std::string& sql);

// The geodesic distance in metres by GeographicLib, the tests' oracle for
// every distance the engine reports.
double OracleDistance(LatLon a, LatLon b);

// A crash test's round: forks a child that runs `child(fd)` (writing what
// it acknowledges to `fd`; the child _exits (0) if it returns), waits until
// the child calls Started(fd) or dies, kills it with SIGKILL `after` that,
// and reports what it acknowledged before it died. Timing from Started, not
// from the fork, keeps the kills in the work under test on a loaded machine,
// where opening an engine can take longer than the whole delay.
struct KilledChild {
  std::string written;
  bool killed = false;  // false: the child exited before the kill
  int status = 0;       // from waitpid
};
KilledChild RunAndKill(const std::function<void(int fd)>& child, std::chrono::microseconds after);
// Writes `line` and a newline to `fd` from such a child, which _exits (3)
// when it cannot: acknowledged means written before the call returns.
void Acknowledge(int fd, const std::string& line);
// Tells RunAndKill that the child is ready (its engine open): the delay
// starts now. Call it once, before any Acknowledge.
void Started(int fd);
// Opens such a child's engine, with sync on (an acknowledged write must
// survive the kill), then calls Started(fd).
std::unique_ptr<Engine> OpenAndStart(const std::filesystem::path& dir, int fd);
// The user `nickname`: created in the first round, found in the later ones.
User UserNamed(Engine& engine, const std::string& nickname);

// A fixed clock for engines under test: 2025-05-01T00:00:00Z.
Timestamp TestNow();
Options TestOptions();

}  // namespace dongne::testing

#endif  // DONGNE_TESTS_UNIT_TEST_UTIL_H_
