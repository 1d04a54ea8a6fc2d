"""External converters a layout family needs: poppler's ``pdftotext`` and LibreOffice's ``soffice``.
When one is missing the family is skipped: :class:`RenderSkipped` says why."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class RenderSkipped(Exception):
    """A rendering needs a program this machine does not have."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def missing(program: str) -> str | None:
    """Why ``program`` cannot be used here, or ``None`` when it is on PATH."""
    if shutil.which(program):
        return None
    package = {"pdftotext": "poppler-utils", "soffice": "LibreOffice"}.get(program, program)
    return f"{program} ({package}) is not installed"


def pdftotext(pdf: bytes, mode: str = "layout") -> bytes:
    """``pdftotext -layout`` (or ``-raw``) of ``pdf``, UTF-8, pages separated by form feeds."""
    reason = missing("pdftotext")
    if reason:
        raise RenderSkipped(reason)
    with tempfile.TemporaryDirectory(prefix="gongkai-pdftotext-") as tmp:
        source = Path(tmp) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftotext", f"-{mode}", "-enc", "UTF-8", str(source), str(Path(tmp) / "report.txt")],
                       check=True, capture_output=True, timeout=120)
        return (Path(tmp) / "report.txt").read_bytes()


def soffice_pdf(docx: bytes) -> bytes:
    """The DOCX converted to PDF by ``soffice --headless --convert-to pdf``, with a throwaway profile."""
    return soffice_convert(docx, "pdf")


def soffice_convert(data: bytes, target: str, source: str = "docx") -> bytes:
    """A file (``source``: its extension, a DOCX by default) converted by LibreOffice to ``target``
    (``pdf``, ``doc``, ``rtf``, ``odt``, ``pdf:writer_web_pdf_Export`` …), with a throwaway profile."""
    reason = missing("soffice")
    if reason:
        raise RenderSkipped(reason)
    with tempfile.TemporaryDirectory(prefix="gongkai-soffice-") as tmp:
        root = Path(tmp)
        (root / f"report.{source}").write_bytes(data)
        subprocess.run(["soffice", f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", str(root / "out"), str(root / f"report.{source}")],
                       check=True, capture_output=True, timeout=300)
        return (root / "out" / f"report.{target.split(':')[0]}").read_bytes()
