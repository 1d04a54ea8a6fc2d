"""Labels printed below their values in layout text, values set against a long label, and a row whose
values went to two lines (extract/layout/label_side.py, extract/layout/columns.py,
extract/layout/sparse.py): each row keeps its own numbers, or stores none."""

from __future__ import annotations

from conftest import FIXTURES, cell_map
from layouts import report_for
from render import expected_cells
from render.reshape import with_blank_rows

from extract.layout.columns import PageCarry, layout_lines
from extract.parse import extract_report

LAYOUT = FIXTURES / "layout"
TABLE2 = ["第二十条第（一）项",
          "信息内容            本年制发件数           本年废止件数                        现行有效件数",
          "                    297                                              276",
          "规章",
          "                    183                      239                     24",
          "行政规范性文件",
          "第二十条第（六）项",
          "信息内容            处理决定数量",
          "                                             257",
          "行政处罚",
          "                                             109",
          "行政强制"]


def test_numbers_set_small_and_top_aligned_print_above_their_labels_and_keep_them():
    """``pdftotext -layout`` of a PDF whose numbers are 6.5 pt beside 10 pt labels, aligned to the top
    of their cells (bench/render/unseen3_pdf.font_sizes, seed 1): every row's values print on the line
    above its label. Read the usual way each row took the next row's numbers (430 wrong numbers over
    the family); now every cell is under its key."""
    path = LAYOUT / "number_font_size_2021_seed1.pdftotext.txt"
    assert cell_map(extract_report(path.read_bytes(), path.name)) == expected_cells(report_for("2021", 1))


def test_labels_below_are_read_so_when_bands_say_so_and_none_the_other_way():
    lines = layout_lines(TABLE2, 1, "positional", 1)
    rows = [line.cells for line in lines if line.cells and line.cells[-1][0].isdigit()]
    assert [(cells[-len(values) - 1], *cells[-len(values):]) for cells, values in
            zip(rows, (("297", "", "276"), ("183", "239", "24"), ("257",), ("109",)), strict=True)] == \
        [("规章", "297", "", "276"), ("行政规范性文件", "183", "239", "24"), ("行政处罚", "257"), ("行政强制", "109")]
    # one band is enough when it follows the table's header and a label line follows its last row
    alone = layout_lines(TABLE2[:6], 1, "positional", 1, PageCarry())
    assert [line.cells[-4] for line in alone if line.cells and line.cells[-1] == "24"] == ["行政规范性文件"]


def test_a_stamps_digits_after_a_header_line_are_no_band_of_labels_below():
    """A watermark's date and time strewn among the rows (``某市某区人民政府门户网站 2021-01-20 10:30:15`` over
    ``0 … 0``) make a band whose first row follows a line and has no label: that line is no table header
    (it prints a date), so the band says nothing and the page is read the usual way."""
    page = ["第二十条第（一）项",
            "信息内容            本年制发件数           本年废止件数                        现行有效件数",
            "规章",
            "                    297                      1                       276",
            "行政规范性",
            "文件                183                      239                     24",
            "某市某区人民政府门户网站 2021-01-20 10:30:15",
            "                    0                        0",
            "行政许可"]
    carry = PageCarry()
    rows = [line.cells for line in layout_lines(page, 1, "positional", 1, carry) if line.cells and line.cells[-1] == "24"]
    assert carry.side == "above" and rows[0][-5:-3] == ("行政规范性", "文件")


def test_a_page_that_cannot_tell_reads_labels_the_way_of_the_page_before():
    carry = PageCarry()
    layout_lines(TABLE2, 1, "positional", 1, carry)
    assert carry.side == "below"
    page = ["                    3                      5                     8", "规章",
            "                    4                      6                     9", "行政规范性文件"]
    rows = [line.cells for line in layout_lines(page, 2, "positional", 1, carry) if line.cells]
    assert rows == [("规章", "3", "5", "8"), ("行政规范性文件", "4", "6", "9")]


def test_a_page_whose_bands_say_both_ways_stores_no_row_by_a_label_line_around_it():
    """One band says labels below (values right after the header), another above (a label line before
    its first values: the label of a row printed blank, or the row's own): neither reading is trusted.
    A row whose label the two readings take from different lines is marked, and the parser stores none
    of its values (``label_side_unknown``); a row with its label on its own line is kept."""
    page = [*TABLE2[:6],
            "第二十条第（五）项",
            "信息内容            上一年项目数量          本年增/减                     处理决定数量",
            "行政许可",
            "                    339                     增2                       308",
            "其他对外管理服务事项",
            "                    113                     0                         248",
            "第二十条第（六）项",
            "信息内容            处理决定数量",
            "行政处罚                                    257"]
    carry = PageCarry()
    lines = layout_lines(page, 1, "positional", 1, carry)
    assert carry.side == "unsure"
    unsure = {line.cells[-1]: line.label_unsure for line in lines if line.cells and line.cells[-1][-1].isdigit()}
    assert unsure == {"276": True, "24": True, "308": True, "248": True, "257": False}
    text = "\n".join(["某县民政局2021年政府信息公开工作年度报告", "二、主动公开政府信息情况", *page]).encode()
    parsed = extract_report(text, "report.txt")
    assert {(c.row_key, c.col_key): c.raw_text for c in parsed.cells if c.table_no == 2} == {
        ("admin_penalty", "decisions"): "257"}
    assert sum(issue.code == "label_side_unknown" for issue in parsed.issues) == 4


def test_a_row_printed_blank_on_a_page_of_labels_below_gives_its_label_to_no_other_row():
    """The 2019 print of numbers set small and top-aligned, 表二's 规章 printed blank: its label line
    comes right after the header, so 表二's first block says "above" (it stored 135 wrong numbers: the
    page, and the next one following it, read every row with the label above it). Now the page is read
    by 表三's band, 规章 stores nothing, and the other rows keep their own numbers."""
    path = LAYOUT / "number_font_size_2019_seed1_blank_regulations.pdftotext.txt"
    cells = cell_map(extract_report(path.read_bytes(), path.name))
    expected = expected_cells(with_blank_rows(report_for("2019", 1), ["规章"]))
    assert {k: v for k, v in cells.items() if k in expected} == {k: v for k, v in expected.items() if k in cells}
    assert not any(k[1] == "regulations" for k in cells)
    assert len(cells) >= len(expected) - 14


def test_a_row_whose_values_went_to_two_lines_stores_no_blank_where_a_number_is_printed():
    """The 2019 form of the same print: 表二's 本年增/减 (``增2``) is set at the label's size, so
    ``339   308`` prints on the line above ``行政许可   增2``. The row has no 总计 to verify a join:
    neither line is stored, and no blank stands where 339 and 308 are printed."""
    path = LAYOUT / "number_font_size_2019_seed1.pdftotext.txt"
    cells = cell_map(extract_report(path.read_bytes(), path.name))
    expected = expected_cells(report_for("2019", 1))
    assert {k: v for k, v in cells.items() if k in expected} == {k: v for k, v in expected.items() if k in cells}
    assert not any(k[1] == "admin_licensing" for k in cells)
    assert len(cells) >= len(expected) - 12


def test_a_value_set_against_a_long_label_is_a_value():
    """A long label running into the first value column leaves no space before its first value
    (``…不计其他情形）0``): the 0 is a value, not a character of the label (it was, and the row was
    then placed with a blank natural_person that summed to its 总计)."""
    rows = ["          （一）予以公开                                      0        3         0        3        1        0        7",
            "          （二）部分公开（区分处理的，只计这一情形，不计其他情形）0                        3         3        3        1        3        13"]
    assert layout_lines(rows, 1, "positional", 1)[1].cells == \
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "0", "3", "3", "3", "1", "3", "13")
    # the longest end that reads as a value (增2, not 2); two values run together are not split
    table2 = ["行政许可增2          308", "行政处罚364增2       168"]
    first, second = (line.cells for line in layout_lines(table2, 1, "positional", 1))
    assert first == ("行政许可", "增2", "308") and second[0] == "行政处罚364增2" and "增2" not in second



def test_a_sub_label_begun_above_a_row_whose_own_label_is_its_groups_goes_after_it():
    """LibreOffice's PDF of a web page, by ``pdftotext -layout``: group label （四）无法提供 wrapped
    ``（四）`` / ``无法提`` / ``供`` in one column, the sub-label 2.没有现成信息需要另行制作 begun on the line
    above the values in the next. The row's label is the group's pieces, then the sub-label; the
    tail of the row above's (``政府信息``) stays before them (before: 2.没有…（四）无法提, refused)."""
    rows = ["        （四）      1.本机关不掌握相关   3   0   0   0   0   0   3",
            "            政府信息",
            "        （四）",
            "            2.没有现成信息需要",
            "        无法提            17         0    0    0    0    0    17",
            "            另行制作",
            "        供",
            "            3.补正后申请内容仍 0     3    0    1    0    0    4"]
    row = layout_lines(rows, 1, "positional", 1)[4]
    assert row.cells == ("政府信息", "（四）", "无法提", "2.没有现成信息需要", "17", "0", "0", "0", "0", "0", "17")
    assert row.lead == 2
