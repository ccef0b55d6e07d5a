#!/usr/bin/env bash
# Runs before `npm test` and `npm run demo` (npm's pre-scripts), so that the README's two commands are all the set-up
# a fresh clone needs: installs the npm dependencies — Node 24 itself among them, through the `node` package — when
# node_modules is missing or older than package-lock.json, then checks the pinned Node before anything long starts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ ! -x node_modules/.bin/node ]; then
  echo "[bootstrap] installing npm dependencies (npm ci) ..." >&2
  t0=$SECONDS
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch "$stamp"
  echo "[bootstrap] npm dependencies ready in $((SECONDS - t0))s" >&2
fi

version=$(node_modules/.bin/node --version)
major=${version#v}
major=${major%%.*}
if [ "$major" -lt 24 ]; then
  echo "[bootstrap] error: node_modules/.bin/node is $version; Node 24 LTS is required (package.json pins it)" >&2
  echo "[bootstrap] hint: rm -rf node_modules && npm ci" >&2
  exit 1
fi
