"""The scheduled job: extract new or changed files, load raw, ``dbt build``, publish atomically.

One refresh at a time (:mod:`extract.run.lock`). Before it changes anything a run checks the
warehouse folder can be written (:mod:`extract.run.site`), the published warehouse opens, the
folder belongs to this warehouse, and the reports folder exists; after scanning, it refuses
to withdraw every report (:mod:`extract.run.plan`). A run that would change nothing learns so on
the published warehouse opened read-only (:mod:`extract.run.nochange`) and stops there: no copy,
nothing published. Otherwise it builds a private copy of the warehouse (:mod:`extract.run.publish`)
and replaces the published file only when ``dbt build`` (tests at
error severity included) succeeds; the catalogue and the exports are written from the same
copy. Every run that takes the lock is in ``<warehouse folder>/logs/refresh_runs.jsonl``
(:mod:`extract.run.runlog`) from its first moment, whatever ends it, and is carried into
``raw.refresh_runs``. SIGTERM stops the run cleanly: workers and dbt are stopped, nothing is
published, the run is logged ``interrupted``.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from extract.fetch.log import sync_fetch_log
from extract.fetch.run import FetchOptions, fetch
from extract.load.warehouse import connect, raw_state
from extract.paths import WarehousePaths
from extract.run.build import build_fingerprint, build_marts, published_counts, record_build
from extract.run.exits import EXIT_USAGE, Refused, Terminated
from extract.run.export import Previous, export_marts
from extract.run.hashcache import HashCache
from extract.run.ingest import FolderScan, ingest_folder, ingest_shards, scan_for_refresh
from extract.run.lock import RefreshLock
from extract.run.nochange import NOTHING_CHANGED, decide
from extract.run.pool import check_limits
from extract.run.procs import SigtermGuard
from extract.run.publish import discard, publish, remove_stale_staging, staging_db_path, start_staging
from extract.run.runlog import (
    append_run,
    mark_interrupted,
    now_utc,
    read_run_log,
    run_log_path,
)
from extract.run.scan import ReportsFolderMissing, require_folder, scan_folder
from extract.run.scope import plan_build
from extract.run.site import check_readable, check_writable, claim
from extract.run.summary import RefreshOptions, RefreshSummary, run_record

Log = Callable[[str], None]
__all__ = ["RefreshSummary", "read_run_log", "refresh", "run_log_path", "scan_folder"]


def _log_run(db_path: Path, summary: RefreshSummary, reports_dir: Path) -> None:
    append_run(db_path, run_record(summary, reports_dir))


def refresh(reports_dir: Path, db_path: Path, workers: int | None = None, full: bool = False,
            run_dbt_build: bool = True, log: Log = print, progress: bool = False, wait: float = 0.0,
            csv: bool = False, shards: Path | None = None, allow_withdraw_all: bool = False,
            max_withdraw: float | None = None, fetch_sources: Path | None = None,
            fetch_options: FetchOptions | None = None) -> RefreshSummary:
    """Bring the warehouse up to date with the folder. Idempotent.

    Raises LockBusy if another refresh runs and :class:`~extract.run.exits.Refused` when a
    safety check stops the run (``exit_code`` says which); both change nothing. With
    ``shards``, raw is loaded from Parquet shards (:mod:`extract.load.shards`) instead of the
    folder; the build, checks and publish are the same. With ``fetch_sources`` (a SOURCES.csv),
    the reports are fetched first (:mod:`extract.fetch`), in the same locked run; the fetch's
    outcomes are in the run's record (``fetch``) and, after the build, in ``marts.fct_fetch_log``.
    """
    db_path = Path(db_path).resolve()
    reports_dir = Path(reports_dir)
    options = RefreshOptions(workers or os.cpu_count() or 1, full, run_dbt_build, progress, csv, shards,
                             allow_withdraw_all, max_withdraw, fetch_sources, fetch_options)
    summary = RefreshSummary(run_id=dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6])
    summary.started_at = now_utc()
    try:
        check_limits()
    except ValueError as error:
        raise Refused("bad_setting", str(error), EXIT_USAGE) from None
    options.workers = max(1, min(options.workers, 4 * (os.cpu_count() or 1)))
    check_writable(db_path)
    with RefreshLock(db_path, wait), SigtermGuard() as sigterm:
        claim(db_path)
        for run_id in mark_interrupted(db_path):
            log(f"gongkai refresh: run {run_id} had stopped before it finished; logged as interrupted")
        _log_run(db_path, summary, reports_dir)
        staging = staging_db_path(db_path, summary.run_id)
        try:
            check_readable(db_path)
            if fetch_sources is not None and shards is None:
                _fetch(reports_dir, db_path, options, log, summary)
            require_folder(shards, "shards") if shards is not None else require_folder(reports_dir)
            for stale in remove_stale_staging(db_path):
                log(f"gongkai refresh: removed {stale} left by an interrupted run")
            cache = HashCache.load(WarehousePaths(db_path).scan_cache, reports_dir)
            decision = decide(db_path, reports_dir, options, cache, summary, log)
            if not decision.unchanged:  # else nothing to copy, load, build or publish
                start_staging(db_path, staging)
                _build_and_publish(reports_dir, db_path, staging, options, log, summary, decision.scan, cache,
                                   sigterm)
        except (Refused, ReportsFolderMissing) as refusal:
            if isinstance(refusal, ReportsFolderMissing):
                refusal = Refused("reports_folder_missing", str(refusal), EXIT_USAGE)
            summary.status, summary.refused, summary.exit_code = "refused", refusal.reason, refusal.exit_code
            summary.message = refusal.message
            discard(staging)
            summary.finished_at = now_utc()
            _log_run(db_path, summary, reports_dir)
            raise refusal from None
        except BaseException as error:
            interrupted = isinstance(error, (Terminated, KeyboardInterrupt))
            summary.status = "interrupted" if interrupted else "failed"
            summary.message = summary.message or (
                f"stopped by {'SIGTERM' if isinstance(error, Terminated) else 'Ctrl-C'}; nothing was published"
                if interrupted else f"{type(error).__name__}: {error}")
            discard(staging)
            summary.finished_at = now_utc()
            _log_run(db_path, summary, reports_dir)
            raise
        summary.finished_at = summary.finished_at or now_utc()
        if summary.dbt_status == "skipped":
            summary.marts = published_counts(db_path)
            log(f"gongkai refresh: {summary.message}; the published warehouse is current")
            for name, attr in (("docs/index.html", "docs_path"), ("export", "export_dir")):
                if (db_path.parent / name).exists():
                    setattr(summary, attr, str(db_path.parent / name))
        elif not summary.published:
            log(f"gongkai refresh: nothing published; the warehouse at {db_path} is unchanged")
        _log_run(db_path, summary, reports_dir)
    return summary


def _build_and_publish(reports_dir: Path, db_path: Path, staging: Path, options: RefreshOptions, log: Log,
                       summary: RefreshSummary, scan: FolderScan | None, cache: HashCache,
                       sigterm: SigtermGuard) -> None:
    """Load and build in the staging copy; publish it when the build succeeded (or only the fetch log changed)."""
    state, fetch_records, scope = _build(reports_dir, db_path, staging, options, log, summary, scan, cache)
    log_only = summary.dbt_status == "skipped" and fetch_records > 0
    if summary.status == "success" and (summary.dbt_status != "skipped" or log_only):
        summary.finished_at = now_utc()
        summary.marts = record_build(staging, db_path, run_record(summary, reports_dir),
                                      summary.dbt_status == "success", state, incremental=scope is not None)
        if options.run_dbt_build and not log_only:
            previous = None if scope is None else Previous(db_path, WarehousePaths(db_path).export, scope)
            export_marts(staging, WarehousePaths(staging).export, csv=options.csv, log=log, previous=previous)
            summary.export_dir = str(WarehousePaths(db_path).export)
        with sigterm.deferred():
            publish(staging, db_path)
            summary.published = True
        if summary.docs_path:
            summary.docs_path = str(WarehousePaths(db_path).docs / "index.html")
    else:
        summary.docs_path = None
        discard(staging)


def _fetch(reports_dir: Path, db_path: Path, options: RefreshOptions, log: Log, summary: RefreshSummary) -> None:
    """Fetch the sources into the reports folder (this run holds the lock); the counts go to the run log."""
    fetched = fetch(options.fetch_sources, reports_dir, db_path, options.fetch_options or FetchOptions(), log,
                    summary.run_id)
    summary.fetch = {"fetch_run_id": fetched.fetch_run_id, "outcomes": fetched.outcomes, "failures": fetched.failures,
                     "files": len(fetched.files), "log_path": fetched.log_path,
                     "manifest_problem": fetched.manifest_problem}
    _log_run(db_path, summary, reports_dir)


def _build(reports_dir: Path, db_path: Path, staging: Path, options: RefreshOptions, log: Log,
           summary: RefreshSummary, scan: FolderScan | None, cache: HashCache) -> tuple[str, int, list[str] | None]:
    """Load raw into the staging copy and build the marts there (``scan``: the folder planned against the
    published raw, which the copy holds; None: scanned here); returns raw's state fingerprint, the fetch
    log records carried in and, after an incremental build, its scope (the reports whose rows of the marts
    may have changed; the export rewrites only their partitions).

    When no report changed but a fetch ran, the marts are not rebuilt: ``fct_fetch_log`` (like
    ``fct_refresh_runs``) is a view over raw, so publishing the copy shows the new records."""
    con = connect(staging)
    try:
        if options.shards is not None:
            ingest_shards(con, options.shards, summary, log)
        else:
            ingest_folder(con, reports_dir, options, summary, log, scan or scan_for_refresh(con, reports_dir, options,
                                                                                         cache))
        fetch_records = sync_fetch_log(con, db_path)
        built = dict(con.execute("select key, value from raw.build_state").fetchall())
        state = raw_state(con)
        project_changed = built.get("build_fingerprint") != build_fingerprint()
        skip = options.run_dbt_build and not project_changed and built.get("raw_state") == state
        plan = plan_build(con, options.full, project_changed) if options.run_dbt_build and not skip else None
        scope = None if plan is None or plan.full else [
            row[0] for row in con.execute("select report_id from raw.build_scope order by 1").fetchall()]
        con.execute("checkpoint")
        if skip:
            summary.dbt_status = "skipped"
            summary.status = "success"
            summary.message = NOTHING_CHANGED
            if fetch_records:
                summary.message = ("no report changed, so the marts were not rebuilt; the fetch log "
                                   f"({fetch_records} records) was published to marts.fct_fetch_log")
            return state, fetch_records, None
    finally:
        con.close()
    if plan is not None:
        summary.build = (f"full: {plan.reason}" if plan.full
                         else f"incremental: {plan.scope} of {plan.reports} reports")
        log(f"gongkai refresh: {summary.build}")
    if options.run_dbt_build:
        result = build_marts(staging, db_path, log, options.progress, full=plan.full)
        summary.dbt_status, summary.message, summary.docs_path = result.status, result.message, result.docs_path
        if result.status != "success":
            summary.status = "failed"
            return state, fetch_records, None
    summary.status = "success"
    return state, fetch_records, scope
