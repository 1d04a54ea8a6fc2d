"""More layouts a reviewer brings (a second round): tables exported from Excel/WPS as web pages
(``class=xl65``, ``x:num``, ``<col>`` widths, empty ``<td>`` for blanks, the three tables in one
sheet), values printed with their units (``12件``, ``3项``, ``12.50万元``) or in full-width digits,
表三's header flattened into its last row, each table's heading printed as its first row, header
cells broken every two characters, and text copies whose headings run into the table's first row."""

from __future__ import annotations

import copy
import random
import re
from html import escape

from render.html import _spans
from render.report import Report, is_table3, table_width
from render.template import CN, Grid
from render.unseen import _page, _plain_table


def _is_value(text: str) -> bool:
    from extract.parse.values import looks_like_value

    return looks_like_value(text)


def with_tables(report: Report, change) -> Report:
    """A copy of ``report`` whose tables are ``change(block, number)`` (number 2, 3, 4)."""
    out = copy.deepcopy(report)
    number = 1
    blocks: list[tuple[str, object]] = []
    for kind, block in out.blocks:
        if kind == "table":
            number += 1
            block = change(block, number)
        blocks.append((kind, block))
    out.blocks = blocks
    return out


# --- Excel / WPS "save as web page" ---------------------------------------------------------------

EXCEL_HEAD = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"
xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Excel.Sheet><meta name=Generator content="Microsoft Excel 15">
<title>{title}</title><style>
.xl65 {{mso-style-parent:style0;font-family:宋体;text-align:center;vertical-align:middle;border:.5pt solid windowtext;
white-space:normal;}} .xl66 {{mso-style-parent:style0;mso-number-format:"\\@";border:.5pt solid windowtext;}}
.xl67 {{mso-style-parent:style0;mso-number-format:"\\#\\,\\#\\#0";border:.5pt solid windowtext;}}
</style><!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>Sheet1</x:Name>
</x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]--></head>
<body link=blue vlink=purple>"""


def _excel_cell(text: str, rowspan: int, colspan: int, rng: random.Random) -> str:
    spans = _spans(rowspan, colspan, "")
    height = "height=19 " if rng.random() < 0.3 else ""
    if not text:
        return f"<td {height}class=xl66{spans}></td>"
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return f"<td {height}class=xl67{spans} align=right x:num>{text}</td>"
    if _is_value(text):
        return f"<td class=xl66{spans} x:str>{escape(text)}</td>"
    shown = escape(text) if len(text) < 9 or rng.random() < 0.5 else \
        "<br>".join(escape(text[i:i + 8]) for i in range(0, len(text), 8))
    return f"<td class=xl65{spans} width={64 * colspan} style='width:{48 * colspan}pt'>{shown}</td>"


def _excel_rows(block: Grid, width: int, rng: random.Random) -> list[str]:
    """A grid's rows as Excel writes them, padded with empty cells to ``width`` columns."""
    out = []
    for row in block:
        cells = "".join(_excel_cell(t, rs, cs, rng) for t, rs, cs in row)
        pad = "<td class=xl66></td>" * (width - table_width(block))  # the sheet's columns right of the table
        out.append(f"<tr height=19 style='height:14.25pt'>{cells}{pad}</tr>")
    return out


def _excel_table(rows: list[str], width: int) -> str:
    cols = "".join(f"<col width={72 + 8 * (i < 3)} style='width:54pt'>" for i in range(width))
    return (f"<table x:str border=0 cellpadding=0 cellspacing=0 width={72 * width} style='border-collapse:"
            f"collapse;table-layout:fixed'>{cols}" + "\n".join(rows) +
            "<![if supportMisalignedColumns]><tr height=0 style='display:none'>" + "<td width=72></td>" * width +
            "</tr><![endif]></table>")


def excel_tables(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Each table as Excel saves a sheet: ``class=xl65`` cells, ``x:num`` numbers, empty ``<td>`` for
    blanks, ``<col>`` widths, the row of zero height Excel ends with (hidden); the page's text
    around them as plain paragraphs."""
    rng = random.Random(seed)
    bodies = [_excel_table(_excel_rows(t, table_width(t), rng), table_width(t)) for t in report.tables()]
    page = _page(report, bodies).decode("utf-8")
    return page.replace('<meta charset="utf-8">', EXCEL_HEAD.split("<title>")[0].split("<head>")[1], 1
                        ).encode("utf-8"), "html"


def excel_one_sheet(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """The whole report in one Excel sheet saved as a web page (GBK): the title, headings and
    paragraphs as rows merged across 15 columns, the three tables one under the other padded with
    empty cells, an empty row between blocks."""
    rng = random.Random(seed)
    width = 15
    rows: list[str] = []
    for kind, block in report.blocks:
        if kind == "table":
            rows += _excel_rows(block, width, rng)  # type: ignore[arg-type]
        else:
            rows.append(f"<tr><td colspan={width} class=xl65 style='text-align:left'>{escape(str(block))}</td></tr>")
        if kind in ("table", "title"):
            rows.append("<tr height=19>" + "<td class=xl66></td>" * width + "</tr>")
    body = _excel_table(rows, width)
    return (EXCEL_HEAD.format(title=escape(report.title)) + body + "</body></html>").encode("gbk"), "html"


# --- values printed with units, or in full-width digits ------------------------------------------

_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def with_units(report: Report, fullwidth: bool = False) -> Report:
    """Every number printed with its unit (``12件``; amounts ``12.50万元``), or (``fullwidth``) in
    full-width digits (``１２``, ``１２．５０``); blanks, dashes and 增/减 as they were. Changes
    ``report`` (its cells are then expected so) and returns it."""
    def shown(text: str) -> str:
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            return text
        if fullwidth:
            return text.translate(_FULLWIDTH)
        return f"{text}万元" if "." in text else f"{text}件"

    report.blocks = [(kind, [[(shown(t), rs, cs) for t, rs, cs in row] for row in block])
                     if kind == "table" else (kind, block) for kind, block in report.blocks]  # type: ignore[union-attr]
    report.expected = {key: shown(text) for key, text in report.expected.items()}
    return report


# --- amounts printed in 元 ---------------------------------------------------------------------------

def amounts_in_yuan(report: Report) -> Report:
    """表二's amount columns headed in 元 (``本年收费金额（单位：元）``, ``采购总金额（元）``) and their cells
    printed in 元 (``764870800`` for 76487.08 万元); the cells are still expected in 万元 (a copy)."""
    from decimal import Decimal

    def change(block: Grid, number: int) -> Grid:
        if number != 2:
            return block
        heads = {"本年收费金额（单位：万元）": "本年收费金额（单位：元）", "采购总金额": "采购总金额（元）"}
        return [[(heads.get(t) or (f"{Decimal(t) * 10000:f}".split(".")[0] if re.fullmatch(r"\d+\.\d+", t) else t),
                  rs, cs) for t, rs, cs in row] for row in block]
    return with_tables(report, change)


# --- 表三's header flattened ---------------------------------------------------------------------

def flat_header(block: Grid, number: int) -> Grid:
    """表三's header with 自然人 and 总计 printed in its last row, the cells above them empty (a
    table typed in a spreadsheet, then merged only where the words are long)."""
    if not is_table3(block):
        return block
    out = [list(row) for row in block]
    out[1] = [("", 1, 1), ("法人或其他组织", 1, 5), ("", 1, 1)]
    out[2] = [("自然人", 1, 1), *out[2], ("总计", 1, 1)]
    return out


# --- a heading printed as the table's first row ---------------------------------------------------

HEADINGS = {2: "主动公开政府信息情况", 3: "收到和处理政府信息公开申请情况", 4: "政府信息公开行政复议、行政诉讼情况"}


def caption_row(block: Grid, number: int, seed: int = 0) -> Grid:
    """``block`` with its heading as a first row merged across the table, numbered by seed
    (``表2 主动公开…``, ``（二）主动公开…``, ``表二：主动公开…``, ``2.主动公开…``)."""
    forms = [f"表{number} {HEADINGS[number]}", f"（{CN[number - 1]}）{HEADINGS[number]}",
             f"表{CN[number - 1]}：{HEADINGS[number]}", f"{number}.{HEADINGS[number]}"]
    return [[(forms[seed % 4], 1, table_width(block))], *[list(r) for r in block]]


def with_captions(report: Report, seed: int = 0) -> Report:
    """Each table's heading printed as its first row; the section headings before them kept
    (seed even) or dropped (odd: the caption row is the only heading the table has)."""
    out = with_tables(report, lambda block, number: caption_row(block, number, seed))
    if seed % 2:
        out.blocks = [(k, b) for k, b in out.blocks
                      if not (k == "h" and any(h in str(b) for h in HEADINGS.values()))]
    return out


# --- header cells broken every two characters ----------------------------------------------------

def broken_headers(report: Report) -> Report:
    """Header cells (those before 表三/表四's first value row, and 表二's block header rows) broken
    after every two characters (``法人<br>或其<br>他组<br>织``, ``结果<br>维持``), as narrow columns
    of WPS/Excel exports print them; row labels as they were. The breaks are ``\\n`` in the texts."""
    def change(block: Grid, number: int) -> Grid:
        out = []
        header = True
        for row in block:
            values = any(_is_value(t) for t, _, _ in row)
            header = header and not values if number != 2 else not values and not row[0][0].startswith("第")
            if header and number == 2 and row[0][0] == "信息内容":
                row = [(t if i == 0 else "\n".join(t[j:j + 2] for j in range(0, len(t), 2)), rs, cs)
                       for i, (t, rs, cs) in enumerate(row)]
            elif header and number != 2:
                row = [("\n".join(t[j:j + 2] for j in range(0, len(t), 2)) if len(t) < 12 else t, rs, cs)
                       for t, rs, cs in row]
            out.append(row)
        return out
    return with_tables(report, change)


def br_header_html(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """:func:`broken_headers` as a web page: each break a ``<br>``."""
    shown = broken_headers(report)
    bodies = ['<table border="1" width="100%">' + "".join(
        "<tr>" + "".join(f"<td{_spans(rs, cs)}>{'<br>'.join(escape(p) for p in t.split(chr(10)))}</td>"
                         for t, rs, cs in row) + "</tr>" for row in block) + "</table>"
        for block in shown.tables()]
    return _page(shown, bodies), "html"


# --- text copies whose headings run into the tables ----------------------------------------------

def headings_joined_text(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Tab text (as copied from a page) where each table's heading has no line break after it:
    ``二、主动公开政府信息情况第二十条第（一）项\\t\\t\\t`` (seed even) or with one tab between
    (odd); paragraphs otherwise one a line."""
    lines: list[str] = []
    pending = ""
    for kind, block in report.blocks:
        if kind == "table":
            rows = ["\t".join(cell for text, _, colspan in row for cell in [text] + [""] * (colspan - 1))
                    for row in block]  # type: ignore[union-attr]
            rows[0] = pending + ("\t" if seed % 2 else "") + rows[0]
            pending = ""
            lines += rows
        elif kind == "h" and any(h in str(block) for h in HEADINGS.values()):
            pending = str(block)
        else:
            lines.append(str(block))
    return "\n".join(lines).encode("utf-8"), "txt"


def html_page(report: Report) -> tuple[bytes, str]:
    """``report`` as a plain page (:func:`render.unseen._page`) of plain tables."""
    return _page(report, [_plain_table(t) for t in report.tables()]), "html"


__all__ = ["amounts_in_yuan", "br_header_html", "broken_headers", "excel_one_sheet", "excel_tables", "flat_header",
           "headings_joined_text", "html_page", "with_captions", "with_tables", "with_units"]
