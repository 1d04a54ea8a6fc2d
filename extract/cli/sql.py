"""``gongkai sql``: query the published warehouse on a read-only connection.

With a query it prints the result (a table, or one record per block when the table is wider
than the terminal; ``--csv``, ``--json``); without one it hands the terminal to the DuckDB
shell installed with gongkai (``duckdb -readonly``), whose storage format is the warehouse's.
A statement that would change the warehouse is refused (exit 77): the warehouse is rebuilt from
the reports folder by ``gongkai refresh``, so an edit made here would be lost at the next one.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from extract.cli.read import published_problem
from extract.cli.render import Result, write_csv, write_human, write_json
from extract.load.duck import open_duckdb
from extract.run.exits import EXIT_QUERY_FAILED, EXIT_READ_ONLY, EXIT_USAGE

_WRITE_REFUSED = re.compile(r'Cannot execute statement of type "(\w+)".*read-only mode')
_CHANGES_ROWS = {"INSERT", "UPDATE", "DELETE", "MERGE_INTO"}
_BATCH = 2048


def duckdb_cli() -> str | None:
    """The DuckDB shell of this environment (the ``duckdb-cli`` package), else one on PATH."""
    candidate = Path(sys.executable).with_name("duckdb")
    return str(candidate) if candidate.exists() else shutil.which("duckdb")


def _rows(cursor) -> Iterator[tuple]:
    while batch := cursor.fetchmany(_BATCH):
        yield from batch


def _shell(db: Path) -> int:
    cli = duckdb_cli()
    if cli is None:
        print("gongkai sql: the DuckDB shell is not installed (it comes with gongkai's setup: "
              "`bash scripts/setup.sh`, or `pip install -c constraints.txt duckdb-cli`)", file=sys.stderr)
        return EXIT_USAGE
    if sys.stdin.isatty():
        print(f"gongkai sql: {db} (read-only). `.mode line` shows every column of a wide row, "
              "`.mode duckbox` the table again; `.tables` lists them; `.quit` leaves.", file=sys.stderr)
    return subprocess.call([cli, "-readonly", str(db)])


def _print_query(con, args: argparse.Namespace) -> None:
    """Run ``args.query`` and print its result in the chosen layout (streamed for CSV and JSON)."""
    import duckdb

    for statement in con.extract_statements(args.query):
        if statement.type.name in _CHANGES_ROWS:  # on a view DuckDB would fail binding before the read-only check
            raise duckdb.InvalidInputException(f'Cannot execute statement of type "{statement.type.name}" '
                                               "on a database attached in read-only mode")
    cursor = con.execute(args.query)
    columns = [column[0] for column in cursor.description or []]
    if args.csv:
        write_csv(columns, _rows(cursor), sys.stdout)
    elif args.json:
        write_json(columns, _rows(cursor), sys.stdout)
    else:
        limit = args.max_rows
        rows = cursor.fetchall() if limit == 0 else cursor.fetchmany(limit + 1)
        more = limit != 0 and len(rows) > limit
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        write_human(Result(columns, rows[:limit] if more else rows, more), sys.stdout, width, args.vertical)


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    db = Path(args.db)
    problem = published_problem(db)
    if problem is not None:
        return problem
    if args.query is None:
        return _shell(db)
    con = open_duckdb(db, read_only=True)
    try:
        _print_query(con, args)
    except BrokenPipeError:  # `gongkai sql … | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the final flush is quiet too
        return 0
    except duckdb.Error as error:
        refused = _WRITE_REFUSED.search(str(error))
        if refused:
            print(f"gongkai sql: refused: {refused.group(1)} would change the warehouse, which gongkai sql opens "
                  "read-only (it is rebuilt from the reports folder by `gongkai refresh`, which would undo any "
                  "edit; a misread number is corrected in corrections.csv in the reports folder)", file=sys.stderr)
            return EXIT_READ_ONLY
        print(f"gongkai sql: {error}", file=sys.stderr)
        return EXIT_QUERY_FAILED
    finally:
        con.close()
    return 0
