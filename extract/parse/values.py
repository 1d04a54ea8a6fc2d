"""Cell text → value, unit and state.

States: ``number`` (a parsed DECIMAL), ``blank`` (empty cell, NULL value),
``dash`` (``-``, ``—``, ``/``, ``无`` …: printed "none", NULL value) and ``text``
(anything else; NULL value, raw text kept). Blank is never zero. A cell an
OCR engine could not read with confidence starts with :data:`UNREADABLE`: it
holds a value we could not read, so it stays in its column as ``text``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

UNREADABLE = "\ufffd"
DASHES = frozenset({"-", "—", "–", "－", "/", "／", "无", "——", "--", "－－", "\\", "×"})
_INVISIBLE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff|]+")
_NUMBER = re.compile(
    r"^(?P<sign>[减增+\-−])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>万元|万|元|件|项|个|条|宗|次)?$"
)
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


def parse_value(raw: str, column_unit: str | None = None) -> ParsedValue:
    """Parse one cell's text. ``column_unit`` '万元' converts amounts printed in 元."""
    text = clean(raw)
    if not text:
        return ParsedValue(raw, None, "blank")
    if text.startswith(UNREADABLE):
        return ParsedValue(raw, None, "text")
    if text in DASHES or set(text) <= {"-", "—", "－", "–"}:
        return ParsedValue(raw, None, "dash")
    match = _NUMBER.match(text)
    if not match:
        return ParsedValue(raw, None, "text")
    value = Decimal(match["num"].replace(",", ""))
    if match["sign"] in ("减", "-", "−"):
        value = -value
    unit = match["unit"]
    if unit == "万":
        unit = "万元"
    if column_unit == "万元" and unit == "元":
        value = value / Decimal(10000)
    return ParsedValue(raw, value, "number", unit)


def looks_like_value(raw: str) -> bool:
    """True for a cell that holds a value (number, dash, or a number with a note)."""
    text = clean(raw)
    if not text:
        return False
    if text.startswith(UNREADABLE):
        return True
    return parse_value(raw).state != "text" or bool(_ANNOTATED.match(text))
