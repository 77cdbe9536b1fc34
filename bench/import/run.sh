#!/bin/sh
# Statement import benchmark (issue 9, item 8): a generated CAMT.053 file imported end to end by
# `duegate import` (parse, store every line once, match, book the matches with their effects) on
# SQLite and on PostgreSQL, with wall time and peak RSS, against the raw bulk-insert floor of each
# backend measured in the same run on the same rows: SQLite's own `.import` (one prepared INSERT in
# one transaction) and PostgreSQL's COPY (psql \copy), into a copy of statement_lines with its
# UNIQUE key. Also a 20,000-entry file, to show memory is flat in file size.
#
# Usage: bench/import/run.sh [ENTRIES [PAID_FRACTION]]   (defaults 200000 0.10)
# BENCH_BACKENDS="postgresql" (or "sqlite") runs one backend only (default both).
# Needs: a built duegate ($DUEGATE, else build-rel/duegate, else build-dev/duegate), sqlite3, psql, and
# for PostgreSQL scripts/pg-throwaway.sh (started on port ${BENCH_PG_PORT:-27499} and stopped again)
# unless DUEGATE_BENCH_PG_URL is set.
# The store is seeded so every booked match has all its effects: the creditor and every debtor have
# an e-mail address (two mails queued per match) and every 10th paid dossier has a planned reminder
# in the outbox (cancelled when it is paid).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
N=${1:-200000}
PAID=${2:-0.10}
if [ -n "${DUEGATE:-}" ]; then DG=$DUEGATE
elif [ -x "$ROOT/build-rel/duegate" ]; then DG=$ROOT/build-rel/duegate
else DG=$ROOT/build-dev/duegate; fi
WORK=$(mktemp -d /tmp/duegate-bench-import.XXXXXX)
chmod 755 "$WORK"   # the throwaway PostgreSQL runs as postgres
PY=/usr/bin/python3
trap '[ -n "${PGDIR:-}" ] && bash "$ROOT/scripts/pg-throwaway.sh" stop "$PGDIR" >/dev/null 2>&1; rm -rf "$WORK"' EXIT

echo "generating $N entries ($PAID pay open dossiers) ..." >&2
$PY "$HERE/gen.py" "$WORK/big" "$N" "$PAID" >&2
$PY "$HERE/gen.py" "$WORK/small" 20000 "$PAID" >&2

BACKENDS=${BENCH_BACKENDS:-sqlite postgresql}   # BENCH_BACKENDS=sqlite: SQLite only
if [ -z "${DUEGATE_BENCH_PG_URL:-}" ] && [ "$BACKENDS" != sqlite ]; then
  PGDIR=$WORK/pg
  DUEGATE_BENCH_PG_URL=$(bash "$ROOT/scripts/pg-throwaway.sh" start "$PGDIR" "${BENCH_PG_PORT:-27499}")
fi

elapsed() { $PY -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }

OUTBOX_COLS="id, creditor_id, dossier_id, dedupe_key, channel, purpose, recipient, subject, body, state, attempts, next_attempt_at, created_at, updated_at"

# setup BACKEND DATA: a migrated store with the agency's creditor, its debtors and open dossiers.
setup() {
  backend=$1; data=$2
  rm -rf "$WORK/var"; mkdir -p "$WORK/var"
  if [ "$backend" = sqlite ]; then
    url="sqlite:$WORK/var/duegate.db"
  else
    schema=b$(date +%s%N)
    psql "$DUEGATE_BENCH_PG_URL" -q -c "CREATE SCHEMA $schema" >/dev/null
    url="$DUEGATE_BENCH_PG_URL?options=-csearch_path%3D$schema"
  fi
  cat > "$WORK/duegate.ini" <<INI
[store]
url = $url
blobs = $WORK/var/blobs
[agency]
name = Bench Agency
iban = BE62539007540061
[payout]
schedule = off
dir = $WORK/var/payout
INI
  "$DG" migrate --config "$WORK/duegate.ini" >/dev/null 2>&1
  cat > "$WORK/seed.sql" <<SQL
INSERT INTO creditors (id, name, intake_address, api_key_hash, created_at, collect_to, email) VALUES (1, 'Bench Creditor', 'bench@intake.test', 'x', '2026-01-05T09:00:00.000000Z', 'agency', 'finance@creditor.test');
SQL
  if [ "$backend" = sqlite ]; then
    sqlite3 "$WORK/var/duegate.db" < "$WORK/seed.sql"
    sqlite3 "$WORK/var/duegate.db" <<SQL
.mode csv
CREATE TEMP TABLE d (id, creditor_id, match_key, name, email, kind, created_at);
.import $data/debtors.csv d
INSERT INTO debtors (id, creditor_id, match_key, name, email, kind, created_at) SELECT * FROM d;
CREATE TEMP TABLE o (id, creditor_id, debtor_id, reference, status, currency, open_minor, ogm, created_at, updated_at, payee_iban, payment_reference);
.import $data/dossiers.csv o
INSERT INTO dossiers (id, creditor_id, debtor_id, reference, status, currency, open_minor, ogm, created_at, updated_at, payee_iban, payment_reference) SELECT * FROM o;
CREATE TEMP TABLE r ($OUTBOX_COLS);
.import $data/reminders.csv r
INSERT INTO outbound_messages ($OUTBOX_COLS) SELECT * FROM r;
SQL
  else
    P="psql $url -q"
    $P -f "$WORK/seed.sql" >/dev/null
    $P -c "\\copy debtors (id, creditor_id, match_key, name, email, kind, created_at) FROM '$data/debtors.csv' CSV" >/dev/null
    $P -c "\\copy dossiers (id, creditor_id, debtor_id, reference, status, currency, open_minor, ogm, created_at, updated_at, payee_iban, payment_reference) FROM '$data/dossiers.csv' CSV" >/dev/null
    $P -c "\\copy outbound_messages ($OUTBOX_COLS) FROM '$data/reminders.csv' CSV" >/dev/null
    $P -c "SELECT setval('dossiers_id_seq', (SELECT MAX(id) FROM dossiers)); SELECT setval('debtors_id_seq', (SELECT MAX(id) FROM debtors)); SELECT setval('outbound_messages_id_seq', (SELECT MAX(id) FROM outbound_messages))" >/dev/null
    # What autovacuum does to a store that has been running: without statistics on the freshly
    # copied tables the planner reads all 20,000 dossiers for every batch's "WHERE id IN (...)".
    $P -c "ANALYZE" >/dev/null
  fi
}

COLS="statement_id, account_owner, creditor_id, account_iban, line_key, booking_date, value_date, amount_minor, currency, exponent, counterparty_name, counterparty_iban, counterparty_bic, reference_kind, reference, remittance, bank_reference, end_to_end_id, reversal, return_reason, created_at"

# floor BACKEND DATA: seconds to bulk-insert lines.csv into a copy of statement_lines.
floor() {
  backend=$1; data=$2
  if [ "$backend" = sqlite ]; then
    sqlite3 "$WORK/var/duegate.db" "CREATE TABLE floor_lines AS SELECT * FROM statement_lines WHERE 0; CREATE UNIQUE INDEX floor_key ON floor_lines (account_owner, account_iban, line_key);"
    # + an id column; since 0023 a line's row carries its state (written with it by the import,
    # most lines 'unmatched'): the floor's rows get the same columns, as on PostgreSQL below, so
    # they are as wide as the import's (and sqlite3 does not warn about a short row 200,000 times).
    if [ "$(sqlite3 "$WORK/var/duegate.db" "SELECT COUNT(*) FROM pragma_table_info('statement_lines') WHERE name = 'state'")" = 1 ]; then
      sed 's/^/0,/; s/$/,unmatched,,,,0,2026-11-29T00:00:00Z/' "$data/lines.csv" > "$WORK/floor.csv"
    else
      sed 's/^/0,/' "$data/lines.csv" > "$WORK/floor.csv"
    fi
    t0=$(date +%s.%N)
    sqlite3 "$WORK/var/duegate.db" -cmd "PRAGMA synchronous=FULL" -cmd "PRAGMA journal_mode=WAL" ".import --csv $WORK/floor.csv floor_lines" >/dev/null 2>&1 || \
      sqlite3 "$WORK/var/duegate.db" -cmd ".mode csv" ".import $WORK/floor.csv floor_lines"
    t1=$(date +%s.%N)
  else
    psql "$url" -q -c "CREATE TABLE floor_lines (LIKE statement_lines INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)" >/dev/null
    # Since 0023 a line's row carries its state, which the import writes with it (most lines
    # 'unmatched'): the floor writes it too, so its rows are as wide as the import's and none of
    # them lands in the partial index of lines in state 'new' (which the import's lines never do).
    cols=$COLS; csv=$data/lines.csv
    if [ "$(psql "$url" -Atc "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'statement_lines' AND column_name = 'state'")" = 1 ]; then
      cols="$COLS, state"; csv=$WORK/floor.csv
      sed 's/$/,unmatched/' "$data/lines.csv" > "$csv"
    fi
    t0=$(date +%s.%N)
    psql "$url" -q -c "\\copy floor_lines ($cols) FROM '$csv' CSV" >/dev/null
    t1=$(date +%s.%N)
  fi
  elapsed "$t0" "$t1"
}

# import DATA: runs duegate import, prints "SECONDS RSS_MB CPU_SECONDS JSON" (CPU: user + system).
import() {
  data=$1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M %U %S" -o "$WORK/rss" "$DG" import --config "$WORK/duegate.ini" "$data/bench.camt.xml" > "$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  t1=$(date +%s.%N)
  set -- $(tail -1 "$WORK/rss")
  echo "$(elapsed "$t0" "$t1") $(( $1 / 1024 )) $($PY -c "import sys; print('%.2f' % (float(sys.argv[1]) + float(sys.argv[2])))" "$2" "$3") $(cat "$WORK/out")"
}

echo "machine: $(nproc) cores, $(uname -r); duegate $DG"
for backend in $BACKENDS; do
  for size in small big; do
    setup $backend "$WORK/$size"
    set -- $(import "$WORK/$size")
    secs=$1; rss=$2; cpu=$3; shift 3; json="$*"
    fl=$(floor $backend "$WORK/$size")
    entries=$(echo "$json" | sed 's/.*"entries":\([0-9]*\).*/\1/')
    $PY - "$backend" "$entries" "$secs" "$rss" "$fl" "$json" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)" <<'PYEOF'
import sys
b, n, s, rss, fl, js = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
cpu, load = float(sys.argv[7]), sys.argv[8]
print("%-10s %8d entries  import %6.2f s (%5.2f s CPU, %7.0f entries/s, %4d MB peak RSS)  floor %5.2f s  => %.2fx the floor  (load %s)  %s"
      % (b, n, s, cpu, n / s, rss, fl, fl / s, load, js))
PYEOF
  done
done
