# Start and stop a throwaway PostgreSQL 15 cluster. Source this file, then:
#   pg_start            sets PG_URL (a role with CREATEDB) and PG_DIR
#   pg_stop             stops the cluster and removes its folder
# initdb and pg_ctl refuse to run as root, so as root they run as the postgres user from
# a folder directly under /tmp that postgres can reach.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

_pg_as() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_start() {
  PG_DIR=$(mktemp -d /tmp/provenance-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DIR"
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -E UTF8 --locale=C.UTF-8 --no-sync -A trust -U postgres >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -s \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PG_EXTRA_OPTS:-}" start \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
    -c "CREATE ROLE provenance LOGIN CREATEDB PASSWORD 'provenance'" \
    -c "CREATE DATABASE provenance OWNER provenance" >/dev/null
  PG_URL="postgres://provenance:provenance@127.0.0.1:$PG_PORT/provenance"
  export PG_URL PG_DIR PG_PORT
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -s stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
