"""Where 表二/表三/表四 are in a Document, and which format (2019 or 2021) they follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extract.parse.template import Template, normalize_label
from extract.readers.document import Document, Line

if TYPE_CHECKING:
    from extract.parse.scan import TableScan

_HEADING_MAX_CHARS = 40


def line_label(line: Line) -> str:
    text = "".join(line.cells) if line.cells else line.text
    return normalize_label(text)


def find_regions(doc: Document, template: Template) -> list[tuple[int | None, list[Line]]]:
    """Table regions: from each table heading to the next heading or section end.

    Without any heading, the whole document is one region of unknown table.
    """
    marks: list[tuple[int, int | None]] = []
    for index, line in enumerate(doc.lines):
        label = line_label(line)
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
