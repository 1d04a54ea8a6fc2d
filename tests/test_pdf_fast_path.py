"""The PDF fast path (pdfium, extract/readers/pdf_fast.py) against pdfminer (``GONGKAI_PDF_FAST=0``).

On every PDF of the tests' fixtures and data/reports, one rendering of each PDF layout family of
bench/render/families.py, and the PDFs built to catch a reader out (superscript marks, glyphs
printed twice, a page printed sideways, a page turned by /Rotate, an image-only page, an invisible
text layer): the same
cells (every field), issues and metadata both ways; pdfium read the pages it should, and its
chars and ruling are pdfminer's. The fast path is the default, and the errors are the same.
"""

from __future__ import annotations

import io
from dataclasses import asdict

import pdfplumber
import pytest
from conftest import FIXTURES, REPORTS
from layouts import report_for
from render import to_pdf
from render.families import FAMILIES
from render.tools import RenderSkipped, missing
from test_marks_and_columns import _marked, _overprinted_pdf

from extract.parse import extract_report
from extract.readers.errors import ReaderError
from extract.readers.pdf import read_pdf
from extract.readers.pdf_fast import fast_page, open_pdfium

REAL = sorted(FIXTURES.rglob("*.pdf")) + sorted(REPORTS.glob("*.pdf"))


def _canvas_pdf(draw) -> bytes:
    from render.pdf import _font
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    draw(page)
    page.save()
    return buffer.getvalue()


def _title_page(page, report) -> None:
    page.setFont("STSong-Light", 12)
    page.drawString(50, 780, report.title)
    page.drawString(50, 750, "四、政府信息公开行政复议、行政诉讼情况 本年度共收到申请 12 件")
    page.showPage()


def _sideways(report) -> bytes:
    """Page 2 printed a quarter turned (text not upright): pdfminer reads it."""
    def draw(page):
        _title_page(page, report)
        page.setFont("STSong-Light", 8)
        page.rotate(90)
        for n in range(20):
            page.drawString(60 + n * 30, -100, f"{n}件")
        page.showPage()
    return _canvas_pdf(draw)


def _rotated(report) -> bytes:
    """Page 2 turned by /Rotate 90: pdfminer reads it."""
    def draw(page):
        _title_page(page, report)
        page.setPageRotation(90)
        page.setFont("STSong-Light", 10)
        page.drawString(60, 700, "（一）行政复议 3 件")
        page.showPage()
    return _canvas_pdf(draw)


def _image_page(report) -> bytes:
    """Page 2 an image only (a scanned page)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    def draw(page):
        _title_page(page, report)
        page.drawImage(ImageReader(Image.new("L", (40, 40), 255)), 100, 100, 200, 200)
        page.showPage()
    return _canvas_pdf(draw)


def _invisible_layer(report) -> bytes:
    """Text drawn invisible (render mode 3: the text layer of an OCR'd scan) beside visible text."""
    def draw(page):
        text = page.beginText(50, 780)
        text.setFont("STSong-Light", 12)
        text.setTextRenderMode(3)
        text.textLine(report.title)
        text.textLine("四、政府信息公开行政复议、行政诉讼情况 本年度共收到申请 12 件")
        page.drawText(text)
        page.setFont("STSong-Light", 12)
        page.drawString(50, 700, "（一）行政复议 3 件")
        page.showPage()
    return _canvas_pdf(draw)


SPECIAL = {
    "superscript marks": lambda r: to_pdf(_marked(r, "<super>1</super>")),
    "glyphs printed twice": _overprinted_pdf,
    "page printed sideways": _sideways,
    "page turned by /Rotate": _rotated,
    "image-only page": _image_page,
    "invisible text layer": _invisible_layer,
}
FALLBACK = {"page printed sideways": [2], "page turned by /Rotate": [2],
            "pdf_rule_styles/sideways_label": [2],
            # pages stored turned (/Rotate 90), and a watermark slanted across every page
            "pdf_rotated_pages/ruled": [1, 2, 3, 4], "pdf_rotated_pages/borderless": [1, 2, 3, 4],
            "pdf_watermark/diagonal": [1, 2],
            # 表三's pages turned by /Rotate, or its text set sideways on an upright page
            "pdf_landscape_table3_page/rotated": [2, 3, 4], "pdf_landscape_table3_page/sideways": [3, 4],
            # a TrueType font whose glyph advances differ from its /W widths by a rounding (ReportLab's
            # WenQuanYi and UMing subsets): pdfium's positions drift from pdfminer's along a line
            "pdf_landscape/ruled": [1, 2, 3], "pdf_landscape/borderless": [1, 2, 3],
            # Chromium's fonts: every page left to pdfminer (a glyph drawn past its advance, no /W width)
            "browser_pdf/chromium": [1, 2, 3, 4, 5, 6, 7]}
"""Pages pdfminer must read (the rest pdfium); the image-only page has no chars, and pdfium reads it."""
SPACES_DIFFER = {"running_header/ruled", "running_header/borderless", "libreoffice_html_pdf/plain"}
"""A run of space glyphs in a running header (``2026年   第 1 页``), or a space LibreOffice sets in a
web page's text: pdfminer gives a char for each, pdfium none. Every other char, and every cell, issue and title, is the same (known difference)."""
DEDUPED = {"glyphs printed twice"}
"""pdfium drops a glyph printed on itself: its chars are pdfminer's deduplicated."""


def _rendered() -> dict[str, bytes]:
    """One rendering of each variant of the layout families that print a PDF."""
    out = {}
    for n, (family, spec) in enumerate(FAMILIES.items()):
        if any(missing(program) for program in spec.needs):
            continue
        for variant, render in spec.variants.items():
            if "pdftotext" in variant or family.startswith(("pdftotext", "portal", "word")):
                continue
            report = report_for("2021" if n % 2 else "2019", 1)
            try:
                data, extension = render.render(report, 1)
            except RenderSkipped:
                continue
            if extension == "pdf":
                out[f"{family}/{variant}"] = data
    return out


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    out = {path.name: path.read_bytes() for path in REAL}
    out.update(_rendered())
    report = report_for("2021", 0)
    out.update({name: make(report) for name, make in SPECIAL.items()})
    return out


def _read(data: bytes, fast: bool, monkeypatch):
    monkeypatch.setenv("GONGKAI_PDF_FAST", "1" if fast else "0")
    monkeypatch.setenv("GONGKAI_OCR", "0")
    return extract_report(data, "report.pdf")


def test_the_corpus_is_all_there(pdfs):
    assert len(REAL) >= 4 and len(pdfs) >= len(REAL) + len(SPECIAL) + 10, sorted(pdfs)


def test_same_cells_issues_and_metadata_both_ways(pdfs, monkeypatch):
    for name, data in pdfs.items():
        slow, fast = _read(data, False, monkeypatch), _read(data, True, monkeypatch)
        assert [asdict(c) for c in fast.cells] == [asdict(c) for c in slow.cells], name
        assert [asdict(i) for i in fast.issues] == [asdict(i) for i in slow.issues], name
        assert (fast.metadata, fast.read_method) == (slow.metadata, slow.read_method), name
        pages = len(pdfplumber.open(io.BytesIO(data)).pages)
        pdfminer = len(FALLBACK.get(name, []))
        assert read_pdf(data).reader == f"pdfium {pages - pdfminer} of {pages} pages, pdfminer {pdfminer}", name


def _matched(ours: list[dict], theirs: list[dict], keys: tuple[str, ...]) -> bool:
    """Each edge of ``ours`` is one of ``theirs`` (same orientation, coordinates within 1e-3)."""
    left = list(theirs)
    for edge in ours:
        match = next((e for e in left if e["orientation"] == edge["orientation"]
                      and all(abs(e[k] - edge[k]) < 1e-3 for k in keys)), None)
        if match is None:
            return False
        left.remove(match)
    return not left


def test_pdfium_chars_and_ruling_are_pdfminers(pdfs):
    keys = ("x0", "x1", "top", "bottom", "doctop", "size")
    for name, data in pdfs.items():
        fast = open_pdfium(data)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                ours = fast_page(fast, page)
                if page.page_number in FALLBACK.get(name, []):
                    assert ours is None, (name, page.page_number)
                    continue
                theirs = page.chars if name not in DEDUPED else page.dedupe_chars(tolerance=1).chars
                if name in SPACES_DIFFER:
                    ours.chars[:] = [c for c in ours.chars if c["text"] != " "]
                    theirs = [c for c in theirs if c["text"] != " "]
                assert [c["text"] for c in ours.chars] == [c["text"] for c in theirs], (name, page.page_number)
                assert all(c["upright"] == p["upright"] and all(abs(c[k] - p[k]) < 1e-3 for k in keys)
                           for c, p in zip(ours.chars, theirs, strict=True)), (name, page.page_number)
                assert _matched(ours.edges, page.edges, ("x0", "x1", "top", "bottom")), (name, page.page_number)
                assert len(ours.images) == len(page.images), (name, page.page_number)
        fast.close()


def test_the_fast_path_is_the_default_and_can_be_turned_off(monkeypatch):
    data = (REPORTS / "szfgs2024.pdf").read_bytes()
    monkeypatch.delenv("GONGKAI_PDF_FAST", raising=False)
    assert read_pdf(data).reader == "pdfium 6 of 6 pages, pdfminer 0"
    monkeypatch.setenv("GONGKAI_PDF_FAST", "0")
    assert read_pdf(data).reader == "pdfium 0 of 6 pages, pdfminer 6"


def test_broken_and_locked_pdfs_are_the_same_errors(monkeypatch):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    page.drawString(100, 700, "2023 annual report")
    page.save()
    cases = {"encrypted_pdf": buffer.getvalue(), "corrupt_pdf": (REPORTS / "szfgs2024.pdf").read_bytes()[:3000]}
    for fast in ("1", "0"):
        monkeypatch.setenv("GONGKAI_PDF_FAST", fast)
        for code, data in cases.items():
            with pytest.raises(ReaderError) as error:
                read_pdf(data)
            assert error.value.code == code


def test_a_path_is_split_and_closed_as_pdfminer_does():
    from extract.readers.pdf_objects import subpaths

    square = [("m", 0, 0), ("l", 10, 0), ("l", 10, 10), ("l", 0, 10), ("l", 0, 0), ("h", 0, 0)]
    assert subpaths(square) == [("mlllh", [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)])]
    curve = [("m", 0, 0), ("c", 5, 5), ("h", 5, 5), ("m", 1, 1), ("l", 2, 1)]
    assert subpaths(curve) == [("mch", [(0, 0), (5, 5), (0, 0)]), ("ml", [(1, 1), (2, 1)])]


def test_the_cell_search_finds_pdfplumbers_cells(pdfs):
    """extract/layout/tables.py: the same cells as pdfplumber's, in the same order, on every page
    (with the border lines :mod:`extract.layout.ruling` adds, as the reader searches them)."""
    from pdfplumber.table import TableFinder, TableSettings
    from pdfplumber.table import intersections_to_cells as theirs

    from extract.layout.tables import intersections_to_cells
    from extract.readers.pdf import _settings

    found = 0
    for name, data in pdfs.items():
        fast = open_pdfium(data)
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for plumber_page in pdf.pages:
                page = fast_page(fast, plumber_page) or plumber_page
                finder = TableFinder(page, TableSettings.resolve(_settings(page)))
                assert intersections_to_cells(finder.intersections) == theirs(finder.intersections), name
                found += len(finder.cells)
    assert found > 2000


def test_tounicode_maps_read_as_pdfminer_reads_them(pdfs):
    """extract/readers/pdf_tounicode.py: the same code → text map as pdfminer's CMap parser, on
    every ToUnicode stream of the corpus; a stream it does not know is left to pdfminer."""
    from pdfminer.cmapdb import CMapParser, FileUnicodeMap
    from pdfminer.pdftypes import PDFStream, resolve1

    from extract.readers.pdf_fonts import page_fonts
    from extract.readers.pdf_tounicode import to_unicode

    read = 0
    for data in pdfs.values():
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            streams = {id(s): s for page in pdf.pages for fonts in page_fonts(page.page_obj).values()
                       for font in fonts if isinstance(s := resolve1(font.spec.get("ToUnicode")), PDFStream)}
            for stream in streams.values():
                theirs = FileUnicodeMap()
                CMapParser(theirs, io.BytesIO(stream.get_data())).run()
                assert to_unicode(stream.get_data()) == theirs.cid2unichr
                read += 1
    assert read >= 20
    assert to_unicode(b"begincmap 1 beginbfchar <01> (A) endbfchar endcmap") is None
    assert to_unicode(b"begincmap 1 beginbfrange <01> <03> <0041> endbfrange endcmap") == {1: "A", 2: "B", 3: "C"}
