"""Rows of layout text whose values a converter printed on two lines with label lines between.

``pdftotext -layout`` of a browser's print sets a row with a label wrapped over several lines as
``信息需要另行 5`` / ``提供    制作`` / ``1  0  3  0  0  9``: its first value beside one line of
the label, the others two lines below. :func:`~extract.layout.sparse.join_split_rows` joins two
adjacent lines; this joins the two parts across the label lines between them, when:

* the lower part prints no label of its own (only the pieces of the lines between), both parts
  are in one band, within :data:`GAP_LINES`, and the upper part's values lie left of the lower's;
* together they print as many values as a fuller row of the band (:data:`JOINED_MIN` or more),
  the lower part's in that row's last columns (the upper part's are set against its label);
* the upper part prints a number other than 0, so that the row's 总计 verifies the join (the
  joined row is ``inferred``: the parser stores it only if its 总计 is the sum of its parts);
* the pieces between begin no label in the upper part's label column, or they do and the next
  row prints that label's tail beside its values (``5.属于三类内部事`` / ``务信息  17 0 …``): those
  pieces then go to the next row, the others to the joined one.
"""

from __future__ import annotations

import re
from decimal import Decimal

from extract.layout.sparse import ValueRow, _align, _tolerance
from extract.parse.values import parse_value

GAP_LINES = 4
"""Most lines from the upper part to the lower."""
JOINED_MIN = 5
"""Values the joined row must have (a row with a 总计: 表三's seven, a 表四 block's five)."""
SLACK = 2
"""Characters within which two label pieces start in one column."""
_STARTS_LABEL = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")

Piece = tuple[str, int, bool]
"""A label piece: text, start column, carried from a line above the row."""


def set_pieces(row: ValueRow, pieces: list[Piece]) -> None:
    """Give ``row`` these label pieces (carried ones first; ``lead`` counts those before its own)."""
    row.labels = [text for text, _, _ in pieces]
    row.lead = next((n for n, (*_, carried) in enumerate(pieces) if not carried), len(pieces))  # the leading ones


def join_over_label_lines(rows: list[ValueRow], pieces: dict[int, list[Piece]]) -> list[ValueRow]:
    """``rows`` with each lower part joined to its upper one (see the module); ``pieces``: each row's
    label pieces by its line index, kept up to date. The lower part is marked ``joined`` and left out."""
    kept: list[ValueRow] = []
    for n, row in enumerate(rows):
        above = kept[-1] if kept else None
        after = rows[n + 1] if n + 1 < len(rows) else None
        if above is not None and _known(above, pieces) and _known(row, pieces) and _parts(above, row, rows) \
                and _join(above, row, after, pieces):
            continue
        kept.append(row)
    return kept


def _known(row: ValueRow, pieces: dict[int, list[Piece]]) -> bool:
    """Whether ``pieces`` still holds the row's labels (not changed by an earlier join)."""
    return [text for text, _, _ in pieces.get(row.index, [])] == row.labels


def _parts(above: ValueRow, row: ValueRow, rows: list[ValueRow]) -> bool:
    if row.joined or above.joined or row.band != above.band or not 2 <= row.index - above.index <= GAP_LINES:
        return False
    if row.lead != len(row.labels) or max(above.centres) >= min(row.centres):
        return False
    if not any((parse_value(v).value or Decimal(0)) != 0 for v in above.values):
        return False  # a part of zeros: the 总计 would not tell a joined row from two rows
    count = len(above.values) + len(row.values)
    if count < JOINED_MIN:
        return False
    fuller = [r for r in rows if r.band == row.band and len(r.values) == count and r is not above and r is not row]
    return any(_align(row, r.centres[-len(row.values):], _tolerance(r.centres)) is not None for r in fuller)


def _join(above: ValueRow, row: ValueRow, after: ValueRow | None, pieces: dict[int, list[Piece]]) -> bool:
    mine = pieces.get(above.index, [])
    column = mine[-1][1] if mine else None
    between = pieces.get(row.index, [])
    cut = next((i for i, (text, start, _) in enumerate(between)
                if column is not None and abs(start - column) <= SLACK and _STARTS_LABEL.match(text)), len(between))
    keep, passed = between[:cut], between[cut:]
    if passed:
        if after is None or after.band != row.band or after.index - row.index > GAP_LINES:
            return False
        theirs = pieces.get(after.index, [])
        own = [text for text, _, carried in theirs if not carried]
        if not own or any(_STARTS_LABEL.match(text) for text in own):
            return False  # the next row begins its own label: the pieces between are this row's
        pieces[after.index] = [(text, start, True) for text, start, _ in passed] + theirs
        set_pieces(after, pieces[after.index])

    def same(piece: Piece) -> bool:
        return column is not None and abs(piece[1] - column) <= SLACK

    carried = [p for p in mine if p[2]]
    joined = ([p for p in carried if not same(p)] + [(t, s, True) for t, s, _ in keep if not same((t, s, True))]
              + [p for p in carried if same(p)] + [p for p in mine if not p[2]]
              + [(t, s, False) for t, s, _ in keep if same((t, s, False))])
    pieces[above.index] = joined
    set_pieces(above, joined)
    above.values, above.centres, above.inferred = above.values + row.values, above.centres + row.centres, True
    row.joined = True
    return True
