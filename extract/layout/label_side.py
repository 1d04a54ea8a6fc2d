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
every row would take the next row's numbers. The text says which way it goes: in a band of rows
(:mod:`extract.layout.columns`) with label lines between them, a first row that has no label of its
own and comes straight after the table's header has its label below; a first row with a label on
its line, or a label line just before it, has it above. A page is read with labels below only when
two bands of two rows or more say so (:data:`BELOW_VOTES`: a stamp's digits strewn over a page
make one such band) and none says the other way; a page that cannot tell takes
the way of the page before. The parser then verifies the rows as it does every row (template
order, 总计, identities).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.layout.sparse import ValueRow
from extract.layout.vertical_labels import Pending

BELOW_VOTES = 2
"""Bands that must say a page prints its labels below its values (and none the other way)."""
_BLOCK_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十]+条.*项|表[一二三四])")
"""A block heading between two tables' bands (``第二十条第（五）项``): never a row's label."""


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


def _between(lines: list[LabelLine], band: int, after: int, before: int | None) -> Pending:
    return [piece for line in _lines_between(lines, band, after, before) for piece in line.pieces]


def votes(rows: list[ValueRow], own: dict[int, Pending], lines: list[LabelLine], carried: bool) -> tuple[int, int]:
    """(bands with labels below their values, bands with labels above) among the bands of two rows or
    more with label lines between their rows. Below: the band's first row has no label of its own and
    the line just before it is the table's header (a piece of it starts right of where every label
    line of the band ends). Above: the first row has a label of its own, or a label line (in the label
    columns) just before it, or label pieces carried from the page before (``carried``)."""
    below = above = 0
    for band, members in _by_band(rows).items():
        gaps = [_lines_between(lines, band, a.index, b.index) for a, b in zip(members, members[1:], strict=False)]
        if len(members) < 2 or not gaps[0]:
            continue
        label_end = max(column + len(text) for gap in gaps for line in gap for text, column in line.pieces)
        first = members[0]
        earlier = [r.index for r in rows if r.index < first.index]
        previous = [line for line in lines if max(earlier, default=-1) < line.index < first.index]
        if own.get(first.index) or (carried and not earlier):
            above += 1
        elif previous:
            header = any(column > label_end for _, column in previous[-1].pieces)
            below, above = (below + 1, above) if header else (below, above + 1)
    return below, above


def pieces_below(rows: list[ValueRow], lines: list[LabelLine]) -> dict[int, Pending]:
    """Each row's label pieces read from below it: the label lines after it, up to the next row of its
    band. The last row of a band takes as many lines as the most any other row took (of its band, else
    of the page; one at least): what follows it is a heading or the next table's header."""
    bands = _by_band(rows)
    between = {row.index: _lines_between(lines, band, row.index, members[n + 1].index)
               for band, members in bands.items() for n, row in enumerate(members[:-1])}
    most = max(map(len, between.values()), default=1) or 1
    out: dict[int, Pending] = {}
    for band, members in bands.items():
        own = [len(between[row.index]) for row in members[:-1]]
        last = members[-1]
        between[last.index] = _lines_between(lines, band, last.index, None)[:max(own, default=most) or 1]
        for row in members:
            out[row.index] = [piece for line in between[row.index] for piece in line.pieces]
    return out
