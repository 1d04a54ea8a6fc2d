"""Layout text: table rows whose columns are aligned with spaces.

This is what ``pdftotext -layout``, pdfplumber's ``extract_text(layout=True)``
or a copy from a PDF viewer produce. A line is a table row when it ends in a
run of values set apart from its label by at least two spaces. Rules:

* Label lines with no values just before a row (a label wrapped over several
  lines, a group label cut into pieces) are added to that row as extra label
  cells; the table parser re-joins them. They also stay as text lines, so
  headings are still seen.
* A row with fewer values than its neighbours has its values aligned to the
  columns of the nearest fuller row by their character positions; the
  missing columns become empty cells. A row whose values do not line up
  keeps its values as printed, and the table parser reports it if it cannot
  place them.
* Page numbers (``- 3 -``, ``第3页``, ``3/6``, or a lone number at a page
  edge) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.document import Line
from extract.values import looks_like_value

_TOKEN = re.compile(r"\S+")
_SEGMENT_GAP = re.compile(r"\s{2,}")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?"
                          r"|\d{1,3}\s*/\s*\d{1,3})\s*$")
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_MAX_PENDING = 3
_LABEL_GAP = 2
_ALIGN_WINDOW = 40


@dataclass
class _Row:
    index: int
    labels: list[str]
    values: list[str]
    centres: list[float]


def _split_row(text: str) -> tuple[list[str], list[str], list[float]] | None:
    """(label segments, values, value centres) when the line ends in values set apart."""
    tokens = list(_TOKEN.finditer(text))
    first = len(tokens)
    while first > 0 and looks_like_value(tokens[first - 1].group()):
        first -= 1
    if first == len(tokens):
        return None
    label_text = text[: tokens[first].start()].rstrip() if first else ""
    if label_text and tokens[first].start() - len(label_text) < _LABEL_GAP:
        return None
    values = [t.group() for t in tokens[first:]]
    centres = [(t.start() + t.end()) / 2 for t in tokens[first:]]
    labels = [s for s in _SEGMENT_GAP.split(label_text.strip()) if s] if label_text.strip() else []
    return labels, values, centres


def _align(row: _Row, reference: _Row) -> list[str] | None:
    """``row``'s values placed in ``reference``'s columns, or ``None`` if they do not line up."""
    ref = reference.centres
    gaps = [b - a for a, b in zip(ref, ref[1:], strict=False)]
    tolerance = max(1.5, min(gaps) / 2) if gaps else 3.0
    placed: list[str] = [""] * len(ref)
    last = -1
    for value, centre in zip(row.values, row.centres, strict=True):
        nearest = min(range(len(ref)), key=lambda i: abs(ref[i] - centre))
        if nearest <= last or abs(ref[nearest] - centre) > tolerance:
            return None
        placed[nearest] = value
        last = nearest
    return placed


def _fill_sparse(rows: list[_Row]) -> None:
    """Align each row with fewer values than a nearby row to that row's columns."""
    for row in rows:
        fuller = [r for r in rows if len(r.values) > len(row.values) and abs(r.index - row.index) <= _ALIGN_WINDOW]
        for reference in sorted(fuller, key=lambda r: (abs(r.index - row.index), -len(r.values))):
            placed = _align(row, reference)
            if placed is not None:
                row.values, row.centres = placed, list(reference.centres)
                break


def _is_furniture(texts: list[str], index: int) -> bool:
    text = texts[index]
    if _PAGE_NUMBER.match(text):
        return True
    if not _LONE_NUMBER.match(text):
        return False
    before = [t for t in texts[:index] if t.strip()]
    after = [t for t in texts[index + 1 :] if t.strip()]
    return not before or not after


def layout_lines(texts: list[str], page: int | None, method: str, first_line_no: int) -> list[Line]:
    """Layout text lines (one page, or a whole file without page breaks) → Lines."""
    rows: list[_Row] = []
    kinds: list[tuple[str, object]] = []
    pending: list[str] = []
    for index, text in enumerate(texts):
        if not text.strip() or _is_furniture(texts, index):
            kinds.append(("skip", None))
            continue
        split = _split_row(text)
        if split is None:
            segments = [s for s in _SEGMENT_GAP.split(text.strip()) if s]
            kinds.append(("header" if len(segments) > 1 else "text", segments))
            pending = [] if len(segments) > 1 else (pending + segments)[-_MAX_PENDING:]
            continue
        labels, values, centres = split
        row = _Row(index, pending + labels, values, centres)
        pending = []
        rows.append(row)
        kinds.append(("row", row))
    _fill_sparse(rows)
    lines: list[Line] = []
    for index, (kind, item) in enumerate(kinds):
        number = first_line_no + index
        text = texts[index].rstrip()
        if kind == "skip":
            continue
        if kind == "text":
            lines.append(Line(text.strip(), number, page, None, method))
        elif kind == "header":
            lines.append(Line(text.strip(), number, page, tuple(item), method))
        else:
            assert isinstance(item, _Row)
            lines.append(Line(text.strip(), number, page, tuple(item.labels + item.values), method))
    return lines


def looks_like_layout(texts: list[str]) -> bool:
    """True when enough lines are space-aligned rows of several values."""
    rows = 0
    for text in texts:
        if "\t" in text or "|" in text:
            continue
        split = _split_row(text)
        if split and len(split[1]) >= 3:
            rows += 1
    return rows >= 5
