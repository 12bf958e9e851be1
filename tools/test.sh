#!/usr/bin/env bash
# The whole test suite: set up (fresh machine OK), then the notebooks (nbdev_test) and pytest (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
bash tools/setup_browser.sh   # chromium + npm assets for the browser tests
export PATH="$PWD/.venv/bin:$PATH" VIRTUAL_ENV="$PWD/.venv"
echo "== nbdev_test"
nbdev_test --n_workers 2
echo "== pytest"
python -m pytest -q "$@"
