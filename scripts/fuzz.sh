#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (in build-fuzz/) and runs each for
# FUZZ_SECONDS (default 30) from its seed corpus in tests/fuzz/corpus/<name>.
# New inputs go to build-fuzz/corpus/<name>; a crash stops with its input.
#   scripts/fuzz.sh [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDONGNE_BUILD_FUZZ=ON -DDONGNE_BUILD_TESTS=OFF -DDONGNE_BUILD_BENCH=OFF \
  -DDONGNE_BUILD_PYTHON=OFF -DDONGNE_BUILD_EXAMPLES=ON >/dev/null
cmake --build build-fuzz --parallel "$(nproc)"
targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in tests/fuzz/*_fuzz.cc; do targets+=("$(basename "$source" _fuzz.cc)"); done
fi
for name in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$name"
  echo "fuzz: $name for ${seconds}s"
  "build-fuzz/tests/fuzz/dongne_${name}_fuzz" -max_total_time="$seconds" -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/crash-$name-" \
    "build-fuzz/corpus/$name" "tests/fuzz/corpus/$name" 2>&1 |
    grep -E "^(stat::number_of_executed_units|#[0-9]+ *DONE)|ERROR|SUMMARY" || true
  test "${PIPESTATUS[0]}" -eq 0
done
