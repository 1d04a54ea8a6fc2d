"""A scanned page without ruled tables: its OCR boxes laid out as text, as pdfplumber lays out a PDF's
words, and read by :func:`~extract.layout.columns.layout_lines` like a born-digital borderless page."""

from __future__ import annotations

from extract.layout.columns import PageCarry, layout_lines
from extract.parse.values import POINT_UNSURE, UNREADABLE
from extract.readers.document import Line
from extract.readers.ocr_cells import Slot, settle_slots
from extract.readers.ocr_engine import OcrEngine, TextBox
from extract.readers.ocr_image import Rect, crop, ink_mask

_SPLIT_GAP = 0.8  # a gap in a box's print this many box heights wide separates two words
_X_DENSITY, _Y_DENSITY, _Y_TOLERANCE = 7.25, 13.0, 3.0  # pdfplumber's layout defaults, in points


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


def layout_page(page, boxes: list[TextBox], page_no: int, engine: OcrEngine, carry: PageCarry,
                 px_per_pt: float, raw=None) -> list[Line]:
    """A page without ruled tables: boxes laid out as text at their positions, as pdfplumber lays out a
    PDF's words (``extract_text(layout=True)``: a column every 7.25 pt, a line every 13 pt, a word's
    characters together), and read as layout text."""
    boxes = _split_at_gaps(page, boxes, engine)
    slots = [Slot(Rect(int(b.x0), int(b.y0), int(b.x1) + 1, int(b.y1) + 1), [b]) for b in boxes]
    settle_slots(slots, page, engine, raw=raw)
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
            at = round(starts[id(box)] / unit) - (1 if shown.startswith((UNREADABLE, POINT_UNSURE)) else 0)
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
    return Line(line.text, line.line_no, line.page, line.cells, line.method, line.lead, line.inferred,
                tuple(confidences))
