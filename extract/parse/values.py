"""Cell text → value, unit and state.

States: ``number`` (a parsed DECIMAL), ``blank`` (empty cell, NULL value),
``dash`` (``-``, ``—``, ``/``, ``无`` …: printed "none", NULL value) and ``text``
(anything else, a number with a footnote mark such as ``74¹``, ``74①`` or
``394*`` included; NULL value, raw text kept). Blank is never zero. A cell an
OCR engine could not read with confidence starts with :data:`UNREADABLE`: it
holds a value we could not read, so it stays in its column as ``text``. One whose ink may hold a
decimal point the reading lacks starts with :data:`POINT_UNSURE`: in an amount column (万元, where
points are printed) it is unreadable too; in a count column, where no point is printed, it is read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

UNREADABLE = "\ufffd"
AMOUNT_UNIT = "万元"
"""The one unit that is not a count (docs/template_spec.md §1): the amount columns (收费金额,
采购总金额); every other column counts 件 or 项."""
POINT_UNSURE = "\ue000"
"""Marks an OCR reading whose ink may hold a decimal point the reading lacks (a private-use character
no document prints)."""
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
    if text.startswith(POINT_UNSURE):
        rest = raw.replace(POINT_UNSURE, "", 1)
        if column_unit == AMOUNT_UNIT:  # 16498.03 read as 1649803: an amount we cannot vouch for
            return ParsedValue(UNREADABLE + rest.strip(), None, "text")
        return parse_value(rest, column_unit, header_unit)
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
    unit = match["unit"] or (header_unit if column_unit == AMOUNT_UNIT else None)
    if unit == "万":
        unit = AMOUNT_UNIT
    if column_unit == AMOUNT_UNIT and unit == "元":
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
    if text.startswith((UNREADABLE, POINT_UNSURE)):
        return True
    if footnoted(raw):
        return True
    return parse_value(raw).state != "text" or bool(_ANNOTATED.match(text))
