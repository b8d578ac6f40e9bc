// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// OpenLock: whether an Engine is the only handle open on its directory, for
// handles in one process and in another, and with no instant in which a
// failed attempt to be alone leaves the directory looking unopened.

#include "engine/open_lock.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "dongne/error.h"
#include "test_util.h"

namespace dongne {
namespace {

constexpr int kTimeoutMs = 2000;

TEST(OpenLock, ALoneHandleIsExclusiveAndTwoInOneProcessAreNot) {
  testing::TempDir dir;
  OpenLock first(dir.path(), kTimeoutMs);
  EXPECT_TRUE(first.TryExclusive());
  {
    OpenLock second(dir.path(), kTimeoutMs);
    EXPECT_FALSE(first.TryExclusive());
    EXPECT_FALSE(second.TryExclusive());
  }
  EXPECT_TRUE(first.TryExclusive());
}

// With flock, a shared lock that fails to become exclusive is dropped: the
// other handle would then find itself alone while this one is open.
TEST(OpenLock, AFailedAttemptKeepsTheLockShared) {
  testing::TempDir dir;
  OpenLock first(dir.path(), kTimeoutMs);
  OpenLock second(dir.path(), kTimeoutMs);
  ASSERT_FALSE(first.TryExclusive());
  EXPECT_FALSE(second.TryExclusive());
}

TEST(OpenLock, AnOpenWaitsForAnExclusiveHolderThenFails) {
  testing::TempDir dir;
  OpenLock first(dir.path(), kTimeoutMs);
  {
    std::optional<OpenLock::Exclusive> alone = first.TryExclusive();
    ASSERT_TRUE(alone);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(OpenLock(dir.path(), 100), IOError);
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  }
  OpenLock second(dir.path(), kTimeoutMs);  // shared again: no wait
}

TEST(OpenLock, AHandleInAnotherProcessCountsUntilItDies) {
  testing::TempDir dir;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    OpenLock held(dir.path(), kTimeoutMs);
    if (write(ready[1], "x", 1) != 1) _exit(2);
    for (;;) pause();
  }
  close(ready[1]);
  char byte;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  OpenLock mine(dir.path(), kTimeoutMs);
  EXPECT_FALSE(mine.TryExclusive());
  kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(mine.TryExclusive());  // the kernel released the dead one's lock
}

}  // namespace
}  // namespace dongne
