"""Fill the staging warehouse's raw layer: from the reports folder (scan, plan, parse in workers,
load each report) or from Parquet shards. Every file's outcome is a loaded report or a recorded error."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract.load.corrections import (
    CORRECTIONS_NAME,
    CheckedCorrection,
    check_corrections,
    load_corrections,
    read_corrections,
    record_corrections_error,
    stored_corrections,
)
from extract.load.shard_load import load_shards
from extract.load.warehouse import (
    KnownFile,
    delete_report,
    known_files,
    load_report,
    mark_removed,
    record_error,
    record_manifest_state,
    touch_file,
)
from extract.parse.model import ExtractedReport, FileError
from extract.readers import source_format
from extract.run.hashcache import HashCache
from extract.run.manifest import MANIFEST_NAME, Manifest, overrides_hash, read_manifest
from extract.run.plan import Plan, check_withdrawals, plan_files
from extract.run.pool import FileJob, extract_parallel
from extract.run.progress import Progress
from extract.run.scan import scan_folder
from extract.run.summary import RefreshOptions, RefreshSummary

Log = Callable[[str], None]


def _load(con, job: FileJob, report: ExtractedReport, known: dict[str, KnownFile],
          summary: RefreshSummary) -> ExtractedReport | FileError:
    """Load one report (its rows replace the file's earlier ones); a value the warehouse refuses is
    that file's error (``load_failed``), never the run's."""
    try:
        summary.cells_loaded += load_report(con, job.rel, job.sha256, job.size, report, summary.run_id,
                                            overrides_hash(job.overrides))
    except duckdb.Error as error:
        return FileError("load_failed",
                         f"the warehouse refused a value of this report: {type(error).__name__}: {error}")
    old = known.get(job.rel)
    if old and old.report_id and old.sha256 != job.sha256:
        still_used = con.execute("select count(*) from raw.source_files where report_id = ?",
                                 [old.report_id]).fetchone()[0]
        if not still_used:
            delete_report(con, old.report_id)
    return report


def _extract_and_load(con, jobs: list[FileJob], known: dict, options: RefreshOptions, summary: RefreshSummary,
                      log: Log) -> None:
    with (Progress(options.progress, log).step("extracting", len(jobs), "files") as step,
          contextlib.closing(extract_parallel(jobs, options.workers)) as results):
        for job, result in results:
            if not isinstance(result, FileError):
                result = _load(con, job, result, known, summary)
            if isinstance(result, FileError):
                summary.failed += 1
                summary.errors.append((job.rel, *result))
                record_error(con, job.rel, job.sha256, source_format(job.rel), job.size, result[0], result[1],
                             summary.run_id)
                step.note(f"  failed  {job.rel}: {result[0]}: {result[1]}")
                step.advance(job.rel)
            else:
                step.advance(job.rel, f"  loaded  {job.rel}: {len(result.cells)} cells, "
                                      f"{len(result.issues)} parse issues")


@dataclass
class FolderScan:
    """The reports folder against raw: its manifest, what raw knows of each file, the files, the plan."""

    manifest: Manifest
    known: dict[str, KnownFile]
    jobs: list[FileJob]
    plan: Plan


def scan_for_refresh(con, reports_dir: Path, options: RefreshOptions, cache: HashCache | None = None) -> FolderScan:
    """Scan the folder and plan its files against raw (``con`` may be read-only); the cache is saved."""
    known = known_files(con)
    manifest = read_manifest(reports_dir)
    jobs = scan_folder(reports_dir, manifest, {path: file.sha256 for path, file in known.items()}, cache)
    if cache is not None:
        cache.save()
    return FolderScan(manifest, known, jobs, plan_files(jobs, known, options.full, manifest.usable))


def note_scan(scan: FolderScan, options: RefreshOptions, summary: RefreshSummary, log: Log) -> None:
    """The withdrawal guard (it refuses the run), then the scan's counts and the manifest's error in the summary."""
    plan = scan.plan
    summary.files_seen = len(scan.jobs)
    check_withdrawals(plan, options.allow_withdraw_all, options.max_withdraw)
    if scan.manifest.error:
        summary.errors.append((MANIFEST_NAME, "bad_manifest", scan.manifest.error))
        log(f"  failed  {MANIFEST_NAME}: bad_manifest: {scan.manifest.error}")
    summary.new, summary.changed, summary.unchanged, summary.reparsed = (plan.new, plan.changed, plan.unchanged,
                                                                        plan.reparsed)
    summary.removed = len(plan.removed)
    log(f"gongkai refresh: {len(scan.jobs)} files, {len(plan.todo)} to parse, {summary.removed} removed")


def ingest_folder(con, reports_dir: Path, options: RefreshOptions, summary: RefreshSummary, log: Log,
                  scan: FolderScan | None = None) -> None:
    """Parse the folder's new and changed files into raw (after the withdrawal guard); ``scan`` is the
    folder planned against this raw (scanned now when None)."""
    scan = scan or scan_for_refresh(con, reports_dir, options)
    plan = scan.plan
    note_scan(scan, options, summary, log)
    record_manifest_state(con, MANIFEST_NAME, scan.manifest.error, summary.run_id)
    parsing = {job.rel for job in plan.todo}
    for job in scan.jobs:
        if job.rel not in parsing:
            touch_file(con, job.rel, summary.run_id)
    for path in plan.removed:
        mark_removed(con, path, summary.run_id)
    _extract_and_load(con, plan.todo, scan.known, options, summary, log)
    apply_corrections(con, reports_dir, summary, log)


def ingest_shards(con, shards: Path, summary: RefreshSummary, log: Log) -> None:
    """Load Parquet shards written by ``gongkai shard`` (or a distributed run) into raw."""
    counts = load_shards(con, shards)
    apply_corrections(con, None, summary, log)
    summary.files_seen, summary.new, summary.changed = counts.files, counts.new, counts.changed
    summary.unchanged, summary.failed, summary.cells_loaded = counts.unchanged, counts.failed, counts.cells
    summary.errors = [tuple(row) for row in con.execute(
        "select source_path, error_class, message from raw.load_errors where source_path in "
        "(select source_path from shard_files) order by source_path").fetchall()]
    log(f"gongkai refresh: {counts.files} files in the shards under {shards}: {counts.new} new, "
        f"{counts.changed} changed, {counts.unchanged} unchanged, {counts.stale} from another parser version "
        f"(skipped: shard them again); {counts.loaded} loaded, {counts.failed} failed")
    if counts.incomplete:
        log(f"gongkai refresh: {counts.incomplete} incomplete shards not read (their writer stopped part way): "
            "run gongkai shard again to write them")


@dataclass
class JudgedCorrections:
    """What a refresh writes of the corrections: every row judged, the file's sha256, its error."""

    checked: list[CheckedCorrection]
    sha256: str | None
    error: str | None  # bad_corrections: the file cannot be used (the rows loaded before are judged again)
    clear_error: bool  # the bad_corrections error recorded before goes


def judge_corrections(con, reports_dir: Path | None) -> JudgedCorrections:
    """The folder's ``corrections.csv`` judged against raw as it is (``con`` may be read-only).

    Without the file no correction applies. When the file is unusable, or ``reports_dir`` is None (a
    load from shards), the rows loaded before are judged again."""
    found = read_corrections(reports_dir) if reports_dir is not None else None
    error = found.error if found is not None else None
    if found is not None and found.error is None:
        rows, sha256 = found.rows, found.sha256
    elif found is None and reports_dir is not None:
        rows, sha256 = [], None
    else:
        rows, sha256 = stored_corrections(con)
    fixed = reports_dir is not None and (found is None or found.error is None)
    return JudgedCorrections(check_corrections(con, rows), sha256, error, fixed)


def note_corrections(judged: JudgedCorrections, summary: RefreshSummary, log: Log) -> None:
    """The corrections' outcome in the summary and the log."""
    if judged.error is not None:
        summary.errors.append((CORRECTIONS_NAME, "bad_corrections", judged.error))
        log(f"  failed  {CORRECTIONS_NAME}: bad_corrections: {judged.error}")
    checked = judged.checked
    summary.corrections_applied = sum(c.problem is None for c in checked)
    summary.correction_problems = [(c.row.line_no, c.problem) for c in checked if c.problem is not None]
    if checked:
        log(f"gongkai refresh: {CORRECTIONS_NAME}: {summary.corrections_applied} applied, "
            f"{len(summary.correction_problems)} rejected")


def apply_corrections(con, reports_dir: Path | None, summary: RefreshSummary, log: Log) -> None:
    """Load the folder's ``corrections.csv`` into raw, each row judged against the raw just loaded
    (:func:`judge_corrections`); an unusable file is recorded (``bad_corrections``)."""
    judged = judge_corrections(con, reports_dir)
    if judged.error is not None:
        record_corrections_error(con, judged.error, summary.run_id)
    load_corrections(con, judged.checked, judged.sha256, summary.run_id, clear_error=judged.clear_error)
    note_corrections(judged, summary, log)
