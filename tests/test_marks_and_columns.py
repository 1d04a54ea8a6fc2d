"""Layouts an unseen-layout probe found storing wrong numbers, each now read right or refused:
footnote marks after numbers, glyphs printed twice (a faked bold face), content a web page hides,
a 序号 (row number) column, an amount column headed in 元."""

from __future__ import annotations

import copy
import io
from decimal import Decimal

import docx
import pytest
from layouts import report_for, score
from render import to_docx, to_html, to_pdf, to_tab_text
from render.report import placed_cells, table_width

from extract.parse import extract_report


def _retext(report, change):
    """A copy of ``report`` with every table cell's text passed through ``change(text, table_no)``."""
    out = copy.deepcopy(report)
    tables = iter((2, 3, 4))
    out.blocks = [(kind, [[(change(t, no), rs, cs) for t, rs, cs in row] for row in block])
                  if kind == "table" and (no := next(tables)) else (kind, block) for kind, block in out.blocks]
    return out


def _marked(report, mark: str):
    """Every fifth non-zero value followed by ``mark`` (``<sup>1</sup>``, ``¹``, ``①`` …)."""
    seen = iter(range(10_000))
    return _retext(report, lambda t, _: t + mark if t.isdigit() and t != "0" and next(seen) % 5 == 0 else t)


def _docx_superscript(report) -> bytes:
    """The report as Word, every fifth non-zero value followed by a superscript ``1`` run."""
    document, seen = docx.Document(), iter(range(10_000))
    for kind, block in report.blocks:
        if kind != "table":
            document.add_paragraph(str(block))
            continue
        table = document.add_table(rows=len(block), cols=table_width(block))
        for r, c, text, rowspan, colspan in placed_cells(block):
            cell = table.cell(r, c)
            if rowspan > 1 or colspan > 1:
                cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            if text.isdigit() and text != "0" and next(seen) % 5 == 0:
                cell.paragraphs[0].add_run(text)
                cell.paragraphs[0].add_run("1").font.superscript = True
            else:
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


RENDERS = {
    "html <sup>": lambda r: (to_html(_marked(r, "<sup>1</sup>"), "utf-8"), "html"),
    "pdf <super>": lambda r: (to_pdf(_marked(r, "<super>1</super>")), "pdf"),
    "docx superscript run": lambda r: (_docx_superscript(r), "docx"),
    "text ¹": lambda r: (to_tab_text(_marked(r, "¹")), "txt"),
    "text ①": lambda r: (to_tab_text(_marked(r, "①")), "txt"),
    "text *": lambda r: (to_tab_text(_marked(r, "*")), "txt"),
}


@pytest.mark.parametrize("version", ["2021", "2019"])
@pytest.mark.parametrize("render", list(RENDERS))
def test_a_number_with_a_footnote_mark_is_text_with_an_issue_never_the_mark_as_a_digit(render, version):
    """``74¹`` was stored as 741 and ``201①`` as 2011."""
    report = report_for(version, 0)
    data, extension = RENDERS[render](report)
    parsed = extract_report(data, f"report.{extension}")
    result = score(report, parsed)
    assert not result.wrong_numbers and not result.wrong_blank_dash
    marked = [c for c in parsed.cells if c.cell_state == "text"]
    assert len(marked) >= 20 and all(c.value is None and c.raw_text[:-1].isdigit() for c in marked)
    assert {i.code for i in parsed.issues if i.row_key in {c.row_key for c in marked}} >= {"value_with_mark"}
    assert result.right + len(marked) == result.printed


def _overprinted_pdf(report) -> bytes:
    """表三 and 表四 drawn cell by cell, every number drawn twice 0.3 pt apart (a faked bold face)."""
    from render.pdf import _font
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    _font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4))
    width, height = landscape(A4)
    page.setFont("STSong-Light", 12)
    page.drawString(50, height - 50, report.title)
    tables = [b for kind, b in report.blocks if kind == "table"]
    for heading, block in (("三、收到和处理政府信息公开申请情况", tables[1]), ("四、政府信息公开行政复议、行政诉讼情况", tables[2])):
        page.setFont("STSong-Light", 12)
        page.drawString(50, height - 80, heading)
        columns = table_width(block)
        cell_w, cell_h = (width - 100) / columns, 16
        page.setFont("STSong-Light", 6)
        for r, c, text, rowspan, colspan in placed_cells(block):
            x, y = 50 + c * cell_w, height - 100 - (r + rowspan) * cell_h
            page.rect(x, y, cell_w * colspan, cell_h * rowspan)
            for dx in ((0.0, 0.3) if text.isdigit() else (0.0,)):
                page.drawString(x + 2 + dx, y + 4, text[: int(cell_w * colspan / 6)])
        page.showPage()
    page.save()
    return buffer.getvalue()


def test_glyphs_printed_twice_on_themselves_are_read_once():
    """A bold face faked by drawing each digit again 0.3 pt aside: 394 was read 339944."""
    report = report_for("2021", 0)
    parsed = extract_report(_overprinted_pdf(report), "report.pdf")
    cells = {(c.table_no, c.row_key, c.col_key): c.raw_text for c in parsed.cells}
    expected = {k: v for k, v in report.expected.items() if k[0] in (3, 4)}
    assert {k: cells.get(k) for k in expected} == expected


def test_what_a_web_page_hides_is_not_read():
    """A hidden row with other figures before the real one, and a hidden digit inside a cell
    (``<span style="display:none">9</span>304``): 304 was read 9304."""
    report = report_for("2021", 0)
    page = to_html(report, "utf-8").decode("utf-8")
    first = report.expected[(3, "new_received", "natural_person")]
    licensing = report.expected[(2, "admin_licensing", "decisions")]
    cell = f'<font size="2">{first}</font>'
    row = next(part for part in page.split("<tr>") if "行政许可" in part)
    assert cell in page and row
    page = page.replace(cell, f'<font size="2"><span style="DISPLAY:none">9</span>{first}</font>', 1)
    hidden = f"<tr hidden><td>行政许可</td><td>{int(licensing) + 11}</td></tr>"
    page = page.replace("<tr>" + row, f'{hidden}<tr style="display: none">{row}<tr>{row}', 1)
    parsed = extract_report(page.encode("utf-8"), "report.html")
    result = score(report, parsed)
    assert not result.wrong_numbers and result.right == result.printed


@pytest.mark.parametrize("version", ["2021", "2019"])
@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_a_row_number_column_is_not_read_as_values(version, fmt):
    """A 序号 column: the row number was read as the row's first value (or as 表三's 总计)."""
    report = report_for(version, 0)
    shown = copy.deepcopy(report)
    blocks = []
    for kind, block in shown.blocks:
        if kind == "table" and table_width(block) == 4:  # 表二: one header row per block, then items
            serial = iter(range(1, 100))
            block = [[("序号" if any(t == "信息内容" for t, _, _ in row) else
                       str(next(serial)) if any(t.isdigit() or t == "" for t, _, _ in row[1:]) and
                       len(row) > 1 else "", 1, 1), *row] for row in block]
        blocks.append((kind, block))
    shown.blocks = blocks
    data = to_html(shown, "utf-8") if fmt == "html" else to_docx(shown)
    parsed = extract_report(data, f"report.{fmt}")
    result = score(report, parsed)
    assert not result.wrong_numbers and not result.wrong_blank_dash
    assert not [k for k in result.missing if k[0] == 2]


@pytest.mark.parametrize("header", ["本年收费金额（单位：元）", "本年收费金额（元）"])
def test_an_amount_column_headed_in_yuan_is_converted_to_10k_yuan(header):
    """The template's amounts are in 万元; a header that says 元 makes 569216500 5.692165 万元, not 569216500."""
    report = report_for("2021", 0)
    text = to_tab_text(report).decode("utf-8")
    assert "本年收费金额（单位：万元）" in text
    amount = report.expected[(2, "admin_fees", "fee_amount_10k_yuan")]
    in_yuan = str(int(Decimal(amount) * 10000))
    changed = text.replace("本年收费金额（单位：万元）", header).replace(f"行政事业性收费\t{amount}", f"行政事业性收费\t{in_yuan}")
    cells = {(c.row_key, c.col_key): c for c in extract_report(changed.encode("utf-8"), "r.txt").cells}
    fee = cells[("admin_fees", "fee_amount_10k_yuan")]
    assert (fee.value, fee.raw_text, fee.cell_state) == (Decimal(amount), in_yuan, "number")


def _total_first(report):
    """表三 printed with its 总计 column first (header and every row), 表四 with 总计 first in each block."""
    out = copy.deepcopy(report)
    blocks = []
    for kind, block in out.blocks:
        if kind == "table" and table_width(block) == 10:
            block = [[row[2], *row[:2]] if [t for t, _, _ in row] == ["自然人", "法人或其他组织", "总计"] else
                     [*row[:-7], row[-1], *row[-7:-1]] if len(row) >= 7 and all(t.isdigit() for t, _, _ in row[-7:])
                     else row for row in block]
        elif kind == "table" and table_width(block) == 15:
            block = [[cell for n in range(0, len(row) - 4, 5) for cell in (row[n + 4], *row[n:n + 4])]
                     + (row[-2:] if len(row) == 7 else []) if len(row) in (7, 10, 15) else row for row in block]
        blocks.append((kind, block))
    out.blocks = blocks
    return out


@pytest.mark.parametrize("version", ["2021", "2019"])
@pytest.mark.parametrize("fmt", ["html", "docx", "txt"])
def test_columns_printed_in_another_order_are_refused_never_shifted(version, fmt):
    """总计 printed first: every value would land one column over. The header says so, so 表三 and
    表四 store nothing, with a columns_out_of_order error each; 表二 is read as usual."""
    report = report_for(version, 0)
    shown = _total_first(report)
    data = {"html": lambda: to_html(shown, "utf-8"), "docx": lambda: to_docx(shown), "txt": lambda: to_tab_text(shown)}
    parsed = extract_report(data[fmt](), f"report.{fmt}")
    result = score(report, parsed)
    assert not result.wrong_numbers and not result.wrong_blank_dash
    assert not [c for c in parsed.cells if c.table_no in (3, 4)]
    assert sorted(i.table_no for i in parsed.issues if i.code == "columns_out_of_order") == [3, 4]
    assert not [k for k in result.missing if k[0] == 2]


def test_a_transposed_table4_is_refused():
    """表四 with its results as rows (结果维持 | 0 | 2 | 1 …) and the proceedings as columns."""
    report = report_for("2021", 0)
    shown = copy.deepcopy(report)
    blocks = []
    for kind, block in shown.blocks:
        if kind == "table" and table_width(block) == 15:
            values = next(row for row in block if len(row) == 15 and all(t.isdigit() for t, _, _ in row))
            results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
            block = [[("", 1, 1), ("行政复议", 1, 1), ("未经复议直接起诉", 1, 1), ("复议后起诉", 1, 1)],
                     *[[(name, 1, 1), values[n], values[n + 5], values[n + 10]] for n, name in enumerate(results)]]
        blocks.append((kind, block))
    shown.blocks = blocks
    parsed = extract_report(to_html(shown, "utf-8"), "report.html")
    assert not score(report, parsed).wrong_numbers
    assert not [c for c in parsed.cells if c.table_no == 4]
    assert [i.table_no for i in parsed.issues if i.code == "columns_out_of_order"] == [4]


def test_a_page_printed_sideways_is_not_read():
    """表四 turned a quarter on a portrait page: its cells come out in reverse order, so the page is
    a page_sideways warning and nothing of it is stored."""
    from render.pdf import _font
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    report = report_for("2021", 0)
    _font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("STSong-Light", 12)
    page.drawString(50, 780, report.title)
    page.drawString(50, 750, "四、政府信息公开行政复议、行政诉讼情况")
    page.showPage()
    page.setFont("STSong-Light", 8)
    page.rotate(90)
    table4 = [b for kind, b in report.blocks if kind == "table"][2]
    for r, c, text, rowspan, colspan in placed_cells(table4):
        x, y = 60 + c * 45, -100 - (r + rowspan) * 16
        page.rect(x, y, 45 * colspan, 16 * rowspan)
        page.drawString(x + 2, y + 4, text[:5])
    page.showPage()
    page.save()
    parsed = extract_report(buffer.getvalue(), "report.pdf")
    assert not score(report, parsed).wrong_numbers
    assert not [c for c in parsed.cells if c.table_no == 4]
    assert [i.page for i in parsed.issues if i.code == "page_sideways"] == [2]


@pytest.mark.parametrize("fmt", ["html", "txt"])
def test_a_column_the_template_does_not_have_is_not_taken_for_the_one_it_replaces(fmt):
    """表二 headed 本年制发件数 | 本年修订件数 | 现行有效件数: the 修订 figures are not 本年废止件数."""
    report = report_for("2021", 0)
    shown = _retext(report, lambda t, no: "本年修订件数" if t == "本年废止件数" else t)
    parsed = extract_report(to_html(shown, "utf-8") if fmt == "html" else to_tab_text(shown), f"report.{fmt}")
    cells = {(c.table_no, c.row_key, c.col_key): c for c in parsed.cells}
    assert not [k for k in cells if k[2] == "repealed"]
    for row in ("regulations", "normative_documents"):
        for col in ("issued", "in_force"):
            assert cells[(2, row, col)].raw_text == report.expected[(2, row, col)]
    assert {i.row_key for i in parsed.issues if i.code == "column_not_in_template"} == {"normative_documents"} | (
        {"regulations"} if report.expected[(2, "regulations", "repealed")] else set())


@pytest.mark.parametrize("none", ["一", "〇", "暂无"])
def test_none_typed_as_a_character_among_numbers_keeps_the_row_in_its_columns(none):
    """Zeros printed 一 (typed for a dash), 〇 or 暂无 in layout text: the numbers beside them were
    read into the label and shifted; they are dashes in their own columns."""
    from render.tools import missing, pdftotext

    if missing("pdftotext"):
        pytest.skip(missing("pdftotext"))
    report = report_for("2021", 0)
    shown = _retext(report, lambda t, no: none if t == "0" and no == 3 else t)
    parsed = extract_report(pdftotext(to_pdf(shown), "layout"), "report.txt")
    cells = {(c.table_no, c.row_key, c.col_key): c for c in parsed.cells}
    zeros = [k for k, v in report.expected.items() if k[0] == 3 and v == "0"]
    assert zeros and all(cells[k].cell_state == "dash" and cells[k].raw_text == none for k in zeros)
    result = score(report, parsed)
    assert not result.wrong_numbers and result.right == result.printed - len(zeros)
