#!/usr/bin/env bash
# Sets up, builds and runs every test, in three stages:
#   1. the GoogleTest suites, the end-to-end tests of the hosts (CLI, HTTP,
#      browser, load) and the Python tests, through CTest (build/);
#   2. the same suite built with AddressSanitizer and UBSan (scripts/sanitize.sh);
#   3. every libFuzzer target for FUZZ_SECONDS each (scripts/fuzz.sh).
# DONGNE_STAGES picks stages, e.g. DONGNE_STAGES=1 for the quick loop.
set -euo pipefail
cd "$(dirname "$0")/.."
stages=${DONGNE_STAGES:-123}
scripts/setup.sh --test
stage() { printf '\n== stage %s: %s (%s)\n' "$1" "$2" "$(date -u +%H:%M:%S)"; }
if [[ $stages == *1* ]]; then
  stage 1 "build and test"
  scripts/build.sh -DDONGNE_BUILD_TESTS=ON
  ctest --test-dir build --output-on-failure --parallel "$(nproc)"
fi
if [[ $stages == *2* ]]; then
  stage 2 "AddressSanitizer and UBSan"
  scripts/sanitize.sh
fi
if [[ $stages == *3* ]]; then
  stage 3 "fuzzing"
  FUZZ_SECONDS=${FUZZ_SECONDS:-30} scripts/fuzz.sh
fi
stage done "all stages passed"
