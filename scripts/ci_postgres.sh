#!/usr/bin/env bash
# Start a throwaway PostgreSQL + PostGIS server for the store tests and print its URL.
#
#   export GEO_TEST_POSTGRES_URL="$(scripts/ci_postgres.sh)"   # empty when no server
#   scripts/ci_postgres.sh stop                                 # stop it again
#
# When root and PostgreSQL or PostGIS is missing, installs them from Debian packages
# (apt-get, --no-install-recommends). The server runs as the postgres user (or as the
# caller when not root) from a fresh data folder under /tmp, on a free localhost port,
# with fsync off (test data only). A database `geo_test` with the postgis extension is
# created and `postgresql://USER@localhost:PORT/geo_test` is printed on stdout.
# Everything else goes to stderr. When no server can be started the script says why
# and exits 0 with nothing on stdout, so the PostgreSQL tests skip with that reason.
set -u

STATE=/tmp/geo_ci_postgres.dir
log() { echo "ci_postgres: $*" >&2; }

as_owner() {  # run a command as the server's owner
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_pgbin() {
    PGBIN=""
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && PGBIN="$d"
    done
    PGVER=""
    [ -n "$PGBIN" ] && PGVER="$(basename "$(dirname "$PGBIN")")"
}

have_postgis() {
    [ -n "$PGVER" ] && [ -f "/usr/share/postgresql/$PGVER/extension/postgis.control" ]
}

apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
        >/tmp/geo_ci_postgres.apt.log 2>&1 && return 0
    log "apt-get install $* failed; updating the package lists and retrying"
    apt-get update -q >>/tmp/geo_ci_postgres.apt.log 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
        >>/tmp/geo_ci_postgres.apt.log 2>&1
}

if [ "${1:-}" = "stop" ]; then
    find_pgbin
    if [ -f "$STATE" ] && [ -n "$PGBIN" ]; then
        data="$(cat "$STATE")"
        as_owner "$PGBIN/pg_ctl" -D "$data" -m fast stop >&2 || true
        rm -rf "$data" "$data.initdb.log" "$STATE"
        log "stopped and removed $data"
    else
        log "no server started by this script"
    fi
    exit 0
fi

find_pgbin
if [ -z "$PGBIN" ] || ! have_postgis; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        log "PostgreSQL/PostGIS not installed and cannot install (needs root and apt-get);" \
            "PostgreSQL store tests will be skipped"
        exit 0
    fi
    if [ -z "$PGBIN" ]; then
        log "installing PostgreSQL from Debian packages"
        apt_install postgresql || { log "could not install postgresql (see /tmp/geo_ci_postgres.apt.log)"; exit 0; }
        find_pgbin
    fi
    if [ -n "$PGVER" ] && ! have_postgis; then
        log "installing PostGIS for PostgreSQL $PGVER from Debian packages"
        apt_install "postgresql-$PGVER-postgis-3" \
            || { log "could not install postgresql-$PGVER-postgis-3 (see /tmp/geo_ci_postgres.apt.log)"; exit 0; }
    fi
fi
if [ -z "$PGBIN" ] || ! have_postgis; then
    log "PostgreSQL with PostGIS is still not available; PostgreSQL store tests will be skipped"
    exit 0
fi
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    log "no postgres user to run the server as; PostgreSQL store tests will be skipped"
    exit 0
fi

data="$(mktemp -d /tmp/geo_ci_postgres.XXXXXX)"
[ "$(id -u)" = 0 ] && chown postgres: "$data"
chmod 700 "$data"
user="$(if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

if ! as_owner "$PGBIN/initdb" -D "$data" -U "$user" -A trust -E UTF8 --no-sync >"$data.initdb.log" 2>&1; then
    log "initdb failed (see $data.initdb.log); PostgreSQL store tests will be skipped"
    exit 0
fi
if ! as_owner "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $data -c listen_addresses=localhost -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >&2; then
    log "the server did not start (see $data/server.log); PostgreSQL store tests will be skipped"
    exit 0
fi
echo "$data" >"$STATE"
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h localhost -p "$port" -U "$user" "$@" >&2; }
if ! psql_ -d postgres -c "CREATE DATABASE geo_test" \
        || ! psql_ -d geo_test -c "CREATE EXTENSION IF NOT EXISTS postgis"; then
    log "could not create the database with PostGIS; PostgreSQL store tests will be skipped"
    exit 0
fi
log "PostgreSQL $PGVER + PostGIS on localhost:$port (data $data; stop: $0 stop)"
echo "postgresql://$user@localhost:$port/geo_test"
