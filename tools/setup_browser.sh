#!/usr/bin/env bash
# Browser-test prerequisites (idempotent): Debian chromium at /usr/bin/chromium (apt-get, when missing and we are root;
# never `playwright install`), and the npm copies of the scripts folium maps load from CDNs (node_modules/).
# GHOSTLOAD_CHROMIUM points the tests at another Chromium binary (e.g. google-chrome on a hosted CI runner).
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=${GHOSTLOAD_CHROMIUM:-/usr/bin/chromium}
apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || { echo "setup_browser: cannot install $* (needs root and apt-get)" >&2; return 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
if [ ! -x "$CHROMIUM" ]; then
  echo "setup_browser: installing Debian chromium"
  apt_install chromium || echo "setup_browser: $CHROMIUM missing: browser tests will skip (and fail under CI=true)" >&2
fi
command -v npm >/dev/null || apt_install npm || true
if command -v npm >/dev/null; then .venv/bin/python tools/browser_assets.py install
else echo "setup_browser: npm missing: browser tests will skip (and fail under CI=true)" >&2; fi
