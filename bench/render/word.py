"""DOCX rendering (python-docx): one Word table per grid, merged cells made by ``merge``."""

from __future__ import annotations

import io
from collections.abc import Iterator

from render.report import Report, placed_cells, table_width
from render.template import Grid


def word_table(host, block: Grid) -> tuple[object, list[tuple[object, str]]]:
    """``block`` as a "Table Grid" table added to ``host`` (a document, or a cell for a nested
    table), merged cells made by ``merge``; returns the table and each placed cell with its text."""
    table = host.add_table(rows=len(block), cols=table_width(block))
    table.style = "Table Grid"
    cells = []
    for r, c, text, rowspan, colspan in placed_cells(block):
        cell = table.cell(r, c)
        if rowspan > 1 or colspan > 1:
            cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
        cell.text = text
        cells.append((cell, text))
    return table, cells


def word_tables(document, report: Report) -> Iterator[tuple[Grid, object, list[tuple[object, str]]]]:
    """Add ``report``'s paragraphs and tables to ``document`` in order, yielding each table as it is
    made (its grid, the table, its placed cells: :func:`word_table`) for a renderer to dress."""
    for kind, block in report.blocks:
        if kind != "table":
            document.add_paragraph(str(block))
            continue
        table, cells = word_table(document, block)  # type: ignore[arg-type]
        yield block, table, cells  # type: ignore[misc]


def docx_bytes(document) -> bytes:
    """A python-docx document saved as the bytes of a ``.docx``."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_docx(report: Report) -> bytes:
    """A Word file with merged cells made by python-docx's ``merge`` (gridSpan and vMerge)."""
    import docx

    document = docx.Document()
    for _ in word_tables(document, report):
        pass
    return docx_bytes(document)
