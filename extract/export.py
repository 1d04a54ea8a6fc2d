"""Every public mart as Parquet (and CSV on request), for other engines and spreadsheets."""

from __future__ import annotations

from pathlib import Path

import duckdb


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
            con.execute(f"copy marts.{table} to '{parquet}' (format parquet, compression zstd)")
            written.append(parquet)
            if csv:
                path = out_dir / f"{table}.csv"
                con.execute(f"copy marts.{table} to '{path}' (header, delimiter ',')")
                written.append(path)
    finally:
        con.close()
    return written
