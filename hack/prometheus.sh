#!/usr/bin/env bash
# Prometheus and promtool from Debian's `prometheus` package for the observability tests (test/cluster/prometheus.test.ts),
# cached by version in ~/.cache/lws/bin/prometheus-<version> like the other test binaries. When the cache is empty the
# package is installed with apt-get (root; Debian's build serves its classic web UI from /usr/share/prometheus/web,
# which the screenshot in docs/observability.md uses). Prints the directory that holds prometheus and promtool.
set -euo pipefail
VERSION=2.42.0
cache="${XDG_CACHE_HOME:-$HOME/.cache}/lws/bin/prometheus-$VERSION"
if [[ -x $cache/prometheus && -x $cache/promtool && -d /usr/share/prometheus/web ]]; then
  echo "$cache"
  exit 0
fi
installed=$(dpkg-query -W -f='${Version}' prometheus 2>/dev/null || true)
if [[ $installed != "$VERSION"+* ]]; then
  if [[ $(id -u) != 0 ]]; then
    echo "hack/prometheus.sh: Debian's prometheus $VERSION is not installed (found '${installed:-none}'); run as root or: sudo apt-get install prometheus" >&2
    exit 1
  fi
  echo "hack/prometheus.sh: apt-get install prometheus" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >&2
  installed=$(dpkg-query -W -f='${Version}' prometheus)
  if [[ $installed != "$VERSION"+* ]]; then
    echo "hack/prometheus.sh: apt installed prometheus $installed, the tests are written for $VERSION (update VERSION)" >&2
    exit 1
  fi
fi
mkdir -p "$cache.tmp"
cp /usr/bin/prometheus /usr/bin/promtool "$cache.tmp/"
rm -rf "$cache"
mv "$cache.tmp" "$cache"
echo "$cache"
