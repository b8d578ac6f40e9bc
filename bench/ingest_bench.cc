// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Bulk import: `Engine::Import` of generated questions on the real province
// map with the 3,482 neighbourhood polygons labelling each question (the
// built-in map where ../shared/data is absent), beside plain SQLite inserts
// of the same rows into one table with no spatial index, in the same run.

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include <unistd.h>

#include "dongne/engine.h"
#include "support/data_gen.h"

namespace dongne::bench {
namespace {

struct Corpus {
  std::filesystem::path dir;
  std::filesystem::path jsonl;
  std::vector<GeneratedQuestion> questions;

  ~Corpus() {
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }
};

const Corpus& CorpusOf(std::size_t n) {
  static std::map<std::size_t, Corpus> corpora;
  auto [it, fresh] = corpora.try_emplace(n);
  if (fresh) {
    it->second.dir = std::filesystem::temp_directory_path() /
                     ("dongne-ingest-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(it->second.dir);
    it->second.jsonl = it->second.dir / ("questions-" + std::to_string(n) + ".jsonl");
    it->second.questions = GenerateQuestions(n, 42);
    WriteJsonl(it->second.questions, it->second.jsonl);
  }
  return it->second;
}

Options MapOptions() {
  Options options;
  if (auto provinces = SharedData("korea-provinces-2013.geojson")) options.regions_file = *provinces;
  if (auto dongs = SharedData("korea-neighborhoods-2013.geojson")) options.neighborhoods_file = *dongs;
  return options;
}

void BM_EngineImport(benchmark::State& state) {
  const Corpus& corpus = CorpusOf(static_cast<std::size_t>(state.range(0)));
  const std::filesystem::path dir = corpus.dir / "engine";
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
    auto engine = Engine::Open(dir, MapOptions());
    const ImportSummary summary = engine->Import(corpus.jsonl);
    if (summary.questions_added != state.range(0)) state.SkipWithError("import lost rows");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel(SharedData("korea-neighborhoods-2013.geojson") ? "real polygons"
                                                                  : "built-in map (no ../shared/data)");
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_EngineImport)->Arg(100000)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

void Check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) throw std::runtime_error(sqlite3_errmsg(db));
}

// The peer: the same rows, already parsed, into one plain table (WAL,
// synchronous=NORMAL, one transaction per 10,000 rows as the import batches).
void BM_PlainSqliteInsert(benchmark::State& state) {
  const Corpus& corpus = CorpusOf(static_cast<std::size_t>(state.range(0)));
  const std::filesystem::path path = corpus.dir / "plain.db";
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    state.ResumeTiming();
    sqlite3* db = nullptr;
    Check(sqlite3_open(path.c_str(), &db), db);
    Check(sqlite3_exec(db,
                       "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                       "CREATE TABLE questions(id INTEGER PRIMARY KEY, ext_id TEXT, author TEXT,"
                       " title TEXT, body TEXT, lat REAL, lon REAL, category TEXT, hashtags TEXT,"
                       " urgent INTEGER, created_at INTEGER)",
                       nullptr, nullptr, nullptr),
          db);
    sqlite3_stmt* insert = nullptr;
    Check(sqlite3_prepare_v2(db, "INSERT INTO questions VALUES(NULL,?,?,?,?,?,?,?,?,?,?)", -1, &insert,
                             nullptr),
          db);
    for (std::size_t i = 0; i < corpus.questions.size(); ++i) {
      if (i % 10000 == 0) Check(sqlite3_exec(db, i ? "COMMIT; BEGIN" : "BEGIN", nullptr, nullptr, nullptr), db);
      const GeneratedQuestion& q = corpus.questions[i];
      std::string tags;
      for (const std::string& tag : q.hashtags) tags += tag + " ";
      sqlite3_bind_text(insert, 1, q.ext_id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 2, q.author.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 3, q.title.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 4, q.body.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_double(insert, 5, q.at.lat);
      sqlite3_bind_double(insert, 6, q.at.lon);
      sqlite3_bind_text(insert, 7, q.category.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(insert, 8, tags.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(insert, 9, q.urgent);
      sqlite3_bind_int64(insert, 10, q.created_at);
      Check(sqlite3_step(insert), db);
      sqlite3_reset(insert);
    }
    Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PlainSqliteInsert)->Arg(100000)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace dongne::bench
