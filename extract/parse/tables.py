"""Find 表二/表三/表四 in a Document and map their cells to canonical keys.

Rows are matched by label (seeds/label_aliases.csv), never by position. Values
go to columns by the block's header where one is printed, else by the
template's column order for the detected format. Rules used to place values:

* Empty cells beyond the expected column count are dropped from the end of
  the row first (a trailing tab), then from its start (a merged label cell).
* A row with as many cells as columns is placed cell by cell; a row with all
  cells empty is stored as blanks; any other row is a ``unplaceable_values``
  parse issue.
* 表三 "single value" rule: when every 表三 row with numbers carries exactly one
  number, printed at the right edge of its row (at most one empty cell after
  it), and the positions of those numbers disagree between rows, the table is
  a totals-only rendering whose grid was lost: the number is stored under
  ``total`` with read method ``single_value_total`` and an info issue. If the
  numbers are not all at the right edge, the rows become parse issues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from extract.layout.rows import Cell, LogicalRow, build_rows
from extract.parse.model import ExtractedCell, ParseIssue
from extract.parse.template import Column, Template, normalize_label
from extract.parse.values import looks_like_value, parse_value
from extract.readers.document import Document, Line

_HEADING_MAX_CHARS = 40
_LABEL_MAX_CHARS = 90
_T4_BLOCKS = ("admin_reconsideration", "litigation_direct", "litigation_after_reconsideration")
_SUBROW_NUMBER = re.compile(r"^\s*(\d{1,2})\s*(?:[.、．,，]|(?=[\u4e00-\u9fff]))")
_MISPRINT_SIMILARITY = 0.6
_OCR_SIMILARITY = 0.75
_FUZZY_MIN_CHARS = 4


@dataclass
class RawRow:
    """A data row found in a table, before its values are placed in columns."""

    table_no: int
    row_key: str
    label: str
    values: list[Cell]
    tabular: bool
    header: list[str] | None = None
    block: str | None = None


@dataclass
class TableScan:
    """Rows found per table, and the header columns seen (for format detection)."""

    rows: dict[int, list[RawRow]] = field(default_factory=lambda: {2: [], 3: []})
    header_cols: set[str] = field(default_factory=set)
    t4_labelled: list[RawRow] = field(default_factory=list)
    t4_values: list[Cell] = field(default_factory=list)
    t4_orphan: list[Cell] = field(default_factory=list)
    found_tables: set[int] = field(default_factory=set)
    issues: list[ParseIssue] = field(default_factory=list)


def _line_label(line: Line) -> str:
    text = "".join(line.cells) if line.cells else line.text
    return normalize_label(text)


def find_regions(doc: Document, template: Template) -> list[tuple[int | None, list[Line]]]:
    """Table regions: from each table heading to the next heading or section end.

    Without any heading, the whole document is one region of unknown table.
    """
    marks: list[tuple[int, int | None]] = []
    for index, line in enumerate(doc.lines):
        label = _line_label(line)
        if not label or len(label) > _HEADING_MAX_CHARS:
            continue
        table = template.match_table(label, "table")
        if table:
            marks.append((index, table[0]))
        elif template.match_table(label, "section_end"):
            marks.append((index, None))
    if not any(table for _, table in marks):
        return [(None, doc.lines)]
    regions = []
    for position, (index, table) in enumerate(marks):
        if table is None:
            continue
        end = marks[position + 1][0] if position + 1 < len(marks) else len(doc.lines)
        regions.append((table, doc.lines[index + 1 : end]))
    return regions


def _resolve_row(labels: list[Cell], template: Template, tables: tuple[int, ...]) -> tuple[int, str, str] | None:
    """(table_no, row_key, label) for the row's last label, re-joining wrapped fragments.

    A last label that starts with a sub-row number (``1.``) starts its own
    label, so it is never joined to the group label before it.
    """
    texts = [c.text.strip() for c in labels]
    for span in (1, 2, 3):
        if span > len(texts) or (span > 1 and _SUBROW_NUMBER.match(texts[-1])):
            break
        raw = "".join(texts[-span:])
        label = normalize_label(raw)
        if not label or len(label) > _LABEL_MAX_CHARS:
            continue
        if span == 1 and len(label) <= 1:
            continue
        for table_no in tables:
            key = template.match(label, "row", table_no)
            if key:
                return table_no, key, raw
    return None


def _resolve_by_number(
    labels: list[Cell], previous_key: str | None, template: Template
) -> tuple[int, str, str] | None:
    """A misprinted 表三 sub-row label (``2.其他法律行政止公开``) read by its number.

    Only when the previous row is sub-row N-1 of the same outcome group and
    the printed text is close to the template label; the caller records it.
    """
    if not labels or previous_key is None:
        return None
    raw = labels[-1].text.strip()
    number = _SUBROW_NUMBER.match(raw)
    if not number:
        return None
    previous = template.row(3, previous_key)
    wanted = template.numbered_sibling(3, previous_key, int(number[1]))
    before = template.numbered_sibling(3, previous_key, int(number[1]) - 1)
    if previous is None or wanted is None or before is None or before.row_key != previous_key:
        return None
    label = normalize_label(raw)
    best = max((SequenceMatcher(None, label, alias).ratio() for alias in template.labels_of(3, wanted.row_key)),
               default=0.0)
    return (3, wanted.row_key, raw) if best >= _MISPRINT_SIMILARITY else None


def _resolve_fuzzily(labels: list[Cell], template: Template, tables: tuple[int, ...]) -> tuple[int, str, str] | None:
    """An OCR-read label matched to the most similar template row (clearly best, similar enough)."""
    for span in (1, 2):
        if span > len(labels):
            break
        raw = "".join(c.text.strip() for c in labels[-span:])
        label = normalize_label(raw)
        if len(label) < _FUZZY_MIN_CHARS:
            continue
        for table_no in tables:
            hit = template.fuzzy_row(label, table_no, _OCR_SIMILARITY)
            if hit:
                return table_no, hit[0], raw
    return None


def scan_tables(doc: Document, template: Template) -> TableScan:
    """Collect the data rows of 表二 and 表三 and the cells of 表四."""
    scan = TableScan()
    for region_table, lines in find_regions(doc, template):
        if region_table:
            scan.found_tables.add(region_table)
        if region_table == 4:
            _scan_table4(build_rows(lines), template, scan)
            continue
        order = (3, 2) if region_table == 3 else (2, 3)
        _scan_rows(build_rows(lines), template, order, scan)
    return scan


def _scan_rows(rows: list[LogicalRow], template: Template, order: tuple[int, ...], scan: TableScan) -> None:
    header: list[str] | None = None
    block: str | None = None
    previous: LogicalRow | None = None
    previous_key: str | None = None
    for row in rows:
        labels, values, trailing = row.split()
        if not labels and previous is not None and _is_t4_header_fragment(previous, template):
            scan.t4_orphan = values
        previous = row
        row_header: list[str] = []
        is_header = False
        for cell in labels:
            label = normalize_label(cell.text)
            marker = template.match(label, "block", 2)
            if marker:
                block, header = marker, None
            col2 = template.match(label, "col", 2)
            if col2:
                row_header.append(col2)
            if template.match(label, "col", 3) or template.match(label, "header", 3):
                is_header = True
        if row_header:
            header = row_header
            scan.header_cols.update(row_header)
        resolved = _resolve_row(labels, template, order)
        if resolved is None and 3 in order:
            resolved = _resolve_by_number(labels, previous_key, template)
            if resolved is not None:
                scan.issues.append(ParseIssue(
                    "info", "row_matched_by_number",
                    f"row label {resolved[2]!r} is not the template's wording; read as {resolved[1]} "
                    "by its number after the previous sub-row of the same group",
                    3, resolved[1], labels[-1].line_no, labels[-1].page,
                ))
        if resolved is None and labels and labels[-1].method == "ocr":
            resolved = _resolve_fuzzily(labels, template, order)
            if resolved is not None:
                scan.issues.append(ParseIssue(
                    "info", "row_matched_fuzzily",
                    f"OCR-read label {resolved[2]!r} matched to {resolved[1]} by similarity",
                    resolved[0], resolved[1], labels[-1].line_no, labels[-1].page,
                ))
        if resolved is None:
            if any(c.text.strip() for c in values) and labels:
                scan.issues.append(ParseIssue(
                    "warning", "unmatched_row",
                    f"row label {''.join(c.text for c in labels)!r} matches no template row; "
                    f"values {[c.text for c in values if c.text.strip()]} not stored",
                    line_no=labels[-1].line_no, page=labels[-1].page,
                ))
            continue
        table_no, row_key, raw_label = resolved
        if table_no == 3:
            previous_key = row_key
        has_numbers = any(c.text.strip() for c in values)
        if not has_numbers and (is_header or row_header or not row.tabular or not values):
            continue
        if trailing:
            scan.issues.append(ParseIssue(
                "warning", "text_after_values",
                f"text {[c.text for c in trailing]} after the values of {raw_label!r} ignored",
                table_no, row_key, trailing[0].line_no, trailing[0].page,
            ))
        scan.found_tables.add(table_no)
        scan.rows[table_no].append(RawRow(
            table_no, row_key, raw_label, values, row.tabular,
            header if table_no == 2 else None, block if table_no == 2 else None,
        ))


def _is_t4_header_fragment(row: LogicalRow, template: Template) -> bool:
    """A row of 表四 header fragments (e.g. single characters of 结果维持 set vertically)."""
    texts = [normalize_label(c.text) for c in row.cells if c.text.strip()]
    headers = [a.alias for a in template.aliases if a.table_no == 4 and a.kind == "col"]
    if len(texts) < 8 or any(looks_like_value(c.text) for c in row.cells if c.text.strip()):
        return False
    inside = sum(1 for t in texts if any(t in h for h in headers))
    return inside * 5 >= len(texts) * 4


def _scan_table4(rows: list[LogicalRow], template: Template, scan: TableScan) -> None:
    for row in rows:
        labels, values, _ = row.split()
        if not any(c.text.strip() for c in values):
            continue
        resolved = _resolve_row(labels, template, (4,)) if labels else None
        if resolved and len([c for c in values if c.text.strip()]) <= 5:
            scan.t4_labelled.append(RawRow(4, resolved[1], resolved[2], values, row.tabular))
        else:
            scan.t4_values.extend(values if row.tabular else [c for c in values if c.text.strip()])


def detect_version(scan: TableScan, template: Template, year: int | None) -> tuple[str, str]:
    """(template_version, basis): from table headers and 2021-only rows, else the year."""
    votes = set()
    for col_key in scan.header_cols:
        for col in template.columns:
            if col.table_no == 2 and col.col_key == col_key and col.in_2019 != col.in_2021:
                votes.add("2019" if col.in_2019 else "2021")
    for row in scan.rows[3]:
        info = template.row(3, row.row_key)
        if info and info.in_2021 and not info.in_2019:
            votes.add("2021")
    if len(votes) == 1:
        return votes.pop(), "table_headers"
    if len(votes) > 1:
        return ("2021" if (year or 0) >= 2021 else "2019"), "conflicting_headers_year"
    if year is None:
        return "2021", "default"
    if year < 2019:
        return "legacy", "report_year"
    return ("2019" if year <= 2020 else "2021"), "report_year"


def _fit(values: list[Cell], expected: int) -> list[Cell] | None:
    """Drop surplus empty cells (end first, then start); ``None`` if the row cannot fit."""
    cells = list(values)
    while len(cells) > expected and not cells[-1].text.strip():
        cells.pop()
    while len(cells) > expected and not cells[0].text.strip():
        cells.pop(0)
    if len(cells) == expected:
        return cells
    if cells and not any(c.text.strip() for c in cells):
        return [cells[0]] * expected if cells else None
    return None


def _make_cell(raw: RawRow, column: Column, cell: Cell, placement: str) -> ExtractedCell:
    unit_hint = column.unit if column.unit == "万元" else None
    parsed = parse_value(cell.text, unit_hint)
    return ExtractedCell(
        raw.table_no, raw.row_key, column.col_key, cell.text.strip(), parsed.value, parsed.state,
        parsed.unit or (column.unit if parsed.state == "number" else None),
        cell.line_no, cell.page, cell.method, placement, raw.label,
    )


def _columns_for(raw: RawRow, template: Template, version: str) -> tuple[list[Column], str]:
    row = template.row(raw.table_no, raw.row_key)
    block = row.block if row else "requests"
    if raw.header:
        cols = [template.column(raw.table_no, block, key) for key in raw.header]
        if all(cols):
            return [c for c in cols if c], "header"
    return template.block_columns(raw.table_no, block, version), "template_order"


def place_rows(
    raws: list[RawRow], template: Template, version: str, issues: list[ParseIssue]
) -> list[ExtractedCell]:
    """Place each row's values in columns; unplaceable rows become parse issues."""
    cells: list[ExtractedCell] = []
    placed: dict[str, list[ExtractedCell]] = {}
    unplaced: list[tuple[RawRow, list[Column]]] = []
    for raw in raws:
        columns, basis = _columns_for(raw, template, version)
        fitted = _fit(raw.values, len(columns)) if columns else None
        if fitted is None:
            unplaced.append((raw, columns))
            continue
        row_cells = [_make_cell(raw, col, cell, basis) for col, cell in zip(columns, fitted, strict=True)]
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
    unplaced: list[tuple[RawRow, list[Column]]],
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
        cells.append(_make_cell(raw, total, value_cell, "single_value_total"))
    issues.append(ParseIssue(
        "info", "single_value_rule",
        f"表三 prints one number per row at the right edge in {len(cells)} rows with no consistent "
        "grid; each is stored as the row's 总计 (total) and the other columns are absent",
        3,
    ))
    return cells


def place_table4(scan: TableScan, template: Template, issues: list[ParseIssue]) -> list[ExtractedCell]:
    """表四: labelled block rows of 5 values, or one run of 15 values in template order."""
    columns = template.block_columns(4, "review", "2021")
    cells: list[ExtractedCell] = []
    if scan.t4_labelled:
        for raw in scan.t4_labelled:
            fitted = _fit(raw.values, len(columns))
            if fitted is None:
                issues.append(ParseIssue("warning", "unplaceable_values",
                                         f"表四 row {raw.label!r} does not have 5 cells", 4, raw.row_key))
                continue
            pairs = zip(columns, fitted, strict=True)
            cells.extend(_make_cell(raw, col, cell, "header") for col, cell in pairs)
        return cells
    values = scan.t4_values
    if not values and scan.t4_orphan:
        values = scan.t4_orphan
        issues.append(ParseIssue(
            "info", "table4_without_heading",
            "表四 heading missing: a row of 15 cells under 表四 header fragments was read as 表四", 4,
            line_no=values[0].line_no, page=values[0].page,
        ))
    if not values:
        return cells
    fitted = _fit(values, 15)
    if fitted is None:
        issues.append(ParseIssue(
            "warning", "unplaceable_values",
            f"表四 has {len(values)} value cells, not 15: {[c.text.strip() for c in values]}; not stored", 4,
            line_no=values[0].line_no, page=values[0].page,
        ))
        return cells
    for index, block in enumerate(_T4_BLOCKS):
        raw = RawRow(4, block, "", fitted[index * 5 : index * 5 + 5], True)
        cells.extend(_make_cell(raw, col, cell, "template_order")
                     for col, cell in zip(columns, raw.values, strict=True))
    return cells
