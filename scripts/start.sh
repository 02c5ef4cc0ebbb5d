#!/usr/bin/env bash
# `npm start`: installs what is missing, makes PostgreSQL and Redis available, migrates, builds,
# and runs the api and the worker in the foreground. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=1
for arg in "$@"; do [ "$arg" = "--no-demo" ] && demo=0; done

bash scripts/ensure-deps.sh
bash scripts/services.sh up
# A platform admin comes from configuration, never from code: on a first local start, make one with a
# random password in .env (git-ignored) and say where it is.
if [ -z "${BOOTSTRAP_ADMIN_EMAIL:-}" ] && ! grep -qs '^BOOTSTRAP_ADMIN_EMAIL=.' .env; then
  password=$(node -e 'console.log(require("crypto").randomBytes(18).toString("base64url"))')
  printf 'BOOTSTRAP_ADMIN_EMAIL=admin@joinedup.local\nBOOTSTRAP_ADMIN_PASSWORD=%s\n' "$password" >> .env
  echo "start: created a platform admin in .env (admin@joinedup.local)"
fi
# The demo's webhook receiver listens on loopback, which the broker refuses by default (SSRF): allow it
# for local demos only, and say so.
if [ "$demo" = 1 ] && ! grep -qs '^WEBHOOK_ALLOW_HOSTS=' .env; then
  echo 'WEBHOOK_ALLOW_HOSTS=127.0.0.1' >> .env
  echo "start: .env lets webhooks reach 127.0.0.1 (the demo's receiver); remove WEBHOOK_ALLOW_HOSTS in production"
fi
# Request logs at info would bury what the demo prints; LOG_LEVEL in the environment or .env wins.
if [ -z "${LOG_LEVEL:-}" ] && ! grep -qs '^LOG_LEVEL=' .env; then export LOG_LEVEL=warn; fi
echo "start: building"
bash scripts/build.sh
echo "start: migrating"
node dist/scripts/db-setup.js

pids=()
demo_pid=""
cleanup() { trap - INT TERM EXIT; for pid in "${pids[@]}" $demo_pid; do kill "$pid" 2>/dev/null || true; done; wait; }
trap cleanup INT TERM EXIT

node dist/apps/api/src/main.js & pids+=($!)
node dist/apps/worker/src/main.js & pids+=($!)

port="${PORT:-3000}"
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
cat <<MSG

  Joined-up is running.
    api            http://127.0.0.1:$port
    OpenAPI        http://127.0.0.1:$port/docs
    readiness      http://127.0.0.1:$port/health/ready
    worker health  http://127.0.0.1:${WORKER_PORT:-3001}/health/ready
    console        http://127.0.0.1:$port/console
    queues         http://127.0.0.1:$port/admin/queues (platform admin)
    metrics        http://127.0.0.1:${WORKER_PORT:-3001}/metrics
    platform admin $(grep '^BOOTSTRAP_ADMIN_EMAIL=' .env 2>/dev/null | cut -d= -f2) (password in .env)
    onboard an agency and get its first token:
      npm run -s onboard -- --agency northmoor-csc --name "Northmoor Children's Social Care" --sector children-social-care
  Ctrl-C stops both.

MSG
if [ "$demo" = 1 ]; then
  # The demo place goes in through the public API like any agency's data; if it fails, the broker stays up.
  # It keeps a local webhook receiver running, printing what the broker sends, until Ctrl-C.
  mkdir -p .artifacts
  node --import tsx scripts/demo.ts --api "http://127.0.0.1:$port" 2> >(sed -u 's/^/  /' >&2) &
  demo_pid=$!
fi
wait -n "${pids[@]}"
