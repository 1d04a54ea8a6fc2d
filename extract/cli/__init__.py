"""The ``gongkai`` command: its arguments (here), the commands that write (:mod:`extract.cli.write`)
and those that read a published warehouse (:mod:`extract.cli.read`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from extract.cli.corrections import cmd_corrections_check
from extract.cli.fetch import add_fetch_options, cmd_fetch
from extract.cli.read import cmd_docs, cmd_export, cmd_status
from extract.cli.sql import cmd_sql
from extract.cli.write import cmd_extract, cmd_refresh, cmd_shard
from extract.load.duck import memory_limit_problem
from extract.paths import DEFAULT_REPORTS, default_db_path
from extract.run.exits import EXIT_USAGE

# DuckDB names a database after its file; these names would clash with the warehouse's schemas.
_RESERVED_DB_NAMES = {"raw", "staging", "intermediate", "marts", "seeds", "main", "system", "temp", "memory"}


def warehouse_path(value: str) -> str:
    """``--db``: any path whose file name is not one of the warehouse's schema names."""
    if Path(value).stem.lower() in _RESERVED_DB_NAMES:
        raise argparse.ArgumentTypeError(
            f"{value}: DuckDB would name this database '{Path(value).stem}', the name of a schema in it; "
            "choose another file name (e.g. gongkai.duckdb)")
    return value


def _port(value: str) -> int:
    if not (value.isdigit() and 0 <= int(value) <= 65535):
        raise argparse.ArgumentTypeError(f"{value}: a port number from 0 to 65535")
    return int(value)


def _row_limit(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value}: a number of rows (0: all)")
    return int(value)


def _positive(value: str) -> int:
    if not (value.isdigit() and int(value) > 0):
        raise argparse.ArgumentTypeError(f"{value}: a whole number of files, 1 or more")
    return int(value)


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"{value}: a share from 0 to 1 (0.1 = 10 %)")
    return share


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai", description="An open warehouse of government information disclosure annual reports.")
    sub = parser.add_subparsers(dest="command", required=True)
    refresh = sub.add_parser("refresh", help="extract new/changed reports, load, dbt build")
    refresh.add_argument("--reports", default=os.environ.get("GONGKAI_REPORTS", str(DEFAULT_REPORTS)),
                         help="reports folder (default $GONGKAI_REPORTS or data/reports)")
    refresh.add_argument("--db", type=warehouse_path, default=str(default_db_path()), help="DuckDB warehouse file")
    refresh.add_argument("--workers", type=int, default=None,
                         help="extraction processes (default: the cores; at most 4 per core)")
    refresh.add_argument("--full", action="store_true",
                         help="re-parse every file and rebuild every mart (dbt build --full-refresh)")
    refresh.add_argument("--json", action="store_true", help="print the run summary as JSON")
    refresh.add_argument("--quiet", action="store_true", help="only the final summary (no progress, for cron)")
    refresh.add_argument("--wait", type=float, default=0.0,
                         help="seconds to wait for a running refresh (default 0: exit 75 at once)")
    refresh.add_argument("--csv", action="store_true", help="also export every mart as CSV")
    refresh.add_argument("--allow-withdraw-all", action="store_true",
                         help="let this run withdraw every report (refused by default: an empty or unmounted "
                              "reports folder looks the same)")
    refresh.add_argument("--max-withdraw", type=_share, default=None, metavar="SHARE",
                         help="refuse a run that would withdraw more than this share (0-1) of the loaded reports")
    refresh.add_argument("--from-shards", default=None, metavar="DIR",
                         help="load raw from Parquet shards (gongkai shard, or a distributed run) "
                              "instead of parsing the reports folder")
    refresh.add_argument("--fetch", default=None, metavar="SOURCES.csv",
                         help="first fetch the reports SOURCES.csv names into the reports folder (gongkai fetch), "
                              "in the same locked run")
    add_fetch_options(refresh)
    refresh.set_defaults(func=cmd_refresh)
    fetch = sub.add_parser("fetch", help="download the reports SOURCES.csv names into the reports folder")
    fetch.add_argument("--sources", required=True, metavar="SOURCES.csv",
                       help="url,kind,agency,year,link_pattern (kind: file or listing)")
    fetch.add_argument("--reports", default=os.environ.get("GONGKAI_REPORTS", str(DEFAULT_REPORTS)),
                       help="reports folder (default $GONGKAI_REPORTS or data/reports)")
    fetch.add_argument("--db", type=warehouse_path, default=str(default_db_path()),
                       help="the warehouse whose lock the fetch takes and whose logs/ keep the fetch log")
    fetch.add_argument("--wait", type=float, default=0.0, help="seconds to wait for a running refresh")
    fetch.add_argument("--json", action="store_true", help="print the fetch summary as JSON")
    fetch.add_argument("--quiet", action="store_true", help="only the final summary")
    add_fetch_options(fetch)
    fetch.set_defaults(func=cmd_fetch)
    shard = sub.add_parser("shard", help="extract a folder into Parquet shards of raw rows (for a backfill)")
    shard.add_argument("--reports", default=os.environ.get("GONGKAI_REPORTS", str(DEFAULT_REPORTS)),
                       help="reports folder (default $GONGKAI_REPORTS or data/reports)")
    shard.add_argument("--out", required=True, help="folder for the shards (one subfolder per raw table)")
    shard.add_argument("--workers", type=int, default=None,
                       help="extraction processes (default: one a core; with --scheduler the cluster's own)")
    shard.add_argument("--batch", type=_positive, default=500,
                       help="files per shard on average (at most 3 times as many): the cuts follow the paths, "
                            "so an added or removed file changes only its batch")
    shard.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="local: this machine's worker pool (default); dask: a Dask cluster (the cluster extra)")
    shard.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="with --engine dask: the scheduler (tcp://host:8786); default: a LocalCluster of "
                            "--workers processes")
    shard.add_argument("--prune", action="store_true",
                       help="when every batch is complete, remove the shards of earlier plans from --out "
                            "(files changed or removed since, another --batch); --out must hold this folder's "
                            "shards only")
    shard.add_argument("--quiet", action="store_true", help="only the final line")
    shard.set_defaults(func=cmd_shard)
    extract = sub.add_parser("extract", help="parse files and print what was found")
    extract.add_argument("files", nargs="+")
    extract.add_argument("--json", action="store_true")
    extract.set_defaults(func=cmd_extract)
    status = sub.add_parser("status", help="last runs and the quality summary")
    status.add_argument("--db", type=warehouse_path, default=str(default_db_path()))
    status.add_argument("--runs", type=int, default=5, help="how many runs to show")
    status.add_argument("--json", action="store_true", help="print the runs and the quality summary as JSON")
    status.set_defaults(func=cmd_status)
    docs = sub.add_parser("docs", help="write the static dbt docs catalogue (and serve it on localhost)")
    docs.add_argument("--db", type=warehouse_path, default=str(default_db_path()))
    docs.add_argument("--serve", action="store_true", help="serve it on 127.0.0.1 (built first if missing)")
    docs.add_argument("--port", type=_port, default=8080, help="port for --serve (0: any free port)")
    docs.set_defaults(func=cmd_docs)
    export = sub.add_parser("export", help="write every mart of the published warehouse as Parquet (and CSV)")
    export.add_argument("--db", type=warehouse_path, default=str(default_db_path()))
    export.add_argument("--out", default=None, help="folder (default: export/ beside the warehouse)")
    export.add_argument("--csv", action="store_true", help="also write CSV")
    export.set_defaults(func=cmd_export)
    sql = sub.add_parser("sql", help="query the published warehouse (read-only); without a query, the DuckDB shell")
    sql.add_argument("query", nargs="?", default=None, help="SQL to run (omit it for the interactive shell)")
    sql.add_argument("--db", type=warehouse_path, default=str(default_db_path()))
    output = sql.add_mutually_exclusive_group()
    output.add_argument("--csv", action="store_true", help="every row as CSV (header first; NULL is empty)")
    output.add_argument("--json", action="store_true", help="every row as a JSON array of objects")
    output.add_argument("-x", "--vertical", action="store_true",
                        help="one block per row, a line per column (default when the table is wider than the terminal)")
    sql.add_argument("--max-rows", type=_row_limit, default=100, metavar="N",
                     help="rows the table shows (default 100; 0: all); --csv and --json write every row")
    sql.set_defaults(func=cmd_sql)
    corrections = sub.add_parser("corrections", help="corrections.csv: check it against the published warehouse")
    corrections_sub = corrections.add_subparsers(dest="action", required=True)
    check = corrections_sub.add_parser("check", help="say which rows would apply and why the others would not "
                                                     "(exit 1 when a row would be rejected)")
    check.add_argument("--reports", default=os.environ.get("GONGKAI_REPORTS", str(DEFAULT_REPORTS)),
                       help="reports folder holding corrections.csv (default $GONGKAI_REPORTS or data/reports)")
    check.add_argument("--db", type=warehouse_path, default=str(default_db_path()))
    check.add_argument("--json", action="store_true", help="print the problems as JSON")
    check.set_defaults(func=cmd_corrections_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problem = memory_limit_problem()
    if problem:
        print(f"gongkai: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
