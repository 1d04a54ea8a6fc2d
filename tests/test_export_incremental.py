"""The export of a refresh after an incremental build: only the partitions whose rows changed are written, the
others are hard links of the published files, and it reads back as a fresh full export of the same warehouse.

One module fixture runs real refreshes (adds, changed bytes and a correction, withdrawals) on the seed reports
and keeps, after each, the export's files and what a full export of the published warehouse holds.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest
from conftest import REPORTS, SEEDS

import extract.run.refresh as refresh_module
from extract.run.build import BuildResult
from extract.run.export import export_marts
from extract.run.export_parts import MANIFEST, PARTITIONED, read_manifest
from extract.run.refresh import refresh

QUIET = {"log": lambda *_: None, "workers": 1}
CORRECTION = (f"file,table_no,row_key,col_key,value,note\n"
              f'{SEEDS["004"]},4,admin_reconsideration,total,9,"checked p.3"\n')


def read_export(folder: Path, db: Path) -> dict[str, list[tuple]]:
    """Every mart as read back from an export (partitions through hive partitioning), in the mart's columns."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        marts = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        out = {}
        for mart in marts:
            columns = ", ".join(f'"{row[0]}"' for row in con.execute(f'describe marts."{mart}"').fetchall())
            files = folder / mart / "**" / "*.parquet" if mart in PARTITIONED else folder / f"{mart}.parquet"
            out[mart] = con.execute(f"select {columns} from read_parquet(?, hive_partitioning = true) order by all",
                                    [str(files)]).fetchall()
        return out
    finally:
        con.close()


def read_marts(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        marts = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        return {mart: con.execute(f'select * from marts."{mart}" order by all').fetchall() for mart in marts}
    finally:
        con.close()


def partition_rows(folder: Path) -> dict[str, list[tuple]]:
    """``<mart>/<partition>`` → its rows (every column), for the partitioned marts of an export."""
    con = duckdb.connect()
    out = {}
    for mart in PARTITIONED:
        for part in sorted({path.parent for path in (folder / mart).rglob("*.parquet")}):
            out[part.relative_to(folder).as_posix()] = con.execute(
                "select * from read_parquet(?) order by all", [str(part / "*.parquet")]).fetchall()
    return out


def inodes(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_ino for path in folder.rglob("*.parquet")}


class Step(NamedTuple):
    """After one refresh: its summary, the export's inodes by file, its partitions' rows, and the checks
    (what the export reads back as; the marts; a fresh full export of the warehouse, read back and by partition)."""

    run: refresh_module.RefreshSummary
    inodes: dict[str, int]
    partitions: dict[str, list[tuple]]
    exported: dict[str, list[tuple]]
    marts: dict[str, list[tuple]]
    full: dict[str, list[tuple]]
    full_partitions: dict[str, list[tuple]]


class Refreshed(NamedTuple):
    folder: Path
    db: Path
    steps: dict[str, Step]
    withdrawn: str  # the report id of 淄博高新区 2023, withdrawn by the last step


def _step(run, db: Path, scratch: Path) -> Step:
    export = db.parent / "export"
    full = scratch / f"full-{run.run_id}"
    export_marts(db, full)
    return Step(run, inodes(export), partition_rows(export), read_export(export, db), read_marts(db),
                read_export(full, db), partition_rows(full))


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> Refreshed:
    root = tmp_path_factory.mktemp("export")
    folder, db = root / "reports", root / "w" / "gongkai.duckdb"
    folder.mkdir()
    for seed in ("000", "001", "003"):
        shutil.copy(REPORTS / SEEDS[seed], folder / SEEDS[seed])
    steps = {"first": _step(refresh(folder, db, **QUIET), db, root)}
    for seed in ("002", "004"):
        shutil.copy(REPORTS / SEEDS[seed], folder / SEEDS[seed])
    steps["add"] = _step(refresh(folder, db, **QUIET), db, root)
    con = duckdb.connect(str(db), read_only=True)
    withdrawn = con.execute("select report_id from marts.dim_reports where source_path = ?",
                            [SEEDS["002"]]).fetchone()[0]
    con.close()
    (folder / "corrections.csv").write_text(CORRECTION, encoding="utf-8")
    linyi = folder / SEEDS["003"]
    linyi.write_text(linyi.read_text(encoding="utf-8") + "\n附：本报告数据截至2020年12月31日。\n", encoding="utf-8")
    steps["change"] = _step(refresh(folder, db, **QUIET), db, root)
    (folder / SEEDS["002"]).unlink()
    steps["withdraw"] = _step(refresh(folder, db, **QUIET), db, root)
    return Refreshed(folder, db, steps, withdrawn)


def test_every_refresh_published_and_the_later_ones_were_incremental(refreshed):
    runs = [step.run for step in refreshed.steps.values()]
    assert [(run.status, run.published) for run in runs] == [("success", True)] * 4, [run.message for run in runs]
    assert runs[0].build.startswith("full") and all(run.build.startswith("incremental") for run in runs[1:])


@pytest.mark.parametrize("name", ["first", "add", "change", "withdraw"])
def test_the_export_reads_back_as_the_marts_and_as_a_fresh_full_export(refreshed, name):
    step = refreshed.steps[name]
    assert set(step.exported) == set(step.marts) and len(step.marts) >= 15
    for mart, rows in step.marts.items():
        assert step.exported[mart] == rows, mart
        assert step.full[mart] == rows, mart
    assert step.partitions == step.full_partitions  # the same partitions, each with the same rows
    assert len(step.marts["fct_report_cells"]) > 400


@pytest.mark.parametrize(("before", "after"), [("first", "add"), ("add", "change"), ("change", "withdraw")])
def test_unchanged_partitions_are_the_published_files_and_changed_ones_new(refreshed, before, after):
    old, new = refreshed.steps[before], refreshed.steps[after]
    linked, written = set(), set()
    for path, inode in new.inodes.items():
        part = path.rsplit("/", 1)[0]
        if part not in new.partitions:
            continue  # a mart in one file: written by every export
        same = old.inodes.get(path) == inode
        (linked if same else written).add(part)
        assert same == (old.partitions.get(part) == new.partitions[part]), (after, path)
    assert linked and written, (after, sorted(written))
    assert not linked & written


def test_a_withdrawn_reports_rows_and_its_own_partition_are_gone(refreshed):
    export = refreshed.db.parent / "export"
    add, withdraw = refreshed.steps["add"], refreshed.steps["withdraw"]
    assert "fct_report_cells/report_year=2023" in {part.rsplit("/", 1)[0] for part in add.partitions}
    assert not (export / "fct_report_cells" / "report_year=2023").exists()  # its only report was 淄博高新区 2023
    con = duckdb.connect()
    for mart in ("fct_report_cells", "fct_requests", "fct_report_metrics", "fct_agency_year_metrics"):
        files = str(export / mart / "**" / "*.parquet")
        assert con.execute("select count(*) from read_parquet(?, hive_partitioning = true) where report_id = ?",
                           [files, refreshed.withdrawn]).fetchone()[0] == 0, mart
    manifest = read_manifest(export)
    assert manifest is not None and not any(key.startswith("report_year=2023")
                                            for key in manifest.marts["fct_report_cells"].partitions)
    assert sum(len(rows) for part, rows in withdraw.partitions.items()
               if part.startswith("fct_report_cells/")) == manifest.marts["fct_report_cells"].rows


def test_each_reports_rows_are_in_the_folder_of_its_year_and_bucket(refreshed):
    """The partition key, computed here apart: the report's year, and the first hex digit of md5(report_id) // 4."""
    export = refreshed.db.parent / "export"
    con = duckdb.connect(str(refreshed.db), read_only=True)
    years = dict(con.execute("select report_id, report_year from marts.dim_reports").fetchall())
    with_cells = {row[0] for row in con.execute("select distinct report_id from marts.fct_report_cells").fetchall()}
    con.close()
    seen = set()
    for path in (export / "fct_report_cells").rglob("*.parquet"):
        year, bucket = (part.split("=", 1)[1] for part in path.parent.relative_to(export / "fct_report_cells").parts)
        assert bucket in {"0", "1", "2", "3"}, path
        for (report_id,) in duckdb.execute("select distinct report_id from read_parquet(?)", [str(path)]).fetchall():
            expected = (str(years[report_id]), str(int(hashlib.md5(report_id.encode()).hexdigest()[0], 16) // 4))
            assert (year, bucket) == expected, (path, report_id)
            seen.add(report_id)
    assert seen == with_cells and len(seen) >= 3


def _published(db: Path) -> tuple[dict[str, int], bytes]:
    export = db.parent / "export"
    return inodes(export), (export / MANIFEST).read_bytes()


def test_a_failed_build_or_export_publishes_nothing(refreshed, monkeypatch):
    before = _published(refreshed.db)
    extra = refreshed.folder / "zz_extra.txt"
    extra.write_text((REPORTS / SEEDS["002"]).read_text(encoding="utf-8"), encoding="utf-8")
    try:
        monkeypatch.setattr(refresh_module, "build_marts", lambda *args, **kwargs: BuildResult("error", "dbt failed"))
        assert not refresh(refreshed.folder, refreshed.db, **QUIET).published
        assert _published(refreshed.db) == before
        monkeypatch.undo()

        def half_written(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr("extract.run.export.write_partitions", half_written)
        with pytest.raises(OSError, match="No space left"):
            refresh(refreshed.folder, refreshed.db, **QUIET)
        assert _published(refreshed.db) == before
        assert not list(refreshed.db.parent.glob(".staging-*"))
    finally:
        extra.unlink()


def test_a_foreign_or_missing_published_export_is_written_in_full(refreshed, tmp_path):
    """An export not written from the published warehouse (another build's manifest, or none) is not reused."""
    folder, db = tmp_path / "reports", tmp_path / "w" / "gongkai.duckdb"
    shutil.copytree(refreshed.folder, folder)
    shutil.copytree(refreshed.db.parent, db.parent, ignore=shutil.ignore_patterns(".gongkai-refresh.lock"))
    manifest = db.parent / "export" / MANIFEST
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"raw_state": "', '"raw_state": "x'),
                        encoding="utf-8")
    before = inodes(db.parent / "export")
    shutil.copy(REPORTS / SEEDS["002"], folder / SEEDS["002"])
    run = refresh(folder, db, **QUIET)
    assert run.published and run.build.startswith("incremental")
    assert not set(before.items()) & set(inodes(db.parent / "export").items())
    assert read_export(db.parent / "export", db) == read_marts(db)


def test_the_partitioned_marts_are_those_dbt_keeps_by_report():
    """A mart kept by report (incremental, or a view with meta by_report) is partitioned, and only those: the
    export relies on their rows outside the build scope being unchanged."""
    import yaml

    from extract.paths import PROJECT_ROOT

    marts = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["models"]["gongkai"]["marts"]
    by_report = {name for group in marts.values() if isinstance(group, dict)
                 for name, config in group.items() if isinstance(config, dict)
                 and ((config.get("+materialized") == "incremental"
                       and config.get("+unique_key", "report_id") == "report_id")  # dim_agencies: by agency
                      or (config.get("+meta") or {}).get("by_report"))}
    assert by_report == set(PARTITIONED)
