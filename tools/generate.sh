#!/usr/bin/env bash
# The main job: set up (fresh machine OK) and generate the default dataset into generated_data/ (replacing a previous run).
# Installs only what generating needs (`pip install -e .` into .venv; no notebook, test or docs tools).
# Extra arguments go to `ghostload generate`, e.g. `bash tools/generate.sh --num-meters 5000`.
set -euo pipefail
cd "$(dirname "$0")/.."
GHOSTLOAD_EXTRAS=${GHOSTLOAD_EXTRAS-} bash tools/setup_env.sh
exec .venv/bin/ghostload generate --overwrite "$@"
