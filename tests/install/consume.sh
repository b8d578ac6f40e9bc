#!/usr/bin/env bash
# Installs the build tree's library into a scratch prefix and builds the
# README's C++ example (main.cc) against it both ways README.md gives:
# CMake's find_package(dongne) and pkg-config. Each program must run.
#   consume.sh BUILD_DIR CXX_COMPILER
set -euo pipefail
build=$1
cxx=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null

echo "== find_package(dongne)"
cmake -S "$here" -B "$work/cmake" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
"$work/cmake/app" "$work/engine-cmake"

echo "== pkg-config --static"
pc=$(find "$work/prefix" -name dongne.pc)
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --static --cflags --libs dongne)
# shellcheck disable=SC2086  # the flags are words
"$cxx" -std=c++20 "$here/main.cc" $flags -o "$work/app"
"$work/app" "$work/engine-pkg-config"
