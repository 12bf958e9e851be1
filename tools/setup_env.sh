#!/usr/bin/env bash
# Create .venv (if missing) and install ghostload_nb into it. Idempotent; safe on a fresh machine.
# GHOSTLOAD_EXTRAS picks the extras: `dev` (the default: notebooks, tests, docs), `dask`, or empty for the package alone.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
EXTRAS=${GHOSTLOAD_EXTRAS-dev}
SPEC=.
[ -z "$EXTRAS" ] || SPEC=".[$EXTRAS]"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$SPEC" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import ghostload_nb" # fail loudly if the install did not work
