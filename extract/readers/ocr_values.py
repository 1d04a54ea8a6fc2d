"""Whether an OCR reading of a value may be stored as a number: never a wrong number.

A reading that looks like a value (it has a digit and at most one Chinese character, e.g. ``减3``)
is kept as read only when all of these hold; otherwise it is marked unreadable (it starts with
:data:`~extract.parse.values.UNREADABLE`, so the parser stores it as ``text`` with an
``ocr_unreadable`` issue, never as a number):

* it parses as a number (no letters, stray punctuation, ``1O``);
* a second recognition of the value's own crop, from the page before cleaning and decoded with only
  the characters of a value allowed, gives the same digits, sign and point, with a confidence of at
  least :data:`MIN_CONFIDENCE`; the first (free) reading's confidence is at least
  :data:`MIN_FREE_CONFIDENCE` (lower: a lone ``0`` is also an ``o`` to a free reading);
* the ink supports its sign and decimal point: a ``.`` needs a dot-sized blob at the baseline
  between digits, a ``-`` a short flat stroke at mid height before them, and a dot or a stroke
  the reading does not have (a dropped minus sign or decimal point) is a disagreement too.

A point the blur joined to the digit beside it leaves no blob of its own; where the ink between two
digits suggests one (:func:`_joined_point`, which a ``2``'s foot can mimic), the reading is kept with
:data:`~extract.parse.values.POINT_UNSURE` before it: the parser reads it in a count column, where no
point is printed, and marks it unreadable in an amount column (万元), where points are.

A cell with ink that the engine found no text in is unreadable as well (a missed ``0`` is not a
blank). A lone ``一`` or ``_`` where a value stands is a dash (``—``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.layout.columns import PAGE_NUMBER
from extract.parse.values import POINT_UNSURE, UNREADABLE, clean, parse_value
from extract.readers.ocr_image import Ink

MIN_CONFIDENCE = 0.80
"""Lowest confidence (0–1) of the value-only reading at which a value is stored as read."""
MIN_FREE_CONFIDENCE = 0.50
"""Lowest confidence of the first, free reading (any character) of a value stored as read."""
_CJK = re.compile(r"[\u3400-\u9fff]")
_DASH_READINGS = frozenset({"一", "一一", "_", "__", "－", "—", "——", "-", "--", "/", "无"})
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Settled:
    """A value's final text (as read, or marked unreadable) and the confidence stored with it."""

    text: str
    confidence: float | None


def is_value_like(text: str) -> bool:
    """A reading that stands where a value does: a digit and at most one Chinese character, short;
    not a page number (``- 3 -``), which the layout stage drops."""
    if PAGE_NUMBER.match(text):
        return False
    text = clean(text)
    return bool(_DIGITS.search(text)) and len(_CJK.findall(text)) <= 1 and len(text) <= 24


def is_dash_like(text: str) -> bool:
    return clean(text) in _DASH_READINGS


def unreadable(*readings: str) -> str:
    """The marked text of a value that could not be read: the marker, then the readings."""
    shown = "|".join(clean(r) for r in readings if clean(r))
    return f"{UNREADABLE}{shown}"


def _sign(text: str) -> str:
    return "-" if text[:1] in ("-", "−", "减") else ""


def _ink(piece):
    """A value's crop seen at twice its size, Otsu-thresholded (the crop holds print), 255 where ink."""
    import cv2

    big = cv2.resize(piece, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    return cv2.threshold(big, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]


def _components(ink) -> list[Ink]:
    import cv2

    if ink.size == 0:
        return []
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return sorted((Ink(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, area in stats[1:count] if area >= 6),
                  key=lambda b: b.x0)


@dataclass(frozen=True)
class _Crop:
    """A value's crop as the ink checks measure it: its ink (see :func:`_ink`), the blobs of that
    ink, the tallest blob's height, and the digits (blobs over half that height) with their top."""

    ink: object
    blobs: list[Ink]
    height: int
    digits: list[Ink]
    top: int


def _measured(piece) -> _Crop | None:
    """``piece`` measured once for both checks; ``None`` when it holds no ink."""
    if piece is None or piece.size == 0:
        return None
    ink = _ink(piece)
    blobs = _components(ink)
    if not blobs:
        return None
    height = max(b.height for b in blobs)
    digits = [b for b in blobs if b.height >= 0.55 * height]
    return _Crop(ink, blobs, height, digits, min(b.y0 for b in digits))


def _joined_point(crop: _Crop) -> bool:
    """A decimal point the blur joined to a digit: between two wide digits (a narrow ``1`` and its
    foot serif are not one), a column with ink at the digits' foot and none above it (two bowls that
    touch have ink above their foot)."""
    ink, height, top = crop.ink, crop.height, crop.top
    upper = _components(ink[top : top + int(0.55 * height)])
    above_foot = ink[top : top + int(0.8 * height)].any(axis=0)
    foot = ink[top + int(0.85 * height) : top + height].any(axis=0)
    for a, b in zip(upper, upper[1:], strict=False):
        if min(a.width, b.width) >= 0.5 * height and b.x0 - a.x1 >= 2 and \
                (foot[a.x1 : b.x0] & ~above_foot[a.x1 : b.x0]).any():
            return True
    return False


def _geometry_disagrees(text: str, crop: _Crop) -> bool:
    """The ink does not support the reading's decimal point or minus sign, or shows one it lacks.

    A decimal point is a small blob in the lower third of the digits, clear of every digit blob on
    both sides; a minus sign a flat stroke at mid height, clear of and before every digit blob."""
    blobs, height, digits, top = crop.blobs, crop.height, crop.digits, crop.top
    first, last = digits[0].x0, digits[-1].x1

    def clear(b: Ink) -> bool:
        return all(b.x1 <= d.x0 or b.x0 >= d.x1 for d in digits)

    dots = [b for b in blobs if b.height <= 0.35 * height and b.width <= 0.45 * height and clear(b)
            and b.y1 >= top + 0.7 * height and first < b.x0 and b.x1 < last]
    strokes = [b for b in blobs if b.x1 <= first and b.height <= 0.3 * height and b.width >= 0.25 * height
               and top + 0.25 * height <= (b.y0 + b.y1) / 2 <= top + 0.75 * height]
    if ("." in text) != bool(dots) or text.count(".") > 1 or len(dots) > 1:
        return True
    wide = [(a, b) for a, b in zip(digits, digits[1:], strict=False)
            if min(a.width, b.width) >= 0.5 * height]  # a narrow 1 has wide side bearings
    if "." not in text and any(b.x0 - a.x1 > 0.3 * height for a, b in wide):  # room for a point not read
        return True
    if text.startswith(("-", "−")) != bool(strokes):
        return True
    return False


def settle(first: str, confidence: float, second: str | None, second_confidence: float | None,
           piece) -> Settled:
    """The text to store for a value-like reading ``first`` (see the module's rules); ``second`` is the
    second recognition of its crop ``piece`` (the cleaned page inside the value's cell or box)."""
    text = clean(first)
    parsed = parse_value(text)
    if parsed.state != "number":
        return Settled(unreadable(first, second or ""), confidence)
    stored = min(confidence, second_confidence if second_confidence is not None else confidence)
    if confidence < MIN_FREE_CONFIDENCE or second is None or (second_confidence or 0) < MIN_CONFIDENCE:
        return Settled(unreadable(first, second or ""), stored)
    other = clean(second)
    if _DIGITS.findall(other) != _DIGITS.findall(text) or _sign(other) != _sign(text) or \
            ("." in other) != ("." in text):
        return Settled(unreadable(first, second), stored)
    if text.startswith(("减", "增")):
        return Settled(text, stored)
    crop = _measured(piece)
    if crop is None or _geometry_disagrees(text, crop):
        return Settled(unreadable(first, second), stored)
    if "." not in text and _joined_point(crop):
        return Settled(POINT_UNSURE + text, stored)
    return Settled(text, stored)


def settle_dash(first: str, confidence: float) -> Settled:
    """A dash-like reading: stored as ``—`` (a dash, no value) when confident, else unreadable."""
    if confidence < MIN_CONFIDENCE:
        return Settled(unreadable(first), confidence)
    text = clean(first)
    return Settled("—" if text in ("一", "一一", "_", "__", "——") else text, confidence)
