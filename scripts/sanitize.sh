#!/usr/bin/env bash
# Builds everything but the Python module with AddressSanitizer and
# UndefinedBehaviorSanitizer (in build-asan/) and runs the whole test suite;
# any report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDONGNE_SANITIZE=ON \
  -DDONGNE_BUILD_PYTHON=OFF -DDONGNE_BUILD_BENCH=OFF -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build build-asan --parallel "$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure --parallel "$(nproc)"
