#!/usr/bin/env bash
# The application as plain JavaScript: `tsc -p tsconfig.build.json` (types erased, `.ts` import specifiers
# rewritten to `.js`) into OUT (default build/js), with the same layout as the checkout (bin/, src/, config/,
# package.json), so code that finds files relative to its own module (the CRDs in config/) works unchanged.
# Why: running .ts makes Node load its type stripper (amaro, WebAssembly), ≈ 17 MiB of resident memory that a
# controller does not need; the container image and `npm run bench` run this output (docs/benchmarks.md).
# Node resolves packages from OUT/node_modules: the image installs its own; elsewhere it links the checkout's.
# The bundle step needs src/tooling/packaging/bundle.ts and esbuild (a devDependency) from the checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/build/js}" && cd "${1:-$root/build/js}" && pwd)
tsc="$root/node_modules/.bin/tsc"
[[ -x $tsc ]] || { echo "build-js: $tsc missing (npm ci first)" >&2; exit 1; }
rm -rf "$out/bin" "$out/src" "$out/config"
"$tsc" -p "$root/tsconfig.build.json" --outDir "$out"
cp -r "$root/config" "$out/config"
cp "$root/package.json" "$out/package.json"
if [[ ! -e $out/node_modules && $out != "$root" ]]; then ln -s "$root/node_modules" "$out/node_modules"; fi
# Then a bundle of it (src/tooling/packaging/bundle.ts): bin/lwsctl.js loads bundled/main.js, a few files instead
# of ≈ 580 modules (11 MiB less resident memory, half the import time). src/ stays for reference and tests.
node="$root/node_modules/.bin/node"
[[ -x $node ]] && "$node" --version >/dev/null 2>&1 || node=node # the image's compile stage: the base image's Node 24
"$node" "$root/src/tooling/packaging/bundle.ts" "$out"
echo "build-js: $out" >&2
