"""Polars against what gongkai uses today, on the two paths where it could help (issue 15, item 5).

    .venv/bin/python bench/polars_vs_duckdb.py            # print the figures
    .venv/bin/python bench/polars_vs_duckdb.py --write    # … and update bench/RESULTS.md's section

1. The hand-off of extracted rows into ``raw.cells``: one INSERT per report binding one list per
   column (``unnest(?::varchar[])``, gongkai's loader until this measurement), against a Polars
   DataFrame of the same rows handed to DuckDB through the Arrow C stream, no pyarrow needed
   (``extract.load.warehouse.insert_rows`` now). Per report, as a refresh loads, and as one batch
   of every report.
2. The export of a mart to Parquet: DuckDB's ``COPY … (format parquet, compression zstd)`` against
   ``polars.DataFrame(relation).write_parquet(compression="zstd")``.

Both sides must produce the same rows (checked); each timing is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from layouts import write_section  # noqa: E402

from extract.load.warehouse import _CELL_COLUMNS, SCHEMA_SQL, insert_rows  # noqa: E402

SECTION = "## Polars against DuckDB (issue 15: keep polars?)"
DECISION = (
    "Without polars the load binds one Python list per column, which DuckDB 1.5 converts value by value "
    "(about 0.8 s for a report of 200 cells); the same rows as a Polars frame through Arrow take a few "
    "milliseconds, so gongkai loads that way (`extract/load/warehouse.py`). Measured once on 2026-12-02 with "
    "duckdb 2.0.1, the pin before 1.5.6, the same script gave 0.168 s against 0.152 s per report, 0.147 s "
    "against 0.020 s in one batch, and 2.140 s against 1.390 s for the export. The export stays on DuckDB's "
    "COPY although polars writes the file faster: COPY streams a mart to the file, while "
    "`polars.DataFrame(relation)` first holds the whole mart in memory (the cell marts are views over "
    "`raw.cells`; a national panel is about 200 million cells).")


def report_rows(reports: int, cells: int) -> list[list[tuple]]:
    """Rows shaped as ``load_report`` binds them: 13 columns, a DECIMAL as its exact text, some blanks."""
    out = []
    for r in range(reports):
        rows = []
        for c in range(cells):
            blank = c % 9 == 0
            value = None if blank else format(Decimal(r * 7 + c) / 4, "f")
            rows.append((f"r_{r:016x}", 2 + c % 3, f"row_{c % 40}", f"col_{c % 7}", "" if blank else str(value),
                         value, None, "blank" if blank else "number", 1 + c // 100, c, "grid", f"标签{c % 40}",
                         "header"))
        out.append(rows)
    return out


def insert_unnest(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[tuple[str, str], ...],
                  rows: list[tuple]) -> None:
    """The loader before polars: one statement binding one list per column."""
    names = ", ".join(name for name, _ in columns)
    values = ", ".join(
        f"unnest(?::varchar[])::{kind}" if kind.startswith("decimal") else f"unnest(?::{kind}[])"
        for _, kind in columns)
    lists = [list(column) for column in zip(*rows, strict=True)]
    con.execute(f"insert into raw.{table} ({names}) select {values}", lists)


def _fresh() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(SCHEMA_SQL)
    return con


def load_unnest(con: duckdb.DuckDBPyConnection, batches: list[list[tuple]]) -> None:
    for rows in batches:
        con.execute("begin transaction")
        insert_unnest(con, "cells", _CELL_COLUMNS, rows)
        con.execute("commit")


def load_polars(con: duckdb.DuckDBPyConnection, batches: list[list[tuple]]) -> None:
    for rows in batches:
        con.execute("begin transaction")
        insert_rows(con, "cells", _CELL_COLUMNS, rows)
        con.execute("commit")


def _best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _same(a: duckdb.DuckDBPyConnection, b: duckdb.DuckDBPyConnection) -> bool:
    left = a.execute("select * from raw.cells order by all").fetchall()
    return left == b.execute("select * from raw.cells order by all").fetchall()


def bench_load(reports: int, cells: int, repeat: int) -> list[tuple[str, float, float]]:
    batches = report_rows(reports, cells)
    out = []
    for label, shaped in ((f"{reports} reports × {cells} cells, one INSERT per report", batches),
                          (f"{reports * cells:,} cells in one INSERT", [[row for rows in batches for row in rows]])):
        seconds, loaded = [], []
        for load in (load_unnest, load_polars):
            times = []
            for _ in range(repeat):
                con = _fresh()
                start = time.perf_counter()
                load(con, shaped)
                times.append(time.perf_counter() - start)
            seconds.append(min(times))
            loaded.append(con)
        assert _same(*loaded), "the two loads differ"
        out.append((label, *seconds))
    return out


def bench_export(rows: int, repeat: int, folder: Path) -> tuple[str, float, float]:
    con = _fresh()
    con.execute(f"""insert into raw.cells select 'r_' || (i // 200)::varchar, 2 + i % 3, 'row_' || (i % 40),
        'col_' || (i % 7), (i / 4)::varchar, case when i % 9 = 0 then null else (i / 4)::decimal(20, 6) end,
        null, case when i % 9 = 0 then 'blank' else 'number' end, 1 + (i % 200) // 100, i % 200, 'grid',
        '标签' || (i % 40), 'header' from range({rows}) t(i)""")
    native, viapolars = folder / "native.parquet", folder / "polars.parquet"

    def copy() -> None:
        con.execute(f"copy raw.cells to '{native}' (format parquet, compression zstd)")

    def polars() -> None:
        pl.DataFrame(con.sql("select * from raw.cells")).write_parquet(viapolars, compression="zstd")

    seconds = _best(repeat, copy), _best(repeat, polars)
    differ = con.execute(f"select count(*) from (select * from '{native}' except all select * from '{viapolars}')"
                         ).fetchone()[0]
    assert differ == 0, "the two exports differ"
    con.close()
    return f"{rows:,} cells to Parquet (zstd)", *seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--cells", type=int, default=200, help="cells per report")
    parser.add_argument("--export-rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="update the section in bench/RESULTS.md")
    args = parser.parse_args()
    lines = [f"`bench/polars_vs_duckdb.py` (duckdb {duckdb.__version__}, polars {pl.__version__}; best of "
             f"{args.repeat}; both sides checked to give the same rows):", "",
             "| path | without polars (s) | with polars (s) | ratio |", "|---|---|---|---|"]
    results = [(f"load: {label}", today, polars) for label, today, polars in
               bench_load(args.reports, args.cells, args.repeat)]
    with tempfile.TemporaryDirectory(prefix="gongkai-polars-") as tmp:
        label, today, polars = bench_export(args.export_rows, args.repeat, Path(tmp))
    results.append((f"export: {label}", today, polars))
    lines += [f"| {label} | {today:.3f} | {polars:.3f} | {polars / today:.3g}× |" for label, today, polars in results]
    lines += ["", DECISION]
    print("\n".join(lines))
    if args.write:
        write_section(lines, BENCH / "RESULTS.md", SECTION)
        print(f"wrote the section of {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
