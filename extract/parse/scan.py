"""Find the data rows of 表二 and 表三 (and the cells of 表四) in a Document.

Each table region's logical rows are value rows (with their label cells) and
label-only rows (wrapped label fragments, headers). Value rows get their
template row from :func:`~extract.parse.align.align` (by label, else by their
position in the template's sequence); a row no rule places with confidence is
an ``unmatched_row`` (or ``row_out_of_order``) parse issue, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.layout.cells import Cell, LogicalRow
from extract.layout.rows import build_rows
from extract.parse.align import Evidence, align
from extract.parse.headers import header_out_of_order
from extract.parse.labels import resolve_by_number, resolve_fuzzily, resolve_row
from extract.parse.model import ParseIssue
from extract.parse.page_breaks import continued_across_pages
from extract.parse.regions import find_regions
from extract.parse.subtotal import subtotal_index
from extract.parse.template import Template, normalize_label
from extract.parse.values import clean
from extract.readers.document import Document


@dataclass
class RawRow:
    """A data row found in a table, before its values are placed in columns.

    ``how`` is how its row was found: ``label``, ``sequence`` (its position in
    the template) or ``split_run`` (digits run together, split by their sums);
    ``loose`` rows were cut from text without separators; ``inferred`` rows had
    blank cells put where their values' positions say. ``in_yuan``: the amount
    columns whose header prints 元, not the template's 万元.
    """

    table_no: int
    row_key: str
    label: str
    values: list[Cell]
    tabular: bool
    header: list[str] | None = None
    block: str | None = None
    loose: bool = False
    how: str = "label"
    inferred: bool = False
    in_yuan: frozenset[str] = frozenset()
    text_cut: bool = False  # a cell of text after its values was cut off (a note, or a cell such as 不详)


@dataclass
class TableScan:
    """Rows found per table, and the header columns seen (for format detection). ``version``: the
    format (``2019`` | ``2021``) the rows were read against, or ``None`` for either."""

    version: str | None = None
    rows: dict[int, list[RawRow]] = field(default_factory=lambda: {2: [], 3: []})
    header_cols: set[str] = field(default_factory=set)
    t4_labelled: list[RawRow] = field(default_factory=list)
    t4_values: list[Cell] = field(default_factory=list)
    t4_orphan: list[Cell] = field(default_factory=list)
    t4_loose: bool = False
    t4_split: bool = False
    found_tables: set[int] = field(default_factory=set)
    headings: set[int] = field(default_factory=set)
    reordered: dict[int, str] = field(default_factory=dict)  # table → the header or row printed out of order
    subtotal_at: int | None = None  # where 表三's header prints a 小计 column among its values
    issues: list[ParseIssue] = field(default_factory=list)


@dataclass
class _ValueRow:
    """A row with values, its label cells and the context it was printed in."""

    row: LogicalRow
    labels: list[Cell]
    values: list[Cell]
    trailing: list[Cell]
    evidence: Evidence
    header: list[str] | None
    block: str | None
    in_yuan: frozenset[str] = frozenset()


def scan_tables(doc: Document, template: Template, version: str | None = None) -> TableScan:
    """Collect the data rows of 表二 and 表三 and the cells of 表四: rows of either format, or of
    ``version`` alone (a label naming a row the format does not print then places nothing)."""
    from extract.parse.table4 import scan_table4

    scan = TableScan(version)
    for region_table, lines in find_regions(doc, template):
        if region_table:
            scan.found_tables.add(region_table)
            scan.headings.add(region_table)
        rows = build_rows(lines, known_table=region_table is not None)
        if region_table == 4:
            scan_table4(rows, template, scan)
            continue
        _scan_rows(rows, template, region_table, scan)
    return scan


def _scan_rows(rows: list[LogicalRow], template: Template, region_table: int | None, scan: TableScan) -> None:
    from extract.parse.table4 import is_t4_header_fragment

    header: list[str] | None = None
    in_yuan: frozenset[str] = frozenset()
    block: str | None = None
    previous: LogicalRow | None = None
    fragments: list[str] = []
    stacked = False  # the previous row was one header cell of a header printed one cell a line
    unit: list[_ValueRow] = []
    for row in rows:
        if not row.cells:  # running text between rows: no label continues past it
            fragments = []
            continue
        labels, values, trailing = row.split()
        if not labels and previous is not None and is_t4_header_fragment(previous, template):
            scan.t4_orphan = values
            previous = row
            continue
        previous = row
        row_header: list[str] = []
        row_yuan: set[str] = set()
        is_header = marker = False
        for cell in labels:
            label = normalize_label(cell.text)
            found = template.match(label, "block", 2) or (
                not row.tabular and fragments
                and template.match(normalize_label(fragments[-1] + cell.text), "block", 2))
            if found:
                _close(unit, template, region_table, scan)
                block, header, marker = found, None, True
            col2 = template.match(label, "col", 2)
            if col2:
                row_header.append(col2)
                if "元" in label and "万元" not in label:
                    row_yuan.add(col2)  # 本年收费金额（单位：元）
            if template.match(label, "header", 3) or (
                    template.match(label, "col", 3) and not template.match(label, "row", region_table or 3)):
                is_header = True
        if row_header:
            in_yuan = in_yuan | row_yuan if stacked and header else frozenset(row_yuan)
            scan.header_cols.update(row_header)
            row_header = _with_unknown_columns(labels, row_header, template) if row.tabular else row_header
            header = header + row_header if stacked and header else row_header
        stacked = bool(row_header) and not row.tabular
        has_numbers = any(c.text.strip() for c in values)
        printed = [c.text for c in labels if not c.carried]  # pieces carried from lines above keep no order
        if region_table == 3 and is_header and header_out_of_order(printed, template, 3):
            scan.reordered.setdefault(3, " | ".join(printed))
        if region_table == 3 and (is_header or not any(c.text.strip() for c in values)) \
                and subtotal_index(printed, template) is not None:  # a header wrapped into pieces too
            scan.subtotal_at = subtotal_index(printed, template)
        if not has_numbers and (is_header or row_header or marker):
            fragments = []
            continue
        if not has_numbers and not (row.tabular and values and labels
                                    and resolve_row(labels, template, (region_table or 2, 3))):
            fragments += [c.text for c in labels]
            continue
        above = (unit[-1].row, unit[-1].labels, unit[-1].values) if unit else None
        joined = continued_across_pages(above, row, labels, values, template, region_table)
        if joined is not None:
            labels = joined
            top = unit.pop()
            if not has_numbers:  # the values were above the break
                values, trailing, row = top.values, top.trailing, top.row
        own = [c.text for c in labels if not c.carried]
        carried = [c.text for c in labels if c.carried]
        if row.label_unsure:  # the lines around it may be its label or its neighbours': only its own counts
            labels, evidence = [c for c in labels if not c.carried], Evidence(own)
        else:
            evidence = Evidence(own, fragments + carried)
        yuan = in_yuan if header else frozenset()
        unit.append(_ValueRow(row, labels, values, trailing, evidence, header, block, yuan))
        fragments = []
    _close(unit, template, region_table, scan)


def label_side_unknown(values: list[Cell]) -> ParseIssue:
    """The issue of a row whose label may be printed above or below it (its values not stored)."""
    shown = [c.text for c in values if c.text.strip()]
    return ParseIssue("warning", "label_side_unknown",
                      f"the page does not tell whether its labels are printed above or below their values, so "
                      f"which label is this row's cannot be told; values {shown} not stored",
                      line_no=values[0].line_no if values else None, page=values[0].page if values else None)


UNKNOWN_COLUMN = "?"
"""Header entries starting with this name a column the template does not have (``?本年修订件数``)."""


def _with_unknown_columns(labels: list[Cell], keys: list[str], template: Template) -> list[str]:
    """A ruled 表二 header (信息内容 | 本年制发件数 | 本年修订件数 | 现行有效件数) cell by cell: a cell
    naming no template column stays in its place as unknown, so the values under it are not taken
    for the template column that would be there."""
    texts = [c.text for c in labels]
    if not texts or template.match(normalize_label(texts[0]), "header", 2) != "item":
        return keys
    out = [template.match(normalize_label(t), "col", 2) or UNKNOWN_COLUMN + t for t in texts[1:] if t.strip()]
    return out if any(k.startswith(UNKNOWN_COLUMN) for k in out) else keys


def _strict(value_row: _ValueRow, template: Template, order: tuple[int, ...],
            previous_key: str | None, scan: TableScan) -> tuple[int, str, str] | None:
    """The row by its own label cells alone (the rule for regions of unknown table)."""
    labels = value_row.labels
    resolved = resolve_row(labels, template, order) if labels else None
    if resolved is None and 3 in order and labels:
        resolved = resolve_by_number(labels, previous_key, template)
        if resolved is not None:
            scan.issues.append(ParseIssue(
                "info", "row_matched_by_number",
                f"row label {resolved[2]!r} is not the template's wording; read as {resolved[1]} "
                "by its number after the previous sub-row of the same group",
                3, resolved[1], labels[-1].line_no, labels[-1].page,
            ))
    if resolved is None and labels and labels[-1].method == "ocr":
        resolved = resolve_fuzzily(labels, template, order)
        if resolved is not None:
            scan.issues.append(ParseIssue(
                "info", "row_matched_fuzzily",
                f"OCR-read label {resolved[2]!r} matched to {resolved[1]} by similarity",
                resolved[0], resolved[1], labels[-1].line_no, labels[-1].page,
            ))
    return resolved


def _close(unit: list[_ValueRow], template: Template, region_table: int | None, scan: TableScan) -> None:
    """Place the value rows of one table (表三) or one block of 表二, then forget them."""
    if not unit:
        return
    order = (3, 2) if region_table == 3 else (2, 3)
    strict: list[tuple[int, str, str] | None] = []
    previous_key: str | None = None
    for value_row in unit:
        resolved = _strict(value_row, template, order, previous_key, scan)
        info = template.row(*resolved[:2]) if resolved else None
        if info is not None and not info.in_format(scan.version):
            resolved = None  # e.g. （六）其他 cut from 其他处理 in a 2019 table names 2021's （六）3.其他
        strict.append(resolved)
        if resolved and resolved[0] == 3:
            previous_key = resolved[1]
    keys: dict[int, tuple[int, str, str, str]] = {}
    if region_table in (2, 3):
        block = unit[0].block if region_table == 2 else None
        sequence = template.sequence(region_table, block, scan.version)
        placed = align([v.evidence for v in unit], sequence, template, region_table, scan.version)
        for p in placed:
            label = strict[p.index][2] if strict[p.index] else _shown(unit[p.index])
            keys[p.index] = (region_table, p.row_key, label, p.how)
        strict = [None if v.evidence.ambiguous else s for v, s in zip(unit, strict, strict=True)]
        _keep_strict(unit, strict, keys, sequence, region_table, scan)
    else:
        keys = {i: (*s, "label") for i, s in enumerate(strict) if s is not None}
    for index, value_row in enumerate(unit):
        if value_row.row.label_unsure and not (strict[index] and index in keys and keys[index][1] == strict[index][1]):
            if any(c.text.strip() for c in value_row.values):  # placed by no label of its own line
                scan.issues.append(label_side_unknown(value_row.values))
            continue
        if index not in keys:
            if any(c.text.strip() for c in value_row.values):
                scan.issues.append(ParseIssue(
                    "warning", "unmatched_row",
                    f"row label {_shown(value_row)!r} matches no template row in order; "
                    f"values {[c.text for c in value_row.values if c.text.strip()]} not stored",
                    line_no=value_row.values[0].line_no, page=value_row.values[0].page,
                ))
            continue
        _emit(value_row, *keys[index], scan)
    unit.clear()


def _keep_strict(unit: list[_ValueRow], strict: list, keys: dict, sequence: list, table_no: int,
                 scan: TableScan) -> None:
    """Rows the alignment left out but their own label places: another table's row, the same row
    printed again (kept for the duplicate rule), or a row in order between its placed neighbours.
    A label that names a row another label already placed (``2.其他`` cut short, beside ``3.其他``)
    is refused."""
    position = {row.row_key: n for n, row in enumerate(sequence)}
    used = {key[1]: clean(key[2]) for key in keys.values()}
    for index, resolved in enumerate(strict):
        if index in keys or resolved is None:
            continue
        if resolved[0] != table_no or resolved[1] not in position:
            keys[index] = (*resolved, "label")
            continue
        placed = {i: position[key[1]] for i, key in keys.items() if key[0] == table_no and key[1] in position}
        before = [spot for i, spot in placed.items() if i < index]
        after = [spot for i, spot in placed.items() if i > index]
        spot = position[resolved[1]]
        repeated = used.get(resolved[1]) == clean(resolved[2])  # the same row printed again, numbering and all
        if repeated or (resolved[1] not in used and max(before, default=-1) < spot < min(after, default=len(sequence))):
            keys[index] = (*resolved, "label")
            continue
        scan.issues.append(ParseIssue(
            "warning", "row_out_of_order",
            f"row label {resolved[2]!r} names {resolved[1]}, which the rows around it do not allow; "
            "values not stored", table_no, resolved[1], unit[index].labels[-1].line_no, unit[index].labels[-1].page,
        ))


def _shown(value_row: _ValueRow) -> str:
    return "".join(value_row.evidence.before[-2:] + value_row.evidence.own)


def _emit(value_row: _ValueRow, table_no: int, row_key: str, label: str, how: str, scan: TableScan) -> None:
    has_numbers = any(c.text.strip() for c in value_row.values)
    if not has_numbers and not value_row.row.tabular:
        return
    if value_row.trailing:
        scan.issues.append(ParseIssue(
            "warning", "text_after_values",
            f"text {[c.text for c in value_row.trailing]} after the values of {label!r} ignored",
            table_no, row_key, value_row.trailing[0].line_no, value_row.trailing[0].page,
        ))
    scan.found_tables.add(table_no)
    scan.rows[table_no].append(RawRow(
        table_no, row_key, label, value_row.values, value_row.row.tabular,
        value_row.header if table_no == 2 else None, value_row.block if table_no == 2 else None,
        value_row.row.loose, how, value_row.row.inferred, value_row.in_yuan if table_no == 2 else frozenset(),
        bool(value_row.trailing) and value_row.row.tabular,
    ))
