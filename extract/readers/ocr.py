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
from dataclasses import dataclass, field

from extract.layout.columns import Pending, layout_lines
from extract.layout.grid import grid_lines, text_lines
from extract.parse.values import UNREADABLE
from extract.readers.document import Document, Line
from extract.readers.errors import ReaderError
from extract.readers.ocr_engine import OcrEngine, TextBox, default_engine, engine_missing
from extract.readers.ocr_image import (
    TARGET_LONG_SIDE,
    Rect,
    RuledTable,
    clean,
    crop,
    deskew,
    ink_blobs,
    ink_mask,
    line_mask,
    ruled_tables,
)
from extract.readers.ocr_values import Settled, is_dash_like, is_value_like, settle, settle_dash, unreadable

MAX_OCR_PAGES = 40
_EDGE_TOLERANCE = 12
_LINE_OVERLAP = 0.5
_MIN_INK_BLOB = 40
_CELL_INSET = 4
_SPLIT_GAP = 0.8  # a gap in a box's print this many box heights wide separates two words
_X_DENSITY, _Y_DENSITY, _Y_TOLERANCE = 7.25, 13.0, 3.0  # pdfplumber's layout defaults, in points
_A4_LONG_SIDE_PT = 841.89


@dataclass
class _Slot:
    """Text to be read: a cell of a ruled table, or one box of a page without rules."""

    rect: Rect
    boxes: list[TextBox] = field(default_factory=list)
    text: str = ""
    confidence: float | None = None


def ocr_missing() -> str | None:
    """Why OCR cannot run here, or ``None`` when it can. ``GONGKAI_OCR=0`` turns it off."""
    if os.environ.get("GONGKAI_OCR", "1").strip().lower() in ("0", "off", "false", "no"):
        return "OCR is turned off (GONGKAI_OCR=0)"
    return engine_missing()


def _lines_of(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into text lines (vertical overlap), top to bottom, each left to right."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        for line in lines:
            ref = line[-1]
            overlap = min(ref.y1, box.y1) - max(ref.y0, box.y0)
            if overlap >= _LINE_OVERLAP * min(ref.height, box.height):
                line.append(box)
                break
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _joined(boxes: list[TextBox]) -> str:
    return "\n".join(" ".join(b.text.strip() for b in line) for line in _lines_of(boxes))


def _inset(rect: Rect, by: int) -> Rect:
    """A cell without the edge pixels its rules may have left."""
    if rect.x1 - rect.x0 <= 2 * by + 4 or rect.y1 - rect.y0 <= 2 * by + 4:
        return rect
    return Rect(rect.x0 + by, rect.y0 + by, rect.x1 - by, rect.y1 - by)


def _settle_slots(slots: list[_Slot], page, engine: OcrEngine, cells: bool = False, raw=None) -> None:
    """Each slot's final text and confidence; value-like ones read again from their crop and checked.
    ``cells``: the slots are ruled cells (their crop is inset from the rules). ``raw``: the deskewed
    page before cleaning, where the second reading is taken (other pixels than the first's)."""
    raw = page if raw is None else raw
    pieces = {}
    for index, slot in enumerate(slots):
        read = [b for b in slot.boxes if b.text.strip()]
        slot.text = _joined(read)
        slot.confidence = min((b.confidence for b in slot.boxes), default=None)
        area = _inset(slot.rect, _CELL_INSET) if cells else slot.rect
        if not read and slot.boxes:  # ink the detector or recognizer could not read
            pieces[index] = crop(raw, _around(slot.boxes, area))
        elif is_value_like(slot.text):
            pieces[index] = crop(raw, _around(read, area))
        elif cells and not read and _has_ink(crop(page, area)):
            pieces[index] = crop(raw, area)
    ready = {i: p for i, p in pieces.items() if p.size and min(p.shape) >= 4}
    order = list(ready)
    second = dict(zip(order, engine.recognize([ready[i] for i in order], digits_only=True), strict=True))
    for index, slot in enumerate(slots):
        if is_dash_like(slot.text) and slot.confidence is not None:
            result = settle_dash(slot.text, slot.confidence)
        elif index not in pieces:
            continue
        elif not slot.text:  # ink the engine found no text in: not a blank
            reading = second.get(index)
            result = Settled(unreadable("?", reading.text if reading else ""), reading.confidence if reading else None)
        else:
            reading = second.get(index)
            result = settle(slot.text, slot.confidence or 0.0, reading.text if reading else None,
                            reading.confidence if reading else None, ready[index] if index in ready else None)
        slot.text, slot.confidence = result.text, result.confidence


def _around(boxes: list[TextBox], area: Rect) -> Rect:
    """The boxes' extent within ``area``."""
    margin = 0
    return Rect(max(area.x0, round(min(b.x0 for b in boxes)) - margin),
                max(area.y0, round(min(b.y0 for b in boxes)) - margin),
                min(area.x1, round(max(b.x1 for b in boxes)) + margin),
                min(area.y1, round(max(b.y1 for b in boxes)) + margin))


def _binarised(piece):
    """The crop in black and white (Otsu): the second reading sees other pixels than the first."""
    import cv2

    return cv2.threshold(piece, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def _has_ink(piece) -> bool:
    return any(b.width * b.height >= _MIN_INK_BLOB and b.height >= 6 for b in ink_blobs(piece))


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


def _table_lines(table: RuledTable, slots: list[_Slot], page_no: int) -> list[tuple[int, list[Line]]]:
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
    per_table = [[_Slot(cell) for cell in table.cells] for table in tables]
    outside: list[TextBox] = []
    for box in boxes:
        home = next((slot for slots in per_table for slot in slots if slot.rect.contains(box.cx, box.cy)), None)
        if home is not None:
            home.boxes.append(box)
        elif box.text.strip() and not any(t.bbox.contains(box.cx, box.cy) for t in tables):
            outside.append(box)
    _settle_slots([slot for slots in per_table for slot in slots], page, engine, cells=True, raw=raw)
    items: list[tuple[float, list[Line]]] = []
    for table, slots in zip(tables, per_table, strict=True):
        items += _table_lines(table, slots, page_no)
    for line in _lines_of(outside):
        items.append((min(b.y0 for b in line), text_lines(["".join(b.text for b in line)], page_no, "ocr", 1)))
    items.sort(key=lambda item: item[0])
    return [line for _, lines in items for line in lines]


def _ink_start(page, box: TextBox) -> float:
    """Where the box's print starts (the detector's box reaches a little past it)."""
    import numpy as np

    columns = np.flatnonzero(ink_mask(crop(page, Rect(int(box.x0), int(box.y0), int(box.x1) + 1, int(box.y1) + 1)))
                             .any(axis=0))
    return box.x0 + float(columns[0]) if len(columns) else box.x0


def _layout_rows(boxes: list[TextBox], tolerance: float) -> list[list[TextBox]]:
    """Boxes grouped into text lines as pdfplumber groups characters by their tops: here by their middles
    within ``tolerance`` (a box's top depends on the detector's margin, its middle does not)."""
    rows: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        if rows and box.cy - rows[-1][0].cy <= tolerance:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def _split_at_gaps(page, boxes: list[TextBox], engine: OcrEngine) -> list[TextBox]:
    """Boxes whose print has a gap as wide as a character (two cells the detector took for one line,
    ``信息内容  本年制发件数``) cut there, each part read again: pdfplumber would see two words."""
    import numpy as np

    out: list[TextBox] = []
    parts: list[tuple[int, int, int, int]] = []
    for box in boxes:
        x0, y0, x1, y1 = int(box.x0), int(box.y0), int(box.x1) + 1, int(box.y1) + 1
        inked = ink_mask(crop(page, Rect(x0, y0, x1, y1))).any(axis=0) if len(box.text.strip()) >= 2 else None
        cuts: list[tuple[int, int]] = []
        if inked is not None and inked.any():
            columns = np.flatnonzero(inked)
            gap = _SPLIT_GAP * box.height
            start = columns[0]
            for a, b in zip(columns, columns[1:], strict=False):
                if b - a > gap:
                    cuts.append((start, a + 1))
                    start = b
            cuts.append((start, columns[-1] + 1))
        if len(cuts) < 2:
            out.append(box)
            continue
        pad = max(2, int(0.15 * box.height))
        parts += [(max(x0, x0 + a - pad), y0, min(x1, x0 + b + pad), y1) for a, b in cuts]
    readings = engine.recognize([page[y0:y1, x0:x1] for x0, y0, x1, y1 in parts])
    out += [TextBox(x0, y0, x1, y1, r.text, r.confidence) for (x0, y0, x1, y1), r in zip(parts, readings, strict=True)]
    return out


def _layout_page(page, boxes: list[TextBox], page_no: int, engine: OcrEngine, carry: Pending,
                 px_per_pt: float, raw=None) -> list[Line]:
    """A page without ruled tables: boxes laid out as text at their positions, as pdfplumber lays out a
    PDF's words (``extract_text(layout=True)``: a column every 7.25 pt, a line every 13 pt, a word's
    characters together), and read as layout text."""
    boxes = _split_at_gaps(page, boxes, engine)
    slots = [_Slot(Rect(int(b.x0), int(b.y0), int(b.x1) + 1, int(b.y1) + 1), [b]) for b in boxes]
    _settle_slots(slots, page, engine, raw=raw)
    if not slots:
        return []
    unit, leading = _X_DENSITY * px_per_pt, _Y_DENSITY * px_per_pt
    starts = {id(b): _ink_start(page, b) for b in boxes}
    texts: list[str] = []
    spans: list[list[tuple[int, int, float | None]]] = []
    by_box = {id(s.boxes[0]): s for s in slots}
    for line in _layout_rows(boxes, _Y_TOLERANCE * px_per_pt):
        row = max(round(line[0].cy / leading), len(texts))
        while len(texts) <= row:
            texts.append("")
            spans.append([])
        text = ""
        for box in line:
            slot = by_box[id(box)]
            shown = slot.text.replace(" ", "").replace("\n", "")
            if shown.startswith(UNREADABLE):  # as wide as what was read, so the columns stay aligned
                shown = shown.split("|")[0] if len(shown.split("|")[0]) > 1 else UNREADABLE + "?"
            if not shown:
                continue
            at = round(starts[id(box)] / unit) - (1 if shown.startswith(UNREADABLE) else 0)
            at = max(at, len(text) + (1 if text else 0))
            text = text.ljust(at) + shown
            spans[row].append((at, at + len(shown), slot.confidence))
        texts[row] = text
    lines = layout_lines(texts, page_no, "ocr", 1, carry)
    return [_with_confidences(line, texts[line.line_no - 1], spans[line.line_no - 1]) for line in lines]


def _with_confidences(line: Line, text: str, spans: list[tuple[int, int, float | None]]) -> Line:
    """``line`` with the confidence of each cell: the lowest of the boxes its text came from."""
    if line.cells is None:
        return line
    confidences: list[float | None] = [None] * line.lead
    cursor = 0
    for cell in line.cells[line.lead :]:
        at = text.find(cell, cursor) if cell else -1
        if at < 0:
            confidences.append(None)
            continue
        cursor = at + len(cell)
        found = [c for start, end, c in spans if start < cursor and end > at and c is not None]
        confidences.append(min(found) if found else None)
    return Line(line.text, line.line_no, line.page, line.cells, line.method, line.lead, tuple(confidences))


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


def read_page(gray, page_no: int, engine: OcrEngine | None = None, carry: Pending | None = None,
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
            carry.clear()
        return _ruled_page(reading, boxes, tables, page_no, engine, raw)
    return _layout_page(reading, boxes, page_no, engine, carry if carry is not None else [], px_per_pt, raw)


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
    carry: Pending = []
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
