"""What pdfminer knows of a PDF's fonts without reading a content stream: descent, writing mode, widths.

pdfminer sets a char's box from its font's descriptor (``/Descent``, or the built-in metrics of
the standard fonts) and, for a vertical CMap (``-V``), from the vertical metrics; pdfium rounds
the descent and reports no writing mode. The fast path (:mod:`extract.readers.pdf_fast`) reads
both here from the font dictionaries of each page's resources (and its forms'), keyed by the
``/BaseFont`` name pdfium reports; and, for a glyph drawn wider than its advance (where pdfium's
box shows the glyph, not the advance), pdfminer's own width of the character.
"""

from __future__ import annotations

from typing import NamedTuple

from pdfminer.cmapdb import FileUnicodeMap
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdffont import PDFCIDFont
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import LIT, PSLiteral

from extract.readers.pdf_tounicode import to_unicode

_SIMPLE = {"Type1", "MMType1", "TrueType"}
UNMAPPED = float("-inf")
_SHARED_TEXTS: dict[tuple, bool] = {}
"""Whether a text has a code in a font of a predefined UCS-2 CMap and no ToUnicode (any document)."""
"""The width of a text no code of the font has (pdfminer reads it ``(cid:…)``)."""
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


class Font(NamedTuple):
    """One font dictionary of a page: its object id (``None`` when direct), itself, its facts."""

    objid: int | None
    spec: dict
    facts: FontFacts

    @property
    def key(self) -> int:
        return self.objid if self.objid is not None else id(self.spec)


PageFonts = dict[bytes, list[Font]]
"""The fonts a page may use, by ``/BaseFont`` (and by that name untagged, after a ``+``)."""


def _collect(resources: object, fonts: PageFonts, depth: int, seen: set[int]) -> None:
    resources = resolve1(resources)
    if not isinstance(resources, dict) or depth > _MAX_DEPTH or id(resources) in seen:
        return
    seen.add(id(resources))
    font_dict = resolve1(resources.get("Font"))
    for ref in (font_dict or {}).values() if isinstance(font_dict, dict) else ():
        spec = resolve1(ref)
        if isinstance(spec, dict) and (basefont := _name(spec.get("BaseFont"))) is not None:
            objid = ref.objid if isinstance(ref, PDFObjRef) else None
            if all(objid is None or objid != known.objid for known in fonts.get(basefont, ())):
                fonts.setdefault(basefont, []).append(Font(objid, spec, _facts(spec)))
    xobjects = resolve1(resources.get("XObject"))
    for xobject in (xobjects or {}).values() if isinstance(xobjects, dict) else ():
        xobject = resolve1(xobject)
        if isinstance(xobject, PDFStream) and _name(xobject.get("Subtype")) == b"Form":
            _collect(xobject.get("Resources"), fonts, depth + 1, seen)


def _untagged(name: bytes) -> bytes:
    """A font name without its subset tag (``ABCDEF+``)."""
    tag, plus, rest = name.partition(b"+")
    return rest if plus and len(tag) == 6 and tag.isalpha() and tag.isupper() else name


def page_fonts(page_obj) -> PageFonts:
    """The fonts a page (a pdfminer ``PDFPage``) may use, by ``/BaseFont``, and by that name
    without its subset tag (pdfium drops it for some fonts)."""
    fonts: PageFonts = {}
    _collect(page_obj.resources, fonts, 0, set())
    for name, entries in list(fonts.items()):
        if (untagged := _untagged(name)) != name:
            fonts.setdefault(b"+" + untagged, []).extend(entries)
    return fonts


def candidates(fonts: PageFonts, name: bytes) -> tuple[Font, ...]:
    """The page's fonts that pdfium's font named ``name`` may be (none when the resources have none)."""
    return tuple(fonts.get(name) or fonts.get(b"+" + _untagged(name)) or ())


def font_file_size(spec: dict) -> int | None:
    """The decoded size of the font program embedded in ``spec`` (pdfium's ``FPDFFont_GetFontData``
    size), ``None`` when none is embedded or it cannot be read."""
    try:
        if _name(spec.get("Subtype")) == b"Type0":
            spec = resolve1((resolve1(spec.get("DescendantFonts")) or [{}])[0])
        descriptor = resolve1(spec.get("FontDescriptor")) or {}
        files = [resolve1(descriptor[k]) for k in ("FontFile", "FontFile2", "FontFile3") if k in descriptor]
        stream = files[0] if files else None
        return len(stream.get_data()) if isinstance(stream, PDFStream) else None
    except Exception:  # noqa: BLE001 - a damaged font stream: nothing to match
        return None


def _cid_font(rsrcmgr, spec: dict) -> PDFCIDFont | None:
    """pdfminer's font of a Type0 ``spec`` with a ToUnicode stream, its map read by
    :func:`~extract.readers.pdf_tounicode.to_unicode` (the font built as pdfminer's
    ``get_font`` builds it, told the map is an identity so that it does not parse the stream);
    ``None`` for any other font, or a stream that reader leaves to pdfminer."""
    to_unicode_stream = resolve1(spec.get("ToUnicode"))
    descendants = resolve1(spec.get("DescendantFonts"))
    if (_name(spec.get("Subtype")) != b"Type0" or not isinstance(to_unicode_stream, PDFStream)
            or "Encoding" not in spec or not descendants or not isinstance(resolve1(descendants[0]), dict)):
        return None
    table = to_unicode(to_unicode_stream.get_data())
    if table is None:
        return None
    subspec = dict(resolve1(descendants[0]))
    subspec["Encoding"] = resolve1(spec["Encoding"])
    subspec["ToUnicode"] = LIT("Identity")
    font = PDFCIDFont(rsrcmgr, subspec)
    font.unicode_map = FileUnicodeMap()
    font.unicode_map.cid2unichr = table
    return font


class FontWidths:
    """pdfminer's width of a character (per unit of font size), from its text. In a font whose
    CMap is keyed by UCS-2/UTF-16 (``UniGB-UCS2-H``), the code is the text itself: its width, when
    that code's text is the text again. In any other, the width of every code of the font whose
    text it is, when they agree (the codes of a simple font: those its ``/Widths`` cover, and
    those its ToUnicode map names). ``None`` otherwise."""

    def __init__(self, rsrcmgr) -> None:
        self.rsrcmgr = rsrcmgr
        self.fonts: dict[int, tuple[object, bool]] = {}
        self.tables: dict[int, dict[str, set[float]]] = {}
        self.known: dict[tuple[tuple[int, ...], str], set[float | None]] = {}
        self.horizontal: dict[tuple[tuple[int, ...], str], float | None] = {}
        self.checked: dict[tuple[int, ...], int] = {}  # fonts' keys → advances found equal to the width
        self.sizes: dict[int, int | None] = {}
        self.mapped: dict[tuple[tuple[int, ...], str, bool], bool] = {}  # the fast path's cache of maps()

    def _table(self, key: int, font, spec: dict) -> dict[str, set[float]]:
        if key not in self.tables:
            unicode_map = getattr(font, "unicode_map", None)
            cids = set(getattr(unicode_map, "cid2unichr", {}) or {})
            if not font.is_multibyte():
                first = resolve1(spec.get("FirstChar"))
                last = resolve1(spec.get("LastChar"))
                if isinstance(first, int) and isinstance(last, int) and "Widths" in spec:
                    cids |= set(range(max(first, 0), min(last, 255) + 1))
                else:
                    cids |= set(range(256))
            table: dict[str, set[float]] = {}
            for cid in cids:
                try:
                    text = font.to_unichr(cid)
                except Exception:  # noqa: BLE001, S112 - pdfminer raises several types for an unmapped code
                    continue
                table.setdefault(text, set()).add(font.char_width(cid))
            self.tables[key] = table
        return self.tables[key]

    def _font(self, objid: int | None, spec: dict) -> tuple[int, object, bool]:
        key = objid if objid is not None else id(spec)
        if key not in self.fonts:
            encoding = _name(spec.get("Encoding")) or b""
            font = _cid_font(self.rsrcmgr, spec) or self.rsrcmgr.get_font(objid, spec)
            self.fonts[key] = (font, b"UCS2" in encoding or b"UTF16" in encoding)
        font, unicode_codes = self.fonts[key]
        return key, font, unicode_codes

    def _width(self, objid: int | None, spec: dict, text: str) -> float | None:
        """The width, ``None`` where the codes with this text differ, or :data:`UNMAPPED`."""
        key, font, unicode_codes = self._font(objid, spec)
        if unicode_codes:
            cids = list(font.decode(text.encode("utf-16-be")))
            if len(cids) == 1 and font.to_unichr(cids[0]) == text:
                return font.char_width(cids[0])
        widths = self._table(key, font, spec).get(text, set())
        if not widths:
            return UNMAPPED
        return next(iter(widths)) if len(widths) == 1 else None

    def _widths(self, fonts: tuple[Font, ...], text: str, vertical: bool | None) -> set[float | None]:
        fonts = tuple(f for f in fonts if vertical is None or f.facts.vertical is vertical)
        key = (tuple(f.key for f in fonts), text)
        if key not in self.known:
            widths = set()
            for font in fonts:
                try:
                    widths.add(self._width(font.objid, font.spec, text))
                except Exception:  # noqa: BLE001 - a font pdfminer cannot load
                    widths.add(UNMAPPED)
            self.known[key] = widths or {UNMAPPED}
        return self.known[key]

    def file_size(self, font: Font) -> int | None:
        if font.key not in self.sizes:
            self.sizes[font.key] = font_file_size(font.spec)
        return self.sizes[font.key]

    def width(self, fonts: tuple[Font, ...], text: str) -> float | None:
        """pdfminer's width of ``text`` in the horizontal ones of ``fonts``, when they agree on one."""
        widths = self._widths(fonts, text, False)
        width = next(iter(widths)) if len(widths) == 1 else None
        return None if width == UNMAPPED else width

    def width_of(self, keys: tuple[int, ...], fonts: tuple[Font, ...], text: str) -> float | None:
        """:meth:`width`, remembered by the fonts' ``keys`` (asked once per character drawn)."""
        key = (keys, text)
        if key not in self.horizontal:
            self.horizontal[key] = self.width(fonts, text)
        return self.horizontal[key]

    def maps(self, fonts: tuple[Font, ...], text: str, vertical: bool) -> bool:
        """Whether pdfminer gives ``text`` for some code of each of ``fonts`` that writes
        ``vertical`` (or not), rather than ``(cid:…)``."""
        fonts = tuple(f for f in fonts if f.facts.vertical is vertical)
        try:
            return bool(fonts) and all(self._mapped(font, text) for font in fonts)
        except Exception:  # noqa: BLE001 - a font pdfminer cannot load
            return False

    def _mapped(self, font: Font, text: str) -> bool:
        key, pdf_font, unicode_codes = self._font(font.objid, font.spec)
        if not unicode_codes:
            return text in self._table(key, pdf_font, font.spec)
        shared = None
        if "ToUnicode" not in font.spec and pdf_font.cidcoding not in ("Adobe-Identity", "Adobe-UCS"):
            # its codes and their text are pdfminer's predefined CMaps': the same in every document
            shared = (_name(font.spec.get("Encoding")), pdf_font.cidcoding, pdf_font.is_vertical(), text)
            if shared in _SHARED_TEXTS:
                return _SHARED_TEXTS[shared]
        cids = list(pdf_font.decode(text.encode("utf-16-be")))
        answer = (len(cids) == 1 and pdf_font.to_unichr(cids[0]) == text) or text in self._table(
            key, pdf_font, font.spec)
        if shared is not None:
            if len(_SHARED_TEXTS) >= 100_000:
                _SHARED_TEXTS.clear()
            _SHARED_TEXTS[shared] = answer
        return answer
