"""The commands that write: ``gongkai refresh``, ``gongkai shard`` and ``gongkai extract``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from extract.paths import WarehousePaths


def cmd_refresh(args: argparse.Namespace) -> int:
    from extract.cli.fetch import fetch_options
    from extract.run.exits import (
        EXIT_BUILD_FAILED,
        EXIT_INTERRUPTED,
        EXIT_LOCK_BUSY,
        EXIT_TERMINATED,
        EXIT_USAGE,
        Refused,
        Terminated,
    )
    from extract.run.lock import LockBusy
    from extract.run.refresh import refresh

    quiet = args.quiet or args.json
    progress = not quiet and sys.stderr.isatty()
    if args.fetch and args.from_shards:
        print("gongkai refresh: --fetch fills the reports folder, --from-shards does not read it: "
              "give one of them", file=sys.stderr)
        return EXIT_USAGE
    try:
        shards = Path(args.from_shards) if args.from_shards else None
        summary = refresh(shards or Path(args.reports), Path(args.db), workers=args.workers, full=args.full,
                          log=(lambda *_: None) if quiet else print, progress=progress, wait=args.wait,
                          csv=args.csv, shards=shards, allow_withdraw_all=args.allow_withdraw_all,
                          max_withdraw=args.max_withdraw, fetch_sources=Path(args.fetch) if args.fetch else None,
                          fetch_options=fetch_options(args) if args.fetch else None)
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
            f"{_marts_line(marts)}\n"
            f"  dbt build: {summary.dbt_status}; docs: {summary.docs_path or 'not written'}; "
            f"exports: {summary.export_dir or 'not written'}; warehouse: {args.db}"
        )
        if summary.fetch:
            outcomes = ", ".join(f"{n} {k}" for k, n in sorted(summary.fetch["outcomes"].items()))
            print(f"  fetch: {outcomes or 'nothing'}; {summary.fetch['failures']} URLs failed "
                  f"(marts.fct_fetch_log, {summary.fetch['log_path']})")
        for path, error_class, message in summary.errors:
            print(f"  quarantined {path}: {error_class}: {message}")
        if summary.corrections_applied or summary.correction_problems:
            print(f"  corrections: {summary.corrections_applied} applied, "
                  f"{len(summary.correction_problems)} rejected")
        for line_no, problem in summary.correction_problems:
            print(f"  rejected correction: corrections.csv line {line_no}: {problem}")
        if summary.message:
            print(summary.message, file=sys.stderr)
    return 0 if summary.status == "success" else 1


def _marts_line(marts: dict[str, int]) -> str:
    """What the published marts hold, or that nothing could be counted."""
    if not marts:
        return "  marts: not counted (this run published no marts)"
    issues = ", ".join(f"{marts.get(f'parse_issues_{s}', 0)} {s}" for s in ("error", "warning", "info"))
    return (f"  reports loaded: {marts['reports']}, cells: {marts['cells']}, quality flags: {marts['quality_flags']}, "
            f"parse issues: {marts['parse_issues']} ({issues})")


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


def cmd_shard(args: argparse.Namespace) -> int:
    import datetime as dt

    from extract.load.shards import extract_to_shards, plan_batches, prune_shards
    from extract.run.exits import EXIT_INTERRUPTED, EXIT_SHARDS_MISSING, EXIT_UNAVAILABLE, EXIT_USAGE
    from extract.run.manifest import read_manifest
    from extract.run.scan import ReportsFolderMissing, scan_folder

    if args.scheduler and args.engine != "dask":
        print("gongkai shard: --scheduler is for --engine dask", file=sys.stderr)
        return EXIT_USAGE
    # Absolute paths: a Dask worker on another machine (or in another folder) reads and writes them as given.
    reports, out = Path(args.reports).absolute(), Path(args.out).absolute()
    try:
        jobs = scan_folder(reports, read_manifest(reports))
    except ReportsFolderMissing as missing:
        print(f"gongkai shard: {missing}", file=sys.stderr)
        return EXIT_USAGE
    run_id = "shard-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    log = (lambda *_: None) if args.quiet else print
    workers = args.workers or os.cpu_count() or 1
    log(f"gongkai shard: {len(jobs)} files from {reports}, about {args.batch} per shard, engine {args.engine}")
    try:
        if args.engine == "dask":
            from extract.run.cluster import ClusterUnavailable, DaskMissing, extract_on_dask

            try:
                run = extract_on_dask(jobs, out, run_id, args.batch, args.scheduler, workers, log)
            except DaskMissing as missing:
                print(f"gongkai shard: {missing}", file=sys.stderr)
                return EXIT_USAGE
            except ClusterUnavailable as unavailable:
                print(f"gongkai shard: {unavailable}", file=sys.stderr)
                return EXIT_UNAVAILABLE
        else:
            run = extract_to_shards(jobs, out, run_id, workers, args.batch, log)
    except KeyboardInterrupt:
        print("gongkai shard: stopped; the shards written so far are complete (run it again to go on)",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"gongkai shard: {run.written} shards written, {run.skipped} already complete, {len(run.failed)} failed "
          f"({run.batches} batches of {len(jobs)} files) in {out}; "
          f"load them with `gongkai refresh --from-shards {out}`")
    for failed in run.failed:
        more = f" and {len(failed.files) - 1} more" if len(failed.files) > 1 else ""
        print(f"  failed batch {failed.name} ({failed.files[0]}{more}): {failed.error}", file=sys.stderr)
    if run.failed:
        print(f"gongkai shard: {len(run.failed)} shards are missing: run the same command again to write them "
              "(complete shards are skipped)", file=sys.stderr)
        if args.prune:
            print("gongkai shard: --prune skipped: the shards of earlier plans stay until every batch is complete",
                  file=sys.stderr)
        return EXIT_SHARDS_MISSING
    if args.prune:
        removed = prune_shards(out, {batch.name for batch in plan_batches(jobs, args.batch)})
        print(f"gongkai shard: pruned {removed} shards of earlier plans from {out}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
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
