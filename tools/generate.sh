#!/usr/bin/env bash
# The main job: set up (fresh machine OK) and generate the default dataset into generated_data/ (replacing a previous run).
# Extra arguments go to `ghostload generate`, e.g. `bash tools/generate.sh --num-meters 5000`.
set -euo pipefail
cd "$(dirname "$0")/.."
GHOSTLOAD_EXTRAS=${GHOSTLOAD_EXTRAS:-dev} bash tools/setup_env.sh
exec .venv/bin/ghostload generate --overwrite "$@"
