"""``corrections.csv`` in the reports folder: a number a person checked against the report, kept as data.

Header ``file,table_no,row_key,col_key,value,note`` (every column required, in any order):
``file`` is the report's path relative to the folder, ``table_no`` 2, 3 or 4, ``row_key`` and
``col_key`` the template's keys (``seeds/template_rows.csv``, ``seeds/template_columns.csv``),
``value`` the corrected cell as it should be read (``12``, ``减5``, ``-`` for a dash; empty = the
cell is blank; parsed by :func:`extract.parse.values.parse_value`, in the column's unit) and
``note`` who checked what against which page (required).

A refresh loads every row into ``raw.corrections`` (:func:`load_corrections`), each with the
``problem`` that stops it, if any: a file, table, row, column or cell the warehouse does not have,
a value that does not parse, a missing note, two rows naming one cell. dbt applies the rows
without a problem; the others change nothing and are reported. A file that cannot be used at
all (no such header, not text) is the load error ``bad_corrections`` and the corrections loaded
before stay as they were. Nothing here re-parses a report: the file's content is part of
:func:`extract.load.warehouse.raw_state`, so editing it alone rebuilds the marts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from extract.parse.template import Template, load_template
from extract.parse.values import parse_value
from extract.readers.operator_csv import OperatorCsvError, operator_rows

CORRECTIONS_NAME = "corrections.csv"
HEADER = ("file", "table_no", "row_key", "col_key", "value", "note")
MAX_CORRECTIONS_BYTES = 20 * 1024 * 1024
MAX_FIELD_CHARS = {"file": 1024, "note": 2000}
_LARGEST = Decimal(10) ** 14  # raw.cells.value is DECIMAL(20, 6)
_QUANTUM = Decimal("0.000001")
_TABLE_NAMES = {2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class Correction:
    """One row of the file, as written (stripped)."""

    line_no: int
    file: str
    table_no: str
    row_key: str
    col_key: str
    value: str
    note: str


@dataclass
class CorrectionsFile:
    """The rows of a usable file and its sha256, or why the file cannot be used (``error``)."""

    rows: list[Correction] = field(default_factory=list)
    sha256: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class CheckedCorrection:
    """A row judged against the warehouse: the cell it corrects and its value, or its ``problem``."""

    row: Correction
    report_id: str | None = None
    table_no: int | None = None
    value: Decimal | None = None
    cell_state: str | None = None
    unit: str | None = None
    problem: str | None = None


def parse_corrections(data: bytes) -> CorrectionsFile:
    """The file's bytes → its rows (never raises; an unusable file has ``error`` set)."""
    result = CorrectionsFile(sha256=hashlib.sha256(data).hexdigest())
    if not data.strip():
        return result
    try:
        for row in operator_rows(data, CORRECTIONS_NAME, MAX_CORRECTIONS_BYTES, HEADER):
            result.rows.append(Correction(row.line, **{name: row.values[name] for name in HEADER}))
    except OperatorCsvError as error:
        result.error, result.rows = f"{error.message}: not used", []
    return result


def read_corrections(reports_dir: Path) -> CorrectionsFile | None:
    """The folder's corrections; None when it has no ``corrections.csv``."""
    path = reports_dir / CORRECTIONS_NAME
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CORRECTIONS_BYTES + 1)
    except OSError as error:
        return CorrectionsFile(error=f"{CORRECTIONS_NAME} cannot be read: {error.strerror or error}: not used")
    return parse_corrections(data)


def _report_ids(con: duckdb.DuckDBPyConnection, files: set[str]) -> dict[str, tuple[str | None, str]]:
    """file → (report_id of its loaded report or None, its status) for the files raw knows."""
    if not files:
        return {}
    rows = con.execute(
        "select files.source_path, reports.report_id, files.status from raw.source_files files "
        "left join raw.reports reports on reports.report_id = files.report_id "
        "where files.source_path in (select unnest(?::varchar[]))", [sorted(files)]).fetchall()
    return {path: (report_id, status) for path, report_id, status in rows}


def _cells(con: duckdb.DuckDBPyConnection, report_ids: set[str]) -> set[tuple[str, int, str, str]]:
    if not report_ids:
        return set()
    return set(con.execute(
        "select report_id, table_no, row_key, col_key from raw.cells "
        "where report_id in (select unnest(?::varchar[]))", [sorted(report_ids)]).fetchall())


def _judge(row: Correction, template: Template, files: dict[str, tuple[str | None, str]]) -> CheckedCorrection:
    """Everything about one row that does not depend on the other rows or on the report's cells."""
    if not row.note:
        return CheckedCorrection(row, problem="note is required: who checked the value against which page")
    for name, limit in MAX_FIELD_CHARS.items():
        if len(getattr(row, name)) > limit:
            return CheckedCorrection(row, problem=f"{name} is {len(getattr(row, name))} characters (at most {limit})")
    if row.file not in files:
        return CheckedCorrection(row, problem=f"file {row.file[:200]!r} is not a file of the warehouse "
                                              "(a path relative to the reports folder, as in dim_reports.source_path)")
    report_id, status = files[row.file]
    if report_id is None:
        return CheckedCorrection(row, problem=f"file {row.file[:200]!r} has no loaded report ({status})")
    if row.table_no not in ("2", "3", "4"):
        return CheckedCorrection(row, report_id, problem=f"table_no {row.table_no[:20]!r} is not 2, 3 or 4")
    table_no = int(row.table_no)
    template_row = template.row(table_no, row.row_key)
    if template_row is None:
        return CheckedCorrection(row, report_id, table_no, problem=(
            f"row_key {row.row_key[:60]!r} is not a row of 表{_TABLE_NAMES[table_no]} (seeds/template_rows.csv)"))
    column = template.column(table_no, template_row.block, row.col_key)
    if column is None:
        return CheckedCorrection(row, report_id, table_no, problem=(
            f"col_key {row.col_key[:60]!r} is not a column of 表{_TABLE_NAMES[table_no]} row {row.row_key} "
            "(seeds/template_columns.csv)"))
    parsed = parse_value(row.value, column.unit)
    problem = None
    if parsed.state == "text":
        problem = f"value {row.value[:60]!r} does not parse: a number (12, 减5, 3.5万元), a dash (-) or empty for blank"
    elif parsed.value is not None and (abs(parsed.value) >= _LARGEST
                                       or parsed.value != parsed.value.quantize(_QUANTUM)):
        problem = f"value {row.value[:60]!r} is out of range (under 10^14, at most 6 decimal places)"
    elif parsed.value is not None and column.unit != "万元" and parsed.value != parsed.value.to_integral_value():
        problem = f"value {row.value[:60]!r} is not a whole number: {row.col_key} is a count ({column.unit})"
    return CheckedCorrection(row, report_id, table_no, parsed.value, parsed.state, parsed.unit, problem)


def check_corrections(con: duckdb.DuckDBPyConnection, rows: list[Correction],
                      template: Template | None = None) -> list[CheckedCorrection]:
    """Judge every row against raw: the file's report, the template's keys, the cell, the value, the note."""
    template = template or load_template()
    files = _report_ids(con, {row.file for row in rows})
    checked = [_judge(row, template, files) for row in rows]
    cells = _cells(con, {c.report_id for c in checked if c.problem is None and c.report_id})
    lines: dict[tuple, list[int]] = {}
    for c in checked:
        if c.report_id and c.table_no is not None:
            lines.setdefault((c.report_id, c.table_no, c.row.row_key, c.row.col_key), []).append(c.row.line_no)
    result = []
    for c in checked:
        key = (c.report_id, c.table_no, c.row.row_key, c.row.col_key)
        problem = c.problem
        if problem is None and key not in cells:
            problem = (f"the report has no cell 表{_TABLE_NAMES[c.table_no]} {c.row.row_key} × {c.row.col_key} "
                       "(it does not print it, or it was not read): a correction replaces a printed cell")
        if problem is None and len(lines.get(key, [])) > 1:
            problem = f"lines {', '.join(map(str, lines[key]))} all correct this cell: none is applied"
        result.append(c if problem == c.problem else CheckedCorrection(
            c.row, c.report_id, c.table_no, c.value, c.cell_state, c.unit, problem))
    return result


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


_COLUMNS = ("line_no, source_path, table_no_text, row_key, col_key, value_text, note, file_sha256, "
            "report_id, table_no, value, cell_state, unit, problem, run_id, loaded_at")


def load_corrections(con: duckdb.DuckDBPyConnection, checked: list[CheckedCorrection], sha256: str | None,
                     run_id: str, clear_error: bool = True) -> None:
    """Replace raw.corrections with ``checked`` (every row, its problem included) and, with
    ``clear_error``, the load error ``bad_corrections``, in one transaction."""
    now = _now()
    rows = [(c.row.line_no, c.row.file, c.row.table_no, c.row.row_key, c.row.col_key, c.row.value, c.row.note,
             sha256, c.report_id, c.table_no, None if c.value is None else format(c.value, "f"), c.cell_state,
             c.unit, c.problem, run_id, now) for c in checked]
    con.execute("begin transaction")
    try:
        con.execute("delete from raw.corrections")
        if clear_error:
            con.execute("delete from raw.load_errors where source_path = ?", [CORRECTIONS_NAME])
        if rows:
            lists = [list(column) for column in zip(*rows, strict=True)]
            con.execute(
                f"insert into raw.corrections ({_COLUMNS}) select unnest(?::integer[]), "
                + "unnest(?::varchar[]), " * 8
                + "unnest(?::integer[]), unnest(?::varchar[])::decimal(20, 6), unnest(?::varchar[]), "
                "unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::varchar[]), unnest(?::timestamp[])", lists)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def stored_corrections(con: duckdb.DuckDBPyConnection) -> tuple[list[Correction], str | None]:
    """The rows raw.corrections holds, as written, and the sha256 of the file they came from."""
    rows = con.execute("select line_no, source_path, table_no_text, row_key, col_key, value_text, note, "
                       "file_sha256 from raw.corrections order by line_no").fetchall()
    return [Correction(*row[:7]) for row in rows], (rows[0][7] if rows else None)


def record_corrections_error(con: duckdb.DuckDBPyConnection, error: str, run_id: str) -> None:
    """An unusable file is the load error ``bad_corrections``; the rows loaded before stay."""
    con.execute("begin transaction")
    con.execute("delete from raw.load_errors where source_path = ?", [CORRECTIONS_NAME])
    con.execute("insert into raw.load_errors values (?, ?, ?, ?, ?, ?)",
                [CORRECTIONS_NAME, None, "bad_corrections", error, run_id, _now()])
    con.execute("commit")
