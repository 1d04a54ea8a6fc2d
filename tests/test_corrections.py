"""corrections.csv: a checked number kept as data, applied by dbt, reported when it cannot apply.

The first tests judge rows against a real raw layer (a refresh without the dbt build); the
last ones run real refreshes with dbt on the sample reports and read the marts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import REPORTS, SEEDS

from extract.load.corrections import CORRECTIONS_NAME, check_corrections, parse_corrections
from extract.run.refresh import refresh

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
HEADER = "file,table_no,row_key,col_key,value,note\n"
QUIET = {"log": lambda *_: None}
# 海东市公安局 2020 prints 表四 行政复议 总计 18 beside parts that add to 9 (I4 fails)
HAIDONG = SEEDS["004"]
GOOD_ROW = f'{HAIDONG},4,admin_reconsideration,total,9,"总计 checked against p.3: printed 18, the parts add to 9"\n'
BAD_ROWS = (f"missing.txt,3,granted,total,1,checked p.2\n"
            f"{HAIDONG},3,no_such_row,total,1,checked p.2\n"
            f"{HAIDONG},3,granted,total,abc,checked p.2\n"
            f"{HAIDONG},3,granted,total,1,\n")


def _folder(root: Path) -> Path:
    folder = root / "reports"
    folder.mkdir()
    for name in SEEDS.values():
        shutil.copy(REPORTS / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def raw_only(tmp_path_factory):
    """A warehouse whose raw layer holds the five sample reports (no marts)."""
    root = tmp_path_factory.mktemp("raw_only")
    db = root / "w" / "gongkai.duckdb"
    refresh(_folder(root), db, workers=1, run_dbt_build=False, **QUIET)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def _problems(con, text: str) -> list[str | None]:
    parsed = parse_corrections((HEADER + text).encode())
    assert parsed.error is None
    return [c.problem for c in check_corrections(con, parsed.rows)]


def test_the_file_needs_its_header():
    assert "value, note missing" in parse_corrections(b"file,table_no,row_key,col_key\nx,3,a,b\n").error
    assert parse_corrections(b"").rows == [] and parse_corrections(b"").error is None
    bom = parse_corrections(("\ufeff" + HEADER + "\n\n" + GOOD_ROW).encode())
    assert bom.error is None and [row.line_no for row in bom.rows] == [4]
    assert parse_corrections(b"\xff\xfe\x00\x00garbage" * 10).error is not None


def test_a_good_row_is_parsed_in_the_column_unit(raw_only):
    parsed = parse_corrections((HEADER + GOOD_ROW + f"{SEEDS['003']},2,centralized_procurement,"
                                "procurement_amount_10k_yuan,67274100元,checked p.2\n"
                                f"{SEEDS['003']},3,granted,total,-,checked p.3\n"
                                f"{SEEDS['003']},3,carried_over,total,,checked p.3: the cell is empty\n").encode())
    checked = check_corrections(raw_only, parsed.rows)
    assert [c.problem for c in checked] == [None] * 4
    assert [(c.table_no, c.value, c.cell_state) for c in checked] == [
        (4, Decimal(9), "number"), (2, Decimal("6727.41"), "number"), (3, None, "dash"), (3, None, "blank")]
    assert checked[0].report_id == raw_only.execute(
        "select report_id from raw.source_files where source_path = ?", [HAIDONG]).fetchone()[0]


def test_every_bad_row_says_why(raw_only):
    problems = _problems(raw_only, BAD_ROWS + f"{HAIDONG},5,granted,total,1,checked\n"
                         f"{HAIDONG},3,granted,no_such_col,1,checked\n"
                         f"{HAIDONG},3,granted,total,2.5,checked\n"
                         f"{SEEDS['002']},3,new_received,natural_person,1,checked\n")
    assert "missing.txt" in problems[0] and "not a file of the warehouse" in problems[0]
    assert "row_key 'no_such_row' is not a row of 表三" in problems[1]
    assert "value 'abc' does not parse" in problems[2]
    assert problems[3].startswith("note is required")
    assert "table_no '5' is not 2, 3 or 4" in problems[4]
    assert "col_key 'no_such_col' is not a column of 表三" in problems[5]
    assert "not a whole number" in problems[6]
    assert "the report has no cell 表三 new_received × natural_person" in problems[7]  # 002 does not print it


def test_two_rows_for_one_cell_are_both_rejected(raw_only):
    problems = _problems(raw_only, GOOD_ROW + GOOD_ROW.replace(",9,", ",10,"))
    assert problems == ["lines 2, 3 all correct this cell: none is applied"] * 2


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("corrections")
    folder = _folder(root)
    db = root / "warehouse" / "gongkai.duckdb"
    first = refresh(folder, db, workers=1, **QUIET)
    assert first.status == "success" and first.new == 5
    return folder, db


def _read(db: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _haidong_total(db: Path) -> list[tuple]:
    return _read(db, "select value, value_source, published_value, correction_note from marts.fct_report_cells "
                     "where report_id = (select report_id from marts.dim_reports where source_path = ?) "
                     "and table_no = 4 and row_key = 'admin_reconsideration' and col_key = 'total'", [HAIDONG])


def _check(folder: Path, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([GONGKAI, "corrections", "check", "--reports", str(folder), "--db", str(db)],
                          capture_output=True, text=True, check=False)


def test_corrections_apply_without_reparsing_survive_a_broken_file_and_go_away_with_it(warehouse):
    folder, db = warehouse
    assert _haidong_total(db) == [(Decimal(18), "published", Decimal(18), None)]
    (folder / CORRECTIONS_NAME).write_text(HEADER + GOOD_ROW + BAD_ROWS, encoding="utf-8")

    checked = _check(folder, db)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "5 rows, 1 would apply, 4 would be rejected" in checked.stdout
    assert "corrections.csv line 3: file 'missing.txt'" in checked.stdout

    summary = refresh(folder, db, workers=1, **QUIET)
    # nothing was parsed again: only the corrections changed, and the marts were rebuilt
    assert (summary.new, summary.changed, summary.reparsed, summary.unchanged, summary.cells_loaded) == (0, 0, 0, 5, 0)
    assert summary.dbt_status == "success" and summary.published
    assert summary.corrections_applied == 1 and [line for line, _ in summary.correction_problems] == [3, 4, 5, 6]
    note = "总计 checked against p.3: printed 18, the parts add to 9"
    assert _haidong_total(db) == [(Decimal(9), "correction", Decimal(18), note)]
    # a bad row changes nothing: one corrected cell in the whole warehouse
    assert _read(db, "select count(*) from marts.fct_report_cells where value_source = 'correction'") == [(1,)]
    assert _read(db, "select line_no, correction_status, problem is null from marts.fct_corrections order by 1") == [
        (2, "applied", True), (3, "rejected", False), (4, "rejected", False), (5, "rejected", False),
        (6, "rejected", False)]
    totals = _read(db, "select published_total, corrected_total, value_source, parts_check_status "
                       "from marts.fct_published_totals where table_no = 4 and row_key = 'admin_reconsideration' "
                       "and report_id = (select report_id from marts.dim_reports where source_path = ?)", [HAIDONG])
    assert totals == [(18, 9, "correction", "failed")]
    # the identity judges what was printed; K1 says the corrected report is consistent
    quality = _read(db, "select check_id, check_status from marts.fct_data_quality where report_id = "
                        "(select report_id from marts.dim_reports where source_path = ?) and "
                        "(check_id = 'K1' or (check_id = 'I4' and subject = 'admin_reconsideration'))", [HAIDONG])
    assert sorted(quality) == [("I4", "failed"), ("K1", "passed")]
    metric = _read(db, "select numerator, published_numerator, value_source from marts.fct_report_metrics "
                       "where metric_key = 'reconsideration_rate' and report_id = "
                       "(select report_id from marts.dim_reports where source_path = ?)", [HAIDONG])
    assert metric == [(9, 18, "correction")]
    runs = _read(db, "select files_new, files_changed, cells_loaded from marts.fct_refresh_runs "
                     "where run_id = ?", [summary.run_id])
    assert runs == [(0, 0, 0)]

    again = refresh(folder, db, workers=1, **QUIET)
    assert again.dbt_status == "skipped"  # the same file: nothing to rebuild

    # a file that cannot be used is a load error, and the corrections loaded before stay
    (folder / CORRECTIONS_NAME).write_text("file,value\nx,1\n", encoding="utf-8")
    broken = refresh(folder, db, workers=1, **QUIET)
    assert broken.status == "success" and broken.corrections_applied == 1 and broken.cells_loaded == 0
    assert [error[1] for error in broken.errors] == ["bad_corrections"]
    assert _read(db, "select error_class from marts.fct_load_errors where source_path = ?", [CORRECTIONS_NAME]) == [
        ("bad_corrections",)]
    assert _haidong_total(db)[0][:2] == (Decimal(9), "correction")
    unusable = _check(folder, db)
    assert unusable.returncode == 1 and "the header must name the columns" in unusable.stderr

    (folder / CORRECTIONS_NAME).unlink()
    removed = refresh(folder, db, workers=1, **QUIET)
    assert (removed.new, removed.changed, removed.reparsed, removed.cells_loaded) == (0, 0, 0, 0)
    assert removed.dbt_status == "success"
    assert _haidong_total(db) == [(Decimal(18), "published", Decimal(18), None)]
    assert _read(db, "select count(*) from marts.fct_corrections") == [(0,)]
    assert _read(db, "select count(*) from marts.fct_data_quality where check_id = 'K1'") == [(0,)]
    assert _read(db, "select count(*) from marts.fct_load_errors where source_path = ?", [CORRECTIONS_NAME]) == [(0,)]
    assert _check(folder, db).returncode == 0


def test_check_needs_a_folder_and_a_warehouse(tmp_path):
    assert _check(tmp_path / "missing", tmp_path / "w" / "gongkai.duckdb").returncode == 2
    (tmp_path / CORRECTIONS_NAME).write_text(HEADER, encoding="utf-8")
    assert _check(tmp_path, tmp_path / "w" / "gongkai.duckdb").returncode == 2


def test_a_load_from_shards_keeps_the_corrections_and_judges_them_again(tmp_path):
    folder = _folder(tmp_path)
    db = tmp_path / "w" / "gongkai.duckdb"
    (folder / CORRECTIONS_NAME).write_text(HEADER + GOOD_ROW, encoding="utf-8")
    assert refresh(folder, db, workers=1, run_dbt_build=False, **QUIET).corrections_applied == 1
    shards = tmp_path / "shards"
    result = subprocess.run([GONGKAI, "shard", "--reports", str(folder), "--out", str(shards), "--workers", "1",
                             "--quiet"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = refresh(shards, db, workers=1, run_dbt_build=False, shards=shards, **QUIET)
    assert summary.corrections_applied == 1 and summary.correction_problems == []
    assert _read(db, "select line_no, problem from raw.corrections") == [(2, None)]
