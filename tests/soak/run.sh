#!/bin/bash
# The long variants of the kill / restart / multi-host tests (issue 13, item 3): the same scripts
# as the short CI variants in tests/integration, with bigger parameters. Minutes, not seconds.
# Usage: tests/soak/run.sh [BUILD_DIR]     (default build-dev; needs duegate built there)
# Parameters (environment): ROUNDS=5 KILL_INTERVAL=8 THREADS=16 MAILS=60 HOSTS=3 RELAY_DOWN=600
#   PG_DOWN=10 REPLICA_SECONDS=30 REPLICA_ROUNDS=3; PG_URL for the PostgreSQL cases (a throwaway
#   cluster on port 27890 is started when unset).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build-dev}
DG=$BUILD/duegate
IT=$ROOT/tests/integration
ROUNDS=${ROUNDS:-5}; KILL_INTERVAL=${KILL_INTERVAL:-8}; THREADS=${THREADS:-16}; MAILS=${MAILS:-60}
HOSTS=${HOSTS:-3}; RELAY_DOWN=${RELAY_DOWN:-600}; PG_DOWN=${PG_DOWN:-10}
REPLICA_SECONDS=${REPLICA_SECONDS:-30}; REPLICA_ROUNDS=${REPLICA_ROUNDS:-3}
started_pg=""
if [ -z "${PG_URL:-}" ]; then
  started_pg=$(mktemp -d /tmp/duegate-soak-pg.XXXXXX)
  PG_URL=$(bash "$ROOT/scripts/pg-throwaway.sh" start "$started_pg/c" 27890)
fi
trap '[ -n "$started_pg" ] && bash "$ROOT/scripts/pg-throwaway.sh" stop "$started_pg/c"; rm -rf "$started_pg"' EXIT
export DUEGATE_TEST_PG_URL=$PG_URL
fail=0
go() { echo "== $*"; /usr/bin/python3 "$@" 2>&1 | grep -vE '^ts=' | tail -25; [ "${PIPESTATUS[0]}" = 0 ] || fail=1; }
R="$IT/resilience.py --duegate $DG --fixtures $ROOT/fixtures"
for store in sqlite postgresql; do
  go $R --case kill --store $store --rounds "$ROUNDS" --interval "$KILL_INTERVAL" --threads "$THREADS"
done
go $R --case pgrestart --rounds "$ROUNDS" --down "$PG_DOWN" --threads "$THREADS"
go $R --case multi --hosts 2 --mails "$MAILS"
go $R --case multi --hosts "$HOSTS" --mails "$MAILS"
go $R --case relay --down "$RELAY_DOWN" --mails "$MAILS"
go $R --case slowloris
go "$IT/replica_failover.py" --duegate "$DG" --seconds "$REPLICA_SECONDS" --rounds "$REPLICA_ROUNDS" --threads "$THREADS"
echo "soak: $([ $fail = 0 ] && echo all passed || echo FAILURES)"
exit $fail
