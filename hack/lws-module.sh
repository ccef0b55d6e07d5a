# Sourced by hack/golden/generate.sh and hack/differential/build.sh (src/tooling/conformance/build.ts does the same in TS).
#
# ensure_lws_module TMPDIR: makes sigs.k8s.io/lws@v0.10.0 available to `go build` in the current module. Where the
# module proxy will not serve that zip, LWS_GIT must point at a git clone of kubernetes-sigs/lws: the module is
# rebuilt from tag v0.10.0 with hack/golden/mkzip into a throwaway file proxy under TMPDIR (GOPROXY is exported),
# and go.sum still checks that it is byte-for-byte the published module.
LWS_MODULE_VERSION=v0.10.0
LWS_MODULE_TAG_TIME=2026-08-11T15:55:19Z

ensure_lws_module() {
  local tmp="$1" hack
  hack="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  if go mod download "sigs.k8s.io/lws@$LWS_MODULE_VERSION" 2>/dev/null; then return 0; fi
  if [ -z "${LWS_GIT:-}" ]; then
    echo "cannot download sigs.k8s.io/lws@$LWS_MODULE_VERSION; set LWS_GIT to a git clone of kubernetes-sigs/lws" >&2
    return 1
  fi
  mkdir -p "$tmp/src"
  # site/ is a nested module (never part of the module zip); skipping it also tolerates
  # partial clones that lack its large images.
  git -C "$LWS_GIT" archive "$LWS_MODULE_VERSION" -- . ':(exclude)site' | tar -x -C "$tmp/src"
  (cd "$hack/golden" && go run ./mkzip "$tmp/src" "$LWS_MODULE_VERSION" "$LWS_MODULE_TAG_TIME" "$tmp/proxy")
  echo "$LWS_MODULE_VERSION" >"$tmp/proxy/sigs.k8s.io/lws/@v/list"
  GOPROXY="file://$tmp/proxy,$(go env GOPROXY)"
  export GOPROXY
  go mod download "sigs.k8s.io/lws@$LWS_MODULE_VERSION"
}
