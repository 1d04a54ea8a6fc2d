"""Web pages and text copies a reviewer brings (third round): a portal editor's cells (UEditor /
KindEditor: ``12<br/>``, ``<br/>12``, a blank as ``<td><br/></td>``, each cell a ``<p>`` with an
empty ``<p><br/></p>`` beside it), Word-pasted cells nested five deep with ``&#12288;`` padding
(values centred with full-width spaces, in a page, a Word file and tab text), text copies whose
cells are separated by ideographic spaces (``　``), tab text copied from Excel (rows padded with
tabs to the sheet's width, CRLF, cells holding line breaks quoted), and comma-separated text."""

from __future__ import annotations

import io
import random
from html import escape

from render.html import _spans
from render.report import Report, placed_cells, table_width
from render.reshape import broken_label
from render.template import Grid
from render.unseen import _page

IDEO = "\u3000"  # 　 the ideographic (full-width) space


def _is_value(text: str) -> bool:
    from extract.parse.values import looks_like_value

    return looks_like_value(text)


def _text(report: Report, table_lines, newline: str = "\n") -> bytes:
    lines: list[str] = []
    for kind, block in report.blocks:
        lines += table_lines(block) if kind == "table" else [str(block)]
    return newline.join(lines).encode("utf-8")


def _fields(row: list) -> list[str]:
    """A grid row's cells with a merged cell's columns after its first as empty strings."""
    return [cell for text, _, colspan in row for cell in [text] + [""] * (colspan - 1)]


# --- a portal editor's cells --------------------------------------------------------------------

def _editor_cell(text: str, rng: random.Random, paragraphs: bool) -> str:
    """A cell as UEditor/KindEditor saves it: breaks before or after numbers, a blank as ``<br/>``,
    long labels broken by ``<br/>`` (or, ``paragraphs``, every line a ``<p>``)."""
    if not text:
        return rng.choice(["<br/>", "<p><br/></p>", "&nbsp;<br/>"])
    if _is_value(text):
        shown = rng.choice([f"{text}<br/>", f"<br/>{text}", text, f"{text}<br/><br/>", f"<br/>{text}<br/>"])
        return f'<p style="text-align:center;">{shown}</p>' if paragraphs else shown
    parts = [escape(p) for p in broken_label(text, rng.choice([5, 7, 9]))]
    if paragraphs:
        return "".join(f'<p style="text-align:center;line-height:1.5em">{p}</p>' for p in parts) + \
            ("<p><br/></p>" if rng.random() < 0.3 else "")
    return "<br/>".join(parts)


def editor_html(report: Report, seed: int = 0, paragraphs: bool = False) -> tuple[bytes, str]:
    """Each table as a portal's rich-text editor stores it (``<tbody>``, widths on every cell,
    ``word-break:break-all``), the cells as :func:`_editor_cell` writes them."""
    rng = random.Random(seed)
    bodies = []
    for block in report.tables():
        rows = []
        for row in block:
            cells = "".join(f'<td{_spans(rs, cs)} width="{60 * cs}" valign="middle" style="word-break:break-all;">'
                            f"{_editor_cell(t, rng, paragraphs)}</td>" for t, rs, cs in row)
            rows.append(f"<tr>{cells}</tr>")
        bodies.append('<table width="100%" border="1" cellspacing="0" cellpadding="0" data-sort="sortDisabled">'
                      f'<tbody>{"".join(rows)}</tbody></table>')
    return _page(report, bodies), "html"


# --- Word-pasted cells nested deep, padded with ideographic spaces --------------------------------

def _padded(text: str, rng: random.Random) -> str:
    """A value centred with ideographic spaces (``　12　``, ``　　3``), a blank as ``　``, a label
    indented with two (``　　1.属于国家秘密``) by chance."""
    if not text:
        return rng.choice([IDEO, IDEO * 2, ""])
    if _is_value(text):
        left = rng.choice([1, 1, 2, 0])
        return IDEO * left + text + IDEO * rng.choice([0, left])
    return (IDEO * 2 if rng.random() < 0.4 else "") + text


def _deep_cell(text: str, rng: random.Random) -> str:
    shown = escape(_padded(text, rng)).replace(IDEO, "&#12288;")
    latin = _is_value(text) and text.isascii()
    inner = (f'<span lang="EN-US" style="font-size:12.0pt;font-family:&quot;Times New Roman&quot;">{shown}</span>'
             if latin else f'<span style="font-size:12.0pt;font-family:仿宋_GB2312">{shown}</span>')
    return (f'<div align="center"><p class="MsoNormal" align="center" style="text-align:center;line-height:20pt">'
            f'<span style="mso-bidi-font-size:10.5pt"><font face="仿宋_GB2312"><span><strong style="font-weight:'
            f'normal">{inner}</strong></span></font></span><span lang="EN-US"><o:p></o:p></span></p></div>')


def deep_spans_html(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Word-pasted cells nested five deep (``div/p/span/font/span/strong/span``), every value and
    many labels padded with ``&#12288;``."""
    rng = random.Random(seed)
    bodies = []
    for block in report.tables():
        rows = ["<tr style='height:22pt'>" + "".join(
            f'<td{_spans(rs, cs)} style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">{_deep_cell(t, rng)}</td>'
            for t, rs, cs in row) + "</tr>" for row in block]
        bodies.append('<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
                      f'style="border-collapse:collapse">{"".join(rows)}</table>')
    return _page(report, bodies), "html"


def padded_docx(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """A Word file whose values are centred by typing ideographic spaces around them and whose
    blank cells hold one or two."""
    import docx

    from render.word import docx_bytes, word_tables

    rng = random.Random(seed)
    document = docx.Document()
    for _, _, cells in word_tables(document, report):
        for cell, text in cells:
            cell.text = _padded(text, rng)
    return docx_bytes(document), "docx"


def padded_tab_text(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Tab text (copied from such a Word file): values and blanks padded with ideographic spaces."""
    rng = random.Random(seed)
    return _text(report, lambda block: ["\t".join(_padded(t, rng) for t in _fields(row)) for row in block]), "txt"


# --- cells separated by ideographic spaces ------------------------------------------------------

def ideographic_text(report: Report, seed: int = 0, run: bool = False) -> tuple[bytes, str]:
    """Text whose cells are separated by one ideographic space (a blank cell leaves two in a row),
    or (``run``) by two to four, blanks and merged columns leaving nothing (a portal's "copy text")."""
    rng = random.Random(seed)

    def lines(block: Grid) -> list[str]:
        if not run:
            return [IDEO.join(_fields(row)) for row in block]
        return ["".join(t + IDEO * rng.choice([2, 3, 4]) for t, _, _ in row if t).rstrip(IDEO) for row in block]
    return _text(report, lines), "txt"


# --- tab text copied from Excel -----------------------------------------------------------------

def excel_copy_text(report: Report, seed: int = 0, quoted: bool = False) -> tuple[bytes, str]:
    """Tab text as Excel copies a sheet: CRLF line ends, every grid position a field (merged ones
    empty, across and down), every row padded with tabs to the sheet's used width (16 columns), a
    leading empty column (seed odd); with ``quoted`` long labels hold a line break (Alt+Enter)
    and Excel wraps such cells in double quotes."""
    rng = random.Random(seed)
    lead = [""] if seed % 2 else []

    def cell(text: str) -> str:
        if quoted and not _is_value(text) and len(text) > 9 and rng.random() < 0.6:
            return '"' + "\n".join(broken_label(text, rng.choice([6, 8, 10]))) + '"'
        return text

    def lines(block: Grid) -> list[str]:
        grid = [[""] * table_width(block) for _ in block]  # every grid position, merged ones empty
        for r, c, text, _, _ in placed_cells(block):
            grid[r][c] = cell(text)
        return ["\t".join(lead + fields + [""] * (16 - len(lead) - len(fields))) for fields in grid]
    text = _text(report, lines).decode("utf-8").replace("\n", "\r\n")
    return text.encode("utf-8"), "txt"


# --- comma-separated text -----------------------------------------------------------------------

def csv_text(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """The tables as comma-separated rows (a sheet saved as CSV, published as .txt): merged columns
    as empty fields, fields holding a comma or quote quoted; paragraphs as lines of their own."""
    import csv

    def lines(block: Grid) -> list[str]:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(_fields(row) for row in block)
        return out.getvalue().rstrip("\n").split("\n")
    return _text(report, lines), "txt"
