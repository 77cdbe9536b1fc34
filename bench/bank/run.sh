#!/bin/sh
# Bank-parser benchmark: generated CAMT.053 (200 MB), CODA (100 MB) and MT940 (100 MB) files,
# read by duegate's streaming parsers, by `cat` (the I/O floor) and by peers from other ecosystems:
# Python xml.etree iterparse (CAMT), a plain Python CODA slicer, npm mt940-js (MT940).
# Reports MB/s, entries/s and peak RSS (/usr/bin/time). Not part of CI; takes a few minutes.
#
# Usage: bench/bank/run.sh [CAMT_MB CODA_MB MT940_MB]   (defaults 200 100 100)
# Files go to bench/data/ (gitignored) and are reused when present with the same sizes.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DATA=$ROOT/bench/data
OUT=$ROOT/bench/out
CAMT_MB=${1:-200}; CODA_MB=${2:-100}; MT_MB=${3:-100}
PY=/usr/bin/python3
mkdir -p "$DATA" "$OUT"

stamp="$CAMT_MB-$CODA_MB-$MT_MB"
if [ "$(cat "$DATA/sizes" 2>/dev/null || true)" != "$stamp" ]; then
  echo "generating $CAMT_MB MB CAMT, $CODA_MB MB CODA, $MT_MB MB MT940 into $DATA ..." >&2
  $PY "$HERE/gen.py" "$DATA" "$CAMT_MB" "$CODA_MB" "$MT_MB" >&2
  echo "$stamp" > "$DATA/sizes"
fi

# Our bench binary, compiled straight from the parser sources (no test or CLI code).
BIN=$OUT/bench_bank
if [ ! -x "$BIN" ] || [ -n "$(find "$ROOT/parsers" "$HERE/bench_bank.cpp" -newer "$BIN" -name '*.[ch]*' 2>/dev/null | head -1)" ]; then
  echo "building $BIN ..." >&2
  g++ -O2 -std=c++20 -I"$ROOT" -o "$BIN" "$HERE/bench_bank.cpp" "$ROOT"/parsers/bank/*.cpp "$ROOT"/parsers/refs/*.cpp \
      "$ROOT"/parsers/common/*.cpp -lPocoZip -lPocoXML -lPocoFoundation -lcrypto
fi

# npm mt940-js in a throwaway prefix (needs the npm registry once).
NPM=$OUT/npm
if [ ! -d "$NPM/node_modules/mt940-js" ]; then
  echo "installing npm mt940-js into $NPM ..." >&2
  npm install --prefix "$NPM" mt940-js tslib --no-audit --no-fund >/dev/null 2>&1 || echo "npm install failed: mt940-js skipped" >&2
fi

# run LABEL FILE ENTRIES_KEY CMD...: wall time, peak RSS and the entry count the tool printed.
run() {
  label=$1; file=$2; shift 2
  size=$(stat -c %s "$file")
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$OUT/rss" "$@" > "$OUT/stdout" 2>"$OUT/stderr" || { echo "$label: failed: $(head -c 300 "$OUT/stderr")"; return 0; }
  t1=$(date +%s.%N)
  rss=$(tail -1 "$OUT/rss")
  n=$(grep -o '\(entries\|movements\)=[0-9]*' "$OUT/stdout" | head -1 | cut -d= -f2)
  $PY - "$label" "$size" "$t0" "$t1" "$rss" "${n:-0}" <<'PYEOF'
import sys
label, size, t0, t1, rss, n = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
dt = t1 - t0
eps = ('%10.0f' % (n / dt)) if n else '         -'
print('%-22s %8.1f MB %8.2f s %9.1f MB/s %s entries/s %8.1f MB peak RSS' % (label, size / 1048576, dt, size / 1048576 / dt, eps, rss / 1024))
PYEOF
}

echo "machine: $(nproc) cores, $(uname -r); files in $DATA"
for f in bench.camt.xml bench.cod bench.sta; do cat "$DATA/$f" > /dev/null; done   # warm the page cache
run "cat camt"            "$DATA/bench.camt.xml" cat "$DATA/bench.camt.xml"
run "duegate camt"        "$DATA/bench.camt.xml" "$BIN" camt "$DATA/bench.camt.xml"
run "python etree camt"   "$DATA/bench.camt.xml" $PY "$HERE/peer_camt_etree.py" "$DATA/bench.camt.xml"
run "cat coda"            "$DATA/bench.cod" cat "$DATA/bench.cod"
run "duegate coda"        "$DATA/bench.cod" "$BIN" coda "$DATA/bench.cod"
run "python slicer coda"  "$DATA/bench.cod" $PY "$HERE/peer_coda_slicer.py" "$DATA/bench.cod"
run "cat mt940"           "$DATA/bench.sta" cat "$DATA/bench.sta"
run "duegate mt940"       "$DATA/bench.sta" "$BIN" mt940 "$DATA/bench.sta"
if [ -d "$NPM/node_modules/mt940-js" ]; then
  run "npm mt940-js"      "$DATA/bench.sta" env NODE_PATH="$NPM/node_modules" node "$HERE/peer_mt940_js.js" "$DATA/bench.sta"
fi
# Memory flat in file size: the same CAMT parse on a 10x smaller file should peak the same.
head -c $((20 * 1048576)) "$DATA/bench.camt.xml" | sed '$d' > "$OUT/small.camt.xml.tmp" || true
$PY - "$OUT/small.camt.xml.tmp" "$OUT/small.camt.xml" <<'PYEOF'
import sys
data = open(sys.argv[1], encoding='utf-8').read()
cut = data.rfind('</Stmt>')
open(sys.argv[2], 'w', encoding='utf-8').write(data[:cut + 7] + '\n</BkToCstmrStmt>\n</Document>\n')
PYEOF
run "duegate camt (20 MB)" "$OUT/small.camt.xml" "$BIN" camt "$OUT/small.camt.xml"
