"""Shared fixtures: the bundled sample reports and a parsed-cells lookup."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

from extract.parse.model import ExtractedReport
from extract.parse.report import extract_report

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))  # bench/render/: the fixture renderer, shared with the benchmark
REPORTS = ROOT / "data" / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GONGKAI = str(Path(sys.executable).with_name("gongkai"))
SEEDS = {
    "000": "000_35face73a1b4546e.txt",
    "001": "001_1ae01b05c688c105.txt",
    "002": "002_ef120c27ccfc7a4f.txt",
    "003": "003_e5073c7643a491e0.txt",
    "004": "004_e6a0e857df18b998.txt",
}


def parse(path: Path) -> ExtractedReport:
    return extract_report(path.read_bytes(), path.name)


def cell_map(report: ExtractedReport) -> dict[tuple[int, str, str], tuple[Decimal | None, str]]:
    """(table_no, row_key, col_key) → (value, cell_state)."""
    return {(c.table_no, c.row_key, c.col_key): (c.value, c.cell_state) for c in report.cells}


@pytest.fixture(scope="session")
def seed_reports() -> dict[str, ExtractedReport]:
    return {seed: parse(REPORTS / name) for seed, name in SEEDS.items()}


class SampleWarehouse(NamedTuple):
    """A warehouse built by ``gongkai refresh`` (a real subprocess, not a TTY) from the five seed reports
    and one empty file; ``refresh`` is that run's completed process."""

    folder: Path
    db: Path
    refresh: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> SampleWarehouse:
    """Built once per session; tests that change it work on a copy."""
    root = tmp_path_factory.mktemp("sample")
    folder = root / "reports"
    folder.mkdir()
    for name in SEEDS.values():
        shutil.copy(REPORTS / name, folder / name)
    (folder / "broken.txt").write_bytes(b"")
    db = root / "warehouse" / "gongkai.duckdb"
    result = subprocess.run([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db), "--workers", "2"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return SampleWarehouse(folder, db, result)
