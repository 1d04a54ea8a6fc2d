"""Extraction as Parquet shards (the backfill path) builds the same warehouse as a folder refresh."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import REPORTS, SEEDS

from extract.load.shards import SHARD_TABLES, write_shard
from extract.run.refresh import scan_folder

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
SAMPLE = [*SEEDS.values(), "hzq2024_working.pdf", "szfgs2024.pdf"]
CELLS = ("select report_id, table_no, row_key, col_key, value, cell_state, raw_text, page, line_no, read_method, "
         "placement from marts.fct_report_cells order by all")


def _gongkai(*args: str) -> str:
    result = subprocess.run([GONGKAI, *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("shards")
    folder = root / "reports"
    folder.mkdir()
    for name in SAMPLE:
        shutil.copy(REPORTS / name, folder / name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    by_folder = root / "folder" / "gongkai.duckdb"
    _gongkai("refresh", "--reports", str(folder), "--db", str(by_folder), "--workers", "2", "--quiet")
    shards = root / "shards"
    out = _gongkai("shard", "--reports", str(folder), "--out", str(shards), "--batch", "3", "--workers", "2")
    assert "3 shards of 8 files" in out
    by_shards = root / "sharded" / "gongkai.duckdb"
    out = _gongkai("refresh", "--from-shards", str(shards), "--db", str(by_shards), "--quiet")
    assert "8 seen, 8 new" in out and "1 failed" in out
    return folder, shards, by_folder, by_shards


def test_shards_hold_every_raw_table(built):
    _, shards, _, _ = built
    for table in SHARD_TABLES:
        assert len(list((shards / table).glob("*.parquet"))) == 3, table
    cells = duckdb.connect().execute(f"select count(*) from read_parquet('{shards}/cells/*.parquet')").fetchall()[0][0]
    # the 7 reports of the folder refresh: the 5 seed reports (685 cells), 洪泽区 2024 (186) and 淮安市 2024 (200)
    assert cells == 685 + 186 + 200
    assert _query(built[2], "select count(*) from raw.cells")[0][0] == cells


def test_sharded_warehouse_equals_the_folder_refresh(built):
    _, _, by_folder, by_shards = built
    assert _query(by_shards, CELLS) == _query(by_folder, CELLS)
    assert len(_query(by_shards, CELLS)) == 685 + 186 + 200
    reports = ("select report_id, source_path, agency_id, report_year, template_version, quality_status, "
               "failed_identity_checks from marts.dim_reports order by all")
    assert _query(by_shards, reports) == _query(by_folder, reports)
    quality = "select quality_check_id, passed from marts.fct_data_quality order by all"
    assert _query(by_shards, quality) == _query(by_folder, quality)
    errors = "select source_path, error_class, message from marts.fct_load_errors order by all"
    assert _query(by_shards, errors) == _query(by_folder, errors) == [
        ("broken.pdf", "corrupt_pdf", _query(by_folder, errors)[0][2])]


def test_loading_the_same_shards_again_changes_nothing(built):
    _, shards, _, by_shards = built
    before = _query(by_shards, CELLS)
    out = _gongkai("refresh", "--from-shards", str(shards), "--db", str(by_shards), "--quiet")
    assert "8 unchanged" in out and "dbt build: skipped" in out
    assert _query(by_shards, CELLS) == before


def test_a_changed_file_replaces_its_report_and_the_distributed_unit_writes_the_same_rows(built, tmp_path):
    folder, shards, _, by_shards = built
    changed = folder / SEEDS["000"]
    original = changed.read_bytes()
    old_id = _query(by_shards, f"select report_id from marts.dim_reports where source_path = '{SEEDS['000']}'")[0][0]
    changed.write_bytes(original + "\n（补充说明）\n".encode())
    try:
        # write_shard is what a Ray task or a Dask delayed runs: one batch, in its own process.
        jobs = [job for job in scan_folder(folder) if job.rel == SEEDS["000"]]
        write_shard(jobs, shards, "test-run")
        out = _gongkai("refresh", "--from-shards", str(shards), "--db", str(by_shards), "--quiet")
        assert "1 changed" in out and "7 unchanged" in out
        ids = [r[0] for r in _query(by_shards, "select report_id from raw.reports")]
        assert old_id not in ids and len(ids) == len(set(ids)) == 7
        new_id = _query(by_shards, f"select report_id from marts.dim_reports where source_path = '{SEEDS['000']}'")
        assert new_id[0][0] != old_id
        assert _query(by_shards, f"select count(*) from raw.cells where report_id = '{old_id}'")[0][0] == 0
        assert _query(by_shards, f"select count(*) from raw.cells where report_id = '{new_id[0][0]}'")[0][0] > 0
    finally:
        changed.write_bytes(original)


def test_shards_from_another_parser_version_are_skipped_not_loaded(built, tmp_path):
    from extract.load.shards import load_shards
    from extract.load.warehouse import connect

    _, shards, _, _ = built
    old = tmp_path / "old"
    shutil.copytree(shards, old)
    con = duckdb.connect()
    for path in (old / "source_files").glob("*.parquet"):
        con.execute(f"copy (select * replace ('0.9.0' as parser_version) from read_parquet('{path}')) "
                    f"to '{path}.new' (format parquet)")
        Path(f"{path}.new").replace(path)
    con.close()
    warehouse = connect(tmp_path / "gongkai.duckdb")
    try:
        counts = load_shards(warehouse, old)
        assert (counts.files, counts.stale, counts.new, counts.loaded) == (8, 8, 0, 0)
        assert warehouse.execute("select count(*) from raw.cells").fetchone()[0] == 0
        assert warehouse.execute("select count(*) from raw.source_files").fetchone()[0] == 0
    finally:
        warehouse.close()
