"""Scanned PDFs (no text layer): the ruled grid found with OpenCV, cells read by tesseract.

Whole-page OCR loses table cells, so each page is read as follows:

1. Render at 300 dpi (pypdfium2, already used by pdfplumber).
2. Find the ruling lines with OpenCV morphology; each table is a connected
   block of lines, each cell an enclosed white region (merged cells are just
   larger regions). Cell edges are clustered into grid rows and columns, so
   merged cells become spans, text in their top-left position only.
3. Every non-empty cell, cropped without its borders, is stacked into one
   image and read once with ``chi_sim``; cells with at most one Chinese
   character are read again, stacked, with a digits-only whitelist; the
   digit reading wins when it is confident or the first reading had no digit
   (this is what gets the numbers right; a ``无`` or dash keeps its
   ``chi_sim`` reading). Text outside the tables is
   read with ``chi_sim`` from the page as scanned.

Every line carries method ``ocr``. Needs the ``ocr`` extra (OpenCV, NumPy) and
tesseract with ``chi_sim``; without them the file is recorded as
``needs_ocr``, never loaded empty.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from extract.layout.grid import grid_lines, text_lines
from extract.parse.values import UNREADABLE
from extract.readers.document import Document, Line
from extract.readers.errors import ReaderError

DPI = 300
MAX_OCR_PAGES = 40
TESSERACT_TIMEOUT = 300
_CJK = re.compile(r"[\u3400-\u9fff]")
_DASH_TEXT = frozenset({"无", "—", "-", "/", "——", "一", "一一"})
_DIGIT_CONFIDENCE = 40.0
_EDGE_TOLERANCE = 12
_MIN_CELL = 12
_GAP = 40


@dataclass
class _Cell:
    x0: int
    y0: int
    x1: int
    y1: int
    text: str = ""


def ocr_missing() -> str | None:
    """Why OCR cannot run here, or ``None`` when it can. ``GONGKAI_OCR=0`` turns it off."""
    if os.environ.get("GONGKAI_OCR", "1").strip().lower() in ("0", "off", "false", "no"):
        return "OCR is turned off (GONGKAI_OCR=0)"
    return _engine_missing()


@lru_cache(maxsize=1)
def _engine_missing() -> str | None:
    try:
        import cv2  # noqa: F401
        import numpy  # noqa: F401
    except ImportError:
        return "the OCR extra is not installed (pip install 'gongkai[ocr]': OpenCV and NumPy)"
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return "tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-chi-sim)"
    langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, check=False)
    if "chi_sim" not in (langs.stdout + langs.stderr).split():
        return "tesseract has no chi_sim language data (Debian: tesseract-ocr-chi-sim)"
    return None


def _tesseract_tsv(image, lang: str, extra: list[str]) -> list[dict[str, str]]:
    import cv2

    ok, png = cv2.imencode(".png", image)
    if not ok:
        return []
    command = ["tesseract", "stdin", "stdout", "-l", lang, *extra, "tsv"]
    try:
        result = subprocess.run(command, input=png.tobytes(), capture_output=True, timeout=TESSERACT_TIMEOUT,
                                check=False)
    except subprocess.TimeoutExpired:
        raise ReaderError("ocr_failed", f"tesseract took more than {TESSERACT_TIMEOUT} s on one page") from None
    text = result.stdout.decode("utf-8", errors="replace")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r for r in rows if r.get("level") == "5" and (r.get("text") or "").strip()]


def _line_mask(gray):
    """Binary image of the long horizontal and vertical rules."""
    import cv2

    binary = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    height, width = gray.shape
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                                   (max(width // 40, 20), 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                                 (1, max(height // 80, 20))))
    mask = cv2.bitwise_or(horizontal, vertical)
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


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


def _tables(mask) -> list[tuple[int, int, int, int, list[_Cell]]]:
    """Each table's bounding box and its cells (enclosed white regions)."""
    import cv2

    tables = []
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w < mask.shape[1] * 0.25 or h < 40:
            continue
        inside = 255 - mask[y : y + h, x : x + w]
        count, _, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
        cells = []
        for index in range(1, count):
            cx, cy, cw, ch, _ = stats[index]
            if cw < _MIN_CELL or ch < _MIN_CELL or cx == 0 or cy == 0 or cx + cw >= w or cy + ch >= h:
                continue
            cells.append(_Cell(x + cx, y + cy, x + cx + cw, y + cy + ch))
        if len(cells) >= 2:
            tables.append((x, y, x + w, y + h, cells))
    return sorted(tables, key=lambda t: t[1])


def _crop(clean, cell: _Cell):
    """The cell's ink, trimmed, padded; ``None`` when the cell is empty."""
    import cv2
    import numpy as np

    inset = 4
    region = clean[cell.y0 + inset : cell.y1 - inset, cell.x0 + inset : cell.x1 - inset]
    if region.size == 0:
        return None
    ink = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    if np.count_nonzero(region < 128) < 12:
        return None
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return None
    piece = region[max(ys.min() - 2, 0) : ys.max() + 3, max(xs.min() - 2, 0) : xs.max() + 3]
    return cv2.copyMakeBorder(piece, 12, 12, 16, 16, cv2.BORDER_CONSTANT, value=255)


def _read_stacked(crops: list, lang: str, extra: list[str]) -> list[tuple[str, float]]:
    """OCR many crops at once, stacked one above the other: (text, lowest word confidence) each.

    Words are mapped back to their crop by position and kept in tesseract's
    reading order (so a label set one character a line reads top to bottom).
    """
    import numpy as np

    if not crops:
        return []
    width = max(c.shape[1] for c in crops)
    slots: list[tuple[int, int]] = []
    parts = []
    top = 0
    for crop in crops:
        canvas = np.full((crop.shape[0] + _GAP, width), 255, dtype=np.uint8)
        canvas[: crop.shape[0], : crop.shape[1]] = crop
        parts.append(canvas)
        slots.append((top, top + crop.shape[0]))
        top += canvas.shape[0]
    words = _tesseract_tsv(np.vstack(parts), lang, extra)
    texts: list[list[str]] = [[] for _ in crops]
    confidences: list[list[float]] = [[] for _ in crops]
    for word in words:
        middle = int(word["top"]) + int(word["height"]) // 2
        for index, (start, end) in enumerate(slots):
            if start - _GAP // 2 <= middle < end + _GAP // 2:
                texts[index].append(word["text"])
                confidences[index].append(float(word.get("conf") or 0))
                break
    return [("".join(t), min(c, default=0.0)) for t, c in zip(texts, confidences, strict=True)]


def _settle(first: str, digits: str, confidence: float, crop) -> str:
    """A short cell's final text from its chi_sim and digits readings.

    A confident digits reading wins; an unconfident one is read again alone
    (single line). A dash or 无 keeps its reading. Anything still uncertain is
    marked unreadable (U+FFFD before the readings): stored as text with no
    value, and reported, never guessed.
    """
    if first in _DASH_TEXT:
        return first
    if re.search(r"\d", digits) and confidence >= _DIGIT_CONFIDENCE:
        return digits
    words = _tesseract_tsv(crop, "eng", ["--psm", "7", "-c", "tessedit_char_whitelist=0123456789.-"])
    alone = "".join(w["text"] for w in words)
    if re.search(r"\d", alone) and min(float(w["conf"]) for w in words) >= _DIGIT_CONFIDENCE:
        return alone
    if not first and not digits and not alone:
        return ""
    return f"{UNREADABLE}{first}|{digits or alone}"


def _table_grid(cells: list[_Cell]) -> tuple[list[list[str | None]], list[int]]:
    """The grid (text at each cell's top-left, ``None`` under spans) and its row tops."""
    rows = _cluster([c.y0 for c in cells] + [c.y1 for c in cells])
    cols = _cluster([c.x0 for c in cells] + [c.x1 for c in cells])
    grid: list[list[str | None]] = [[None] * (len(cols) - 1) for _ in range(len(rows) - 1)]
    for cell in cells:
        r, c = _nearest(rows, cell.y0), _nearest(cols, cell.x0)
        if r < len(grid) and c < len(grid[r]):
            grid[r][c] = cell.text
    return grid, rows[:-1]


def _ocr_page(gray, page_no: int) -> list[tuple[int, list[Line]]]:
    import numpy as np

    mask = _line_mask(gray)
    clean = gray.copy()
    clean[mask > 0] = 255
    tables = _tables(mask)
    cells = [cell for table in tables for cell in table[4]]
    crops = [_crop(clean, cell) for cell in cells]
    present = [i for i, crop in enumerate(crops) if crop is not None]
    first = _read_stacked([crops[i] for i in present], "chi_sim", ["--psm", "6"])
    for index, (text, _) in zip(present, first, strict=True):
        cells[index].text = text
    short = [i for i in present if len(_CJK.findall(cells[i].text)) <= 1]
    digits = _read_stacked([crops[i] for i in short], "eng",
                           ["--psm", "6", "-c", "tessedit_char_whitelist=0123456789.-"])
    for index, (text, confidence) in zip(short, digits, strict=True):
        cells[index].text = _settle(cells[index].text, text, confidence, crops[index])
    items: list[tuple[int, list[Line]]] = []
    outside = gray.copy()
    for x0, y0, x1, y1, table_cells in tables:
        outside[y0:y1, x0:x1] = 255
        grid, row_tops = _table_grid(table_cells)
        for row, top in zip(grid, row_tops, strict=True):
            items.append((top, grid_lines([row], page_no, "ocr", 1)))
    if np.count_nonzero(outside < 128) > 50:
        words = _tesseract_tsv(outside, "chi_sim", ["--psm", "4"])
        lines: dict[tuple[str, str, str], list[dict[str, str]]] = {}
        for word in words:
            lines.setdefault((word["block_num"], word["par_num"], word["line_num"]), []).append(word)
        for line_words in lines.values():
            top = min(int(w["top"]) for w in line_words)
            text = "".join(w["text"] for w in sorted(line_words, key=lambda w: int(w["left"])))
            items.append((top, text_lines([text], page_no, "ocr", 1)))
    items.sort(key=lambda item: item[0])
    return items


def ocr_pages(data: bytes, page_numbers: list[int]) -> dict[int, list[Line]]:
    """OCR the given (1-based) pages of a PDF: their lines, method ``ocr``."""
    import numpy as np
    import pypdfium2 as pdfium

    if len(page_numbers) > MAX_OCR_PAGES:
        raise ReaderError("too_large", f"{len(page_numbers)} scanned pages; OCR reads at most {MAX_OCR_PAGES}")
    pdf = pdfium.PdfDocument(data)
    pages: dict[int, list[Line]] = {}
    try:
        for page_no in page_numbers:
            page = pdf[page_no - 1]
            gray = np.asarray(page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L"))
            page.close()
            pages[page_no] = [line for _, page_lines in _ocr_page(gray, page_no) for line in page_lines]
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
    lines = [Line(line.text, number, line.page, line.cells, "ocr") for number, line in enumerate(lines, 1)]
    if not any(line.text.strip() for line in lines):
        raise ReaderError("ocr_failed", "scanned PDF: OCR found no text")
    return Document(source_format="pdf", lines=lines, read_method="ocr")
