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

Each file is written under a temporary name in the output folder and then renamed, so
a reader never sees a half-written export.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from extract.load.sql import quote_identifier, quote_literal

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


def export_marts(db_path: Path, out_dir: Path, csv: bool = False) -> list[Path]:
    """Write ``<out_dir>/<mart>.parquet`` (and ``.csv``) for every table and view in ``marts``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' union "
            "select view_name from duckdb_views() where schema_name = 'marts' order by 1").fetchall()]
        for table in tables:
            parquet = out_dir / f"{table}.parquet"
            partial = out_dir / f".{table}.parquet.partial"
            try:
                con.execute(f"copy marts.{quote_identifier(table)} to {quote_literal(str(partial))} "
                            "(format parquet, compression zstd)")
                os.replace(partial, parquet)
            finally:
                partial.unlink(missing_ok=True)
            written.append(parquet)
            if csv:
                path = out_dir / f"{table}.csv"
                _write_csv(con, table, path)
                written.append(path)
    finally:
        con.close()
    return written
