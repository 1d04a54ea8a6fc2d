"""Synthetic reports (tests and benchmark): one report, rendered in the official layout to every format.

``make_report`` draws values (seeded) that satisfy the template's identities and lays out
表二/表三/表四 as the State Council template prints them, with merged cells as
(text, rowspan, colspan). Renderers turn that into HTML, DOCX, PDF (reportlab, built-in
``STSong-Light`` font), tab-separated, space-aligned and pipe text; :mod:`render.families`
names the layout families real reports come in. ``expected`` gives every cell the parser must find.
"""

from __future__ import annotations

from render.html import portal_html, to_html, word_html
from render.pdf import PdfLayout, build_pdf, to_pdf
from render.report import NARRATIVE, Report, expected_cells, make_report, placed_cells
from render.scan import to_scanned_pdf, with_scanned_pages
from render.template import CN, ROOT, SEEDS, Span
from render.text import markdown_pipes, pipe_cells, to_layout_text, to_tab_text
from render.word import to_docx

__all__ = [
    "CN", "NARRATIVE", "ROOT", "SEEDS", "PdfLayout", "Report", "Span", "build_pdf", "expected_cells",
    "make_report", "markdown_pipes", "pipe_cells", "placed_cells", "portal_html", "to_docx", "to_html",
    "to_layout_text", "to_pdf", "to_scanned_pdf", "to_tab_text", "with_scanned_pages", "word_html",
]
