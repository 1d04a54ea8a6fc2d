"""Table regions of a Document → logical rows of cells.

Handles the text layouts seen in real reports: tab-separated rows (merged
cells as empty strings), one cell per line with blank lines between rows,
one cell per line ending in `` |`` (rows recovered as a run of labels
followed by a run of values), Markdown pipe rows, and text with no
separators at all (see :mod:`extract.layout.bare`).
"""

from __future__ import annotations

from extract.layout.bare import bare_rows, looks_tabular
from extract.layout.cells import Cell, LogicalRow
from extract.parse.values import looks_like_value
from extract.readers.document import Line

_CELL_PER_LINE_SHARE = 0.6


def _confidence(line: Line, index: int) -> float | None:
    """The OCR confidence of the line's cell ``index``, if it has one."""
    if line.confidences is None or index >= len(line.confidences):
        return None
    return line.confidences[index]


def _is_cell_per_line(lines: list[Line]) -> bool:
    celled = [line for line in lines if line.cells is not None]
    if len(celled) < 4:
        return False
    single = sum(1 for line in celled if len(line.cells) == 2 and line.cells[0].strip() == "")
    return single / len(celled) >= _CELL_PER_LINE_SHARE


def _group_cell_per_line(lines: list[Line]) -> list[LogicalRow]:
    rows: list[LogicalRow] = []
    current: list[Cell] = []

    def flush() -> None:
        if current:
            rows.append(LogicalRow(list(current), tabular=True))
            current.clear()

    for line in lines:
        if not line.text.strip() and not (line.cells and len(line.cells) == 2):
            flush()
        elif line.cells and len(line.cells) == 2 and line.cells[0].strip() == "":
            current.append(Cell(line.cells[1], line.line_no, line.page, line.method,
                                confidence=_confidence(line, 1)))
        elif line.cells and len(line.cells) > 2:
            flush()
            rows.append(LogicalRow([Cell(t, line.line_no, line.page, line.method, confidence=_confidence(line, i))
                                    for i, t in enumerate(line.cells)], True))
        elif current and current[-1].text.strip() and not looks_like_value(current[-1].text):
            last = current[-1]
            current[-1] = Cell(last.text + line.text.strip(), last.line_no, last.page, last.method)
        else:
            flush()
            current.append(Cell(line.text, line.line_no, line.page, line.method))
    flush()
    return rows


def _split_stream(cells: list[Cell]) -> list[LogicalRow]:
    """A run of one-cell lines → rows: each run of labels with the values after it.

    An empty cell between two values of a row (a bare `` |`` line) is a blank
    cell; empty cells before a row's first value or after its last are dropped.
    """
    rows: list[LogicalRow] = []
    current: list[Cell] = []
    blanks: list[Cell] = []
    seen_value = False
    for cell in cells:
        if not cell.text.strip():
            if seen_value:
                blanks.append(cell)
            continue
        is_value = looks_like_value(cell.text)
        if not is_value and seen_value:
            rows.append(LogicalRow(current, tabular=_seen_blank(current)))
            current, seen_value = [], False
        if is_value:
            current.extend(blanks)
        blanks = []
        current.append(cell)
        seen_value = seen_value or is_value
    if current:
        rows.append(LogicalRow(current, tabular=_seen_blank(current)))
    return rows


def _seen_blank(cells: list[Cell]) -> bool:
    """A stream row with a kept blank cell is tabular: its empty cells are real cells."""
    return any(not c.text.strip() for c in cells)


def build_rows(lines: list[Line], known_table: bool = False) -> list[LogicalRow]:
    """Logical rows of a table region, whatever the text layout.

    A region under a known table heading whose lines have no cells at all is
    read as bare text (:func:`~extract.layout.bare.bare_rows`).
    """
    if known_table and all(line.cells is None for line in lines):
        return bare_rows(lines) if looks_tabular(lines) else []
    if _is_cell_per_line(lines):
        return _group_cell_per_line(lines)
    rows: list[LogicalRow] = []
    stream: list[Cell] = []
    for line in lines:
        if line.cells is not None and len(line.cells) == 1:
            stream.append(Cell(line.cells[0], line.line_no, line.page, line.method, confidence=_confidence(line, 0)))
            continue
        if stream:
            rows.extend(_split_stream(stream))
            stream = []
        if line.cells is not None:
            rows.append(LogicalRow([Cell(t, line.line_no, line.page, line.method, i < line.lead, _confidence(line, i))
                                    for i, t in enumerate(line.cells)], True, inferred=line.inferred,
                                   label_unsure=line.label_unsure))
    if stream:
        rows.extend(_split_stream(stream))
    return rows
