#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and the sanitizers (in build-asan/,
# shared with scripts/sanitize.sh) and runs each for FUZZ_SECONDS (default
# 30) from its seed corpus in tests/fuzz/corpus/<name>. New inputs go to
# build-asan/corpus/<name>; a crash stops the run and keeps its input.
#   scripts/fuzz.sh [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
scripts/sanitize.sh --build-only
targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in tests/fuzz/*_fuzz.cc; do targets+=("$(basename "$source" _fuzz.cc)"); done
fi
for name in "${targets[@]}"; do
  mkdir -p "build-asan/corpus/$name"
  echo "fuzz: $name for ${seconds}s"
  status=0
  "build-asan/tests/fuzz/dongne_${name}_fuzz" -max_total_time="$seconds" -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="build-asan/crash-$name-" \
    "build-asan/corpus/$name" "tests/fuzz/corpus/$name" >"build-asan/fuzz-$name.log" 2>&1 || status=$?
  grep -E "^stat::number_of_executed_units|ERROR|SUMMARY" "build-asan/fuzz-$name.log" || true
  if ((status != 0)); then
    tail -50 "build-asan/fuzz-$name.log"
    exit "$status"
  fi
done
