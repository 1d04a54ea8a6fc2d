"""Loader: idempotence, incremental refresh, quarantine of unreadable files (no dbt)."""

from __future__ import annotations

import shutil

import duckdb
from conftest import REPORTS, SEEDS

from extract.run.refresh import refresh


def _counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
                for t in ("source_files", "reports", "cells", "parse_issues", "load_errors")}, \
            con.execute("select * from raw.cells order by all").fetchall()
    finally:
        con.close()


def _folder(tmp_path, seeds=("001", "003")):
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in seeds:
        shutil.copy(REPORTS / SEEDS[seed], folder / SEEDS[seed])
    return folder


def test_loading_twice_changes_nothing(tmp_path):
    folder = _folder(tmp_path)
    db = tmp_path / "w.duckdb"
    first = refresh(folder, db, workers=1, run_dbt_build=False, log=lambda *_: None)
    counts, cells = _counts(db)
    assert first.new == 2 and counts["reports"] == 2 and counts["cells"] == 198 * 2
    second = refresh(folder, db, workers=1, run_dbt_build=False, log=lambda *_: None)
    assert (second.new, second.changed, second.unchanged, second.cells_loaded) == (0, 0, 2, 0)
    assert _counts(db) == (counts, cells)
    full = refresh(folder, db, workers=2, full=True, run_dbt_build=False, log=lambda *_: None)
    assert full.cells_loaded == 198 * 2
    assert _counts(db) == (counts, cells)


def test_bad_file_is_recorded_and_the_rest_load(tmp_path):
    folder = _folder(tmp_path)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(b"\x00\xff\x00binary" * 10)
    (folder / "名单 'quoted'.doc").write_bytes(b"not a word file")
    (folder / "statistics.xlsx").write_bytes(b"PK\x03\x04 spreadsheet")
    db = tmp_path / "w.duckdb"
    summary = refresh(folder, db, workers=1, run_dbt_build=False, log=lambda *_: None)
    assert summary.failed == 4
    con = duckdb.connect(str(db), read_only=True)
    errors = dict(con.execute("select source_path, error_class from raw.load_errors").fetchall())
    assert errors == {"empty.txt": "empty_file", "junk.txt": "binary_file",
                      "名单 'quoted'.doc": "not_a_document", "statistics.xlsx": "unsupported_format"}
    assert con.execute("select count(*) from raw.reports").fetchone()[0] == 2
    con.close()
    again = refresh(folder, db, workers=1, run_dbt_build=False, log=lambda *_: None)
    assert again.failed == 0 and again.unchanged == 6


def test_added_changed_and_removed_files(tmp_path):
    folder = _folder(tmp_path)
    db = tmp_path / "w.duckdb"
    refresh(folder, db, workers=1, run_dbt_build=False, log=lambda *_: None)
    changed = folder / SEEDS["003"]
    changed.write_text(changed.read_text(encoding="utf-8").replace("320131 |", "320132 |"), encoding="utf-8")
    (folder / SEEDS["001"]).unlink()
    shutil.copy(REPORTS / SEEDS["004"], folder / SEEDS["004"])
    parsed = []
    summary = refresh(folder, db, workers=1, run_dbt_build=False, log=parsed.append)
    assert (summary.new, summary.changed, summary.removed, summary.unchanged) == (1, 1, 1, 0)
    assert sorted(line.split(":")[0].split()[-1] for line in parsed if "loaded" in line) == \
        sorted([SEEDS["003"], SEEDS["004"]])
    con = duckdb.connect(str(db), read_only=True)
    statuses = dict(con.execute("select source_path, (status, withdrawn_run) from raw.reports").fetchall())
    assert statuses == {SEEDS["001"]: ("withdrawn", summary.run_id), SEEDS["003"]: ("active", None),
                        SEEDS["004"]: ("active", None)}
    value = con.execute("select value from raw.cells where row_key = 'admin_licensing' and col_key = 'decisions' "
                        "and report_id in (select report_id from raw.reports where status = 'active' "
                        "and source_path = ?)", [SEEDS["003"]]).fetchall()
    assert value == [(320132,)]
    con.close()


def _crash_on_004(path, name, overrides=None):
    """A worker that dies like a segfault on one file (fault injection for the pool)."""
    import os

    from extract.run.pool import extract_file

    if name.startswith("004"):
        os._exit(139)
    return extract_file(path, name, overrides)


def test_a_worker_crash_fails_only_its_file(tmp_path):
    from extract.run.pool import extract_parallel
    from extract.run.refresh import scan_folder

    folder = _folder(tmp_path, seeds=("001", "002", "003", "004"))
    results = dict((job.rel, result) for job, result in extract_parallel(scan_folder(folder), 2, worker=_crash_on_004))
    assert results[SEEDS["004"]][0] == "worker_crash"
    assert all(not isinstance(results[SEEDS[s]], tuple) for s in ("001", "002", "003"))


def test_a_changed_manifest_row_reparses_its_file(tmp_path):
    folder = _folder(tmp_path, seeds=("003",))
    db = tmp_path / "w.duckdb"
    refresh(folder, db, workers=1, run_dbt_build=False, log=lambda *_: None)
    (folder / "manifest.csv").write_text(f"file,agency,division_code\n{SEEDS['003']},临沂市兰山区公安分局,371302\n",
                                         encoding="utf-8")
    summary = refresh(folder, db, workers=1, run_dbt_build=False, log=lambda *_: None)
    assert (summary.files_seen, summary.changed, summary.unchanged) == (1, 1, 0)
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("select agency_name, division_code, region_basis, agency_key from raw.reports").fetchone()
    finally:
        con.close()
    assert row == ("临沂市兰山区公安分局", "371302", "manifest", "371302::公安分局")
    again = refresh(folder, db, workers=1, run_dbt_build=False, log=lambda *_: None)
    assert (again.changed, again.unchanged) == (0, 1)
