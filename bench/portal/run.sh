#!/bin/sh
# Portal benchmark (issue 14 item 7): a creditor with N dossiers (default 100,000), seeded by the
# bulk import (`duegate import` of the CSV template, as a creditor uploads it), then `wrk -t2 -c50`
# against `duegate serve` on SQLite: the creditor's dossier list, a search, and a debtor page, side
# by side with nginx serving a 5 KB static file on the same machine in the same run. Prints
# requests/s, p99 latency and the ratio to nginx per page.
#
# Usage: bench/portal/run.sh [DOSSIERS [SECONDS]]   (defaults 100000 15)
# Needs: a built duegate ($DUEGATE, else build-rel/duegate, else build-dev/duegate; build a Release
# one for figures: cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release && make -C build-rel duegate),
# wrk and nginx (apt-get install wrk nginx-light), sqlite3, python3.
# The payment notices the import queues are marked sent before serve starts: their 100,000 sends
# are not what this measures and would compete for the two cores.
# Environment: BENCH_WORK=DIR keeps the seeded store there; a later run with the same DIR reuses
# it (no reseeding; DOSSIERS is then ignored). BENCH_PORT=P uses ports P..P+2 (default 27790).
# BENCH_CEILING=1 also measures /healthz and /static/portal.css: the HTTP layer's own ceiling.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-100000}
SECS=${2:-15}
if [ -n "${DUEGATE:-}" ]; then DG=$DUEGATE
elif [ -x "$ROOT/build-rel/duegate" ]; then DG=$ROOT/build-rel/duegate
else DG=$ROOT/build-dev/duegate; fi
WORK=${BENCH_WORK:-$(mktemp -d /tmp/duegate-bench-portal.XXXXXX)}
mkdir -p "$WORK"
PY=/usr/bin/python3
BASE=${BENCH_PORT:-27790}
PORTAL=$BASE; NGINX=$((BASE + 1)); SMTP=$((BASE + 2))
cleanup() {
  [ -n "${SERVE:-}" ] && kill "$SERVE" 2>/dev/null; [ -n "${NGX:-}" ] && kill "$NGX" 2>/dev/null
  wait 2>/dev/null; [ -n "${BENCH_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/duegate.ini" <<INI
[store]
url = sqlite:$WORK/var/duegate.db
blobs = $WORK/var/blobs
[smtp_in]
listen = 127.0.0.1:$SMTP
[smtp_out]
outbox_dir = $WORK/var/outbox
[portal]
listen = 127.0.0.1:$PORTAL
base_url = http://127.0.0.1:$PORTAL
link_secret_file = $WORK/var/link.key
[agency]
name = Bench Agency
iban = BE62539007540061
[dunning]
schedule = off
[payout]
schedule = off
dir = $WORK/var/payout
INI
mkdir -p "$WORK/var"
if [ -s "$WORK/var/duegate.db" ] && [ -f "$WORK/seeded" ]; then
  echo "reusing the store seeded in $WORK ($(sqlite3 "$WORK/var/duegate.db" "SELECT COUNT(*) FROM dossiers") dossiers)"
  REUSE=1
else
  rm -rf "$WORK/var" "$WORK/seeded"; mkdir -p "$WORK/var"; REUSE=0
fi
"$DG" migrate --config "$WORK/duegate.ini" >/dev/null
if [ "$REUSE" = 0 ]; then
CRED=$("$DG" creditor add --config "$WORK/duegate.ini" --name "Bench Creditor" --intake bench@intake.test \
        --collect-to agency | $PY -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "bench-password-123" | "$DG" user add --config "$WORK/duegate.ini" --email bench@creditor.test --creditor "$CRED" >/dev/null

$PY "$HERE/gen.py" "$WORK/seed.csv" "$N"
t0=$($PY -c 'import time; print(time.time())')
# One upload holds at most 20,050 rows (docs/intake.md): the seed goes in as files of 20,000.
$PY - "$WORK/seed.csv" <<'PYEOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)
for n, i in enumerate(range(1, len(lines), 20000)):
    with open("%s-%03d.csv" % (sys.argv[1][:-4], n), "w", encoding="utf-8") as f:
        f.writelines([lines[0]] + lines[i:i + 20000])
PYEOF
for part in "$WORK"/seed-[0-9][0-9][0-9].csv; do
  "$DG" import --config "$WORK/duegate.ini" --creditor "$CRED" "$part" >> "$WORK/import.json"
done
t1=$($PY -c 'import time; print(time.time())')
DOSSIERS=$(sqlite3 "$WORK/var/duegate.db" "SELECT COUNT(*) FROM dossiers")
echo "seeded $DOSSIERS dossiers by the bulk import in $($PY -c "print('%.1f' % ($t1 - $t0))") s"
sqlite3 "$WORK/var/duegate.db" "UPDATE outbound_messages SET state = 'sent' WHERE state = 'planned'"
touch "$WORK/seeded"
fi
TOKEN=$(sqlite3 "$WORK/var/duegate.db" "SELECT body FROM outbound_messages WHERE purpose = 'payment_notice' ORDER BY id DESC LIMIT 1" |
        grep -o '/d/[A-Za-z0-9._-]*' | head -1)

"$DG" serve --config "$WORK/duegate.ini" 2> "$WORK/serve.log" &
SERVE=$!
for i in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORTAL/healthz" >/dev/null 2>&1 && break; sleep 0.2
done
COOKIE=$($PY - "$PORTAL" <<'PYEOF'
import http.cookiejar, sys, urllib.parse, urllib.request
port = sys.argv[1]
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
op.open("http://127.0.0.1:%s/login" % port).read()
csrf = next(c.value for c in jar if c.name == "dg_login_csrf")
data = urllib.parse.urlencode({"email": "bench@creditor.test", "password": "bench-password-123", "csrf": csrf}).encode()
op.open("http://127.0.0.1:%s/login" % port, data).read()
print(next(c.value for c in jar if c.name == "dg_session"))
PYEOF
)

mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
head -c 5120 /dev/urandom | base64 -w 100 | head -c 5120 > "$WORK/nginx/www/static.html"
cat > "$WORK/nginx/nginx.conf" <<NGX
worker_processes auto;
error_log $WORK/nginx/error.log;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp; fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
  server { listen 127.0.0.1:$NGINX; root $WORK/nginx/www; }
}
NGX
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g 'daemon off;' &
NGX=$!
sleep 0.5

# measure NAME URL [HEADER]: one wrk run; prints "NAME rps p99_ms"
measure() {
  name=$1; url=$2; shift 2
  if [ $# -gt 0 ]; then out=$(wrk -t2 -c50 -d"${SECS}s" --latency -H "$1" "$url")
  else out=$(wrk -t2 -c50 -d"${SECS}s" --latency "$url"); fi
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/, "", v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v=v*1000}; print v}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  echo "$name $rps $p99 ${non2xx:-0}"
}

curl -fs -o /dev/null -H "Cookie: dg_session=$COOKIE" "http://127.0.0.1:$PORTAL/" || { echo "login failed" >&2; exit 1; }
curl -fs -o /dev/null "http://127.0.0.1:$PORTAL$TOKEN" || { echo "no debtor page at $TOKEN" >&2; exit 1; }
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
{
  measure nginx_5kb "http://127.0.0.1:$NGINX/static.html"
  if [ -n "${BENCH_CEILING:-}" ]; then
    measure healthz "http://127.0.0.1:$PORTAL/healthz"
    measure static_css "http://127.0.0.1:$PORTAL/static/portal.css"
  fi
  measure dossier_list "http://127.0.0.1:$PORTAL/" "Cookie: dg_session=$COOKIE"
  measure search "http://127.0.0.1:$PORTAL/?q=peeters+1234" "Cookie: dg_session=$COOKIE"
  # one common word: one dossier in 18 matches, the page shows the newest 50
  measure search_word "http://127.0.0.1:$PORTAL/?q=peeters" "Cookie: dg_session=$COOKIE"
  measure debtor_page "http://127.0.0.1:$PORTAL$TOKEN"
} > "$WORK/results"
echo "page           req/s      p99 ms   ratio to nginx   non-2xx"
awk 'NR == 1 {base = $2} {printf "%-14s %9.0f %9.2f %10.3fx %9s\n", $1, $2, $3, $2 / base, $4}' "$WORK/results"
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peak RSS of serve: $(awk '/VmHWM/ {print $2, $3}' /proc/$SERVE/status)"
