#!/usr/bin/env bash
# Makes PostgreSQL 15+ and Redis 7+ available on loopback for the broker.
#   up      use them where they already answer; else start the installed servers; else install them
#           from Debian packages (apt-get) and start them. Idempotent; prints what it did.
#   down    stops only what `up` started itself
#   status  says what answers
set -euo pipefail
cd "$(dirname "$0")/.."
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
STATE=.artifacts/services
mkdir -p "$STATE"

say() { echo "services: $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else say "need root for: $*"; return 1; fi; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_answers() { port_open "$PG_PORT" && { ! command -v pg_isready >/dev/null || pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }; }
redis_answers() { port_open "$REDIS_PORT" && [ "$(redis_ping)" = PONG ]; }
redis_ping() {
  if command -v redis-cli >/dev/null; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null || true
  else (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && head -c 5 <&3 | tr -d '+\r\n') 2>/dev/null || true; fi
}
wait_for() { for _ in $(seq 1 60); do "$1" && return 0; sleep 0.5; done; return 1; }

apt_install() {
  command -v apt-get >/dev/null || { say "no apt-get here: install $* yourself"; return 1; }
  say "installing $* from Debian packages"
  as_root apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

pg_cluster_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }

postgres_up() {
  if pg_answers; then say "postgresql answers on 127.0.0.1:$PG_PORT (using it)"; return; fi
  if [ -z "$(pg_cluster_version)" ]; then
    apt_install postgresql postgresql-client
    local v; v=$(pg_cluster_version)
    # A cluster we installed ourselves: let the local owner in over loopback without a password,
    # as the development defaults expect (postgres@127.0.0.1). Never done to an existing cluster.
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "/etc/postgresql/$v/main/pg_hba.conf"
    touch "$STATE/postgres.installed"
  fi
  local v; v=$(pg_cluster_version)
  say "starting postgresql $v"
  as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start 2>/dev/null || as_root pg_ctlcluster "$v" main start
  touch "$STATE/postgres.started"
  wait_for pg_answers || { say "postgresql did not come up"; exit 1; }
  say "postgresql answers on 127.0.0.1:$PG_PORT"
}

redis_up() {
  if redis_answers; then say "redis answers on 127.0.0.1:$REDIS_PORT (using it)"; return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$STATE/redis"
  say "starting redis-server on 127.0.0.1:$REDIS_PORT (AOF on, noeviction)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$PWD/$STATE/redis" \
    --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
    --pidfile "$PWD/$STATE/redis/redis.pid" --logfile "$PWD/$STATE/redis/redis.log"
  touch "$STATE/redis.started"
  wait_for redis_answers || { say "redis did not come up"; exit 1; }
  say "redis answers on 127.0.0.1:$REDIS_PORT"
}

down() {
  if [ -f "$STATE/redis.started" ]; then
    say "stopping the redis-server this script started"
    kill "$(cat "$STATE/redis/redis.pid")" 2>/dev/null || true
    rm -f "$STATE/redis.started"
  fi
  if [ -f "$STATE/postgres.started" ]; then
    say "stopping the postgresql cluster this script started"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(pg_cluster_version)" main stop 2>/dev/null || true
    rm -f "$STATE/postgres.started"
  fi
  say "down (services that were already running are left alone)"
}

status() {
  if pg_answers; then say "postgresql: up on 127.0.0.1:$PG_PORT"; else say "postgresql: down"; fi
  if redis_answers; then say "redis: up on 127.0.0.1:$REDIS_PORT"; else say "redis: down"; fi
}

case "${1:-status}" in
  up) postgres_up; redis_up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
