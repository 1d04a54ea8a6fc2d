"""The PDF fast path: a page's characters and ruling from pdfium, as pdfplumber would give them.

pdfminer's interpretation of the content streams is most of a PDF's reading time; pdfium
(``pypdfium2``, installed with pdfplumber) reads the same characters and path objects an order
of magnitude faster. :func:`fast_page` turns them into pdfplumber's own objects (char dicts with
pdfminer's boxes, top-down coordinates, ``doctop``, ``upright``, ``size``; lines, rects and
curves classified as pdfminer classifies paths), on a :class:`~pdfplumber.page.Page` whose
objects are set, so pdfplumber's table finder, text extraction and the layout engine run on
them unchanged. A page it cannot reproduce with certainty returns ``None`` and is read by
pdfplumber: a rotated page or a MediaBox off the origin, text not set upright (rotated, skewed,
mirrored), a glyph without a Unicode mapping, a code that maps to several characters, a control
character (pdfium marks a hyphen that ends a line so), a Type3 font or an embedded CMap, a font
whose name pdfium reports but the page's resources do not hold with one descent and one writing
mode, a glyph drawn past its advance whose width pdfminer's font tables do not give for certain.

Generated characters (the spaces and line breaks pdfium infers) are left out, and the chars are
put back in content order (pdfium reorders a line's text objects). pdfium drops a glyph printed
on itself (the same code and font within 7 % of the font size, a bold face faked by drawing it
twice), where pdfminer keeps both and :func:`extract.readers.pdf_marks.deduplicated` removes them
(within 1 pt, when two of them round to the same point); the test corpus reads the same both ways.
"""

from __future__ import annotations

import ctypes
from functools import lru_cache

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.page import Page

from extract.readers.pdf_fast_runs import Face, Fonts, Run, text_run
from extract.readers.pdf_fonts import FontWidths, page_fonts
from extract.readers.pdf_objects import (
    Walk,
    all_shown,
    by_address,
    handle_address,
    page_objects,
    shape_object,
    subpaths,
)

_EPS = 1e-3
_ADVANCES_CHECKED = 24
"""Characters of a font whose pdfium advance is checked against pdfminer's width before the font's
advances are taken as its /W widths (a font that rounds them does so from its first characters)."""
_double = ctypes.c_double
_void, _int = ctypes.c_void_p, ctypes.c_int


class PdfiumPdf:
    """A PDF opened by pdfium beside pdfplumber's ``PDF`` of the same bytes."""

    def __init__(self, data: bytes) -> None:
        self.document = pdfium.PdfDocument(data)
        self.widths: FontWidths | None = None

    def close(self) -> None:
        self.document.close()


def open_pdfium(data: bytes) -> PdfiumPdf | None:
    """The PDF opened by pdfium, or ``None`` when pdfium cannot open it (pdfplumber reads it)."""
    try:
        return PdfiumPdf(data)
    except pdfium.PdfiumError:
        return None


_text_object = by_address(raw.FPDFText_GetTextObject, _void, _void, _int)
_is_generated = by_address(raw.FPDFText_IsGenerated, _int, _void, _int)
_unicode = by_address(raw.FPDFText_GetUnicode, ctypes.c_uint, _void, _int)
_origin = by_address(raw.FPDFText_GetCharOrigin, _int, _void, _int, _void, _void)
_loose_box = by_address(raw.FPDFText_GetLooseCharBox, _int, _void, _int, _void)
_char_box = by_address(raw.FPDFText_GetCharBox, _int, _void, _int, _void, _void, _void, _void)


def _chars(text_page, walk: Walk, fonts: Fonts, height: float, doctop: float,
           page_number: int) -> tuple[list[dict], set[int]] | None:
    """pdfminer's chars of the page from pdfium's text page, in content order, and the text
    objects (by order) they came from; ``None`` if uncertain."""
    loose = raw.FS_RECTF()
    ox, oy = _double(), _double()
    left, right, bottom, top = _double(), _double(), _double(), _double()
    loose_ref, origin_refs = ctypes.byref(loose), (ctypes.byref(ox), ctypes.byref(oy))
    box_refs = tuple(map(ctypes.byref, (left, right, bottom, top)))
    runs: dict[int, Run | None] = {}
    faces: dict[int, Face | None] = {}
    mapped = fonts.widths.mapped
    keyed: list[tuple[int, int, dict]] = []
    last: tuple[int, float, float] | None = None
    page = handle_address(text_page)
    for i in range(raw.FPDFText_CountChars(text_page)):
        generated = _is_generated(page, i)
        if generated:
            if generated < 0:
                return None
            continue
        code = _unicode(page, i)
        if code < 0x20 or code in (0xFFFE, 0xFFFF):
            return None
        address = _text_object(page, i) or 0
        run = runs.get(address, False)
        if run is False:
            run = runs[address] = text_run(address, text_page, i, walk.order, fonts, faces)
        if run is None:
            return None
        text = chr(code)
        _origin(page, i, *origin_refs)
        _loose_box(page, i, loose_ref)
        _char_box(page, i, *box_refs)
        x, y = ox.value, oy.value
        if last == (address, x, y):
            return None  # one code shown as several characters (a ligature): pdfminer keeps one
        last = (address, x, y)
        box = _box(run, x, y, loose, (left, right, bottom, top), text, fonts)
        if box is None:
            return None
        x0, x1, y0, y1, size, vertical = box
        known = mapped.get((run.keys, text, vertical))
        if known is None:
            known = mapped[(run.keys, text, vertical)] = fonts.widths.maps(run.fonts, text, vertical)
        if not known:
            return None  # no code of the font has this text for pdfminer: it reads "(cid:…)" or other text
        char_top = height - y1
        keyed.append((run.order, i, {
            "text": text, "fontname": run.fontname, "size": size, "adv": x1 - x0,
            "upright": True, "x0": x0, "x1": x1, "y0": y0, "y1": y1, "top": char_top, "bottom": height - y0,
            "doctop": doctop + char_top, "width": x1 - x0, "height": y1 - y0, "object_type": "char",
            "page_number": page_number, "non_stroking_color": run.fill}))
    keyed.sort(key=_content_order)
    return [char for _, _, char in keyed], {order for order, _, _ in keyed}


def _content_order(item: tuple[int, int, dict]) -> tuple[int, int]:
    return item[0], item[1]


def _box(run: Run, x: float, y: float, loose, tight: tuple, text: str,
         fonts: Fonts) -> tuple[float, float, float, float, float, bool] | None:
    """pdfminer's (x0, x1, y0, y1, size) of a char and whether it is written vertically, from
    pdfium's origin, loose and tight boxes.

    pdfium's loose box is the union of the glyph's own (tight) box and, for a horizontal char, the
    box from its origin over its advance; for a vertical one (a CID font with a ``-V`` CMap), a box
    the font size wide and the vertical advance high, both unscaled, whose origin is pdfminer's
    lower left corner. Where the glyph reaches the loose box's end, the advance is pdfminer's
    width of the character; where it does not, pdfium's advance must be pdfminer's width where the
    font tables give one, checked on a font's first :data:`_ADVANCES_CHECKED` characters (a font
    whose glyph advances differ from its /W by a rounding puts every later character of the line
    elsewhere: the page is left to pdfminer). A font name used by a horizontal and a vertical font is told apart
    by that unscaled width, unless the text is not scaled (then nothing tells them apart).
    """
    fs = run.fontsize
    kinds = run.vertical
    if len(kinds) == 2:
        if abs(run.a - 1) <= _EPS:
            return None
        kinds = {abs(loose.right - loose.left - fs) <= _EPS * fs}
    if kinds == {False}:
        if run.descent is None:
            return None
        if tight[1].value < loose.right - _EPS:
            x1 = loose.right
            if fonts.widths.checked.get(run.keys, 0) < _ADVANCES_CHECKED:
                width = fonts.widths.width_of(run.keys, run.fonts, text)
                if width is not None and abs(x + run.a * width * fs - x1) > _EPS:
                    return None  # pdfium's advance is not the font's /W width (a rounding): positions drift
                fonts.widths.checked[run.keys] = fonts.widths.checked.get(run.keys, 0) + (width is not None)
        else:
            width = fonts.widths.width_of(run.keys, run.fonts, text)
            if width is None:
                return None
            x1 = x + run.a * width * fs
        y0 = y + run.d * fs * run.descent / 1000
        return x, x1, y0, y0 + run.d * fs, run.d * fs, False
    if not (tight[2].value > loose.bottom + _EPS and tight[3].value < loose.top - _EPS):
        return None
    x1 = x + run.a * fs
    return x, x1, y, y + run.d * (loose.top - loose.bottom), x1 - x, True


class PdfiumPage(Page):
    """A pdfplumber page whose objects came from pdfium (see :func:`fast_page`)."""

    def __init__(self, page: Page, objects: dict[str, list[dict]]) -> None:
        self.pdf = page.pdf
        self.root_page = self
        self.page_obj = page.page_obj
        self.page_number = page.page_number
        self.initial_doctop = page.initial_doctop
        self.rotation = page.rotation
        self.mediabox = page.mediabox
        self.cropbox = page.cropbox
        self.bbox = page.bbox
        self.get_textmap = lru_cache()(self._get_textmap)
        self._objects = objects


def fast_page(pdf: PdfiumPdf, page: Page) -> PdfiumPage | None:
    """pdfplumber's page with its chars, lines, rects, curves and images read by pdfium;
    ``None`` where they cannot be reproduced with certainty (module docstring), or pdfium fails
    on it (pdfminer then reads the page, and fails as it fails)."""
    try:
        return _fast_page(pdf, page)
    except Exception:  # noqa: BLE001 - whatever pdfium or the font tables raise: pdfminer reads the page
        return None


def _fast_page(pdf: PdfiumPdf, page: Page) -> PdfiumPage | None:
    if page.rotation:
        return None
    handle = pdf.document[page.page_number - 1]
    try:
        box = handle.get_mediabox()
        height = page.height
        if (page.bbox != (0, 0, page.width, height)
                or max(abs(a - b) for a, b in zip(box, (0, 0, page.width, height), strict=True)) > _EPS):
            return None
        walk = page_objects(handle.raw)
        text_page = raw.FPDFText_LoadPage(handle.raw)
        try:
            if pdf.widths is None:
                pdf.widths = FontWidths(page.pdf.rsrcmgr)
            fonts = Fonts(page_fonts(page.page_obj), pdf.widths)
            chars = _chars(text_page, walk, fonts, height, page.initial_doctop, page.page_number)
        finally:
            raw.FPDFText_ClosePage(text_page)
        if chars is None or not all_shown(walk, chars[1]):
            return None
        objects: dict[str, list[dict]] = {"char": chars[0], "image": [{"object_type": "image"}] * walk.images}
        for segments in walk.paths:
            for shape, pts in subpaths(segments):
                if shape.startswith("m") and len(pts) > 1:
                    kind, obj = shape_object(shape, pts, height, page.initial_doctop, page.page_number)
                    objects.setdefault(kind, []).append(obj)
        return PdfiumPage(page, objects)
    finally:
        handle.close()
