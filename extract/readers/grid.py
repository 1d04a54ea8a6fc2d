"""Table grids (rows of cells, ``None`` where a merged cell continues) → Lines.

PDF, HTML and Word readers all produce grids in which a merged cell's text
sits in its top-left position and every other position it covers is
``None``, so merged text is never repeated into value cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.document import Line

Grid = list[list[str | None]]

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_BREAK_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s*\n\s*|\s*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def clean_cell(text: str | None) -> str | None:
    """A cell's text on one line: line breaks inside Chinese text vanish, others become spaces."""
    if text is None:
        return None
    text = text.replace("\r", "\n").replace("\u200b", "")
    text = _BREAK_BETWEEN_CJK.sub("", text)
    text = _SPACES.sub(" ", text.replace("\n", " "))
    return text.strip()


def expand_spans(rows: Sequence[Sequence[tuple[str, int, int]]]) -> Grid:
    """Rows of (text, rowspan, colspan) cells → a grid with ``None`` under spans."""
    taken: dict[tuple[int, int], str | None] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            for dr in range(max(rowspan, 1)):
                for dc in range(max(colspan, 1)):
                    taken.setdefault((r + dr, c + dc), None if dr or dc else text)
            c += max(colspan, 1)
    width = max((c for _, c in taken), default=-1) + 1
    return [[taken.get((r, c)) for c in range(width)] for r in range(len(rows))]


def grid_lines(grid: Grid, page: int | None, method: str, first_line_no: int) -> list[Line]:
    """One Line per grid row. A row whose only text spans the whole row is running text."""
    lines: list[Line] = []
    for row in grid:
        cells = [clean_cell(c) for c in row]
        real = [c for c in cells if c is not None]
        filled = [c for c in real if c]
        if not filled:
            continue
        number = first_line_no + len(lines)
        text = " ".join(filled)
        if len(real) == 1 or (len(filled) == 1 and len(row) > 1 and all(c is None or c == filled[0] for c in cells)):
            lines.append(Line(text, number, page, None, method))
        else:
            lines.append(Line("\t".join(real), number, page, tuple(real), method))
    return lines


def text_lines(texts: Sequence[str], page: int | None, method: str, first_line_no: int) -> list[Line]:
    """Running text → Lines without cells (empty lines dropped)."""
    lines: list[Line] = []
    for text in texts:
        text = text.strip()
        if text:
            lines.append(Line(text, first_line_no + len(lines), page, None, method))
    return lines
