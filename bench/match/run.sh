#!/bin/sh
# Payment-matcher benchmark (issue 9 item 8): 1,000,000 open dossiers and 1,000,000 statement lines
# generated in memory (bench_match.cpp says the mix), index build + matching timed, peak RSS from
# /usr/bin/time -v. Release build (-O2 -DNDEBUG) of the matcher sources only. Not part of CI.
#
# Usage: bench/match/run.sh [DOSSIERS LINES THREADS]   (defaults 1000000 1000000 2)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/bench/out
DOSSIERS=${1:-1000000}; LINES=${2:-1000000}; THREADS=${3:-2}
mkdir -p "$OUT"

BIN=$OUT/bench_match
SRCS="$HERE/bench_match.cpp $ROOT/gateway/core/matching/*.cpp $ROOT/gateway/core/sepa/SepaCharset.cpp $ROOT/parsers/refs/*.cpp $ROOT/parsers/common/*.cpp"
if [ ! -x "$BIN" ] || [ -n "$(find "$ROOT/gateway/core/matching" "$ROOT/gateway/core/sepa" "$ROOT/parsers/refs" "$ROOT/parsers/common" "$HERE/bench_match.cpp" -newer "$BIN" -name '*.[ch]*' 2>/dev/null | head -1)" ]; then
  echo "building $BIN ..." >&2
  # shellcheck disable=SC2086
  g++ -O2 -DNDEBUG -std=c++20 -pthread -I"$ROOT" -o "$BIN" $SRCS -lPocoFoundation -lcrypto
fi

echo "machine: $(nproc) cores, $(uname -r), $(g++ --version | head -1)"
/usr/bin/time -v "$BIN" "$DOSSIERS" "$LINES" "$THREADS" > "$OUT/match.stdout" 2> "$OUT/match.time"
cat "$OUT/match.stdout"
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$OUT/match.time" | sed 's/^[[:space:]]*//'
