// Copyright (c) libdongne authors. Licensed under the MIT license.

#include "api.h"

#include <fmt/format.h>
#include <strings.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "connection.h"
#include "dongne/error.h"
#include "dongne/nearby.h"
#include "dongne/search.h"
#include "json_format.h"

namespace dongne::http {
namespace {

using httplib::Request;
using httplib::Response;

// An error the API itself raises (no token, rate limit), with its status.
struct HttpError {
  int status;
  std::string code;
  std::string message;
  int retry_after = 0;
};

int StatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kRefused: return 403;
    case ErrorCode::kInsufficientPoints: return 422;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kCorruption:
    case ErrorCode::kIOError: return 500;
  }
  return 500;
}

void Send(Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(Dump(body), "application/json; charset=utf-8");
}

// Runs `fn`, turning every error into its status and JSON body.
template <typename Fn>
void Guarded(Response& res, Fn&& fn) {
  try {
    fn();
  } catch (const HttpError& e) {
    if (e.retry_after > 0) res.set_header("Retry-After", std::to_string(e.retry_after));
    if (e.status == 401) res.set_header("WWW-Authenticate", "Bearer");
    Send(res, e.status, ErrorJson(e.code, e.message));
  } catch (const Error& e) {
    const int status = StatusOf(e.code());
    // I/O and corruption details may hold paths: they go to the log only.
    if (status >= 500) {
      std::fprintf(stderr, "error: %s\n", e.what());
      Send(res, status, ErrorJson(ErrorCodeName(e.code()), "the engine could not complete the request"));
    } else {
      Send(res, status, ErrorJson(e));
    }
  }
}

// A read: fn(req, res).
template <typename Fn>
httplib::Server::Handler Handle(Fn fn) {
  return [fn](const Request& req, Response& res) { Guarded(res, [&] { fn(req, res); }); };
}

// A write (POST, PUT, DELETE): fn(req, body, res). The body is read only
// when the request frames one (Content-Length or chunked): a request with
// neither has no body (RFC 9112, 6.3), but cpp-httplib 0.11 reads the body
// of a plain Handler's request until the client closes the connection.
// httplib refuses a Content-Length over `max_body` but not a chunked body
// that grows past it: that one is read to its end and dropped, as httplib
// does with the other, so the client, still sending, gets its 413.
template <typename Fn>
httplib::Server::HandlerWithContentReader HandleWrite(std::size_t max_body, Fn fn) {
  return [max_body, fn](const Request& req, Response& res, const httplib::ContentReader& read) {
    std::string body;
    bool too_large = false;
    const bool framed = req.has_header("Content-Length") ||
                        strcasecmp(req.get_header_value("Transfer-Encoding").c_str(), "chunked") == 0;
    const auto append = [&](const char* data, std::size_t size) {
      too_large = too_large || body.size() + size > max_body;
      if (!too_large) body.append(data, size);
      return true;
    };
    if (framed && !read(append)) {  // httplib set the status (413, 400)
      CloseAfterReply(res);  // the body's end is unknown
      return;
    }
    if (too_large) {
      Send(res, 413, ErrorJson("payload_too_large", "the request body is over the limit"));
      return;
    }
    Guarded(res, [&] { fn(req, body, res); });
  };
}

Json Body(const std::string& text) {
  Json body = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    throw HttpError{400, "invalid_argument", "the request body must be a JSON object"};
  }
  return body;
}

// The integer `text` (digits, or a number with no fraction such as 1e2 or
// 20.0) sent for `what`, a field or a parameter: else 400 naming both.
template <typename T>
T Integer(const std::string& text, const std::string& what) {
  const char* const end = text.data() + text.size();
  T value{};
  if (const auto [at, ec] = std::from_chars(text.data(), end, value); ec == std::errc() && at == end) {
    return value;
  }
  double number = 0;
  const auto [at, ec] = std::from_chars(text.data(), end, number);
  const bool out_of_range = ec == std::errc::result_out_of_range;
  if (at != end || (ec != std::errc() && !out_of_range) || std::isnan(number)) {
    throw HttpError{400, "invalid_argument", fmt::format("{} must be a number, not {}", what, text)};
  }
  // The bounds of T are powers of two, which a double holds exactly.
  const double bound = -static_cast<double>(std::numeric_limits<T>::min());
  if (out_of_range || number < -bound || number >= bound) {
    throw HttpError{400, "invalid_argument", fmt::format("{} is out of range: {}", what, text)};
  }
  if (number != std::trunc(number)) {
    throw HttpError{400, "invalid_argument", fmt::format("{} must be a whole number, not {}", what, text)};
  }
  return static_cast<T>(number);
}

// A field of the body: absent → fallback; wrong type → 400 naming it. A
// number must be one in the JSON (nlohmann would take true for 1).
template <typename T>
T Field(const Json& body, const char* name, T fallback) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  const HttpError wrong_type{400, "invalid_argument", fmt::format("field \"{}\" has the wrong type", name)};
  if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
    if (!it->is_number()) throw wrong_type;
    if constexpr (std::is_integral_v<T>) return Integer<T>(it->dump(), fmt::format("field \"{}\"", name));
  }
  try {
    return it->get<T>();
  } catch (const Json::exception&) {
    throw wrong_type;
  }
}

template <typename T>
T Required(const Json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) {
    throw HttpError{400, "invalid_argument", fmt::format("field \"{}\" is required", name)};
  }
  return Field<T>(body, name, T{});
}

Id PathId(const Request& req, const char* what) {
  Id id = 0;
  const std::string& text = req.matches[1].str();
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw HttpError{404, "not_found", fmt::format("{} {} not found", what, text)};
  }
  return id;
}

std::string Param(const Request& req, const char* name, std::string fallback = "") {
  return req.has_param(name) ? req.get_param_value(name) : fallback;
}

double NumberParam(const Request& req, const char* name, double fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    throw HttpError{400, "invalid_argument",
                    fmt::format("parameter \"{}\" must be a number, not {}", name, text)};
  }
  return value;
}

// true or 1, false or 0; absent: false. Anything else is a 400, not a
// silent false.
bool BoolParam(const Request& req, const char* name) {
  const std::string text = Param(req, name, "false");
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  throw HttpError{400, "invalid_argument",
                  fmt::format("parameter \"{}\" must be true or false, not {}", name, text)};
}

int IntParam(const Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  return Integer<int>(req.get_param_value(name), fmt::format("parameter \"{}\"", name));
}

const std::map<std::string, ListSort> kSorts = {{"recent", ListSort::kRecent},
                                                {"popular", ListSort::kPopular},
                                                {"urgent", ListSort::kUrgent},
                                                {"unanswered", ListSort::kUnanswered}};

}  // namespace

Api::Api(std::shared_ptr<Engine> engine, const std::filesystem::path& tokens,
         const ServeOptions& options)
    : engine_(std::move(engine)),
      tokens_(tokens),
      writes_(options.writes_per_minute, options.writes_burst),
      max_body_(options.max_body_bytes) {}

void Api::Register(httplib::Server& server) {
  // The user whose token the request carries: 401 without a valid one. The
  // scheme is case-insensitive (RFC 9110, 11.1).
  const auto caller = [this](const Request& req) {
    const std::string header = req.get_header_value("Authorization");
    if (header.size() < 7 || strncasecmp(header.c_str(), "Bearer ", 7) != 0) {
      throw HttpError{401, "unauthorized", "a bearer token is required"};
    }
    const std::optional<Id> user = tokens_.Check(header.substr(7));
    if (!user) throw HttpError{401, "unauthorized", "the token is not valid"};
    return *user;
  };
  // The user a write acts as: the caller, 429 over the user's write rate.
  const auto writer = [this, caller](const Request& req) {
    const Id user = caller(req);
    if (const int wait = writes_.Acquire(user)) {
      throw HttpError{429, "rate_limited", "too many writes; try again later", wait};
    }
    return user;
  };

  server.Get("/healthz", Handle([](const Request&, Response& res) { Send(res, 200, {{"ok", true}}); }));

  server.Post("/api/v1/users",
             HandleWrite(max_body_, [this](const Request&, const std::string& text, Response& res) {
    const Json body = Body(text);
    const User user = engine_->CreateUser(Required<std::string>(body, "nickname"));
    Json out = user;
    out["token"] = tokens_.Issue(user.id);
    Send(res, 201, out);
  }));
  server.Get(R"(/api/v1/users/(\d+))", Handle([this](const Request& req, Response& res) {
    Send(res, 200, engine_->GetUser(PathId(req, "user")));
  }));
  server.Get(R"(/api/v1/users/(\d+)/points)", Handle([this, caller](const Request& req, Response& res) {
    const Id user = PathId(req, "user");
    engine_->GetUser(user);  // 404 before 401/403 for an unknown user
    if (caller(req) != user) throw HttpError{403, "refused", "a statement is visible to its user only"};
    Send(res, 200, engine_->Statement(user, IntParam(req, "limit", 50), Param(req, "cursor")));
  }));

  server.Post("/api/v1/questions",
             HandleWrite(max_body_, [this, writer](const Request& req, const std::string& text,
                                                   Response& res) {
    const Id author = writer(req);
    const Json body = Body(text);
    NewQuestion q{.author = author,
                  .title = Required<std::string>(body, "title"),
                  .body = Required<std::string>(body, "body"),
                  .location = {Required<double>(body, "lat"), Required<double>(body, "lon")},
                  .category = Field<std::string>(body, "category", "other"),
                  .hashtags = Field<std::vector<std::string>>(body, "hashtags", {}),
                  .urgent = Field<bool>(body, "urgent", false),
                  .bounty = Field<std::int64_t>(body, "bounty", 0)};
    Send(res, 201, engine_->Ask(q));
  }));
  server.Get("/api/v1/questions", Handle([this](const Request& req, Response& res) {
    const auto sort = kSorts.find(Param(req, "sort", "recent"));
    if (sort == kSorts.end()) {
      throw HttpError{400, "invalid_argument", "sort must be recent, popular, urgent or unanswered"};
    }
    Send(res, 200,
         engine_->List({.region = Param(req, "region"),
                        .category = Param(req, "category"),
                        .tag = Param(req, "tag"),
                        .sort = sort->second,
                        .limit = IntParam(req, "limit", 20),
                        .cursor = Param(req, "cursor")}));
  }));
  server.Get(R"(/api/v1/questions/(\d+))", Handle([this](const Request& req, Response& res) {
    const Id id = PathId(req, "question");
    Json out = engine_->GetQuestion(id);
    out["answers"] = engine_->ListAnswers(id);
    Send(res, 200, out);
  }));
  server.Post(R"(/api/v1/questions/(\d+)/answers)",
             HandleWrite(max_body_, [this, writer](const Request& req, const std::string& text,
                                                   Response& res) {
    const Id question = PathId(req, "question");
    const Id author = writer(req);
    const Json body = Body(text);
    Send(res, 201,
         engine_->PostAnswer({.question = question, .author = author,
                              .body = Required<std::string>(body, "body")}));
  }));
  server.Put(R"(/api/v1/answers/(\d+)/accept)",
             HandleWrite(max_body_, [this, writer](const Request& req, const std::string&, Response& res) {
    const Id answer = PathId(req, "answer");
    Send(res, 200, engine_->Accept(answer, writer(req)));
  }));
  // A like (`set` is Like or Unlike) on a question or an answer. Engine::Like
  // takes either kind of id: the route's kind is checked here.
  const auto like = [this, writer](std::string_view kind, int (Engine::*set)(Id, Id)) {
    return HandleWrite(max_body_, [=, this](const Request& req, const std::string&, Response& res) {
      const Id target = PathId(req, kind.data());
      kind == "answer" ? (void)engine_->GetAnswer(target) : (void)engine_->GetQuestion(target);
      Send(res, 200, {{"id", target}, {"likes", (*engine_.*set)(writer(req), target)}});
    });
  };
  server.Post(R"(/api/v1/questions/(\d+)/like)", like("question", &Engine::Like));
  server.Delete(R"(/api/v1/questions/(\d+)/like)", like("question", &Engine::Unlike));
  server.Post(R"(/api/v1/answers/(\d+)/like)", like("answer", &Engine::Like));
  server.Delete(R"(/api/v1/answers/(\d+)/like)", like("answer", &Engine::Unlike));
  server.Get("/api/v1/locations/nearby", Handle([this](const Request& req, Response& res) {
    NearbyQuery query;
    query.center = {NumberParam(req, "lat", NAN), NumberParam(req, "lon", NAN)};
    if (req.has_param("radius")) query.radius_m = NumberParam(req, "radius", 0);
    if (req.has_param("limit")) query.k = IntParam(req, "limit", 20);
    if (!query.radius_m && !query.k) query.radius_m = 2000;  // a neighbourhood, by default
    query.unanswered = BoolParam(req, "unanswered");
    query.urgent = BoolParam(req, "urgent");
    query.category = Param(req, "category");
    query.tag = Param(req, "tag");
    query.cursor = Param(req, "cursor");
    const NearbyPage page = engine_->Nearby(query);
    const std::string format = Param(req, "format", "json");
    if (format == "geojson") {
      res.status = 200;
      res.set_content(NearbyGeoJson(page), "application/geo+json; charset=utf-8");
    } else if (format == "json") {
      Send(res, 200, page);
    } else {
      throw HttpError{400, "invalid_argument", "format must be json or geojson"};
    }
  }));
  server.Get("/api/v1/search", Handle([this](const Request& req, Response& res) {
    SearchQuery query;
    query.text = Param(req, "q");
    if (req.has_param("lat") || req.has_param("lon")) {
      query.near = LatLon{NumberParam(req, "lat", NAN), NumberParam(req, "lon", NAN)};
    }
    query.radius_m = NumberParam(req, "radius", 0);
    // The engine reads a radius of 0 as none: given, it must be a radius.
    if (req.has_param("radius") && !(query.radius_m > 0)) {
      throw HttpError{400, "invalid_argument", "parameter \"radius\" must be more than 0"};
    }
    query.limit = IntParam(req, "limit", 10);
    query.region = Param(req, "region");
    query.category = Param(req, "category");
    query.tag = Param(req, "tag");
    // Empty, like region= or tag=: no filter.
    if (const std::string status = Param(req, "status"); !status.empty()) {
      query.status = ParseQuestionStatus(status);
    }
    if (req.has_param("urgent")) query.urgent = BoolParam(req, "urgent");
    query.as_you_type = BoolParam(req, "as_you_type");
    query.explain = BoolParam(req, "explain");
    const SearchResult result = engine_->Search(query);
    Json hits = Json::array();
    for (const SearchHit& hit : result.hits) {
      Json j = hit.question;
      j["score"] = hit.score;
      j["distance_m"] = hit.distance_m ? Json(*hit.distance_m) : Json(nullptr);
      j["snippet"] = hit.snippet;
      if (hit.explain) j["explain"] = *hit.explain;
      hits.push_back(std::move(j));
    }
    Send(res, 200, {{"query", query.text}, {"hits", hits},
                    {"suggestion", result.suggestion.empty() ? Json(nullptr) : Json(result.suggestion)}});
  }));
  server.Get("/api/v1/trending", Handle([this](const Request& req, Response& res) {
    const std::vector<TagCount> tags = engine_->Trending(
        {.region = Param(req, "region"), .hours = IntParam(req, "hours", 24),
         .limit = IntParam(req, "limit", 20)});
    Json out = Json::array();
    for (const TagCount& t : tags) out.push_back({{"tag", t.tag}, {"count", t.count}});
    Send(res, 200, {{"tags", out}});
  }));
  // Any other write: 404, without waiting for a body no route will read.
  const auto no_route = HandleWrite(max_body_, [](const Request&, const std::string&, Response&) {
    throw HttpError{404, "not_found", "no such endpoint"};
  });
  server.Post(".*", no_route);
  server.Put(".*", no_route);
  server.Delete(".*", no_route);
  server.Patch(".*", no_route);  // else httplib reads an unframed body until the client closes
}

}  // namespace dongne::http
