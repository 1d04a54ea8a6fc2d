"""Web-page tables built from CSS instead of ``<table>``: elements whose inline style says
``display:table`` (rows ``display:table-row``, cells ``display:table-cell``, an empty one an empty
cell), and ``display:grid`` with ``grid-template-columns`` (``repeat(N, …)`` or N track sizes),
its children the cells in order or at their ``grid-row`` / ``grid-column`` (``span N`` honoured).

Only what the inline style declares is read as a table; a layout it does not make certain (a
grid without a column count, a child that is not a row or cell, an item placed where another is,
a cell holding a table or a page of text) is left to be read as ordinary elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from extract.layout.grid import MAX_SPAN, Grid

_DISPLAY = re.compile(r"(?:^|;)\s*display\s*:\s*([a-z-]+)", re.IGNORECASE)
_COLUMNS = re.compile(r"(?:^|;)\s*grid-template-columns\s*:\s*([^;]+)", re.IGNORECASE)
_PLACE = {axis: re.compile(rf"(?:^|;)\s*grid-{axis}\s*:\s*([^;]+)", re.IGNORECASE) for axis in ("row", "column")}
_REPEAT = re.compile(r"repeat\(\s*(\d+)\s*,(.*)\)$", re.IGNORECASE | re.DOTALL)
_LINE = re.compile(r"^\s*(?:(\d+)|span\s+(\d+))\s*(?:/\s*(?:(\d+)|span\s+(\d+))\s*)?$", re.IGNORECASE)
_GROUPS = frozenset({"table-row-group", "table-header-group", "table-footer-group"})
_MAX_CELL_CHARS = 300
"""A table cell longer than this is a page's layout, not a report table's cell."""

TextOf = Callable[[etree._Element], str]


def display(element: etree._Element) -> str:
    """The ``display`` the element's inline style declares (the last one), lower case, or ``""``."""
    found = _DISPLAY.findall(element.get("style") or "")
    return found[-1].lower() if found else ""


def _children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _holds_table(element: etree._Element) -> bool:
    return any(isinstance(e.tag, str) and (e.tag.lower() == "table" or display(e) in ("table", "grid", "inline-grid"))
               for e in element.iterdescendants())


def _cell(element: etree._Element, text_of: TextOf) -> str | None:
    text = text_of(element)
    return None if len(text) > _MAX_CELL_CHARS or _holds_table(element) else text


def css_table(element: etree._Element, text_of: TextOf) -> Grid | None:
    """The grid of a ``display:table`` element, or ``None`` when its rows and cells are not certain."""
    rows: list[etree._Element] = []
    for child in _children(element):
        kind = display(child)
        if kind in _GROUPS:
            rows += _children(child)
        elif kind == "table-row":
            rows.append(child)
        elif text_of(child).strip():
            return None
    grid: Grid = []
    for row in rows:
        cells: list[str | None] = []
        for cell in _children(row):
            text = _cell(cell, text_of) if display(cell) == "table-cell" else None
            if text is None:
                return None
            cells.append(text)
        if display(row) != "table-row" or not cells:
            return None
        grid.append(cells)
    width = max((len(row) for row in grid), default=0)
    return [row + [None] * (width - len(row)) for row in grid] if width > 1 else None


def _track_count(value: str) -> int | None:
    """Columns a ``grid-template-columns`` value makes, or ``None`` when it does not say."""
    tracks, depth, current = [], 0, ""
    for char in re.sub(r"\[[^\]]*\]", " ", value.strip()):
        depth += (char == "(") - (char == ")")
        if char.isspace() and depth == 0:
            tracks, current = tracks + [current] if current else tracks, ""
        else:
            current += char
    tracks += [current] if current else []
    count = 0
    for track in tracks:
        repeat = _REPEAT.match(track)
        if track.lower().startswith("repeat") and not repeat:
            return None  # auto-fill / auto-fit: the page width decides
        inner = _track_count(repeat.group(2)) if repeat else 1
        if inner is None:
            return None
        count += int(repeat.group(1)) * inner if repeat else 1
    return count if 0 < count <= MAX_SPAN else None


def _placement(item: etree._Element, axis: str) -> tuple[int | None, int] | None:
    """(start line, span) of a grid item on ``axis`` (start ``None``: placed automatically), or
    ``None`` when the value is not one read with certainty."""
    found = _PLACE[axis].findall(item.get("style") or "")
    if not found:
        return None, 1
    line = _LINE.match(found[-1])
    if not line:
        return None
    start, span, end, end_span = (int(g) if g else None for g in line.groups())
    if span is not None and (end is not None or end_span is not None):
        return None
    if start is not None and not 0 < start <= MAX_SPAN:
        return None
    if start is not None and end is not None:
        return (start, end - start) if start < end <= start + MAX_SPAN else None
    count = end_span or span or 1
    return (start, count) if 0 < count <= MAX_SPAN else None


def css_grid(element: etree._Element, text_of: TextOf) -> Grid | None:
    """The grid of a ``display:grid`` element, or ``None`` when its cells' places are not certain."""
    found = _COLUMNS.findall(element.get("style") or "")
    width = _track_count(found[-1]) if found else None
    if width is None or width < 2:
        return None
    taken: dict[tuple[int, int], str | None] = {}
    placed = []
    for item in _children(element):
        text, row, column = _cell(item, text_of), _placement(item, "row"), _placement(item, "column")
        if text is None or row is None or column is None or column[1] > width:
            return None
        placed.append((text, row, column))
    explicit = {row[0] is not None and column[0] is not None for _, row, column in placed}
    if len(explicit) > 1 or any((row[0] is None) != (column[0] is None) for _, row, column in placed):
        return None  # some placed, some flowing: CSS's placement rules are not worth guessing
    cursor = (0, 0)
    for text, (row, rowspan), (column, colspan) in placed:
        if row is not None and column is not None:
            at = (row - 1, column - 1)
        else:
            at = _next_free(taken, cursor, rowspan, colspan, width)
            cursor = (at[0], at[1] + colspan)
        if at[1] + colspan > width or not _free(taken, at, rowspan, colspan):
            return None
        for dr in range(rowspan):
            for dc in range(colspan):
                taken[at[0] + dr, at[1] + dc] = None if dr or dc else text
    rows = max((r for r, _ in taken), default=-1) + 1
    return [[taken.get((r, c)) for c in range(width)] for r in range(rows)] if rows else None


def _free(taken: dict[tuple[int, int], str | None], at: tuple[int, int], rowspan: int, colspan: int) -> bool:
    return all((at[0] + dr, at[1] + dc) not in taken for dr in range(rowspan) for dc in range(colspan))


def _next_free(taken: dict[tuple[int, int], str | None], cursor: tuple[int, int], rowspan: int, colspan: int,
               width: int) -> tuple[int, int]:
    """The first place from ``cursor`` on, row by row, where an item of these spans fits."""
    row, column = cursor
    while True:
        if column + colspan > width:
            row, column = row + 1, 0
        elif _free(taken, (row, column), rowspan, colspan):
            return row, column
        else:
            column += 1
