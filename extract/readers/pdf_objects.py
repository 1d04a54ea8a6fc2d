"""pdfium's page objects as pdfminer sees them: text objects in content order, paths, images.

:func:`page_objects` goes through a page's objects (into forms, with their matrices) as pdfminer's
interpreter meets them; :func:`subpaths` and :func:`shape_object` turn a path into the lines,
rects and curves pdfminer makes of it; :func:`all_shown` says whether pdfium's text page kept
every text object (it drops one drawn again on an earlier one).
"""

from __future__ import annotations

import ctypes
from typing import NamedTuple

import pypdfium2.raw as raw

_float = ctypes.c_float
_void, _int = ctypes.c_void_p, ctypes.c_int


def handle_address(handle) -> int:
    """The address a pdfium handle points to (0 for a null handle)."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def by_address(function, restype, *argtypes):
    """pdfium's ``function`` taking and returning handles as addresses (ints: dict keys, no casts)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(handle_address(function))


_page_object = by_address(raw.FPDFPage_GetObject, _void, _void, _int)
_form_object = by_address(raw.FPDFFormObj_GetObject, _void, _void, ctypes.c_ulong)
_object_type = by_address(raw.FPDFPageObj_GetType, _int, _void)


class Walk(NamedTuple):
    """A page's objects in content order: text objects' order, paths (page space), image count."""

    order: dict[int, int]
    paths: list[list[tuple[str, float, float]]]
    images: int


def _multiply(m: tuple, n: tuple) -> tuple:
    """``m`` then ``n`` (pdfminer's ``mult_matrix(m, n)``)."""
    a, b, c, d, e, f = m
    a1, b1, c1, d1, e1, f1 = n
    return (a * a1 + b * c1, a * b1 + b * d1, c * a1 + d * c1, c * b1 + d * d1,
            e * a1 + f * c1 + e1, e * b1 + f * d1 + f1)


def _matrix(obj) -> tuple:
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _path_segments(obj, matrix: tuple) -> list[tuple[str, float, float]]:
    """The path's points in page space: ``("m"|"l"|"c"|"h", x, y)``, one per pdfminer operator
    (a Bézier's end point only; ``h`` where pdfium marks a subpath closed)."""
    a, b, c, d, e, f = matrix
    x, y = _float(), _float()
    out: list[tuple[str, float, float]] = []
    count = raw.FPDFPath_CountSegments(obj)
    bezier = 0
    for i in range(count):
        segment = raw.FPDFPath_GetPathSegment(obj, i)
        kind = raw.FPDFPathSegment_GetType(segment)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue
            out.append(("c", px, py))
        else:
            bezier = 0
            out.append(("m" if kind == raw.FPDF_SEGMENT_MOVETO else "l", px, py))
        if raw.FPDFPathSegment_GetClose(segment):
            out.append(("h", px, py))
    return out


def page_objects(page) -> Walk:
    order: dict[int, int] = {}
    paths: list[list[tuple[str, float, float]]] = []
    images = 0
    address = handle_address(page)
    stack = [(_page_object(address, i), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)
             for i in reversed(range(raw.FPDFPage_CountObjects(page)))]
    while stack:
        obj, outer, depth = stack.pop()
        kind = _object_type(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            order[obj] = len(order)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            handle = ctypes.cast(obj, raw.FPDF_PAGEOBJECT)
            paths.append(_path_segments(handle, _multiply(_matrix(handle), outer)))
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            handle = ctypes.cast(obj, raw.FPDF_PAGEOBJECT)
            inner = _multiply(_matrix(handle), outer)
            stack += [(_form_object(obj, i), inner, depth + 1)
                      for i in reversed(range(raw.FPDFFormObj_CountObjects(handle)))]
    return Walk(order, paths, images)


def subpaths(segments: list[tuple[str, float, float]]) -> list[tuple[str, list[tuple[float, float]]]]:
    """pdfminer's (shape, points) of each subpath: ``h`` is the start point again, and a line back
    to the start just before it is dropped (pdfium adds that line where the content has ``h``)."""
    out = []
    for op, x, y in segments:
        if op == "m" or not out:
            out.append([op, [(x, y)]])
            continue
        shape, pts = out[-1]
        if op == "h":
            if shape.endswith("l") and len(shape) > 1 and pts[-1] == pts[0]:
                out[-1][0] = shape[:-1] + "h"
            else:
                out[-1][0] = shape + "h"
                pts.append(pts[0])
        else:
            out[-1][0] = shape + op
            pts.append((x, y))
    return [(shape, pts) for shape, pts in out]


def shape_object(shape: str, pts: list[tuple[float, float]], height: float, doctop: float,
                  page_number: int) -> tuple[str, dict]:
    """A pdfplumber line, rect or curve dict of one subpath, as pdfminer classifies it."""
    flipped = [(x, height - y) for x, y in pts]
    xs = [x for x, _ in pts]
    ys = [y for _, y in pts]
    kind = "curve"
    if shape in {"mlh", "ml"}:
        kind, xs, ys, flipped = "line", xs[:2], ys[:2], flipped[:2]
    elif shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            kind, xs, ys = "rect", [x0, x2], [y0, y2]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    top = height - y1
    obj = {"object_type": kind, "page_number": page_number, "x0": x0, "x1": x1, "y0": y0, "y1": y1,
           "top": top, "bottom": height - y0, "doctop": doctop + top, "width": x1 - x0, "height": y1 - y0}
    if kind != "rect":
        obj["pts"] = flipped
    return kind, obj


def _bounds(address: int) -> tuple[float, float, float, float] | None:
    left, bottom, right, top = _float(), _float(), _float(), _float()
    if not raw.FPDFPageObj_GetBounds(ctypes.cast(address, raw.FPDF_PAGEOBJECT), left, bottom, right, top):
        return None
    return left.value, bottom.value, right.value, top.value


_SAME_OBJECT = 1.0
"""Points within which a text object pdfium skipped lies on an earlier one (pdfium drops a text
object drawn again on one of the five before it: a faked bold face)."""


def all_shown(walk: Walk, shown: set[int]) -> bool:
    """Whether every text object with glyphs gave chars, or lies on an earlier one (a duplicate)."""
    by_order = {order: address for address, order in walk.order.items()}
    for order in sorted(set(by_order) - shown):
        bounds = _bounds(by_order[order])
        if bounds is None or (bounds[2] - bounds[0]) * (bounds[3] - bounds[1]) <= 0:
            continue  # no glyphs to show
        earlier = (_bounds(by_order[o]) for o in range(max(0, order - 8), order) if o in shown)
        if not any(b is not None and max(abs(p - q) for p, q in zip(b, bounds, strict=True)) <= _SAME_OBJECT
                   for b in earlier):
            return False
    return True
