"""The export's layout: every mart kept by report as a hive-partitioned folder, rewritten by partition.

A mart whose rows are kept by report (an incremental model or a cell view, :data:`PARTITIONED`) is
written as ``<mart>/report_year=<year>/report_bucket=<bucket>/data_<n>.parquet``: the year of the
report and a stable bucket of its id (the first hex digit of ``md5(report_id)`` divided by 4, rounded down: 0–3),
so one re-read report does not rewrite a whole year. Four buckets, not sixteen: DuckDB's
partitioned ``COPY`` costs more with every partition it keeps open (a 50,000-report
``fct_report_cells``: one file 15 s, by year 19 s, by year and 4 buckets 22 s, by year and 16
buckets 40–47 s), and seven years × 16 passed its 100 open files. Both columns are also in the
files (a mart without a ``report_year`` gets it from ``dim_reports``). A missing year or report id
is DuckDB's ``__HIVE_DEFAULT_PARTITION__``. The other marts are one file each (``<mart>.parquet``).

``_manifest.json`` names what each mart's files hold (rows by partition) and the build they were
written from (``raw.build_state``), so the next refresh knows whether it may reuse them.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from extract.load.sql import quote_identifier, quote_literal

# the marts kept by report (dbt_project.yml: incremental, or a view with meta by_report); tests check the list
PARTITIONED = ("dim_reports", "fct_agency_year_metrics", "fct_data_quality", "fct_parse_issues",
               "fct_proactive_disclosures", "fct_published_totals", "fct_report_cells", "fct_report_metrics",
               "fct_request_outcomes", "fct_requests", "fct_review_litigation")
LAYOUT = "gongkai-export/2: report_year, report_bucket = md5 hex digit 1 // 4"
MANIFEST = "_manifest.json"
DEFAULT = "__HIVE_DEFAULT_PARTITION__"
BUCKET_SQL = "('0x' || left(md5(m.report_id), 1))::integer // 4"
PARTITION_SQL = (f"'report_year=' || coalesce(report_year::varchar, '{DEFAULT}') || "
                 f"'/report_bucket=' || coalesce(report_bucket::varchar, '{DEFAULT}')")
WRITTEN_OUT = 50_000  # up to this many report ids are written into the SQL (DuckDB filters the cells' scan)


@dataclass
class Partition:
    """The files of one partition (relative to its folder) and their rows."""

    rows: int
    files: list[str]


@dataclass
class MartFiles:
    """What the export holds of one mart: one file, or partitions by their folder (``report_year=…/…``)."""

    rows: int
    file: str | None = None
    partitions: dict[str, Partition] = field(default_factory=dict)


@dataclass
class Manifest:
    """The export's ``_manifest.json``: the build it was written from and every mart's files."""

    built: dict[str, str]
    marts: dict[str, MartFiles]
    layout: str = LAYOUT

    def write(self, folder: Path) -> None:
        marts = {name: {"rows": mart.rows, "file": mart.file,
                        "partitions": {key: vars(part) for key, part in sorted(mart.partitions.items())}}
                 for name, mart in sorted(self.marts.items())}
        partial = folder / f".{MANIFEST}.partial"
        partial.write_text(json.dumps({"layout": self.layout, "built": self.built, "marts": marts},
                                      ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, folder / MANIFEST)


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of an export written in this layout, all its files present; else None."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        marts = {name: MartFiles(mart["rows"], mart["file"],
                                 {key: Partition(part["rows"], list(part["files"]))
                                  for key, part in mart["partitions"].items()})
                 for name, mart in data["marts"].items()}
        manifest = Manifest(dict(data["built"]), marts, data["layout"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    for name, mart in manifest.marts.items():
        paths = [folder / name / key / file for key, part in mart.partitions.items() for file in part.files]
        if not all(path.is_file() for path in paths):
            return None
    return manifest if manifest.layout == LAYOUT else None


def built_from(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The build a warehouse's marts come from (raw's state and the project's fingerprint; none recorded: {})."""
    try:
        return dict(con.execute("select key, value from raw.build_state "
                                "where key in ('raw_state', 'build_fingerprint') order by 1").fetchall())
    except duckdb.CatalogException:
        return {}


def source_sql(con: duckdb.DuckDBPyConnection, mart: str) -> str:
    """``marts.<mart>`` as ``m`` with ``report_year`` (its own, or the report's) and ``report_bucket``."""
    has_year = con.execute("select count(*) from duckdb_columns() where database_name = current_database() and "
                           "schema_name = 'marts' and table_name = ? and column_name = 'report_year'",
                           [mart]).fetchone()[0]
    table = f"marts.{quote_identifier(mart)} as m"
    if has_year:
        return f"select m.*, {BUCKET_SQL} as report_bucket from {table}"
    return (f"select m.*, y.report_year, {BUCKET_SQL} as report_bucket from {table} left join "
            "(select report_id, report_year from marts.dim_reports) as y on y.report_id = m.report_id")


def reports_in(con: duckdb.DuckDBPyConnection, ids: list[str], name: str) -> str:
    """A predicate ``m.report_id in (…)``: the ids written out (quoted) when few, else a temporary table."""
    if len(ids) <= WRITTEN_OUT:
        return f"m.report_id in ({', '.join(quote_literal(i) for i in ids)})" if ids else "false"
    table = quote_identifier(f"_export_{name}")
    con.execute(f"create or replace temp table {table} (report_id varchar)")
    con.executemany(f"insert into {table} values (?)", [[i] for i in ids])
    return f"m.report_id in (select report_id from {table})"


def fingerprints(con: duckdb.DuckDBPyConnection, mart: str, scope: list[str]) -> dict[str, tuple]:
    """By partition, the count and two order-independent hashes (sum and xor) of the scope's rows."""
    where = reports_in(con, scope, "scope")
    return {row[0]: tuple(row[1:]) for row in con.execute(
        f"select {PARTITION_SQL}, count(*), sum(hash(p)), bit_xor(hash(p)) "
        f"from ({source_sql(con, mart)} where {where}) as p group by 1").fetchall()}


def partition_reports(con: duckdb.DuckDBPyConnection, keys: set[str]) -> list[str]:
    """The reports (of ``dim_reports``) whose rows belong in the partitions ``keys``."""
    wanted = ", ".join(quote_literal(key) for key in sorted(keys))
    return [row[0] for row in con.execute(
        f"select report_id from (select report_id, report_year, {BUCKET_SQL} as report_bucket "
        f"from marts.dim_reports as m) where {PARTITION_SQL} in ({wanted}) order by 1").fetchall()]


def write_partitions(con: duckdb.DuckDBPyConnection, mart: str, folder: Path, where: str = "true") -> MartFiles:
    """Write the rows of ``marts.<mart>`` meeting ``where`` (on ``m``) into the new ``folder``, by partition."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({source_sql(con, mart)} where {where}) to {quote_literal(str(folder))} "
                "(format parquet, compression zstd, partition_by (report_year, report_bucket), "
                "write_partition_columns true)")
    files = MartFiles(0)
    for path in sorted(folder.rglob("*.parquet")):
        rows = con.execute("select sum(num_rows) from parquet_file_metadata(?)", [str(path)]).fetchone()[0] or 0
        key = path.parent.relative_to(folder).as_posix()
        part = files.partitions.setdefault(key, Partition(0, []))
        part.rows += int(rows)
        part.files.append(path.name)
        files.rows += int(rows)
    return files


def link(source: Path, target: Path) -> None:
    """``target`` as a hard link of ``source`` (the same file, nothing copied), or a copy across filesystems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
