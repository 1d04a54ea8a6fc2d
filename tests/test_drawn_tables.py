"""Tables drawn in plain text (box drawing, grid tables), pipe rows without outer pipes and with
backslash escapes (extract/readers/drawn_tables.py, extract/readers/pipes.py)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from conftest import FIXTURES, cell_map, parse

from extract.parse.report import extract_report
from extract.readers.text import lines_from_text

DRAWN = FIXTURES / "drawn"
HEAVY = str.maketrans("│─┌┐└┘├┤┬┴┼", "┃━┏┓┗┛┣┫┳┻╋")
DOUBLE = str.maketrans("│─┌┐└┘├┤┬┴┼", "║═╔╗╚╝╠╣╦╩╬")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _row(cells: list[str], widths: list[int], bar: str = "|") -> str:
    return bar + bar.join(" " + c + " " * (w - _width(c) - 1) for c, w in zip(cells, widths, strict=True)) + bar


def _rule(widths: list[int], joints: str = "+++", line: str = "-") -> str:
    return joints[0] + joints[1].join(line * w for w in widths) + joints[2]


@pytest.fixture(scope="module")
def reference() -> dict:
    cells = cell_map(parse(DRAWN / "pipe_padded_2021.md"))
    assert len(cells) == 200 and cells[(3, "new_received", "total")] == (Decimal(637), "number")
    return cells


@pytest.mark.parametrize("style", [None, HEAVY, DOUBLE], ids=["light", "heavy", "double"])
def test_a_box_drawn_report_with_wrapped_labels_reads_every_cell(reference, style):
    """Box-drawn 表二–表四, labels wrapped over several lines of their cell, merged cells without
    walls; in light, heavy (``┃ ━``) and double (``║ ═``) lines: every cell as the pipe copy has it."""
    text = (DRAWN / "box_wrapped_2021.txt").read_text(encoding="utf-8")
    report = extract_report((text.translate(style) if style else text).encode("utf-8"), "report.txt")
    assert cell_map(report) == reference
    assert not [issue for issue in report.issues if issue.severity != "info"]


def test_a_grid_table_cell_over_several_lines_is_one_cell(reference):
    """Pandoc grid rows are separated by ``+---+`` rules: the lines of a wrapped label between two
    rules are one cell, not rows of blanks (``由逾期不补正…`` once stored 7 wrong blanks)."""
    assert cell_map(parse(DRAWN / "grid_wrapped_2021.txt")) == reference
    widths = [10, 14, 6]
    rows = lines_from_text("\n".join([
        _rule(widths), _row(["信息内容", "本年制发件数", "现行"], widths), _rule(widths, line="="),
        _row(["行政规范", "394", "361"], widths), _row(["性文件", "", ""], widths), _rule(widths)]))
    assert [line.cells for line in rows] == [("信息内容", "本年制发件数", "现行"), ("行政规范性文件", "394", "361")]


def test_a_drawn_table_that_does_not_rule_its_rows_is_read_a_line_a_row():
    """Without rules between rows, two lines with values are two rows; a line without values is a
    label fragment (no blank cells it could not be sure of); a block whose cells are not
    rectangles is no table."""
    widths = [12, 6, 6]
    text = "\n".join([_rule(widths, "┌┬┐", "─"), _row(["信息内容", "制发", "有效"], widths, "│"),
                      _rule(widths, "├┼┤", "─"), _row(["规章", "74", "232"], widths, "│"),
                      _row(["行政规范性", "394", "361"], widths, "│"), _row(["文件", "", ""], widths, "│"),
                      _rule(widths, "└┴┘", "─")])
    assert [line.cells for line in lines_from_text(text)] == [
        ("信息内容", "制发", "有效"), ("规章", "74", "232"), ("行政规范性", "394", "361"), ("文件",)]
    crooked = "\n".join([_rule([6, 6]), _row(["规章", "74"], [6, 6]), "+------+----+-+",
                         "| 行政   3 | 9 |", _row(["其他", "1"], [6, 6]), _rule([6, 6])])
    assert all(line.cells is None for line in lines_from_text(crooked))


def test_pipe_rows_without_outer_pipes_are_read_under_an_alignment_row(reference):
    assert cell_map(parse(DRAWN / "no_outer_pipes_2021.md")) == reference
    table = lines_from_text("信息内容 | 本年制发件数 | 现行有效件数\n---|:---:|---:\n规章 | 74 | 232\n | 5 | ")
    assert [line.cells for line in table] == [("信息内容", "本年制发件数", "现行有效件数"), ("规章", "74", "232"),
                                              ("", "5", "")]
    alike = lines_from_text("规章 | 74 | 0 | 232\n行政规范性文件 | 394 | 89 | 361\n行政许可 | 201 | | ")
    assert [line.cells for line in alike][1] == ("行政规范性文件", "394", "89", "361")
    prose = lines_from_text("本年度 | 本机关认真贯彻条例\n规章 | 74\n公开情况如下。")
    assert all(line.cells is None for line in prose)


def test_markdown_backslash_escapes_are_undone():
    """``1\\.`` is a sub-row's number, ``\\-`` a dash, ``\\|`` a pipe inside a cell."""
    report = parse(DRAWN / "escaped_2021.md")
    cells = cell_map(report)
    assert len(cells) == 200 and not report.issues
    assert cells[(3, "carried_over", "other_org")] == (None, "dash")
    assert cells[(3, "carried_over", "total")] == (Decimal(19), "number")
    assert cells[(3, "denied_state_secret", "total")] == (Decimal(8), "number")
    assert lines_from_text(r"| 1\.属于国家秘密 | \- | a\|b | \*注 |")[0].cells == ("1.属于国家秘密", "-", "a|b", "*注")
