// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The httplib server with its own loop over a connection's requests. In
// cpp-httplib 0.11 each request is read through a fresh buffer, so the bytes
// of a pipelined request that arrived with the one before are lost, and each
// read has its own timeout, so a client that sends a byte now and then holds
// its worker for as long as it likes. Here a connection keeps one buffer, and
// a request has `timeout` from its first byte to arrive and be answered.

#ifndef DONGNE_EXAMPLES_HTTP_CONNECTION_H_
#define DONGNE_EXAMPLES_HTTP_CONNECTION_H_

#include <httplib.h>

#include <chrono>

namespace dongne::http {

// Closes the connection once `res`, the reply to the request being handled
// (on this thread), is sent, and says so in it.
void CloseAfterReply(httplib::Response& res);

// When the request being handled on this thread began to arrive (its first
// byte), for the access log.
std::chrono::steady_clock::time_point RequestStart();

class Server : public httplib::Server {
 public:
  explicit Server(std::chrono::seconds timeout) : timeout_(timeout) {}

 private:
  bool process_and_close_socket(socket_t sock) override;

  std::chrono::seconds timeout_;
};

}  // namespace dongne::http

#endif  // DONGNE_EXAMPLES_HTTP_CONNECTION_H_
