"""表四 (administrative reconsideration and litigation): labelled block rows of 5 values, or one run of 15."""

from __future__ import annotations

from extract.layout.cells import LogicalRow
from extract.parse.headers import header_out_of_order
from extract.parse.labels import resolve_row
from extract.parse.model import ExtractedCell, ParseIssue
from extract.parse.placement import fit, make_cell, row_sum_holds
from extract.parse.scan import RawRow, TableScan, label_side_unknown
from extract.parse.template import Template, normalize_label
from extract.parse.values import looks_like_value

_T4_BLOCKS = ("admin_reconsideration", "litigation_direct", "litigation_after_reconsideration")


def is_t4_header_fragment(row: LogicalRow, template: Template) -> bool:
    """A row of 表四 header fragments (e.g. single characters of 结果维持 set vertically)."""
    texts = [normalize_label(c.text) for c in row.cells if c.text.strip()]
    headers = [a.alias for a in template.aliases if a.table_no == 4 and a.kind == "col"]
    if len(texts) < 8 or any(looks_like_value(c.text) for c in row.cells if c.text.strip()):
        return False
    inside = sum(1 for t in texts if any(t in h for h in headers))
    return inside * 5 >= len(texts) * 4


def scan_table4(rows: list[LogicalRow], template: Template, scan: TableScan) -> None:
    transposed: list[str] = []
    for row in rows:
        labels, values, _ = row.split()
        texts = [c.text for c in labels if not c.carried]  # pieces carried from lines above keep no order
        if header_out_of_order(texts, template, 4):
            scan.reordered.setdefault(4, " | ".join(texts))
        if not any(c.text.strip() for c in values):
            continue
        if len(labels) == 1 and template.match(normalize_label(labels[0].text), "col", 4):
            transposed.append(labels[0].text)  # 结果维持 | 3 | 0 | 1: the results printed as rows
        resolved = resolve_row(labels, template, (4,)) if labels else None
        if resolved and row.label_unsure:
            scan.issues.append(label_side_unknown(values))
            continue
        if resolved and len([c for c in values if c.text.strip()]) <= 5:
            scan.t4_labelled.append(RawRow(4, resolved[1], resolved[2], values, row.tabular, loose=row.loose,
                                           inferred=row.inferred))
        else:
            scan.t4_values.extend(values if row.tabular else [c for c in values if c.text.strip()])
            scan.t4_loose = scan.t4_loose or row.loose or row.inferred
    if len(transposed) >= 2:
        scan.reordered.setdefault(4, f"{' / '.join(transposed)} printed as rows (the table transposed)")


def place_table4(scan: TableScan, template: Template, issues: list[ParseIssue]) -> list[ExtractedCell]:
    """表四: labelled block rows of 5 values, or one run of 15 values in template order."""
    columns = template.block_columns(4, "review", "2021")
    cells: list[ExtractedCell] = []
    if scan.t4_labelled:
        for raw in scan.t4_labelled:
            fitted = fit(raw.values, len(columns))
            if fitted is None:
                issues.append(ParseIssue("warning", "unplaceable_values",
                                         f"表四 row {raw.label!r} does not have 5 cells", 4, raw.row_key))
                continue
            how = "column_positions" if raw.inferred else "header"
            row_cells = [make_cell(raw, col, cell, how) for col, cell in zip(columns, fitted, strict=True)]
            if (raw.loose or raw.inferred) and not row_sum_holds(row_cells):
                issues.append(_unverified(raw.label, row_cells))
                continue
            cells.extend(row_cells)
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
    fitted = fit(values, 15)
    if fitted is None:
        issues.append(ParseIssue(
            "warning", "unplaceable_values",
            f"表四 has {len(values)} value cells, not 15: {[c.text.strip() for c in values]}; not stored", 4,
            line_no=values[0].line_no, page=values[0].page,
        ))
        return cells
    blocks = []
    for index, block in enumerate(_T4_BLOCKS):
        raw = RawRow(4, block, "", fitted[index * 5 : index * 5 + 5], True)
        blocks.append([make_cell(raw, col, cell, "split_run" if scan.t4_split else "template_order")
                       for col, cell in zip(columns, raw.values, strict=True)])
    if scan.t4_loose and not all(row_sum_holds(block) for block in blocks):
        issues.append(_unverified("表四", [c for block in blocks for c in block]))
        return cells
    return [c for block in blocks for c in block]


def _unverified(label: str, row_cells: list[ExtractedCell]) -> ParseIssue:
    return ParseIssue(
        "warning", "row_unverified",
        f"表四 {label!r} was read from text without separators and a 总计 is not the sum of its parts "
        f"({[c.raw_text for c in row_cells]}); not stored", 4,
        line_no=row_cells[0].line_no, page=row_cells[0].page)
