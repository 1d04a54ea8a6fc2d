"""PDF reports with a text layer (pdfplumber), with a positional fallback.

Per page: tables are found from ruling lines; a "table" of one column (the
page frame WPS and Word draw around the text) is running text. Text outside
the tables is kept in reading order with the table rows, so headings,
narrative and title stay where they are. A page with text but no ruled
table is read as layout text (columns rebuilt from word positions). A PDF
with no text layer at all is a scanned report and goes to OCR; so do the
image-only pages of a PDF that has text elsewhere (or, without OCR, each
becomes a ``page_needs_ocr`` warning).
"""

from __future__ import annotations

import io
import logging
import os
from bisect import bisect_right
from typing import NamedTuple

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.table import Table
from pdfplumber.utils import extract_text
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES

from extract.layout.columns import PageCarry, layout_lines
from extract.layout.grid import grid_lines, text_lines
from extract.layout.ruling import closing_lines
from extract.layout.tables import find_tables
from extract.parse.values import as_mark
from extract.readers.document import Document, Line
from extract.readers.errors import ReaderError
from extract.readers.pdf_fast import PdfiumPdf, fast_page, open_pdfium
from extract.readers.pdf_marks import deduplicated, unstamped

MAX_PDF_PAGES = 300
_ROW_TOLERANCE = 2.0

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _open(data: bytes) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ReaderError("encrypted_pdf", f"the PDF is encrypted and cannot be opened: {error}") from None
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise ReaderError("encrypted_pdf", "the PDF is password-protected and cannot be opened") from None
        raise ReaderError("corrupt_pdf", f"the PDF cannot be parsed: {type(cause).__name__}: {cause}") from None
    except PDFSyntaxError as error:
        raise ReaderError("corrupt_pdf", f"the PDF cannot be parsed: {error}") from None


def _inside(top: float, bottom: float, bbox: tuple[float, float, float, float]) -> bool:
    middle = (top + bottom) / 2
    return bbox[1] - _ROW_TOLERANCE <= middle <= bbox[3] + _ROW_TOLERANCE


def cell_text(chars: list[dict]) -> str:
    """pdfplumber's ``extract_text(chars)`` (default settings), computed directly for the usual cell.

    The usual cell holds upright chars on one line (tops within the y tolerance). pdfplumber
    then sorts them by x0, starts a word at a whitespace char or a gap over the x tolerance,
    expands ligatures and joins the words with spaces; that is done here without building
    its word and text maps. Any other cell (rotated or multi-line text, an empty glyph) is
    passed to pdfplumber itself.
    """
    tops = [char["top"] for char in chars]
    if (max(tops) - min(tops) > DEFAULT_Y_TOLERANCE
            or not all(char["upright"] and char["text"] for char in chars)):
        return extract_text(chars)
    words: list[str] = []
    word: list[str] = []
    previous_x1 = None
    for char in sorted(chars, key=lambda c: c["x0"]):
        text = char["text"]
        if text.isspace():
            if word:
                words.append("".join(word))
            word, previous_x1 = [], None
            continue
        if word and char["x0"] > previous_x1 + DEFAULT_X_TOLERANCE:
            words.append("".join(word))
            word = []
        word.append(LIGATURES.get(text, text))
        previous_x1 = char["x1"]
    if word:
        words.append("".join(word))
    return " ".join(words)


_RAISED_SIZE = 0.85
"""A char this much smaller than the largest of its cell, and raised above their baseline, is a superscript."""


def _marked(chars: list[dict]) -> list[dict]:
    """The cell's chars, superscripts (a footnote mark: ``74`` and a small raised ``1``) as marks
    (:func:`~extract.parse.values.as_mark`), so that they are never read as digits of the number."""
    sizes = [char["size"] for char in chars]
    if max(sizes) - min(sizes) < 0.5:
        return chars
    largest = max(sizes)
    baseline = max(char["bottom"] for char in chars if char["size"] == largest)
    return [{**char, "text": as_mark(char["text"])}
            if char["size"] < _RAISED_SIZE * largest and char["bottom"] < baseline - 0.2 * largest else char
            for char in chars]


def table_texts(table: Table, chars: list[dict]) -> list[list[str | None]]:
    """The text of each cell of a table: exactly ``table.extract()``, in one pass over the chars.

    pdfplumber tests every char against every row and then every cell (chars × cells);
    here the cell edges form a grid, each char's midpoint is placed in it by bisection,
    and the cell that covers that grid position takes the char. A char belongs to a cell
    when its midpoint is inside it, left/top edge included, as in pdfplumber; chars keep
    the page's order, and each cell's text is pdfplumber's ``extract_text`` of its chars.
    """
    rows = [row.cells for row in table.rows]
    boxes = [cell for row in rows for cell in row if cell is not None]
    xs = sorted({box[0] for box in boxes} | {box[2] for box in boxes})
    ys = sorted({box[1] for box in boxes} | {box[3] for box in boxes})
    x_index = {x: i for i, x in enumerate(xs)}
    y_index = {y: i for i, y in enumerate(ys)}
    owners: dict[tuple[int, int], list[int]] = {}
    for n, (x0, top, x1, bottom) in enumerate(boxes):
        for gy in range(y_index[top], y_index[bottom]):
            for gx in range(x_index[x0], x_index[x1]):
                owners.setdefault((gy, gx), []).append(n)
    found: list[list[dict]] = [[] for _ in boxes]
    for char in chars:
        gx = bisect_right(xs, (char["x0"] + char["x1"]) / 2) - 1
        gy = bisect_right(ys, (char["top"] + char["bottom"]) / 2) - 1
        for n in owners.get((gy, gx), ()):
            found[n].append(char)
    texts = iter(cell_text(_marked(cell_chars)) if cell_chars else "" for cell_chars in found)
    return [[None if cell is None else next(texts) for cell in row] for row in rows]


def _settings(page) -> dict:
    """pdfplumber's table settings for the page: its rules, and the border sides a table ruled only
    between its cells lacks (:mod:`extract.layout.ruling`)."""
    closing = closing_lines(page.edges)
    if not closing:
        return {}
    return {"explicit_vertical_lines": [e for e in closing if e["orientation"] == "v"],
            "explicit_horizontal_lines": [e for e in closing if e["orientation"] == "h"]}


def _page_items(page, page_no: int, carry: PageCarry) -> list[tuple[float, list[Line]]]:
    """(top, lines) items of one page: ruled table rows and the text around them.

    ``carry``: label pieces a page without ruling left unused at its foot, for the next page.
    """
    page = deduplicated(unstamped(page))
    tables = []
    for table in find_tables(page, _settings(page)):
        rows = table_texts(table, page.chars)
        if rows and max(len(r) for r in rows) >= 2:
            tables.append((table, rows))
    if not tables:
        return [(0.0, layout_lines(page.extract_text(layout=True).split("\n"), page_no, "positional", 1, carry))]
    carry.labels, carry.rows = [], []
    items: list[tuple[float, list[Line]]] = []
    for table, rows in tables:
        for row, cells in zip(table.rows, rows, strict=True):
            items.append((row.bbox[1], grid_lines([list(cells)], page_no, "grid", 1)))
    for text_line in page.extract_text_lines(strip=True, return_chars=False):
        if any(_inside(text_line["top"], text_line["bottom"], table.bbox) for table, _ in tables):
            continue
        items.append((text_line["top"], text_lines([text_line["text"]], page_no, "text", 1)))
    items.sort(key=lambda item: item[0])
    return items


class PdfPages(NamedTuple):
    """The lines of each page read, the pages that need OCR, the pages printed sideways, and the
    pages whose chars and ruling pdfium read (:mod:`extract.readers.pdf_fast`; pdfminer the rest)."""

    lines: dict[int, list[Line]]
    scanned: list[int]
    sideways: list[int]
    fast: list[int]


def fast_path_enabled() -> bool:
    """Whether PDFs are read through pdfium first (``GONGKAI_PDF_FAST=0`` reads them all with pdfminer)."""
    return os.environ.get("GONGKAI_PDF_FAST", "1") != "0"


def pdf_pages(pdf: pdfplumber.PDF, fast: PdfiumPdf | None = None) -> PdfPages:
    """Lines of each page with a usable text layer, and the pages without one.

    A page without one is an image (scanned), or has glyphs with no Unicode mapping
    (pdfminer shows them as ``(cid:123)``, e.g. in some encrypted PDFs): both need OCR.
    A page whose text is mostly set sideways (a table turned a quarter on a portrait page)
    is not read: its cells come out in reverse order. With ``fast``, each page's objects come
    from pdfium where :func:`~extract.readers.pdf_fast.fast_page` can reproduce them.
    """
    pages: dict[int, list[Line]] = {}
    scanned: list[int] = []
    sideways: list[int] = []
    read_fast: list[int] = []
    carry = PageCarry()
    for page_no, plumber_page in enumerate(pdf.pages, 1):
        page = fast_page(fast, plumber_page) if fast is not None else None
        if page is None:
            page = plumber_page
        else:
            read_fast.append(page_no)
        chars = page.chars
        unmapped = sum(1 for c in chars if c["text"].startswith("(cid:"))
        if chars and sum(1 for c in chars if not c["upright"]) * 2 > len(chars):
            sideways.append(page_no)
        elif chars and unmapped * 2 < len(chars):
            pages[page_no] = [line for _, page_lines in _page_items(page, page_no, carry) for line in page_lines]
        elif chars or page.images:
            scanned.append(page_no)
        page.close()
    return PdfPages(pages, scanned, sideways, read_fast)


def read_pdf(data: bytes) -> Document:
    """Read a PDF report; a scanned PDF (no text layer) is read by OCR."""
    if not data.strip():
        raise ReaderError("empty_file", "the file is empty")
    head = data[:1024]
    if b"%PDF-" not in head:
        kind = "a ZIP archive (perhaps a Word .docx)" if data.startswith(b"PK\x03\x04") else "not a PDF"
        raise ReaderError("not_a_pdf", f"the file is named .pdf but is {kind}: no %PDF header")
    with _open(data) as pdf:
        try:
            page_count = len(pdf.pages)
        except Exception as error:  # noqa: BLE001 - pdfminer raises many types on a broken page tree
            raise ReaderError("corrupt_pdf", f"the PDF's page tree cannot be read: {error}") from None
        if page_count == 0:
            raise ReaderError("corrupt_pdf", "the PDF has no pages")
        if page_count > MAX_PDF_PAGES:
            raise ReaderError("too_large", f"the PDF has {page_count} pages; reports have at most {MAX_PDF_PAGES}")
        fast = open_pdfium(data) if fast_path_enabled() else None
        try:
            pages, scanned, sideways, read_fast = pdf_pages(pdf, fast)
        except ReaderError:
            raise
        except Exception as error:  # noqa: BLE001 - a damaged content stream
            message = f"the PDF's content cannot be read: {type(error).__name__}: {error}"
            raise ReaderError("corrupt_pdf", message) from None
        finally:
            if fast is not None:
                fast.close()
    from extract.readers.ocr import ocr_missing, ocr_pages, read_scanned_pdf

    if not pages and not sideways:
        return read_scanned_pdf(data)
    warnings: list[tuple[str, str, int | None]] = [
        ("page_sideways", f"page {n} prints its text sideways (turned a quarter); it was not read", n)
        for n in sideways]
    if scanned:
        missing = ocr_missing()
        if missing is None:
            pages.update(ocr_pages(data, scanned))
        else:
            warnings += [("page_needs_ocr", f"page {n} has no usable text layer (a scanned image, or glyphs "
                          f"without a Unicode mapping) and was not read: {missing}", n) for n in scanned]
    lines = [line for page_no in sorted(pages) for line in pages[page_no]]
    lines = [line.renumbered(number) for number, line in enumerate(lines, 1)]
    reader = f"pdfium {len(read_fast)} of {page_count} pages, pdfminer {page_count - len(read_fast)}"
    return Document(source_format="pdf", lines=lines, warnings=warnings, reader=reader)
