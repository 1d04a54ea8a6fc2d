"""The ``gongkai`` command."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from extract.paths import DEFAULT_REPORTS, WarehousePaths, default_db_path


def _cmd_refresh(args: argparse.Namespace) -> int:
    from extract.run.exits import (
        EXIT_BUILD_FAILED,
        EXIT_INTERRUPTED,
        EXIT_LOCK_BUSY,
        EXIT_TERMINATED,
        Refused,
        Terminated,
    )
    from extract.run.lock import LockBusy
    from extract.run.refresh import refresh

    quiet = args.quiet or args.json
    progress = not quiet and sys.stderr.isatty()
    try:
        shards = Path(args.from_shards) if args.from_shards else None
        summary = refresh(shards or Path(args.reports), Path(args.db), workers=args.workers, full=args.full,
                          log=(lambda *_: None) if quiet else print, progress=progress, wait=args.wait,
                          csv=args.csv, shards=shards, allow_withdraw_all=args.allow_withdraw_all,
                          max_withdraw=args.max_withdraw)
    except LockBusy as busy:
        print(f"gongkai refresh: {busy}", file=sys.stderr)
        return EXIT_LOCK_BUSY
    except Refused as refusal:
        print(f"gongkai refresh: refused: {refusal.message}", file=sys.stderr)
        return refusal.exit_code
    except Terminated:
        print("gongkai refresh: stopped by SIGTERM; nothing was published (logged as interrupted)", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("gongkai refresh: stopped; nothing was published (logged as interrupted)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - one line for the operator, the traceback in the logs
        where = _save_traceback(Path(args.db))
        print(f"gongkai refresh: failed: {type(error).__name__}: {error}; nothing was published "
              f"(traceback: {where})", file=sys.stderr)
        return EXIT_BUILD_FAILED
    if args.json:
        print(json.dumps(asdict(summary), ensure_ascii=False, indent=2))
    else:
        marts = summary.marts
        print(
            f"run {summary.run_id}: {summary.status}"
            f"{'' if summary.published else ' (nothing published: the warehouse is unchanged)'}\n"
            f"  files: {summary.files_seen} seen, {summary.new} new, {summary.changed} changed, "
            f"{summary.reparsed} re-read, {summary.unchanged} unchanged, {summary.removed} removed, "
            f"{summary.failed} failed\n"
            f"  reports loaded: {marts.get('reports', '?')}, cells: {marts.get('cells', '?')}, "
            f"quality flags: {marts.get('quality_flags', '?')}, parse issues: {marts.get('parse_issues', '?')}\n"
            f"  dbt build: {summary.dbt_status}; docs: {summary.docs_path or 'not written'}; "
            f"exports: {summary.export_dir or 'not written'}; warehouse: {args.db}"
        )
        for path, error_class, message in summary.errors:
            print(f"  quarantined {path}: {error_class}: {message}")
        if summary.message:
            print(summary.message, file=sys.stderr)
    return 0 if summary.status == "success" else 1


def _save_traceback(db: Path) -> str:
    """Write the current exception's traceback beside the run log; where it went (or that it could not)."""
    import traceback

    path = WarehousePaths(db).last_error
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        return "not saved: the logs folder cannot be written"
    return str(path)


def _cmd_shard(args: argparse.Namespace) -> int:
    import datetime as dt

    from extract.load.shards import extract_to_shards
    from extract.run.exits import EXIT_USAGE
    from extract.run.manifest import read_manifest
    from extract.run.scan import ReportsFolderMissing, scan_folder

    reports, out = Path(args.reports), Path(args.out)
    try:
        jobs = scan_folder(reports, read_manifest(reports))
    except ReportsFolderMissing as missing:
        print(f"gongkai shard: {missing}", file=sys.stderr)
        return EXIT_USAGE
    run_id = "shard-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    log = (lambda *_: None) if args.quiet else print
    log(f"gongkai shard: {len(jobs)} files from {reports}, {args.batch} per shard")
    written = extract_to_shards(jobs, out, run_id, args.workers or os.cpu_count() or 1, args.batch, log)
    print(f"gongkai shard: {written} shards of {len(jobs)} files in {out}; "
          f"load them with `gongkai refresh --from-shards {out}`")
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from extract.parse.report import extract_report
    from extract.readers import ReaderError

    status = 0
    results = []
    for name in args.files:
        path = Path(name)
        try:
            report = extract_report(path.read_bytes(), path.name)
        except (ReaderError, OSError) as error:
            status = 1
            results.append({"file": name, "error": str(error)})
            if not args.json:
                print(f"{name}: error: {error}", file=sys.stderr)
            continue
        if args.json:
            results.append({"file": name, **report.to_json()})
            continue
        meta = report.metadata
        print(f"{name}: {meta.agency_name} {meta.report_year} (template {meta.template_version}, "
              f"{meta.version_basis}), {len(report.cells)} cells")
        for cell in report.cells:
            print(f"  表{'二三四'[cell.table_no - 2]} {cell.row_key}.{cell.col_key} = "
                  f"{cell.value if cell.value is not None else cell.cell_state} "
                  f"[{cell.raw_text!r}, line {cell.line_no}]")
        for issue in report.issues:
            print(f"  {issue.severity}: {issue.code}: {issue.message}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return status


def _warehouse_status(db: Path) -> dict:
    """The published warehouse's quality summary (empty when its marts are not built)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "reports_by_quality": dict(con.execute(
                "select quality_status, count(*) from marts.dim_reports group by 1 order by 1").fetchall()),
            "failed_checks_by_family": dict(con.execute(
                "select check_family, count(*) from marts.fct_data_quality where passed = false "
                "group by 1 order by 1").fetchall()),
            "quarantined_files": con.execute("select count(*) from marts.fct_load_errors").fetchone()[0],
        }
    except duckdb.CatalogException:
        return {}
    finally:
        con.close()


def _cmd_status(args: argparse.Namespace) -> int:
    from extract.run.runlog import read_run_log

    db = Path(args.db)
    problem = _published_problem(db, missing_ok=True)
    if problem is not None:
        return problem
    runs = read_run_log(db)[-args.runs:]
    if not runs and not db.exists():
        return _published_problem(db) or 0
    published = _warehouse_status(db) if db.exists() else None
    if args.json:
        print(json.dumps({"warehouse": str(db), "runs": list(reversed(runs)), "published": published},
                         ensure_ascii=False, indent=2))
        return 0
    print("last runs:")
    for run in reversed(runs):
        print(f"  {run['run_id']} {run.get('status', '?'):<11} seen {run.get('files_seen')} new {run.get('new')} "
              f"changed {run.get('changed')} removed {run.get('removed')} failed {run.get('failed')} "
              f"cells {run.get('cells_loaded')} dbt {run.get('dbt_status')}"
              f"{'' if run.get('published') else ' (not published)'}")
        if run.get("status") != "success" and run.get("message"):
            print("    " + run["message"].splitlines()[0][:200])
    if published is None:
        return 0
    print("published warehouse:")
    if not published:
        print("  marts not built yet")
        return 0
    for status, count in published["reports_by_quality"].items():
        print(f"  reports {status}: {count}")
    for family, failed in published["failed_checks_by_family"].items():
        print(f"  failed {family} checks: {failed}")
    print(f"  quarantined files: {published['quarantined_files']}")
    return 0


def _published_problem(db: Path, missing_ok: bool = False) -> int | None:
    """The exit code, after saying why, when ``db`` is not a published warehouse this command may read."""
    from extract.run.exits import EXIT_USAGE, Refused
    from extract.run.site import check_claim, check_readable

    try:
        check_claim(db)
        check_readable(db)
    except Refused as refusal:
        print(f"gongkai: {refusal.message}", file=sys.stderr)
        return refusal.exit_code
    if not db.exists() and not missing_ok:
        print(f"no warehouse at {db}; run `gongkai refresh` first", file=sys.stderr)
        return EXIT_USAGE
    return None


def _cmd_docs(args: argparse.Namespace) -> int:
    from extract.run.docs import DocsError, build_docs, docs_dir, serve_docs
    from extract.run.exits import EXIT_BUILD_FAILED, EXIT_PORT_BUSY

    db = Path(args.db)
    problem = _published_problem(db)
    if problem is not None:
        return problem
    index = docs_dir(db) / "index.html"
    if not (args.serve and index.exists()):
        try:
            index = build_docs(db)
        except DocsError as error:
            print(error, file=sys.stderr)
            return EXIT_BUILD_FAILED
        print(f"gongkai docs: wrote {index}")
    if args.serve:
        try:
            serve_docs(index.parent, args.port)
        except OSError as error:
            print(f"gongkai docs: cannot serve on 127.0.0.1:{args.port}: {error.strerror or error} "
                  "(another server there? pass --port N, or --port 0 for any free port)", file=sys.stderr)
            return EXIT_PORT_BUSY
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from extract.run.export import export_marts

    db = Path(args.db)
    problem = _published_problem(db)
    if problem is not None:
        return problem
    import duckdb

    from extract.run.exits import EXIT_NOT_WRITABLE

    out = Path(args.out) if args.out else WarehousePaths(db).export
    try:
        written = export_marts(db, out, csv=args.csv)
    except (OSError, duckdb.IOException) as error:
        print(f"gongkai export: cannot write to {out}: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return EXIT_NOT_WRITABLE
    print(f"gongkai export: {len(written)} files in {out}")
    return 0


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


def _share(value: str) -> float:
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"{value}: a share from 0 to 1 (0.1 = 10 %)")
    return share


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    refresh = sub.add_parser("refresh", help="extract new/changed reports, load, dbt build")
    refresh.add_argument("--reports", default=os.environ.get("GONGKAI_REPORTS", str(DEFAULT_REPORTS)),
                         help="reports folder (default $GONGKAI_REPORTS or data/reports)")
    refresh.add_argument("--db", type=warehouse_path, default=str(default_db_path()), help="DuckDB warehouse file")
    refresh.add_argument("--workers", type=int, default=None,
                         help="extraction processes (default: the cores; at most 4 per core)")
    refresh.add_argument("--full", action="store_true", help="re-parse every file")
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
    refresh.set_defaults(func=_cmd_refresh)
    shard = sub.add_parser("shard", help="extract a folder into Parquet shards of raw rows (for a backfill)")
    shard.add_argument("--reports", default=os.environ.get("GONGKAI_REPORTS", str(DEFAULT_REPORTS)),
                       help="reports folder (default $GONGKAI_REPORTS or data/reports)")
    shard.add_argument("--out", required=True, help="folder for the shards (one subfolder per raw table)")
    shard.add_argument("--workers", type=int, default=None, help="extraction processes")
    shard.add_argument("--batch", type=int, default=500, help="files per shard")
    shard.add_argument("--quiet", action="store_true", help="only the final line")
    shard.set_defaults(func=_cmd_shard)
    extract = sub.add_parser("extract", help="parse files and print what was found")
    extract.add_argument("files", nargs="+")
    extract.add_argument("--json", action="store_true")
    extract.set_defaults(func=_cmd_extract)
    status = sub.add_parser("status", help="last runs and the quality summary")
    status.add_argument("--db", type=warehouse_path, default=str(default_db_path()))
    status.add_argument("--runs", type=int, default=5, help="how many runs to show")
    status.add_argument("--json", action="store_true", help="print the runs and the quality summary as JSON")
    status.set_defaults(func=_cmd_status)
    docs = sub.add_parser("docs", help="write the static dbt docs catalogue (and serve it on localhost)")
    docs.add_argument("--db", type=warehouse_path, default=str(default_db_path()))
    docs.add_argument("--serve", action="store_true", help="serve it on 127.0.0.1 (built first if missing)")
    docs.add_argument("--port", type=_port, default=8080, help="port for --serve (0: any free port)")
    docs.set_defaults(func=_cmd_docs)
    export = sub.add_parser("export", help="write every mart of the published warehouse as Parquet (and CSV)")
    export.add_argument("--db", type=warehouse_path, default=str(default_db_path()))
    export.add_argument("--out", default=None, help="folder (default: export/ beside the warehouse)")
    export.add_argument("--csv", action="store_true", help="also write CSV")
    export.set_defaults(func=_cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
