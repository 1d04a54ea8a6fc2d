"""Checks on the warehouse file and its folder, made before a run changes anything.

The folder beside the warehouse holds its side files: the refresh lock, ``logs/`` (the run
log), ``docs/``, ``export/``, ``dbt_target/`` and the private ``.staging-*`` copies. Two
warehouses in one folder would share (and delete) each other's, so the first refresh claims
the folder for its warehouse in ``.gongkai-warehouse``, and any command given another
warehouse file in that folder is refused (use one folder per warehouse).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from extract.load.duck import open_duckdb
from extract.paths import CLAIM_NAME, WarehousePaths
from extract.run.exits import EXIT_NOT_WRITABLE, EXIT_USAGE, EXIT_WAREHOUSE_UNREADABLE, Refused


def check_writable(db_path: Path) -> None:
    """Refuse (exit 73) a warehouse whose folder cannot be written: a real probe file, not a permission guess."""
    db_path = db_path.resolve()
    if db_path.exists() and not db_path.is_file():
        raise Refused("not_a_warehouse", f"{db_path} is not a file", EXIT_USAGE)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".gongkai-probe-", dir=db_path.parent)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise Refused("not_writable", f"the warehouse folder {db_path.parent} cannot be written "
                      f"({error.strerror or error}): nothing can be built or published there",
                      EXIT_NOT_WRITABLE) from None
    if db_path.exists() and not os.access(db_path, os.W_OK):
        raise Refused("not_writable", f"the warehouse {db_path} is read-only: make it writable to refresh it",
                      EXIT_NOT_WRITABLE)


def check_readable(db_path: Path) -> None:
    """Refuse (exit 65) a warehouse file that DuckDB cannot open; it is never touched."""
    if not db_path.exists():
        return
    try:
        open_duckdb(db_path, read_only=True).close()
    except (duckdb.Error, OSError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Refused("warehouse_unreadable", f"the warehouse {db_path} cannot be opened ({first[:300]}); it was "
                      "left as it is: move it aside or restore a copy, then run gongkai refresh",
                      EXIT_WAREHOUSE_UNREADABLE) from None


def claimed_by(db_path: Path) -> str | None:
    """The warehouse file name that owns this folder's side files, if another one does."""
    claim = WarehousePaths(db_path).claim
    try:
        owner = claim.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if owner and owner != db_path.name and (claim.parent / owner).exists():
        return owner
    return None


def check_claim(db_path: Path) -> None:
    """Refuse (exit 2) a warehouse whose folder belongs to another warehouse file."""
    owner = claimed_by(db_path)
    if owner is not None:
        raise Refused("folder_taken", f"{db_path.resolve().parent} holds the warehouse {owner}, and a folder holds "
                      f"one warehouse (they would share the lock, logs, docs/ and export/): put {db_path.name} in a "
                      "folder of its own", EXIT_USAGE)


def claim(db_path: Path) -> None:
    """Claim the folder for this warehouse (call with the refresh lock held, after :func:`check_claim`)."""
    check_claim(db_path)
    path = WarehousePaths(db_path).claim
    try:
        if path.read_text(encoding="utf-8").strip() == db_path.name:
            return
    except (OSError, UnicodeDecodeError):
        pass
    partial = path.with_name(CLAIM_NAME + ".partial")
    partial.write_text(db_path.name + "\n", encoding="utf-8")
    os.replace(partial, path)
