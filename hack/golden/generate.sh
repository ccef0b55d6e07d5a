#!/usr/bin/env bash
# Regenerates what the TS revision code takes from upstream Go:
#   src/lws/api/go-types.json         the field table the serializer runs on (product data)
#   test/golden/revision-keys.json     upstream's patch, key and ControllerRevision per input
#   test/golden/quantity-vectors.json  upstream's JSON form of each quantity string
#   test/golden/ds-revision-keys.json  upstream's DisaggregatedSet ComputeRevision (and hashed bytes) per input
#   test/golden/podgroup-vectors.json  upstream's Volcano provider: pod annotations and the PodGroup it creates
# from test/golden/revision-inputs.json, test/golden/quantity-inputs.json, test/golden/ds-revision-inputs.json
# and test/golden/podgroup-inputs.json.
#
# Needs Go (the local toolchain; go.mod pins sigs.k8s.io/lws v0.10.0 and go.sum verifies it).
# Where the module proxy will not serve that zip, point LWS_GIT at a git clone of
# kubernetes-sigs/lws: the module is then rebuilt from tag v0.10.0 into a throwaway file proxy,
# and go.sum still checks it is byte-for-byte the published module.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=../lws-module.sh
source "$here/../lws-module.sh"
ensure_lws_module "$tmp"

go build -o "$tmp/golden" .
"$tmp/golden" schema >"$root/src/lws/api/go-types.json"
"$tmp/golden" revisions <"$root/test/golden/revision-inputs.json" >"$root/test/golden/revision-keys.json"
"$tmp/golden" quantities <"$root/test/golden/quantity-inputs.json" >"$root/test/golden/quantity-vectors.json"
"$tmp/golden" dsrevisions <"$root/test/golden/ds-revision-inputs.json" >"$root/test/golden/ds-revision-keys.json"
"$tmp/golden" podgroups <"$root/test/golden/podgroup-inputs.json" >"$root/test/golden/podgroup-vectors.json"
# The schema ships inside src/, which `npm run lint` checks with prettier.
(cd "$root" && npx prettier --write --log-level warn src/lws/api/go-types.json)
echo "regenerated go-types.json, revision-keys.json, quantity-vectors.json, ds-revision-keys.json, podgroup-vectors.json"
