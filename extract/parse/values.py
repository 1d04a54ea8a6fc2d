"""Cell text → value, unit and state.

States: ``number`` (a parsed DECIMAL), ``blank`` (empty cell, NULL value),
``dash`` (``-``, ``—``, ``/``, ``无`` …: printed "none", NULL value) and ``text``
(anything else, a number with a footnote mark such as ``74¹``, ``74①`` or
``394*`` included; NULL value, raw text kept). Blank is never zero. A cell an
OCR engine could not read with confidence starts with :data:`UNREADABLE`: it
holds a value we could not read, so it stays in its column as ``text``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

UNREADABLE = "\ufffd"
DASHES = frozenset({"-", "—", "–", "－", "/", "／", "无", "——", "--", "－－", "\\", "×", "―", "‐", "一", "〇",
                    "暂无", "空"})
"""Cells printed as "none". 一 (typed for a dash) and 〇 (a written zero) among numbers are read so too:
their cell is not blank, and not a number we could vouch for."""
_INVISIBLE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff|]+")
_NUMBER = re.compile(
    r"^(?P<sign>[减增+\-−])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>万元|万|元|件|项|个|条|宗|次)?$"
)
_MARKS = re.compile("[\u00b9\u00b2\u00b3\u2070-\u209f\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf*※#†‡]")
"""Footnote marks: superscript and circled digits (NFKC would make ``74¹`` and ``74①`` 741), ``*`` …"""
_ANNOTATED = re.compile(r"^[减增+\-−]?\d+(?:\.\d+)?(?:万元|万|元|件|项)?[(（].*[)）]$")


@dataclass(frozen=True)
class ParsedValue:
    """One cell as read: the value (normalised to the column's unit), its state and unit."""

    raw: str
    value: Decimal | None
    state: str
    unit: str | None = None


def clean(raw: str) -> str:
    """NFKC-normalise (full-width digits → ASCII) and drop all whitespace."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", raw))


def parse_value(raw: str, column_unit: str | None = None, header_unit: str | None = None) -> ParsedValue:
    """Parse one cell's text. ``column_unit`` '万元' converts amounts printed in 元: with the unit
    (``251000元``), or bare under a header that says 元 (``header_unit``)."""
    text = clean(raw)
    if not text:
        return ParsedValue(raw, None, "blank")
    if text.startswith(UNREADABLE) or _MARKS.search(raw):
        return ParsedValue(raw, None, "text")  # a number with a footnote mark is not read as a number
    if text in DASHES or set(text) <= {"-", "—", "－", "–"}:
        return ParsedValue(raw, None, "dash")
    match = _NUMBER.match(text)
    if not match:
        return ParsedValue(raw, None, "text")
    value = Decimal(match["num"].replace(",", ""))
    if match["sign"] in ("减", "-", "−"):
        value = -value
    unit = match["unit"] or (header_unit if column_unit == "万元" else None)
    if unit == "万":
        unit = "万元"
    if column_unit == "万元" and unit == "元":
        value = value / Decimal(10000)
    return ParsedValue(raw, value, "number", unit)


_SUPERSCRIPT = str.maketrans("0123456789*", "⁰¹²³⁴⁵⁶⁷⁸⁹*")


def as_mark(text: str) -> str:
    """Text a source sets as a superscript (``<sup>1</sup>``, a raised run), in superscript digits, so
    that ``74`` + ``1`` stays ``74¹``: a number with a footnote mark, not 741."""
    return text.translate(_SUPERSCRIPT)


def footnoted(raw: str) -> bool:
    """A number with a footnote mark (``74¹``, ``74①``, ``394*``): a value we do not read as a number."""
    return bool(_MARKS.search(raw)) and bool(_NUMBER.match(clean(_MARKS.sub("", raw))))


def looks_like_value(raw: str) -> bool:
    """True for a cell that holds a value (number, dash, or a number with a note)."""
    text = clean(raw)
    if not text:
        return False
    if text.startswith(UNREADABLE):
        return True
    if footnoted(raw):
        return True
    return parse_value(raw).state != "text" or bool(_ANNOTATED.match(text))
