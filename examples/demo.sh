#!/usr/bin/env bash
# The demo: imports the Korean sample (examples/data/jeju-busan.jsonl) into a
# fresh engine on the built-in region map and prints a few listings and
# nearby searches.
#   examples/demo.sh [path/to/dongne]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dongne=${1:-$here/../build/examples/dongne}
dir=$(mktemp -d -t dongne-demo.XXXXXX)
trap 'rm -rf "$dir"' EXIT

step() { printf '\n\033[1m$ dongne %s\033[0m\n' "$*"; "$dongne" "$@"; }

step init "$dir"
step import "$dir" "$here/data/jeju-busan.jsonl"
step list "$dir" --limit 5
step list "$dir" --region jeju --category food --limit 5
step list "$dir" --region busan --sort popular --limit 5
step list "$dir" --sort unanswered --limit 3
step nearby "$dir" --lat 33.4628 --lon 126.3310 --radius 5000   # 애월
step nearby "$dir" --lat 35.1587 --lon 129.1604 --limit 3 --unanswered  # 해운대
step search "$dir" "제주도에서 흑돼지 맛집" --lat 33.4996 --lon 126.5312 --limit 3
step points "$dir" --user 자갈치아재
first=$("$dongne" list "$dir" --tag 맛집 --limit 1 --json | sed -E 's/.*"id":([0-9]+).*/\1/')
step show "$dir" "$first"
