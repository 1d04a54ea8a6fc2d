"""Markdown reports (PDF-to-Markdown output): headings, pipe tables, and raw HTML tables (which
converters write for tables with merged cells)."""

from __future__ import annotations

import re
from dataclasses import replace

from extract.readers.decoding import decode_text
from extract.readers.document import Document, Line
from extract.readers.html import fragment_lines
from extract.readers.pipes import unescape
from extract.readers.text import lines_from_text

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_EMPHASIS = re.compile(r"\*\*|__")
_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)


def _markdown_lines(text: str, first_line: int = 0) -> list[Line]:
    """Lines of Markdown text that starts on line ``first_line + 1`` of the file."""
    lines = []
    for line in lines_from_text(text):
        line = line.renumbered(line.line_no + first_line)
        text = unescape(_EMPHASIS.sub("", _HEADING.sub("", line.text)))
        cells = tuple(_EMPHASIS.sub("", c) for c in line.cells) if line.cells else None
        lines.append(replace(line, text=text, cells=cells))
    return lines


def read_markdown(data: bytes) -> Document:
    """Read a ``.md`` report; heading marks and bold markers are dropped from the text, backslash
    escapes undone (in pipe cells by :mod:`extract.readers.pipes`), and each
    ``<table>`` block is read as a web page's table is (:mod:`extract.readers.html`)."""
    text = decode_text(data)
    lines: list[Line] = []
    start = 0
    for table in _HTML_TABLE.finditer(text):
        lines += _markdown_lines(text[start:table.start()], text.count("\n", 0, start))
        at = text.count("\n", 0, table.start()) + 1  # the table's rows keep the line it starts on, and on
        lines += [line.renumbered(at + n) for n, line in enumerate(fragment_lines(table.group()))]
        start = table.end()
    lines += _markdown_lines(text[start:], text.count("\n", 0, start))
    return Document(source_format="md", lines=lines)
