"""Table text with no separators at all: the portal's text copy, ``pdftotext -raw``.

There is no cell structure to read, so each line becomes a row of its own:

* a line of label text is a label-only row (the parser joins wrapped labels),
  one cell per space-separated piece (a header line ``信息内容 本年制发件数 …``);
* a line that ends in values set apart by spaces (``1.属于国家秘密 0 1 1 0 0 0 2``,
  or values alone under a wrapped label) is one row: its label, then its values;
* consecutive lines of one value each (the portal copy prints one cell a line)
  are one row; an empty line between two of its values is a blank cell, empty
  lines before its first or after its last value are dropped.

A region whose labels may be printed below their values (:func:`_labels_maybe_below`) marks
its rows of values without a label ``label_unsure``: the parser stores none of them.

Every row made here is ``loose``: only the number of values says which column
each is in, so a crawler that collapsed equal lines (``1``/``0``/``1`` for
1,0,0,0,0,0,1) or split a number (``1``/``62`` for 162) gives a row of the wrong
length, which the parser refuses, and the parser verifies the rest.
Page numbers (``- 3 -``, ``第3页``) are dropped. A region with fewer than two lines of values is
prose under a table heading, not a table, and yields no rows.
"""

from __future__ import annotations

import re

from extract.layout.cells import Cell, LogicalRow
from extract.layout.columns import PAGE_NUMBER
from extract.parse.values import looks_like_value
from extract.readers.document import Line

_TOKEN = re.compile(r"\S+")
_MIN_VALUE_LINES = 2
_ROW_OF_VALUES = 5
_PROSE_CHARS = 60
"""A longer line is running text (a paragraph), not a label: it is no row and ends the label above it."""


def _split(text: str) -> tuple[str, list[str]]:
    """(label, trailing values) of one line: values are the whitespace-separated tokens at its end."""
    tokens = list(_TOKEN.finditer(text))
    first = len(tokens)
    while first > 0 and looks_like_value(tokens[first - 1].group()):
        first -= 1
    if first == len(tokens):
        return text.strip(), []
    if first == 0:
        return "", [t.group() for t in tokens]
    if tokens[first].start() == tokens[first - 1].end():
        return text.strip(), []
    return text[: tokens[first].start()].strip(), [t.group() for t in tokens[first:]]


def looks_tabular(lines: list[Line]) -> bool:
    """Enough lines of values (two or more, or a value alone) to be a table, not prose under a
    heading; or one line of a whole row of values (表四 prints its 15 on one line)."""
    count = 0
    for line in lines:
        label, values = _split(line.text)
        if len(values) >= _ROW_OF_VALUES:
            return True
        if len(values) >= 2 or (values and not label):
            count += 1
    return count >= _MIN_VALUE_LINES


def bare_rows(lines: list[Line]) -> list[LogicalRow]:
    """Rows of a table region whose reader saw no cells (see :func:`looks_tabular` for when)."""
    rows: list[LogicalRow] = []
    run: list[Cell] = []
    blanks: list[Cell] = []

    def flush() -> None:
        if run:
            rows.append(LogicalRow(list(run), tabular=True, loose=True))
            run.clear()
        blanks.clear()

    for line in lines:
        text = line.text
        if not text.strip():
            if run:
                blanks.append(Cell("", line.line_no, line.page, line.method))
            continue
        if PAGE_NUMBER.match(text):
            continue
        label, values = _split(text)
        if len(label) > _PROSE_CHARS:
            flush()
            rows.append(LogicalRow([], tabular=False))  # prose: ends any label above it
            continue
        if label or len(values) > 1:
            flush()
            cells = [Cell(piece, line.line_no, line.page, line.method) for piece in label.split()]
            cells += [Cell(v, line.line_no, line.page, line.method) for v in values]
            rows.append(LogicalRow(cells, tabular=False, loose=bool(values)))
            continue
        run.extend(blanks)
        blanks.clear()
        run.append(Cell(values[0], line.line_no, line.page, line.method))
    flush()
    if _labels_maybe_below(lines):
        for row in rows:
            if row.cells and looks_like_value(row.cells[0].text):
                row.label_unsure = True
    return rows


def _labels_maybe_below(lines: list[Line]) -> bool:
    """Whether a line of values with no label comes straight after a header (a line of two or more
    words and no value) and a line of label text follows it: the labels may be printed below their
    values (numbers set smaller than labels, top-aligned), so which label line is a row's cannot be
    told from the text alone (:mod:`extract.layout.label_side` reads such pages by position)."""
    split = [_split(line.text) for line in lines if line.text.strip() and not PAGE_NUMBER.match(line.text)]
    return any(len(head.split()) >= 2 and not head_values and not label and values and below and not below_values
               for (head, head_values), (label, values), (below, below_values)
               in zip(split, split[1:], split[2:], strict=False))
