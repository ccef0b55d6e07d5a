#!/usr/bin/env bash
# `npm run image`: the lws-ts container image without Docker, as an OCI archive (default build/lws-ts-v<version>.oci.tar).
#
# The Dockerfile's base image (node:24-bookworm-slim) cannot be pulled here (no registry access), so the same content
# is assembled from what can be fetched: a rootfs of Debian packages (libc6, libgcc-s1, libstdc++6 for node; dash for
# the /manager and lwsctl sh shims), the pinned Node 24 binary from node_modules (the `node` devDependency), the
# production npm dependencies (`npm ci --omit=dev`), and the application compiled to JavaScript (hack/build-js.sh: bin/ config/ src/ package*.json) in /app.
# umoci (Debian) turns the rootfs into an OCI image with the Dockerfile's config (ENTRYPOINT /manager, USER 65532,
# WORKDIR /app, NODE_ENV=production, LWS_GIT_COMMIT/LWS_BUILD_DATE); skopeo (Debian) inspects the archive.
# Debian packages are cached in ~/.cache/lws/image/debs. Needs root for apt-get download/install of umoci and skopeo
# when they are missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$root/package.json")
out=${1:-$root/build/lws-ts-v$version.oci.tar}
tag="v$version"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/lws/image"
debs="$cache/debs"
log() { echo "[image] $*" >&2; }

for tool in umoci skopeo runc; do
  if ! command -v $tool >/dev/null; then
    log "installing $tool (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $tool >&2
  fi
done

work=$(mktemp -d /tmp/lws-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs" "$debs"

# 1. Debian runtime packages (what node and /bin/sh need), extracted into the rootfs.
packages=(libc6 libgcc-s1 libstdc++6 dash)
missing=()
for p in "${packages[@]}"; do compgen -G "$debs/${p}_*.deb" >/dev/null || missing+=("$p"); done
if ((${#missing[@]})); then
  log "apt-get download ${missing[*]}"
  (cd "$debs" && apt-get download "${missing[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2)
fi
for p in "${packages[@]}"; do
  deb=$(ls "$debs/${p}"_*.deb | sort -V | tail -1)
  log "rootfs <- $(basename "$deb")"
  dpkg-deb -x "$deb" "$rootfs"
done
ln -sf dash "$rootfs/bin/sh"
rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/man" "$rootfs/usr/share/lintian" "$rootfs/usr/share/locale"
mkdir -p "$rootfs/etc" "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/home/nonroot"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
chown 65532:65532 "$rootfs/home/nonroot"

# 2. The pinned Node 24 (node_modules/node, the same binary development and tests use).
node_bin=$(readlink -f "$root/node_modules/.bin/node")
"$node_bin" -e 'if (+process.versions.node.split(".")[0] < 24) process.exit(1)' || { log "node_modules has no Node 24: npm ci first"; exit 1; }
install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
log "rootfs <- node $("$node_bin" --version) from node_modules"

# 3. The application with its production dependencies.
app="$rootfs/app"
mkdir -p "$app"
cp "$root/package.json" "$root/package-lock.json" "$app/"
(cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
# Plain JavaScript (hack/build-js.sh), not the .ts sources: Node then never loads its type stripper (≈ 28 MiB less
# resident memory at start, docs/benchmarks.md).
bash "$root/hack/build-js.sh" "$app" >&2
install -m 0755 "$root/hack/image/manager" "$rootfs/manager"
install -D -m 0755 "$root/hack/image/lwsctl" "$rootfs/usr/local/bin/lwsctl"

# 4. The OCI image: one layer from the rootfs, the Dockerfile's configuration.
commit=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
oci="$work/oci"
umoci init --layout "$oci"
umoci new --image "$oci:$tag"
umoci unpack --image "$oci:$tag" "$work/bundle" >/dev/null
rm -rf "$work/bundle/rootfs"
mv "$rootfs" "$work/bundle/rootfs"
umoci repack --image "$oci:$tag" "$work/bundle"
umoci config --image "$oci:$tag" \
  --config.entrypoint /manager --config.user 65532:65532 --config.workingdir /app \
  --config.env NODE_ENV=production --config.env "LWS_GIT_COMMIT=$commit" --config.env "LWS_BUILD_DATE=$date" \
  --config.env PATH=/usr/local/bin:/usr/bin:/bin \
  --config.label "org.opencontainers.image.version=$version" --config.label "org.opencontainers.image.revision=$commit" \
  --author "lws-ts (hack/build-image.sh)" --architecture amd64 --os linux
umoci gc --layout "$oci"
mkdir -p "$(dirname "$out")"
tar -C "$oci" -cf "$out.tmp" . && mv "$out.tmp" "$out"

layer=$(skopeo inspect --raw "oci-archive:$out" | "$node_bin" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).layers.reduce((n,l)=>n+l.size,0)))')
unpacked=$(du -sb "$work/bundle/rootfs" | cut -f1)
log "wrote $out ($(du -b "$out" | cut -f1) bytes; compressed layer $layer bytes; unpacked rootfs $unpacked bytes)"
skopeo inspect --config "oci-archive:$out" | "$node_bin" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const c=JSON.parse(s).config;console.error("[image] config: entrypoint "+JSON.stringify(c.Entrypoint)+" user "+c.User+" workdir "+c.WorkingDir)})'
echo "$out"
