"""Build in a private folder, publish with renames: analysts never see a half-built warehouse.

A refresh that has something to do (:mod:`extract.run.nochange`) copies the published DuckDB file into
``<warehouse folder>/.staging-<run>/``,
loads and builds there, and only after ``dbt build`` succeeds replaces the published file
with ``os.replace`` (atomic on one filesystem). An open read-only connection keeps reading
the file it opened; the next connection opens the new one. The catalogue, the exports and
the dbt target folder are moved into place right after. A failed or killed refresh leaves
only its staging folder, removed by the next refresh.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from extract.paths import STAGING_PREFIX, WarehousePaths

PUBLISHED_DIRS = ("docs", "export", "dbt_target")


def staging_db_path(db_path: Path, run_id: str) -> Path:
    """The file a run builds: same name as the published one (dbt-duckdb names the catalog after it)."""
    return WarehousePaths(db_path).staging(run_id)


def remove_stale_staging(db_path: Path) -> list[str]:
    """Remove staging folders left by killed runs (call with the refresh lock held)."""
    removed = []
    for folder in WarehousePaths(db_path).folder.glob(f"{STAGING_PREFIX}*"):
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def start_staging(db_path: Path, staging_db: Path) -> None:
    """Begin from a copy of the published warehouse (or from nothing)."""
    staging_db.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        shutil.copyfile(db_path, staging_db)


def publish(staging_db: Path, db_path: Path) -> None:
    """Replace the published warehouse and its folders with the staging ones."""
    target = db_path.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging_db, target)
    staging = staging_db.parent
    for name in PUBLISHED_DIRS:
        new = staging / name
        if not new.exists():
            continue
        current = target.parent / name
        if current.exists():
            os.replace(current, staging / f"{name}.previous")
        os.replace(new, current)
    shutil.rmtree(staging, ignore_errors=True)


def discard(staging_db: Path) -> None:
    shutil.rmtree(staging_db.parent, ignore_errors=True)
