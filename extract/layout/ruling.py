"""Ruling lines of a page → the border lines a table drawn with inner rules only lacks.

Word and WPS can rule a table between its cells but not around it (no outer border). A
lattice table finder builds cells from intersecting rules, so such a table loses its first
and last column and its top and bottom rows. The rules still show where the table ends: its
horizontal rules run from its left edge to its right edge, its vertical rules from its top to
its bottom. Each group of touching rules that is not closed on a side gets that side.

Edges are dicts with ``x0``, ``x1``, ``top``, ``bottom`` and ``orientation`` (``h`` or ``v``), as
pdfplumber gives them; the lines returned have the same shape.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

Edge = dict
TOLERANCE = 3.0
"""Points within which two rules touch or a rule lies on a side (pdfplumber's snap and join default)."""
NARROWEST = 8.0
"""Points: no column or row is this narrow, so rules ending this close to a full side overhang it."""
MIN_RULES = 3
"""Rules a group needs to be a table grid, at least one of each direction (a lone underline, or
two crossing rules, is not): a two-column table ruled inside has one vertical rule."""


@dataclass(frozen=True)
class Box:
    """The extent of a group of touching rules."""

    x0: float
    top: float
    x1: float
    bottom: float


def _touch(h: Edge, v: Edge) -> bool:
    return (h["x0"] - TOLERANCE <= v["x0"] <= h["x1"] + TOLERANCE
            and v["top"] - TOLERANCE <= h["top"] <= v["bottom"] + TOLERANCE)


def _groups(hs: list[Edge], vs: list[Edge]) -> list[tuple[list[Edge], list[Edge]]]:
    """The connected groups of horizontal and vertical rules that cross or touch."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(vs)), key=lambda j: vs[j]["x0"])
    xs = [vs[j]["x0"] for j in order]
    for i, h in enumerate(hs):
        for k in range(bisect_left(xs, h["x0"] - TOLERANCE), bisect_right(xs, h["x1"] + TOLERANCE)):
            j = order[k]
            if _touch(h, vs[j]):
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Edge], list[Edge]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return list(groups.values())


def _covers(edges: list[Edge], at: float, key: str, start: float, end: float, lo: str, hi: str,
            slack: float = TOLERANCE) -> bool:
    """Whether rules at ``at`` (their ``key``), one or several end to end, run from ``start`` to ``end``
    (``slack`` short of either end at most)."""
    reach = start + slack
    for e in sorted((e for e in edges if abs(e[key] - at) <= TOLERANCE), key=lambda e: e[lo]):
        if e[lo] > reach + TOLERANCE:
            break
        reach = max(reach, e[hi])
    return reach >= end - slack


def _closed_near(edges: list[Edge], at: float, key: str, start: float, end: float, lo: str, hi: str) -> bool:
    """Whether a full side lies within :data:`NARROWEST` of ``at``: the rules only overhang it."""
    return any(_covers(edges, e[key], key, start, end, lo, hi, NARROWEST)
               for e in edges if abs(e[key] - at) <= NARROWEST)


def closing_lines(edges: list[Edge]) -> list[Edge]:
    """The border lines missing around each table grid of ``edges`` (none for a closed grid)."""
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    out: list[Edge] = []
    for group_h, group_v in _groups(hs, vs):
        if not group_h or not group_v or len(group_h) + len(group_v) < MIN_RULES:
            continue
        box = Box(min(e["x0"] for e in group_h), min(e["top"] for e in group_v),
                  max(e["x1"] for e in group_h), max(e["bottom"] for e in group_v))
        for x in (box.x0, box.x1):
            if not _closed_near(group_v, x, "x0", box.top, box.bottom, "top", "bottom"):
                out.append(_line("v", x, box.top, x, box.bottom))
        for y in (box.top, box.bottom):
            if not _closed_near(group_h, y, "top", box.x0, box.x1, "x0", "x1"):
                out.append(_line("h", box.x0, y, box.x1, y))
    return out


def _line(orientation: str, x0: float, top: float, x1: float, bottom: float) -> Edge:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line"}
