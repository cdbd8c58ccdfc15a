#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the tests that need one and prints
#   PLANWISE_TEST_POSTGRES_DSN=postgres://...
# on its last line of standard output. Idempotent: a server already running from an
# earlier call is reused. Installs Debian's postgresql when its binaries are missing
# (root only). PostgreSQL refuses to run as root, so the cluster belongs to the
# "postgres" system user (created by the package).
#
# Environment:
#   PLANWISE_PG_PORT  loopback port (default 25432: below Linux's ephemeral range,
#                     32768-60999, where a test's outgoing connection could hold it)
#   PLANWISE_PG_DIR   data directory parent (default /tmp/planwise-pg)
#   PLANWISE_PG_STOP=1  stop the server and remove the data directory instead
set -euo pipefail

port="${PLANWISE_PG_PORT:-25432}"
base="${PLANWISE_PG_DIR:-/tmp/planwise-pg}"
data="$base/data"
db=planwise_test

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

bindir=$(find_bin || true)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and this is not root: cannot install it"; exit 1
  fi
  log "installing Debian's postgresql"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bindir=$(find_bin)
fi

# as runs a command as the cluster's owner: postgres when we are root, else ourselves.
as() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

if [ "${PLANWISE_PG_STOP:-}" = 1 ]; then
  if [ -f "$data/PG_VERSION" ]; then
    as "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$base"
  log "stopped and removed $base"
  exit 0
fi

mkdir -p "$base"
if [ "$(id -u)" = 0 ]; then chown postgres: "$base"; fi

if [ ! -f "$data/PG_VERSION" ]; then
  log "initdb $data"
  as "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$base'
max_connections = 200
fsync = on
synchronous_commit = on
CONF
fi

if ! as "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  log "starting on 127.0.0.1:$port"
  # The port is given on the command line too, so a data directory an earlier version
  # of this script made with another port follows the current one. A start that fails
  # (the port briefly held) is tried once more.
  if ! as "$bindir/pg_ctl" -D "$data" -l "$base/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
    log "start failed; the server log ends:"; tail -n 5 "$base/server.log" >&2 || true
    sleep 3
    as "$bindir/pg_ctl" -D "$data" -l "$base/server.log" -o "-p $port" -w -t 60 start >/dev/null
  fi
fi

if ! as "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  as "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
fi

echo "PLANWISE_TEST_POSTGRES_DSN=postgres://postgres@127.0.0.1:$port/$db?sslmode=disable"
