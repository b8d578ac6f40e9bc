// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "engine/open_lock.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "dongne/error.h"

namespace dongne {

OpenLock::OpenLock(const std::filesystem::path& dir, int timeout_ms) : path_(dir / "LOCK") {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw IOError(fmt::format("cannot open {}: {}", path_.string(), std::strerror(errno)));
  }
  // Another handle holds it exclusively only while its open checks for
  // orphans: a short wait, bounded like SQLite's.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  try {
    while (!Set(F_RDLCK)) {
      if (std::chrono::steady_clock::now() >= deadline) {
        throw IOError(fmt::format("{} is held exclusively by another handle (checking the ledger) "
                                  "for longer than {} ms",
                                  path_.string(), timeout_ms));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

OpenLock::~OpenLock() { ::close(fd_); }  // which releases the lock

bool OpenLock::Set(short type) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;  // l_start and l_len 0: the whole file
  for (;;) {
    if (::fcntl(fd_, F_OFD_SETLK, &lock) == 0) return true;
    if (errno == EAGAIN || errno == EACCES) return false;
    if (errno != EINTR) {
      throw IOError(fmt::format("cannot lock {}: {}", path_.string(), std::strerror(errno)));
    }
  }
}

std::optional<OpenLock::Exclusive> OpenLock::TryExclusive() {
  if (!Set(F_WRLCK)) return std::nullopt;
  return Exclusive(*this);
}

OpenLock::Exclusive::Exclusive(Exclusive&& other) noexcept
    : lock_(std::exchange(other.lock_, nullptr)) {}

OpenLock::Exclusive::~Exclusive() {
  if (!lock_) return;
  try {
    lock_->Set(F_RDLCK);  // a downgrade: nothing can conflict with it
  } catch (const IOError&) {
    // Still exclusive: other opens wait, then fail with IOError; nothing is
    // refunded or reported wrongly.
  }
}

}  // namespace dongne
