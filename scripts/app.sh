#!/usr/bin/env bash
# The README's first command: runs Keyrite on Debian/Ubuntu, as root or as a user with sudo.
# On first use it installs what the app needs (system packages, Node 22, the npm packages); each is
# skipped when already there. Then `npm start` under Node 22. Without a display (a server, a
# container) it runs on a virtual display (xvfb-run) and says so. `bash scripts/app.sh --check` sets
# up, then prints what `npm start` would start, and exits.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ]; then SUDO=(); NODE_DIR=/opt/node22; else SUDO=(sudo); NODE_DIR="$HOME/.local/node22"; fi
PACKAGES=(softhsm2 opensc openssl chromium xvfb ca-certificates python3 make g++ npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# npm comes with Node on many machines: only ask Debian for it when there is none.
if command -v npm >/dev/null; then
  kept=()
  for p in "${missing[@]}"; do [ "$p" = npm ] || kept+=("$p"); done
  missing=("${kept[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "keyrite: installing ${missing[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

bash scripts/install-node22.sh "$NODE_DIR"
export PATH="$NODE_DIR/bin:$PATH"
# Native addons (pkcs11js, usb) build against this Node's own headers: no download from nodejs.org.
export npm_config_nodedir="$NODE_DIR"
[ -d node_modules/pkcs11js ] || npm ci --no-audit --no-fund

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${1:-}" != --check ]; then
  echo "keyrite: no display here (DISPLAY is unset): running on a virtual display (xvfb-run), where no window can be seen."
  echo "keyrite: from a desktop session the same command opens the window."
  exec xvfb-run -a npm start -- "$@"
fi
exec npm start -- "$@"
