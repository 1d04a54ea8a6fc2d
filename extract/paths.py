"""Where the project's files live (the dbt project root holds the seeds)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_REPORTS = PROJECT_ROOT / "data" / "reports"


def default_db_path() -> Path:
    """The warehouse file: ``$GONGKAI_DB`` or ``warehouse/gongkai.duckdb``."""
    return Path(os.environ.get("GONGKAI_DB", PROJECT_ROOT / "warehouse" / "gongkai.duckdb"))
