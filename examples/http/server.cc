// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Wiring: the httplib server, its worker pool and limits, JSON errors, the
// access log, static files and shutdown on SIGTERM. The API's handlers are in
// api.cc.

#include "server.h"

#include <httplib.h>
#include <signal.h>
#include <strings.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "api.h"
#include "connection.h"
#include "dongne/engine.h"
#include "dongne/error.h"
#include "json_format.h"

namespace dongne::http {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void OnSignal(int) { g_stop = true; }

constexpr const char* kJson = "application/json; charset=utf-8";

std::string_view StatusCode(int status) {
  switch (status) {
    case 400: return "invalid_argument";
    case 401: return "unauthorized";
    case 403: return "refused";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 422: return "insufficient_points";
    case 429: return "rate_limited";
    case 501: return "not_implemented";
    default: return status >= 500 ? "internal" : "error";
  }
}

// The map page's files under `assets`, and Leaflet's. The API is served
// without them, so a missing one is a warning: an operator who wants the map
// page learns why it is not there.
void MountMapPage(httplib::Server& server, const std::filesystem::path& assets) {
  const std::filesystem::path page = assets / "examples" / "http" / "static";
  const std::filesystem::path leaflet = assets / "node_modules" / "leaflet" / "dist";
  server.set_mount_point("/", page.string());
  server.set_mount_point("/vendor/leaflet", leaflet.string());
  if (!std::filesystem::exists(page / "index.html")) {
    std::fprintf(stderr, "dongne: no map page: %s is missing (see --assets); the API is served\n",
                 (page / "index.html").c_str());
  } else if (!std::filesystem::exists(leaflet / "leaflet.js")) {
    std::fprintf(stderr,
                 "dongne: the map page has no map: %s is missing (scripts/setup.sh installs "
                 "Leaflet); the API is served\n",
                 (leaflet / "leaflet.js").c_str());
  }
}

// Whether the request is refused because its body cannot be told from the
// next request (RFC 9112, 6): a transfer coding other than chunked is 501,
// Content-Length headers that are not one number 400. Either ends the
// connection, and so does a body no route reads (a GET's): the next request
// would be read from inside it. So does a chunked body: httplib 0.11 takes a
// chunk not followed by CRLF for the end of the body, and what followed
// would be read as a request of its own (smuggled past the front end).
bool RefuseUnframed(const httplib::Request& req, httplib::Response& res) {
  const bool coded = req.has_header("Transfer-Encoding");
  // Two Transfer-Encoding lines are one list (chunked, gzip): not chunked.
  const bool chunked =
      req.get_header_value_count("Transfer-Encoding") == 1 &&
      strcasecmp(req.get_header_value("Transfer-Encoding").c_str(), "chunked") == 0;
  std::set<std::string> lengths;
  for (auto [it, end] = req.headers.equal_range("Content-Length"); it != end; ++it) {
    lengths.insert(it->second);
  }
  const bool one_length = lengths.size() == 1 && !lengths.begin()->empty() &&
                          lengths.begin()->find_first_not_of("0123456789") == std::string::npos;
  const int status = coded && !chunked ? 501 : lengths.empty() || one_length ? 0 : 400;
  const bool body = coded || (one_length && lengths.begin()->find_first_not_of('0') != std::string::npos);
  const bool read = req.method == "POST" || req.method == "PUT" || req.method == "DELETE" ||
                    req.method == "PATCH";
  if (status != 0 || (body && !read) || coded) CloseAfterReply(res);
  if (status != 0) res.status = status;
  return status != 0;
}

// Connection: close in any case or list (Close, keep-alive, close), and an
// HTTP/1.0 request without keep-alive, end the connection after the reply;
// httplib honours only the exact lower-case "close". It keeps an HTTP/1.0
// connection only for the exact "Keep-Alive" and closes it otherwise, so
// that is what the reply must then say, whatever the case of keep-alive.
void HonourConnectionClose(const httplib::Request& req, httplib::Response& res) {
  std::string tokens;
  for (auto [it, end] = req.headers.equal_range("Connection"); it != end; ++it) {
    tokens += "," + it->second;
  }
  std::transform(tokens.begin(), tokens.end(), tokens.begin(),
                 [](unsigned char c) { return c == ' ' || c == '\t' ? ',' : std::tolower(c); });
  tokens += ",";
  const bool close = tokens.find(",close,") != std::string::npos;
  const bool keep_alive = req.version == "HTTP/1.0"
                              ? req.get_header_value("Connection") == "Keep-Alive"
                              : tokens.find(",keep-alive,") != std::string::npos;
  if (close || (req.version == "HTTP/1.0" && !keep_alive)) CloseAfterReply(res);
}

}  // namespace

int Serve(const std::filesystem::path& dir, const ServeOptions& options) {
  if (!options.assets.empty() && !std::filesystem::is_directory(options.assets)) {
    throw NotFound("--assets: no directory " + options.assets.string());
  }
  Options engine_options;
  engine_options.create_if_missing = false;
  std::shared_ptr<Engine> engine = Engine::Open(dir, engine_options);
  Api api(engine, dir / "http" / "tokens.db", options);

  Server server(std::chrono::seconds(options.timeout_seconds));
  server.new_task_queue = [threads = options.threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_body_bytes);
  server.set_keep_alive_timeout(5);
  server.set_tcp_nodelay(true);  // small JSON replies: no Nagle delay against delayed ACKs
  // httplib's default sets SO_REUSEPORT, so a second host on a port in use
  // started and the kernel split connections between the two engines.
  // SO_REUSEADDR alone rebinds a port a stopped host left in TIME_WAIT.
  server.set_socket_options([](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    HonourConnectionClose(req, res);
    // httplib looks files up by the decoded path as a C string: a %00 would
    // cut the name short (/map.js%00.html would serve map.js as HTML).
    if (req.path.find('\0') != std::string::npos) {
      res.status = 404;
      return httplib::Server::HandlerResponse::Handled;
    }
    return RefuseUnframed(req, res) ? httplib::Server::HandlerResponse::Handled
                                    : httplib::Server::HandlerResponse::Unhandled;
  });
  // Statuses httplib sets itself (404 no route, 413, 400 unparsable) get the
  // same JSON body as the API's errors; the API's own bodies are kept. Past
  // a request httplib could not read, where the next one starts is unknown.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) -> httplib::Server::HandlerResponse {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const std::string message = res.status == 404   ? "no such endpoint"
                                : res.status == 413 ? "the request body is over the limit"
                                : res.status == 414 ? "the request line is over 8 KiB"
                                : res.status == 501 ? "the only transfer coding taken is chunked"
                                                    : "the request could not be read";
    if (res.status != 404) CloseAfterReply(res);
    res.set_content(Dump(ErrorJson(StatusCode(res.status), message)), kJson);
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                  std::exception_ptr) {
    // Never a stack trace or a path: the details stay in the server's log.
    res.status = 500;
    res.set_content(Dump(ErrorJson("internal", "internal error")), kJson);
  });
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - RequestStart())
            .count();
    std::fprintf(stderr, "%s %s %d %.1fms\n", req.method.c_str(), req.path.c_str(), res.status, ms);
  });

  api.Register(server);
  MountMapPage(server, options.assets.empty() ? std::filesystem::path(DONGNE_HTTP_ASSETS_DIR)
                                              : options.assets);

  const int port = options.port == 0 ? server.bind_to_any_port(options.host)
                                     : (server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port < 0) throw IOError("cannot listen on " + options.host + ":" + std::to_string(options.port));

  g_stop = false;
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  std::thread watcher([&server] {
    while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    server.stop();  // stops accepting; listen_after_bind returns once in-flight requests end
  });
  std::fprintf(stderr, "dongne: serving %s on http://%s:%d\n", dir.c_str(), options.host.c_str(), port);
  if (options.on_listening) options.on_listening(port);
  server.listen_after_bind();
  g_stop = true;
  watcher.join();
  std::fprintf(stderr, "dongne: stopped\n");
  return 0;
}

}  // namespace dongne::http
