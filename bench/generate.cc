// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Writes the benchmarks' generated questions as JSONL (the import format),
// for benchmarks outside C++ (bench/python_vs_sqlite.py) and for trying the
// hosts on a large engine:
//   dongne_generate N out.jsonl [seed] [provinces]
// provinces: comma-separated province codes (11 Seoul, 21 Busan, 39 Jeju)
// whose neighbourhoods alone get questions; default all.

#include <cstdio>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "support/data_gen.h"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 5) {
    std::fprintf(stderr, "usage: %s N out.jsonl [seed] [provinces]\n", argv[0]);
    return 2;
  }
  try {
    const std::size_t n = std::stoul(argv[1]);
    const std::uint64_t seed = argc >= 4 ? std::stoull(argv[3]) : 42;
    std::vector<std::string> provinces;
    if (argc == 5) {
      std::istringstream list(argv[4]);
      for (std::string code; std::getline(list, code, ',');) provinces.push_back(code);
    }
    dongne::bench::WriteJsonl(dongne::bench::GenerateQuestions(n, seed, provinces), argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dongne_generate: %s\n", e.what());
    return 1;
  }
  return 0;
}
