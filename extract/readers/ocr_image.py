"""Scanned page images: deskew and clean, ruling lines and the cells they enclose, ink of a crop.

All functions take and return grey ``uint8`` NumPy arrays (OpenCV's layout); page coordinates
are pixels of the deskewed page.
"""

from __future__ import annotations

from dataclasses import dataclass

TARGET_LONG_SIDE = 2000
"""Pixels on a page's long side for recognition: RapidOCR's largest input side (``max_side_len``);
an A4 page is then about 172 dpi, body text about 25 px high, what PP-OCR is trained on."""
MAX_SKEW = 3.0
"""Degrees of skew searched for (a scanner or a phone photo of a printout: ±1.5° is usual)."""
_MIN_CELL = 10


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in page pixels."""

    x0: int
    y0: int
    x1: int
    y1: int

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1


@dataclass(frozen=True)
class RuledTable:
    """A ruled table: its outline and its cells (each an enclosed white region; merged cells are larger)."""

    bbox: Rect
    cells: list[Rect]


@dataclass(frozen=True)
class Ink:
    """One connected blob of ink in a crop (pixels of the crop)."""

    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


def _binary(gray, block: int = 31):
    import cv2

    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def skew_angle(gray) -> float:
    """The page's skew in degrees (counter-clockwise positive): the rotation that makes its rows of
    ink (text lines, rules) sharpest in the horizontal projection, searched coarse then fine."""
    import cv2
    import numpy as np

    scale = 1000 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = _binary(small, 15)
    height, width = ink.shape
    centre = (width / 2, height / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25), key=sharpness)
    return float(max(np.arange(best - 0.25, best + 0.26, 0.05), key=sharpness))


def deskew(gray):
    """The page rotated so its lines are horizontal (white fills the corners)."""
    import cv2

    angle = skew_angle(gray)
    if abs(angle) < 0.05:
        return gray
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)


def clean(gray):
    """Even the background (shading, yellowed paper, a photo's vignette) and stretch the contrast:
    the page divided by its own large-scale blur, then the darkest 0.5 % black, the paper white."""
    import cv2
    import numpy as np

    background = cv2.medianBlur(cv2.resize(gray, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA), 9)
    background = cv2.resize(background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255)
    low = float(np.percentile(flat, 0.5))
    high = float(np.percentile(flat, 60))
    if high - low < 10:
        return flat
    stretched = (flat.astype(np.float32) - low) * (255.0 / (high - low))
    return np.clip(stretched, 0, 255).astype(np.uint8)


MIN_RULE_PT = (28.0, 15.0)
"""Shortest horizontal and vertical rule, in points: longer than the strokes of table text (a 12 pt
character's strokes are at most 12 pt), as short as a one-row cell's side."""


def line_mask(gray, px_per_pt: float):
    """Binary image of the horizontal and vertical rules (see :data:`MIN_RULE_PT`)."""
    import cv2

    binary = _binary(gray, 15)
    across, down = (max(10, round(n * px_per_pt)) for n in MIN_RULE_PT)
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (across, 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, down)))
    mask = cv2.bitwise_or(horizontal, vertical)
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


def ruled_tables(mask) -> list[RuledTable]:
    """Each ruled table of a page (a connected block of rules at least a quarter of the page wide)
    and its cells, top to bottom."""
    import cv2

    closed = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    tables = []
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w < mask.shape[1] * 0.25 or h < 30:
            continue
        inside = 255 - closed[y : y + h, x : x + w]
        count, _, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
        cells = []
        for index in range(1, count):
            cx, cy, cw, ch, _ = stats[index]
            if cw < _MIN_CELL or ch < _MIN_CELL or cx == 0 or cy == 0 or cx + cw >= w or cy + ch >= h:
                continue
            cells.append(Rect(int(x + cx), int(y + cy), int(x + cx + cw), int(y + cy + ch)))
        if len(cells) >= 4:
            tables.append(RuledTable(Rect(x, y, x + w, y + h), cells))
    return sorted(tables, key=lambda t: t.bbox.y0)


def crop(gray, box: Rect, pad: int = 0):
    """The page inside ``box`` (clipped to the page), grown by ``pad`` pixels."""
    height, width = gray.shape
    return gray[max(box.y0 - pad, 0) : min(box.y1 + pad, height), max(box.x0 - pad, 0) : min(box.x1 + pad, width)]


INK_LEVEL = 160
"""Grey level under which a pixel of a cleaned page (paper 255, print near 0) is ink: a scan's noise
stays well above it, a blurred stroke below."""


def ink_mask(piece):
    """The ink of a cleaned crop, 255 where ink."""
    import cv2

    return cv2.threshold(piece, INK_LEVEL, 255, cv2.THRESH_BINARY_INV)[1]


def ink_blobs(piece, bridge: bool = False) -> list[Ink]:
    """The connected blobs of ink of a cleaned crop, left to right (specks under 3 px dropped).
    ``bridge``: ink a pixel apart is one blob (a blurred stroke that the ink level breaks in pieces)."""
    import cv2

    if piece.size == 0:
        return []
    ink = ink_mask(piece)
    if bridge:
        ink = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    blobs = [Ink(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, area in stats[1:count] if area >= 3]
    return sorted(blobs, key=lambda b: b.x0)


def trimmed(piece, margin: int = 4):
    """A crop cut to its ink and padded white (what a recognizer reads best); ``None`` when blank."""
    import cv2
    import numpy as np

    blobs = [b for b in ink_blobs(piece) if b.width * b.height >= 6]
    if not blobs:
        return None
    x0, y0 = min(b.x0 for b in blobs), min(b.y0 for b in blobs)
    x1, y1 = max(b.x1 for b in blobs), max(b.y1 for b in blobs)
    inner = piece[y0:y1, x0:x1]
    pad = max(margin, (y1 - y0) // 2)  # about the margin the detector leaves around a line
    side = max(pad, (y1 - y0) - (x1 - x0) // 2)  # a lone narrow digit gets room on both sides
    return cv2.copyMakeBorder(np.ascontiguousarray(inner), pad, pad, side, side, cv2.BORDER_CONSTANT, value=255)
