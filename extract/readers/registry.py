"""The reader registry: a file name's extension → its format name and reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from extract.readers.document import Document
from extract.readers.docx import read_docx
from extract.readers.errors import ReaderError
from extract.readers.html import read_html
from extract.readers.invisible import visible
from extract.readers.legacy import read_legacy
from extract.readers.markdown import read_markdown
from extract.readers.pdf import read_pdf
from extract.readers.radicals import unified
from extract.readers.text import read_text

Reader = Callable[[bytes], Document]

READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("txt", read_text),
    ".text": ("txt", read_text),
    ".md": ("md", read_markdown),
    ".markdown": ("md", read_markdown),
    ".pdf": ("pdf", read_pdf),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".shtml": ("html", read_html),
    ".xhtml": ("html", read_html),
    ".docx": ("docx", read_docx),
    ".doc": ("doc", read_legacy(".doc")),
    ".wps": ("wps", read_legacy(".wps")),
    ".rtf": ("rtf", read_legacy(".rtf")),
    ".odt": ("odt", read_legacy(".odt")),
}


def source_format(name: str) -> str | None:
    """The format name for a file name, or ``None`` when no reader handles it."""
    entry = READERS.get(PurePath(name).suffix.lower())
    return entry[0] if entry else None


def read_document(data: bytes, name: str) -> Document:
    """Read ``data`` with the reader registered for ``name``'s extension."""
    entry = READERS.get(PurePath(name).suffix.lower())
    if entry is None:
        raise ReaderError("unsupported_format", f"no reader for files named *{PurePath(name).suffix}")
    return unified(visible(entry[1](data)))  # no invisible characters; radicals a font's map gave for ideographs


__all__ = ["READERS", "ReaderError", "read_document", "source_format"]
