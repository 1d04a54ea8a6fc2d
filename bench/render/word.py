"""DOCX rendering (python-docx): one Word table per grid, merged cells made by ``merge``."""

from __future__ import annotations

import io

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


def to_docx(report: Report) -> bytes:
    """A Word file with merged cells made by python-docx's ``merge`` (gridSpan and vMerge)."""
    import docx

    document = docx.Document()
    for kind, block in report.blocks:
        if kind != "table":
            document.add_paragraph(str(block))
            continue
        word_table(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
