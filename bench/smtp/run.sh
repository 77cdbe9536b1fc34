#!/bin/bash
# SMTP intake throughput, side by side in one run, driven by Postfix's smtp-source (50 sessions):
#   duegate serve (SQLite, blobs as files, group commit; a mail gets 250 only when durable)
#   Postfix smtp-sink -d (one file per mail, no fsync)
#   aiosmtpd with its Mailbox handler (one Maildir file per mail; Python's mailbox fsyncs the file)
# for 2 KB and 200 KB mails, ROUNDS rounds interleaved (the machine is shared: take the median),
# then the peak RSS of each server while 50 sessions each send one 25 MB mail.
# Needs: postfix (smtp-source, smtp-sink; the daemon need not run), python3-aiosmtpd, sqlite3, a
# duegate binary (BUILD=dir, default build-rel: configured RelWithDebInfo when missing).
# Usage: bench/smtp/run.sh [SMALL_COUNT] [LARGE_COUNT] [ROUNDS] [BIG_SESSIONS]
#   defaults 5000 2000 3 50;  STORE=postgresql PG_URL=postgresql://... for duegate on PostgreSQL;
#   BLOBS_IN=database keeps the raw mails in the database on SQLite too (one WAL fsync per group).
#   SKIP_BIG=1 skips the 25 MB memory run.
# Ports: 27820-27829 (override with PORT_BASE).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-rel}
SMALL=${1:-5000}; LARGE=${2:-2000}; ROUNDS=${3:-3}; BIG_SESSIONS=${4:-50}
SESSIONS=${SESSIONS:-50}
STORE=${STORE:-sqlite}
PB=${PORT_BASE:-27820}
P_DG=$PB; P_PORTAL=$((PB + 1)); P_SINK=$((PB + 2)); P_AIO=$((PB + 3))
if [ ! -x "$BUILD/duegate" ]; then
  # Warnings are not errors here: GCC 12 at -O2 reports a false -Wrestrict inside std::string.
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDUEGATE_WERROR=OFF -DDUEGATE_TESTS=OFF >/dev/null
  make -C "$BUILD" -j2 duegate >/dev/null
fi
DG=$BUILD/duegate
T=$(mktemp -d /var/tmp/duegate-bench-smtp.XXXXXX); chmod 755 "$T"
OUT=$ROOT/bench/out/smtp; mkdir -p "$OUT"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT

wait_port() { for _ in $(seq 1 150); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 not open" >&2; return 1; }
now() { date +%s.%N; }
vmhwm() { awk '/VmHWM/ {print $2}' /proc/$1/status; }

# --- duegate ---
dg_url="sqlite:$T/dg/var/duegate.db"
if [ "$STORE" = postgresql ]; then
  schema=bench$RANDOM$RANDOM
  psql "${PG_URL:?PG_URL for STORE=postgresql}" -qc "CREATE SCHEMA $schema"
  dg_url="$PG_URL?options=-csearch_path%3D$schema"
fi
mkdir -p "$T/dg/var"
cat > "$T/dg/duegate.ini" <<EOF
[store]
url = $dg_url
blobs = $T/dg/var/blobs
blobs_in = ${BLOBS_IN:-auto}
[smtp_in]
listen = 127.0.0.1:$P_DG
max_connections = 64
max_sessions_per_client = 64
max_message_bytes = 26214400
[smtp_out]
host =
outbox_dir = $T/dg/var/outbox
[portal]
listen = 127.0.0.1:$P_PORTAL
link_secret_file = $T/dg/var/link.key
[log]
level = warning
EOF
"$DG" creditor add --config "$T/dg/duegate.ini" --name Bench --intake bench@in.example >/dev/null
start_dg() {
  "$DG" serve --config "$T/dg/duegate.ini" >>"$T/dg/serve.log" 2>&1 &
  DG_PID=$!; PIDS+=("$DG_PID"); wait_port "$P_DG"
}
# Items the ingest has not processed yet: duegate's ingest stands back while sessions store mails
# (gateway/jobs/IntakeYield.h), so after each blast the bench waits for it to drain before the next
# server's turn (its deferred work must not run during another server's blast) and prints how long.
dg_pending() {
  if [ "$STORE" = postgresql ]; then psql "$PG_URL" -Atc "SELECT count(*) FROM $schema.inbound_items WHERE state = 'received'"
  else sqlite3 "$T/dg/var/duegate.db" "SELECT count(*) FROM inbound_items WHERE state = 'received'"; fi
}
dg_drain() {
  local t0; t0=$(now)
  for _ in $(seq 1 600); do [ "$(dg_pending 2>/dev/null)" = 0 ] && break; sleep 0.1; done
  awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'
}
dg_items() {
  if [ "$STORE" = postgresql ]; then psql "$PG_URL" -Atc "SELECT count(*) FROM $schema.inbound_items"
  else sqlite3 "$T/dg/var/duegate.db" "SELECT count(*) FROM inbound_items"; fi
}

# --- smtp-sink -d: one file per mail, no fsync (runs as nobody) ---
mkdir -p "$T/sink"; chmod 777 "$T/sink"
start_sink() {
  smtp-sink -u nobody -c -d "$T/sink/m." 127.0.0.1:$P_SINK 256 >/dev/null 2>&1 &
  SINK_PID=$!; PIDS+=("$SINK_PID"); wait_port "$P_SINK"
}
# --- aiosmtpd, Maildir handler ---
start_aio() {
  /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:$P_AIO -c aiosmtpd.handlers.Mailbox "$T/aio" >/dev/null 2>&1 &
  AIO_PID=$!; PIDS+=("$AIO_PID"); wait_port "$P_AIO"
}
start_dg; start_sink; start_aio

# CPU time (user + system, clock ticks) a server process has used so far: on a machine shared with
# other work the wall rate is noisy, CPU per mail is the steadier figure.
ticks() { awk '{ print $14 + $15 }' /proc/$1/stat; }
hz=$(getconf CLK_TCK)
# One smtp-source run; prints "mails/s cpu-ms-per-mail". smtp-source exits non-zero when a server refuses.
blast() { # port count length sessions [server pid]
  local t0 t1 c0=0 c1=0
  [ -n "${5:-}" ] && c0=$(ticks "$5")
  t0=$(now)
  smtp-source -s "$4" -m "$2" -l "$3" -d -f sender@bench.example -t bench@in.example 127.0.0.1:$1 \
    >"$T/source.log" 2>&1 || { echo "smtp-source failed on port $1:" >&2; tail -3 "$T/source.log" >&2; }
  t1=$(now)
  [ -n "${5:-}" ] && c1=$(ticks "$5")
  awk -v n="$2" -v a="$t0" -v b="$t1" -v c="$((c1 - c0))" -v hz="$hz" 'BEGIN { printf "%.0f %.3f\n", n / (b - a), c * 1000 / hz / n }'
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "smtp-source -s $SESSIONS -d; duegate on $STORE (blobs_in ${BLOBS_IN:-auto}); $ROUNDS rounds; $(date -u +%FT%TZ)"
declare -A R C
expect_items=0
for size in 2048 204800; do
  count=$SMALL; [ "$size" -gt 10000 ] && count=$LARGE
  for r in $(seq 1 "$ROUNDS"); do
    for target in sink duegate aiosmtpd; do
      case $target in sink) p=$P_SINK; pid=$SINK_PID ;; duegate) p=$P_DG; pid=$DG_PID ;; aiosmtpd) p=$P_AIO; pid=$AIO_PID ;; esac
      read -r v cpu < <(blast "$p" "$count" "$size" "$SESSIONS" "$pid")
      R[$target.$size]="${R[$target.$size]:-} $v"
      C[$target.$size]="${C[$target.$size]:-} $cpu"
      [ "$target" = duegate ] && expect_items=$((expect_items + count))
      [ "$target" = sink ] && rm -rf "$T/sink"/m.* 2>/dev/null || true
      drained=""
      [ "$target" = duegate ] && drained=" (ingest drained $(dg_drain) s after)"
      echo "  size=$size round=$r $target: $v mails/s, server CPU $cpu ms/mail$drained"
    done
  done
done
items=$(dg_items)
echo "duegate inbound items stored: $items of $expect_items mails sent (smtp-source Message-Ids may repeat across sessions: a repeat is one item)"
for size in 2048 204800; do
  s=$(echo "${R[sink.$size]}" | median); d=$(echo "${R[duegate.$size]}" | median); a=$(echo "${R[aiosmtpd.$size]}" | median)
  awk -v s="$s" -v d="$d" -v a="$a" -v z="$size" 'BEGIN {
    printf "size %6d B  median mails/s: duegate %6d  smtp-sink -d %6d  aiosmtpd %6d  duegate/sink %.2fx  duegate/aiosmtpd %.2fx\n", z, d, s, a, d / s, d / a }'
  cs=$(echo "${C[sink.$size]}" | median); cd=$(echo "${C[duegate.$size]}" | median); ca=$(echo "${C[aiosmtpd.$size]}" | median)
  echo "size $size B  median server CPU ms/mail (during the blast): duegate $cd  smtp-sink -d $cs  aiosmtpd $ca"
done
grep -c "intake" "$T/dg/serve.log" >/dev/null 2>&1 || true

[ "${SKIP_BIG:-0}" = 1 ] && exit 0
# --- memory: BIG_SESSIONS sessions each sending one 25 MB mail, fresh processes ---
kill "$DG_PID" "$SINK_PID" "$AIO_PID" 2>/dev/null || true; wait "$DG_PID" "$SINK_PID" "$AIO_PID" 2>/dev/null || true
start_dg; start_sink; start_aio
for target in duegate sink aiosmtpd; do
  case $target in sink) p=$P_SINK; pid=$SINK_PID ;; duegate) p=$P_DG; pid=$DG_PID ;; aiosmtpd) p=$P_AIO; pid=$AIO_PID ;; esac
  base=$(vmhwm "$pid")
  read -r v _ < <(blast "$p" "$BIG_SESSIONS" 25000000 "$BIG_SESSIONS")
  echo "25 MB x $BIG_SESSIONS sessions  $target: peak RSS $(( $(vmhwm "$pid") / 1024 )) MiB (idle $((base / 1024)) MiB), $v mails/s"
  rm -rf "$T/sink"/m.* 2>/dev/null || true
done
