"""Layouts a reviewer brings that :mod:`render.families` did not start with: web pages with ``<thead>``
/ ``<th>``, inline styles, ``<br>`` in labels, nested layout tables, merges undone, tables as ``<pre>``
text; Word files with nested tables, landscape sections and repeated header rows; text rows
with one space between label and values; converters' Markdown with alignment rows."""

from __future__ import annotations

import io
import random
from html import escape

from render.html import _spans
from render.report import Report, placed_cells, table_width
from render.reshape import broken_label, with_unmerged_tables
from render.template import Grid
from render.text import layout_table
from render.word import word_table


def _is_value(text: str) -> bool:
    from extract.parse.values import looks_like_value

    return looks_like_value(text)


def _header_rows(block: Grid) -> int:
    """Rows before the first row that prints a value (表三/表四's header; 0 for 表二)."""
    if table_width(block) == 4:
        return 0
    return next(i for i, row in enumerate(block) if any(_is_value(t) for t, _, _ in row))


def _page(report: Report, body: list[str], title_tag: str = "h1") -> bytes:
    head = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(report.title)}</title>'
            '<style>table{border-collapse:collapse} td,th{border:1px solid #333}</style></head><body>')
    out = [head, '<div class="main"><div class="left-col"><ul><li><a href="/">首页</a></li>'
           '<li><a href="/zwgk">政务公开</a></li></ul></div><div class="content" style="margin:0 auto;width:90%">']
    for kind, block in report.blocks:
        if kind == "table":
            out += body.pop(0).split("\n")
        elif kind == "title":
            out.append(f"<{title_tag}>{escape(str(block))}</{title_tag}>")
        elif kind == "h":
            out.append(f'<p style="text-indent:2em"><strong>{escape(str(block))}</strong></p>')
        else:
            out.append(f'<p style="text-indent:2em;line-height:2">{escape(str(block))}</p>')
    out.append("</div></div></body></html>")
    return "\n".join(out).encode("utf-8")


def _th_table(block: Grid, rng: random.Random, printed: bool = False) -> str:
    """``<thead>`` of ``<th>`` cells, row labels as ``<th scope=row>`` broken by ``<br>``, numbers in
    styled spans aligned by seed, blanks as ``&nbsp;``, inside a scrolling ``<div>`` (wider than the
    screen by seed, unless ``printed``: a browser's print would cut it off)."""
    align = rng.choice(["right", "center", "left"])
    pad = rng.choice([1, 2, 3]) if printed else rng.choice([2, 8, 16])
    heads = _header_rows(block)
    width = 100 if printed else rng.choice([100, 140])
    out = [f'<div style="overflow-x:auto;padding:{pad}px"><table style="width:{width}%;'
           f'font-family:\'Noto Serif CJK SC\'" cellpadding="{pad}">']
    out.append("<thead>" if heads else "<tbody>")
    for index, row in enumerate(block):
        if heads and index == heads:
            out.append("</thead><tbody>")
        cells = []
        for text, rowspan, colspan in row:
            spans = _spans(rowspan, colspan)
            if _is_value(text):
                cells.append(f'<td{spans} style="text-align:{align}"><span style="font-family:Arial;'
                             f'font-size:10.5pt">{escape(text)}</span></td>')
            elif not text:
                cells.append(f"<td{spans}>&nbsp;</td>")
            else:
                scope = ' scope="col"' if index < heads else ' scope="row"'
                shown = "<br>".join(escape(part) for part in broken_label(text, rng.choice([6, 9])))
                cells.append(f'<th{spans}{scope} style="text-align:left;font-weight:normal">{shown}</th>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def html_th(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Header rows in ``<thead>`` as ``<th>``, row labels as ``<th scope=row>`` with ``<br>``."""
    rng = random.Random(seed)
    return _page(report, [_th_table(t, rng) for t in report.tables()]), "html"


def _plain_table(block: Grid) -> str:
    rows = ["<tr>" + "".join(f"<td{_spans(rs, cs)}>{escape(t)}</td>" for t, rs, cs in row) + "</tr>"
            for row in block]
    return '<table border="1" width="100%">' + "".join(rows) + "</table>"


def html_nested(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Each table inside a one-cell layout table (with a caption row outside it), the page in a
    two-column layout table."""
    bodies = []
    for number, block in enumerate(report.tables(), 2):
        inner = _plain_table(block)
        bodies.append(f'<table width="100%" border="0"><tr><td align="center">表{"二三四"[number - 2]}</td></tr>'
                      f'<tr><td style="padding:6px">{inner}</td></tr></table>')
    page = _page(report, bodies).decode("utf-8")
    page = page.replace('<div class="main">', '<table class="frame" width="1000"><tr><td width="200">目录</td><td>', 1)
    page = page.replace("</div></div></body>", "</div></td></tr></table></body>")
    return page.encode("utf-8"), "html"


def html_unmerged(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Tables with merges undone: labels repeated in every cell they spanned."""
    shown = with_unmerged_tables(report)
    return _page(shown, [_plain_table(t) for t in shown.tables()]), "html"


def html_pre(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Each table as a ``<pre>`` of space-aligned text (a page that pasted the text copy)."""
    rng = random.Random(seed)
    bodies = [f"<pre>{escape(chr(10).join(layout_table(t, rng.choice([10, 12, 16]))))}</pre>"
              for t in report.tables()]
    return _page(report, bodies), "html"


# --- Word ----------------------------------------------------------------------------------------

def to_docx_variant(report: Report, nested: bool = False, landscape: bool = False, font: str = "仿宋_GB2312",
                    header_repeat: bool = False, unmerge: bool = False, align_right: bool = False,
                    controls: bool = False, revisions: bool = False) -> bytes:
    """A Word file: tables nested in a one-cell table, a landscape section, a Chinese font, header
    rows marked to repeat on every page, merges undone, numbers right-aligned, value cells in
    content controls (``controls``: a form template's ``w:sdt``), values typed over with tracked
    changes (``revisions``: the old number deleted, the new one inserted)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    shown = with_unmerged_tables(report) if unmerge else report
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = font, Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for kind, block in shown.blocks:
        if kind != "table":
            document.add_paragraph(str(block))
            continue
        host = document
        if nested:
            outer = document.add_table(rows=1, cols=1)
            host = outer.cell(0, 0)
        table, cells = word_table(host, block)
        wrapped: list = []  # cells put in content controls once the table is built
        for cell, text in cells:
            if align_right and _is_value(text):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if revisions and text.isdigit():
                _revised(cell.paragraphs[0]._p, str(int(text) + 7))
            if controls and _is_value(text):
                wrapped.append(cell._tc)
        for tc in wrapped:
            _in_control(tc)
        if header_repeat:
            for row in table.rows[:_header_rows(block)]:
                mark = OxmlElement("w:tblHeader")
                row._tr.get_or_add_trPr().append(mark)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _revised(paragraph, old: str) -> None:
    """The paragraph's runs as a tracked insertion, after a tracked deletion of ``old``."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    runs = paragraph.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r")
    attrs = 'w:author="审核" w:date="2024-01-15T09:00:00Z"'
    deleted = parse_xml(f'<w:del {nsdecls("w")} w:id="1" {attrs}><w:r><w:delText>{old}</w:delText></w:r></w:del>')
    inserted = parse_xml(f'<w:ins {nsdecls("w")} w:id="2" {attrs}/>')
    for run in runs:
        inserted.append(run)
    paragraph.append(deleted)
    paragraph.append(inserted)


def _in_control(tc) -> None:
    """Wrap a ``w:tc`` in a cell-level content control (``w:sdt``/``w:sdtContent``)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr><w:tag w:val="value"/></w:sdtPr><w:sdtContent/></w:sdt>')
    tc.addprevious(sdt)
    sdt[1].append(tc)


# --- text ----------------------------------------------------------------------------------------

def single_space_text(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Each table row as its labels and values separated by one space (blank cells leave nothing)."""
    lines: list[str] = []
    for kind, block in report.blocks:
        if kind != "table":
            lines.append(str(block))
            continue
        for row in block:
            lines.append(" ".join(t for t, _, _ in row if t))
    return "\n".join(lines).encode("utf-8"), "txt"


def converter_markdown(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Markdown as converters write it: a header row of column numbers or the first row, an alignment
    row with colons, ``<br>`` in wrapped labels, merged cells as empty cells, ``\\|``-free."""
    rng = random.Random(seed)
    lines: list[str] = []
    for kind, block in report.blocks:
        if kind == "title":
            lines.append(f"**{block}**")
        elif kind == "h":
            lines.append(f"### {block}")
        elif kind == "p":
            lines.append(str(block))
        else:
            width = table_width(block)
            grid = [[""] * width for _ in block]
            for r, c, text, _, _ in placed_cells(block):
                grid[r][c] = "<br>".join(broken_label(text, rng.choice([7, 10]))) if not _is_value(text) else text
            if seed % 2:  # a header of column numbers, the table below it
                grid = [[f"列{i + 1}" for i in range(width)], *grid]
            lines.append("")
            for index, row in enumerate(grid):
                lines.append("| " + " | ".join(row) + " |")
                if index == 0:
                    lines.append("|" + "|".join(rng.choice([":---:", "---:", ":---", "---"]) for _ in row) + "|")
            lines.append("")
    return "\n".join(lines).encode("utf-8"), "md"
