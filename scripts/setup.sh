#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install gongkai with its test tools. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.gongkai-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    # constraints.txt pins every package to the versions the tests passed with; the tests need every
    # extra (cluster: the Dask engine of gongkai shard). A user's install needs none: pip install -e .
    .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[dev,ocr,cluster]'
    touch "$stamp"
fi
