// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// I/O faults: a full disk (the file size limit set to zero, so every write
// fails with EFBIG as on a full file system), a corrupted store.db and a
// deleted file. Clear errors, reads go on, nothing half-written, and writes
// succeed again once space returns.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "dongne/engine.h"
#include "dongne/error.h"
#include "test_util.h"

namespace dongne {
namespace {

constexpr LatLon kAewol{33.4628, 126.3310};

// Lowers the file size limit for its lifetime: writes past `bytes` fail.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of a signal
    rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &lowered);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    signal(SIGXFSZ, previous_handler_);
  }

 private:
  rlimit saved_{};
  void (*previous_handler_)(int);
};

NewQuestion Question(Id author, const std::string& title) {
  return {.author = author, .title = title, .body = "내용", .location = kAewol, .bounty = 5};
}

TEST(IoFaults, FullDiskFailsWritesCleanlyAndRecovers) {
  testing::TempDir dir;
  Options options = testing::TestOptions();
  auto engine = Engine::Open(dir.path(), options);
  const User me = engine->CreateUser("귤러버");
  const dongne::Question first = engine->Ask(Question(me.id, "첫 질문"));
  const std::string before = testing::Digest(dir.path());
  {
    FileSizeLimit full(0);
    EXPECT_THROW(engine->Ask(Question(me.id, "디스크가 꽉 찼을 때")), IOError);
    EXPECT_THROW(engine->CreateUser("새사람"), IOError);
    // Reads go on.
    EXPECT_EQ(engine->GetQuestion(first.id).title, "첫 질문");
    EXPECT_EQ(engine->List({}).questions.size(), 1u);
    EXPECT_EQ(engine->Balance(me.id), 100 - 5);
  }
  EXPECT_EQ(testing::Digest(dir.path()), before);
  // Space is back: writes succeed, and nothing of the failed ones shows.
  const dongne::Question second = engine->Ask(Question(me.id, "다시 질문"));
  EXPECT_EQ(engine->List({}).questions.size(), 2u);
  EXPECT_EQ(engine->Balance(me.id), 100 - 10);
  EXPECT_TRUE(engine->Verify().sound) << ::testing::PrintToString(engine->Verify().problems);
  engine.reset();
  engine = Engine::Open(dir.path(), options);
  EXPECT_EQ(engine->GetQuestion(second.id).title, "다시 질문");
  EXPECT_TRUE(engine->Verify().sound);
}

// A directory made read-only under a running engine: a write that needs a
// new file fails with IOError and leaves nothing, reads go on, and the write
// succeeds once the directory is writable again. Permission bits do not stop
// root, so as root the checks run in a child that drops to `nobody`.
TEST(IoFaults, ReadOnlyDirectoryFailsWritesCleanlyAndRecovers) {
  testing::TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(10);
    int failures = 0;
    const auto check = [&failures](bool ok, int line = __builtin_LINE()) {
      if (!ok) std::fprintf(stderr, "read-only child: check at line %d failed\n", line);
      failures += !ok;
    };
    try {
      const std::filesystem::path engine_dir = dir / "engine";
      auto engine = Engine::Open(engine_dir, testing::TestOptions());
      const User me = engine->CreateUser("귤러버");
      const dongne::Question first = engine->Ask(Question(me.id, "첫 질문"));
      using std::filesystem::perms;
      const auto read_only = perms::owner_read | perms::owner_exec;
      std::vector<std::filesystem::path> paths;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(engine_dir)) {
        paths.push_back(entry.path());
      }
      paths.push_back(engine_dir);
      for (const auto& p : paths) {
        std::filesystem::permissions(p, std::filesystem::is_directory(p) ? read_only : perms::owner_read);
      }
      // A question in a region whose shard does not exist yet needs a new
      // directory and file. (Files already open keep taking writes through
      // their descriptors, as with any database.)
      NewQuestion busan = Question(me.id, "읽기 전용인데 부산 질문");
      busan.location = {35.1587, 129.1604};
      try {
        engine->Ask(busan);
        check(false);
      } catch (const IOError&) {
      }
      check(engine->GetQuestion(first.id).title == "첫 질문");
      check(engine->List({}).questions.size() == 1);
      for (const auto& p : paths) std::filesystem::permissions(p, perms::owner_all);
      engine->Ask(busan);
      check(engine->List({}).questions.size() == 2);
      check(engine->Verify().sound);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "read-only child: %s\n", e.what());
      _exit(11);
    }
    _exit(failures == 0 ? 0 : 12);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: could not drop root, 11: an unexpected error (on stderr), "
                                       "12: a check failed";
}

TEST(IoFaults, CorruptedStoreIsReportedByVerify) {
  testing::TempDir dir;
  {
    auto engine = Engine::Open(dir.path(), testing::TestOptions());
    const User me = engine->CreateUser("귤러버");
    engine->Purchase(me.id, 10000, "enough-for-300");
    for (int i = 0; i < 300; ++i) engine->Ask(Question(me.id, "질문 " + std::to_string(i)));
  }
  const std::filesystem::path store = dir / "shards/jeju/store.db";
  const auto size = std::filesystem::file_size(store);
  ASSERT_GT(size, 16384u);
  {
    // Scribble over the last page but one: table or index rows, not the schema.
    std::fstream file(store, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(size - 2 * 4096));
    const std::string garbage(4096, '\x5a');
    file.write(garbage.data(), garbage.size());
  }
  auto engine = Engine::Open(dir.path(), testing::TestOptions());
  std::vector<VerifyProgress> reports;
  const VerifyReport report =
      engine->Verify([&](const VerifyProgress& p) { reports.push_back(p); });
  EXPECT_FALSE(report.sound);
  ASSERT_FALSE(report.problems.empty());
  EXPECT_NE(report.problems[0].find("shards/jeju/store.db"), std::string::npos) << report.problems[0];
  // A file each, the damaged shard's too: every shard and catalog.db.
  ASSERT_GE(reports.size(), 2u);
  for (std::size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(reports[i].checked, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(reports[i].total, static_cast<std::int64_t>(reports.size()));
  }
}

// Regression: a shard's store.db cut short could not be opened, and the
// engine with it: every command failed, verify too, naming only "store.db".
TEST(IoFaults, AStoreThatCannotBeOpenedStopsOnlyItsShard) {
  testing::TempDir dir;
  Id in_busan = 0;
  {
    auto engine = Engine::Open(dir.path(), testing::TestOptions());
    const User me = engine->CreateUser("귤러버");
    engine->Purchase(me.id, 10000, "enough-for-51");
    for (int i = 0; i < 50; ++i) engine->Ask(Question(me.id, "질문 " + std::to_string(i)));
    NewQuestion busan = Question(me.id, "해운대 질문");
    busan.location = {35.1587, 129.1604};
    in_busan = engine->Ask(busan).id;
  }
  const std::filesystem::path store = dir / "shards/jeju/store.db";
  std::filesystem::resize_file(store, std::filesystem::file_size(store) * 7 / 10);
  auto engine = Engine::Open(dir.path(), testing::TestOptions());
  const VerifyReport report = engine->Verify();
  EXPECT_FALSE(report.sound);
  ASSERT_EQ(report.problems.size(), 1u) << ::testing::PrintToString(report.problems);
  EXPECT_EQ(report.problems[0].rfind("shards/jeju/store.db cannot be opened: ", 0), 0u)
      << report.problems[0];
  EXPECT_EQ(engine->GetQuestion(in_busan).title, "해운대 질문");
  EXPECT_EQ(engine->List({.region = "busan"}).questions.size(), 1u);
  try {
    engine->List({});
    ADD_FAILURE() << "a listing of every shard left the damaged one out silently";
  } catch (const Corruption& e) {
    EXPECT_NE(std::string(e.what()).find("shards/jeju/store.db"), std::string::npos) << e.what();
  }
}

TEST(IoFaults, FileThatIsNotADatabaseIsCorruption) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path());
  std::ofstream(dir / "catalog.db") << "this is not a database, it is a text file with words in it";
  EXPECT_THROW(Engine::Open(dir.path(), testing::TestOptions()), Corruption);
}

}  // namespace
}  // namespace dongne
