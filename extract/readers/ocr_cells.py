"""OCR text to store per cell or box: boxes joined into a cell's text, values read again and settled.

A slot is what one cell of a ruled table, or one box of a page without rules, holds. Its text is its
boxes' text in reading order; a value-like one is read a second time and settled by
:mod:`extract.readers.ocr_values`; ink no text was read from is unreadable, never blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.readers.ocr_engine import OcrEngine, TextBox
from extract.readers.ocr_image import Rect, crop, ink_blobs
from extract.readers.ocr_values import Settled, is_dash_like, is_value_like, settle, settle_dash, unreadable

_LINE_OVERLAP = 0.5
_MIN_INK_BLOB = 12
_CELL_INSET = 4


@dataclass
class Slot:
    """Text to be read: a cell of a ruled table, or one box of a page without rules."""

    rect: Rect
    boxes: list[TextBox] = field(default_factory=list)
    text: str = ""
    confidence: float | None = None


def lines_of(boxes: list[TextBox]) -> list[list[TextBox]]:
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
    return "\n".join(" ".join(b.text.strip() for b in line) for line in lines_of(boxes))


def _inset(rect: Rect, by: int) -> Rect:
    """A cell without the edge pixels its rules may have left."""
    if rect.x1 - rect.x0 <= 2 * by + 4 or rect.y1 - rect.y0 <= 2 * by + 4:
        return rect
    return Rect(rect.x0 + by, rect.y0 + by, rect.x1 - by, rect.y1 - by)


def settle_slots(slots: list[Slot], page, engine: OcrEngine, cells: bool = False, raw=None) -> None:
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


def _has_ink(piece) -> bool:
    """Character-sized ink in a cell; a blurred stroke broken by the ink level still counts (a faint
    ``7`` in pieces is not a blank). The bridged blob is 2 px larger each way than its ink."""
    return any((b.width - 2) * (b.height - 2) >= _MIN_INK_BLOB and b.height - 2 >= 5
               for b in ink_blobs(piece, bridge=True))
