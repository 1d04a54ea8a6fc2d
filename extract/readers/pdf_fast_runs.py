"""What the characters of one pdfium text object share, for :mod:`extract.readers.pdf_fast`: its
matrix and font size, its font as pdfminer knows it (the page's fonts of the name pdfium reports,
the one whose embedded program pdfium reads when a face has several subsets), and its fill."""

from __future__ import annotations

import ctypes
from typing import NamedTuple

import pypdfium2.raw as raw

from extract.readers.pdf_fonts import Font, FontWidths, PageFonts, candidates
from extract.readers.pdf_objects import by_address

_void, _int = ctypes.c_void_p, ctypes.c_int

_text_font = by_address(raw.FPDFTextObj_GetFont, _void, _void)
_uint_ref = ctypes.POINTER(ctypes.c_uint)
_fill_color = by_address(raw.FPDFPageObj_GetFillColor, _int, _void, _uint_ref, _uint_ref, _uint_ref, _uint_ref)


def _fill(address: int) -> tuple[float, ...] | None:
    """A text object's fill colour as RGB in 0–1 (pdfplumber's ``non_stroking_color`` is in the
    object's own colour space; :func:`extract.readers.pdf_marks.pale` reads both), or ``None``."""
    parts = [ctypes.c_uint() for _ in range(4)]
    if not _fill_color(address, *map(ctypes.byref, parts)):
        return None
    return tuple(part.value / 255 for part in parts[:3])
_font_base_name = by_address(raw.FPDFFont_GetBaseFontName, ctypes.c_size_t, _void, ctypes.c_char_p, ctypes.c_size_t)
_font_data = by_address(raw.FPDFFont_GetFontData, _int, _void, _void, ctypes.c_size_t,
                         ctypes.POINTER(ctypes.c_size_t))
def _font_name(font: int) -> bytes:
    size = _font_base_name(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    _font_base_name(font, buffer, size)
    return buffer.raw[:max(size - 1, 0)]


class Run(NamedTuple):
    """What every char of one text object shares."""

    order: int
    a: float
    d: float
    fontsize: float
    name: bytes
    fonts: tuple[Font, ...]
    keys: tuple[int, ...]
    vertical: frozenset[bool]
    descent: float | None  # pdfminer's, per 1000, of the horizontal fonts (None if they differ)
    fontname: str
    fill: tuple[float, ...] | None  # the fill colour (RGB, 0–1)


class Fonts(NamedTuple):
    """The page's fonts as pdfminer reads them, and pdfminer's widths of the document's fonts."""

    page: PageFonts
    widths: FontWidths


class Face(NamedTuple):
    """What pdfminer knows of the font pdfium names: the page's candidate fonts and their facts."""

    name: bytes
    fonts: tuple[Font, ...]
    keys: tuple[int, ...]
    vertical: frozenset[bool]
    descent: float | None


def face_of(font: int, fonts: Fonts) -> Face | None:
    name = _font_name(font)
    found = candidates(fonts.page, name)
    if len(found) > 1:  # several fonts of that name (subsets of one face): the one whose program is pdfium's
        program = ctypes.c_size_t()
        _font_data(font, None, 0, ctypes.byref(program))
        found = tuple(f for f in found if fonts.widths.file_size(f) == program.value) or found
    if not found or any(f.facts.descent is None or f.facts.vertical is None for f in found):
        return None
    descents = {f.facts.descent for f in found if not f.facts.vertical}
    return Face(name, found, tuple(f.key for f in found), frozenset(f.facts.vertical for f in found),
                 descents.pop() if len(descents) == 1 else None)


def text_run(address: int, text_page, index: int, order: dict[int, int], fonts: Fonts,
         faces: dict[int, Face | None]) -> Run | None:
    position = order.get(address)
    if position is None:
        return None
    m = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(text_page, index, m)
    if abs(m.b) > 1e-9 or abs(m.c) > 1e-9 or m.a <= 0 or m.d <= 0:
        return None
    font = _text_font(address)
    size = raw.FPDFText_GetFontSize(text_page, index)
    if not font or size <= 0:
        return None
    if font not in faces:
        faces[font] = face_of(font, fonts)
    face = faces[font]
    if face is None:
        return None
    return Run(position, m.a, m.d, size, face.name, face.fonts, face.keys, face.vertical, face.descent,
                face.name.decode("utf-8", "replace"), _fill(address))
