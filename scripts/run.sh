#!/usr/bin/env bash
# Set up, then build the warehouse from the bundled sample reports (data/reports).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/gongkai refresh "$@"
