// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// dongne serve DIR [--port P] [--host H] [--threads N] [--max-body BYTES]
//                  [--writes-per-minute N] [--writes-burst N] [--timeout S] [--assets DIR]

#include "cli.h"
#include "server.h"

namespace dongne::cli {

void AddServeCommand(CLI::App& app, Context& context) {
  static std::string dir;
  static http::ServeOptions options;
  auto* serve = app.add_subcommand("serve", "Serve the REST API and the map page (docs/http.md)");
  serve->add_option("DIR", dir, "Engine directory")->required();
  serve->add_option("--port", options.port, "Port; 0 picks a free one (default 8080)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--host", options.host, "Address to listen on (default 127.0.0.1)");
  serve->add_option("--threads", options.threads, "Worker threads (default 8)")
      ->check(CLI::Range(1, 1024));
  serve->add_option("--max-body", options.max_body_bytes, "Request body limit in bytes (default 1 MiB)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
  serve->add_option("--writes-per-minute", options.writes_per_minute, "Per-user write rate (default 60)")
      ->check(CLI::Range(0.001, 1e6));
  serve->add_option("--writes-burst", options.writes_burst, "Per-user write burst (default 20)")
      ->check(CLI::Range(1.0, 1e6));
  serve->add_option("--timeout", options.timeout_seconds,
                    "Seconds a request may take to arrive and its reply to leave (default 10)")
      ->check(CLI::Range(1, 86400));
  serve->add_option("--assets", options.assets,
                    "Directory holding examples/http/static and node_modules/leaflet "
                    "(default: the source tree it was built from)");
  serve->callback([] {
    options.on_listening = [](int port) {
      std::printf("listening on %d\n", port);  // tests read the port from here
      std::fflush(stdout);
    };
    http::Serve(dir, options);
  });
}

}  // namespace dongne::cli
