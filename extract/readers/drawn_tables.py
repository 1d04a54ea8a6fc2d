"""Tables drawn with characters in plain text: box drawing (``┌─┬─┐ │ ├─┼─┤ └─┴─┘``, heavy ``┃ ━``
and double ``║ ═`` too) and grid tables (Pandoc / Emacs: ``+---+---+`` rules, ``+===+`` under the
header, ``|`` between cells).

A block of drawn lines is read as a grid on display columns (a wide character takes two). Walls
are the columns where a line has a vertical bar, or a junction beside a rule character; they cut
each line into segments, and a segment of rule characters is a horizontal rule. A segment and the
one below it with no rule between them are one cell (a label wrapped over lines: its lines are
joined); a missing wall merges cells across columns. So merged cells come out as a web page's do:
text in the top-left position, ``None`` under the span (:mod:`extract.layout.grid`).

A table that does not rule its rows (a column with a value on two lines with no rule between them)
is read a line per row, and a line there without any value is a label fragment (its empty cells
could be a wrapped label's as well as a blank row's, so they are not cells). A block whose cells
are not rectangles is not read as a table at all: its numbers are left for the parser to miss,
never to misplace.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from extract.layout.grid import Grid, grid_lines
from extract.parse.values import looks_like_value
from extract.readers.document import Line

_VERTICAL = frozenset("|│┃║╎╏┆┇┊┋")
_HORIZONTAL = frozenset("-=─━═╌╍┄┅┈┉")
_ALIGN = ":"
_WIDE = "\0"  # the second display column of a wide character
_MIN_COLUMNS = 2


def _is_junction(char: str) -> bool:
    return char == "+" or ("\u2500" <= char <= "\u257f" and char not in _VERTICAL and char not in _HORIZONTAL)


def _is_frame(char: str) -> bool:
    return char in _VERTICAL or char in _HORIZONTAL or _is_junction(char)


def _is_rule_line(text: str) -> bool:
    """A line that is only a rule: junctions and rule characters (``+---+``, ``├──┼──┤``)."""
    body = text.strip()
    return (len(body) >= 3 and _is_junction(body[0]) and _is_junction(body[-1])
            and all(_is_frame(c) or c == _ALIGN for c in body) and any(c in _HORIZONTAL for c in body))


def _is_drawn_line(text: str) -> bool:
    body = text.strip()
    return len(body) >= 2 and _is_frame(body[0]) and _is_frame(body[-1])


def _canvas(text: str) -> list[str]:
    """The line's characters by display column (a wide character, then :data:`_WIDE`)."""
    out: list[str] = []
    for char in text.rstrip():
        out.append(char)
        if unicodedata.east_asian_width(char) in "WF":
            out.append(_WIDE)
    return out


def drawn_blocks(raws: list[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each block of drawn lines holding a rule line and a line of cells."""
    index = 0
    while index < len(raws):
        if not _is_drawn_line(raws[index]):
            index += 1
            continue
        end = index
        while end < len(raws) and _is_drawn_line(raws[end]):
            end += 1
        block = raws[index:end]
        rules = sum(map(_is_rule_line, block))
        if rules >= 2 and rules < len(block):
            yield index, end
        index = end


def _walls(canvas: list[list[str]]) -> list[int]:
    """The display columns of the block's walls."""
    walls: set[int] = set()
    for row in canvas:
        for x, char in enumerate(row):
            beside = (row[x - 1] if x else "", row[x + 1] if x + 1 < len(row) else "")
            if char in _VERTICAL or (_is_junction(char) and (any(b in _HORIZONTAL for b in beside) or "" in beside)):
                walls.add(x)
    return sorted(walls)


class _Cells:
    """Union-find over (line, column) segments."""

    def __init__(self) -> None:
        self.parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(self, key: tuple[int, int]) -> tuple[int, int]:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        self.parent[self.find(a)] = self.find(b)


def _segment(row: list[str], left: int, right: int) -> str:
    return "".join(row[left + 1:right]).replace(_WIDE, "")


def _is_rule(segment: str) -> bool:
    return bool(segment) and all(c in _HORIZONTAL or c == _ALIGN for c in segment) and \
        any(c in _HORIZONTAL for c in segment)


def _is_wall(row: list[str], x: int) -> bool:
    return x < len(row) and (row[x] in _VERTICAL or _is_junction(row[x]))


def read_drawn(raws: list[str], first_line_no: int, page: int | None = None) -> list[Line] | None:
    """The rows of one drawn block (:func:`drawn_blocks`) whose first line is ``first_line_no``,
    or ``None`` when its cells are not rectangles (the block is then not a table)."""
    canvas = [_canvas(text) for text in raws]
    walls = _walls(canvas)
    if len(walls) < _MIN_COLUMNS + 1:
        return None
    columns = range(len(walls) - 1)
    text = {(y, j): _segment(row, walls[j], walls[j + 1]) for y, row in enumerate(canvas) for j in columns}
    cells = _Cells()
    for (y, j), segment in text.items():
        if _is_rule(segment):
            continue
        cells.find((y, j))
        if j + 1 in columns and not _is_wall(canvas[y], walls[j + 1]):
            if _is_rule(text[y, j + 1]):
                return None  # a cell running into a rule without a wall: not a drawing read with certainty
            cells.union((y, j), (y, j + 1))
        if y + 1 < len(canvas) and not _is_rule(text[y + 1, j]):
            cells.union((y, j), (y + 1, j))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key in cells.parent:
        groups.setdefault(cells.find(key), []).append(key)
    boxes = [_box(members) for members in groups.values()]
    if any(box is None for box in boxes):
        return None
    ruled = [b for b in boxes if b is not None]
    pieces = {box: _box_lines(box, canvas, walls) for box in ruled}
    if any(sum(map(looks_like_value, lines)) > 1 for lines in pieces.values()):
        return _line_rows(canvas, walls, first_line_no, page)
    return _grid_rows(pieces, len(walls) - 1, first_line_no, page)


_Box = tuple[int, int, int, int]  # top line, bottom line, first column, last column


def _box(members: list[tuple[int, int]]) -> _Box | None:
    """The rectangle a cell's segments fill, or ``None`` when they do not fill one."""
    ys = [y for y, _ in members]
    js = [j for _, j in members]
    box = (min(ys), max(ys), min(js), max(js))
    area = (box[1] - box[0] + 1) * (box[3] - box[2] + 1)
    return box if area == len(set(members)) else None


def _box_lines(box: _Box, canvas: list[list[str]], walls: list[int]) -> list[str]:
    """A cell's text on each of its lines (what is between its outer walls, merged walls included)."""
    top, bottom, first, last = box
    return [_segment(canvas[y], walls[first], walls[last + 1]).strip() for y in range(top, bottom + 1)]


def _grid_rows(pieces: dict[_Box, list[str]], width: int, first_line_no: int, page: int | None) -> list[Line]:
    """One Line per row of cells (its lines joined); a cell over several rows or columns is ``None``
    under its span."""
    starts = sorted({box[0] for box in pieces})
    grid: Grid = [[None] * width for _ in starts]
    for box, lines in pieces.items():
        grid[starts.index(box[0])][box[2]] = "\n".join(line for line in lines if line)
    out: list[Line] = []
    for row, start in zip(grid, starts, strict=True):
        out += grid_lines([row], page, "text", first_line_no + start)
    return out


def _line_rows(canvas: list[list[str]], walls: list[int], first_line_no: int, page: int | None) -> list[Line]:
    """A table that does not rule its rows: each line a row, its cells between its own walls; a line
    printing no value is a label fragment (its non-empty cells only)."""
    lines: list[Line] = []
    for y, row in enumerate(canvas):
        own = [x for x in walls if _is_wall(row, x)]
        pieces = [_segment(row, a, b).strip() for a, b in zip(own, own[1:], strict=False)]
        if not pieces or all(_is_rule(p) or not p for p in pieces):
            continue
        if not any(looks_like_value(p) for p in pieces):
            pieces = [p for p in pieces if p]
        text = "\t".join(pieces)
        lines.append(Line(text, first_line_no + y, page, tuple(pieces), "text"))
    return lines
