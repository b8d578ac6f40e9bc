// Copyright (c) libdongne authors. Licensed under the MIT license.
//
// Writes the benchmarks' generated questions as JSONL (the import format),
// for benchmarks outside C++ (bench/python_vs_sqlite.py) and for trying the
// hosts on a large engine:
//   dongne_generate N out.jsonl [seed]

#include <cstdio>
#include <exception>
#include <string>

#include "support/data_gen.h"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s N out.jsonl [seed]\n", argv[0]);
    return 2;
  }
  try {
    const std::size_t n = std::stoul(argv[1]);
    const std::uint64_t seed = argc == 4 ? std::stoull(argv[3]) : 42;
    dongne::bench::WriteJsonl(dongne::bench::GenerateQuestions(n, seed), argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dongne_generate: %s\n", e.what());
    return 1;
  }
  return 0;
}
