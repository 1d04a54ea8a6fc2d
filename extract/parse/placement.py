"""Place each table row's values in the template's columns.

Values go to columns by the block's header where one is printed, else by the
template's column order for the detected format. Rules used to place values:

* Empty cells beyond the expected column count are dropped from the end of
  the row first (a trailing tab), then from its start (a merged label cell).
* A row with as many cells as columns is placed cell by cell; a row with all
  cells empty is stored as blanks; any other row is a ``unplaceable_values``
  parse issue.
* A row whose cells were cut from text without separators (``loose``), whose
  blank cells were put where its values' positions say (``inferred``: each value inside one
  column span, :mod:`extract.layout.sparse`; placement ``column_positions``), or
  that was placed by its position in the template (``sequence``) is verified:
  where it has a 总计 column, that must equal the sum of its other columns, or the row is a
  ``row_unverified`` parse issue and nothing of it is stored. A blank 总计 beside zeros sums
  vacuously: such a row rests on its positions alone, so the layout stage places it only when
  no value line below it may hold the rest of the row.
* 表三 "single value" rule: when every 表三 row with numbers carries exactly one
  number, printed at the right edge of its row (at most one empty cell after
  it), and the positions of those numbers disagree between rows, the table is
  a totals-only rendering whose grid was lost: the number is stored under
  ``total`` with read method ``single_value_total`` and an info issue. If the
  numbers are not all at the right edge, the rows become parse issues."""

from __future__ import annotations

from decimal import Decimal

from extract.layout.cells import Cell
from extract.parse.model import ExtractedCell, ParseIssue
from extract.parse.scan import UNKNOWN_COLUMN, RawRow
from extract.parse.subtotal import SOMEWHERE, table_place, without_subtotal
from extract.parse.template import Column, Template
from extract.parse.values import AMOUNT_UNIT, parse_value


def fit(values: list[Cell], expected: int, text_cut: bool = False) -> list[Cell] | None:
    """Drop surplus empty cells (end first, then start); ``None`` if the row cannot fit. With
    ``text_cut`` (a text cell after the values was cut off) no empty cell is dropped from the start:
    with the text a cell, the values might have filled the row's end (``\t\t4 … 0\t不详`` under a label
    spanning three columns)."""
    cells = list(values)
    while len(cells) > expected and not cells[-1].text.strip():
        cells.pop()
    if text_cut and len(cells) > expected:
        return None
    while len(cells) > expected and not cells[0].text.strip():
        cells.pop(0)
    if len(cells) == expected:
        return cells
    if cells and not any(c.text.strip() for c in cells):
        return [cells[0]] * expected if cells else None
    return None


def make_cell(raw: RawRow, column: Column, cell: Cell, placement: str) -> ExtractedCell:
    unit_hint = column.unit if column.unit == AMOUNT_UNIT else None
    parsed = parse_value(cell.text, unit_hint, "元" if column.col_key in raw.in_yuan else None)
    return ExtractedCell(
        raw.table_no, raw.row_key, column.col_key, parsed.raw.strip(), parsed.value, parsed.state,
        parsed.unit or (column.unit if parsed.state == "number" else None),
        cell.line_no, cell.page, cell.method, placement, raw.label, cell.confidence,
    )


def _columns_for(raw: RawRow, template: Template, version: str) -> tuple[list[Column | None], str]:
    """The row's columns: its block's printed header, else the template's order for the format;
    ``None`` for a header cell naming a column the template does not have.

    A header read only in part (a header cell wrapped or misprinted) is used
    only to confirm the template's order: its columns must be the template's,
    in the template's order.
    """
    row = template.row(raw.table_no, raw.row_key)
    block = row.block if row else "requests"
    ordered = template.block_columns(raw.table_no, block, version)
    header = list(dict.fromkeys(raw.header or []))  # a spanned header cell printed again in each column
    if any(key.startswith(UNKNOWN_COLUMN) for key in header):
        cols = [None if key.startswith(UNKNOWN_COLUMN) else template.column(raw.table_no, block, key) for key in header]
        return cols, "header"  # a column the template does not have: its values are not stored
        cols = [template.column(raw.table_no, block, key) for key in header]
        if all(cols) and fit(raw.values, len(cols)) is not None:
            return [c for c in cols if c], "header"
        keys = [c.col_key for c in ordered]
        if not all(key in keys for key in header) or [k for k in keys if k in header] != header:
            return [c for c in cols if c], "header"
    return ordered, "template_order"


def row_sum_holds(row_cells: list[ExtractedCell]) -> bool:
    """The row's 总计 equals the sum of its other columns (表三, 表四; blank and dash count 0).

    A row without a 总计 column (表二) passes.
    """
    by_col = {c.col_key: c for c in row_cells}
    if by_col.get("total") is None:
        return True
    if any(c.cell_state == "text" for c in row_cells):
        return False
    parts = sum((c.value or Decimal(0)) for key, c in by_col.items() if key != "total")
    return parts == (by_col["total"].value or Decimal(0))


def place_rows(
    raws: list[RawRow], template: Template, version: str, issues: list[ParseIssue], subtotal_at: int | None = None
) -> list[ExtractedCell]:
    """Place each row's values in columns; unplaceable rows become parse issues. ``subtotal_at``:
    where 表三's header prints a 小计 column (:mod:`extract.parse.subtotal`)."""
    cells: list[ExtractedCell] = []
    placed: dict[str, list[ExtractedCell]] = {}
    unplaced: list[tuple[RawRow, list[Column | None]]] = []
    if subtotal_at == SOMEWHERE:
        width = len(template.block_columns(3, "requests", version))
        subtotal_at = table_place([r.values for r in raws if r.table_no == 3], width)
    for raw in raws:
        if not any(c.text.strip() for c in raw.values) and template.is_group_parent(raw.table_no, raw.row_key, version):
            continue  # a group label printed as a row of empty cells above its sub-rows: a label, not blanks
        columns, basis = _columns_for(raw, template, version)
        fitted = fit(raw.values, len(columns), raw.text_cut) if columns else None
        if fitted is None and subtotal_at is not None and raw.table_no == 3 and basis == "template_order":
            fitted = without_subtotal(raw.values, subtotal_at, len(columns))
            basis = "header" if fitted else basis  # the printed header named the column dropped
        if fitted is None:
            unplaced.append((raw, columns))
            continue
        if raw.how == "sequence":
            basis = "row_sequence"
        elif raw.how == "split_run":
            basis = "split_run"
        elif raw.inferred:
            basis = "column_positions"
        row_cells = [make_cell(raw, col, cell, basis) for col, cell in zip(columns, fitted, strict=True) if col]
        unknown = list(dict.fromkeys(raw.header or [])) if None in columns else []
        for header, cell in zip(unknown, fitted, strict=False):
            if header.startswith(UNKNOWN_COLUMN) and cell.text.strip():
                issues.append(ParseIssue(
                    "warning", "column_not_in_template",
                    f"表二 row {raw.label!r} prints {cell.text!r} under {header[1:]!r}, a column the template does "
                    "not have; not stored", raw.table_no, raw.row_key, cell.line_no, cell.page))
        if (raw.loose or raw.inferred or raw.how == "sequence") and not (
                row_sum_holds(row_cells)):
            how = ("from text without separators" if raw.loose else "with blank cells placed by its values' "
                   "positions" if raw.inferred else "by its position in the template")
            issues.append(ParseIssue(
                "warning", "row_unverified",
                f"row {raw.label!r} ({raw.row_key}) was read {how} "
                f"and its 总计 is not the sum of its parts ({[c.raw_text for c in row_cells]}); not stored",
                raw.table_no, raw.row_key, raw.values[0].line_no if raw.values else None,
                raw.values[0].page if raw.values else None,
            ))
            continue
        previous = placed.get(raw.row_key)
        if previous is not None:
            keep_new = all(c.cell_state == "blank" for c in previous) and any(
                c.cell_state != "blank" for c in row_cells)
            issues.append(ParseIssue(
                "info", "duplicate_row",
                f"row {raw.row_key} printed twice; kept the {'second' if keep_new else 'first'}",
                raw.table_no, raw.row_key, raw.values[0].line_no if raw.values else None,
            ))
            if not keep_new:
                continue
        placed[raw.row_key] = row_cells
        info = template.row(raw.table_no, raw.row_key)
        if info and not info.is_template_row:
            issues.append(ParseIssue(
                "info", "non_template_row", f"row {raw.label!r} is not in the national template; kept",
                raw.table_no, raw.row_key, raw.values[0].line_no if raw.values else None,
            ))
    if raws and raws[0].table_no == 3:
        rule_cells = _single_value_rule(raws, placed, unplaced, template, issues)
        if rule_cells is not None:
            return rule_cells
    for raw, columns in unplaced:
        shown = [c.text.strip() for c in raw.values if c.text.strip()]
        issues.append(ParseIssue(
            "warning", "unplaceable_values",
            f"row {raw.label!r} has {len(raw.values)} cells for {len(columns)} columns "
            f"({shown}); values not stored",
            raw.table_no, raw.row_key, raw.values[0].line_no if raw.values else None,
            raw.values[0].page if raw.values else None,
        ))
    for row_cells in placed.values():
        cells.extend(row_cells)
    return cells


def _single_value_rule(
    raws: list[RawRow],
    placed: dict[str, list[ExtractedCell]],
    unplaced: list[tuple[RawRow, list[Column | None]]],
    template: Template,
    issues: list[ParseIssue],
) -> list[ExtractedCell] | None:
    with_numbers = [r for r in raws if any(c.text.strip() for c in r.values)]
    if len(with_numbers) < 2:
        return None
    if any(sum(1 for c in r.values if c.text.strip()) != 1 for r in with_numbers):
        return None
    positions = set()
    for raw in with_numbers:
        row_cells = placed.get(raw.row_key)
        if row_cells is None:
            positions.add(None)
        else:
            positions.update(c.col_key for c in row_cells if c.cell_state != "blank")
    if len(positions) == 1 and None not in positions:
        return None
    at_edge = all(
        max(i for i, c in enumerate(r.values) if c.text.strip()) >= len(r.values) - 2
        and r.tabular for r in with_numbers
    )
    if not at_edge:
        for raw in with_numbers:
            placed.pop(raw.row_key, None)
        unplaced[:] = [(r, []) for r in with_numbers]
        return None
    total = next(c for c in template.columns if c.table_no == 3 and c.col_key == "total")
    cells: list[ExtractedCell] = []
    seen: set[str] = set()
    for raw in with_numbers:
        if raw.row_key in seen:
            continue
        seen.add(raw.row_key)
        value_cell = next(c for c in raw.values if c.text.strip())
        cells.append(make_cell(raw, total, value_cell, "single_value_total"))
    issues.append(ParseIssue(
        "info", "single_value_rule",
        f"表三 prints one number per row at the right edge in {len(cells)} rows with no consistent "
        "grid; each is stored as the row's 总计 (total) and the other columns are absent",
        3,
    ))
    return cells
