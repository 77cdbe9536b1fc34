#!/bin/sh
# MIME parse throughput: duegate (parseMime), GMime 3 and Python's email on the same generated
# corpus of invoice mails (~140 KB each: text+HTML, a ~100 KB PDF, a UBL file; 1 in 4 forwarded as
# message/rfc822). Needs: the build-intake tree (or BUILD=dir), libgmime-3.0-dev, /usr/bin/python3.
# Usage: bench/mime/run.sh [COUNT]   (default 2000 mails; a few minutes in all)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-intake}
DATA=$ROOT/bench/data/mime
OUT=$ROOT/bench/out/mime
COUNT=${1:-2000}
mkdir -p "$OUT"
if [ ! -f "$DATA/$(printf %05d $((COUNT - 1))).eml" ]; then
  rm -rf "$DATA"
  /usr/bin/python3 "$ROOT/bench/mime/gen_corpus.py" "$DATA" "$COUNT"
fi
[ -d "$BUILD" ] || cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
make -C "$BUILD" -j2 duegate_parsers_mime >/dev/null
g++ -std=c++20 -O2 -I"$ROOT" "$ROOT/bench/mime/bench_duegate.cpp" -o "$OUT/bench_duegate" \
  "$BUILD/libduegate_parsers_mime.a" "$BUILD/libduegate_parsers_common.a" -lPocoFoundation -lcrypto
gcc -O2 "$ROOT/bench/mime/bench_gmime.c" -o "$OUT/bench_gmime" $(pkg-config --cflags --libs gmime-3.0)
cat "$DATA"/*.eml > /dev/null  # warm the page cache for everyone
du -sh "$DATA"
for tool in duegate gmime python; do
  case $tool in
    duegate) cmd="$OUT/bench_duegate $DATA" ;;
    gmime) cmd="$OUT/bench_gmime $DATA" ;;
    python) cmd="/usr/bin/python3 $ROOT/bench/mime/bench_python.py $DATA" ;;
  esac
  /usr/bin/time -v $cmd > "$OUT/$tool.txt" 2> "$OUT/$tool.time"
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$OUT/$tool.time")
  echo "$(cat "$OUT/$tool.txt") peak_rss_kb=$rss"
done
