"""Label columns one or two characters wide, and a row's values on two lines with label lines between:
what lies in the label columns is label, fragments are re-joined within their column, and a row
the evidence does not place with confidence stores nothing (extract/layout/label_area.py,
extract/layout/wrapped_rows.py, extract/parse/align.py)."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES, cell_map
from layouts import report_for
from render import expected_cells, make_report, to_layout_text
from render.families import pdf_tiny_labels

from extract.layout.columns import layout_lines
from extract.parse import extract_report

LAYOUT = FIXTURES / "layout"


@pytest.mark.parametrize(("version", "seed"), [("2021", 0), ("2019", 6)])
def test_tiny_label_columns_without_rules_read_every_cell(version, seed):
    """（四）无法提供 wrapped a character a line (无 alone in the group column), 三安全一稳定 with its 一
    beside the values, （一）予 / values / 以公开: every cell under its key (before: 91.6–92.6 %)."""
    report = report_for(version, seed)
    data, _ = pdf_tiny_labels(report, seed, ruled=False)
    cells = cell_map(extract_report(data, "tiny.pdf"))
    expected = expected_cells(report)
    for row_key in ("unable_need_creation", "unable_unclear_after_correction", "denied_security_stability",
                    "granted", "other_handling" if version == "2019" else "other_other", "total_processed"):
        assert {k: cells.get(k) for k in expected if k[1] == row_key} == \
            {k: v for k, v in expected.items() if k[1] == row_key}, row_key
    assert cells == expected


@pytest.mark.parametrize(("version", "seed"), [("2021", 4), ("2019", 1)])
def test_browser_print_rows_split_across_label_lines_read_every_cell(version, seed):
    """``pdftotext -layout`` of Chromium's print (bench/render/unseen_pdf.browser_pdf): ``信息需要另行 5`` /
    ``提供    制作`` / ``1 0 3 0 0 9`` is one row; ``4.保护第三方合法 17`` / ``权益`` / ``（三）不予公开
    5.属于三类内部事`` / ``0 3 0 0 0 20`` is one row too, and ``5.属于三类内部事`` goes to ``务信息 17 …``."""
    path = LAYOUT / f"browser_print_{version}_seed{seed}.pdftotext.txt"
    parsed = extract_report(path.read_bytes(), path.name)
    assert cell_map(parsed) == expected_cells(report_for(version, seed))
    assert not [i for i in parsed.issues if i.severity != "info"]


def test_a_joined_row_whose_total_is_not_its_sum_is_refused():
    """The two parts joined are verified by the row's 总计: changed, nothing of the row is stored."""
    path = LAYOUT / "browser_print_2021_seed4.pdftotext.txt"
    text = path.read_text(encoding="utf-8").replace("                          1   0   3   0   0   9\n",
                                                    "                          1   0   3   0   0   8\n", 1)
    parsed = extract_report(text.encode(), path.name)
    cells = cell_map(parsed)
    assert not [k for k in cells if k[1] == "unable_need_creation"]
    assert any(i.code == "row_unverified" and i.row_key == "unable_need_creation" for i in parsed.issues)
    expected = expected_cells(report_for("2021", 4))
    assert all(expected[k] == v for k, v in cells.items())


def test_label_characters_in_the_label_columns_are_no_values():
    """无 alone in the group column is label, not a dash cell; 一 leading a row beyond the columns of the
    rows near it joins the label and the row is verified by its 总计."""
    texts = [
        "                   1.本",
        "                   不掌   1   0    3    1   0    3    8",
        "                   府信",
        "                （  2.没",
        "                四） 有现",
        "                无  成信",
        "                法  息需   0   0    0    0   3    0    3",
        "                提  要另",
        "                   3.危",
        "                   三全 一 2   0    3    0   3    1    9",
    ]
    lines = layout_lines(texts, None, "positional", 1)
    rows = [line for line in lines if line.cells and line.cells[-1] in ("8", "3", "9")]
    assert [row.cells[-7:] for row in rows] == [("1", "0", "3", "1", "0", "3", "8"),
                                                ("0", "0", "0", "0", "3", "0", "3"),
                                                ("2", "0", "3", "0", "3", "1", "9")]
    assert "无法" in rows[1].cells and "无" not in rows[1].cells
    assert rows[2].cells[:-7][-1].endswith("三全一") and rows[2].inferred
    assert not any(line.cells == ("无",) or (line.cells and line.cells[0] == "无") for line in lines)


def test_two_labels_over_one_row_of_values_store_nothing():
    """4.保护第三方合法权益 and 5.属于三类内部事务信息 printed whole above one row of values with no label:
    the values may be either row's. It names both as strongly, so it is no anchor, and one row for
    the template's two cannot be placed by order: refused, its values not stored."""
    report = make_report("2021", seed=7)
    lines = to_layout_text(report).decode().split("\n")
    third = next(n for n, line in enumerate(lines) if line.startswith("4.保护第三方合法权益"))
    fourth = lines[third + 1]
    assert fourth.startswith("5.属于三类内部事务信息")
    values = "    ".join(fourth.split()[1:])  # 5.属于三类内部事务信息's: 4.保护第三方合法权益's are gone
    lines[third:third + 2] = ["4.保护第三方合法权益", "5.属于三类内部事务信息", " " * 24 + values]
    parsed = extract_report("\n".join(lines).encode(), "two_labels.txt")
    cells = cell_map(parsed)
    assert not [k for k in cells if k[1] in ("denied_third_party", "denied_internal_affairs")]
    assert any(i.code == "unmatched_row" for i in parsed.issues)
    expected = expected_cells(report)
    assert all(expected[k] == v for k, v in cells.items())
    assert cells[(3, "denied_process_info", "total")] == expected[(3, "denied_process_info", "total")]


@pytest.mark.parametrize(("first", "joined"), [("2", True), ("0", False)])
def test_values_across_a_label_line_join_only_when_the_total_can_verify_it(first, joined):
    """``4.保护第三方合法 2`` / ``权益`` / six values under the last six columns: one row, verified by its
    总计. With ``0`` above, a 总计 that holds either way tells nothing: two rows, as printed."""
    fuller = "    3.危及“三安全一稳定”  5    1    0    0    0    0    6"
    lower = " " * fuller.index("1    0    0") + "1    3    3    1    0    " + ("10" if joined else "8")
    texts = [fuller, f"    4.保护第三方合法 {first}", "    权益", lower]
    rows = [line for line in layout_lines(texts, None, "positional", 1) if line.cells and line.cells[-1] != "权益"]
    if joined:
        assert [row.cells for row in rows][1] == ("4.保护第三方合法", "权益", "2", "1", "3", "3", "1", "0", "10")
        assert rows[1].inferred and len(rows) == 2
    else:
        assert [row.cells[-1] for row in rows] == ["6", "0", "8"]


def test_spaced_out_labels_in_two_character_columns_read_every_cell():
    """分散对齐 labels in columns two characters wide (LibreOffice's print of a spaced DOCX): ``4. 无`` is
    the head of 4.无正当理由大量反复申请, not a dash; ``（ 七 ） 总 计`` is one label; the tail of
    （六）1.申请人… wraps beside the group label set a character a line (``）`` ``其`` / ``请人``).
    Before: 151 of 200 cells read."""
    path = LAYOUT / "spaced_docx_2021_seed0.pdftotext.txt"
    parsed = extract_report(path.read_bytes(), path.name)
    assert cell_map(parsed) == expected_cells(report_for("2021", 0))
    # a header line's stray 本年增/减 slash may stay unmatched; no refused row holds a number
    refused = [i.message for i in parsed.issues if i.code in ("unmatched_row", "unplaceable_values")]
    assert not [m for m in refused if re.search(r"values \[[^\]]*\d", m)], refused


def test_a_spaced_out_column_header_and_labels_spread_unevenly_read_every_cell():
    """The 2019 form of the same print: ``信   息   内   容`` spaced out over the label columns, and
    行政许可 / 行政处罚 / 行政强制 spread over their cells with uneven gaps (``行  政 许  可``). Each such
    label is one label, not characters of a group label printed one a line: every cell is read
    (before: 189 of 198, those rows refused)."""
    path = LAYOUT / "spaced_docx_2019_seed1.pdftotext.txt"
    assert cell_map(extract_report(path.read_bytes(), path.name)) == expected_cells(report_for("2019", 1))


def test_a_label_spread_with_uneven_gaps_is_one_label_unless_a_character_stands_in_a_vertical_column():
    """``行  政 许  可``: one label whose characters are one or two spaces apart. Beside a group label
    set a character a line (``三`` / ``本`` / ``年`` / ``度`` in column 0) the first character stays the group's."""
    header = "信  息 内  容 上一年项目数量               本    年   增       /   减       处 理 决 定 数 量"
    rows = [header, "行  政 许  可 201                   0                            221",
            "行  政 处  罚 62                    减3                           377"]
    lines = layout_lines(rows, 1, "positional", 1)
    assert [line.cells[-4:] for line in lines[1:]] == [("行 政 许 可", "201", "0", "221"),
                                                       ("行 政 处 罚", "62", "减3", "377")]
    vertical = ["三", "本  （一）予以公开   3   0   3", "年", "度  行 政 许 可   201   0   221"]
    last = layout_lines(vertical, 1, "positional", 1)[-1]
    assert last.cells[-4:] == ("行 政 许 可", "201", "0", "221") and "度" in last.cells[:-4]


def test_a_download_stamp_between_a_row_and_its_wrapped_label_misplaces_nothing():
    """``pdftotext -layout`` of a PDF stamped on download (``某市某区人民政府门户网站 2021-01-20 10:30:15``
    tiled over the page): the stamp's pieces between 行政许可 and 其他对外 / 管理服务 / 事项 must not
    carry 其他对外管理服务事项's values to 行政许可 (a longer carry of label pieces did: 3 wrong numbers)."""
    path = LAYOUT / "watermark_tiles_2019_seed0.pdftotext.txt"
    cells = cell_map(extract_report(path.read_bytes(), path.name))
    expected = expected_cells(report_for("2019", 0))
    assert {k: v for k, v in cells.items() if k in expected} == {k: v for k, v in expected.items() if k in cells}
    assert {k[2]: v[0] for k, v in cells.items() if k[1] == "other_external_services"} == \
        {"prior_year_items": 259, "change": -3, "decisions": 272}


def test_a_label_dash_one_space_after_a_sub_number_is_label():
    """``4. 无   17 …``: 无 a single space after ``4.`` is the label's first character; a 无 set apart
    from its label stays a value (a dash)."""
    rows = ["        3. 要   5    0   0   3   1   0   9",
            "        4. 无   17   3   0   3   0   0   23",
            "        5. 要   1    0   0   0   3   0   4"]
    assert [line.cells for line in layout_lines(rows, 1, "positional", 1)][1] == \
        ("4. 无", "17", "3", "0", "3", "0", "0", "23")
    dash = layout_lines(["行政许可   3", "行政处罚   无", "行政强制   5"], 1, "positional", 1)
    assert dash[1].cells == ("行政处罚", "无")


def test_a_row_label_spaced_out_a_character_apart_stays_whole():
    """``（ 七 ） 总 计 300 …`` beside rows whose label pieces start in its columns: one label."""
    rows = ["（   六   1. 申   17    0   0   3   1   0   21",
            "）   其   请人",
            "        3. 其 2   1  0    1        0         0     4",
            "    （ 七 ） 总 计 300 16 20   22       20        17    395"]
    lines = layout_lines(rows, 1, "positional", 1)
    assert lines[-1].cells[-8:] == ("（ 七 ） 总 计", "300", "16", "20", "22", "20", "17", "395")
