// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// dongne.Engine. Every call converts its arguments with the GIL held, then
// releases the GIL for the engine's work (I/O, search), so Python threads
// run in parallel; the Engine itself is thread-safe.
//
// Ownership: the Python object holds a shared_ptr to the Engine, and each call
// takes its own copy before releasing the GIL, so close() (or leaving a
// `with` block) while other threads are inside a call lets those calls finish
// on an engine that is destroyed when the last one returns.

#include "engine_binding.h"

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <mutex>

#include "convert.h"
#include "dongne/engine.h"
#include "dongne/error.h"
#include "dongne/nearby.h"
#include "dongne/search.h"

namespace dongne::python {
namespace {

namespace py = pybind11;
using py::arg;

// A keyword option's value as T; InvalidArgument naming the option when it
// is not one (pybind11's own cast_error reaches Python as RuntimeError).
template <typename T>
T OptionAs(const py::handle& value, const std::string& name) {
  try {
    // pybind11 casts None (and any object with __bool__) to bool.
    if constexpr (std::is_same_v<T, bool>) {
      if (!py::isinstance<py::bool_>(value)) throw py::cast_error();
    }
    return value.cast<T>();
  } catch (const py::cast_error&) {
    const char* wanted = std::is_same_v<T, bool>             ? "True or False"
                         : std::is_floating_point_v<T>       ? "a number"
                                                             : "an integer in range";
    throw InvalidArgument(name + " must be " + wanted + ", not " +
                          py::str(py::type::of(value).attr("__name__")).cast<std::string>());
  }
}

// The searcher's point: lat and lon both, or neither.
std::optional<LatLon> PointOf(std::optional<double> lat, std::optional<double> lon) {
  if (lat.has_value() != lon.has_value()) throw InvalidArgument("give both lat and lon, or neither");
  if (!lat) return std::nullopt;
  return LatLon{*lat, *lon};
}

class PyEngine {
 public:
  PyEngine(const py::object& path, const py::object& regions, const py::object& neighborhoods,
           const py::kwargs& kwargs) {
    Options options;
    const std::string dir = PathArg(path, "path");
    if (!regions.is_none()) options.regions_file = PathArg(regions, "regions");
    if (!neighborhoods.is_none()) options.neighborhoods_file = PathArg(neighborhoods, "neighborhoods");
    for (const auto& [key, value] : kwargs) {
      const std::string name = py::str(key);
      if (name == "create_if_missing") options.create_if_missing = OptionAs<bool>(value, name);
      else if (name == "snap_distance_m") options.snap_distance_m = OptionAs<double>(value, name);
      else if (name == "busy_timeout_ms") options.busy_timeout_ms = OptionAs<int>(value, name);
      else if (name == "sync") options.sync = OptionAs<bool>(value, name);
      else if (name == "signup_bonus") options.points.signup_bonus = OptionAs<std::int64_t>(value, name);
      else if (name == "acceptance_reward") options.points.acceptance_reward = OptionAs<std::int64_t>(value, name);
      else if (name == "daily_reward_cap") options.points.daily_reward_cap = OptionAs<std::int64_t>(value, name);
      else if (name == "urgent_fee") options.points.urgent_fee = OptionAs<std::int64_t>(value, name);
      else if (name == "bounty_expiry_s") options.points.bounty_expiry = std::chrono::seconds(OptionAs<std::int64_t>(value, name));
      else throw InvalidArgument("unknown option " + name);
    }
    py::gil_scoped_release release;
    engine_ = Engine::Open(dir, options);
  }

  // The engine for one call; InvalidArgument once closed.
  std::shared_ptr<Engine> Get() const {
    std::lock_guard lock(mutex_);
    if (!engine_) throw InvalidArgument("the engine is closed");
    return engine_;
  }

  void Close() {
    std::shared_ptr<Engine> last;
    {
      std::lock_guard lock(mutex_);
      last = std::move(engine_);
    }
    py::gil_scoped_release release;
    last.reset();  // closes the files unless a call on another thread still runs
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<Engine> engine_;
};

// Runs `fn(engine)` with the GIL released.
template <typename Fn>
auto Call(const PyEngine& self, Fn&& fn) {
  std::shared_ptr<Engine> engine = self.Get();
  py::gil_scoped_release release;
  return fn(*engine);
}

// An engine progress callback that calls the Python callable `progress` with
// the given fields of each report, taking the GIL that Call released; an
// empty function (which the engine skips) when `progress` is None. Built and
// destroyed with the GIL held, as it copies a py::object.
template <typename Progress, typename... Field>
std::function<void(const Progress&)> ProgressCallback(const py::object& progress,
                                                      Field Progress::*... fields) {
  if (progress.is_none()) return {};
  return [progress, fields...](const Progress& p) {
    py::gil_scoped_acquire acquire;
    progress(p.*fields...);
  };
}

// The query of nearby() and nearby_geojson(), from their arguments.
NearbyQuery NearbyQueryOf(double lat, double lon, std::optional<double> radius_m,
                          std::optional<int> limit, bool unanswered, bool urgent,
                          const std::string& category, const std::string& tag,
                          const std::optional<std::string>& status, const py::object& newer_than,
                          const std::string& cursor) {
  NearbyQuery query{.center = {lat, lon}, .radius_m = radius_m, .k = limit,
                    .unanswered = unanswered, .urgent = urgent, .category = category, .tag = tag,
                    .cursor = cursor};
  if (status) query.status = ParseQuestionStatus(*status);
  if (!newer_than.is_none()) query.newer_than = ToTimestamp(newer_than);
  return query;
}

double& RankingField(RankingOptions& r, const std::string& name) {
  if (name == "distance_weight") return r.distance_weight;
  if (name == "distance_half_m") return r.distance_half_m;
  if (name == "freshness_weight") return r.freshness_weight;
  if (name == "freshness_half_life_days") return r.freshness_half_life_days;
  if (name == "quality_weight") return r.quality_weight;
  if (name == "bm25_k1") return r.bm25_k1;
  if (name == "bm25_b") return r.bm25_b;
  if (name == "proximity_weight") return r.proximity_weight;
  if (name == "title_weight") return r.title_weight;
  if (name == "common_term_share") return r.common_term_share;
  throw InvalidArgument("unknown search option " + name);
}

const std::map<std::string, ListSort> kSorts = {{"recent", ListSort::kRecent},
                                                {"popular", ListSort::kPopular},
                                                {"urgent", ListSort::kUrgent},
                                                {"unanswered", ListSort::kUnanswered}};

}  // namespace

void BindEngine(py::module_& m) {
  py::class_<PyEngine>(m, "Engine", R"doc(
An engine directory: catalog.db and one SpatiaLite store per region.

    with dongne.Engine("data") as eng:
        me = eng.create_user("귤러버")
        q = eng.ask(me.id, title="애월 흑돼지 맛집?", body="추천해주세요",
                    lat=33.4628, lon=126.3310, category="food", hashtags=["맛집"])

regions / neighborhoods: GeoJSON files (docs/regions.md); default: the built-in map.
Options (keyword): create_if_missing, snap_distance_m, busy_timeout_ms, sync,
signup_bonus, acceptance_reward, daily_reward_cap, urgent_fee, bounty_expiry_s.
Thread-safe; every call releases the GIL.)doc")
      .def(py::init<const py::object&, const py::object&, const py::object&, const py::kwargs&>(),
           arg("path"), arg("regions") = py::none(), arg("neighborhoods") = py::none())
      .def("__enter__", [](PyEngine& self) -> PyEngine& { return self; },
           py::return_value_policy::reference)
      .def("__exit__", [](PyEngine& self, py::args) { self.Close(); return false; })
      .def("close", &PyEngine::Close, "Closes the files. Calls after this raise InvalidArgument.")
      // --- Users
      .def("create_user",
           [](PyEngine& self, const std::string& nickname) {
             return Call(self, [&](Engine& e) { return e.CreateUser(nickname); });
           },
           arg("nickname"),
           "Creates a user (nickname NFC, 1-30 characters, unique) with the sign-up bonus.")
      .def("get_user",
           [](PyEngine& self, Id id) { return Call(self, [&](Engine& e) { return e.GetUser(id); }); },
           arg("id"), "The user with this id; NotFound if none.")
      .def("find_user",
           [](PyEngine& self, const std::string& nickname) {
             return Call(self, [&](Engine& e) { return e.FindUser(nickname); });
           },
           arg("nickname"), "The user with this nickname; NotFound if none.")
      // --- Questions and answers
      .def("ask",
           [](PyEngine& self, Id author, const std::string& title, const std::string& body,
              double lat, double lon, const std::string& category,
              const std::vector<std::string>& hashtags, bool urgent, std::int64_t bounty,
              const py::object& created_at, const std::optional<std::string>& ext_id) {
             NewQuestion q{.author = author, .title = title, .body = body, .location = {lat, lon},
                           .category = category, .hashtags = hashtags, .urgent = urgent,
                           .bounty = bounty, .ext_id = ext_id.value_or("")};
             if (!created_at.is_none()) q.created_at = ToTimestamp(created_at);
             return Call(self, [&](Engine& e) { return e.Ask(q); });
           },
           arg("author"), py::kw_only(), arg("title"), arg("body"), arg("lat"), arg("lon"),
           arg("category") = "other", arg("hashtags") = std::vector<std::string>{},
           arg("urgent").noconvert() = false, arg("bounty") = 0, arg("created_at") = py::none(),
           arg("ext_id") = py::none(),
           R"doc(Asks a question at (lat, lon); it goes to the shard of its region.
The bounty (and the urgent fee) is held from the author's points:
InsufficientPoints if they do not cover it. Returns the Question.)doc")
      .def("answer",
           [](PyEngine& self, Id question, Id author, const std::string& body,
              const py::object& created_at, const std::optional<std::string>& ext_id) {
             NewAnswer a{.question = question, .author = author, .body = body,
                         .ext_id = ext_id.value_or("")};
             if (!created_at.is_none()) a.created_at = ToTimestamp(created_at);
             return Call(self, [&](Engine& e) { return e.PostAnswer(a); });
           },
           arg("question"), py::kw_only(), arg("author"), arg("body"),
           arg("created_at") = py::none(), arg("ext_id") = py::none(),
           "Answers a question. Conflict when it is closed.")
      .def("accept",
           [](PyEngine& self, Id answer, Id by) {
             return Call(self, [&](Engine& e) { return e.Accept(answer, by); });
           },
           arg("answer"), py::kw_only(), arg("by"),
           "The asker accepts an answer, paying its author the bounty and the reward.")
      .def("like",
           [](PyEngine& self, Id user, Id target) {
             return Call(self, [&](Engine& e) { return e.Like(user, target); });
           },
           arg("user"), arg("target"), "Likes a question or answer; returns its like count.")
      .def("unlike",
           [](PyEngine& self, Id user, Id target) {
             return Call(self, [&](Engine& e) { return e.Unlike(user, target); });
           },
           arg("user"), arg("target"), "Withdraws a like; returns the like count.")
      .def("close_question",
           [](PyEngine& self, Id question, Id by) {
             return Call(self, [&](Engine& e) { return e.Close(question, by); });
           },
           arg("question"), py::kw_only(), arg("by"),
           "The asker closes their question; an unpaid bounty is refunded.")
      .def("get_question",
           [](PyEngine& self, Id id) { return Call(self, [&](Engine& e) { return e.GetQuestion(id); }); },
           arg("id"))
      .def("get_answer",
           [](PyEngine& self, Id id) { return Call(self, [&](Engine& e) { return e.GetAnswer(id); }); },
           arg("id"))
      .def("answers",
           [](PyEngine& self, Id question) {
             return Call(self, [&](Engine& e) { return e.ListAnswers(question); });
           },
           arg("question"), "The question's answers, oldest first.")
      .def("list",
           [](PyEngine& self, const std::string& region, const std::string& category,
              const std::string& tag, const std::string& sort, int limit, const std::string& cursor) {
             const auto it = kSorts.find(sort);
             if (it == kSorts.end()) {
               throw InvalidArgument("sort must be recent, popular, urgent or unanswered");
             }
             ListOptions options{.region = region, .category = category, .tag = tag,
                                 .sort = it->second, .limit = limit, .cursor = cursor};
             return Call(self, [&](Engine& e) { return e.List(options); });
           },
           py::kw_only(), arg("region") = "", arg("category") = "", arg("tag") = "",
           arg("sort") = "recent", arg("limit") = 20, arg("cursor") = "",
           "A page of questions; pass page.next_cursor as cursor for the next.")
      .def("regions", [](PyEngine& self) { return Call(self, [](Engine& e) { return e.Regions(); }); },
           "The region keys of the map, then 'default'.")
      // --- Search
      .def("search",
           [](PyEngine& self, const std::string& text, std::optional<double> lat,
              std::optional<double> lon, double radius_m, int limit, const std::string& region,
              const std::string& category, const std::string& tag,
              const std::optional<std::string>& status, std::optional<bool> urgent,
              bool as_you_type, bool explain, bool with_suggestion,
              const py::kwargs& ranking) -> py::object {
             SearchQuery query{.text = text, .radius_m = radius_m, .region = region,
                               .category = category, .tag = tag, .urgent = urgent, .limit = limit,
                               .as_you_type = as_you_type, .explain = explain};
             query.near = PointOf(lat, lon);
             if (status) query.status = ParseQuestionStatus(*status);
             for (const auto& [key, value] : ranking) {
               const std::string name = py::str(key);
               double& field = RankingField(query.ranking, name);
               field = OptionAs<double>(value, name);
             }
             const SearchResult result = Call(self, [&](Engine& e) { return e.Search(query); });
             if (!with_suggestion) return py::cast(result.hits);
             return py::make_tuple(result.hits, NoneIfEmpty(result.suggestion));
           },
           arg("text"), py::kw_only(), arg("lat") = py::none(), arg("lon") = py::none(),
           arg("radius_m") = 0, arg("limit") = 10, arg("region") = "", arg("category") = "",
           arg("tag") = "", arg("status") = py::none(), arg("urgent").noconvert() = py::none(),
           arg("as_you_type").noconvert() = false, arg("explain").noconvert() = false,
           arg("with_suggestion").noconvert() = false,
           R"doc(Korean full-text search, best first: [SearchHit], or (hits, suggestion)
with with_suggestion=True: the reading the hits answer when it is not the
text as typed (a typo corrected, quotes or #tags that matched nothing read
as plain words), else None.

text is read leniently: "a phrase", -excluded, #tag, 초성 (ㅎㄹㅅ), and a last
word being typed (제주ㄷ); never a syntax error. With lat/lon the score blends
distance (and distance_m is set); radius_m > 0 keeps only hits within it.
Filters: region, category, tag, status, urgent. explain=True fills each hit's
score breakdown. Ranking weights as keywords: distance_weight,
distance_half_m, freshness_weight, freshness_half_life_days, quality_weight,
bm25_k1, bm25_b, proximity_weight, title_weight, common_term_share (docs/search.md gives
the defaults).)doc")
      .def("suggestion",
           [](PyEngine& self, const std::string& text) {
             SearchQuery query{.text = text};
             return Call(self, [&](Engine& e) { return e.Search(query).suggestion; });
           },
           arg("text"),
           "The typo-corrected query (한라삼 -> 한라산), or '' when none was needed, for the\n"
           "text searched alone, without filters; search(..., with_suggestion=True) gives\n"
           "the one for a search with filters.")
      .def("similar",
           [](PyEngine& self, const std::string& title, const std::string& body,
              std::optional<double> lat, std::optional<double> lon, int limit) {
             const std::optional<LatLon> near = PointOf(lat, lon);
             return Call(self, [&](Engine& e) { return e.Similar(title, body, near, limit).hits; });
           },
           arg("title"), arg("body") = "", py::kw_only(), arg("lat") = py::none(),
           arg("lon") = py::none(), arg("limit") = 5,
           "Questions like a draft, for 'has this been asked?' suggestions.")
      .def("trending",
           [](PyEngine& self, const std::string& region, int hours, int limit) {
             TrendingOptions options{.region = region, .hours = hours, .limit = limit};
             return Call(self, [&](Engine& e) { return e.Trending(options); });
           },
           py::kw_only(), arg("region") = "", arg("hours") = 24, arg("limit") = 20,
           "The most used hashtags in the last `hours`: [TagCount].")
      .def("rebuild_index",
           [](PyEngine& self, const py::object& progress) {
             const auto report =
                 ProgressCallback(progress, &RebuildProgress::indexed, &RebuildProgress::total);
             Call(self, [&](Engine& e) { e.RebuildIndex(report); });
           },
           arg("progress") = py::none(),
           R"doc(Rebuilds every shard's search index from its store. progress, if given,
is called as progress(indexed, total) about twice a second and at the end.)doc")
      // --- Nearby
      .def("nearby",
           [](PyEngine& self, double lat, double lon, std::optional<double> radius_m,
              std::optional<int> limit, bool unanswered, bool urgent, const std::string& category,
              const std::string& tag, const std::optional<std::string>& status,
              const py::object& newer_than, const std::string& cursor, bool page) -> py::object {
             const NearbyQuery query = NearbyQueryOf(lat, lon, radius_m, limit, unanswered, urgent,
                                                     category, tag, status, newer_than, cursor);
             const NearbyPage result = Call(self, [&](Engine& e) { return e.Nearby(query); });
             if (!page) return py::cast(result.hits);
             return py::make_tuple(result.hits, NoneIfEmpty(result.next_cursor));
           },
           py::kw_only(), arg("lat"), arg("lon"), arg("radius_m") = py::none(),
           arg("limit") = py::none(), arg("unanswered").noconvert() = false,
           arg("urgent").noconvert() = false,
           arg("category") = "", arg("tag") = "", arg("status") = py::none(),
           arg("newer_than") = py::none(), arg("cursor") = "", arg("page").noconvert() = false,
           R"doc(Questions near (lat, lon), nearest first, with geodesic distance_m.
radius_m alone: everything inside (page through with page=True, which returns
(hits, next_cursor)); limit alone: the k nearest at any distance; both: at
most limit within radius_m. Filters: unanswered, urgent, category, tag,
status, newer_than. Returns [NearbyHit].)doc")
      .def("nearby_geojson",
           [](PyEngine& self, double lat, double lon, std::optional<double> radius_m,
              std::optional<int> limit, bool unanswered, bool urgent, const std::string& category,
              const std::string& tag, const std::optional<std::string>& status,
              const py::object& newer_than, const std::string& cursor) {
             const NearbyQuery query = NearbyQueryOf(lat, lon, radius_m, limit, unanswered, urgent,
                                                     category, tag, status, newer_than, cursor);
             return Call(self, [&](Engine& e) { return NearbyGeoJson(e.Nearby(query)); });
           },
           py::kw_only(), arg("lat"), arg("lon"), arg("radius_m") = py::none(),
           arg("limit") = py::none(), arg("unanswered").noconvert() = false,
           arg("urgent").noconvert() = false,
           arg("category") = "", arg("tag") = "", arg("status") = py::none(),
           arg("newer_than") = py::none(), arg("cursor") = "",
           "nearby's page, with the same arguments, as a GeoJSON FeatureCollection (a str);\n"
           "its next_cursor (null on the last page) goes back as cursor.")
      .def("needs_answer",
           [](PyEngine& self, double lat, double lon, double radius_m, int limit,
              const std::string& category, const std::string& cursor, bool page) -> py::object {
             FeedQuery query{.center = {lat, lon}, .radius_m = radius_m, .limit = limit,
                             .category = category, .cursor = cursor};
             const FeedPage result = Call(self, [&](Engine& e) { return e.NeedsAnswer(query); });
             if (!page) return py::cast(result.hits);
             return py::make_tuple(result.hits, NoneIfEmpty(result.next_cursor));
           },
           py::kw_only(), arg("lat"), arg("lon"), arg("radius_m") = 5000, arg("limit") = 20,
           arg("category") = "", arg("cursor") = "", arg("page").noconvert() = false,
           R"doc(Open questions without answers near (lat, lon): urgent first, then
longest waiting, then nearest: [FeedHit], or (hits, next_cursor) with page=True.)doc")
      .def("verify_location",
           [](PyEngine& self, Id user, double lat, double lon) {
             return Call(self, [&](Engine& e) { return e.VerifyLocation(user, {lat, lon}); });
           },
           arg("user"), py::kw_only(), arg("lat"), arg("lon"),
           "Records (lat, lon) as the user's verified home (동네 인증).")
      .def("home",
           [](PyEngine& self, Id user) { return Call(self, [&](Engine& e) { return e.GetHome(user); }); },
           arg("user"), "The user's verified home, or None.")
      .def("who_can_answer",
           [](PyEngine& self, Id question, double radius_m, int limit) {
             return Call(self, [&](Engine& e) { return e.WhoCanAnswer(question, radius_m, limit); });
           },
           arg("question"), py::kw_only(), arg("radius_m") = 5000, arg("limit") = 20,
           "Verified users living near the question, best first: whom to notify.")
      // --- Points
      .def("balance",
           [](PyEngine& self, Id user) { return Call(self, [&](Engine& e) { return e.Balance(user); }); },
           arg("user"))
      .def("statement",
           [](PyEngine& self, Id user, int limit, const std::string& cursor) {
             return Call(self, [&](Engine& e) { return e.Statement(user, limit, cursor); });
           },
           arg("user"), arg("limit") = 50, arg("cursor") = "",
           "The user's balance and ledger entries, newest first.")
      .def("purchase",
           [](PyEngine& self, Id user, std::int64_t points, const std::string& payment_id) {
             return Call(self, [&](Engine& e) { return e.Purchase(user, points, payment_id); });
           },
           arg("user"), py::kw_only(), arg("points"), arg("payment_id"),
           "Credits bought points; idempotent on payment_id. Returns the balance.")
      .def("adjust",
           [](PyEngine& self, Id user, std::int64_t amount, const std::string& reason,
              const std::string& key) {
             return Call(self, [&](Engine& e) { return e.Adjust(user, amount, reason, key); });
           },
           arg("user"), py::kw_only(), arg("amount"), arg("reason"), arg("key"),
           "An administrative correction; idempotent on key. Returns the balance.")
      .def("expire",
           [](PyEngine& self, const py::object& now) {
             const Timestamp at = now.is_none() ? std::chrono::floor<std::chrono::seconds>(
                                                      std::chrono::system_clock::now())
                                                : ToTimestamp(now);
             return Call(self, [&](Engine& e) { return e.Expire(at); });
           },
           arg("now") = py::none(),
           "Closes questions whose bounty is overdue, refunding it; returns how many.")
      .def("verify",
           [](PyEngine& self, const py::object& progress) {
             const auto report =
                 ProgressCallback(progress, &VerifyProgress::checked, &VerifyProgress::total);
             return Call(self, [&](Engine& e) { return e.Verify(report); });
           },
           arg("progress") = py::none(),
           R"doc(Audits the ledger against the shards; returns a VerifyReport (truthy when
sound). progress, if given, is called as progress(checked, total) after
each shard and after catalog.db.)doc")
      // --- Import
      .def("import_jsonl",
           [](PyEngine& self, const py::object& file, const py::object& progress) {
             const std::string path = PathArg(file, "path");
             const auto report = ProgressCallback(progress, &ImportProgress::lines,
                                                  &ImportProgress::bytes, &ImportProgress::total_bytes);
             const ImportSummary s = Call(self, [&](Engine& e) { return e.Import(path, report); });
             py::list errors;
             for (const ImportError& error : s.first_errors) {
               errors.append(py::dict(arg("line") = error.line, arg("message") = error.message));
             }
             return py::dict(arg("lines") = s.lines, arg("questions_added") = s.questions_added,
                             arg("answers_added") = s.answers_added, arg("unchanged") = s.unchanged,
                             arg("errors") = s.errors, arg("first_errors") = errors,
                             arg("seconds") = s.seconds);
           },
           arg("path"), arg("progress") = py::none(),
           R"doc(Imports a JSONL file (docs/cli.md); idempotent on ext_id. progress, if
given, is called as progress(lines, bytes, total_bytes). Returns the summary dict.)doc");
}

}  // namespace dongne::python
