#!/usr/bin/env bash
# Builds upstream's LeaderWorkerSet manager (sigs.k8s.io/lws/cmd at v0.10.0) into $1 for `npm run bench`.
# Same module fallback as the conformance build: where the proxy refuses the zip, LWS_GIT=<clone of
# kubernetes-sigs/lws> rebuilds the module from the tag (hack/golden/mkzip) and go.sum verifies it.
set -euo pipefail
out="${1:?usage: build.sh <output binary>}"
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=../lws-module.sh
source "$here/../lws-module.sh"
ensure_lws_module "$tmp"

go build -trimpath -o "$out.tmp" sigs.k8s.io/lws/cmd
mv "$out.tmp" "$out"
