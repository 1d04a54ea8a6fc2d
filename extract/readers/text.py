"""Plain-text reports: text copied or converted from PDF, Word or web pages.

Each line keeps its text; a line that is a table row gets ``cells``:
tab-separated cells (merged cells come through as empty strings), one cell
ending in `` |`` (one cell per line), or a Markdown pipe row.
"""

from __future__ import annotations

import re

from extract.document import Document, Line
from extract.readers.decoding import decode_text

_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^[\s|:\-—]+$")
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
    return lines


def read_text(data: bytes) -> Document:
    """Read a ``.txt`` report."""
    return Document(source_format="txt", lines=lines_from_text(decode_text(data)))
