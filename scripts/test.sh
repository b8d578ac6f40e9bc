#!/usr/bin/env bash
# Sets up, builds and runs every test: GoogleTest suites and end-to-end
# scripts through CTest, which also runs the Python tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/build.sh -DDONGNE_BUILD_TESTS=ON
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
