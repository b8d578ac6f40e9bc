// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Search: `Engine::Search` over 100k and 1M generated Korean questions
// (3–8 words taken from a question, top 10), with and without a 5 km radius
// around that question, beside SQLite FTS5 with the trigram tokenizer (ranked by its
// bm25(), the radius as a box on a joined table) on the same corpus in the
// same run; similar questions for a draft, trending hashtags over a day, a
// week and a month; the bulk import that builds the index, and a rebuild of
// the index alone. Reports the median and 99th percentile per query as
// counters (p50_ms, p99_ms).

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include "dongne/engine.h"
#include "support/data_gen.h"

namespace dongne::bench {
namespace {

constexpr double kRadiusM = 5000;
constexpr int kQueries = 500;

struct BenchQuery {
  std::string text;
  std::vector<std::string> words;
  LatLon at;
  const GeneratedQuestion* from;  // the question the words were taken from
};

struct Corpus {
  std::filesystem::path dir;
  std::unique_ptr<Engine> engine;
  sqlite3* fts = nullptr;
  std::vector<GeneratedQuestion> questions;
  std::vector<BenchQuery> queries;
  double import_seconds = 0;

  ~Corpus() {
    engine.reset();
    sqlite3_close(fts);
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }
};

void Check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(sqlite3_errmsg(db));
  }
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The real provinces, and the clock at the end of the generated month.
Options MapOptions() {
  Options options;
  if (auto provinces = SharedData("korea-provinces-2013.geojson")) options.regions_file = *provinces;
  options.clock = [] { return Timestamp(std::chrono::seconds(kGeneratedUntil)); };
  return options;
}

// Built once per size: the engine imported from JSONL (timed), the FTS5
// table, the queries.
Corpus& CorpusOf(std::size_t n) {
  static std::map<std::size_t, Corpus> corpora;
  auto [it, fresh] = corpora.try_emplace(n);
  Corpus& c = it->second;
  if (!fresh) return c;
  c.dir = std::filesystem::temp_directory_path() /
          ("dongne-search-bench-" + std::to_string(::getpid()) + "-" + std::to_string(n));
  std::filesystem::remove_all(c.dir);
  std::filesystem::create_directories(c.dir);
  c.questions = GenerateQuestions(n, 7);
  const std::vector<GeneratedQuestion>& questions = c.questions;
  WriteJsonl(questions, c.dir / "questions.jsonl");

  const auto started = std::chrono::steady_clock::now();
  c.engine = Engine::Open(c.dir / "engine", MapOptions());
  const ImportSummary summary = c.engine->Import(c.dir / "questions.jsonl");
  c.import_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (summary.questions_added != static_cast<std::int64_t>(n)) throw std::runtime_error("lost rows");

  Check(sqlite3_open((c.dir / "fts.db").c_str(), &c.fts), c.fts);
  Check(sqlite3_exec(c.fts,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "CREATE VIRTUAL TABLE q USING fts5(title, body, tokenize='trigram');"
                     "CREATE TABLE pts(id INTEGER PRIMARY KEY, lat REAL, lon REAL);"
                     "CREATE INDEX pts_lat ON pts(lat, lon); BEGIN",
                     nullptr, nullptr, nullptr),
        c.fts);
  sqlite3_stmt* text = nullptr;
  sqlite3_stmt* point = nullptr;
  Check(sqlite3_prepare_v2(c.fts, "INSERT INTO q(rowid, title, body) VALUES (?, ?, ?)", -1, &text,
                           nullptr),
        c.fts);
  Check(sqlite3_prepare_v2(c.fts, "INSERT INTO pts VALUES (?, ?, ?)", -1, &point, nullptr), c.fts);
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const GeneratedQuestion& q = questions[i];
    sqlite3_bind_int64(text, 1, static_cast<std::int64_t>(i + 1));
    sqlite3_bind_text(text, 2, q.title.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(text, 3, q.body.c_str(), -1, SQLITE_STATIC);
    Check(sqlite3_step(text), c.fts);
    sqlite3_reset(text);
    sqlite3_bind_int64(point, 1, static_cast<std::int64_t>(i + 1));
    sqlite3_bind_double(point, 2, q.at.lat);
    sqlite3_bind_double(point, 3, q.at.lon);
    Check(sqlite3_step(point), c.fts);
    sqlite3_reset(point);
  }
  sqlite3_finalize(text);
  sqlite3_finalize(point);
  Check(sqlite3_exec(c.fts, "COMMIT", nullptr, nullptr, nullptr), c.fts);

  // 3–8 words, in order, from a random question's title and body.
  std::mt19937_64 rng(11);
  for (int i = 0; i < kQueries; ++i) {
    const GeneratedQuestion& q =
        questions[std::uniform_int_distribution<std::size_t>(0, questions.size() - 1)(rng)];
    std::vector<std::string> all = Words(q.title + " " + q.body);
    const std::size_t k = std::min<std::size_t>(
        all.size(), std::uniform_int_distribution<std::size_t>(3, 8)(rng));
    std::vector<std::size_t> picked(all.size());
    for (std::size_t j = 0; j < picked.size(); ++j) picked[j] = j;
    std::shuffle(picked.begin(), picked.end(), rng);
    picked.resize(k);
    std::sort(picked.begin(), picked.end());
    BenchQuery bq;
    for (std::size_t j : picked) {
      bq.text += (bq.text.empty() ? "" : " ") + all[j];
      bq.words.push_back(all[j]);
    }
    bq.at = q.at;
    bq.from = &q;
    c.queries.push_back(std::move(bq));
  }
  return c;
}

void Report(benchmark::State& state, std::vector<double>& ms) {
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) return;
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}

void BM_EngineSearch(benchmark::State& state) {
  Corpus& c = CorpusOf(static_cast<std::size_t>(state.range(0)));
  const bool geo = state.range(1) != 0;
  std::vector<double> ms;
  std::size_t i = 0, hits = 0;
  for (auto _ : state) {
    const BenchQuery& bq = c.queries[i++ % c.queries.size()];
    SearchQuery q;
    q.text = bq.text;
    q.limit = 10;
    if (geo) {
      q.near = bq.at;
      q.radius_m = kRadiusM;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const SearchResult r = c.engine->Search(q);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    hits += r.hits.size();
  }
  Report(state, ms);
  state.counters["hits"] = static_cast<double>(hits) / static_cast<double>(state.iterations());
  state.SetLabel(geo ? "5 km radius" : "no geo filter");
}
BENCHMARK(BM_EngineSearch)->ArgsProduct({{100000, 1000000}, {0, 1}})->Iterations(kQueries)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// The peer: FTS5's trigram tokenizer matches substrings of three or more
// characters, so the query is an OR of its words of 3+ characters (two-
// syllable Korean words cannot be searched at all), ranked by bm25().
void BM_Fts5TrigramSearch(benchmark::State& state) {
  Corpus& c = CorpusOf(static_cast<std::size_t>(state.range(0)));
  const bool geo = state.range(1) != 0;
  sqlite3_stmt* st = nullptr;
  Check(sqlite3_prepare_v2(
            c.fts,
            geo ? "SELECT q.rowid FROM q JOIN pts ON pts.id = q.rowid WHERE q MATCH ?1 AND "
                  "pts.lat BETWEEN ?2 AND ?3 AND pts.lon BETWEEN ?4 AND ?5 ORDER BY bm25(q) LIMIT 10"
                : "SELECT rowid FROM q WHERE q MATCH ?1 ORDER BY bm25(q) LIMIT 10",
            -1, &st, nullptr),
        c.fts);
  std::vector<double> ms;
  std::size_t i = 0, hits = 0;
  for (auto _ : state) {
    const BenchQuery& bq = c.queries[i++ % c.queries.size()];
    std::string match;
    for (const std::string& w : bq.words) {
      std::size_t chars = 0;
      for (unsigned char ch : w) chars += (ch & 0xC0) != 0x80;
      if (chars < 3) continue;
      match += (match.empty() ? "\"" : " OR \"") + w + "\"";
    }
    if (match.empty()) match = "\"" + bq.words[0] + "\"";
    const auto t0 = std::chrono::steady_clock::now();
    sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    if (geo) {
      const double dlat = kRadiusM / 110574.0, dlon = kRadiusM / (111320.0 * std::cos(bq.at.lat * M_PI / 180));
      sqlite3_bind_double(st, 2, bq.at.lat - dlat);
      sqlite3_bind_double(st, 3, bq.at.lat + dlat);
      sqlite3_bind_double(st, 4, bq.at.lon - dlon);
      sqlite3_bind_double(st, 5, bq.at.lon + dlon);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) ++hits;
    Check(rc, c.fts);
    sqlite3_reset(st);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  sqlite3_finalize(st);
  Report(state, ms);
  state.counters["hits"] = static_cast<double>(hits) / static_cast<double>(state.iterations());
  state.SetLabel(geo ? "5 km box" : "no geo filter");
}
BENCHMARK(BM_Fts5TrigramSearch)->ArgsProduct({{100000, 1000000}, {0, 1}})->Iterations(kQueries)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// "Has this been asked?": a question's own title and body as the draft,
// the five most similar near its point.
void BM_Similar(benchmark::State& state) {
  Corpus& c = CorpusOf(static_cast<std::size_t>(state.range(0)));
  std::vector<double> ms;
  std::size_t i = 0;
  for (auto _ : state) {
    const GeneratedQuestion& q = *c.queries[i++ % c.queries.size()].from;
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(c.engine->Similar(q.title, q.body, q.at));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  Report(state, ms);
}
BENCHMARK(BM_Similar)->Arg(100000)->Arg(1000000)->Iterations(kQueries)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// The top 20 hashtags of the last `hours` over every shard, counted from
// store.db on demand; the corpus spans 30 days.
void BM_Trending(benchmark::State& state) {
  Corpus& c = CorpusOf(static_cast<std::size_t>(state.range(0)));
  TrendingOptions options;
  options.hours = static_cast<int>(state.range(1));
  std::vector<double> ms;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(c.engine->Trending(options));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  Report(state, ms);
}
BENCHMARK(BM_Trending)->ArgsProduct({{100000, 1000000}, {24, 24 * 7, 24 * 30}})->Iterations(20)
    ->Unit(benchmark::kMillisecond)->UseRealTime();

// The import that built the corpus's engine (parse, route, store, index),
// timed once when the corpus was made.
void BM_ImportWithIndex(benchmark::State& state) {
  Corpus& c = CorpusOf(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(c.import_seconds);
  state.counters["seconds"] = c.import_seconds;
  state.counters["questions_per_s"] = static_cast<double>(state.range(0)) / c.import_seconds;
}
BENCHMARK(BM_ImportWithIndex)->Arg(100000)->Arg(1000000)->Iterations(1);

// Indexing alone: Engine::RebuildIndex reads every question from store.db
// and writes every shard's index anew.
void BM_RebuildIndex(benchmark::State& state) {
  Corpus& c = CorpusOf(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) c.engine->RebuildIndex();
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RebuildIndex)->Arg(100000)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace dongne::bench
