"""What pdfminer knows of a PDF's fonts without reading a content stream: descent and writing mode.

pdfminer sets a char's box from its font's descriptor (``/Descent``, or the built-in metrics of
the standard fonts) and, for a vertical CMap (``-V``), from the vertical metrics; pdfium rounds
the descent and reports no writing mode. The fast path (:mod:`extract.readers.pdf_fast`) reads
both here from the font dictionaries of each page's resources (and its forms'), keyed by the
``/BaseFont`` name pdfium reports.
"""

from __future__ import annotations

from typing import NamedTuple

from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.psparser import PSLiteral
from pdfminer.pdftypes import PDFStream, resolve1

_SIMPLE = {"Type1", "MMType1", "TrueType"}
_MAX_DEPTH = 4


class FontFacts(NamedTuple):
    """``descent``: pdfminer's, per 1000 units of text space (never positive); ``vertical``: a
    vertical CMap; ``None`` where pdfminer's value cannot be known here (a Type3 font, an embedded CMap)."""

    descent: float | None
    vertical: bool | None


def _name(value: object) -> bytes | None:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    return value if isinstance(value, bytes) else None


def _number(value: object) -> float:
    value = resolve1(value)
    return float(value) if isinstance(value, (int, float)) else 0.0


def _facts(spec: dict) -> FontFacts:
    subtype = _name(spec.get("Subtype"))
    basefont = _name(spec.get("BaseFont"))
    if subtype in {s.encode() for s in _SIMPLE}:
        metrics = FONT_METRICS.get(basefont.decode("latin-1")) if basefont else None
        descriptor = metrics[0] if metrics else resolve1(spec.get("FontDescriptor")) or {}
        return FontFacts(-abs(_number(descriptor.get("Descent", 0))), False)
    if subtype != b"Type0":
        return FontFacts(None, None)
    descendants = resolve1(spec.get("DescendantFonts")) or []
    descendant = resolve1(descendants[0]) if descendants else {}
    descriptor = resolve1(descendant.get("FontDescriptor")) or {} if isinstance(descendant, dict) else {}
    encoding = resolve1(spec.get("Encoding"))
    if isinstance(encoding, PDFStream):
        vertical = None
    else:
        name = _name(encoding)
        vertical = None if name is None else name.endswith(b"-V")
    return FontFacts(-abs(_number(descriptor.get("Descent", 0))), vertical)


def _collect(resources: object, table: dict[bytes, set[FontFacts]], depth: int, seen: set[int]) -> None:
    resources = resolve1(resources)
    if not isinstance(resources, dict) or depth > _MAX_DEPTH or id(resources) in seen:
        return
    seen.add(id(resources))
    fonts = resolve1(resources.get("Font"))
    for spec in (fonts or {}).values() if isinstance(fonts, dict) else ():
        spec = resolve1(spec)
        if isinstance(spec, dict) and (basefont := _name(spec.get("BaseFont"))) is not None:
            table.setdefault(basefont, set()).add(_facts(spec))
    xobjects = resolve1(resources.get("XObject"))
    for xobject in (xobjects or {}).values() if isinstance(xobjects, dict) else ():
        xobject = resolve1(xobject)
        if isinstance(xobject, PDFStream) and _name(xobject.get("Subtype")) == b"Form":
            _collect(xobject.get("Resources"), table, depth + 1, seen)


def page_fonts(page_obj) -> dict[bytes, set[FontFacts]]:
    """The facts of each font a page (a pdfminer ``PDFPage``) may use, by ``/BaseFont``; a name
    shared by fonts with different facts has them all."""
    table: dict[bytes, set[FontFacts]] = {}
    _collect(page_obj.resources, table, 0, set())
    return table
