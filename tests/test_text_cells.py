"""Cells of plain text as portals and Excel copy tables: ideographic spaces between cells, and a
cell quoted over several lines (extract/readers/text.py)."""

from __future__ import annotations

from extract.readers.text import lines_from_text


def test_cells_separated_by_ideographic_spaces_keep_their_blanks():
    """``规章　74　　232``: one ideographic space between cells, two around a blank one; an indent is
    no separator. Where runs pad every cell, a run is one separator (the blank then leaves no trace)."""
    single = lines_from_text("　　本年度，本机关认真贯彻落实条例。\n规章　74　　232\n行政许可　201　　")
    assert [line.cells for line in single] == [None, ("规章", "74", "", "232"), ("行政许可", "201")]
    runs = lines_from_text("规章　　　74　　232\n行政规范性文件　　394　　　89　　361")
    assert [line.cells for line in runs] == [("规章", "74", "232"), ("行政规范性文件", "394", "89", "361")]


def test_a_cell_excel_quoted_over_several_lines_is_one_cell():
    text = '\t"（二）部分公开（\n区分处理的，只计\n这一情形，不计其他情形）"\t\t0\t3\n\t"3.危及""三安全一稳定"""\t1\t2'
    assert [line.cells for line in lines_from_text(text)] == [
        ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "0", "3"),
        ("", '3.危及"三安全一稳定"', "1", "2")]
    prose = '他说："本年度\n工作"。'
    assert [line.text for line in lines_from_text(prose)] == ['他说："本年度', '工作"。']


def test_a_table_saved_as_comma_separated_rows_is_read_as_cells():
    """A sheet saved as CSV and published as text (bench/render/unseen3.csv_text): comma-separated
    rows, quoted fields holding a comma; prose lines keep no cells (they separate with ``，``)."""
    rows = ["本年度，本机关坚持以人民为中心的发展思想。", "信息内容,本年制发件数,本年废止件数,现行有效件数",
            "规章,74,,232", "行政规范性文件,394,89,361", "行政许可,201,,", "行政处罚,374,,", '行政强制,"1,179",,']
    lines = lines_from_text("\n".join(rows))
    assert lines[0].cells is None
    assert [line.cells for line in lines[2:4]] == [("规章", "74", "", "232"), ("行政规范性文件", "394", "89", "361")]
    assert lines[-1].cells == ("行政强制", "1,179", "", "")
    assert all(line.cells is None for line in lines_from_text("\n".join(rows[:3])))  # too few rows to tell
