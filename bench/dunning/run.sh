#!/usr/bin/env bash
# Times `duegate dunning run` over N open dossiers (default 1,000,000) on SQLite, and its peak
# memory, for a day on which about 1 in 60 dossiers has a step due; then the same day again
# (nothing new: the pure streaming cost). Compare N=100000 and N=1000000 for flat memory.
# Usage: bench/dunning/run.sh BUILD_DIR [N]     (figures in docs/performance.md, "Dunning run")
set -euo pipefail
build=${1:?build dir with duegate}; n=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/duegate-bench-dunning.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat >"$work/duegate.ini" <<INI
[store]
url = sqlite:$work/duegate.db
blobs = $work/blobs
[portal]
link_secret_file = $work/link.key
[dunning]
schedule = off
INI
"$build/duegate" migrate --config "$work/duegate.ini" >/dev/null
t0=$(date +%s.%N)
/usr/bin/python3 "$here/gen.py" "$work/duegate.db" "$n" 2026-03-02
t1=$(date +%s.%N)
echo "generate: $(echo "$t1 - $t0" | bc) s"
for pass in first again; do
  /usr/bin/time -f "$pass: %e s wall, %U s user, %M KiB max RSS" \
    "$build/duegate" dunning run --config "$work/duegate.ini" --today 2026-03-02
done
