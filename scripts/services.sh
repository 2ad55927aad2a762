#!/usr/bin/env bash
# PostgreSQL and Redis on this machine, for the tests that need them (integration tests of the
# postgres profile, the lock store, the purge). Installs nothing (.ci/run does, with apt): when
# a service is installed but not running it is started, and the tests' role (DB_USER) is
# created and let in over 127.0.0.1 without a password (a test machine only). When everything
# is already there it only checks, quickly. `make test` runs it before pytest.
#
# Settings (ald/settings.py): DB_HOST DB_PORT DB_USER DB_PASSWORD, REDIS_HOST REDIS_PORT
# REDIS_PASSWORD. Only services at 127.0.0.1/localhost are started or changed, and only as root.
# What cannot be done is printed; the exit status is 0 (the tests that need a missing service
# then fail with one line saying what to do), or 1 with --require (.ci/run).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/settings.sh

require=0
[ "${1:-}" = "--require" ] && require=1
problems=()
is_local() { case "$1" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac; }
is_root() { [ "$(id -u)" = 0 ]; }

# --- PostgreSQL ------------------------------------------------------------------------------
pg_login() {
  env ${DB_PASSWORD:+PGPASSWORD="$DB_PASSWORD"} psql -w -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" \
    -d postgres -Atqc 'select 1' >/dev/null 2>&1
}
as_pg() { runuser -u postgres -- psql -p "$DB_PORT" -d postgres -v ON_ERROR_STOP=1 -Atqc "$1"; }

postgresql_service() {
  local where="PostgreSQL at $DB_HOST:$DB_PORT"
  if ! command -v psql >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1; then
    problems+=("PostgreSQL is not installed (apt-get install postgresql)")
    return
  fi
  pg_login && return 0
  if ! pg_isready -h "$DB_HOST" -p "$DB_PORT" -q 2>/dev/null; then
    if ! is_local "$DB_HOST"; then
      problems+=("$where does not answer (start it there, or set DB_HOST/DB_PORT)")
      return
    elif ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      problems+=("the PostgreSQL server is not installed (apt-get install postgresql)")
      return
    elif ! is_root; then
      problems+=("$where is not running: run scripts/services.sh as root, or start it")
      return
    fi
    local version
    version=$(ls /etc/postgresql | sort -n | tail -1)
    echo "==> starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 30); do pg_isready -h "$DB_HOST" -p "$DB_PORT" -q && break; sleep 1; done
  fi
  pg_login && return 0
  if ! is_local "$DB_HOST" || ! is_root; then
    problems+=("$where refuses role $DB_USER: run scripts/services.sh as root, or set DB_USER/DB_PASSWORD")
    return
  fi
  # On a fresh Debian install: create the role (as the postgres superuser, over the local
  # socket), then let it in over 127.0.0.1 without a password.
  echo "==> PostgreSQL: role $DB_USER for the tests"
  [ "$(as_pg "select 1 from pg_roles where rolname = '$DB_USER'")" = 1 ] \
    || as_pg "create role \"$DB_USER\" login createdb"
  if ! pg_login; then
    local hba
    hba=$(as_pg 'show hba_file')
    sed -i "1i host all $DB_USER 127.0.0.1/32 trust" "$hba"
    as_pg 'select pg_reload_conf()' >/dev/null
    sleep 1
  fi
  pg_login || problems+=("$where still refuses role $DB_USER (see its pg_hba.conf)")
}

# --- Redis -----------------------------------------------------------------------------------
redis_ping() {
  env ${REDIS_PASSWORD:+REDISCLI_AUTH="$REDIS_PASSWORD"} redis-cli -h "$REDIS_HOST" \
    -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG
}

redis_service() {
  local where="Redis at $REDIS_HOST:$REDIS_PORT"
  if ! command -v redis-cli >/dev/null 2>&1; then
    problems+=("Redis is not installed (apt-get install redis-server)")
    return
  fi
  redis_ping && return 0
  if ! is_local "$REDIS_HOST"; then
    problems+=("$where does not answer (start it there, or set REDIS_HOST/REDIS_PORT/REDIS_PASSWORD)")
    return
  elif ! command -v redis-server >/dev/null 2>&1; then
    problems+=("the Redis server is not installed (apt-get install redis-server)")
    return
  elif ! is_root; then
    problems+=("$where is not running: run scripts/services.sh as root, or start it")
    return
  fi
  echo "==> starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 30); do redis_ping && break; sleep 1; done
  redis_ping || problems+=("$where did not start (see /var/log/redis/ci.log)")
}

postgresql_service
redis_service
for p in "${problems[@]}"; do
  echo "services: $p" >&2
done
if [ ${#problems[@]} -gt 0 ] && [ "$require" = 1 ]; then
  exit 1
fi
exit 0
