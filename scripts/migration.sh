#!/usr/bin/env bash
# Migrations through TypeORM's CLI and the one data source (libs/persistence/src/data-source.ts).
#   generate <VerbNoun>  diff entities against the migrated database and write a migration
#   run                  create database and app role when missing, run pending migrations, grant
#   revert               undo the last migration
#   check                fail when entities and migrations disagree (drift)
set -euo pipefail
cd "$(dirname "$0")/.."
ds=libs/persistence/src/data-source.ts
typeorm() { npx --no-install tsx node_modules/typeorm/cli.js "$@"; }
case "${1:-}" in
  generate)
    name="${2:?usage: migration.sh generate <VerbNoun>}"
    npx --no-install tsx scripts/db-setup.ts >/dev/null
    typeorm migration:generate -p -d "$ds" "libs/persistence/src/migrations/$name"
    node scripts/index-migrations.mjs ;;
  run) npx --no-install tsx scripts/db-setup.ts ;;
  revert) typeorm migration:revert -d "$ds" ;;
  check) npx --no-install tsx scripts/db-setup.ts >/dev/null && typeorm migration:generate --check -d "$ds" drift-check ;;
  *) echo "usage: $0 generate <Name> | run | revert | check" >&2; exit 2 ;;
esac
