"""A published warehouse to make mistakes against, and how to compare it with a clean build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
from conftest import REPORTS, SEEDS

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
GOOD = ("001", "002", "003")


def checksum(db: Path) -> tuple:
    """dim_reports and fct_report_cells, as a clean build would have them."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (con.execute("select count(*), sum(hash(report_id, report_status, agency_name, report_year, "
                            "is_primary, quality_status)) from marts.dim_reports").fetchone(),
                con.execute("select count(*), sum(hash(cell_id, value, cell_state, raw_text)) "
                            "from marts.fct_report_cells").fetchone())
    finally:
        con.close()


def refresh_cli(folder: Path, db: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db), "--json", *args],
                          capture_output=True, text=True, check=False, timeout=600,
                          env={**os.environ, "GONGKAI_OCR": "0", **(env or {})})


def summary_of(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return json.loads(result.stdout)


def build_baseline(tmp_path_factory) -> tuple[Path, tuple]:
    """A published warehouse of three seed reports, and its checksum (the clean build)."""
    root = tmp_path_factory.mktemp("baseline")
    folder = root / "reports"
    folder.mkdir()
    for seed in GOOD:
        shutil.copy(REPORTS / SEEDS[seed], folder / SEEDS[seed])
    db = root / "warehouse" / "gongkai.duckdb"
    summary_of(refresh_cli(folder, db))
    return root, checksum(db)


def copy_site(baseline, tmp_path: Path) -> tuple[Path, Path, tuple]:
    root, clean = baseline
    shutil.copytree(root, tmp_path / "site", symlinks=True)
    return tmp_path / "site" / "reports", tmp_path / "site" / "warehouse" / "gongkai.duckdb", clean


MART_QUERIES = {
    "cells": "select report_id, table_no, row_key, col_key, value, cell_state, raw_text, page, line_no, read_method, "
             "placement from marts.fct_report_cells order by all",
    "reports": "select report_id, source_path, agency_id, report_year, template_version, quality_status, "
               "failed_identity_checks from marts.dim_reports order by all",
    "quality": "select quality_check_id, passed from marts.fct_data_quality order by all",
    "errors": "select source_path, error_class, message from marts.fct_load_errors order by all",
}


def marts_of(db: Path) -> dict[str, list[tuple]]:
    """What two builds of the same reports must agree on: cells, reports, quality checks, load errors."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in MART_QUERIES.items()}
    finally:
        con.close()
