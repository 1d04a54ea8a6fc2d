"""Legacy word-processor files (``.doc``, ``.wps``, ``.rtf``, ``.odt``) via LibreOffice.

The file is converted with ``soffice --headless --convert-to docx`` in a
private temporary folder (with its own LibreOffice profile, so parallel
workers do not collide) and read by the DOCX reader. Where LibreOffice is
not installed the file is recorded with error class ``converter_missing``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from extract.readers.document import Document
from extract.readers.docx import docx_document
from extract.readers.errors import ReaderError

CONVERT_TIMEOUT_SECONDS = 180
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def soffice_path() -> str | None:
    """The LibreOffice binary (``GONGKAI_SOFFICE`` overrides the search), or ``None``."""
    configured = os.environ.get("GONGKAI_SOFFICE")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, suffix: str) -> bytes:
    """Convert one legacy document to DOCX bytes with LibreOffice."""
    soffice = soffice_path()
    if soffice is None:
        raise ReaderError("converter_missing", f"reading {suffix} files needs LibreOffice (soffice), "
                          "which is not installed; install it (Debian: libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="gongkai-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"report{suffix}"
        source.write_bytes(data)
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", "docx", "--outdir", str(folder / "out"),
                   str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT_SECONDS, check=False)
        except OSError as error:
            raise ReaderError("converter_missing", f"LibreOffice could not be started: {error}") from None
        except subprocess.TimeoutExpired:
            raise ReaderError("conversion_failed", f"LibreOffice did not convert the {suffix} file "
                              f"within {CONVERT_TIMEOUT_SECONDS} s") from None
        converted = folder / "out" / "report.docx"
        if not converted.exists():
            raise ReaderError("conversion_failed", f"LibreOffice could not convert the {suffix} file "
                              "(damaged, encrypted or not a document)")
        return converted.read_bytes()


def read_legacy(suffix: str):
    """A reader for one legacy extension."""

    def read(data: bytes) -> Document:
        if not data.strip():
            raise ReaderError("empty_file", "the file is empty")
        if suffix in (".doc", ".wps") and not data.startswith(_OLE) and data.lstrip()[:5] != b"{\\rtf":
            if data.startswith(b"PK\x03\x04"):
                return docx_document(data, suffix.lstrip("."))
            raise ReaderError("not_a_document", f"the file is named {suffix} but is not a Word/WPS document")
        document = docx_document(convert_to_docx(data, suffix), suffix.lstrip("."))
        return document

    return read
