"""Layout text: table rows whose columns are aligned with spaces.

This is what ``pdftotext -layout``, pdfplumber's ``extract_text(layout=True)``
or a copy from a PDF viewer produce. A line is a table row when it ends in a
run of values set apart from its label by at least two spaces. Rules:

* Label lines with no values just before a row (a label wrapped over several
  lines, a group label cut into pieces) are added to that row as extra label
  cells, those in the same column as the row's own label last, so the table
  parser re-joins the pieces of one label and not its neighbours'; the line's
  ``lead`` says how many cells were carried so. They also stay as text lines,
  so headings are still seen.
* Values are set apart from the label by two spaces, or one after a CJK
  character (narrow columns in ``pdftotext -layout``); a value is never part
  of a label, and what lies in the label columns is never a value (``无`` of
  a wrapped ``（四）无法提供``; pieces of two columns a single space apart are
  cut, but a row's own label spaced out a character apart, ``（ 七 ） 总 计``,
  stays whole: :mod:`extract.layout.label_area`). A label dash (``无``, ``一``)
  a single space after a label that does not end in a CJK character is the
  label's first character (``4. 无   17 …``, of 4.无正当理由大量反复申请).
* Group labels printed one character a line beside their sub-rows belong to
  no row (:mod:`extract.layout.vertical_labels`).
* A row whose values went to two lines is one row: adjacent lines
  (:func:`~extract.layout.sparse.join_split_rows`), or with label lines between
  (:mod:`extract.layout.wrapped_rows`); the parser verifies it by its 总计.
* A row with fewer values than its table's columns has its values placed in
  the column spans of its band, else of the nearest fuller row of the same
  segment (segments are cut at header lines, headings and prose), by their
  character positions (:mod:`extract.layout.sparse`); the missing columns
  become empty cells. A row whose values do not line up, or has no fuller row
  to follow, keeps its values as printed, and the table parser reports it if
  it cannot place them. A label printed alone between two rows of such a band
  is a row of blank cells (:mod:`extract.layout.blank_rows`).
* Page numbers (``- 3 -``, ``第3页``, ``3/6``, or a lone number at a page
  edge) are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extract.layout.blank_rows import BlankRow, Piece, closed_labels
from extract.layout.label_area import (
    column_starts,
    is_label_dash,
    join_spread,
    label_only,
    split_at_starts,
    surplus_label_values,
)
from extract.layout.label_side import (
    ABOVE,
    BELOW,
    UNSURE,
    LabelLine,
    block_heading,
    page_side,
    pieces_below,
    unsure_rows,
    votes,
)
from extract.layout.sparse import ValueRow, fill_sparse, join_split_rows
from extract.layout.vertical_labels import (
    COLUMN_SLACK,
    Pending,
    in_vertical,
    order_labels,
    text_pieces,
    vertical_columns,
)
from extract.layout.wrapped_rows import join_over_label_lines, set_pieces
from extract.parse.values import looks_like_value
from extract.readers.document import Line

_TOKEN = re.compile(r"\S+")
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?"
                          r"|\d{1,3}\s*/\s*\d{1,3})\s*$")
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_MAX_PENDING = 8
_LABEL_GAP = 2
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、.{4,}|第[一二三四五六七八九十]+条.*项|表[一二三四])")
_PROSE_CHARS = 40
_WIDE = re.compile(r"[\u2e80-\uffef\u2018-\u201f]")
"""A label ending in a CJK character or full-width punctuation (Chinese quotes ``“三安全一稳定”`` too)
needs only one space before its values."""


_GLUED_MAX = 12
"""The longest value :func:`_glued_value` looks for."""

_CARRIED_ROWS = 60
_NEAR_LINES = 12


@dataclass
class PageCarry:
    """What a page of layout text leaves to the next: the label pieces at its foot not yet given
    to a row, and the rows of the band it ended in (a table going on over the break: their
    columns are the columns of the next page's first rows, :mod:`extract.layout.sparse`)."""

    labels: Pending = field(default_factory=list)
    rows: list[ValueRow] = field(default_factory=list)
    side: str = ABOVE  # the side of their values the pages so far print labels on (:mod:`.label_side`)


_Split = tuple[Pending, list[str], list[float]]
"""A line that ends in values: its label pieces, values and value centres."""


def _split_row(text: str, narrow: bool = True) -> _Split | None:
    """(label pieces, values, value centres) when the line ends in values set apart.

    ``narrow``: one space after a CJK character sets values apart (inside layout
    text, whose columns are known to be aligned); else two are needed.
    """
    tokens = list(_TOKEN.finditer(text))
    first = len(tokens)
    while first > 0 and looks_like_value(tokens[first - 1].group()):
        first -= 1
    while first < len(tokens):
        label_text = text[: tokens[first].start()].rstrip() if first else ""
        gap = 1 if narrow and label_text and _WIDE.match(label_text[-1]) else _LABEL_GAP
        if not label_text or tokens[first].start() - len(label_text) >= gap:
            break
        if not is_label_dash(tokens[first].group()):
            return None
        first += 1  # 无 a single space after ``4.``: a character of the label (``4. 无正当理由…``)
    if first == len(tokens):
        return None
    values = [t.group() for t in tokens[first:]]
    centres = [(t.start() + t.end()) / 2 for t in tokens[first:]]
    glued = _glued_value(label_text) if first else 0
    if glued:  # ``…不计其他情形）0``: a value set against its label
        label_text, value = label_text[:-glued], label_text[-glued:]
        values.insert(0, value)
        centres.insert(0, len(label_text) + glued / 2)
    return text_pieces(label_text), values, centres


def _glued_value(label: str) -> int:
    """The length of a value set against the end of a row's label, or 0: the longest end of the label
    that reads as a value (``增2``, not ``2``), after a CJK character or full-width bracket that is no
    part of a value. A value is never part of a label (no template label ends in a digit), and a long
    label running into the first value column leaves no space before it; two values run together
    (``行政许可364增2``) are not split."""
    if not label or not label[-1].isdigit():
        return 0
    length = max((n for n in range(1, min(len(label), _GLUED_MAX) + 1) if looks_like_value(label[-n:])), default=0)
    before = label[-length - 1] if 0 < length < len(label) else ""
    return length if before and _WIDE.match(before) and not before.isdigit() else 0


def _without_label_values(split: _Split | None, above: list[ValueRow]) -> _Split | None:
    """``split``, or ``None`` when its values are label characters in the label columns
    (:mod:`extract.layout.label_area`)."""
    if split is None or label_only(split[1], split[2], [(r.values, r.centres) for r in above]):
        return None
    return split


def _surplus_to_labels(rows: list[ValueRow]) -> None:
    """Leading values of a row that are label characters beyond the column count of the rows near it
    (:data:`_NEAR_LINES`; a band may hold that row alone, its 一 being where values start), joined to
    its last label piece (:func:`~extract.layout.label_area.surplus_label_values`); the row is then
    ``inferred``, verified by its 总计."""
    for row in rows:
        if not row.labels:
            continue
        near = [(r.values, r.centres) for r in rows if r is not row and abs(r.index - row.index) <= _NEAR_LINES]
        count = surplus_label_values(row.values, near)
        if count:
            row.labels[-1] += "".join(row.values[:count])
            row.values, row.centres, row.inferred = row.values[count:], row.centres[count:], True


def _over_values(segments: Pending, above: list[ValueRow]) -> bool:
    """Whether a line without values reaches the value columns of the rows ``above`` it in its
    band (a header line, or text across the page), so that rows below it may have other columns.
    A label wrapped or cut in the label columns between two rows does not."""
    if not above:
        return True
    start = min(r.centres[0] - len(r.values[0]) / 2 for r in above)
    return any(column + len(text) > start for text, column in segments)


def _is_heading(text: str) -> bool:
    """A section or block heading (``三、…``, ``第二十条第（五）项``), or a long line of prose."""
    text = text.strip()
    return bool(_HEADING.match(text)) or len(text) > _PROSE_CHARS


def is_furniture(texts: list[str], index: int) -> bool:
    """A page number, or a lone number at the very start or end of a page."""
    text = texts[index]
    if PAGE_NUMBER.match(text):
        return True
    if not _LONE_NUMBER.match(text):
        return False
    before = [t for t in texts[:index] if t.strip()]
    after = [t for t in texts[index + 1 :] if t.strip()]
    return not before or not after


def _own_label_columns(texts: list[str], starts: Counter[int], vertical: list[int]) -> frozenset[int]:
    """Columns where the rows' own label pieces start (a sub-label's column; a header's are not)."""
    own = (_own(split[0], starts, vertical) for text in texts if (split := _split_row(text)))
    return frozenset(column for pieces in own for _, column in pieces)


def _own(labels: Pending, starts: Counter[int], vertical: list[int]) -> Pending:
    """A row's own label pieces: cut at label column starts, a label spread a character apart whole."""
    return join_spread(split_at_starts(labels, starts, keep_spaced=True), vertical, COLUMN_SLACK)


def layout_lines(texts: list[str], page: int | None, method: str, first_line_no: int,
                 carry: PageCarry | None = None) -> list[Line]:
    """Layout text lines (one page, or a whole file without page breaks) → Lines.

    ``carry`` holds what the previous page left: label pieces at its foot (a block heading
    above a page break, a label wrapped across it), which go to this page's first row, and
    the rows of its last band, whose columns this page's first band shares unless a header
    line comes first. This page's are put back in it for the next page.
    """
    carry = carry if carry is not None else PageCarry()
    carried = list(carry.rows)
    rows: list[ValueRow] = []
    kinds: list[tuple[str, object]] = []
    pending: Pending = list(carry.labels)
    pending_lines = [-1] * len(pending)  # the text line of each pending piece (-1: the page before)
    closed: dict[int, tuple[list[BlankRow], Pending, Pending]] = {}
    vertical = vertical_columns(texts)
    starts = column_starts([text_pieces(t) for t in texts])
    label_columns = _own_label_columns(texts, starts, vertical)
    pieces: dict[int, list[tuple[str, int, bool]]] = {}
    segment = band = 0
    label_lines: list[LabelLine] = []
    owns: dict[int, Pending] = {}
    label_above: dict[int, Pending] = {}  # each row's pieces from label lines before it
    over_lines: set[int] = set()  # header lines and prose: their pieces are no row's sub-label
    for index, text in enumerate(texts):
        if not text.strip() or is_furniture(texts, index):
            kinds.append(("skip", None))
            continue
        # this page's own rows say where its values are; the page before's only until it prints one
        above = [r for r in rows if r.band == band] or (carried if band == 0 else [])
        split = _without_label_values(_split_row(text), above)
        if split is None:
            segments = split_at_starts(text_pieces(text), starts)
            over = _over_values(segments, above)
            # a line of label pieces in the label columns holds no value (``无`` of （四）无法提供)
            labels_only = not over and any(looks_like_value(t) for t, _ in segments)
            kind = "header" if len(segments) > 1 and not labels_only else "text"
            kinds.append((kind, [t for t, _ in segments]))
            pending = (pending + segments)[-_MAX_PENDING:]
            pending_lines = (pending_lines + [index] * len(segments))[-_MAX_PENDING:]
            if len(segments) > 1 or _is_heading(text):
                segment += 1
            starts_band = over or len(text.strip()) > _PROSE_CHARS
            band += starts_band
            if starts_band or kind == "header":
                over_lines.add(index)
            label_lines.append(LabelLine(index, segments, band, starts_band, text))
            continue
        labels, values, centres = split
        own = owns[index] = _own(labels, starts, vertical)
        subs = [p for p, line in zip(pending, pending_lines, strict=True) if line not in over_lines
                and any(abs(p[1] - column) <= COLUMN_SLACK for column in label_columns)]
        pieces[index] = order_labels(pending, own, vertical, subs)
        label_above[index] = [p for p, line in zip(pending, pending_lines, strict=True) if line not in over_lines]
        row = ValueRow(index, [], 0, values, centres, segment, band)
        set_pieces(row, pieces[index])
        if rows and rows[-1].band == band:
            placed = [Piece(t, c, line) for (t, c), line in zip(pending, pending_lines, strict=True)]
            stacked = {i for i, p in enumerate(pending) if in_vertical(p, vertical)}
            blanks = closed_labels(placed, own, index, stacked)
            if blanks:
                closed[index] = (blanks, pending, own)
        pending, pending_lines = [], []
        rows.append(row)
        kinds.append(("row", row))
    below, above = votes(rows, owns, label_lines, bool(carry.labels) and carry.side != UNSURE)
    carry.side = page_side(below, above, carry.side)
    if carry.side == BELOW:
        for index, found in pieces_below(rows, label_lines).items():
            pieces[index] = order_labels(found, owns[index], vertical)
        for row in rows:
            set_pieces(row, pieces[row.index])
            row.heading = block_heading(row, rows, label_lines)
        closed, pending = {}, []
    elif carry.side == UNSURE:
        unsure = unsure_rows(rows, label_above, pieces_below(rows, label_lines))
        for row in rows:
            row.unsure = row.index in unsure
        closed = {}  # a label alone may be a row printed blank or the label of the values below it
    _surplus_to_labels(rows)
    rows = join_over_label_lines(join_split_rows(rows), pieces)
    fill_sparse(rows, carried, texts)
    blank_at = _blank_rows(rows, closed, vertical)
    carry.labels = pending
    carry.rows = ([*carried, *rows] if band == 0 else [r for r in rows if r.band == band])[-_CARRIED_ROWS:]
    lines: list[Line] = []
    for index, (kind, item) in enumerate(kinds):
        number = first_line_no + index
        text = texts[index].rstrip()
        lines += [Line(b.label, first_line_no + b.line, page, (b.label, ""), method, inferred=True)
                  for b in blank_at.get(index, [])]  # a label printed alone: a row of blank cells
        if kind == "skip":
            continue
        if kind == "text":
            lines.append(Line(text.strip(), number, page, None, method))
        elif kind == "header":
            lines.append(Line(text.strip(), number, page, tuple(item), method))
        elif isinstance(item, ValueRow) and item.joined:
            lines.append(Line(text.strip(), number, page, None, method))  # its cells are the row above's
        else:
            assert isinstance(item, ValueRow)
            lines.append(Line(text.strip(), number, page, tuple(item.heading + item.labels + item.values), method,
                              len(item.heading) + item.lead, item.inferred, label_unsure=item.unsure))
    return lines


def _blank_rows(rows: list[ValueRow], closed: dict[int, tuple[list[BlankRow], Pending, Pending]],
                vertical: list[int]) -> dict[int, list[BlankRow]]:
    """The closed labels (:mod:`extract.layout.blank_rows`) kept as rows of blanks, by the text line
    they go before: those of bands whose other rows print blank cells (placed by their positions). The
    row after each no longer takes their pieces as its label."""
    out: dict[int, list[BlankRow]] = {}
    for row in rows:
        if row.index not in closed or not any(r.inferred for r in rows if r.band == row.band):
            continue
        blanks, waiting, own = closed[row.index]
        used = {i for blank in blanks for i in blank.pieces}
        set_pieces(row, order_labels([p for i, p in enumerate(waiting) if i not in used], own, vertical))
        for blank in blanks:
            out.setdefault(blank.before, []).append(blank)
    return out


def looks_like_layout(texts: list[str], min_rows: int = 5) -> bool:
    """True when ``min_rows`` lines are space-aligned rows of several values (one is enough in a
    block the page marks as preformatted, an HTML ``<pre>``).

    Values one space apart (``pdftotext -raw``: ``0 0 0 0 3 0 3``) are not
    aligned columns; such text is read as bare text, never by positions.
    """
    rows = 0
    for text in texts:
        if "\t" in text or "|" in text:
            continue
        split = _split_row(text, narrow=False)
        if split and len(split[1]) >= 3 and re.search(r"\S {2,}\S", text.strip()[-40:]):
            rows += 1
    return rows >= min_rows
