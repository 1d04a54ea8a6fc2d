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
    chosen by their labels (as printed or as the template names them, ``（一）予以公开`` or ``予以公开``; a
    sub-row's label after its group's cell too); their expected cells are blanks. Changes ``report``."""
    from extract.parse.template import normalize_label
    from render.template import _rows

    keys = {normalize_label(row["label_zh"]): row["row_key"]
            for table_no in (2, 3) for row in _rows(report.version, table_no)}
    wanted = {normalize_label(label) for label in labels}
    blanked: set[str] = set()
    for block in report.tables()[:2]:
        for r, row in enumerate(block):
            first_value = next((i for i, (text, _, _) in enumerate(row) if i and _is_value(text)), None)
            at = first_value - 1 if first_value else None  # the row's own label, after its group's cell
            if at is None or normalize_label(row[at][0]) not in wanted or normalize_label(row[at][0]) not in keys:
                continue
            block[r] = [*row[: at + 1], *(("", rowspan, colspan) for _, rowspan, colspan in row[at + 1:])]
            blanked.add(keys[normalize_label(row[at][0])])
    for key in report.expected:
        if key[0] in (2, 3) and key[1] in blanked:
            report.expected[key] = ""
    return report


def _is_value(text: str) -> bool:
    from extract.parse.values import looks_like_value

    return text == "" or looks_like_value(text)
