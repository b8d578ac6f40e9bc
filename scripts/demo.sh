#!/usr/bin/env bash
# Sets up, builds and runs the demo: the Korean sample in examples/data is
# imported into a fresh engine on the built-in region map, then listed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh -DDONGNE_BUILD_TESTS=OFF -DDONGNE_BUILD_BENCH=OFF
examples/demo.sh build/examples/dongne
