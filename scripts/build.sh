#!/usr/bin/env bash
# Compiles apps and libs to dist/ (incremental) and rewrites @joinedup/* imports for Node.
set -euo pipefail
cd "$(dirname "$0")/.."
npx --no-install tsc -p tsconfig.build.json
npx --no-install tsc-alias -p tsconfig.build.json
