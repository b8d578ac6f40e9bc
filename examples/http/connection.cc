// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "connection.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace dongne::http {
namespace {

using Clock = std::chrono::steady_clock;

thread_local bool t_close_after_reply = false;
thread_local Clock::time_point t_request_start;

constexpr size_t kMaxHeadBytes = 64 << 10;

// A connection's socket, read through a buffer that lasts as long as it
// does, with every wait ending at the current request's deadline.
class Connection final : public httplib::Stream {
 public:
  explicit Connection(socket_t sock) : sock_(sock) {}

  // Waits up to `idle` for the next request (false: none came, or the
  // server is stopping), then gives it until `timeout` from now.
  bool AwaitRequest(const std::atomic<socket_t>& listening, Clock::duration idle,
                    Clock::duration timeout) {
    const Clock::time_point give_up = Clock::now() + idle;
    while (begin_ == end_) {
      // A request already sent is served before a stop is noticed: one
      // waiting for a worker at SIGTERM was dropped unanswered.
      deadline_ = std::min(give_up, Clock::now() + std::chrono::milliseconds(50));  // notice a stop
      if (Wait(POLLIN)) break;
      if (listening == INVALID_SOCKET || Clock::now() >= give_up) return false;
    }
    deadline_ = Clock::now() + timeout;
    head_bytes_ = 0;
    in_head_ = true;
    blank_line_ = false;
    return true;
  }

  bool Overdue() const { return Clock::now() >= deadline_; }

  bool is_readable() const override { return begin_ < end_ || Wait(POLLIN); }
  bool is_writable() const override { return Wait(POLLOUT); }

  ssize_t read(char* ptr, size_t size) override {
    if (in_head_ && head_bytes_ >= kMaxHeadBytes) return -1;
    if (begin_ == end_) {
      if (!Wait(POLLIN)) return -1;
      ssize_t n;
      do n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      begin_ = 0;
      end_ = static_cast<size_t>(n);
    }
    size = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_.data() + begin_, size);
    begin_ += size;
    if (in_head_) FollowHead(ptr, size);
    return static_cast<ssize_t>(size);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!Wait(POLLOUT)) return -1;
    ssize_t n;
    do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    Address(::getpeername, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    Address(::getsockname, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  // Whether `events` came before the deadline (a passed deadline still
  // takes what is ready now).
  bool Wait(short events) const {
    pollfd fd{sock_, events, 0};
    int ready;
    do {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now());
      ready = ::poll(&fd, 1, static_cast<int>(std::max<std::int64_t>(0, left.count())));
    } while (ready < 0 && errno == EINTR);
    return ready > 0;
  }

  // Counts the head's bytes until the blank line that ends it (a line
  // holding at most a CR).
  void FollowHead(const char* data, size_t size) {
    for (size_t i = 0; i < size && in_head_; ++i) {
      ++head_bytes_;
      if (data[i] == '\n') {
        in_head_ = !blank_line_;
        blank_line_ = true;
      } else if (data[i] != '\r') {
        blank_line_ = false;
      }
    }
  }

  void Address(int (*get)(int, sockaddr*, socklen_t*), std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> service{};
    if (get(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
        ::getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host.data(), host.size(),
                      service.data(), service.size(), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host.data();
      port = std::atoi(service.data());
    }
  }

  socket_t sock_;
  std::array<char, 4096> buffer_{};
  size_t begin_ = 0;  // the unread bytes are buffer_[begin_, end_)
  size_t end_ = 0;
  // The current request's head: httplib bounds each of its lines but not
  // their number, and a client sending header lines for the whole timeout
  // grew the server by a gigabyte. Reads fail past kMaxHeadBytes.
  size_t head_bytes_ = 0;
  bool in_head_ = true;
  bool blank_line_ = false;  // nothing but a CR since the last LF
  Clock::time_point deadline_;
};

}  // namespace

Clock::time_point RequestStart() { return t_request_start; }

void CloseAfterReply(httplib::Response& res) {
  if (!res.has_header("Connection")) res.set_header("Connection", "close");
  t_close_after_reply = true;
}

bool Server::process_and_close_socket(socket_t sock) {
  Connection connection(sock);
  bool ok = true;
  for (size_t left = keep_alive_max_count_; ok && left > 0; --left) {
    if (!connection.AwaitRequest(svr_sock_, std::chrono::seconds(keep_alive_timeout_sec_), timeout_)) {
      break;
    }
    bool closed = false;
    t_close_after_reply = false;
    t_request_start = Clock::now();
    // An overdue request may have been cut short (httplib answers a header
    // it could not finish with 400, then reads on): the rest is not read.
    ok = process_request(connection, /*close_connection=*/left == 1, closed, nullptr) && !closed &&
         !t_close_after_reply && !connection.Overdue();
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace dongne::http
