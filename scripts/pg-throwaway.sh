#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, for tests.
#   scripts/pg-throwaway.sh start DIR PORT   -> prints the URL postgresql://duegate:duegate@127.0.0.1:PORT/duegate
#   scripts/pg-throwaway.sh stop DIR
# initdb refuses root, so the cluster runs as the 'postgres' system user in DIR (owned by it).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?dir}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-k $dir -h 127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE ROLE duegate LOGIN PASSWORD 'duegate' SUPERUSER" \
      -c "CREATE DATABASE duegate OWNER duegate" >/dev/null
    echo "postgresql://duegate:duegate@127.0.0.1:$port/duegate"
    ;;
  stop)
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
