"""Incremental builds: a warehouse refreshed several times (adds, changed bytes, withdrawals, corrections)
has the marts of a full build (``dbt build --full-refresh``) of the same raw layer, row for row.

One module fixture runs every refresh (real reports, real dbt runs); the tests read what it kept.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import NamedTuple

import duckdb
import pytest
from conftest import REPORTS, SEEDS

from extract.run.refresh import RefreshSummary, refresh

QUIET = {"log": lambda *_: None, "workers": 1}
HAIDONG = SEEDS["004"]
ZHANGDIAN = SEEDS["001"]  # 淄博市公安局交通警察支队张店大队 2020
# a correction of a printed cell (海东市公安局 2020 prints 表四 行政复议 总计 18 beside parts adding to 9)
CORRECTION = (f"file,table_no,row_key,col_key,value,note\n"
              f'{HAIDONG},4,admin_reconsideration,total,9,"checked p.3"\n')


class Refreshed(NamedTuple):
    """The warehouse after every refresh, the summaries (the last one: the full rebuild of a copy), the
    report ids in raw after each step that changed something."""

    db: Path
    full_copy: Path
    runs: list[RefreshSummary]
    report_ids: dict[str, set[str]]  # after each step: the report ids in raw


def _report_ids(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {row[0] for row in con.execute("select report_id from raw.reports").fetchall()}
    finally:
        con.close()


def _next_year(text: str) -> str:
    """The same agency's report a year later (S1 compares its 上年结转 with this year's 结转下年度)."""
    return text.replace("2020", "2021")


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> Refreshed:
    root = tmp_path_factory.mktemp("incremental")
    folder, db = root / "reports", root / "w" / "gongkai.duckdb"
    folder.mkdir()
    for seed in ("000", "001", "003"):
        shutil.copy(REPORTS / SEEDS[seed], folder / SEEDS[seed])
    zhangdian = (REPORTS / ZHANGDIAN).read_text(encoding="utf-8")
    (folder / "zhangdian_2021.txt").write_text(_next_year(zhangdian), encoding="utf-8")
    runs, ids = [refresh(folder, db, **QUIET)], [_report_ids(db)]

    # adds: two agencies and a second document of 张店大队 2020 (.md ranks before .txt,
    # so the document published first stops being the primary one)
    for seed in ("002", "004"):
        shutil.copy(REPORTS / SEEDS[seed], folder / SEEDS[seed])
    (folder / "zhangdian_2020_copy.md").write_text(zhangdian + "\n", encoding="utf-8")
    # a file whose agency changes with its bytes below: its first agency is left without a report
    haidong = (REPORTS / HAIDONG).read_text(encoding="utf-8")
    (folder / "moving_agency.txt").write_text(haidong.replace("海东市公安局", "海东市交通运输局"), encoding="utf-8")
    runs.append(refresh(folder, db, **QUIET))
    ids.append(_report_ids(db))

    # changed bytes: 临沂 2020 (a new report id; the old one leaves raw) and 张店大队 2021 (its S1 check);
    # a correction of 海东 2020, whose file does not change
    (folder / "corrections.csv").write_text(CORRECTION, encoding="utf-8")
    linyi = folder / SEEDS["003"]
    linyi.write_text(linyi.read_text(encoding="utf-8") + "\n附：本报告数据截至2020年12月31日。\n", encoding="utf-8")
    (folder / "zhangdian_2021.txt").write_text(_next_year(zhangdian) + "\n", encoding="utf-8")
    (folder / "moving_agency.txt").write_text(haidong.replace("海东市公安局", "海东市教育局"), encoding="utf-8")
    runs.append(refresh(folder, db, **QUIET))
    ids.append(_report_ids(db))

    # withdrawals: the primary document of 张店大队 2020 (the first one is primary again) and 淄博高新区 2023
    (folder / "zhangdian_2020_copy.md").unlink()
    (folder / SEEDS["002"]).unlink()
    runs.append(refresh(folder, db, **QUIET))
    ids.append(_report_ids(db))
    runs.append(refresh(folder, db, **QUIET))  # nothing changed

    # a copy built by a project that has since changed (a model, a seed, the parser): a full build
    full_copy = root / "full" / "gongkai.duckdb"
    full_copy.parent.mkdir()
    shutil.copyfile(db, full_copy)
    con = duckdb.connect(str(full_copy))
    con.execute("update raw.build_state set value = 'another project' where key = 'build_fingerprint'")
    con.close()
    runs.append(refresh(folder, full_copy, **QUIET))
    return Refreshed(db, full_copy, runs, ids)


# corrections.csv is loaded again by every refresh: the run and time of its loading differ, nothing else
RELOADED = {"fct_corrections": "exclude (run_id, loaded_at)"}


def _marts(db: Path, leave_out_run: str) -> dict[str, list[tuple]]:
    """Every public mart (tables and views of schema marts), its rows sorted, without :data:`RELOADED`; the
    run log without one run."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        marts = {name: con.execute(f'select * {RELOADED.get(name, "")} from marts."{name}" order by all').fetchall()
                 for name in names}
    finally:
        con.close()
    marts["fct_refresh_runs"] = [run for run in marts["fct_refresh_runs"] if run[0] != leave_out_run]
    return marts


def test_every_refresh_after_the_first_is_incremental_over_a_few_reports(refreshed):
    first, *later, no_change, rebuilt = refreshed.runs
    assert [(run.status, run.published) for run in refreshed.runs] == \
        [("success", True)] * 4 + [("success", False), ("success", True)], \
        [(run.build, run.message[-2000:]) for run in refreshed.runs]
    assert first.build == "full: no incremental build recorded yet"
    assert rebuilt.build == "full: the dbt project or the parser version changed"
    for run, reports in zip(later, refreshed.report_ids[1:], strict=True):
        built = re.fullmatch(r"incremental: (\d+) of (\d+) reports", run.build)
        assert built and int(built[2]) == len(reports), run.build
        assert 0 < int(built[1]) < len(reports), run.build  # the untouched agencies are not recomputed
    assert no_change.dbt_status == "skipped"


def test_incremental_marts_equal_a_full_rebuild_row_for_row(refreshed):
    rebuilt = refreshed.runs[-1].run_id  # the copy's run log has the run that rebuilt it besides
    incremental, full = _marts(refreshed.db, rebuilt), _marts(refreshed.full_copy, rebuilt)
    assert set(incremental) == set(full) and len(full) >= 15
    for name, rows in full.items():
        assert incremental[name] == rows, name
    assert full["dim_reports"] and full["fct_data_quality"] and full["fct_agency_year_metrics"]


def test_what_the_changes_did_is_in_the_marts(refreshed):
    con = duckdb.connect(str(refreshed.db), read_only=True)
    try:
        gone = set().union(*refreshed.report_ids[:-1]) - refreshed.report_ids[-1]
        assert len(gone) == 3  # the old bytes of 临沂 2020, 张店大队 2021 and moving_agency.txt
        for name in ("dim_reports", "fct_report_cells", "fct_data_quality", "fct_requests", "fct_report_metrics",
                     "fct_agency_year_metrics", "fct_parse_issues"):
            left = con.execute(f"select count(*) from marts.{name} where report_id in (select unnest(?))",
                               [sorted(gone)]).fetchone()[0]
            assert left == 0, name
        withdrawn = dict(con.execute("select source_path, report_id from marts.dim_reports "
                                     "where report_status = 'withdrawn'").fetchall())
        assert set(withdrawn) == {"zhangdian_2020_copy.md", SEEDS["002"]}
        for name in ("fct_report_cells", "fct_requests", "fct_report_metrics", "fct_agency_year_metrics"):
            assert con.execute(f"select count(*) from marts.{name} where report_id in (select unnest(?))",
                               [sorted(withdrawn.values())]).fetchone()[0] == 0, name
        agencies = {row[0] for row in con.execute("select agency_name from marts.dim_agencies").fetchall()}
        assert "海东市教育局" in agencies and "海东市交通运输局" not in agencies  # left without a report
        primary = con.execute("select source_path from marts.dim_reports where is_primary and agency_name = "
                              "'淄博市公安局交通警察支队张店大队' order by report_year").fetchall()
        assert primary == [(ZHANGDIAN,), ("zhangdian_2021.txt",)]
        s1 = con.execute("select count(*) from marts.fct_data_quality where check_id = 'S1' and report_id = "
                         "(select report_id from marts.dim_reports where source_path = 'zhangdian_2021.txt')"
                         ).fetchone()[0]
        assert s1 == 7  # one per 表三 column (six applicant types and the total), against the 2020 report
        corrected = con.execute("select check_status from marts.fct_data_quality where check_id = 'K1' and "
                                "report_id = (select report_id from marts.dim_reports where source_path = ?)",
                                [HAIDONG]).fetchall()
        assert corrected == [("passed",)]  # K1: with the correction, 海东's identities hold
    finally:
        con.close()


def test_the_counts_a_refresh_reports_are_those_of_the_marts(refreshed):
    """The cells a refresh reports are counted from dim_reports (not by reading every cell): the rows of
    fct_report_cells, with duplicates and withdrawn documents left out."""
    last_built = refreshed.runs[3]  # the withdrawals: the state of refreshed.db
    con = duckdb.connect(str(refreshed.db), read_only=True)
    try:
        cells, reports = con.execute("select (select count(*) from marts.fct_report_cells), "
                                     "(select count(*) from marts.dim_reports)").fetchone()
    finally:
        con.close()
    assert (last_built.marts["cells"], last_built.marts["reports"]) == (cells, reports)
    assert cells > 0 and refreshed.runs[4].marts == last_built.marts  # nothing changed: the published counts


def test_the_scope_groups_reports_by_the_agency_id_of_the_marts(refreshed):
    """A refresh closes its scope over agencies as the marts group them: the agency each built report is
    recorded with is its agency_id in dim_reports (raw groups whose 12-hex ids collide are one agency in
    the marts, so one in the scope too)."""
    con = duckdb.connect(str(refreshed.db), read_only=True)
    try:
        recorded = dict(con.execute("select report_id, agency_group from raw.built_reports").fetchall())
        marts = dict(con.execute("select report_id, agency_id from marts.dim_reports").fetchall())
    finally:
        con.close()
    assert recorded and recorded == marts
