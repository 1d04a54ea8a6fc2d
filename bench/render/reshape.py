"""Changes to a report's printed cells that reviewers meet on pages the project has not seen:
numbers with thousands separators, merged cells printed unmerged (each label repeated in every
cell it spans), long labels broken by explicit line breaks."""

from __future__ import annotations

import copy
import re

from render.report import Report, placed_cells
from render.template import Grid, Span
from render.variants import regroup

_COUNT = re.compile(r"^\d+$")
_AMOUNT = re.compile(r"^\d+\.\d+$")


def _grouped(text: str, factor: int) -> str:
    """``text`` with thousands separators: a count times ``factor``, an amount as printed."""
    if _COUNT.match(text):
        return f"{int(text) * factor:,}"
    if _AMOUNT.match(text):
        whole, fraction = text.split(".")
        return f"{int(whole):,}.{fraction}"
    return text


def with_thousands(report: Report, factor: int = 37) -> Report:
    """Every count times ``factor`` (the identities are linear: they still hold) and every number
    printed with thousands separators (``1,234``, ``12,345.67``). Changes ``report`` itself (as
    :func:`render.variants.zeros_as_blanks` does), whose cells are then expected so, and returns it."""
    report.blocks = [(kind, [[(_grouped(t, factor), rs, cs) for t, rs, cs in row] for row in block])
                     if kind == "table" else (kind, block) for kind, block in report.blocks]  # type: ignore[union-attr]
    report.expected = {key: _grouped(text, factor) for key, text in report.expected.items()}
    return report


def unmerged(block: Grid) -> Grid:
    """``block`` with no merged cell: a label is printed again in every grid cell its span covers
    (as a spreadsheet's "unmerge and fill" prints them); a value spanning cells is printed in the
    first, the others left empty."""
    from extract.parse.values import looks_like_value

    placed: list[tuple[int, int, Span]] = []
    for r, c, text, rowspan, colspan in placed_cells(block):
        fill = not looks_like_value(text)
        placed += [(r + dr, c + dc, (text if fill or dr == dc == 0 else "", 1, 1))
                   for dr in range(rowspan) for dc in range(colspan)]
    return regroup(placed, len(block))


def with_unmerged_tables(report: Report) -> Report:
    """The report with every table's merges undone (:func:`unmerged`)."""
    out = copy.deepcopy(report)
    out.blocks = [(kind, unmerged(block) if kind == "table" else block) for kind, block in out.blocks]  # type: ignore[arg-type]
    return out


def broken_label(text: str, at: int = 8) -> list[str]:
    """A long label cut into lines of ``at`` characters (a line break typed inside the cell)."""
    from extract.parse.values import looks_like_value

    if looks_like_value(text) or len(text) <= at:
        return [text]
    return [text[i:i + at] for i in range(0, len(text), at)]


def with_blank_rows(report: Report, labels: list[str]) -> Report:
    """Rows of 表二 and 表三 printed blank (every value cell empty: a row the agency left unfilled),
    chosen by their printed labels; their expected cells are blanks. Changes ``report`` itself."""
    from render.template import _rows

    keys = {row["label_zh"]: row["row_key"] for table_no in (2, 3) for row in _rows(report.version, table_no)}
    for block in report.tables()[:2]:
        for r, row in enumerate(block):
            if row and row[0][0] in labels and len(row) > 1:
                block[r] = [row[0], *((("", rowspan, colspan) for _, rowspan, colspan in row[1:]))]
    blanked = {keys[label] for label in labels if label in keys}
    for key in report.expected:
        if key[0] in (2, 3) and key[1] in blanked:
            report.expected[key] = ""
    return report
