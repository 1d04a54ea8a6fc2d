"""A ruled table row a page break cut in two (表三's long labels: ``1.申请人无正当理由逾期不补正、…``
ends on one page and goes on on the next), for :mod:`extract.parse.scan`: one half printed the
values, the other the rest of the label beside empty cells; the two are one row when their labels
joined name it."""

from __future__ import annotations

from extract.layout.cells import Cell, LogicalRow
from extract.parse.labels import resolve_row
from extract.parse.template import Template


def continued_across_pages(above: tuple[LogicalRow, list[Cell], list[Cell]] | None, row: LogicalRow,
                           labels: list[Cell], values: list[Cell], template: Template,
                           region_table: int | None) -> list[Cell] | None:
    """Labels of a ruled row a page break cut in two: this row (``labels``, ``values``) and the value
    row before it (``above``: its row, labels and values), on the page before.

    One half printed the values, the other the rest of the label beside empty cells. When the half
    with the values places nothing by its own label, and the two parts joined name a row that the
    empty half names too, or that it names nothing, the two are one row (the empty half is not a
    row of blanks) and the joined labels are returned; else ``None``.
    """
    if above is None or not labels or not row.tabular:
        return None
    top_row, top_labels, top_values = above
    if not top_row.tabular or not top_labels:
        return None
    top_empty = not any(c.text.strip() for c in top_values)
    if top_empty == (not any(c.text.strip() for c in values)):
        return None  # both halves empty, or both with values: two rows
    if labels[0].page is None or top_labels[-1].page is None or labels[0].page <= top_labels[-1].page:
        return None
    order = (3, 2) if region_table == 3 else (2, 3)
    with_values, empty = (labels, top_labels) if top_empty else (top_labels, labels)
    if resolve_row(with_values, template, order) is not None:
        return None
    alone = resolve_row(empty, template, order)
    for whole in _joinings(top_labels, labels):
        joined = resolve_row(whole, template, order)
        if joined is not None and (alone is None or alone[:2] == joined[:2]):
            return whole
    return None


def _joinings(top: list[Cell], bottom: list[Cell]) -> list[list[Cell]]:
    """The ways two halves of a cut row's labels join: cell by cell when both print the same label
    columns (group label and sub-label each cut: ``（六）`` + ``其他处理``, ``1.申请`` + ``人无正当…``),
    and the top's last piece with the bottom's first."""
    def glued(a: Cell, b: Cell) -> Cell:
        return Cell(a.text.strip() + b.text.strip(), a.line_no, a.page, a.method)  # labels: no OCR confidence kept

    out = [[*top[:-1], glued(top[-1], bottom[0]), *bottom[1:]]]
    if len(top) == len(bottom) > 1:
        out.insert(0, [glued(a, b) for a, b in zip(top, bottom, strict=True)])
    return out
