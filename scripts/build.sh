#!/usr/bin/env bash
# Configures and builds into build/ (or $BUILD_DIR) with Ninja. Extra
# arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DPython_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
