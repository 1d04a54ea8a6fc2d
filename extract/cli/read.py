"""The commands that read a published warehouse: ``gongkai status``, ``gongkai docs``, ``gongkai export``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from extract.load.duck import open_duckdb
from extract.paths import WarehousePaths


def _warehouse_status(db: Path) -> dict:
    """The published warehouse's quality summary (empty when its marts are not built)."""
    import duckdb

    con = open_duckdb(db, read_only=True)
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


def cmd_status(args: argparse.Namespace) -> int:
    from extract.run.runlog import read_run_log

    db = Path(args.db)
    problem = published_problem(db, missing_ok=True)
    if problem is not None:
        return problem
    runs = read_run_log(db)[-args.runs:]
    if not runs and not db.exists():
        return published_problem(db) or 0
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
        if isinstance(run.get("fetch"), dict):
            fetched = run["fetch"]
            outcomes = ", ".join(f"{n} {k}" for k, n in sorted((fetched.get("outcomes") or {}).items()))
            print(f"    fetch {fetched.get('fetch_run_id')}: {outcomes or 'nothing'}; {fetched.get('failures')} failed")
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


def published_problem(db: Path, missing_ok: bool = False) -> int | None:
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


def cmd_docs(args: argparse.Namespace) -> int:
    from extract.run.docs import DocsError, build_docs, docs_dir, serve_docs
    from extract.run.exits import EXIT_BUILD_FAILED, EXIT_PORT_BUSY

    db = Path(args.db)
    problem = published_problem(db)
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


def cmd_export(args: argparse.Namespace) -> int:
    from extract.run.export import export_marts

    db = Path(args.db)
    problem = published_problem(db)
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
