"""Extraction as Parquet shards (the backfill path) builds the same warehouse as a folder refresh."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import REPORTS, SEEDS
from sites import marts_of

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
    assert "3 shards written, 0 already complete, 0 failed (3 batches of 8 files)" in out
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
    marts = marts_of(by_folder)
    assert marts_of(by_shards) == marts
    assert len(marts["cells"]) == 685 + 186 + 200
    assert [row[:2] for row in marts["errors"]] == [("broken.pdf", "corrupt_pdf")]


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


def test_a_rerun_writes_only_missing_shards_and_an_incomplete_shard_is_not_loaded(built, tmp_path):
    from extract.load.shards import complete_shards, load_shards, plan_batches
    from extract.load.warehouse import connect

    folder, shards, _, _ = built
    again = tmp_path / "shards"
    shutil.copytree(shards, again)
    names = sorted(complete_shards(again))
    # a writer killed between its renames: every table but source_files (renamed last) is in place
    cut = plan_batches(scan_folder(folder), 3)[0].name  # the seeds 000 to 002
    (again / "source_files" / f"{cut}.parquet").unlink()
    warehouse = connect(tmp_path / "gongkai.duckdb")
    try:
        counts = load_shards(warehouse, again)
        loaded = {row[0] for row in warehouse.execute("select source_path from raw.source_files").fetchall()}
        assert counts.incomplete == 1
        assert counts.files == len(loaded) and {SEEDS["001"], SEEDS["002"], "broken.pdf"} & loaded == {"broken.pdf"}
        assert warehouse.execute("select count(*) from raw.reports where report_id not in "
                                 "(select report_id from raw.source_files)").fetchone()[0] == 0
    finally:
        warehouse.close()
    before = {path: path.stat().st_mtime_ns for path in again.glob("*/*.parquet")}
    out = _gongkai("shard", "--reports", str(folder), "--out", str(again), "--batch", "3", "--workers", "2")
    assert "1 shards written, 2 already complete, 0 failed (3 batches of 8 files)" in out
    assert (again / "source_files" / f"{cut}.parquet").is_file()
    assert complete_shards(again) == set(names)
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in before.items() if cut not in path.name)
