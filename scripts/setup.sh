#!/usr/bin/env bash
# Installs the Debian packages libdongne needs, skipping those already there.
#   scripts/setup.sh          what the build and the demo need
#   scripts/setup.sh --test   also what the tests, fuzzers and benchmarks use
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libsqlite3-dev libspatialite-dev libsqlite3-mod-spatialite
  libxapian-dev libicu-dev libfmt-dev nlohmann-json3-dev
  libcli11-dev libcpp-httplib-dev libssl-dev
  python3 python3-dev python3-pybind11 pybind11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libgeographiclib-dev
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(
    python3-pytest python3-setuptools python3-pip
    clang libclang-rt-14-dev   # libFuzzer and the sanitizers
    gdal-bin sqlite3           # ogrinfo reads a shard as a point layer
    chromium fonts-nanum       # the map page's browser test (with Korean glyphs)
    wrk                        # the HTTP load test
  )
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# The map page's Leaflet comes from the npm registry (package.json); npm
# itself from Debian when the machine has none.
if ! command -v npm >/dev/null; then missing+=(npm); fi

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
else
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cd "$(dirname "$0")/.."
if [[ ! -f node_modules/leaflet/dist/leaflet.js ]]; then
  echo "setup: installing Leaflet from the npm registry"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
