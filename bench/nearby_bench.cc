// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Nearby search over 1,000,000 generated questions on real land (17 province
// shards; every third question answered): Engine::Nearby for the 20 nearest
// within 2 km and for unanswered questions within 5 km, the needs-an-answer
// feed, and the bare geo::PointIndex; beside SpatiaLite's own spatial index
// (SpatialIndex virtual table + ST_Distance(a, b, 1) ORDER BY … LIMIT 20)
// and a brute-force scan, on the same points and the same query centres.
// Each benchmark records every query's time and reports the median and the
// 99th percentile as counters (µs, wall clock and thread CPU time); memory
// is the RSS growth of building the index of 1M points.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include <time.h>
#include <unistd.h>

#include "dongne/engine.h"
#include "geo/circle_bounds.h"
#include "geo/geodesic.h"
#include "geo/point_index.h"
#include "store/sqlite.h"
#include "support/data_gen.h"

namespace dongne::bench {
namespace {

constexpr std::size_t kQuestions = 1'000'000;
constexpr std::size_t kCentres = 1000;

std::size_t RssBytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// Built once, on first use, and removed at exit.
struct World {
  std::filesystem::path dir;
  std::vector<GeneratedQuestion> questions;
  std::vector<LatLon> centres;  // query points: on land, denser where questions are
  std::unique_ptr<Engine> engine;
  double engine_load_s = 0;        // reading every shard's point index from store.db
  std::size_t engine_load_rss = 0;  // RSS growth meanwhile (with SQLite's page cache)
  std::unique_ptr<geo::PointIndex> index;
  std::size_t index_rss = 0;
  std::unique_ptr<store::Database> spatialite;

  World() {
    dir = std::filesystem::temp_directory_path() /
          ("dongne-nearby-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    questions = GenerateQuestions(kQuestions, 42);
    LandSampler sampler(7);
    for (std::size_t i = 0; i < kCentres; ++i) centres.push_back(sampler.Next());
  }
  ~World() {
    engine.reset();
    spatialite.reset();
    std::filesystem::remove_all(dir);
  }

  bool Answered(std::size_t i) const { return i % 3 == 0; }

  Engine& EngineOf() {
    if (engine) return *engine;
    const std::filesystem::path jsonl = dir / "questions.jsonl";
    WriteJsonl(questions, jsonl);
    {
      std::ofstream out(jsonl, std::ios::app);
      for (std::size_t i = 0; i < questions.size(); i += 3) {
        out << nlohmann::json{{"type", "answer"}, {"ext_id", "a" + std::to_string(i)},
                              {"question_ext_id", questions[i].ext_id},
                              {"author", "답변러" + std::to_string(i % 100)}, {"body", "답변"},
                              {"created_at", questions[i].created_at + 600}}
                   .dump()
            << '\n';
      }
    }
    Options options;
    options.sync = false;
    if (auto provinces = SharedData("korea-provinces-2013.geojson")) options.regions_file = *provinces;
    engine = Engine::Open(dir / "engine", options);
    const ImportSummary summary = engine->Import(jsonl);
    if (summary.errors) throw std::runtime_error("import failed: " + summary.first_errors[0].message);
    // Load every shard's index before timing.
    const std::size_t before = RssBytes();
    const auto start = std::chrono::steady_clock::now();
    engine->Nearby({.center = {36, 128}, .radius_m = 1'000'000, .k = 1});
    engine_load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    engine_load_rss = RssBytes() - before;
    // Steady state: every shard's reader connection open, as in a server.
    for (const LatLon c : centres) engine->Nearby({.center = c, .radius_m = 2000, .k = 20});
    return *engine;
  }

  const geo::PointIndex& Index() {
    if (index) return *index;
    const std::size_t before = RssBytes();
    index = std::make_unique<geo::PointIndex>();
    {
      std::vector<geo::PointEntry> entries;
      for (std::size_t i = 0; i < questions.size(); ++i) {
        const GeneratedQuestion& q = questions[i];
        const auto category = std::find(std::begin(kCategories), std::end(kCategories), q.category);
        entries.push_back(
            {.at = q.at,
             .id = static_cast<Id>(i + 1),
             .created_at = q.created_at,
             .flags = geo::PointEntry::Flags(
                 q.urgent, Answered(i), Answered(i) ? QuestionStatus::kAnswered : QuestionStatus::kOpen),
             .category = static_cast<std::uint8_t>(category - std::begin(kCategories))});
      }
      index->Load(std::move(entries));
    }
    index_rss = RssBytes() - before;
    return *index;
  }

  store::Database& SpatiaLite() {
    if (spatialite) return *spatialite;
    store::Database::Config config;
    config.sync = false;
    spatialite = std::make_unique<store::Database>(dir / "spatialite.db", config);
    store::Database& db = *spatialite;
    db.LoadSpatialite();
    db.Exec("SELECT InitSpatialMetadata(1, 'WGS84_ONLY')");
    db.Exec("CREATE TABLE pts(id INTEGER PRIMARY KEY)");
    db.Exec("SELECT AddGeometryColumn('pts', 'geom', 4326, 'POINT', 'XY', 1)");
    {
      store::Transaction txn(db);
      for (std::size_t i = 0; i < questions.size(); ++i) {
        db.Prepare("INSERT INTO pts(id, geom) VALUES (?, MakePoint(?, ?, 4326))")
            ->BindAll(static_cast<std::int64_t>(i + 1), questions[i].at.lon, questions[i].at.lat)
            .Run();
      }
      txn.Commit();
    }
    db.Exec("SELECT CreateSpatialIndex('pts', 'geom')");
    db.Exec("ANALYZE");
    return db;
  }
};

World& TheWorld() {
  static World world;
  return world;
}

double ThreadCpuMicros() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

void ReportPercentiles(benchmark::State& state, std::vector<double> micros,
                       const std::string& prefix) {
  std::sort(micros.begin(), micros.end());
  state.counters[prefix + "median_us"] = micros[micros.size() / 2];
  state.counters[prefix + "p99_us"] = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
}

// Runs `query` once per iteration on the next centre, timing each call by
// the wall clock and by the thread's CPU time (on a shared machine the
// wall-clock tail also holds the times the thread waited for a core).
template <typename Query>
void TimeQueries(benchmark::State& state, Query&& query) {
  World& world = TheWorld();
  std::vector<double> wall, cpu;
  std::size_t i = 0, hits = 0;
  for (auto _ : state) {
    const LatLon centre = world.centres[i++ % world.centres.size()];
    const double cpu_start = ThreadCpuMicros();
    const auto start = std::chrono::steady_clock::now();
    hits += query(centre);
    wall.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    cpu.push_back(ThreadCpuMicros() - cpu_start);
  }
  ReportPercentiles(state, wall, "");
  ReportPercentiles(state, cpu, "cpu_");
  state.counters["hits_per_query"] = static_cast<double>(hits) / static_cast<double>(wall.size());
}

void BM_EngineNearbyK20Within2km(benchmark::State& state) {
  World& world = TheWorld();
  Engine& engine = world.EngineOf();
  TimeQueries(state, [&](LatLon c) {
    return engine.Nearby({.center = c, .radius_m = 2000, .k = 20}).hits.size();
  });
  state.counters["load_s"] = world.engine_load_s;
  state.counters["load_rss_mb"] = static_cast<double>(world.engine_load_rss) / (1 << 20);
}
BENCHMARK(BM_EngineNearbyK20Within2km)->Iterations(3000)->Unit(benchmark::kMicrosecond);

void BM_EngineNearbyUnansweredK20Within5km(benchmark::State& state) {
  Engine& engine = TheWorld().EngineOf();
  TimeQueries(state, [&](LatLon c) {
    return engine.Nearby({.center = c, .radius_m = 5000, .k = 20, .unanswered = true}).hits.size();
  });
}
BENCHMARK(BM_EngineNearbyUnansweredK20Within5km)->Iterations(3000)->Unit(benchmark::kMicrosecond);

void BM_EngineNeedsAnswerFeed5km(benchmark::State& state) {
  Engine& engine = TheWorld().EngineOf();
  TimeQueries(state, [&](LatLon c) {
    return engine.NeedsAnswer({.center = c, .radius_m = 5000, .limit = 20}).hits.size();
  });
}
BENCHMARK(BM_EngineNeedsAnswerFeed5km)->Iterations(1000)->Unit(benchmark::kMicrosecond);

const auto kAll = [](const geo::PointEntry&) { return true; };

void BM_PointIndexK20Within2km(benchmark::State& state) {
  World& world = TheWorld();
  const geo::PointIndex& index = world.Index();
  TimeQueries(state, [&](LatLon c) { return index.Nearest(c, 2000, std::nullopt, 20, kAll).size(); });
  state.counters["rss_mb"] = static_cast<double>(world.index_rss) / (1 << 20);
  state.counters["index_mb"] = static_cast<double>(index.MemoryBytes()) / (1 << 20);
}
BENCHMARK(BM_PointIndexK20Within2km)->Iterations(10000)->Unit(benchmark::kMicrosecond);

void BM_PointIndexUnansweredK20Within5km(benchmark::State& state) {
  const geo::PointIndex& index = TheWorld().Index();
  const auto unanswered = [](const geo::PointEntry& e) { return !e.answered(); };
  TimeQueries(state,
              [&](LatLon c) { return index.Nearest(c, 5000, std::nullopt, 20, unanswered).size(); });
}
BENCHMARK(BM_PointIndexUnansweredK20Within5km)->Iterations(10000)->Unit(benchmark::kMicrosecond);

void BM_SpatiaLiteK20Within2km(benchmark::State& state) {
  store::Database& db = TheWorld().SpatiaLite();
  TimeQueries(state, [&](LatLon c) {
    const geo::LatLonBox box = geo::CircleBox(c, 2000);
    auto st = db.Prepare(
        "SELECT id, ST_Distance(geom, MakePoint(?1, ?2, 4326), 1) AS d FROM pts "
        "WHERE rowid IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'pts' "
        "AND f_geometry_column = 'geom' AND search_frame = BuildMbr(?3, ?4, ?5, ?6, 4326)) "
        "AND d <= 2000 ORDER BY d, id LIMIT 20");
    st->BindAll(c.lon, c.lat, box.lon_min, box.lat_min, box.lon_max, box.lat_max);
    std::size_t n = 0;
    while (st->Step()) ++n;
    return n;
  });
}
BENCHMARK(BM_SpatiaLiteK20Within2km)->Iterations(1000)->Unit(benchmark::kMicrosecond);

// Every point's GeodesicDistance, the 20 nearest within 2 km kept.
void BM_BruteForceK20Within2km(benchmark::State& state) {
  const std::vector<GeneratedQuestion>& questions = TheWorld().questions;
  TimeQueries(state, [&](LatLon c) {
    std::vector<std::pair<double, std::size_t>> inside;
    for (std::size_t i = 0; i < questions.size(); ++i) {
      const double d = geo::GeodesicDistance(c, questions[i].at);
      if (d <= 2000) inside.emplace_back(d, i);
    }
    const std::size_t n = std::min<std::size_t>(20, inside.size());
    std::partial_sort(inside.begin(), inside.begin() + n, inside.end());
    return n;
  });
}
BENCHMARK(BM_BruteForceK20Within2km)->Iterations(10)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dongne::bench
