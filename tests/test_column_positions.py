"""Rows that print fewer values than the table has columns, placed by the columns' spans: 表三 with
its zeros printed blank (a borderless PDF and ``pdftotext -layout``), rows of zeros printed as a
label alone, and a 小计 column whose wrapped header does not say where it is. Every value must lie
in one column span, no two in one column, or the row is refused and nothing of it stored."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from layouts import report_for, score
from render.families import FAMILIES
from render.tools import missing

from extract.layout.cells import Cell
from extract.layout.columns import layout_lines
from extract.parse import extract_report
from extract.parse.subtotal import SOMEWHERE, table_place

needs_pdftotext = pytest.mark.skipif(bool(missing("pdftotext")), reason="pdftotext is not installed")


def _render(family: str, variant: str, version: str, seed: int):
    report = report_for(version, seed)
    data, extension = FAMILIES[family].variants[variant].render(report, seed)
    return report, data, extension


def _cells(parsed, row_key: str) -> dict[str, tuple[Decimal | None, str, str]]:
    return {c.col_key: (c.value, c.cell_state, c.placement) for c in parsed.cells
            if c.table_no == 3 and c.row_key == row_key}


@needs_pdftotext
@pytest.mark.parametrize("variant", ["borderless", "pdftotext_borderless", "pdftotext_ruled"])
def test_rows_of_zeros_printed_blank_are_read_cell_by_cell(variant):
    """Seed 1 prints 7.属于行政执法案卷 as its label alone (every cell blank) and 8.属于行政查询事项 as
    four zeros under 自然人, 科研机构, 法律服务机构, 其他 with a blank 总计."""
    report, data, extension = _render("zeros_printed_blank", variant, "2021", 1)
    parsed = extract_report(data, f"report.{extension}")
    result = score(report, parsed)
    assert result.wrong_numbers == [] and result.wrong_blank_dash == []
    assert result.missing == [] and result.right == result.printed == 200
    blank = (None, "blank", "column_positions")
    assert _cells(parsed, "denied_enforcement_file") == dict.fromkeys(
        ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
         "legal_service_org", "other_org", "total"], blank)
    zero = (Decimal(0), "number", "column_positions")
    assert _cells(parsed, "denied_admin_query") == {
        "natural_person": zero, "commercial_enterprise": blank, "research_institution": zero,
        "social_welfare_org": blank, "legal_service_org": zero, "other_org": zero, "total": blank}


def _shifted(text: str, label: str) -> str:
    """``text`` with the second value of the line holding ``label`` moved to the middle between its
    column and the next (the columns: the value positions of the lines around it)."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if label in line)
    starts = sorted({m.start() for line in lines[max(0, at - 12): at + 12]
                     for m in re.finditer(r"(?<=\s)\d+(?=\s|$)", line)})
    columns: list[list[int]] = []
    for start in starts:
        if columns and start - columns[-1][-1] <= 2:
            columns[-1].append(start)
        else:
            columns.append([start])
    lefts = [c[0] for c in columns]
    second = list(re.finditer(r"(?<=\s)\d+(?=\s|$)", lines[at]))[1]
    column = next(i for i, c in enumerate(columns) if second.start() in c)
    middle = (lefts[column] + lefts[column + 1]) // 2
    chars = list(lines[at])
    for k in range(second.start(), second.end()):
        chars[k] = " "
    chars[middle] = second.group()[0]
    lines[at] = "".join(chars)
    return "\n".join(lines)


@needs_pdftotext
def test_a_value_between_two_column_spans_keeps_its_row_out():
    """The same page with one value of 8.属于行政查询事项 set midway between two columns: the row is
    refused (a parse issue), nothing of it stored, the other rows read as before."""
    report, data, _ = _render("zeros_printed_blank", "pdftotext_ruled", "2021", 1)
    broken = _shifted(data.decode("utf-8"), "8.属于行政查询事项")
    parsed = extract_report(broken.encode("utf-8"), "report.txt")
    result = score(report, parsed)
    assert result.wrong_numbers == [] and result.wrong_blank_dash == []
    assert _cells(parsed, "denied_admin_query") == {}
    assert set(result.missing) == {key for key in report.expected if key[:2] == (3, "denied_admin_query")}
    assert any(i.code in ("unplaceable_values", "unmatched_row") and "0" in i.message for i in parsed.issues)


def _laid(label: str, values: dict[int, str]) -> str:
    """A layout-text line: ``label`` from column 0, each value starting at its column."""
    line = list(label.ljust(max(values) + 4))
    for column, value in values.items():
        line[column:column + len(value)] = value
    return "".join(line).rstrip()


def test_layout_rows_take_the_column_whose_span_holds_each_value():
    """Columns at 20, 28, 36 and 44: values set off the table's left edge still name the first
    column; a value on the middle between two columns names none, and its row keeps its values
    as printed (not inferred)."""
    texts = [_laid("", {20: "自然人", 28: "商业", 36: "科研", 44: "总计"}),
             _laid("一、本年新收", {20: "5", 28: "1", 36: "2", 44: "8"}),
             _laid("二、上年结转", {17: "3", 36: "1", 44: "4"}),
             _laid("（一）予以公开", {20: "2", 32: "1", 44: "3"}),
             _laid("（二）部分公开", {20: "6", 28: "1", 36: "2", 44: "9"})]
    rows = {line.line_no: line for line in layout_lines(texts, 1, "positional", 1)}
    assert rows[3].cells == ("二、上年结转", "3", "", "1", "4") and rows[3].inferred
    assert rows[4].cells == ("（一）予以公开", "2", "1", "3") and not rows[4].inferred


def test_a_label_printed_alone_between_rows_is_a_row_of_blanks():
    """In a table whose blank cells print nothing, a sub-row's label with no value, closed by the
    next sub-row's label, is a row of blank cells; where no row prints blanks it stays a label."""
    texts = [_laid("", {24: "自然人", 32: "商业", 40: "科研", 48: "总计"}),
             _laid("    1.属于国家秘密", {24: "5", 32: "1", 40: "2", 48: "8"}),
             "    2.其他法律行政法规禁止公开",
             _laid("    3.危及“三安全一稳定”", {24: "3", 40: "1", 48: "4"})]
    assert ("2.其他法律行政法规禁止公开", "") in [line.cells for line in layout_lines(texts, 1, "positional", 1)]
    full = [*texts[:3], _laid("    3.危及“三安全一稳定”", {24: "3", 32: "0", 40: "1", 48: "4"})]
    assert all(line.cells != ("2.其他法律行政法规禁止公开", "") for line in layout_lines(full, 1, "positional", 1))


@needs_pdftotext
@pytest.mark.parametrize("version", ["2021", "2019"])
def test_a_subtotal_column_takes_its_place_from_the_rows_of_its_table(version):
    """A row such as ``1 1 0 0 0 0 1 2`` adds up with 小计 before 商业企业 or after 其他; the wrapped
    header does not say which, the table's other rows do: every cell is read."""
    for seed in range(4):
        report, data, extension = _render("subtotal_column_wrapped_header", "pdftotext", version, seed)
        parsed = extract_report(data, f"report.{extension}")
        result = score(report, parsed)
        assert result.wrong_numbers == [] and result.wrong_blank_dash == [], seed
        assert result.right == result.printed, (seed, result.missing[:7])


def _row(*values: str) -> list[Cell]:
    return [Cell(v, 1, 1) for v in values]


def test_a_subtotal_place_needs_rows_that_fit_one_place_alone():
    """The rows that fit one place alone give it to the rows that fit both; rows that disagree, or
    none that fits one place alone, give none."""
    both = _row("1", "1", "0", "0", "0", "0", "1", "2")  # 小计 first or last: both add up
    first = _row("558", "79", "13", "9", "21", "16", "20", "637")  # 79 = 13+9+21+16+20 only
    last = _row("2", "1", "2", "0", "0", "0", "3", "5")  # 3 = 1+2+0+0+0 only
    assert table_place([both, first], 7) == 1
    assert table_place([both, last], 7) == 6
    assert table_place([both], 7) == SOMEWHERE
    assert table_place([both, first, last], 7) == SOMEWHERE


def test_a_row_whose_rest_may_be_on_the_next_line_is_not_placed():
    """``0`` under 自然人 with a blank 总计, and right below it a line that starts no label and prints
    only further right: the two may be one row, so the first is not placed (its blank 总计 would
    verify nothing); with a label starting the line below, it is."""
    head = [_laid("", {24: "自然人", 32: "商业", 40: "科研", 48: "总计"}),
            _laid("    1.属于国家秘密", {24: "5", 32: "1", 40: "2", 48: "8"}),
            _laid("    2.其他法律行政法规", {24: "0"})]
    rest = _laid("      禁止公开", {40: "1", 48: "1"})
    lines = {line.line_no: line for line in layout_lines([*head, rest], 1, "positional", 1)}
    assert lines[3].cells == ("2.其他法律行政法规", "0") and not lines[3].inferred
    own = _laid("    3.危及“三安全一稳定”", {40: "1", 48: "1"})
    lines = {line.line_no: line for line in layout_lines([*head, own], 1, "positional", 1)}
    assert lines[3].cells == ("2.其他法律行政法规", "0", "", "", "") and lines[3].inferred


def _stamped(version: str, seed: int, label: str, edit) -> tuple[dict, dict, list]:
    """A clean layout rendering with the line starting ``label`` edited as a stamp over it would:
    (expected cells, stored cells by key, issues)."""
    from render import expected_cells, make_report, to_layout_text
    report = make_report(version, seed)
    lines = to_layout_text(report).decode().split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith(label))
    lines[at:at + 1] = edit(lines[at])
    parsed = extract_report("\n".join(lines).encode(), "stamped.txt")
    got = {(c.table_no, c.row_key, c.col_key): (c.value, c.cell_state) for c in parsed.cells}
    return expected_cells(report), got, parsed.issues


def test_a_number_read_into_the_label_leaves_no_blank_in_its_column():
    """``行政规范性文件   333  站    24   37``: a stamp character after the first value makes ``333`` part
    of the label; ``24 37`` alone fit the last two columns of 规章's row, but the line prints a number in
    the first column: the row is not placed with a blank 本年新制作数量."""
    def edit(line: str) -> list[str]:
        first = line.split()[1]
        end = line.index(first) + len(first)
        return [line[:end] + "  站" + line[end + 4:]]

    expected, got, issues = _stamped("2019", 1, "行政规范性文件", edit)
    assert not [key for key in got if key[1] == "normative_documents"]
    assert all(expected.get(key) == value for key, value in got.items() if key[0] == 2)
    assert any(i.code == "unplaceable_values" and i.row_key == "normative_documents" for i in issues)


def test_a_row_whose_rest_is_on_a_text_line_below_is_not_placed_with_a_blank_total():
    """``7.属于行政执法案卷  0 0 0 0 0`` with ``0 :3`` below it in the 其他 column (the rest of the row,
    a text line by the stamp's ``:3``): five zeros fit the first five columns and sum to a blank 总计,
    but the line below prints a number in a blank column: not placed, no blank stored."""
    def edit(line: str) -> list[str]:
        label = "7.属于行政执法案卷"
        cut = line.rindex(line.split()[-2])
        return [label + re.sub(r"\d+", "0", line[len(label):cut].rstrip()), " " * cut + "0 :3"]

    expected, got, issues = _stamped("2021", 1, "7.属于行政执法案卷", edit)
    assert not [key for key in got if key[1] == "denied_enforcement_file"]
    assert all(expected.get(key) == value for key, value in got.items() if key[0] == 3)
    assert any(i.code == "unplaceable_values" and i.row_key == "denied_enforcement_file" for i in issues)
