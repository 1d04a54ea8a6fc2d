"""A fetched file's name in the reports folder: ``<host>/<path>``, stable across runs and schemes.

``https://www.siyang.gov.cn/art/2024/1/10/art_123.html`` → ``www.siyang.gov.cn/art/2024/1/10/art_123.html``.
The scheme is dropped (a site moving to https keeps its files), a port other than the default is
kept (``127.0.0.1_8080``), a query becomes a short hash (``download_3f9a1c2e.pdf``), a path ending in
``/`` is ``index``, and the extension is the one the content needs (a PDF behind
``download.jsp`` is ``download.jsp.pdf``) so the refresh reads it with the right reader.
Segments are percent-decoded (Chinese names stay readable), characters no file system takes
become ``_``, a leading ``.`` (a hidden file the refresh would skip) becomes ``_``, ``.`` and
``..`` segments are dropped, and a segment longer than 120 bytes is cut and given a hash.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from extract.readers.sniff import same_format

MAX_SEGMENT_BYTES = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"\\|?*]')


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _segment(text: str) -> str:
    text = _UNSAFE.sub("_", text).strip()
    if text.startswith("."):
        text = "_" + text[1:]
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:
        suffix = PurePosixPath(text).suffix[:10]
        stem = text.encode("utf-8", "surrogatepass")[:MAX_SEGMENT_BYTES - 20 - len(suffix)]
        text = stem.decode("utf-8", "ignore") + "_" + _short_hash(text) + suffix
    return text


def file_name(url: str, extension: str) -> str:
    """The path (relative, POSIX) a file from ``url`` with content of ``extension`` is saved under."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown-host").lower().rstrip(".")
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    if parts.port is not None and parts.port != default_port:
        host = f"{host}_{parts.port}"
    raw_segments = parts.path.split("/")
    segments = [_segment(unquote(s, errors="replace")) for s in raw_segments if s not in ("", ".", "..")]
    segments = [s for s in segments if s]
    if not segments or parts.path.endswith("/"):
        segments.append("index")
    last = segments[-1]
    if parts.query:
        stem, dot, suffix = last.rpartition(".")
        last = f"{stem}_{_short_hash(parts.query)}.{suffix}" if dot and stem else f"{last}_{_short_hash(parts.query)}"
    if not same_format(extension, last):
        last = last + extension
    segments[-1] = _segment(last) if len(last.encode()) > MAX_SEGMENT_BYTES else last
    return "/".join([_segment(host), *segments])
