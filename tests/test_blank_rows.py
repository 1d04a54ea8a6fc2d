"""Rows printed blank, invisible characters and text among a row's values: each row keeps its own numbers
or stores none (extract/parse/align.py, extract/parse/template.py, extract/readers/invisible.py,
extract/parse/scan.py). bench/blank_rows.py measures the layout families with rows printed blank."""

from __future__ import annotations

from conftest import FIXTURES, cell_map
from layouts import report_for
from render import expected_cells
from render.html import to_html
from render.reshape import with_blank_rows
from render.text import to_tab_text

from extract.parse import extract_report
from extract.parse.template import load_template

LAYOUT = FIXTURES / "layout"


def _agrees(path, version: str, seed: int, blank: list[str]) -> tuple[dict, dict]:
    cells = cell_map(extract_report(path.read_bytes(), path.name))
    expected = expected_cells(with_blank_rows(report_for(version, seed), blank))
    assert {k: v for k, v in cells.items() if k in expected} == {k: v for k, v in expected.items() if k in cells}
    return cells, expected


def test_a_label_printed_alone_above_a_wrapped_label_is_not_joined_to_it():
    """``pdftotext -layout`` of narrow label columns, 行政处罚 printed blank: ``行政处`` / ``罚`` then
    ``行政强`` / ``292`` / ``制``. Joined, ``行政处罚行政强`` named 行政处罚 by its alias's prefix, and 行政强制's
    292 was stored under it; the fragments begin with a whole label and the rest begins another's."""
    cells, expected = _agrees(LAYOUT / "narrow_2021_seed5_blank_penalty.pdftotext.txt", "2021", 5, ["行政处罚"])
    assert (2, "admin_penalty", "decisions") not in cells
    assert len(cells) >= len(expected) - 2


def test_a_blank_row_above_a_row_whose_label_wraps_gives_it_no_label():
    """行政许可 printed blank above ``其他对外`` / ``管理服务  259  减3  272`` / ``事项``: the readings
    ``行政许可其他对外管理服务`` and ``其他对外管理服务`` named two rows as strongly; 259 went to 行政许可."""
    cells, expected = _agrees(LAYOUT / "narrow_2019_seed0_blank_licensing.pdftotext.txt", "2019", 0, ["行政许可"])
    assert not any(k[1] == "admin_licensing" for k in cells)
    assert len(cells) >= len(expected) - 6


def test_fragments_that_begin_with_a_whole_label_and_go_on_with_another_are_two_labels():
    template = load_template()
    assert template.spans_two(["行政处", "罚", "行政强"], 2)
    assert template.spans_two(["行政许可", "其他对外"], 2)
    assert not template.spans_two(["行政规", "范性文", "件"], 2)
    assert not template.spans_two(["1.申请人无正当理由逾期不补正", "行政机关不再处理其政府信息公开申请"], 3)
    assert not template.spans_two(["（二）部分公开", "（区分处理的，只计这一情形，不计其他情形）"], 3)


def test_invisible_characters_are_not_read():
    """A web editor's soft hyphens (``万\\u00ad元``, ``行政\\u00ad许可``) and a cell holding only a
    byte-order mark: the amount stayed in 元 (stored ÷ 10,000), the labels named no row, and the cell
    was text that made its row one cell short."""
    report = report_for("2021", 0)
    html = to_html(report, "utf-8").decode("utf-8")
    html = html.replace("万元", "万\u00ad元").replace("行政许可", "行政\u00ad许可").replace('<font size="2"></font>', '<font size="2">\ufeff</font>')
    assert "\ufeff" in html
    assert cell_map(extract_report(html.encode("utf-8"), "report.html")) == expected_cells(report)


def test_text_after_a_rows_values_does_not_move_them_into_a_merged_labels_cells():
    """Tab text of a row whose label spans three columns, ``不详`` printed in its 总计:
    ``二、上年结转…\\t\\t\\t4\\t5\\t7\\t2\\t1\\t0\\t不详``. With the text cut off, the label's two spill cells
    made the values one column too many and they were placed a column right (natural_person blank,
    commercial_enterprise 4 …). Now the row is not placed."""
    report = report_for("2021", 1)
    table3 = report.tables()[1]
    row = next(r for r in table3 if r and r[0][0].startswith("二、上年结转"))
    row[-1] = ("不详", 1, 1)
    parsed = extract_report(to_tab_text(report), "report.txt")
    assert not any(c.row_key == "carried_over" for c in parsed.cells)
    assert any(i.code == "unplaceable_values" and i.row_key == "carried_over" for i in parsed.issues)
