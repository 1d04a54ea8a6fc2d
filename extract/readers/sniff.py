"""What a file really is, from its bytes: the extension of the reader that reads it.

Servers send reports with wrong ``Content-Type`` headers (a PDF as ``text/html``, a Word file as
``application/octet-stream``) and behind names that say nothing (``download.jsp?id=3``), so the
fetcher names a file by its content. ``name`` is only a hint: it decides between formats the bytes
cannot tell apart (``.doc`` / ``.wps``, ``.htm`` / ``.html``, ``.txt`` / ``.md``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from extract.readers.registry import source_format

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_HTML_MARKS = ("<!doctype html", "<html", "<body", "<table", "<head", "<meta", "<div", "<p>", "<p ", "<a href", "<br")
_ODT = b"application/vnd.oasis.opendocument.text"


def _zip_format(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "word/document.xml" in names:
                return ".docx"
            if "mimetype" in names and package.read("mimetype").strip() == _ODT:
                return ".odt"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def sniff_extension(data: bytes, name: str = "", content_type: str = "") -> str | None:
    """The extension of the reader for these bytes (``.pdf``, ``.docx``, ``.html`` …), or ``None``
    when no reader reads them (an image, a spreadsheet, an archive, an empty or binary body).

    ``content_type`` (a server's header) is believed only for text without binary magic: text
    declared ``text/html`` is HTML even when it holds no tag the sniffing knows."""
    hint = PurePath(name).suffix.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data)
    if data.startswith(OLE):
        if _WORD_STREAM in data[:1 << 20] or hint == ".wps":
            return ".wps" if hint == ".wps" else ".doc"
        return None
    if data.lstrip().startswith(b"{\\rtf"):
        return ".rtf"
    sample = data[:4096]
    if not sample.strip() or (b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return None
    lowered = (sample.decode("utf-16", errors="ignore") if sample.startswith((b"\xff\xfe", b"\xfe\xff"))
               else sample.decode("latin-1")).lower()
    if any(mark in lowered for mark in _HTML_MARKS) or "html" in content_type.lower():
        return hint if source_format(name) == "html" else ".html"
    if source_format(name) in ("txt", "md"):
        return hint
    return None


def same_format(extension: str, name: str) -> bool:
    """Whether ``name``'s extension is read by the same reader as ``extension``."""
    return source_format(name) is not None and source_format(name) == source_format("x" + extension)
