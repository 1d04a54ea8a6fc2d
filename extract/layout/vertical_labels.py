"""Label pieces of one layout-text row, and group labels printed one character a line.

A group label set vertically beside its sub-rows (``三、`` / ``本`` / ``年`` / ``度`` …) leaves one
character on each row's line; those characters belong to the group, never to the row whose line
they are on (:func:`vertical_columns`, :func:`order_labels`). Used by :mod:`extract.layout.columns`.
"""

from __future__ import annotations

import re

from extract.layout.label_area import SPREAD_GAP, glue_value_like
from extract.layout.sparse import STARTS_LABEL
from extract.parse.values import looks_like_value

Pending = list[tuple[str, int]]
"""Label pieces (text, start column) printed since the last row, not yet given to a row."""
COLUMN_SLACK = 2
"""Columns this close are one column."""
_VERTICAL_MIN = 3
_VERTICAL_GAP = 3


def text_pieces(text: str) -> list[tuple[str, int]]:
    """Pieces of text separated by two or more spaces, with their start columns."""
    return [(m.group(), m.start()) for m in re.finditer(r"\S+(?: \S+)*", text)]


def order_labels(pending: Pending, own: Pending, vertical: list[int],
                 sub_labels: Pending | None = None) -> list[tuple[str, int, bool]]:
    """The label pieces of one row: (text, start column, carried from the lines above).

    Carried pieces come first: those in another column than the row's label
    (a group label cut into pieces: ``（六）其`` / ``他处理``), then those in its
    column (the same label wrapped over lines), then the row's own. The
    characters of a label printed one a line (:func:`vertical_columns`) belong
    to the group, never to the row: they come first, and the row's label column
    is the one of its other pieces. When the row's own label is the group's
    piece (``无法提`` of ``（四）`` / ``无法提`` / ``供``), the carried pieces right of
    it that may be a sub-label (``sub_labels``: of label lines, not a header's,
    in a column where rows' own labels start), from the first that starts a label
    (``2.没有现成信息需要另``), come after it.
    """
    if not own and not pending:
        return []
    stacked = [piece for piece in own if in_vertical(piece, vertical)]
    upright = [piece for piece in own if piece not in stacked]
    anchor = upright or [p for p in pending if not in_vertical(p, vertical)] or own or pending
    column = anchor[-1][1]
    same = [p for p in pending if abs(p[1] - column) <= COLUMN_SLACK and not in_vertical(p, vertical)]
    right = [p for p in sub_labels or [] if upright and p not in same and not in_vertical(p, vertical)
             and p[1] > column + COLUMN_SLACK]
    # from the first that starts a label: those before are the tail of the row above's (``政府信息``)
    right = right[next((n for n, p in enumerate(right) if STARTS_LABEL.match(p[0])), len(right)):]
    other = [p for p in pending if p not in same and p not in right]
    return glue_value_like([(*p, True) for p in other + stacked + same] + [(*p, False) for p in upright]
                           + [(*p, True) for p in right], COLUMN_SLACK)


def _one_character(text: str) -> bool:
    """One CJK character, perhaps with its numbering's punctuation (``三、``)."""
    core = text.strip().strip("、.．（）()")
    return len(core) == 1 and "\u4e00" <= core <= "\u9fff" and not looks_like_value(text)


def in_vertical(piece: tuple[str, int], vertical: list[int]) -> bool:
    return _one_character(piece[0]) and any(abs(piece[1] - column) <= COLUMN_SLACK for column in vertical)


def _spread_on(line: Pending, n: int) -> bool:
    """Whether piece ``n`` of a line's label pieces is the first character of a label spread a
    character apart (``行  政 许  可``, ``信   息   内   容``): the next piece starts with one CJK
    character a gap away at most :data:`~extract.layout.label_area.SPREAD_GAP` spaces wide."""
    if n + 1 >= len(line):
        return False
    (text, column), (after, start) = line[n], line[n + 1]
    head = after.split(" ")[0]
    return start - column - len(text) <= SPREAD_GAP and _one_character(head)


def _label_part(text: str) -> str:
    """``text`` without the values it ends in."""
    tokens = text.rstrip().split(" ")
    while tokens and (not tokens[-1] or looks_like_value(tokens[-1])):
        tokens.pop()
    return " ".join(tokens)


def vertical_columns(texts: list[str]) -> list[int]:
    """Columns holding a label printed one character a line (``三、`` / ``本`` / ``年`` / ``度`` …,
    a group label set vertically beside its sub-rows): at least :data:`_VERTICAL_MIN` one-character
    pieces in one column, each within :data:`_VERTICAL_GAP` lines of the one before."""
    labels = [[p for p in text_pieces(_label_part(text)) if not looks_like_value(p[0])] for text in texts]
    pieces = [(column, index, _one_character(piece) and not _spread_on(line, n)) for index, line in enumerate(labels)
              for n, (piece, column) in enumerate(line)]
    hits = sorted((column, index) for column, index, one in pieces if one)
    found: list[int] = []
    for column, _ in hits:
        if any(abs(column - seen) <= COLUMN_SLACK for seen in found):
            continue
        # a longer label piece starting in the column between two of its characters (the tail of a
        # label wrapped over lines: 案 of 7.属于行政执法 / 案) breaks the run
        lines = sorted((index, one) for c, index, one in pieces if abs(c - column) <= COLUMN_SLACK)
        run = best = int(lines[0][1])
        for (a, _), (b, one) in zip(lines, lines[1:], strict=False):
            run = 0 if not one else run + 1 if b - a <= _VERTICAL_GAP else 1
            best = max(best, run)
        if best >= _VERTICAL_MIN:
            found.append(column)
    return found
