"""Markdown reports (PDF-to-Markdown output): headings and pipe tables."""

from __future__ import annotations

import re
from dataclasses import replace

from extract.readers.decoding import decode_text
from extract.readers.document import Document
from extract.readers.text import lines_from_text

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_EMPHASIS = re.compile(r"\*\*|__")


def read_markdown(data: bytes) -> Document:
    """Read a ``.md`` report; heading marks and bold markers are dropped from the text."""
    lines = []
    for line in lines_from_text(decode_text(data)):
        text = _EMPHASIS.sub("", _HEADING.sub("", line.text))
        cells = tuple(_EMPHASIS.sub("", c) for c in line.cells) if line.cells else None
        lines.append(replace(line, text=text, cells=cells))
    return Document(source_format="md", lines=lines)
