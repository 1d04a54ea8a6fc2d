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
    # cut by the paths: 000-002 | 003 | 004 | broken.pdf and the two PDFs
    assert "4 shards written, 0 already complete, 0 failed (4 batches of 8 files)" in out
    by_shards = root / "sharded" / "gongkai.duckdb"
    out = _gongkai("refresh", "--from-shards", str(shards), "--db", str(by_shards), "--quiet")
    assert "8 seen, 8 new" in out and "1 failed" in out
    return folder, shards, by_folder, by_shards


def test_shards_hold_every_raw_table(built):
    _, shards, _, _ = built
    for table in SHARD_TABLES:
        assert len(list((shards / table).glob("*.parquet"))) == 4, table
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
    from extract.load.shard_load import load_shards
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
    from extract.load.shard_load import load_shards
    from extract.load.shards import complete_shards, plan_batches
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
    assert "1 shards written, 3 already complete, 0 failed (4 batches of 8 files)" in out
    assert (again / "source_files" / f"{cut}.parquet").is_file()
    assert complete_shards(again) == set(names)
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in before.items() if cut not in path.name)


def test_an_added_file_writes_only_its_batch_and_the_loaded_shards_hold_every_file_once(built, tmp_path):
    from extract.load.shard_load import load_shards
    from extract.load.shards import complete_shards, plan_batches
    from extract.load.warehouse import connect

    folder, shards, _, _ = built
    grown, again = tmp_path / "reports", tmp_path / "shards"
    shutil.copytree(folder, grown)
    shutil.copytree(shards, again)
    before = {path: path.stat().st_mtime_ns for path in again.glob("*/*.parquet")}
    old = {batch.name for batch in plan_batches(scan_folder(grown), 3)}
    present = complete_shards(again)  # an earlier test wrote one more shard here
    added = "003_added.txt"  # sorts between the seeds 003 and 004
    (grown / added).write_bytes((REPORTS / SEEDS["003"]).read_bytes() + "\n（补充说明）\n".encode())
    batches = plan_batches(scan_folder(grown), 3)
    new = [batch for batch in batches if batch.name not in old]
    assert 1 <= len(new) <= 2 and any(added in [job.rel for job in batch.jobs] for batch in new)
    out = _gongkai("shard", "--reports", str(grown), "--out", str(again), "--batch", "3", "--workers", "2")
    assert (f"{len(new)} shards written, {len(batches) - len(new)} already complete, 0 failed "
            f"({len(batches)} batches of 9 files)") in out
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in before.items()), "the other shards are kept"
    assert complete_shards(again) == present | {batch.name for batch in batches}
    warehouse = connect(tmp_path / "gongkai.duckdb")
    try:
        counts = load_shards(warehouse, again)
        assert (counts.files, counts.new, counts.loaded, counts.failed) == (9, 9, 8, 1)
        paths = warehouse.execute("select source_path from raw.source_files order by 1").fetchall()
        assert [row[0] for row in paths] == sorted(job.rel for job in scan_folder(grown))
        assert warehouse.execute("select count(*) from raw.reports").fetchone()[0] == 8
    finally:
        warehouse.close()


def test_prune_removes_the_shards_of_earlier_plans_and_keeps_the_warehouse_the_same(built, tmp_path):
    """``gongkai shard --prune`` after a file is removed and another changed: the shards the new plan does
    not name go (every table's file), the new plan's stay, and the shards load as before the prune."""
    from extract.load.shard_load import load_shards
    from extract.load.shards import complete_shards, plan_batches
    from extract.load.warehouse import connect

    folder, shards, _, _ = built
    changed, again = tmp_path / "reports", tmp_path / "shards"
    shutil.copytree(folder, changed)
    shutil.copytree(shards, again)
    (changed / "broken.pdf").unlink()
    seed = changed / SEEDS["001"]
    seed.write_bytes(seed.read_bytes() + "\n（补充说明）\n".encode())
    _gongkai("shard", "--reports", str(changed), "--out", str(again), "--batch", "3", "--workers", "2")
    plan = {batch.name for batch in plan_batches(scan_folder(changed), 3)}
    stale = complete_shards(again) - plan
    assert stale, "the old batches of the removed and the changed file are still there"

    def rows(db: Path) -> tuple:
        warehouse = connect(db)
        try:
            load_shards(warehouse, again)
            return tuple(warehouse.execute(f"select * from raw.{table} order by all").fetchall()
                         for table in ("source_files", "reports", "cells"))
        finally:
            warehouse.close()

    before = rows(tmp_path / "before.duckdb")
    out = _gongkai("shard", "--reports", str(changed), "--out", str(again), "--batch", "3", "--workers", "2",
                   "--prune")
    assert f"pruned {len(stale)} shards of earlier plans" in out
    assert complete_shards(again) == plan
    for table in SHARD_TABLES:
        assert {path.stem for path in (again / table).glob("*.parquet")} == plan, table
    after = rows(tmp_path / "after.duckdb")
    # the old shards held the removed file (loading never withdraws) and the changed file's old bytes
    assert "broken.pdf" in [row[0] for row in before[0]] and "broken.pdf" not in [row[0] for row in after[0]]
    assert [row for row in after[0]] == [row for row in before[0] if row[0] != "broken.pdf"]
    assert after[1:] == before[1:]


def test_batches_are_cut_by_paths_so_one_added_or_removed_file_renames_only_its_batch_or_a_neighbour():
    import random

    from extract.load.shards import batch_limits, plan_batches
    from extract.run.pool import FileJob

    def names(rels: list[str]) -> set[str]:
        return {batch.name for batch in plan_batches([FileJob(Path(rel), rel, "0" * 64, 1) for rel in rels], 20)}

    pick = random.Random(18)
    rels = [f"{pick.choice('abc')}/{pick.randrange(10**9)}.pdf" for _ in range(2000)]
    batches = plan_batches([FileJob(Path(rel), rel, "0" * 64, 1) for rel in reversed(rels)], 20)
    fewest, most = batch_limits(20)
    assert [job.rel for batch in batches for job in batch.jobs] == sorted(rels)  # path order, whatever the input's
    assert all(fewest <= len(batch.jobs) <= most for batch in batches[:-1])
    assert 60 <= len(batches) <= 140  # about 2000 / 20
    base = names(rels)
    renamed = []
    for trial in range(60):
        edited = list(rels)
        if trial % 2:
            edited.pop(pick.randrange(len(edited)))
        else:
            edited.append(f"{pick.choice('abc')}/{pick.randrange(10**9)}.pdf")
        renamed.append(len(names(edited) - base))
    # its own batch, at times a neighbour too (rarely a third, where a cut moved past the fewest or the most);
    # positional cuts would rename every batch after the file
    assert max(renamed) <= 3 and sum(renamed) <= 1.5 * len(renamed), renamed
    assert len(names(["a/0.pdf", *rels]) - base) <= 3
