"""Where the project's files live (the dbt project root holds the seeds)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = PROJECT_ROOT / "seeds"
DEFAULT_REPORTS = PROJECT_ROOT / "data" / "reports"
STAGING_PREFIX = ".staging-"
CLAIM_NAME = ".gongkai-warehouse"


def default_db_path() -> Path:
    """The warehouse file: ``$GONGKAI_DB`` or ``warehouse/gongkai.duckdb``."""
    return Path(os.environ.get("GONGKAI_DB", PROJECT_ROOT / "warehouse" / "gongkai.duckdb"))


@dataclass(frozen=True)
class WarehousePaths:
    """Every file a warehouse keeps beside its DuckDB file, named once.

    ``<folder>/gongkai.duckdb`` is the published warehouse; beside it ``docs/``,
    ``export/`` and ``dbt_target/`` (published with it), ``logs/`` (run log, dbt
    logs, last error, the scan's hash cache), the refresh lock, the folder's ownership claim and the
    ``.staging-<run>`` folders of runs in progress.
    """

    db: Path

    @property
    def folder(self) -> Path:
        return self.db.resolve().parent

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    @property
    def run_log(self) -> Path:
        return self.logs / "refresh_runs.jsonl"

    @property
    def last_error(self) -> Path:
        return self.logs / "last_error.txt"

    @property
    def scan_cache(self) -> Path:
        """The hashes the last folder scan took, by file stat (:mod:`extract.run.hashcache`)."""
        return self.logs / "scan_cache.parquet"

    @property
    def dbt_logs(self) -> Path:
        return self.logs / "dbt"

    @property
    def docs(self) -> Path:
        return self.folder / "docs"

    @property
    def export(self) -> Path:
        return self.folder / "export"

    @property
    def dbt_target(self) -> Path:
        return self.folder / "dbt_target"

    @property
    def lock(self) -> Path:
        return self.folder / ".gongkai-refresh.lock"

    @property
    def claim(self) -> Path:
        return self.folder / CLAIM_NAME

    def staging(self, run_id: str) -> Path:
        """The file a run builds: same name as the published one (dbt-duckdb names the catalog after it)."""
        return self.folder / f"{STAGING_PREFIX}{run_id}" / self.db.name
