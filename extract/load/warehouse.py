"""The DuckDB ``raw`` schema: written only here, keyed by the file's sha256."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from extract import PARSER_VERSION
from extract.load.duck import open_duckdb
from extract.parse.model import ExtractedReport

SCHEMA_SQL = """
create schema if not exists raw;
create table if not exists raw.source_files (
    source_path varchar primary key, sha256 varchar not null, source_format varchar,
    size_bytes bigint, status varchar not null, report_id varchar, parser_version varchar,
    first_seen_run varchar, last_changed_run varchar, last_seen_run varchar, updated_at timestamp
);
create table if not exists raw.reports (
    report_id varchar primary key, sha256 varchar not null, source_path varchar not null,
    source_format varchar, read_method varchar, title varchar, agency_name varchar,
    report_year integer, template_version varchar, version_basis varchar, report_scope varchar,
    region_name varchar, published_date date, parser_version varchar, status varchar,
    run_id varchar, extracted_at timestamp
);
create table if not exists raw.cells (
    report_id varchar not null, table_no integer not null, row_key varchar not null,
    col_key varchar not null, raw_text varchar, value decimal(20, 6), unit varchar,
    cell_state varchar not null, page integer, line_no integer, read_method varchar,
    row_label varchar, placement varchar
);
alter table raw.cells add column if not exists placement varchar;
alter table raw.cells add column if not exists ocr_confidence double;
create table if not exists raw.build_state (key varchar primary key, value varchar);
create table if not exists raw.build_scope (report_id varchar not null);
create table if not exists raw.built_reports (report_id varchar not null, agency_group varchar, state ubigint);
alter table raw.reports add column if not exists withdrawn_run varchar;
alter table raw.reports add column if not exists division_code varchar;
alter table raw.reports add column if not exists area_name varchar;
alter table raw.reports add column if not exists region_basis varchar;
alter table raw.reports add column if not exists agency_key varchar;
alter table raw.reports add column if not exists source_url varchar;
alter table raw.source_files add column if not exists manifest_hash varchar;
create table if not exists raw.parse_issues (
    report_id varchar not null, issue_no integer not null, severity varchar, code varchar,
    message varchar, table_no integer, row_key varchar, line_no integer, page integer
);
create table if not exists raw.load_errors (
    source_path varchar not null, sha256 varchar, error_class varchar, message varchar,
    run_id varchar, occurred_at timestamp
);
create table if not exists raw.corrections (
    line_no integer not null, source_path varchar, table_no_text varchar, row_key varchar, col_key varchar,
    value_text varchar, note varchar, file_sha256 varchar, report_id varchar, table_no integer,
    value decimal(20, 6), cell_state varchar, unit varchar, problem varchar, run_id varchar, loaded_at timestamp
);
create table if not exists raw.refresh_runs (
    run_id varchar primary key, started_at timestamp, finished_at timestamp, status varchar,
    reports_dir varchar, files_seen integer, files_new integer, files_changed integer,
    files_unchanged integer, files_removed integer, files_failed integer, cells_loaded integer,
    dbt_status varchar, parser_version varchar, message varchar
);
create table if not exists raw.fetch_log (
    fetch_id varchar primary key, fetch_run_id varchar not null, refresh_run_id varchar, seq integer not null,
    requested_at timestamp, url varchar not null, source_url varchar, source_line integer, role varchar,
    outcome varchar not null, http_status integer, attempts integer, file varchar, size_bytes bigint,
    sha256 varchar, content_type varchar, detected_format varchar, elapsed_ms integer, message varchar
);
"""


def report_id_for(sha256: str) -> str:
    """Deterministic report id: the same file content gives the same id everywhere."""
    return "r_" + sha256[:16]


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse file and ensure the raw schema."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = open_duckdb(db_path)
    con.execute(SCHEMA_SQL)
    return con


class KnownFile(NamedTuple):
    """What raw.source_files (and raw.load_errors) hold of a file seen before."""

    sha256: str
    status: str
    parser_version: str | None
    manifest_hash: str | None
    report_id: str | None
    error_class: str | None


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, KnownFile]:
    """source_path → :class:`KnownFile` of every file seen before."""
    rows = con.execute("select files.source_path, files.sha256, files.status, files.parser_version, "
                       "files.manifest_hash, files.report_id, errors.error_class "
                       "from raw.source_files files left join raw.load_errors errors using (source_path)").fetchall()
    return {row[0]: KnownFile(*row[1:]) for row in rows}


def raw_state(con: duckdb.DuckDBPyConnection) -> str:
    """A fingerprint of what the marts are built from in raw: files, their state, the reports' status and
    the corrections (the file's sha256 and each row's verdict).

    Two equal fingerprints mean a build would give the same marts (with the same project).
    """
    files = con.execute("select count(*), coalesce(bit_xor(hash(source_path, sha256, status, report_id, "
                        "manifest_hash, parser_version)), 0) from raw.source_files").fetchone()
    reports = con.execute("select count(*), coalesce(bit_xor(hash(report_id, status, parser_version, run_id)), 0) "
                          "from raw.reports").fetchone()
    errors = con.execute("select count(*), coalesce(bit_xor(hash(source_path, sha256, error_class, message)), 0) "
                         "from raw.load_errors").fetchone()
    corrections = con.execute("select count(*), coalesce(bit_xor(hash(line_no, source_path, table_no_text, row_key, "
                              "col_key, value_text, note, file_sha256, report_id, problem)), 0) "
                              "from raw.corrections").fetchone()
    return ":".join(str(n) for n in (*files, *reports, *errors, *corrections))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _upsert_file(con, path: str, sha256: str, fmt: str | None, size: int, status: str,
                 report_id: str | None, run_id: str) -> None:
    con.execute(
        """
        insert into raw.source_files (source_path, sha256, source_format, size_bytes, status, report_id,
            parser_version, first_seen_run, last_changed_run, last_seen_run, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (source_path) do update set
            sha256 = excluded.sha256, source_format = excluded.source_format,
            size_bytes = excluded.size_bytes, status = excluded.status,
            report_id = excluded.report_id, parser_version = excluded.parser_version,
            last_changed_run = excluded.last_changed_run, last_seen_run = excluded.last_seen_run,
            updated_at = excluded.updated_at
        """,
        [path, sha256, fmt, size, status, report_id, PARSER_VERSION, run_id, run_id, run_id, _now()],
    )


_CELL_COLUMNS = (("report_id", "varchar"), ("table_no", "integer"), ("row_key", "varchar"), ("col_key", "varchar"),
                 ("raw_text", "varchar"), ("value", "decimal(20, 6)"), ("unit", "varchar"),
                 ("cell_state", "varchar"), ("page", "integer"), ("line_no", "integer"),
                 ("read_method", "varchar"), ("row_label", "varchar"), ("placement", "varchar"),
                 ("ocr_confidence", "double"))
_ISSUE_COLUMNS = (("report_id", "varchar"), ("issue_no", "integer"), ("severity", "varchar"), ("code", "varchar"),
                  ("message", "varchar"), ("table_no", "integer"), ("row_key", "varchar"), ("line_no", "integer"),
                  ("page", "integer"))


class _ArrowRows:
    """A Polars frame as an Arrow C stream, which DuckDB scans without pyarrow (a fresh stream per scan)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        return self.frame.__arrow_c_stream__(requested_schema)


_POLARS_TYPES = {"varchar": pl.String, "integer": pl.Int32, "bigint": pl.Int64, "double": pl.Float64,
                 "boolean": pl.Boolean, "timestamp": pl.Datetime("us")}


def _polars_type(kind: str) -> pl.DataType | type[pl.DataType]:
    return pl.String if kind.startswith("decimal") else _POLARS_TYPES[kind]


def _insert_bound(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[tuple[str, str], ...],
                  rows: list[tuple]) -> None:
    """One statement binding one list per column: DuckDB casts each value (or refuses it)."""
    names = ", ".join(name for name, _ in columns)
    values = ", ".join(
        f"unnest(?::varchar[])::{kind}" if kind.startswith("decimal") else f"unnest(?::{kind}[])"
        for _, kind in columns)
    con.execute(f"insert into raw.{table} ({names}) select {values}", [list(c) for c in zip(*rows, strict=True)])


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[tuple[str, str], ...],
                 rows: list[tuple]) -> None:
    """Insert rows as one statement reading a Polars frame of them through Arrow: 100 times faster than
    binding one list per column, which DuckDB 1.5 converts value by value (bench/polars_vs_duckdb.py).
    Decimals travel as their exact text and DuckDB casts them, never through a float. Rows Polars
    will not type (a value of another type, or out of range) are bound as lists instead, so DuckDB
    casts or refuses them as it always did."""
    if not rows:
        return
    try:
        frame = pl.DataFrame([pl.Series(name, values, dtype=_polars_type(kind))
                              for (name, kind), values in zip(columns, zip(*rows, strict=True), strict=True)])
    except (TypeError, OverflowError, pl.exceptions.PolarsError):  # a value of another type, or out of range
        _insert_bound(con, table, columns, rows)  # DuckDB's own casts and errors, as before polars (slow, rare)
        return
    names = ", ".join(name for name, _ in columns)
    values = ", ".join(f"{name}::{kind}" if kind.startswith("decimal") else name for name, kind in columns)
    con.register("gongkai_rows_in", _ArrowRows(frame))
    try:
        con.execute(f"insert into raw.{table} ({names}) select {values} from gongkai_rows_in")
    finally:
        con.unregister("gongkai_rows_in")


def delete_report(con: duckdb.DuckDBPyConnection, report_id: str) -> None:
    for table in ("cells", "parse_issues", "reports"):
        con.execute(f"delete from raw.{table} where report_id = ?", [report_id])


def load_report(con: duckdb.DuckDBPyConnection, path: str, sha256: str, size: int,
                report: ExtractedReport, run_id: str, manifest_hash: str | None = None) -> int:
    """Replace one report's rows in a transaction; returns the number of cells loaded."""
    report_id = report_id_for(sha256)
    meta = report.metadata
    con.execute("begin transaction")
    try:
        delete_report(con, report_id)
        con.execute("delete from raw.load_errors where source_path = ?", [path])
        con.execute(
            "insert into raw.reports (report_id, sha256, source_path, source_format, read_method, title, "
            "agency_name, report_year, template_version, version_basis, report_scope, region_name, "
            "published_date, parser_version, status, run_id, extracted_at, division_code, area_name, "
            "region_basis, agency_key, source_url) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [report_id, sha256, path, report.source_format, report.read_method, meta.title,
             meta.agency_name, meta.report_year, meta.template_version, meta.version_basis,
             meta.report_scope, meta.region_name, meta.published_date, PARSER_VERSION, "active",
             run_id, _now(), meta.division_code, meta.area_name, meta.region_basis, meta.agency_key, meta.source_url],
        )
        insert_rows(con, "cells", _CELL_COLUMNS,
                     [(report_id, c.table_no, c.row_key, c.col_key, c.raw_text,
                       None if c.value is None else format(c.value, "f"), c.unit, c.cell_state, c.page,
                       c.line_no, c.read_method, c.row_label, c.placement, c.ocr_confidence) for c in report.cells])
        insert_rows(con, "parse_issues", _ISSUE_COLUMNS,
                     [(report_id, n, i.severity, i.code, i.message, i.table_no, i.row_key, i.line_no, i.page)
                      for n, i in enumerate(report.issues, 1)])
        _upsert_file(con, path, sha256, report.source_format, size, "loaded", report_id, run_id)
        con.execute("update raw.source_files set manifest_hash = ? where source_path = ?", [manifest_hash, path])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(report.cells)


def record_error(con: duckdb.DuckDBPyConnection, path: str, sha256: str, fmt: str | None,
                 size: int, error_class: str, message: str, run_id: str) -> None:
    """Quarantine a file that could not be read; an earlier good load of it is kept."""
    con.execute("begin transaction")
    con.execute("delete from raw.load_errors where source_path = ?", [path])
    con.execute("insert into raw.load_errors values (?, ?, ?, ?, ?, ?)",
                [path, sha256 or None, error_class, message, run_id, _now()])
    previous = con.execute("select report_id from raw.source_files where source_path = ?", [path]).fetchone()
    status = "needs_ocr" if error_class == "needs_ocr" else "failed"
    _upsert_file(con, path, sha256, fmt, size, status, previous[0] if previous else None, run_id)
    con.execute("commit")


def mark_removed(con: duckdb.DuckDBPyConnection, path: str, run_id: str) -> None:
    """A file gone from the folder: its report is kept and marked withdrawn."""
    con.execute("update raw.source_files set status = 'removed', last_seen_run = ?, updated_at = ? "
                "where source_path = ?", [run_id, _now(), path])
    con.execute(
        "update raw.reports set status = 'withdrawn', withdrawn_run = ? where source_path = ? and report_id not in "
        "(select report_id from raw.source_files where status = 'loaded' and report_id is not null)",
        [run_id, path],
    )


def touch_file(con: duckdb.DuckDBPyConnection, path: str, run_id: str) -> None:
    con.execute("update raw.source_files set last_seen_run = ? where source_path = ?", [run_id, path])


def record_manifest_state(con: duckdb.DuckDBPyConnection, manifest_name: str, error: str | None, run_id: str) -> None:
    """An unusable manifest is a load error of its own (``bad_manifest``); a usable one clears it."""
    con.execute("delete from raw.load_errors where source_path = ?", [manifest_name])
    if error is not None:
        con.execute("insert into raw.load_errors values (?, ?, ?, ?, ?, ?)",
                    [manifest_name, None, "bad_manifest", error, run_id, _now()])
