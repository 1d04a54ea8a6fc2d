"""Plain-text reports: text copied or converted from PDF, Word or web pages.

Each line keeps its text; a line that is a table row gets ``cells``:
tab-separated cells (merged cells come through as empty strings), one cell
ending in `` |`` (one cell per line), or a Markdown pipe row.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.layout.columns import PageCarry, layout_lines, looks_like_layout
from extract.readers.decoding import decode_text
from extract.readers.document import Document, Line

_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^(?=.*[-—])[\s|:\-—]+$")  # a bare "|" is a blank cell, not a separator
_CELL_LINE = re.compile(r"^(?P<cell>[^|]*?)\s*\|\s*$")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def split_line(text: str) -> tuple[str, ...] | None:
    """The cells of one line, or ``None`` for running text."""
    pipe = _PIPE_ROW.match(text)
    if pipe:
        return tuple(_HTML_BREAK.sub("", cell).strip() for cell in pipe.group(1).split("|"))
    if "\t" in text:
        return tuple(text.split("\t"))
    cell = _CELL_LINE.match(text)
    if cell:
        return (cell["cell"].strip(),)
    return None


def lines_from_text(text: str, page: int | None = None) -> list[Line]:
    """Split text into :class:`Line` objects, skipping Markdown table separator rows."""
    lines: list[Line] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if raw.strip().startswith("|") and _PIPE_SEPARATOR.match(raw):
            continue
        lines.append(Line(text=raw, line_no=number, page=page, cells=split_line(raw)))
    return _cell_pieces(lines)


_PIECE_CHARS = 30


def _cell_pieces(lines: list[Line]) -> list[Line]:
    """Short lines without a tab between two tab-separated rows are pieces of a cell a line break
    split (a table copied from a browser: ``一、本年新收政`` / ``府信息公开申请`` / ``数量\t\t\t304…``):
    they become one-cell lines, label fragments the table parser re-joins with the row's label."""
    tabbed = [line.cells is not None and "\t" in line.text for line in lines]
    out = list(lines)
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and lines[end].cells is None and 0 < len(lines[end].text.strip()) <= _PIECE_CHARS:
            end += 1
        if end > index and index > 0 and end < len(lines) and tabbed[index - 1] and tabbed[end]:
            out[index:end] = [replace(line, cells=(line.text.strip(),)) for line in lines[index:end]]
        index = end + 1
    return out


def read_layout_text(text: str) -> list[Line]:
    """Space-aligned text; form feeds (``pdftotext -layout``) separate pages."""
    pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    lines: list[Line] = []
    carry = PageCarry()
    for page_no, page_text in enumerate(pages, 1):
        texts = page_text.split("\n")
        lines += layout_lines(texts, page_no if len(pages) > 1 else None, "positional", len(lines) + 1, carry)
    return [ln.renumbered(n) for n, ln in enumerate(lines, 1)]


def read_text(data: bytes) -> Document:
    """Read a ``.txt`` report: separated cells, or columns aligned by spaces."""
    text = decode_text(data)
    if looks_like_layout(text.splitlines()):
        return Document(source_format="txt", lines=read_layout_text(text))
    return Document(source_format="txt", lines=lines_from_text(text))
