"""Each seed report's layout, checked number by number against the source text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import REPORTS, SEEDS, cell_map

APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org", "total"]
T4_BLOCKS = ["admin_reconsideration", "litigation_direct", "litigation_after_reconsideration"]
T4_COLS = ["upheld", "corrected", "other_result", "pending", "total"]


def row(cells, table_no, row_key, cols):
    return [cells.get((table_no, row_key, col), (None, "absent"))[0] for col in cols]


def states(cells, table_no, row_key, cols):
    return [cells.get((table_no, row_key, col), (None, "absent"))[1] for col in cols]


def d(*values):
    return [None if v is None else Decimal(v) for v in values]


@pytest.mark.parametrize("seed", SEEDS)
def test_every_number_is_printed_at_its_line(seed, seed_reports):
    """No cell holds a number the source does not state: raw text is on the recorded line."""
    lines = (REPORTS / SEEDS[seed]).read_text(encoding="utf-8").split("\n")
    for cell in seed_reports[seed].cells:
        assert cell.line_no is not None
        if cell.cell_state == "number":
            assert cell.raw_text in lines[cell.line_no - 1], cell


def test_metadata(seed_reports):
    meta = {seed: report.metadata for seed, report in seed_reports.items()}
    assert (meta["000"].agency_name, meta["000"].report_year, meta["000"].template_version) == ("张店公安分局", 2020, "2019")
    assert (meta["001"].agency_name, meta["001"].report_year) == ("淄博市公安局交通警察支队张店大队", 2020)
    assert meta["001"].published_date == "2021-01-26"
    assert (meta["002"].agency_name, meta["002"].report_year, meta["002"].template_version) == ("淄博市公安局高新区分局", 2023, "2021")
    assert (meta["003"].agency_name, meta["003"].report_year, meta["003"].template_version) == ("临沂市公安局", 2020, "2019")
    assert (meta["004"].agency_name, meta["004"].report_year, meta["004"].template_version) == ("海东市公安局", 2020, "2019")
    assert meta["004"].published_date == "2021-02-03"
    assert all(m.version_basis == "table_headers" for m in meta.values())


def test_000_markdown_tabs_single_value_rule(seed_reports):
    report = seed_reports["000"]
    cells = cell_map(report)
    assert row(cells, 2, "admin_licensing", ["prior_year_items", "change", "decisions"]) == d(5, 6, 4427)
    assert row(cells, 2, "admin_penalty", ["prior_year_items", "change", "decisions"]) == d(0, 339, 2126)
    assert row(cells, 2, "admin_coercion", ["prior_year_items", "change", "decisions"]) == d(0, 20, 323)
    assert row(cells, 2, "admin_fees", ["prior_year_items", "change"]) == d(2, 0)
    assert (2, "centralized_procurement", "procurement_items") not in cells
    # 表三 prints one number per row: stored as the 总计 only, nothing else invented.
    t3 = {k: v for k, v in cells.items() if k[0] == 3}
    assert {k[2] for k in t3} == {"total"}
    assert t3[(3, "new_received", "total")] == (Decimal(5), "number")
    assert t3[(3, "denied_enforcement_file", "total")] == (Decimal(2), "number")
    assert t3[(3, "granted", "total")] == (Decimal(0), "number")
    assert len(t3) == 11 and (3, "denied_admin_query", "total") not in t3
    assert all(c.placement == "single_value_total" for c in report.cells if c.table_no == 3)
    assert "single_value_rule" in {i.code for i in report.issues}
    assert not [c for c in report.cells if c.table_no == 4]


def test_001_one_cell_per_line(seed_reports):
    cells = cell_map(seed_reports["001"])
    assert row(cells, 2, "admin_licensing", ["prior_year_items", "change", "decisions"]) == d(176454, -72462, 103992)
    assert row(cells, 2, "admin_penalty", ["prior_year_items", "change", "decisions"]) == d(558879, -66315, 492564)
    assert row(cells, 2, "admin_coercion", ["prior_year_items", "change", "decisions"]) == d(9862, -1370, 8492)
    assert row(cells, 2, "centralized_procurement", ["procurement_items", "procurement_amount_10k_yuan"]) == d(0, 0)
    assert row(cells, 3, "new_received", APPLICANTS) == d(2, 0, 0, 0, 0, 0, 2)
    assert row(cells, 3, "granted", APPLICANTS) == d(2, 0, 0, 0, 0, 0, 2)
    assert row(cells, 3, "total_processed", APPLICANTS) == d(0, 0, 0, 0, 0, 0, 0)
    assert row(cells, 3, "other_handling", APPLICANTS) == d(0, 0, 0, 0, 0, 0, 0)
    assert len([k for k in cells if k[0] == 3]) == 23 * 7
    for block in T4_BLOCKS:
        assert row(cells, 4, block, T4_COLS) == d(0, 0, 0, 0, 0)


def test_002_tab_separated_cut_table(seed_reports):
    report = seed_reports["002"]
    cells = cell_map(report)
    assert row(cells, 2, "regulations", ["issued", "repealed", "in_force"]) == d(0, 0, 0)
    assert [k for k in cells if k[0] == 2 and k[1] != "regulations"] == []
    for absent in ("new_received", "carried_over", "granted"):
        assert not [k for k in cells if k[:2] == (3, absent)]
    assert row(cells, 3, "partially_granted", APPLICANTS) == d(0, 0, 0, 0, 0, 0, 0)
    assert row(cells, 3, "unable_not_held", APPLICANTS) == d(1, 0, 0, 0, 0, 0, 1)
    assert row(cells, 3, "other_no_correction", APPLICANTS) == d(0, 0, 0, 0, 0, 0, 0)
    assert row(cells, 3, "other_other", APPLICANTS) == d(0, 0, 0, 0, 0, 0, 0)
    assert row(cells, 3, "total_processed", APPLICANTS) == d(1, 0, 0, 0, 0, 0, 1)
    assert row(cells, 3, "carried_forward", APPLICANTS) == d(0, 0, 0, 0, 0, 0, 0)
    assert (3, "other_handling", "total") not in cells
    for block in T4_BLOCKS:
        assert row(cells, 4, block, T4_COLS) == d(0, 0, 0, 0, 0)
    assert not [i for i in report.issues if i.severity != "info"]


def test_003_one_cell_per_line_with_pipes(seed_reports):
    cells = cell_map(seed_reports["003"])
    assert row(cells, 2, "admin_licensing", ["prior_year_items", "change", "decisions"]) == d(39, 0, 320131)
    assert row(cells, 2, "other_external_services", ["prior_year_items", "change", "decisions"]) == d(4, 0, 74297)
    assert row(cells, 2, "admin_penalty", ["prior_year_items", "change", "decisions"]) == d(317, 0, 5680)
    assert row(cells, 2, "admin_coercion", ["prior_year_items", "change", "decisions"]) == d(32, 0, 1530)
    assert row(cells, 2, "admin_fees", ["prior_year_items", "change"]) == d(19, 0)
    assert row(cells, 2, "centralized_procurement", ["procurement_items", "procurement_amount_10k_yuan"]) == d(784, "6727.41")
    assert row(cells, 3, "new_received", APPLICANTS) == d(22, 0, 0, 0, 0, 1, 23)
    assert row(cells, 3, "granted", APPLICANTS) == d(3, 0, 0, 0, 0, 0, 0)
    assert row(cells, 3, "denied_law_prohibited", APPLICANTS) == d(1, 0, 0, 0, 0, 0, 0)
    assert row(cells, 3, "denied_admin_query", APPLICANTS) == d(1, 0, 0, 0, 0, 0, 1)
    assert row(cells, 3, "unable_not_held", APPLICANTS) == d(9, 0, 0, 0, 0, 1, 10)
    assert row(cells, 3, "unable_need_creation", APPLICANTS) == d(1, 0, 0, 0, 0, 0, 0)
    assert row(cells, 3, "unable_unclear_after_correction", APPLICANTS) == d(3, 0, 0, 0, 0, 0, 3)
    assert row(cells, 3, "not_processed_petition", APPLICANTS) == d(2, 0, 0, 0, 0, 0, 2)
    assert row(cells, 3, "other_handling", APPLICANTS) == d(2, 0, 0, 0, 0, 0, 2)
    assert row(cells, 3, "total_processed", APPLICANTS) == d(22, 0, 0, 0, 0, 1, 23)
    assert row(cells, 3, "carried_forward", APPLICANTS) == d(0, 0, 0, 0, 0, 0, 0)
    assert row(cells, 4, "admin_reconsideration", T4_COLS) == d(2, 0, 0, 0, 2)
    assert row(cells, 4, "litigation_direct", T4_COLS) == d(1, 0, 0, 0, 1)
    assert row(cells, 4, "litigation_after_reconsideration", T4_COLS) == d(4, 0, 0, 0, 0)
    assert len(cells) == 22 + 23 * 7 + 15


def test_004_blank_cells_are_blank_not_zero(seed_reports):
    report = seed_reports["004"]
    cells = cell_map(report)
    assert row(cells, 2, "admin_penalty", ["prior_year_items", "change", "decisions"]) == d(3454, -105, None)
    assert states(cells, 2, "admin_penalty", ["decisions"]) == ["blank"]
    assert row(cells, 2, "admin_licensing", ["prior_year_items", "change", "decisions"]) == d(41, None, None)
    assert states(cells, 2, "regulations", ["new_made", "new_published", "total_published"]) == ["blank"] * 3
    assert states(cells, 3, "new_received", APPLICANTS) == ["blank"] * 7
    assert states(cells, 3, "denied_security_stability", APPLICANTS) == ["blank"] * 7
    assert not [k for k in cells if k[:2] == (3, "denied_third_party")]
    assert row(cells, 4, "admin_reconsideration", T4_COLS) == d(4, None, 0, 5, 18)
    assert row(cells, 4, "litigation_direct", T4_COLS) == d(3, None, None, None, 3)
    assert row(cells, 4, "litigation_after_reconsideration", T4_COLS) == d(None, None, None, None, 0)
    assert all(v is None for (t, *_), (v, s) in cells.items() if s == "blank")
