"""PDFs a reviewer brings: A4 landscape pages, embedded TrueType CJK fonts, numbers centred or
right-aligned, wide cell padding, 表三 cut over two or three pages (its header repeated or not),
numbers with thousands separators, and web pages printed by a browser (Noto CJK fonts, ``<thead>``
repeated on every page)."""

from __future__ import annotations

import random
import subprocess
import tempfile
from pathlib import Path

from render.pdf import FONT_FILES, PdfLayout, build_pdf
from render.report import Report
from render.reshape import with_thousands
from render.tools import RenderSkipped, missing, pdftotext
from render.unseen import _th_table
from render.variants import WIDE, Style, narrow_style

FONTS = ("STSong-Light", *FONT_FILES)

LARGE = Style(font_size=10.5, number_font="STSong-Light", result_width=26, group_width=78, label_width=150,
              item_width=160, label_chars=12, value_width=32.0)
"""Large type (五号), wide labels: the tables run over more pages."""


def pdf_landscape(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """A4 landscape, a font, a number alignment and a cell padding by seed."""
    style = [WIDE, narrow_style(seed), LARGE][seed % 3]
    layout = PdfLayout(style, ruled=ruled, vertical_group_label=seed % 2 == 1, font=FONTS[seed % 3],
                       landscape=True, number_align=(seed // 2) % 3, padding=[2.0, 6.0, 14.0][seed % 3])
    return build_pdf(report, layout), "pdf"


def pdf_fonts(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """A4 portrait in an embedded TrueType font (WenQuanYi Zen Hei or AR PL UMing), large or
    narrow type, numbers centred or right-aligned."""
    style = [LARGE, narrow_style(seed)][seed % 2]
    layout = PdfLayout(style, ruled=ruled, font=list(FONT_FILES)[seed % 2 if seed < 4 else (seed + 1) % 2],
                       number_align=1 + seed % 2, vertical_group_label=seed % 4 == 0)
    return build_pdf(report, layout), "pdf"


def pdf_table3_pages(report: Report, seed: int = 0, repeat_header: bool = False,
                     ruled: bool = True) -> tuple[bytes, str]:
    """表三 cut at row boundaries over two or three pages, its three header rows printed again on
    each with ``repeat_header``."""
    style = [WIDE, narrow_style(seed)][seed % 2]
    layout = PdfLayout(style, ruled=ruled, repeat_header=repeat_header, table3_pages=2 + seed % 2,
                       number_align=seed % 3)
    return build_pdf(report, layout), "pdf"


def pdf_thousands(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """Counts in the thousands printed with separators (``1,234``), amounts as ``12,345.67``
    (changes ``report``: :func:`render.reshape.with_thousands`)."""
    return build_pdf(with_thousands(report), PdfLayout(WIDE, ruled=ruled, number_align=2)), "pdf"


def pdftotext_of(render, mode: str = "layout"):
    """``pdftotext -layout`` of another PDF rendering."""
    def rendered(report: Report, seed: int = 0) -> tuple[bytes, str]:
        return pdftotext(render(report, seed)[0], mode), "txt"
    return rendered


# --- a browser's print of a web page --------------------------------------------------------------

BROWSER_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UMing CN", "WenQuanYi Zen Hei")


def browser_html(report: Report, seed: int = 0) -> str:
    """The page a browser prints: ``<thead>`` header rows, a font and size, landscape or portrait."""
    rng = random.Random(seed)
    font = BROWSER_FONTS[seed % 4]
    size = [10.5, 12, 9][seed % 3]
    page = "A4 landscape" if seed % 2 else "A4"
    out = [f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{report.title}</title><style>'
           f"@page {{size: {page}; margin: 18mm}} body{{font-family:'{font}';font-size:{size}pt}}"
           "table{border-collapse:collapse;page-break-inside:auto} tr{page-break-inside:avoid}"
           "td,th{border:0.5pt solid #000}</style></head><body>"]
    for kind, block in report.blocks:
        if kind == "table":
            out.append(_th_table(block, rng, printed=True))  # type: ignore[arg-type]
        elif kind == "title":
            out.append(f'<h2 style="text-align:center">{block}</h2>')
        else:
            out.append(f'<p style="text-indent:2em">{block}</p>')
    out.append("</body></html>")
    return "\n".join(out)


def chromium_pdf(html: str) -> bytes:
    """``html`` printed to PDF by headless Chromium (no header or footer lines)."""
    program = next((p for p in ("chromium", "chromium-browser", "google-chrome") if not missing(p)), None)
    if program is None:
        raise RenderSkipped("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="gongkai-chromium-") as tmp:
        source, target = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        source.write_text(html, encoding="utf-8")
        subprocess.run([program, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp}/profile",
                        "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri()],
                       check=True, capture_output=True, timeout=180)
        return target.read_bytes()


def browser_pdf(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """A web page printed to PDF by Chromium: Noto CJK or other fonts, headers repeated per page."""
    return chromium_pdf(browser_html(report, seed)), "pdf"
