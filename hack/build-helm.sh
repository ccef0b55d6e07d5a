#!/usr/bin/env bash
# Builds helm (helm.sh/helm/v3/cmd/helm) from the Go module proxy into a cache directory keyed by its version, the
# same way hack/build-testbin.sh builds kwok. Skips the build when the binary is already there.
#
#   hack/build-helm.sh               build (or reuse) and print the path of the helm binary
#   LWS_HELM_DIR=/path ...           override the output directory
#
# Go is only a build tool here; helm is only used by test/cluster/manifests.test.ts to render charts/lws-operator.
set -euo pipefail

HELM_VERSION=v3.22.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${LWS_HELM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lws/bin/helm-$HELM_VERSION}

log() { printf '[helm] %s\n' "$*" >&2; }

if [ -x "$out/helm" ]; then
  echo "$out/helm"
  exit 0
fi

[ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
  log "error: the Go toolchain is not installed (needed once to build helm $HELM_VERSION)"
  log "hint: install Go >= 1.26 (e.g. /usr/local/go/bin on PATH), then run: bash hack/build-helm.sh"
  exit 3
fi

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
mkdir -p "$out"
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# helm's own Makefile stamps its version and the Kubernetes version of its client libraries (the default
# `.Capabilities.KubeVersion` of `helm template`); the wrapper module pins the same libraries as helm's go.mod.
k8s_minor=$(sed -n 's/^[[:space:]]*k8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$here/testbin/helm/go.mod")
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
  ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=${k8s_minor:-37}"
done

t0=$SECONDS
log "building helm $HELM_VERSION from helm.sh/helm/v3/cmd/helm (the first build takes minutes)"
if ! (cd "$here/testbin/helm" && go build -trimpath -ldflags "$ldflags" -o "$tmp/helm" helm.sh/helm/v3/cmd/helm); then
  log "error: go build of helm failed (module hack/testbin/helm)"
  log "hint: check 'go version' (>= 1.26) and that the Go module proxy is reachable; rerun: bash hack/build-helm.sh"
  exit 4
fi
mv "$tmp/helm" "$out/helm"
log "built helm in $((SECONDS - t0))s ($(du -h "$out/helm" | cut -f1))"
echo "$out/helm"
