#!/usr/bin/env bash
# `npm test`: everything, on real PostgreSQL and Redis. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh up
mkdir -p .artifacts
echo "test: type-checking (strict, tests included)"
npx --no-install tsc --noEmit -p tsconfig.json
echo "test: lint"
npx --no-install eslint --max-warnings=0 apps libs test scripts
echo "test: Chromium for the console's browser tests (Debian's package; installed when missing)"
bash scripts/chromium.sh >/dev/null
echo "test: build (reliability tests run the worker as its own process, from dist/)"
bash scripts/build.sh
echo "test: migration drift check"
bash scripts/migration.sh check
echo "test: jest (unit, int, e2e)"
set +e
NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}" npx --no-install jest --ci --maxWorkers=2 \
  --json --outputFile=.artifacts/jest-results.json "$@"
rc=$?
set -e
node -e 'const r=require("./.artifacts/jest-results.json"); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' || true
exit $rc
