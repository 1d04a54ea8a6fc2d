"""What of a PDF page is not the report's text: a watermark or stamp across the page (slanted or pale
characters), and glyphs drawn twice on themselves to fake a bold face. Used by
:mod:`extract.readers.pdf` on each page before its tables and text are read."""

from __future__ import annotations

import math


def deduplicated(page):
    """The page without characters printed twice on themselves (a bold face faked by drawing each
    glyph again a fraction of a point aside: ``394`` would read ``339944``)."""
    seen: set[tuple[str, int, int]] = set()
    for char in page.chars:
        key = (char["text"], round(char["x0"]), round(char["top"]))
        if key in seen and not char["text"].isspace():
            return page.dedupe_chars(tolerance=1, extra_attrs=("size",))
        seen.add(key)
    return page


_SKEW_DEGREES = 3.0


def skewed(char: dict) -> bool:
    """A char set at a slant (not level nor a quarter turn, by more than 3°): a watermark or stamp
    across the page (``某市人民政府门户网站 2024-01-20`` at 35°), never text of the report. pdfminer
    calls such chars upright; its digits would land in the cells they cross. (Chars read by pdfium
    carry no matrix: that path takes level and quarter-turned text only.)"""
    matrix = char.get("matrix")
    if matrix is None:
        return False
    a, b = matrix[:2]
    angle = math.degrees(math.atan2(b, a)) % 90
    return min(angle, 90 - angle) > _SKEW_DEGREES


def pale(char: dict) -> bool:
    """A char filled in a pale grey (luminance 0.75 to 0.97): a watermark tiled over the page (the
    portal's name and a download time), too faint to be the report's text. White is not pale (text
    on a dark cell); a colour space with no numbers (a pattern) is not either."""
    color = char.get("non_stroking_color")
    if not isinstance(color, tuple | list) or not all(isinstance(v, int | float) for v in color):
        return False
    if len(color) == 1:
        luminance = color[0]
    elif len(color) == 3:
        luminance = 0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2]
    elif len(color) == 4:  # CMYK
        c, m, y, k = color
        luminance = (1 - k) * (0.299 * (1 - c) + 0.587 * (1 - m) + 0.114 * (1 - y))
    else:
        return False
    return 0.75 <= luminance < 0.97


def _stamp(obj: dict) -> bool:
    return obj.get("object_type") == "char" and (skewed(obj) or pale(obj))


def unstamped(page):
    """The page without the chars of a watermark or stamp: slanted (:func:`skewed`) or pale
    (:func:`pale`), if it also has text that is neither."""
    stamps = sum(1 for char in page.chars if _stamp(char))
    if not stamps or stamps == len(page.chars):
        return page
    return page.filter(lambda obj: not _stamp(obj))
