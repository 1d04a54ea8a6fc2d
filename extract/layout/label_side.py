"""Which side of its values a row's label is printed on, in layout text.

In a table cell the label and the values are set on their own baselines. When the values are set
in a smaller size than the labels and aligned to the top of the cell (Word's default), ``pdftotext
-layout`` prints each row's values on the line *above* its label::

    信息内容            本年制发件数           本年废止件数       现行有效件数
                        297                                    276
    规章
                        183        239         24
    行政规范性文件

Read the usual way (the label lines before a row are its label, a label wrapped above its values)
every row would take the next row's numbers. The text says which way it goes, band by band
(:mod:`extract.layout.columns`; :func:`band_side`): a band whose first row has no label of its own,
follows the table's header (two column names or more, no value, date or time: a stamp's strewn
characters are none) and whose last row a label line follows says *below*; a band whose first row
has a label on its line, or a label line just before it, says *above*. A page (:func:`page_side`) is
read below when bands say so and none says above, above when bands say so and none below, the way
of the page before when none says either, and otherwise is *unsure*: a row printed blank prints its
label alone, which makes a below-label band look like an above one. On an unsure page a row whose
label the two readings take from different lines is marked ``unsure`` (:func:`unsure_rows`): the
parser stores none of its values (``label_side_unknown``) unless the label on its own line places it,
and no label alone becomes a row of blanks. The next page inherits the doubt unless its bands decide.
Read below, a row's label lines end where a line begins another label (that of a row printed blank).
The parser then verifies the rows as it does every row (template order, 总计, identities).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.layout.sparse import STARTS_LABEL, ValueRow
from extract.layout.vertical_labels import Pending
from extract.parse.values import looks_like_value

ABOVE, BELOW, UNSURE = "above", "below", "unsure"
"""Which side of their values a page prints its rows' labels on (:func:`page_side`)."""
_BLOCK_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+条.*项|表[一二三四])")
"""A block heading between two tables' bands (``第二十条第（五）项``): never a row's label."""
_HAN = re.compile(r"[\u4e00-\u9fff]")
"""A column name has two characters at least (a stamp's strewn characters are one)."""
_STAMP = re.compile(r"\d{1,4}[-:/]\d{1,2}")
"""A date or a time (``2021-01-20``, ``10:30``): a watermark's, never in a table's header."""


@dataclass
class LabelLine:
    """A line of layout text without values: its label pieces, and its band (the band it began,
    when ``starts_band``: a header line or prose across the value columns)."""

    index: int
    pieces: Pending
    band: int
    starts_band: bool
    text: str


def _by_band(rows: list[ValueRow]) -> dict[int, list[ValueRow]]:
    bands: dict[int, list[ValueRow]] = {}
    for row in rows:
        bands.setdefault(row.band, []).append(row)
    return bands


def _lines_between(lines: list[LabelLine], band: int, after: int, before: int | None) -> list[LabelLine]:
    """The label lines of ``band`` after line ``after`` and before line ``before``, up to a block heading."""
    out: list[LabelLine] = []
    for line in lines:
        if before is not None and line.index >= before:
            break
        if line.band != band or line.starts_band or line.index <= after:
            continue
        if _BLOCK_HEADING.match(line.text):
            break
        out.append(line)
    return out


def votes(rows: list[ValueRow], own: dict[int, Pending], lines: list[LabelLine], carried: bool) -> tuple[int, int]:
    """(bands with labels below their values, bands with labels above) among the bands of two rows or
    more with label lines between their rows (:func:`band_side`)."""
    sides = [band_side(members, rows, own, lines, carried) for members in _by_band(rows).values()]
    return sides.count(BELOW), sides.count(ABOVE)


def band_side(members: list[ValueRow], rows: list[ValueRow], own: dict[int, Pending], lines: list[LabelLine],
              carried: bool) -> str | None:
    """The side a band of two rows or more with label lines between its rows prints its labels on,
    or ``None``. Below: the band's first row has no label of its own, the line just before it is the
    table's header (two pieces of it, of two characters or more, start right of where every label line
    of the band ends, and none of it is a value, a date or a time), and a label line follows its last
    row. Above: the first row has a label of its own, or label pieces carried from the page before
    (``carried``), or a label line just before it (none of it right of the band's labels). A line
    reaching right of them that is no such header (one column's name: 表二's 处理决定数量; a stamp)
    says nothing."""
    band = members[0].band
    gaps = [_lines_between(lines, band, a.index, b.index) for a, b in zip(members, members[1:], strict=False)]
    if len(members) < 2 or not gaps[0]:
        return None
    label_end = max(column + len(text) for gap in gaps for line in gap for text, column in line.pieces)
    first = members[0]
    earlier = [r.index for r in rows if r.index < first.index]
    previous = [line for line in lines if max(earlier, default=-1) < line.index < first.index]
    if own.get(first.index) or (carried and not earlier):
        return ABOVE
    if not previous:
        return None
    pieces = previous[-1].pieces
    if not any(column > label_end for _, column in pieces):
        return ABOVE  # a label line just before the first row
    header = sum(column > label_end and len(_HAN.findall(text)) >= 2 for text, column in pieces) >= 2 \
        and not any(looks_like_value(text) or _STAMP.search(text) for text, _ in pieces)
    return BELOW if header and _label_follows(members[-1], rows, lines) else None


def _label_follows(last: ValueRow, rows: list[ValueRow], lines: list[LabelLine]) -> bool:
    """Whether the line after the band's last row (before any other row) is a label line of its band
    in words: the last row's label, below it (a stamp's digits after a header are followed by none)."""
    next_row = min((r.index for r in rows if r.index > last.index), default=None)
    after = [line for line in lines if line.index > last.index and (next_row is None or line.index < next_row)]
    return bool(after) and after[0].band == last.band and not after[0].starts_band \
        and bool(_HAN.search(after[0].text))


def pieces_below(rows: list[ValueRow], lines: list[LabelLine]) -> dict[int, Pending]:
    """Each row's label pieces read from below it: the label lines after it, up to the next row of its
    band. The last row of a band takes as many lines as the most any other row of its band took; a
    band's only row takes one, its label's head (what follows may be a heading, the next table's
    header, or the label of a row printed blank: a label cut short still names its row)."""
    bands = _by_band(rows)
    between = {row.index: _one_label(_lines_between(lines, band, row.index, members[n + 1].index))
               for band, members in bands.items() for n, row in enumerate(members[:-1])}
    out: dict[int, Pending] = {}
    for band, members in bands.items():
        own = [len(between[row.index]) for row in members[:-1]]
        last = members[-1]
        between[last.index] = _one_label(_lines_between(lines, band, last.index, None))[:max(own, default=1) or 1]
        for row in members:
            out[row.index] = [piece for line in between[row.index] for piece in line.pieces]
    return out


def _one_label(lines: list[LabelLine]) -> list[LabelLine]:
    """A row's label lines below it up to the next that begins a label (``3.危及…`` after ``2.其他法律…``):
    from there on they are the label of a row printed blank."""
    later = (n for n, line in enumerate(lines) if n and any(STARTS_LABEL.match(text) for text, _ in line.pieces))
    return lines[:next(later, len(lines))]


def page_side(below: int, above: int, before: str) -> str:
    """:data:`BELOW`, :data:`ABOVE` or :data:`UNSURE` for a page whose bands gave these
    :func:`votes`; ``before``: the side of the page before (the first page's: above)."""
    if below and not above:
        return BELOW
    if above and not below:
        return ABOVE
    if not below and not above:
        return before
    return UNSURE


def unsure_rows(rows: list[ValueRow], above: dict[int, Pending], below: dict[int, Pending]) -> set[int]:
    """The rows (line indices) whose label pieces the two readings take from different lines:
    ``above``, the pieces of each row's label lines before it, ``below``, after it (block headings
    left out: they are no row's label)."""
    def labels(pieces: Pending) -> Pending:
        return [piece for piece in pieces if not _BLOCK_HEADING.match(piece[0])]

    return {row.index for row in rows if labels(above.get(row.index, [])) != labels(below.get(row.index, []))}


def block_heading(row: ValueRow, rows: list[ValueRow], lines: list[LabelLine]) -> list[str]:
    """The last block heading (``第二十条第（五）项``) between the row before ``row`` and ``row``, if any:
    read with its label below, the row still begins that block (blocks between printed no values)."""
    previous = max((r.index for r in rows if r.index < row.index), default=-1)
    return [line.text.strip() for line in lines
            if previous < line.index < row.index and _BLOCK_HEADING.match(line.text)][-1:]
