#!/usr/bin/env bash
# Set up, then run the benchmark and write bench/RESULTS.md (about 15 minutes on 2 cores).
# Pass --quick for a smoke run at small sizes (written to bench/RESULTS-quick.md instead).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DO_NOT_TRACK=1
exec .venv/bin/python bench/run.py "$@"
