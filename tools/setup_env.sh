#!/usr/bin/env bash
# Create .venv (if missing) and install ghostload_nb with its dev extras. Idempotent; safe on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[${GHOSTLOAD_EXTRAS:-dev}]" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import ghostload_nb" # fail loudly if the install did not work
