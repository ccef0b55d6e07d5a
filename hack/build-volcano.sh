#!/usr/bin/env bash
# Builds Volcano's scheduler and controller manager (vc-scheduler, vc-controller-manager)
# from Go modules into a cache directory keyed by the Volcano version, and copies Volcano's
# CRDs (scheduling.volcano.sh PodGroups and Queues, ...) out of the module beside them.
# Skips everything already there.
#
#   hack/build-volcano.sh            build (or reuse) and print the directory
#   LWS_VOLCANO_DIR=/path ...        override the output directory
#
# Output layout:
#   vc-scheduler vc-controller-manager      the binaries
#   scheduler.conf                          a minimal scheduler config with the gang plugin
#   crd/*.yaml                              Volcano's CRDs (apiextensions.k8s.io/v1)
#
# Running them against a local cluster (no webhook needed; the scheduler creates the
# "default" queue, the queue-controller opens it):
#   kubectl apply --server-side -f DIR/crd/      (jobs CRD is too big for client-side apply)
#   DIR/vc-controller-manager --kubeconfig=KC --leader-elect=false --scheduler-name=volcano \
#     --controllers=pg-controller,queue-controller --enable-healthz --healthz-address=127.0.0.1:11251
#   DIR/vc-scheduler --kubeconfig=KC --leader-elect=false --scheduler-name=volcano \
#     --scheduler-conf=DIR/scheduler.conf --schedule-period=1s --cache-dumper=false \
#     --listen-address=127.0.0.1:18080 --enable-healthz --healthz-address=127.0.0.1:11252
#
# Version: volcano.sh/volcano v1.10.0 is the only release of that module the Go module
# proxy serves here (v1.11.x, v1.12.x, v1.13.x answer 403). Its PodGroup v1beta1 API
# (minMember, minResources, queue) is what upstream LWS v0.10.0 writes (it builds against
# volcano.sh/apis v1.12.1, which changed nothing in those fields).
#
# Go is only a build tool here: none of these binaries is part of the product.
set -euo pipefail

VOLCANO_VERSION=v1.10.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${LWS_VOLCANO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lws/bin/volcano-$VOLCANO_VERSION}
binaries=(vc-scheduler vc-controller-manager)
crds=(
  scheduling.volcano.sh_podgroups.yaml
  scheduling.volcano.sh_queues.yaml
  batch.volcano.sh_jobs.yaml
  bus.volcano.sh_commands.yaml
  nodeinfo.volcano.sh_numatopologies.yaml
)

log() { printf '[volcano] %s\n' "$*" >&2; }

missing=()
for b in "${binaries[@]}"; do [ -x "$out/$b" ] || missing+=("$b"); done
for c in "${crds[@]}"; do [ -s "$out/crd/$c" ] || missing+=("crd/$c"); done
[ -s "$out/scheduler.conf" ] || missing+=(scheduler.conf)
if [ ${#missing[@]} -eq 0 ]; then
  echo "$out"
  exit 0
fi

[ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
  log "error: the Go toolchain is not installed (needed once to build ${missing[*]})"
  log "hint: install Go >= 1.26 (e.g. /usr/local/go/bin on PATH), then rerun: hack/build-volcano.sh"
  exit 3
fi

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
mkdir -p "$out/crd"
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
moddir=$here/testbin/volcano
start_all=$SECONDS

# The CRDs ship inside the volcano.sh/volcano module zip (config/crd/volcano/bases).
src=$(cd "$moddir" && go mod download -json "volcano.sh/volcano@$VOLCANO_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') || true
if [ -z "$src" ] || [ ! -d "$src/config/crd/volcano/bases" ]; then
  log "error: could not download volcano.sh/volcano@$VOLCANO_VERSION (or it has no config/crd/volcano/bases)"
  log "hint: check that the Go module proxy is reachable: (cd hack/testbin/volcano && go mod download -json volcano.sh/volcano@$VOLCANO_VERSION)"
  exit 4
fi
for c in "${crds[@]}"; do
  [ -s "$out/crd/$c" ] && continue
  install -m 0644 "$src/config/crd/volcano/bases/$c" "$out/crd/$c"
done
[ -s "$out/scheduler.conf" ] || install -m 0644 "$moddir/scheduler.conf" "$out/scheduler.conf"

ldflags="-s -w -X volcano.sh/volcano/pkg/version.Version=$VOLCANO_VERSION"
ldflags+=" -X volcano.sh/volcano/pkg/version.GitSHA=0000000000000000000000000000000000000000"
ldflags+=" -X volcano.sh/volcano/pkg/version.Built=1970-01-01T00:00:00Z"

build() { # build NAME PACKAGE
  local name=$1 pkg=$2
  [ -x "$out/$name" ] && return 0
  local t0=$SECONDS
  log "building $name from $pkg (first build takes minutes; elapsed so far $((SECONDS - start_all))s)"
  if ! (cd "$moddir" && go build -trimpath -ldflags "$ldflags" -o "$tmp/$name" "$pkg"); then
    log "error: go build of $name failed (module hack/testbin/volcano, package $pkg)"
    log "hint: check 'go version' (>= 1.26) and that the Go module proxy is reachable; rerun: hack/build-volcano.sh"
    exit 4
  fi
  mv "$tmp/$name" "$out/$name"
  log "built $name in $((SECONDS - t0))s ($(du -h "$out/$name" | cut -f1))"
}

build vc-scheduler volcano.sh/volcano/cmd/scheduler
build vc-controller-manager volcano.sh/volcano/cmd/controller-manager

log "volcano $VOLCANO_VERSION ready in $out ($((SECONDS - start_all))s)"
echo "$out"
