// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The HTTP host: the REST API of docs/http.md over an engine directory, and
// the map page. Runs until SIGTERM or SIGINT, then finishes the requests in
// flight and returns.

#ifndef DONGNE_EXAMPLES_HTTP_SERVER_H_
#define DONGNE_EXAMPLES_HTTP_SERVER_H_

#include <filesystem>
#include <functional>
#include <string>

namespace dongne::http {

struct ServeOptions {
  std::string host = "127.0.0.1";  // loopback unless asked otherwise
  int port = 8080;                 // 0: any free port
  int threads = 8;                 // the bounded worker pool
  std::size_t max_body_bytes = 1 << 20;
  int timeout_seconds = 10;        // from a request's first byte to the end of its reply
  double writes_per_minute = 60;   // per user, with bursts of writes_burst
  double writes_burst = 20;
  std::filesystem::path assets;    // the project root holding examples/http/static and
                                   // node_modules/leaflet; default: the source tree
  std::function<void(int port)> on_listening;  // called once bound (tests, logs)
};

// Serves `dir` (which must hold an engine). Returns 0 after a clean shutdown.
int Serve(const std::filesystem::path& dir, const ServeOptions& options);

}  // namespace dongne::http

#endif  // DONGNE_EXAMPLES_HTTP_SERVER_H_
