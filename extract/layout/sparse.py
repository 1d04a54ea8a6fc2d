"""Rows of layout text that print fewer values than the table has columns: blank cells.

A blank cell leaves no token in layout text, so a row ``1    3    8`` under seven columns
says only by the positions of its values which columns they are in. Two references give
the columns, tried in turn; the row's values are placed in a reference's columns when each
lies inside exactly one column's span, no two in one column, in order (:func:`_span_place`; the
row is then ``inferred``, its cells' placement ``column_positions``):

1. **The table's columns**: the value positions of every row of its band (the rows between
   two lines that reach over the value columns: header lines, headings, prose), clustered.
   A table whose zeros are printed blank may have no row with every column filled; together
   its rows still show every column. The clusters are used only when they are tight (no
   cluster wider than the narrowest column spacing any row prints) and the row's values
   fall in distinct clusters, in order; and only for rows printing fewer values than the
   band's fullest row (a column more than that row prints is positions set ragged).
2. **A fuller row** of the same segment nearby (segments are cut at header lines, headings
   and prose), the nearest first.

A row that lines up with neither keeps its values as printed; the table parser reports it
if it cannot place them. Never a guess: a value between two columns places nothing, and a row
whose last column (总计) would be blank is not placed while the value line below it may hold the
rest of its values (a blank 总计 verifies nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.parse.values import looks_like_value

_WINDOW = 40
"""Lines within which a fuller row is a reference."""
_MIN_SUPPORT = 2
"""Values a position needs to be a column of the band (of three rows or more)."""
_MIN_TOLERANCE = 1.5
"""Characters: the least distance within which a value is in a column."""


@dataclass
class ValueRow:
    """A layout-text line that ends in values: its label pieces, values and their centres."""

    index: int
    labels: list[str]
    lead: int
    values: list[str]
    centres: list[float]
    segment: int
    band: int
    inferred: bool = False
    joined: bool = False  # its values went to the row above (:func:`join_split_rows`)
    unsure: bool = False  # its label may be above or below it (:mod:`extract.layout.label_side`)
    heading: list[str] = field(default_factory=list)  # a block heading above a row read with its label below


def _tolerance(centres: list[float]) -> float:
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    return max(_MIN_TOLERANCE, min(gaps) / 2) if gaps else 3.0


def _align(row: ValueRow, columns: list[float], tolerance: float) -> list[str] | None:
    """``row``'s values placed in ``columns``, or ``None`` if they do not line up."""
    placed: list[str] = [""] * len(columns)
    last = -1
    for value, centre in zip(row.values, row.centres, strict=True):
        nearest = min(range(len(columns)), key=lambda i: abs(columns[i] - centre))
        if nearest <= last or abs(columns[nearest] - centre) > tolerance:
            return None
        placed[nearest] = value
        last = nearest
    return placed


_SURE = 3
"""A value is in an inner column when it lies within a third of the spacing to each neighbour
(``1/_SURE``): nearer the middle between two columns, it is in neither."""


def _span_place(row: ValueRow, columns: list[float]) -> list[str] | None:
    """``row``'s values placed in the columns whose spans hold them, or ``None``.

    A column's span reaches a third of the way to each neighbour: a value in the middle third
    between two columns is in neither. The first column's span reaches a whole column spacing to
    its left, the last's to its right (a value set off the table's edge, as ``pdftotext -layout``
    sets the first value of a line after a long label, has no other column it can be in). Each
    value must be in one span, no two in one column, in order."""
    if len(columns) < 2:
        return None
    placed: list[str] = [""] * len(columns)
    last = -1
    for value, centre in zip(row.values, row.centres, strict=True):
        inside = [i for i in range(len(columns)) if _in_span(columns, i, centre)]
        if len(inside) != 1 or inside[0] <= last:
            return None
        placed[inside[0]] = value
        last = inside[0]
    return placed


def _in_span(columns: list[float], i: int, centre: float) -> bool:
    left = columns[i] - columns[i - 1] if i else columns[1] - columns[0]
    right = columns[i + 1] - columns[i] if i + 1 < len(columns) else columns[i] - columns[i - 1]
    low = columns[i] - (left if i == 0 else left / _SURE)
    high = columns[i] + (right if i + 1 == len(columns) else right / _SURE)
    return low < centre < high


def _clusters(rows: list[ValueRow], tolerance: float) -> list[list[float]]:
    clusters: list[list[float]] = []
    for centre in sorted(c for r in rows for c in r.centres):
        if clusters and centre - clusters[-1][-1] <= tolerance:
            clusters[-1].append(centre)
        else:
            clusters.append([centre])
    return clusters


def _nearest(columns: list[float], centre: float) -> int:
    return min(range(len(columns)), key=lambda i: abs(columns[i] - centre))


def _merge_unproven(clusters: list[list[float]], rows: list[ValueRow]) -> list[list[float]]:
    """Neighbouring clusters no row prints a value in both of are one column printed ragged
    (numbers of different widths set left or right): merged."""
    while len(clusters) > 1:
        columns = [sum(c) / len(c) for c in clusters]
        together = set()
        for row in rows:
            hit = {_nearest(columns, c) for c in row.centres}
            together |= {i for i in hit if i + 1 in hit}
        lone = next((i for i in range(len(clusters) - 1) if i not in together), None)
        if lone is None:
            break
        clusters = [*clusters[:lone], clusters[lone] + clusters[lone + 1], *clusters[lone + 2:]]
    return clusters


def band_columns(rows: list[ValueRow]) -> list[float] | None:
    """The columns of a band's rows: their value centres clustered, or ``None`` when the
    clusters are not tight (values between columns, rows of tables with other columns). A
    position no other row of a band of three or more shares (a value pushed aside by a long
    label) is no column: its row is left out of the clustering. Two clusters are two columns
    only if some row prints a value in each. A band of two rows shows no more columns than its
    fuller row prints: with no third row, a ragged position has nothing to support it."""
    spaced = [r.centres for r in rows if len(r.centres) > 1]
    if not spaced:
        return None
    tolerance = min(_tolerance(c) for c in spaced)
    few = len(rows) < _MIN_SUPPORT + 1
    if not few:
        lone = {c[0] for c in _clusters(rows, tolerance) if len(c) < _MIN_SUPPORT}
        rows = [r for r in rows if not lone.intersection(r.centres)]
    clusters = _merge_unproven(_clusters(rows, tolerance), rows) if rows else []
    if not clusters or any(sorted(c)[-1] - sorted(c)[0] > 2 * tolerance for c in clusters):
        return None  # positions spread wider than a column: two columns, or values between them
    if few and len(clusters) > max(len(r.values) for r in rows):
        return None  # two rows set ragged (296 … 30 348 over 3 … 4 37): no position has support
    return [sum(c) / len(c) for c in clusters]


def fill_sparse(rows: list[ValueRow], carried: list[ValueRow] | None = None, texts: list[str] | None = None) -> None:
    """Give each row with fewer values than its table's columns empty cells where its blanks are.
    ``carried``: rows of the page before, in band 0's table (only their positions are used): they
    add the columns no row of band 0 fills, if together they are tight and no more than one row
    prints (a page laid out anew, as ``pdftotext -layout`` does, puts its columns elsewhere).
    ``texts``: the page's lines (``row.index`` indexes them), for :func:`_printed_in_blanks`."""
    bands = {band: band_columns([r for r in rows if r.band == band]) for band in {r.band for r in rows}}
    if carried and 0 in bands:
        first = [*carried, *(r for r in rows if r.band == 0)]
        joined = band_columns(first)
        if joined is not None and len(bands[0] or []) < len(joined) <= max(len(r.values) for r in first):
            bands[0] = joined
    fullest = {band: max(len(r.values) for r in rows if r.band == band) for band in bands}
    # the next value line, label lines between skipped (``4.保护第三方合法 0`` / ``权益`` / six values)
    following = {r.index: n for r, n in zip(rows, rows[1:], strict=False)}
    for row in rows:
        after = following.get(row.index)
        columns = bands.get(row.band)
        # the band's fullest rows keep their values: a column more than they print is ragged positions
        fills = bool(columns) and len(row.values) < min(len(columns), fullest[row.band])
        references = [columns] if fills else []
        fuller = [r for r in rows if len(r.values) > len(row.values) and r.segment == row.segment
                  and abs(r.index - row.index) <= _WINDOW]
        references += [r.centres for r in sorted(fuller, key=lambda r: (abs(r.index - row.index), -len(r.values)))]
        for reference in references:
            placed = _span_place(row, reference)
            if placed is None or (placed[-1] == "" and after is not None and _goes_on(row, after)):
                continue
            if texts is None or not (_printed_in_blanks(row, placed, reference, texts, after)
                                     or _unlabelled_beside(row, placed, reference, rows)):
                row.values, row.centres, row.inferred = placed, list(reference), True
                break


def _unlabelled_beside(row: ValueRow, placed: list[str], columns: list[float], rows: list[ValueRow]) -> bool:
    """Whether the line just above or below ``row``, in its band, is a value line with no label that
    prints a value in a column ``placed`` leaves blank: the row's values went to two lines (numbers set
    smaller than the label and aligned to the top of the cell: ``339   308`` over ``行政许可   增2``),
    so its blanks are no blanks. It is not placed (a row of 表二 has no 总计 to verify a join). So with a
    line whose label starts none and that prints values only where ``row``, printing no label of its own,
    leaves blanks (``１２ … １２`` over ``纳费用、行政机关不再处理其政  １ ３ ０ ０ ０``: a row set on two lines;
    its blanks would make 12 the sum of 12)."""
    blank = [i for i, value in enumerate(placed) if value == ""]

    def in_blanks(centre: float) -> bool:
        return any(_in_span(columns, i, centre) for i in blank)

    def continues(other: ValueRow) -> bool:  # a label's next line beside the rest of a row printing no label
        return len(row.labels) == row.lead and all(map(in_blanks, other.centres)) \
            and not STARTS_LABEL.match(other.labels[-1])

    return any(other.band == row.band and abs(other.index - row.index) == 1 and any(map(in_blanks, other.centres))
               and (not other.labels or continues(other))
               for other in rows)


_BELOW = 2
"""Text lines below a row (before the next value line) that may hold the rest of its values."""
_TOKEN = re.compile(r"\S+")


def _printed_in_blanks(row: ValueRow, placed: list[str], columns: list[float], texts: list[str],
                       after: ValueRow | None) -> bool:
    """Whether a value-like token lies in a column ``placed`` leaves blank: on the row's own line
    outside its values (``行政规范性文件   183  站  239  24``: ``183`` read into the label), or, right of
    the row's last value, on a text line just below it (``0 :3``: the rest of the row, which stamp
    characters made a text line). Such a blank is no blank: the row is not placed."""
    blank = [i for i, value in enumerate(placed) if value == ""]
    last = max(i for i, value in enumerate(placed) if value) if any(placed) else -1
    until = min(after.index if after is not None else len(texts), row.index + 1 + _BELOW, len(texts))
    for index in range(row.index, until):
        for token in _TOKEN.finditer(texts[index]):
            centre = (token.start() + token.end()) / 2
            if (index == row.index and centre in row.centres) or not looks_like_value(token.group()):
                continue
            if any(_in_span(columns, i, centre) for i in blank if index == row.index or i > last):
                return True
    return False


def _goes_on(row: ValueRow, after: ValueRow) -> bool:
    """Whether the next value line below ``row`` (label lines between skipped) may hold the rest of
    its values: it starts no label and prints only right of ``row``'s last value. ``row`` is then not
    placed with a blank last column (a blank 总计 verifies nothing: ``0`` beside six blanks sums to
    it while the rest of the row is on the next line)."""
    starts = bool(after.labels) and bool(STARTS_LABEL.match(after.labels[-1]))
    return after.band == row.band and not starts and min(after.centres) > max(row.centres)


_JOINED_MIN = 5
"""Values a joined row must have: rows with a 总计 (表三's seven, a 表四 block's five), which verifies
the join; 表二's rows of one to three have none, and two of its rows are never joined."""
STARTS_LABEL = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")


def join_split_rows(rows: list[ValueRow]) -> list[ValueRow]:
    """Rows whose values a converter split over two lines, joined: ``7.属于行政执法案 0`` then
    ``卷   0  1  3  1  0  5`` (``pdftotext -layout`` of a browser's print). The second line goes on
    the first's label (it starts no label of its own), its values are the last columns of a fuller
    row of the band and the first line's lie left of them, and the two together have as many
    values as that row, :data:`_JOINED_MIN` or more. The joined row is ``inferred``: the parser
    verifies it by its 总计. The second is marked ``joined`` and left out."""
    kept: list[ValueRow] = []
    for row in rows:
        above = kept[-1] if kept else None
        if above is not None and _continues(above, row, rows):
            above.labels, above.values = above.labels + row.labels, above.values + row.values
            above.centres, above.inferred = above.centres + row.centres, True
            row.joined = True
            continue
        kept.append(row)
    return kept


def _continues(above: ValueRow, row: ValueRow, rows: list[ValueRow]) -> bool:
    if row.index != above.index + 1 or row.band != above.band or row.lead or not row.labels:
        return False
    if STARTS_LABEL.match(row.labels[0]) or max(above.centres) >= min(row.centres):
        return False
    count = len(above.values) + len(row.values)
    if count < _JOINED_MIN:
        return False
    fuller = [r for r in rows if r.band == row.band and len(r.values) == count and r is not above and r is not row]
    return any(_align(row, r.centres[-len(row.values):], _tolerance(r.centres)) is not None for r in fuller)
