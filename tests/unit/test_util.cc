// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "test_util.h"

#include <GeographicLib/Geodesic.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <vector>

#include "dongne/error.h"

namespace dongne::testing {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("dongne-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::optional<std::filesystem::path> SharedData(const std::string& name) {
  const char* env = std::getenv("DONGNE_SHARED_DATA");
  const std::filesystem::path dir = env ? env : DONGNE_SHARED_DATA_DIR;
  const std::filesystem::path file = dir / name;
  if (std::filesystem::exists(file)) return file;
  return std::nullopt;
}

namespace {

constexpr char kStarted[] = "started";  // Started's line to RunAndKill

std::string DigestDatabase(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  std::string out = file.filename().string() + ":";
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return out + "unreadable";
  }
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                     "'sqlite_%' ORDER BY name",
                     -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  std::size_t hash = 0;
  for (const std::string& table : tables) {
    const std::string sql = "SELECT * FROM \"" + table + "\"";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) continue;
    std::size_t rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      ++rows;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const void* blob = sqlite3_column_blob(st, c);
        const int n = sqlite3_column_bytes(st, c);
        const std::string_view bytes(static_cast<const char*>(blob), blob ? n : 0);
        hash = hash * 1000003 ^ std::hash<std::string_view>()(bytes);
      }
    }
    sqlite3_finalize(st);
    out += table + "=" + std::to_string(rows) + ",";
  }
  sqlite3_close(db);
  return out + std::to_string(hash) + ";";
}

}  // namespace

int ExecOn(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  const int changed = sqlite3_changes(db);
  sqlite3_close(db);
  return changed;
}

std::string Digest(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() == ".db") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::string digest;
  for (const auto& file : files) digest += DigestDatabase(file);
  return digest;
}

Timestamp TestNow() { return Timestamp(std::chrono::seconds(1746057600)); }

double OracleDistance(LatLon a, LatLon b) {
  double s12 = 0;
  GeographicLib::Geodesic::WGS84().Inverse(a.lat, a.lon, b.lat, b.lon, s12);
  return s12;
}

Options TestOptions() {
  Options options;
  options.clock = TestNow;
  options.sync = false;  // tests do not need power-loss durability
  return options;
}

KilledChild RunAndKill(const std::function<void(int fd)>& child, std::chrono::microseconds after) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    child(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  KilledChild result;
  std::string first_line;  // "started", unless the child died first
  for (char c; read(fds[0], &c, 1) == 1 && c != '\n';) first_line += c;
  if (first_line != kStarted) result.written = first_line;  // a broken child: report it
  usleep(static_cast<useconds_t>(after.count()));
  kill(pid, SIGKILL);
  waitpid(pid, &result.status, 0);
  result.killed = WIFSIGNALED(result.status) && WTERMSIG(result.status) == SIGKILL;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) result.written.append(buffer, n);
  close(fds[0]);
  return result;
}

void Acknowledge(int fd, const std::string& line) {
  const std::string text = line + "\n";
  if (write(fd, text.data(), text.size()) < 0) _exit(3);
}

void Started(int fd) { Acknowledge(fd, kStarted); }

std::unique_ptr<Engine> OpenAndStart(const std::filesystem::path& dir, int fd) {
  Options options = TestOptions();
  options.sync = true;
  auto engine = Engine::Open(dir, options);
  Started(fd);
  return engine;
}

User UserNamed(Engine& engine, const std::string& nickname) {
  try {
    return engine.CreateUser(nickname);
  } catch (const Conflict&) {
    return engine.FindUser(nickname);
  }
}

}  // namespace dongne::testing
