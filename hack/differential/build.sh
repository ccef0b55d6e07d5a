#!/usr/bin/env bash
# Builds the differential-test oracle (upstream's webhooks, sigs.k8s.io/lws v0.10.0) into $1 and prints the
# path of upstream's LeaderWorkerSet CRD, which the oracle takes as -crd.
#
# Needs Go (the local toolchain; go.mod pins the modules and go.sum verifies them). Where the module proxy
# will not serve the sigs.k8s.io/lws@v0.10.0 zip, point LWS_GIT at a git clone of kubernetes-sigs/lws: the
# module is then rebuilt from tag v0.10.0 with hack/golden/mkzip into a throwaway file proxy, and go.sum
# still checks that it is byte-for-byte the published module.
set -euo pipefail
out="${1:?usage: build.sh <output binary>}"
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=../lws-module.sh
source "$here/../lws-module.sh"
ensure_lws_module "$tmp"

go build -o "$out" .
echo "$(go list -m -f '{{.Dir}}' sigs.k8s.io/lws)/config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml"
