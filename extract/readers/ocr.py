"""Scanned PDFs (no text layer): OCR text boxes read by the same positional table engine as a PDF.

Each page is rendered at the resolution the engine wants (:data:`~extract.readers.ocr_image.TARGET_LONG_SIDE`),
deskewed and cleaned, and its long ruling lines found with OpenCV morphology and painted out.
The engine (:mod:`extract.readers.ocr_engine`) reads the page once into text boxes with
coordinates and confidence, which are then treated like a PDF's character layer:

* where the rules enclose cells (a ruled table), each box goes to the cell holding its centre and
  the table is a grid, as :func:`~extract.layout.grid.grid_lines` reads a PDF's ruled tables; text
  outside the tables is running text, in reading order with the rows;
* a page with no ruled table is laid out as text, each box at the column and line of its position
  (what pdfplumber's layout text is for a PDF), and read by :func:`~extract.layout.columns.layout_lines`,
  as a born-digital borderless page is.

Every value-like reading is read a second time from its own crop and checked
(:mod:`extract.readers.ocr_values`): an uncertain one is marked unreadable, never stored as a
number. Every cell keeps the engine's confidence (``Line.confidences``). Lines carry method ``ocr``.
Needs the ``ocr`` extra (RapidOCR, onnxruntime, OpenCV); without it a scanned file is
``needs_ocr``, never loaded empty.
"""

from __future__ import annotations

import os

from extract.layout.columns import PageCarry
from extract.layout.grid import grid_lines, text_lines
from extract.readers.document import Document, Line
from extract.readers.errors import ReaderError
from extract.readers.ocr_cells import Slot, lines_of, settle_slots
from extract.readers.ocr_engine import OcrEngine, TextBox, default_engine, engine_missing
from extract.readers.ocr_image import (
    TARGET_LONG_SIDE,
    RuledTable,
    clean,
    deskew,
    ink_mask,
    line_mask,
    ruled_tables,
)
from extract.readers.ocr_layout import layout_page

MAX_OCR_PAGES = 40
_EDGE_TOLERANCE = 12
_A4_LONG_SIDE_PT = 841.89


def ocr_missing() -> str | None:
    """Why OCR cannot run here, or ``None`` when it can. ``GONGKAI_OCR=0`` turns it off."""
    if os.environ.get("GONGKAI_OCR", "1").strip().lower() in ("0", "off", "false", "no"):
        return "OCR is turned off (GONGKAI_OCR=0)"
    return engine_missing()


def _cluster(values: list[int]) -> list[int]:
    """Edge positions merged when closer than the tolerance (their mean)."""
    groups: list[list[int]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= _EDGE_TOLERANCE:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) // len(g) for g in groups]


def _nearest(edges: list[int], value: int) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _table_lines(table: RuledTable, slots: list[Slot], page_no: int) -> list[tuple[int, list[Line]]]:
    """(top, lines) of each grid row of a ruled table: text at each cell's top-left, ``None`` under spans."""
    rows = _cluster([c.y0 for c in table.cells] + [c.y1 for c in table.cells])
    cols = _cluster([c.x0 for c in table.cells] + [c.x1 for c in table.cells])
    texts: list[list[str | None]] = [[None] * (len(cols) - 1) for _ in range(len(rows) - 1)]
    confidence: list[list[float | None]] = [[None] * (len(cols) - 1) for _ in range(len(rows) - 1)]
    for slot in slots:
        r, c = _nearest(rows, slot.rect.y0), _nearest(cols, slot.rect.x0)
        if r < len(texts) and c < len(texts[r]):
            texts[r][c], confidence[r][c] = slot.text, slot.confidence
    return [(top, grid_lines([row], page_no, "ocr", 1, [conf]))
            for row, conf, top in zip(texts, confidence, rows[:-1], strict=True)]


def _ruled_page(page, boxes: list[TextBox], tables: list[RuledTable], page_no: int,
                engine: OcrEngine, raw=None) -> list[Line]:
    """A page with ruled tables: the grid rows, and the text around them as running text, in order."""
    per_table = [[Slot(cell) for cell in table.cells] for table in tables]
    outside: list[TextBox] = []
    for box in boxes:
        home = next((slot for slots in per_table for slot in slots if slot.rect.contains(box.cx, box.cy)), None)
        if home is not None:
            home.boxes.append(box)
        elif box.text.strip() and not any(t.bbox.contains(box.cx, box.cy) for t in tables):
            outside.append(box)
    settle_slots([slot for slots in per_table for slot in slots], page, engine, cells=True, raw=raw)
    items: list[tuple[float, list[Line]]] = []
    for table, slots in zip(tables, per_table, strict=True):
        items += _table_lines(table, slots, page_no)
    for line in lines_of(outside):
        items.append((min(b.y0 for b in line), text_lines(["".join(b.text for b in line)], page_no, "ocr", 1)))
    items.sort(key=lambda item: item[0])
    return [line for _, lines in items for line in lines]


def uncovered_ink(page, boxes: list[TextBox]) -> list[TextBox]:
    """Character-sized ink no text box covers (a ``0`` the detector missed), as boxes with no text:
    a value that was printed and not read is unreadable, never a blank."""
    import cv2

    heights = sorted(b.height for b in boxes if b.text.strip())
    if not heights:
        return []
    char = heights[len(heights) // 2] * 0.6  # a box is a little taller than its characters
    ink = ink_mask(page)
    for box in boxes:
        ink[max(int(box.y0) - 3, 0) : int(box.y1) + 3, max(int(box.x0) - 3, 0) : int(box.x1) + 3] = 0
    ink = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(char * 0.4)), 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    found = []
    for x, y, w, h, area in stats[1:count]:
        if h >= 0.5 * char and h <= 2.5 * char and w >= 0.2 * char and area >= 0.06 * char * char:
            found.append(TextBox(float(x), float(y), float(x + w), float(y + h), "", 0.0))
    return found if len(found) <= 200 else []  # a page of specks (a photo, a seal): not characters


def prepare_page(gray, px_per_pt: float):
    """A rendered page as the engine gets it: (deskewed, cleaned, its rules, deskewed before cleaning)."""
    raw = deskew(gray)
    page = clean(raw)
    return page, line_mask(page, px_per_pt), raw


def read_page(gray, page_no: int, engine: OcrEngine | None = None, carry: PageCarry | None = None,
              px_per_pt: float | None = None) -> list[Line]:
    """The lines of one page image (grey, at the resolution of :func:`render_page`; ``px_per_pt``
    its pixels per PDF point, by default those of an A4 page)."""
    engine = engine or default_engine()
    px_per_pt = px_per_pt or max(gray.shape) / _A4_LONG_SIDE_PT
    page, mask, raw = prepare_page(gray, px_per_pt)
    tables = ruled_tables(mask)
    reading = page.copy()
    for table in tables:  # rules painted out inside the tables only: text elsewhere keeps every stroke
        box = table.bbox
        inside = mask[box.y0 : box.y1, box.x0 : box.x1] > 0
        reading[box.y0 : box.y1, box.x0 : box.x1][inside] = 255
    boxes = engine.read(reading)
    boxes += uncovered_ink(reading, boxes)
    if tables:
        if carry is not None:
            carry.labels, carry.rows = [], []
        return _ruled_page(reading, boxes, tables, page_no, engine, raw)
    return layout_page(reading, boxes, page_no, engine, carry if carry is not None else PageCarry(), px_per_pt, raw)


def render_page(pdf, index: int):
    """Page ``index`` (0-based) of an open pypdfium2 document as a grey array, long side
    :data:`TARGET_LONG_SIDE` pixels."""
    import numpy as np

    page = pdf[index]
    width, height = page.get_size()
    image = page.render(scale=TARGET_LONG_SIDE / max(width, height), grayscale=True).to_pil().convert("L")
    page.close()
    return np.asarray(image)


def ocr_pages(data: bytes, page_numbers: list[int], engine: OcrEngine | None = None) -> dict[int, list[Line]]:
    """OCR the given (1-based) pages of a PDF: their lines, method ``ocr``."""
    import pypdfium2 as pdfium

    if len(page_numbers) > MAX_OCR_PAGES:
        raise ReaderError("too_large", f"{len(page_numbers)} scanned pages; OCR reads at most {MAX_OCR_PAGES}")
    pdf = pdfium.PdfDocument(data)
    pages: dict[int, list[Line]] = {}
    carry = PageCarry()
    try:
        for page_no in page_numbers:
            gray = render_page(pdf, page_no - 1)
            long_side_pt = max(pdf[page_no - 1].get_size())
            pages[page_no] = read_page(gray, page_no, engine, carry, max(gray.shape) / long_side_pt)
    finally:
        pdf.close()
    return pages


def read_scanned_pdf(data: bytes) -> Document:
    """OCR a PDF that has no text layer."""
    missing = ocr_missing()
    if missing:
        raise ReaderError("needs_ocr", "scanned PDF, or a PDF whose text has no Unicode mapping: no usable text "
                          f"layer, and OCR is not available here: {missing}")
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    count = len(pdf)
    pdf.close()
    pages = ocr_pages(data, list(range(1, count + 1)))
    lines = [line for page_no in sorted(pages) for line in pages[page_no]]
    lines = [line.renumbered(number) for number, line in enumerate(lines, 1)]
    if not any(line.text.strip() for line in lines):
        raise ReaderError("ocr_failed", "scanned PDF: OCR found no text")
    return Document(source_format="pdf", lines=lines, read_method="ocr")
