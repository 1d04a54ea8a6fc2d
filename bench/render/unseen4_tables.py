"""Word files and reshaped tables a reviewer brings (fourth round): cells holding several
paragraphs (a label typed over lines with Enter, an empty paragraph left after a number), a
value held in a one-cell table nested in its cell, tracked changes beyond typed-over numbers (the
old number a deleted paragraph of its own, a row deleted and typed again as an inserted row,
comment marks in cells); 表三/表四 header cells set one character a line (自/然/人, as narrow
header columns print them); 表二's blocks as small tables each under a title paragraph of its own;
numbers in full-width digits or with mixed units (件, 项, 个) in a Word file and a PDF."""

from __future__ import annotations

import copy
import random
import re

from render.report import Report, is_table3, table_width
from render.template import Grid
from render.tools import pdftotext
from render.unseen2_docx import W, _is_value, _xml
from render.word import docx_bytes, word_tables

STAMP = 'w:author="办公室" w:date="2024-01-18T10:00:00Z"'


def _clear(p) -> None:
    for child in list(p):
        if child.tag != f"{W}pPr":
            p.remove(child)


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


# --- cells of several paragraphs, values in nested tables ----------------------------------------

def _paragraphs_cell(cell, text: str, rng: random.Random) -> None:
    """A label typed over lines (each piece a paragraph), a value with an empty paragraph after it
    (or before), a blank cell of two empty paragraphs."""
    if not text:
        cell.add_paragraph("")
        return
    if _is_value(text):
        if rng.random() < 0.5:
            cell.add_paragraph("")
        else:
            first = cell.paragraphs[0]._p
            first.addprevious(_xml("<w:p/>"))
        return
    if len(text) > 6:
        at = rng.choice([4, 6, 8])
        pieces = [text[i:i + at] for i in range(0, len(text), at)]
        cell.paragraphs[0].text = pieces[0]
        for piece in pieces[1:]:
            cell.add_paragraph(piece)


def _nested_value(cell, text: str) -> None:
    """The cell's number inside a one-cell table nested in it (a cell pasted into a cell), the
    empty paragraph Word requires after a nested table."""
    cell.paragraphs[0].text = ""
    inner = cell.add_table(rows=1, cols=1)
    inner.style = "Table Grid"
    inner.cell(0, 0).text = text
    cell.add_paragraph("")
    first = cell._tc.findall(f"{W}p")[0]
    cell._tc.remove(first)


def cell_structures_docx(report: Report, seed: int = 0, how: str = "paragraphs") -> tuple[bytes, str]:
    """A Word file whose cells hold several paragraphs (``how="paragraphs"``), or (``nested``) whose
    value cells in a few rows of each table hold their number in a nested one-cell table."""
    import docx

    rng = random.Random(seed)
    document = docx.Document()
    for block, _, cells in word_tables(document, report):
        rows = [i for i, row in enumerate(block) if any(_is_value(t) and t for t, _, _ in row)]
        chosen = set(rng.sample(rows, min(len(rows), 3)))
        row_of = [r for r, row in enumerate(block) for _ in row]
        for (cell, text), r in zip(cells, row_of, strict=True):
            if how == "paragraphs":
                _paragraphs_cell(cell, text, rng)
            elif r in chosen and text and _is_value(text):
                _nested_value(cell, text)
    return docx_bytes(document), "docx"


# --- tracked changes beyond a typed-over number --------------------------------------------------

def _deleted_paragraph(cell, text: str, old: str) -> None:
    """The old number a paragraph of its own, deleted with its paragraph mark; the new one inserted."""
    p = cell.paragraphs[0]._p
    _clear(p)
    p.append(_xml(f'<w:ins w:id="11" {STAMP}>{_run(text)}</w:ins>'))
    p.addprevious(_xml(f'<w:p><w:pPr><w:rPr><w:del w:id="12" {STAMP}/></w:rPr></w:pPr><w:del w:id="13" {STAMP}>'
                       f'<w:r><w:delText>{old}</w:delText></w:r></w:del></w:p>'))


def _row_as(tr, change: str) -> None:
    """Mark a ``w:tr`` and all its runs as a tracked insertion or deletion (``w:ins`` / ``w:del``)."""
    props = tr.find(f"{W}trPr")
    if props is None:
        props = _xml("<w:trPr/>")
        tr.insert(0, props)
    props.append(_xml(f'<w:{change} w:id="21" {STAMP}/>'))
    for run in list(tr.iter(f"{W}r")):
        wrapper = _xml(f'<w:{change} w:id="22" {STAMP}/>')
        run.addprevious(wrapper)
        wrapper.append(run)
        if change == "del":
            for t in run.findall(f"{W}t"):
                t.tag = f"{W}delText"


def _comment_marks(cell, index: int) -> None:
    """A comment anchored on the cell's text (the range marks and the reference run in the cell)."""
    p = cell.paragraphs[0]._p
    runs = p.findall(f"{W}r")
    if not runs:
        return
    runs[0].addprevious(_xml(f'<w:commentRangeStart w:id="{index}"/>'))
    runs[-1].addnext(_xml(f'<w:commentRangeEnd w:id="{index}"/>'))
    p.append(_xml(f'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                  f'<w:commentReference w:id="{index}"/></w:r>'))


def tracked_docx(report: Report, seed: int = 0, how: str = "deleted_paragraph") -> tuple[bytes, str]:
    """A Word file with tracked changes shown as markup: ``deleted_paragraph`` (value cells whose
    old number is a deleted paragraph above the inserted new one), ``rows`` (a few 表三 rows
    deleted whole, the row with the new numbers inserted below each: ``w:trPr/w:del`` and
    ``w:trPr/w:ins``), ``comments`` (comment marks in value and label cells)."""
    import docx

    rng = random.Random(seed)
    document = docx.Document()
    index = 0
    for block, table, cells in word_tables(document, report):
        if how == "deleted_paragraph":
            for cell, text in cells:
                if text.isdigit() and rng.random() < 0.5:
                    _deleted_paragraph(cell, text, str(int(text) + rng.randint(1, 9)))
        elif how == "comments":
            for cell, text in cells:
                index += 1
                if text and rng.random() < 0.2:
                    _comment_marks(cell, index)
        elif how == "rows" and is_table3(block):
            trs = table._tbl.findall(f"{W}tr")
            simple = [i for i, row in enumerate(block) if i > 2 and all(rs == 1 for _, rs, _ in row)
                      and sum(1 for t, _, _ in row if _is_value(t)) == 7]
            for i in rng.sample(simple, min(3, len(simple))):
                old = copy.deepcopy(trs[i])
                for t in old.iter(f"{W}t"):
                    if t.text and t.text.isdigit():
                        t.text = str(int(t.text) + rng.randint(1, 5))
                _row_as(old, "del")
                _row_as(trs[i], "ins")
                trs[i].addprevious(old)
    return docx_bytes(document), "docx"


# --- header cells one character a line -----------------------------------------------------------

def _header_rows(block: Grid) -> int:
    return next((i for i, row in enumerate(block) if any(_is_value(t) for t, _, _ in row)), 0)


def with_char_headers(report: Report) -> Report:
    """表三 and 表四 header cells (not 表三's long note) broken after every character: ``自\\n然\\n人``."""
    out = copy.deepcopy(report)
    blocks = []
    for kind, block in out.blocks:
        if kind == "table" and table_width(block) in (10, 15):  # type: ignore[arg-type]
            heads = _header_rows(block)  # type: ignore[arg-type]
            block = [[("\n".join(t) if i < heads and len(t) < 12 else t, rs, cs) for t, rs, cs in row]
                     for i, row in enumerate(block)]  # type: ignore[arg-type]
        blocks.append((kind, block))
    out.blocks = blocks
    return out


def char_headers(report: Report, seed: int = 0, fmt: str = "html") -> tuple[bytes, str]:
    """:func:`with_char_headers` as a page (``<br>`` after each character), a Word file (a paragraph
    per character, or a line break by seed), a ruled PDF (``<br/>``) or its ``pdftotext -layout``."""
    from html import escape

    from render.html import _spans
    from render.pdf import to_pdf
    from render.unseen import _page

    shown = with_char_headers(report)
    if fmt == "html":
        bodies = ['<table border="1" width="100%">' + "".join(
            "<tr>" + "".join(f"<td{_spans(rs, cs)}>{'<br>'.join(escape(p) for p in t.split(chr(10)))}</td>"
                             for t, rs, cs in row) + "</tr>" for row in block) + "</table>"
            for block in shown.tables()]
        return _page(shown, bodies), "html"
    if fmt == "docx":
        import docx

        document = docx.Document()
        for _, _, cells in word_tables(document, shown):
            for cell, text in cells:
                if "\n" in text and seed % 2 == 0:
                    parts = text.split("\n")
                    cell.paragraphs[0].text = parts[0]
                    for part in parts[1:]:
                        cell.add_paragraph(part)
        return docx_bytes(document), "docx"
    pdf_report = copy.deepcopy(shown)
    pdf_report.blocks = [(k, [[(t.replace("\n", "<br/>"), rs, cs) for t, rs, cs in row] for row in b])
                         if k == "table" else (k, b) for k, b in pdf_report.blocks]  # type: ignore[union-attr]
    data = to_pdf(pdf_report, vertical_group_label=seed % 2 == 0)
    return (data, "pdf") if fmt == "pdf" else (pdftotext(data), "txt")


# --- 表二's blocks as small tables under title paragraphs ------------------------------------------

def table2_titled(report: Report, seed: int = 0) -> Report:
    """表二 as one small table per block, its title (第二十条第（一）项) a paragraph above it, not a
    row; the numbering of the title by seed (``（一）第二十条第（一）项``, ``第二十条第（一）项：``)."""
    out = copy.deepcopy(report)
    blocks: list[tuple[str, object]] = []
    for kind, block in out.blocks:
        if kind == "table" and table_width(block) == 4:  # type: ignore[arg-type]
            number = 0
            for row in block:  # type: ignore[union-attr]
                if len(row) == 1 and row[0][0].startswith("第二十条"):
                    title = row[0][0]
                    shown = [title, f"（{'一二三四五'[number]}）{title}", f"{title}："][seed % 3]
                    number += 1
                    blocks += [("p", shown), ("table", [])]
                else:
                    blocks[-1][1].append(list(row))  # type: ignore[union-attr]
        else:
            blocks.append((kind, block))
    out.blocks = blocks
    return out


def titled_table2(report: Report, seed: int = 0, fmt: str = "html") -> tuple[bytes, str]:
    """:func:`table2_titled` as a plain page, a Word file, a ruled PDF, its text, or tab text."""
    from render.pdf import to_pdf
    from render.text import to_tab_text
    from render.unseen2 import html_page
    from render.word import to_docx

    shown = table2_titled(report, seed)
    return {"html": lambda: html_page(shown), "docx": lambda: (to_docx(shown), "docx"),
            "pdf": lambda: (to_pdf(shown), "pdf"), "pdftotext": lambda: (pdftotext(to_pdf(shown)), "txt"),
            "txt": lambda: (to_tab_text(shown), "txt")}[fmt]()


# --- full-width digits and mixed units in Word and PDF ---------------------------------------------

_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def with_marked_values(report: Report, seed: int = 0, how: str = "fullwidth") -> Report:
    """Every number in full-width digits (``how="fullwidth"``), or with a unit that varies by table
    and seed (``units``: 表二 counts ``12件``/``12项``/``12个``, amounts ``12.50万元``, 表三 ``12件``, 表四
    ``2个``); changes ``report``, whose cells are then expected so."""
    rng = random.Random(seed)

    def shown(text: str, table: int) -> str:
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            return text
        if how == "fullwidth":
            return text.translate(_FULLWIDTH)
        if "." in text:
            return f"{text}万元"
        return text + {2: rng.choice(["件", "项", "个"]), 3: "件", 4: "个"}[table]

    tables = iter((2, 3, 4))
    blocks = []
    mapping = {}
    for kind, block in report.blocks:
        if kind == "table":
            number = next(tables)
            rows = []
            for row in block:  # type: ignore[union-attr]
                cells = []
                for text, rs, cs in row:
                    if text and _is_value(text):
                        new = shown(text, number)
                        mapping.setdefault(number, []).append((text, new))
                        text = new
                    cells.append((text, rs, cs))
                rows.append(cells)
            block = rows
        blocks.append((kind, block))
    report.blocks = blocks
    for number, pairs in mapping.items():  # the expected cells of each table in printed order
        mine = [k for k in report.expected if k[0] == number and report.expected[k] != ""]
        assert len(mine) == len(pairs), (number, len(mine), len(pairs))
        for key, (old, new) in zip(mine, pairs, strict=True):
            assert report.expected[key] == old, (key, old)
            report.expected[key] = new
    return report


def marked_values(report: Report, seed: int = 0, how: str = "fullwidth", fmt: str = "docx") -> tuple[bytes, str]:
    """:func:`with_marked_values` as a Word file, a ruled PDF or its ``pdftotext -layout``."""
    from render.pdf import to_pdf
    from render.word import to_docx

    shown = with_marked_values(report, seed, how)
    if fmt == "docx":
        return to_docx(shown), "docx"
    data = to_pdf(shown)
    return (data, "pdf") if fmt == "pdf" else (pdftotext(data), "txt")
