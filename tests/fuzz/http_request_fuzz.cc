// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The HTTP host's request parsing, end to end: each input is sent as raw
// bytes over a loopback socket to one in-process host (httplib's parser, the
// API's JSON and parameter handling, the engine). Any reply is fine; a crash,
// a sanitizer report or a 500 for input is not.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <thread>

#include "dongne/engine.h"
#include "server.h"

namespace {

const std::filesystem::path& HostDir() {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("dongne-http-fuzz-" + std::to_string(::getpid()));
  return dir;
}

int StartHost() {
  static const int port = [] {
    const std::filesystem::path& dir = HostDir();
    std::filesystem::remove_all(dir);
    // libFuzzer ends a run with exit(): the engine directory goes then (the
    // host thread still holds it open, which Linux allows). A crash keeps it.
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(HostDir(), ignored);
    });
    {
      auto engine = dongne::Engine::Open(dir);
      const dongne::User user = engine->CreateUser("퍼저");
      engine->Ask({.author = user.id, .title = "애월 흑돼지?", .body = "추천", .location = {33.46, 126.33}});
    }
    std::promise<int> bound;
    std::thread([dir, &bound] {
      dongne::http::ServeOptions options;
      options.port = 0;
      options.writes_per_minute = 1e9;
      options.writes_burst = 1e9;
      options.timeout_seconds = 1;
      options.on_listening = [&bound](int p) { bound.set_value(p); };
      dongne::http::Serve(dir, options);
    }).detach();
    return bound.get_future().get();
  }();
  return port;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int port = StartHost();
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
  if (size) (void)!send(fd, data, size, MSG_NOSIGNAL);
  shutdown(fd, SHUT_WR);
  std::string reply;
  char buffer[4096];
  for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, n);
  close(fd);
  if (reply.rfind("HTTP/1.1 500", 0) == 0) std::abort();  // bad input must never be a 500
  return 0;
}
