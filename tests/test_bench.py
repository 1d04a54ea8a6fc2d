"""The benchmark's inputs are what they claim: a seeded corpus in every format that reads back
exactly, with the chosen share of broken totals, and a synthetic raw layer of whole reports."""

from __future__ import annotations

import duckdb
from conftest import cell_map
from corpus import RENDERERS, draw, generate
from render import expected_cells, make_report
from synthetic_raw import build_raw

from extract.parse.report import extract_report


def _i3_total_processed_holds(cells) -> bool:
    row = {col: value for (table, row_key, col), (value, _) in cells.items()
           if table == 3 and row_key == "total_processed"}
    return sum(v for col, v in row.items() if col != "total") == row["total"]


def test_corpus_is_seeded_and_reads_back_exactly_in_every_format():
    drawn = list(draw(10, seed=11, broken_share=0.3))
    again = list(draw(10, seed=11, broken_share=0.3))
    assert [expected_cells(r) for _, r, _ in drawn] == [expected_cells(r) for _, r, _ in again]
    assert {fmt for fmt, _, _ in drawn} == set(RENDERERS)
    broken = [is_broken for *_, is_broken in drawn]
    assert any(broken) and not all(broken)
    for fmt, report, is_broken in drawn:
        extension, render = RENDERERS[fmt]
        parsed = extract_report(render(report), f"report.{extension}")
        cells = cell_map(parsed)
        assert cells == expected_cells(report), fmt
        assert _i3_total_processed_holds(cells) is not is_broken, fmt


def test_generate_writes_the_drawn_reports(tmp_path):
    paths = generate(tmp_path, 5, seed=3, formats=("txt", "html"))
    assert [p.name for p in paths] == ["000000-txt.txt", "000001-html.html", "000002-txt.txt",
                                       "000003-html.html", "000004-txt.txt"]
    first = next(draw(1, seed=3, formats=("txt",)))[1]
    assert cell_map(extract_report(paths[0].read_bytes(), paths[0].name)) == expected_cells(first)


def test_synthetic_raw_layer_has_every_template_cell_of_every_report(tmp_path):
    db = tmp_path / "synthetic.duckdb"
    cells = build_raw(db, 12)
    # every template cell: a 2021 report also gets the （六）其他处理 sum row (7 cells) beside its sub-rows
    per_version = {"2019": len(expected_cells(make_report("2019"))),
                   "2021": len(expected_cells(make_report("2021"))) + 7}
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = con.execute("select r.template_version, count(*) from raw.reports r join raw.cells c "
                             "using (report_id) group by r.report_id, r.template_version").fetchall()
        agencies = con.execute("select count(distinct agency_key), count(distinct report_year) "
                               "from raw.reports").fetchone()
    finally:
        con.close()
    assert len(counts) == 12 and all(n == per_version[version] for version, n in counts)
    assert cells == sum(n for _, n in counts)
    assert agencies == (2, 6)  # agencies report for six years running


def test_layout_update_replaces_only_the_measured_families_rows():
    from layouts import updated_section

    head = "| family | variant | template | renders | cells read / printed |"
    old = "\n".join(["## Layout families (cells read / cells printed)", "", "Measured before.", "", head, "|---|",
                     "| pdf_borderless | **all** |  | 16 | 3000 / 3184 |", "|  | borderless | 2021 | 8 | 1500 / 1600 |",
                     "| pipe_blank_cells | **all** |  | 32 | 6368 / 6368 |"]) + "\n"
    measured = [head, "|---|", "| pdf_borderless | **all** |  | 16 | 3184 / 3184 |",
                "|  | borderless | 2021 | 8 | 1600 / 1600 |", "| csv_text | **all** |  | 16 | 3184 / 3184 |"]
    lines = updated_section(old, measured, ["pdf_borderless", "csv_text"], "2026-12-04")
    assert lines[:2] == ["Measured before.", "Measured again on 2026-12-04 (`bench/layouts.py --update FAMILY …`): "
                         "pdf_borderless, csv_text."]
    rows = [line for line in lines if line.startswith("| ") and "**all**" in line or line.startswith("|  |")]
    assert rows == ["| pdf_borderless | **all** |  | 16 | 3184 / 3184 |", "|  | borderless | 2021 | 8 | 1600 / 1600 |",
                    "| pipe_blank_cells | **all** |  | 32 | 6368 / 6368 |", "| csv_text | **all** |  | 16 | 3184 / 3184 |"]
