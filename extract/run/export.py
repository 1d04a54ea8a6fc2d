"""Every public mart as Parquet (and CSV on request), for other engines and spreadsheets.

Parquet holds the values exactly as the warehouse does. The CSV is for spreadsheets:

* It starts with a UTF-8 byte-order mark, so Excel on Windows reads the Chinese text.
* Text that a spreadsheet would run as a formula is neutralised (CSV injection, as
  OWASP recommends): a text value beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return gets a leading ``'``. Such text can come from a report (an agency
  name in its title), the manifest or a file name. Text that is only a plain number
  (``-5``, ``+3.2``, ``-1,234.5``, ``-12%``) or only hyphens (``-``, ``--``: a dash
  cell's raw text) is real data that no spreadsheet runs, and is written unchanged.
  Columns that are not text are never changed.

The marts kept by report are hive-partitioned folders (:mod:`extract.run.export_parts`).
A refresh's export costs in proportion to what changed: after an incremental build, only the
rows of the build scope's reports can differ from the published warehouse, so a partition is
rewritten only when its scope rows (count and hashes) differ there; every other file is
hard-linked from the published export into the staging one, which is published whole by one
folder rename. A full build, a missing export or one written from another build is written in
full. The CSV is one file per mart (a spreadsheet opens one file), written in full.

Each file or folder is written under a temporary name in the output folder and then renamed, so
a reader never sees a half-written export.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract.load.duck import open_duckdb
from extract.load.sql import quote_identifier, quote_literal
from extract.run.export_parts import (
    MANIFEST,
    PARTITIONED,
    Manifest,
    MartFiles,
    Partition,
    built_from,
    fingerprints,
    link,
    partition_reports,
    read_manifest,
    reports_in,
    write_partitions,
)

_BOM = b"\xef\xbb\xbf"
_HARMLESS = r"^([+-]?([0-9][0-9,]*(\.[0-9]*)?|\.[0-9]+)%?|-+)$"


def _csv_select(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """A select of ``marts.<table>`` whose text columns are neutralised for spreadsheets."""
    columns = con.execute("select column_name, data_type from duckdb_columns() "
                          "where database_name = current_database() and schema_name = 'marts' and table_name = ? "
                          "order by column_index", [table]).fetchall()
    exprs = []
    for name, data_type in columns:
        column = quote_identifier(name)
        if data_type == "VARCHAR":
            exprs.append(f"case when left({column}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) "
                         f"and not regexp_matches({column}, {quote_literal(_HARMLESS)}) "
                         f"then '''' || {column} else {column} end as {column}")
        else:
            exprs.append(column)
    return f"select {', '.join(exprs)} from marts.{quote_identifier(table)}"


def _write_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    """``path`` as a BOM-prefixed CSV of the neutralised mart, appearing all at once."""
    plain = path.with_name(f".{path.name}.partial")
    final = path.with_name(f".{path.name}.bom.partial")
    try:
        con.execute(f"copy ({_csv_select(con, table)}) to {quote_literal(str(plain))} "
                    "(format csv, header, delimiter ',')")
        with plain.open("rb") as source, final.open("wb") as target:
            target.write(_BOM)
            shutil.copyfileobj(source, target)
        os.replace(final, path)
    finally:
        plain.unlink(missing_ok=True)
        final.unlink(missing_ok=True)


@dataclass(frozen=True)
class Previous:
    """The published warehouse and export an incremental export starts from, and the build's scope."""

    db_path: Path
    export: Path
    scope: list[str]


def _replace(partial: Path, final: Path) -> None:
    """Put the new file or folder ``partial`` at ``final``, removing what was there (a file or a folder)."""
    if final.is_dir() and not final.is_symlink():
        old = final.with_name(f".{final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
        os.replace(partial, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(partial, final)


def _write_file(con: duckdb.DuckDBPyConnection, table: str, out_dir: Path) -> MartFiles:
    """``<out_dir>/<table>.parquet``, the mart in one file."""
    parquet, partial = out_dir / f"{table}.parquet", out_dir / f".{table}.parquet.partial"
    try:
        con.execute(f"copy marts.{quote_identifier(table)} to {quote_literal(str(partial))} "
                    "(format parquet, compression zstd)")
        _replace(partial, parquet)
    finally:
        partial.unlink(missing_ok=True)
    rows = con.execute(f"select count(*) from marts.{quote_identifier(table)}").fetchone()[0]
    return MartFiles(rows, file=parquet.name)


def _write_folder(con: duckdb.DuckDBPyConnection, table: str, out_dir: Path) -> MartFiles:
    """``<out_dir>/<table>/``, the mart by partition, in full."""
    partial = out_dir / f".{table}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        files = write_partitions(con, table, partial)
        _replace(partial, out_dir / table)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    (out_dir / f"{table}.parquet").unlink(missing_ok=True)  # the layout before partitions
    return files


def _update_folder(con: duckdb.DuckDBPyConnection, published: duckdb.DuckDBPyConnection, table: str,
                   out_dir: Path, previous: Previous, before: MartFiles) -> MartFiles | None:
    """``<out_dir>/<table>/`` from the published one: the partitions whose scope rows changed rewritten, the
    others linked. None when what was written is not what the counts say it must be (then write it in full)."""
    old, new = fingerprints(published, table, previous.scope), fingerprints(con, table, previous.scope)
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    expected = {key: (before.partitions[key].rows if key in before.partitions else 0)
                - (old[key][0] if key in old else 0) + (new[key][0] if key in new else 0) for key in changed}
    if any(rows < 0 for rows in expected.values()):
        return None
    files = MartFiles(0)
    for key, part in before.partitions.items():
        if key not in changed:
            for name in part.files:
                link(previous.export / table / key / name, out_dir / table / key / name)
            files.partitions[key] = Partition(part.rows, list(part.files))
    rewrite = {key for key, rows in expected.items() if rows > 0}
    if rewrite:
        partial = out_dir / f".{table}.partial"
        where = reports_in(con, partition_reports(con, rewrite), "partitions")
        written = write_partitions(con, table, partial, where)
        if {key: part.rows for key, part in written.partitions.items()} != {key: expected[key] for key in rewrite}:
            shutil.rmtree(partial, ignore_errors=True)
            return None
        for key, part in written.partitions.items():
            (out_dir / table / key).mkdir(parents=True, exist_ok=True)
            for name in part.files:
                os.replace(partial / key / name, out_dir / table / key / name)
            files.partitions[key] = part
        shutil.rmtree(partial, ignore_errors=True)
    files.rows = sum(part.rows for part in files.partitions.values())
    return files


def _previous(previous: Previous | None) -> tuple[duckdb.DuckDBPyConnection, Manifest] | None:
    """The published warehouse (read-only) and its export's manifest, when the export was written from it."""
    if previous is None or not previous.db_path.exists():
        return None
    manifest = read_manifest(previous.export)
    if manifest is None:
        return None
    published = open_duckdb(previous.db_path, read_only=True)
    if not manifest.built or built_from(published) != manifest.built:
        published.close()
        return None
    return published, manifest


def export_marts(db_path: Path, out_dir: Path, csv: bool = False, previous: Previous | None = None,
                 log: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Write every table and view of ``marts`` into ``out_dir``: :data:`PARTITIONED` marts as folders, the
    others as ``<mart>.parquet`` (and ``<mart>.csv``), then ``_manifest.json``. With ``previous`` (after an
    incremental build of ``db_path`` from ``previous.db_path``), partitions are rewritten only where the
    scope's rows changed and linked from ``previous.export`` otherwise."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MANIFEST).unlink(missing_ok=True)
    written: list[Path] = []
    con = open_duckdb(db_path, read_only=True)
    start = _previous(previous)
    try:
        manifest = Manifest(built_from(con), {})
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' union "
            "select view_name from duckdb_views() where schema_name = 'marts' order by 1").fetchall()]
        for table in tables:
            files = None
            if table in PARTITIONED and start is not None and table in start[1].marts:
                files = _update_folder(con, start[0], table, out_dir, previous, start[1].marts[table])
                if files is None:
                    log(f"gongkai export: {table}: the partitions do not add up; written in full")
                    shutil.rmtree(out_dir / table, ignore_errors=True)
            if files is None:
                files = _write_folder(con, table, out_dir) if table in PARTITIONED else _write_file(con, table, out_dir)
            manifest.marts[table] = files
            written.append(out_dir / (table if table in PARTITIONED else f"{table}.parquet"))
            if csv:
                path = out_dir / f"{table}.csv"
                _write_csv(con, table, path)
                written.append(path)
        manifest.write(out_dir)
    finally:
        con.close()
        if start is not None:
            start[0].close()
    return written
