#!/usr/bin/env bash
# Set up, then run the test suite (pytest: parser units, seed layouts, loader, dbt end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false
.venv/bin/ruff check .
# Two processes, one test module each (module fixtures build warehouses); PYTEST_WORKERS=0 for one.
exec .venv/bin/pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
