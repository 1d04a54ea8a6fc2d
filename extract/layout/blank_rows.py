"""Rows of layout text that print no value at all: a label between two rows, every cell blank.

A table that prints its zeros as blank cells prints a row of zeros as its label alone
(``7.属于行政执法案卷`` with nothing beside it, or wrapped: ``7.属于行`` / ``政执法案`` / ``卷``).
Such a label is a row of blanks only when it is closed: the next label below it starts (a
sub-row or group number) in its own column or to its right before any value is printed, so no
value line can still belong to it. Its pieces are those of its column from its start to that
next label. The caller keeps such a row only in a band whose other rows print blank cells
(:mod:`extract.layout.sparse` placed them by their positions), and the parser only when its
label names a template row; else its pieces are label fragments as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.layout.sparse import STARTS_LABEL

_COLUMN_SLACK = 2


@dataclass(frozen=True)
class Piece:
    """A label piece printed since the last value row: its text, start column and text line."""

    text: str
    column: int
    line: int


@dataclass(frozen=True)
class BlankRow:
    """A closed label with no values: its text, the line it starts on, the line that closes it,
    and the indices of its pieces among the pending ones."""

    label: str
    line: int
    before: int
    pieces: tuple[int, ...]


def closed_labels(pending: list[Piece], own: list[tuple[str, int]], row_line: int,
                  vertical: set[int]) -> list[BlankRow]:
    """The closed labels among ``pending`` (the pieces printed since the last value row, in print
    order) before the value row on line ``row_line`` whose own label pieces are ``own``.
    ``vertical``: indices of pieces of a label printed one character a line (never a row's label)."""
    starts = [i for i, p in enumerate(pending) if i not in vertical and p.line >= 0 and STARTS_LABEL.match(p.text)]
    closers = [(p.column, p.line) for i, p in enumerate(pending) if i in starts]
    if own and STARTS_LABEL.match(own[0][0]):
        closers.append((own[0][1], row_line))
    found: list[BlankRow] = []
    taken: set[int] = set()
    for start in starts:
        head = pending[start]
        close = next((line for column, line in closers
                      if line > head.line and column >= head.column - _COLUMN_SLACK), None)
        if close is None:
            continue
        pieces = tuple(i for i, p in enumerate(pending)
                       if i not in vertical and i not in taken and head.line <= p.line < close
                       and abs(p.column - head.column) <= _COLUMN_SLACK
                       and (i == start or not STARTS_LABEL.match(p.text)))
        taken.update(pieces)
        found.append(BlankRow("".join(pending[i].text for i in pieces), head.line, close, pieces))
    return found
