"""The whole job on the sample reports: extract → raw → dbt build → marts, queried."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import GONGKAI, REPORTS, SEEDS


@pytest.fixture(scope="module")
def warehouse(sample_warehouse):
    assert "reports loaded: 5" in sample_warehouse.refresh.stdout
    con = duckdb.connect(str(sample_warehouse.db), read_only=True)
    yield con, sample_warehouse.folder, sample_warehouse.db
    con.close()


def _report_id(con, seed):
    return con.execute("select report_id from marts.dim_reports where source_path = ?", [SEEDS[seed]]).fetchone()[0]


def _value(con, seed, table_no, row_key, col_key):
    rows = con.execute(
        "select value, cell_state from marts.fct_report_cells where report_id = ? and table_no = ? "
        "and row_key = ? and col_key = ?", [_report_id(con, seed), table_no, row_key, col_key]).fetchall()
    return rows[0] if rows else None


def test_dim_reports(warehouse):
    con, _, _ = warehouse
    rows = con.execute("select source_path, agency_name, report_year, template_version, quality_status "
                       "from marts.dim_reports order by source_path").fetchall()
    assert rows == [
        (SEEDS["000"], "张店公安分局", 2020, "2019", "incomplete"),
        (SEEDS["001"], "淄博市公安局交通警察支队张店大队", 2020, "2019", "inconsistent"),
        (SEEDS["002"], "淄博市公安局高新区分局", 2023, "2021", "incomplete"),
        (SEEDS["003"], "临沂市公安局", 2020, "2019", "inconsistent"),
        (SEEDS["004"], "海东市公安局", 2020, "2019", "inconsistent"),
    ]


def test_key_numbers_in_marts(warehouse):
    con, _, _ = warehouse
    assert _value(con, "001", 2, "admin_licensing", "change") == (Decimal(-72462), "number")
    assert _value(con, "003", 2, "centralized_procurement", "procurement_amount_10k_yuan") == (Decimal("6727.41"), "number")
    assert _value(con, "004", 2, "admin_penalty", "change") == (Decimal(-105), "number")
    assert _value(con, "004", 2, "admin_penalty", "decisions") == (None, "blank")
    assert _value(con, "002", 3, "granted", "total") is None
    assert _value(con, "002", 3, "new_received", "natural_person") is None
    litigation = con.execute(
        "select proceeding, result, value from marts.fct_review_litigation where report_id = ? order by all",
        [_report_id(con, "003")]).fetchall()
    assert ("litigation_after_reconsideration", "upheld", Decimal(4)) in litigation
    requests = con.execute("select sum(new_received), sum(total_processed) from marts.fct_requests "
                           "where report_id = ?", [_report_id(con, "003")]).fetchone()
    assert requests == (23, 23)  # the six applicant types: the printed 总计 is in fct_published_totals
    totals = con.execute("select row_key, published_total, parts_sum, parts_check_status from marts.fct_published_totals "
                         "where report_id = ? and table_no = 3 and row_key in ('new_received', 'total_processed') "
                         "order by 1", [_report_id(con, "003")]).fetchall()
    assert totals == [("new_received", 23, 23, "passed"), ("total_processed", 23, 23, "passed")]
    groups = dict(con.execute(
        "select outcome_group, sum(value) from marts.fct_request_outcomes where report_id = ? "
        "and applicant_type = 'natural_person' group by 1", [_report_id(con, "003")]).fetchall())
    assert groups["unable"] == Decimal(13) and groups["denied"] == Decimal(2)


def test_naive_sums_by_year_count_every_request_once(warehouse):
    """The first query a journalist writes: sum(new_received) by year over fct_requests. It must
    give the printed 总计 of every report whose parts add up, not twice it."""
    con, _, _ = warehouse
    naive = dict(con.execute("select report_year, sum(new_received) from marts.fct_requests "
                             "where report_id in (select report_id from marts.fct_published_totals "
                             "where table_no = 3 and row_key = 'new_received' and parts_check_status = 'passed') "
                             "group by 1").fetchall())
    printed = dict(con.execute("select report_year, sum(published_total) from marts.fct_published_totals "
                               "where table_no = 3 and row_key = 'new_received' and parts_check_status = 'passed' "
                               "group by 1").fetchall())
    assert naive and naive == printed
    counts = ("new_received", "carried_over", "total_processed", "carried_forward")
    described = {name: kind for name, kind, *_ in con.execute("describe marts.fct_requests").fetchall()}
    assert {described[name] for name in counts} == {"BIGINT"}


def test_the_documented_rate_recipe_is_null_not_nan_on_a_zero_denominator(warehouse):
    con, _, _ = warehouse
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    recipe = readme.split("```sql\n  select report_year, sum(numerator)", 1)[1].split("```", 1)[0]
    sql = "select report_year, sum(numerator)" + recipe.replace("\n  ", "\n")
    rates = dict(con.execute(sql).fetchall())
    assert rates and all(rate is None or rate == rate for rate in rates.values())  # NaN != NaN
    zero = con.execute(sql.replace("metric_key = 'denial_rate'", "metric_key = 'reconsideration_correction_rate'")
                       .replace("group by report_year", "and denominator = 0 group by report_year")).fetchall()
    assert zero and all(rate is None for _, rate in zero)


def test_identity_failures_exactly_where_published_totals_disagree(warehouse):
    con, _, _ = warehouse
    failed = con.execute(
        "select d.source_path, q.check_id, q.subject from marts.fct_data_quality q join marts.dim_reports d "
        "using (report_id) where q.passed = false and q.check_family = 'identity' order by all").fetchall()
    assert failed == sorted([
        (SEEDS["001"], "I1", "natural_person"), (SEEDS["001"], "I1", "total"),
        (SEEDS["001"], "I2", "natural_person"), (SEEDS["001"], "I2", "total"),
        (SEEDS["003"], "I2", "total"), (SEEDS["003"], "I3", "denied_law_prohibited"),
        (SEEDS["003"], "I3", "granted"), (SEEDS["003"], "I3", "unable_need_creation"),
        (SEEDS["003"], "I4", "litigation_after_reconsideration"),
        (SEEDS["004"], "I4", "admin_reconsideration"),
    ])
    passed = con.execute("select count(*) from marts.fct_data_quality where check_id = 'I1' and passed").fetchone()[0]
    assert passed >= 5 + 7


def test_bad_file_recorded_and_docs_in_duckdb_comments(warehouse):
    con, _, _ = warehouse
    assert con.execute("select error_class from marts.fct_load_errors").fetchall() == [("empty_file",)]
    # fct_report_cells is a view over the labelled cells; its docs are persisted all the same.
    comment = con.execute("select comment from duckdb_views() where schema_name = 'marts' "
                          "and view_name = 'fct_report_cells'").fetchone()[0]
    assert "as published" in comment
    column = con.execute("select comment from duckdb_columns() where schema_name = 'marts' "
                         "and table_name = 'fct_report_cells' and column_name = 'raw_text'").fetchone()[0]
    assert column
    schemas = {r[0] for r in con.execute("select distinct schema_name from duckdb_tables()").fetchall()}
    assert {"raw", "marts", "seeds"} <= schemas


def test_second_refresh_parses_nothing_and_keeps_marts(warehouse):
    con, folder, db = warehouse
    before = con.execute("select count(*), sum(hash(cell_id, value, cell_state)) from marts.fct_report_cells").fetchone()
    con.close()
    result = subprocess.run([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db), "--json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["new"], summary["changed"], summary["unchanged"], summary["cells_loaded"]) == (0, 0, 6, 0)
    again = duckdb.connect(str(db), read_only=True)
    try:
        after = again.execute("select count(*), sum(hash(cell_id, value, cell_state)) from marts.fct_report_cells").fetchone()
    finally:
        again.close()
    assert after == before


def test_extract_cli_json():
    result = subprocess.run([GONGKAI, "extract", str(REPORTS / SEEDS["003"]), "--json"],
                            capture_output=True, text=True, check=True)
    data = json.loads(result.stdout)[0]
    assert data["metadata"]["agency_name"] == "临沂市公安局"
    cell = next(c for c in data["cells"] if c["row_key"] == "centralized_procurement"
                and c["col_key"] == "procurement_amount_10k_yuan")
    assert (cell["value"], cell["raw_text"], cell["unit"]) == ("6727.41", "6727.41万", "万元")


def test_analyses_compile_and_run(warehouse):
    con, _, db = warehouse
    from extract.run.dbt import run_dbt

    result = run_dbt(["compile"], db)
    assert result.returncode == 0, result.stdout
    compiled = db.parent / "dbt_target" / "compiled" / "gongkai" / "analyses"
    reader = duckdb.connect(str(db), read_only=True)
    try:
        results = {path.name: reader.execute(path.read_text()).fetchall() for path in sorted(compiled.glob("*.sql"))}
    finally:
        reader.close()
    assert len(results) >= 5
    assert len(results["reports_whose_totals_do_not_add_up.sql"]) == 10
    denials = results["denial_rates_and_reasons_by_agency.sql"]
    assert all(row[5] is not None for row in denials)
    assert {(row[0], row[4]) for row in results["unreadable_cells.sql"]} == {("张店公安分局", "table_missing")}
    litigation = results["litigation_outcomes_by_year.sql"]
    assert {row[1] for row in litigation} == {"admin_reconsideration", "litigation_direct",
                                              "litigation_after_reconsideration"}

