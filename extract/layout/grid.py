"""Table grids (rows of cells, ``None`` where a merged cell continues) → Lines.

PDF, HTML and Word readers all produce grids in which a merged cell's text
sits in its top-left position and every other position it covers is
``None``, so merged text is never repeated into value cells.

A small file can ask for a huge grid (one cell with ``colspan=100000000``), so
the grid a table may expand to is limited before anything is allocated: see
:data:`MAX_SPAN`, :data:`MAX_TABLE_POSITIONS` and :data:`MAX_DOCUMENT_POSITIONS`.
Going over a limit is the reader error ``too_large``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.readers.document import Line
from extract.readers.errors import ReaderError

Grid = list[list[str | None]]

MAX_SPAN = 1000
"""Most rows or columns one cell may span (HTML's own cap for ``colspan``); more is ``too_large``."""
MAX_TABLE_POSITIONS = 100_000
"""Most grid positions one table may expand to (a real report's table has a few hundred to ~2,000)."""
MAX_DOCUMENT_POSITIONS = 500_000
"""Most grid positions all tables of one document may expand to (many small tables add up)."""

_NUMBER = re.compile(r"\s*\+?0*([0-9]+)")

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


def span_value(text: str | None, default: int, what: str) -> int:
    """A span or skip count from markup: its leading whole number, at least ``default``.

    Missing, non-numeric or smaller values are ``default`` (1 for a span, 0 for skipped
    columns); a value over :data:`MAX_SPAN` is ``too_large``.
    """
    found = _NUMBER.match(text or "")
    if not found:
        return default
    digits = found.group(1)
    if len(digits) > len(str(MAX_SPAN)) or int(digits) > MAX_SPAN:
        shown = digits if len(digits) <= 20 else digits[:20] + "…"
        raise ReaderError("too_large", f"a table cell has {what} {shown}, over the limit of {MAX_SPAN} per cell")
    return max(int(digits), default)


class GridBudget:
    """Grid positions one document's tables have used, against the per-table and per-document limits."""

    def __init__(self) -> None:
        self.used = 0

    def check(self, positions: int) -> None:
        """Raise ``too_large`` if a table of ``positions`` would go over a limit (nothing is counted)."""
        if positions > MAX_TABLE_POSITIONS:
            raise ReaderError("too_large", f"a table would expand to {positions:,} cell positions, over the "
                              f"limit of {MAX_TABLE_POSITIONS:,} per table")
        if self.used + positions > MAX_DOCUMENT_POSITIONS:
            raise ReaderError("too_large", f"the document's tables would expand to {self.used + positions:,} "
                              f"cell positions, over the limit of {MAX_DOCUMENT_POSITIONS:,} per document")

    def spend(self, positions: int) -> None:
        """Check, then count a table of ``positions``."""
        self.check(positions)
        self.used += positions


def expand_spans(rows: Sequence[Sequence[tuple[str, int, int]]], budget: GridBudget | None = None) -> Grid:
    """Rows of (text, rowspan, colspan) cells → a grid with ``None`` under spans.

    Spans below 1 count as 1; a rowspan past the last row stops there. The cells' area is
    checked against ``budget`` (a fresh one if not given) before anything is allocated,
    and the finished rectangle (rows × widest row) is counted in it.
    """
    if budget is None:
        budget = GridBudget()
    spans = [[(min(max(rowspan, 1), len(rows) - r), max(colspan, 1)) for _, rowspan, colspan in row]
             for r, row in enumerate(rows)]
    budget.check(sum(rowspan * colspan for row in spans for rowspan, colspan in row))
    taken: dict[tuple[int, int], str | None] = {}
    for r, row in enumerate(rows):
        c = 0
        for (text, _, _), (rowspan, colspan) in zip(row, spans[r], strict=True):
            while (r, c) in taken:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.setdefault((r + dr, c + dc), None if dr or dc else text)
            c += colspan
    width = max((c for _, c in taken), default=-1) + 1
    budget.spend(len(rows) * width)
    return [[taken.get((r, c)) for c in range(width)] for r in range(len(rows))]


def grid_lines(grid: Grid, page: int | None, method: str, first_line_no: int,
               confidence: list[list[float | None]] | None = None) -> list[Line]:
    """One Line per grid row. A row whose only text spans the whole row is running text.

    ``confidence`` (OCR): the engine's confidence of each grid position, kept with its cell.
    """
    lines: list[Line] = []
    for r, row in enumerate(grid):
        cells = [clean_cell(c) for c in row]
        real = [c for c in cells if c is not None]
        confidences = None if confidence is None else \
            tuple(conf for c, conf in zip(cells, confidence[r], strict=True) if c is not None)
        filled = [c for c in real if c]
        if not filled:
            continue
        number = first_line_no + len(lines)
        text = " ".join(filled)
        if len(real) == 1 or (len(filled) == 1 and len(row) > 1 and all(c is None or c == filled[0] for c in cells)):
            lines.append(Line(text, number, page, None, method))
        else:
            lines.append(Line("\t".join(real), number, page, tuple(real), method, confidences=confidences))
    return lines


def text_lines(texts: Sequence[str], page: int | None, method: str, first_line_no: int) -> list[Line]:
    """Running text → Lines without cells (empty lines dropped)."""
    lines: list[Line] = []
    for text in texts:
        text = text.strip()
        if text:
            lines.append(Line(text, first_line_no + len(lines), page, None, method))
    return lines
