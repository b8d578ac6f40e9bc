// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// OpenLock: the engine directory's LOCK file, which tells an Engine whether
// it is the only one open on the directory, in any process.
//
// Every open Engine holds a shared lock on LOCK for as long as it is open.
// An Engine that holds it exclusively therefore knows that no other handle
// is open, and so that no ask of another handle is between its catalog write
// (the escrow held) and its shard write (the question stored). Only then can
// an escrow whose question is not stored be taken for an orphan: Recover
// refunds orphans only while exclusive.
//
// The locks are open file description locks (F_OFD_SETLK, Linux): like
// flock, two Engines of one process exclude each other as two processes do;
// unlike flock, a shared lock that fails to become exclusive stays shared,
// with no instant in which the directory looks unopened. They are released
// when the process dies. Local file systems only.
//
// Thread-safety: none; the engine takes it exclusively only while it opens.

#ifndef DONGNE_ENGINE_OPEN_LOCK_H_
#define DONGNE_ENGINE_OPEN_LOCK_H_

#include <filesystem>
#include <optional>

namespace dongne {

class OpenLock {
 public:
  // Holds the lock exclusively until destroyed, then shared again.
  class Exclusive {
   public:
    ~Exclusive();
    Exclusive(Exclusive&& other) noexcept;
    Exclusive& operator=(Exclusive&&) = delete;

   private:
    friend class OpenLock;
    explicit Exclusive(OpenLock& lock) : lock_(&lock) {}
    OpenLock* lock_;  // null once moved from
  };

  // Opens (creating) `dir`/LOCK and holds it shared, waiting up to
  // `timeout_ms` while another handle holds it exclusively. Throws IOError.
  OpenLock(const std::filesystem::path& dir, int timeout_ms);
  ~OpenLock();
  OpenLock(const OpenLock&) = delete;
  OpenLock& operator=(const OpenLock&) = delete;

  // The lock held exclusively, if no other handle has the directory open;
  // nullopt (the lock still shared) if one has.
  std::optional<Exclusive> TryExclusive();

 private:
  // F_RDLCK or F_WRLCK on the whole file; false if another handle's lock
  // conflicts. Throws IOError on other failures.
  bool Set(short type);

  const std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace dongne

#endif  // DONGNE_ENGINE_OPEN_LOCK_H_
