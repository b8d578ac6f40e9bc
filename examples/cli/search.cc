// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// dongne search DIR QUERY [--lat Y --lon X [--radius METERS]] [--tag T] [--limit K] …
// dongne search DIR --queries FILE [--limit K]   one JSON line per query line
// dongne trending DIR [--region R] [--hours H] [--limit K]
// dongne reindex DIR

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <limits>
#include <vector>

#include "cli.h"
#include "dongne/error.h"
#include "json_format.h"

namespace dongne::cli {
namespace {

Json HitJson(const SearchHit& hit) {
  Json j{{"id", hit.question.id},
         {"ext_id", hit.question.ext_id.empty() ? Json() : Json(hit.question.ext_id)},
         {"title", hit.question.title},
         {"score", hit.score},
         {"distance_m", hit.distance_m ? Json(*hit.distance_m) : Json()},
         {"snippet", hit.snippet}};
  if (hit.explain) j["explain"] = *hit.explain;
  return j;
}

Json ResultJson(const std::string& text, const SearchResult& result) {
  Json j{{"query", text}, {"hits", Json::array()}};
  for (const SearchHit& hit : result.hits) j["hits"].push_back(HitJson(hit));
  if (!result.suggestion.empty()) j["suggestion"] = result.suggestion;
  return j;
}

// A --queries line is read no further than this, so a file without line
// breaks is not read into memory whole. Well above the engine's 100,000-byte
// query, which JSON escapes can make several times longer.
constexpr std::size_t kMaxQueryLineBytes = 1 << 20;

// Reads the next line of `in` into `line`: at most kMaxQueryLineBytes of it,
// skipping the rest, and `whole` says whether it fit. False at the end of the
// input or after a read error (`in.bad()`).
bool ReadQueryLine(std::istream& in, std::vector<char>& buffer, std::string& line, bool& whole) {
  buffer.resize(kMaxQueryLineBytes + 1);
  in.getline(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (in.bad()) return false;
  const auto read = static_cast<std::size_t>(in.gcount());  // the line break included
  whole = !(in.fail() && read == kMaxQueryLineBytes);
  if (!whole) {  // stopped at the limit, inside the line
    in.clear();
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    line.clear();
    return !in.bad();
  }
  if (in.fail()) return false;  // nothing left
  line.assign(buffer.data(), in.eof() ? read : read - 1);
  return true;
}

// A radius the user gave: 0 would mean "no radius" to the engine, and
// search everywhere when the user asked for one point.
double RequirePositiveRadius(double radius_m) {
  if (!(radius_m > 0)) {
    throw InvalidArgument(
        fmt::format("radius {} must be more than 0 metres; leave it out to search everywhere",
                    radius_m));
  }
  return radius_m;
}

// One line of a --queries file: plain text, or a JSON object with "query"
// and optionally "lat", "lon", "radius", "tag", "limit".
SearchQuery QueryOfLine(const std::string& line, const SearchQuery& defaults) {
  SearchQuery q = defaults;
  if (line.empty() || line[0] != '{') {
    q.text = line;
    return q;
  }
  const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("query") || !j["query"].is_string()) {
    throw InvalidArgument("a JSON query line needs a \"query\" string");
  }
  q.text = j["query"].get<std::string>();
  if (j.contains("lat") || j.contains("lon")) {
    if (!j.value("lat", nlohmann::json()).is_number() ||
        !j.value("lon", nlohmann::json()).is_number()) {
      throw InvalidArgument("\"lat\" and \"lon\" must both be numbers");
    }
    q.near = LatLon{j["lat"].get<double>(), j["lon"].get<double>()};
  }
  // A field of the wrong type is an error, not left out unsaid.
  const auto field = [&j](const char* name, bool (nlohmann::json::*is)() const noexcept,
                          const char* what) -> const nlohmann::json* {
    if (!j.contains(name)) return nullptr;
    if (!(j[name].*is)()) throw InvalidArgument(fmt::format("\"{}\" must be {}", name, what));
    return &j[name];
  };
  if (const auto* radius = field("radius", &nlohmann::json::is_number, "a number of metres")) {
    q.radius_m = RequirePositiveRadius(radius->get<double>());
  }
  if (const auto* tag = field("tag", &nlohmann::json::is_string, "a string")) {
    q.tag = tag->get<std::string>();
  }
  if (const auto* limit = field("limit", &nlohmann::json::is_number_integer, "an integer")) {
    const std::int64_t value = limit->get<std::int64_t>();
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
      throw InvalidArgument(fmt::format("limit {} is out of range", value));
    }
    q.limit = static_cast<int>(value);
  }
  return q;
}

std::string ResultText(const SearchResult& result) {
  std::string text;
  for (const SearchHit& hit : result.hits) {
    text += fmt::format("{:8.3f}  {}  {}{}\n          {}\n", hit.score, hit.question.id,
                        hit.question.title,
                        hit.distance_m ? fmt::format("  ({:.0f} m)", *hit.distance_m) : "",
                        hit.snippet);
  }
  if (!result.suggestion.empty()) text += "did you mean: " + result.suggestion + "\n";
  return text.empty() ? "no matches" : text;
}

void AddSearch(CLI::App& app, Context& context) {
  static struct {
    std::string dir, text, queries, status;
    std::optional<double> lat, lon;
    SearchQuery query;
    bool urgent = false;
  } args;
  auto* cmd = app.add_subcommand("search", "Full-text search, ranked with distance and quality");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  auto* text = cmd->add_option("QUERY", args.text, "Query text: words, \"phrases\", -excluded, #tag");
  auto* queries = cmd->add_option("--queries", args.queries,
                                  "File of queries, one a line (text or JSON); a JSON line each");
  text->excludes(queries);
  cmd->add_option("--lat", args.lat, "Searcher's latitude");
  cmd->add_option("--lon", args.lon, "Searcher's longitude");
  auto* radius = cmd->add_option("--radius", args.query.radius_m, "Only within this many meters");
  cmd->add_option("--tag", args.query.tag, "Hashtag");
  cmd->add_option("--region", args.query.region, "Region (shard key)");
  cmd->add_option("--category", args.query.category, "Category");
  cmd->add_option("--status", args.status, "open|answered|accepted|closed")
      ->check(CLI::IsMember({"open", "answered", "accepted", "closed"}));
  cmd->add_flag("--urgent", args.urgent, "Only urgent questions");
  cmd->add_option("--limit", args.query.limit, "Hits (1-1000)");
  cmd->add_flag("--as-you-type", args.query.as_you_type, "Complete the last word");
  cmd->add_flag("--explain", args.query.explain, "Break every score down");
  cmd->callback([&context, text, queries, radius] {
    if (text->count() + queries->count() == 0) throw CLI::RequiredError("QUERY or --queries");
    if (radius->count()) RequirePositiveRadius(args.query.radius_m);
    if (args.lat.has_value() != args.lon.has_value()) {
      throw CLI::ValidationError("--lat and --lon", "go together");
    }
    if (radius->count() && !args.lat) {
      throw CLI::ValidationError("--radius", "needs the point: --lat and --lon");
    }
    if (args.lat) args.query.near = LatLon{*args.lat, *args.lon};
    if (!args.status.empty()) args.query.status = ParseQuestionStatus(args.status);
    if (args.urgent) args.query.urgent = true;
    auto engine = context.Open(args.dir);
    if (text->count()) {
      args.query.text = args.text;
      const SearchResult result = engine->Search(args.query);
      context.Print(ResultJson(args.text, result), ResultText(result));
      return;
    }
    RequireReadableFile(args.queries);
    std::ifstream in(args.queries, std::ios::binary);
    // Every line gets an output line, errors included, so outputs pair
    // with inputs by line number.
    std::vector<char> buffer;
    std::string line;
    bool whole = true;
    for (bool first = true; ReadQueryLine(in, buffer, line, whole); first = false) {
      if (!whole) {
        const InvalidArgument error(fmt::format("line is longer than {} bytes", kMaxQueryLineBytes));
        std::cout << Dump(ErrorJson(error)) << '\n';
        continue;
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (first && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // a UTF-8 byte order mark
      Json out;
      try {
        const SearchQuery q = QueryOfLine(line, args.query);
        out = ResultJson(q.text, engine->Search(q));
      } catch (const Error& e) {
        out = ErrorJson(e);
        out["query"] = line;
      }
      std::cout << Dump(out) << '\n';
    }
    if (in.bad()) throw IOError(fmt::format("error reading {}", args.queries));
  });
}

void AddTrending(CLI::App& app, Context& context) {
  static struct {
    std::string dir;
    TrendingOptions options;
  } args;
  auto* cmd = app.add_subcommand("trending", "Most used hashtags of recent questions");
  cmd->add_option("DIR", args.dir, "Engine directory")->required();
  cmd->add_option("--region", args.options.region, "Region (shard key)");
  cmd->add_option("--hours", args.options.hours, "Window ending now, in hours (default 24)");
  cmd->add_option("--limit", args.options.limit, "Tags (1-1000, default 20)");
  cmd->callback([&context] {
    const std::vector<TagCount> tags = context.Open(args.dir)->Trending(args.options);
    Json j{{"tags", Json::array()}};
    std::string text;
    for (const TagCount& t : tags) {
      j["tags"].push_back({{"tag", t.tag}, {"count", t.count}});
      text += fmt::format("{:>6}  #{}\n", t.count, t.tag);
    }
    context.Print(j, text.empty() ? "no hashtags in the window" : text);
  });
}

void AddReindex(CLI::App& app, Context& context) {
  static std::string dir;
  auto* cmd = app.add_subcommand("reindex", "Rebuild the search indexes from store.db");
  cmd->add_option("DIR", dir, "Engine directory")->required();
  cmd->callback([&context] {
    const auto started = std::chrono::steady_clock::now();
    ProgressLine progress;
    context.Open(dir)->RebuildIndex([&](const RebuildProgress& p) {
      const double percent = p.total ? 100.0 * p.indexed / p.total : 100;
      progress.Show(
          fmt::format("reindex: {} of {} questions ({:.0f}%)", p.indexed, p.total, percent));
    });
    progress.Finish();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    context.Print(Json{{"rebuilt", true}, {"seconds", seconds}},
                  fmt::format("search indexes rebuilt in {:.2f} s", seconds));
  });
}

}  // namespace

void AddSearchCommands(CLI::App& app, Context& context) {
  AddSearch(app, context);
  AddTrending(app, context);
  AddReindex(app, context);
}

}  // namespace dongne::cli
