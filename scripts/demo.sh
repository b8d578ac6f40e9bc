#!/usr/bin/env bash
# Sets up, builds and runs the demo: the Korean sample in examples/data is
# imported into a fresh engine on the built-in region map, then listed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# A fresh build/ gets only what the demo needs. One configured before keeps
# its options: turning the tests off there would leave the test binaries of
# the last scripts/test.sh run in place, stale, for the next ctest.
options=()
if [[ ! -f build/CMakeCache.txt ]]; then
  options=(-DDONGNE_BUILD_TESTS=OFF -DDONGNE_BUILD_BENCH=OFF)
fi
scripts/build.sh "${options[@]}"
examples/demo.sh build/examples/dongne
