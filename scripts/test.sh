#!/usr/bin/env bash
# Set up, then run the test suite (pytest: parser units, seed layouts, loader, dbt end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false
.venv/bin/ruff check .
exec .venv/bin/pytest "$@"
