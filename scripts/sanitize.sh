#!/usr/bin/env bash
# Builds the library, the hosts, the tests and the fuzz targets with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer (in build-asan/, shared
# with scripts/fuzz.sh so CI compiles once) and runs the whole test suite but
# the Python module's; any sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
# -O1 with line tables only: sanitizer reports keep file:line, and the build
# takes far less time than RelWithDebInfo on CI's two cores.
# A build-asan/ configured with another compiler cannot switch in place.
if [[ -f build-asan/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:FILEPATH=.*clang' build-asan/CMakeCache.txt; then
  rm -rf build-asan
fi
CC=clang CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_FLAGS="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
  -DDONGNE_SANITIZE=ON -DDONGNE_BUILD_FUZZ=ON -DDONGNE_BUILD_PYTHON=OFF -DDONGNE_BUILD_BENCH=OFF \
  -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build-asan --parallel "$(nproc)"
[[ "${1:-}" == "--build-only" ]] && exit 0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure --parallel "$(nproc)"
