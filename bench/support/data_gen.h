// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// The benchmarks' shared data: questions at points on real Korean land with
// Korean text, the same for a given seed on every machine.

#ifndef DONGNE_BENCH_SUPPORT_DATA_GEN_H_
#define DONGNE_BENCH_SUPPORT_DATA_GEN_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "dongne/types.h"

namespace dongne::bench {

// ../shared/data/<name> (or $DONGNE_SHARED_DATA/<name>), nullopt when absent.
std::optional<std::filesystem::path> SharedData(const std::string& name);

// Points on land: a random neighbourhood of korea-neighborhoods-2013.geojson,
// then a uniform point inside it, so density follows the neighbourhoods
// (dense in cities, as questions are). Where the data is absent, uniform
// points in boxes over Seoul, Busan and Jeju.
class LandSampler {
 public:
  // `provinces`: province codes (11 Seoul, 21 Busan, 39 Jeju, …) whose
  // neighbourhoods alone are sampled; empty for all of them.
  explicit LandSampler(std::uint64_t seed, const std::vector<std::string>& provinces = {});
  ~LandSampler();

  struct Spot {
    LatLon at;
    std::string neighborhood;  // 중문동; the city without the data (제주)
    std::string municipality;  // 서귀포시; the city without the data
  };
  Spot NextSpot();
  LatLon Next() { return NextSpot().at; }
  bool real_polygons() const;  // false: the boxes fallback

 private:
  struct Data;
  std::unique_ptr<Data> data_;
};

struct GeneratedQuestion {
  std::string ext_id;
  std::string author;
  std::string title;
  std::string body;
  std::string category;
  std::vector<std::string> hashtags;
  LatLon at;
  bool urgent = false;
  std::int64_t created_at = 0;  // Unix seconds
};

// The end of the generated questions' 30 days (2025-05-01T00:00:00Z, Unix
// seconds): the clock to give an engine holding them, for trending windows.
inline constexpr std::int64_t kGeneratedUntil = 1746057600;

// `n` questions by one author per 50 (at least 3,000) over the 30 days before
// kGeneratedUntil, ext_ids "g<seed>-<i>". The text names the place it was asked
// from (its neighbourhood or city: thousands of names) and a topic of its
// category (a few hundred nouns, common ones more often), with modifiers,
// question endings and 1–3 body sentences from a few hundred phrases, some
// with digits, Latin words or emoji: a vocabulary with the long tail of real
// questions, not a handful of words that every question repeats.
// `provinces` as for LandSampler.
std::vector<GeneratedQuestion> GenerateQuestions(std::size_t n, std::uint64_t seed,
                                                 const std::vector<std::string>& provinces = {});

// One question a line, in the import format of docs/cli.md.
void WriteJsonl(const std::vector<GeneratedQuestion>& questions, const std::filesystem::path& path);

}  // namespace dongne::bench

#endif  // DONGNE_BENCH_SUPPORT_DATA_GEN_H_
