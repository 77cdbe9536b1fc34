#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, parsers only) and runs each for SECONDS (default 20),
# seeded from the folders its tests/fuzz/fuzz_NAME.seeds lists. Fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
build=${DUEGATE_FUZZ_BUILD:-build-fuzz}
CC=clang CXX=clang++ cmake -S . -B "$build" -DDUEGATE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
make -C "$build" -j"$(nproc)" --no-print-directory >/dev/null
passed=0; failed=0
for src in tests/fuzz/fuzz_*.cpp; do
  name=$(basename "$src" .cpp)
  seeds=()
  if [ -f "tests/fuzz/$name.seeds" ]; then
    while read -r d; do [ -n "$d" ] && [ -d "$d" ] && seeds+=("$d"); done < "tests/fuzz/$name.seeds"
  fi
  corpus=$(mktemp -d)
  mkdir -p "$build/findings"
  if "$build/tests/fuzz/$name" -max_total_time="$seconds" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=0 -artifact_prefix="$build/findings/$name-" "$corpus" "${seeds[@]}" >"$corpus.log" 2>&1; then
    echo "fuzz $name: ${seconds}s, no findings"; passed=$((passed+1))
  else
    echo "fuzz $name: FINDING (input kept in $build/findings/)"; grep -v '^#' "$corpus.log" | tail -40
    failed=$((failed+1))
  fi
  rm -rf "$corpus" "$corpus.log"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
