"""One file's bytes → :class:`ExtractedReport`. Pure: no I/O, no shared state."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from extract.parse.metadata import apply_overrides, read_metadata
from extract.parse.model import ExtractedCell, ExtractedReport, ParseIssue
from extract.parse.placement import place_rows
from extract.parse.region import detect_region
from extract.parse.regions import detect_version
from extract.parse.runs import long_lines, scan_runs
from extract.parse.scan import TableScan, scan_tables
from extract.parse.table4 import place_table4
from extract.parse.template import Template, load_template
from extract.parse.values import AMOUNT_UNIT, UNREADABLE, footnoted
from extract.readers import ReaderError, read_document


def extract_report(data: bytes, name: str, template: Template | None = None,
                   overrides: dict[str, str] | None = None) -> ExtractedReport:
    """Parse one report. Raises :class:`~extract.readers.ReaderError` if it cannot be read.

    ``overrides`` (from the reports folder's manifest.csv) replace what is detected:
    ``agency``, ``year``, ``division_code``, ``scope``, ``url``.
    """
    template = template or load_template()
    doc = read_document(data, name)
    meta = read_metadata(doc)
    apply_overrides(meta, overrides or {})
    region = detect_region(meta.agency_name, meta.title, [line.text for line in doc.lines[:400]],
                           division_override=(overrides or {}).get("division_code") or None)
    meta.division_code, meta.area_name = region.division_code, region.area_name
    meta.region_basis, meta.agency_key = region.basis, region.agency_key
    scan = scan_tables(doc, template)
    version = detect_version(scan, template, meta.report_year)[0]
    if _read_loosely(scan, template, version):
        scan = scan_tables(doc, template, version)
    if not (scan.rows[2] or scan.rows[3] or scan.t4_values or scan.t4_labelled) and long_lines(doc):
        scan_runs(doc, template, detect_version(scan, template, meta.report_year)[0], scan)
    meta.template_version, meta.version_basis = detect_version(scan, template, meta.report_year)
    issues = [ParseIssue("warning", code, message, page=page) for code, message, page in doc.warnings]
    issues += scan.issues
    issues += _refuse_reordered(scan)
    cells = []
    cells += place_rows(scan.rows[2], template, meta.template_version, issues)
    cells += place_rows(scan.rows[3], template, meta.template_version, issues, scan.subtotal_at)
    if scan.subtotal_at is not None and any(c.table_no == 3 and c.placement == "header" for c in cells):
        issues.append(ParseIssue(
            "info", "subtotal_column",
            "表三 prints a 小计 column (法人或其他组织 summed) the template does not have: rows whose 小计 is the sum "
            "of the five kinds and whose 总计 is 自然人 plus 小计 are stored without it; others are not stored", 3))
    cells += place_table4(scan, template, issues)
    cells = [_fit(cell, issues, template) for cell in cells]
    for cell in cells:
        if footnoted(cell.raw_text):
            issues.append(ParseIssue(
                "warning", "value_with_mark",
                f"表{'二三四'[cell.table_no - 2]} {cell.row_key}.{cell.col_key} is {cell.raw_text[:40]!r}: "
                "a number with a footnote mark; stored as text with no value (the mark points to a note)",
                cell.table_no, cell.row_key, cell.line_no, cell.page))
        if cell.raw_text.startswith(UNREADABLE):
            issues.append(ParseIssue(
                "warning", "ocr_unreadable",
                f"OCR could not read 表{'二三四'[cell.table_no - 2]} {cell.row_key}.{cell.col_key} with confidence "
                f"(readings {cell.raw_text[1:]!r}); stored as text with no value",
                cell.table_no, cell.row_key, cell.line_no, cell.page,
            ))
    if not cells and not scan.found_tables and (meta.agency_name is None or meta.report_year is None):
        raise ReaderError("not_a_report", "no report title and none of 表二/表三/表四 were found: "
                          "this does not look like a government information disclosure annual report")
    present = {c.table_no for c in cells}
    if not cells and scan.headings >= {2, 3, 4}:
        issues.append(ParseIssue(
            "error", "no_cells_read",
            "the headings of 表二, 表三 and 表四 were all found but no cell under them could be read "
            "with confidence: the tables are printed in a layout the parser does not read"))
    for table_no in (2, 3, 4):
        if table_no not in present:
            found = "heading found, no cell read" if table_no in scan.headings else "not found"
            issues.append(ParseIssue("warning", "table_missing", f"表{'二三四'[table_no - 2]} {found}", table_no))
    if meta.agency_name is None or meta.report_year is None:
        issues.append(ParseIssue("warning", "title_unread", "agency name or report year not found in the title"))
    return ExtractedReport(doc.source_format, doc.read_method, meta, cells, issues)


def _refuse_reordered(scan: TableScan) -> list[ParseIssue]:
    """A 表三 or 表四 whose header prints its columns in another order than the template (总计 first,
    复议后起诉 before 未经复议直接起诉, the table transposed): its values would all land in the wrong
    columns, so none is stored (docs/template_spec.md §4.3)."""
    out = []
    for table_no, printed in scan.reordered.items():
        if table_no == 3:
            scan.rows[3] = []
        else:
            scan.t4_labelled, scan.t4_values, scan.t4_orphan = [], [], []
        out.append(ParseIssue(
            "error", "columns_out_of_order",
            f"表{'二三四'[table_no - 2]} prints its columns in another order than the template ({printed[:80]!r}); "
            "no cell of it is stored", table_no))
    return out


def _read_loosely(scan: TableScan, template: Template, version: str) -> bool:
    """Whether a row of the first reading (against both formats) depends on the format: it names a
    row the detected ``version`` does not print, or was placed by its position in the template.
    Such tables are read again against that format alone (docs/template_spec.md §2)."""
    if version not in ("2019", "2021"):
        return False
    for table_no in (2, 3):
        for row in scan.rows[table_no]:
            info = template.row(table_no, row.row_key)
            if row.how == "sequence" or (info is not None and not info.in_format(version)):
                return True
    return False


MAX_VALUE = Decimal(10) ** 14
"""raw.cells.value is DECIMAL(20, 6): 14 digits before the point. No count or 万元 amount comes near it."""
MONEY_UNITS = frozenset({AMOUNT_UNIT, "元"})


def _fit(cell: ExtractedCell, issues: list[ParseIssue], template: Template) -> ExtractedCell:
    """A number too large for the warehouse (a misprint, digits run together), a count that is not
    a whole number, or a value whose printed unit is money in a count column (or a count in an
    amount column), is text with an issue: never rounded, never a guess."""
    if cell.value is None:
        return cell
    where = f"表{'二三四'[cell.table_no - 2]} {cell.row_key}.{cell.col_key} is {cell.raw_text[:40]!r}"
    column_unit = template.unit_of(cell.table_no, cell.row_key, cell.col_key)
    if abs(cell.value) >= MAX_VALUE or cell.value != cell.value.quantize(Decimal("1e-6")):
        code, why = "value_out_of_range", "more than 14 digits or 6 decimals, which no count or amount has"
    elif column_unit is not None and cell.unit and (cell.unit in MONEY_UNITS) != (column_unit in MONEY_UNITS):
        code, why = "unit_mismatch", f"printed in {cell.unit} in a column of {column_unit} (an amount among counts, " \
            "or a count among amounts)"
    elif cell.value != cell.value.to_integral_value() and column_unit not in (AMOUNT_UNIT, None):
        code, why = "count_not_whole", "a count with a fraction (a misprint, or an amount in the wrong column)"
    else:
        return cell
    issues.append(ParseIssue("warning", code, f"{where}: {why}; stored as text with no value",
                             cell.table_no, cell.row_key, cell.line_no, cell.page))
    return dataclasses.replace(cell, value=None, cell_state="text")
