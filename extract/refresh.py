"""The scheduled job: extract new or changed files, load raw, ``dbt build``, publish atomically.

One refresh at a time (:mod:`extract.lock`). The run builds a private copy of the warehouse
(:mod:`extract.publish`) and replaces the published file only when ``dbt build`` (tests at
error severity included) succeeds; the catalogue and the Parquet exports are written from
the same copy. Every run, failed ones included, is appended to
``<warehouse folder>/logs/refresh_runs.jsonl`` and carried into ``raw.refresh_runs``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from extract import PARSER_VERSION
from extract.dbt import run_dbt
from extract.docs import DocsError, build_docs
from extract.export import export_marts
from extract.lock import RefreshLock
from extract.manifest import MANIFEST_NAME, overrides_hash, read_manifest
from extract.paths import PROJECT_ROOT
from extract.pool import FileJob, extract_parallel
from extract.publish import discard, publish, remove_stale_staging, staging_db_path, start_staging
from extract.readers import source_format
from extract.shards import load_shards
from extract.warehouse import (
    connect,
    delete_report,
    known_files,
    load_report,
    mark_removed,
    record_error,
    report_id_for,
    touch_file,
)

Log = Callable[[str], None]


@dataclass
class RefreshSummary:
    run_id: str
    status: str = "running"
    started_at: str = ""
    finished_at: str = ""
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    reparsed: int = 0
    cells_loaded: int = 0
    dbt_status: str = "not_run"
    published: bool = False
    docs_path: str | None = None
    export_dir: str | None = None
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    marts: dict[str, int] = field(default_factory=dict)
    message: str = ""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_folder(reports_dir: Path, manifest: dict[str, dict[str, str]] | None = None) -> list[FileJob]:
    """Every non-hidden file under the folder (manifest.csv aside), with its hash, in path order."""
    jobs = []
    for path in sorted(reports_dir.rglob("*")):
        rel = path.relative_to(reports_dir).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in rel.split("/")) or rel == MANIFEST_NAME:
            continue
        jobs.append(FileJob(path, rel, _sha256(path), path.stat().st_size, (manifest or {}).get(rel)))
    return jobs


def run_log_path(db_path: Path) -> Path:
    return db_path.resolve().parent / "logs" / "refresh_runs.jsonl"


def read_run_log(db_path: Path) -> list[dict]:
    """Every run recorded next to the warehouse, oldest first (failed runs included)."""
    path = run_log_path(db_path)
    if not path.exists():
        return []
    runs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            runs.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return runs


def _append_run_log(db_path: Path, summary: RefreshSummary, reports_dir: Path) -> None:
    path = run_log_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {k: v for k, v in asdict(summary).items() if k not in ("errors", "marts")}
    record.update(reports_dir=str(reports_dir), parser_version=PARSER_VERSION, failed_files=len(summary.errors))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _sync_run_log(con, db_path: Path) -> None:
    """Carry runs that never reached a published warehouse (failed, killed) into raw.refresh_runs."""
    for run in read_run_log(db_path):
        con.execute("delete from raw.refresh_runs where run_id = ?", [run["run_id"]])
        con.execute(
            "insert into raw.refresh_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run["run_id"], run.get("started_at") or None, run.get("finished_at") or None, run.get("status"),
             run.get("reports_dir"), run.get("files_seen"), run.get("new"), run.get("changed"),
             run.get("unchanged"), run.get("removed"), run.get("failed"), run.get("cells_loaded"),
             run.get("dbt_status"), run.get("parser_version"), (run.get("message") or "")[:4000]],
        )


def _plan(jobs: list[FileJob], known: dict, full: bool, summary: RefreshSummary) -> list[FileJob]:
    """Which files to parse: new, changed, ``--full``, or read by an older parser version."""
    todo: list[FileJob] = []
    for job in jobs:
        previous = known.get(job.rel)
        if previous is None:
            summary.new += 1
            todo.append(job)
        elif previous[0] != job.sha256 or previous[3] != overrides_hash(job.overrides):
            summary.changed += 1
            todo.append(job)
        elif full or previous[2] != PARSER_VERSION:
            summary.reparsed += 1
            todo.append(job)
        else:
            summary.unchanged += 1
    return todo


def _progress(done: int, total: int, name: str) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} {name[:40]:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _extract_and_load(con, jobs: list[FileJob], known: dict, workers: int, summary: RefreshSummary,
                      log: Log, progress: bool) -> None:
    for done, (job, result) in enumerate(extract_parallel(jobs, workers), 1):
        old = known.get(job.rel)
        fmt = source_format(job.rel)
        if isinstance(result, tuple):
            summary.failed += 1
            summary.errors.append((job.rel, *result))
            record_error(con, job.rel, job.sha256, fmt, job.size, result[0], result[1], summary.run_id)
            line = f"  failed  {job.rel}: {result[0]}: {result[1]}"
        else:
            summary.cells_loaded += load_report(con, job.rel, job.sha256, job.size, result, summary.run_id,
                                                overrides_hash(job.overrides))
            if old and old[0] != job.sha256:
                old_id = report_id_for(old[0])
                still_used = con.execute("select count(*) from raw.source_files where report_id = ?",
                                         [old_id]).fetchone()[0]
                if not still_used:
                    delete_report(con, old_id)
            line = f"  loaded  {job.rel}: {len(result.cells)} cells, {len(result.issues)} parse issues"
        if progress:
            _progress(done, len(jobs), job.rel)
        else:
            log(line)


def build_fingerprint() -> str:
    """What the marts are built from besides raw: the dbt project's files and the parser version."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for folder in ("models", "seeds", "macros", "tests/dbt"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + path.read_bytes())
    for name in ("dbt_project.yml", "profiles.yml"):
        digest.update((PROJECT_ROOT / name).read_bytes())
    return digest.hexdigest()


def _finish_raw(staging: Path, db_path: Path, summary: RefreshSummary, reports_dir: Path) -> None:
    """Write this run's row (and earlier unpublished runs) into the staging warehouse."""
    con = connect(staging)
    try:
        _sync_run_log(con, db_path)
        if summary.dbt_status == "success":
            con.execute("insert or replace into raw.build_state values ('build_fingerprint', ?)",
                        [build_fingerprint()])
        con.execute("delete from raw.refresh_runs where run_id = ?", [summary.run_id])
        con.execute(
            "insert into raw.refresh_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [summary.run_id, summary.started_at, summary.finished_at, summary.status, str(reports_dir),
             summary.files_seen, summary.new, summary.changed, summary.unchanged, summary.removed,
             summary.failed, summary.cells_loaded, summary.dbt_status, PARSER_VERSION, summary.message[:4000]],
        )
        if summary.dbt_status == "success":
            for name, sql in {
                "reports": "select count(*) from marts.dim_reports",
                "cells": "select count(*) from marts.fct_report_cells",
                "quality_flags": "select count(*) from marts.fct_data_quality where passed = false",
                "parse_issues": "select count(*) from raw.parse_issues where severity <> 'info'",
            }.items():
                summary.marts[name] = con.execute(sql).fetchone()[0]
        con.execute("checkpoint")
    finally:
        con.close()


def refresh(reports_dir: Path, db_path: Path, workers: int | None = None, full: bool = False,
            run_dbt_build: bool = True, log: Log = print, progress: bool = False, wait: float = 0.0,
            csv: bool = False, shards: Path | None = None) -> RefreshSummary:
    """Bring the warehouse up to date with the folder. Idempotent; raises LockBusy if another runs.

    With ``shards``, raw is loaded from Parquet shards (:mod:`extract.shards`) instead of
    the folder; the build, checks and publish are the same.
    """
    db_path = Path(db_path).resolve()
    summary = RefreshSummary(run_id=dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6])
    summary.started_at = _now().isoformat(sep=" ")
    workers = workers or os.cpu_count() or 1
    with RefreshLock(db_path, wait):
        for stale in remove_stale_staging(db_path):
            log(f"gongkai refresh: removed {stale} left by an interrupted run")
        staging = staging_db_path(db_path, summary.run_id)
        try:
            start_staging(db_path, staging)
            _build(reports_dir, db_path, staging, workers, full, run_dbt_build, log, progress, csv, summary,
                   shards)
        except BaseException as error:
            summary.status = "failed"
            summary.message = summary.message or f"{type(error).__name__}: {error}"
            discard(staging)
            summary.finished_at = _now().isoformat(sep=" ")
            _append_run_log(db_path, summary, reports_dir)
            raise
        summary.finished_at = _now().isoformat(sep=" ")
        if summary.dbt_status == "skipped":
            discard(staging)
            log(f"gongkai refresh: {summary.message}; the published warehouse is current")
            if (db_path.parent / "docs" / "index.html").exists():
                summary.docs_path = str(db_path.parent / "docs" / "index.html")
            if (db_path.parent / "export").exists():
                summary.export_dir = str(db_path.parent / "export")
        elif summary.status == "success":
            _finish_raw(staging, db_path, summary, reports_dir)
            if run_dbt_build:
                export_marts(staging, staging.parent / "export", csv=csv)
                summary.export_dir = str(staging.parent / "export")
            publish(staging, db_path)
            summary.published = True
            if summary.docs_path:
                summary.docs_path = str(db_path.parent / "docs" / "index.html")
            if summary.export_dir:
                summary.export_dir = str(db_path.parent / "export")
        else:
            discard(staging)
            log(f"gongkai refresh: nothing published; the warehouse at {db_path} is unchanged")
        _append_run_log(db_path, summary, reports_dir)
    return summary


def _scan_and_extract(con, reports_dir: Path, workers: int, full: bool, summary: RefreshSummary, log: Log,
                      progress: bool) -> bool:
    """Parse the folder's new and changed files into raw; True when raw changed."""
    jobs = scan_folder(reports_dir, read_manifest(reports_dir))
    known = known_files(con)
    summary.files_seen = len(jobs)
    todo = _plan(jobs, known, full, summary)
    parsing = {job.rel for job in todo}
    for job in jobs:
        if job.rel not in parsing:
            touch_file(con, job.rel, summary.run_id)
    present = {job.rel for job in jobs}
    for path, (_, status, _, _) in known.items():
        if path not in present and status != "removed":
            summary.removed += 1
            mark_removed(con, path, summary.run_id)
    log(f"gongkai refresh: {len(jobs)} files, {len(todo)} to parse, {summary.removed} removed")
    _extract_and_load(con, todo, known, workers, summary, log, progress)
    return bool(todo or summary.removed)


def _load_shards(con, shards: Path, summary: RefreshSummary, log: Log) -> bool:
    """Load Parquet shards written by ``gongkai shard`` (or a distributed run) into raw."""
    counts = load_shards(con, shards)
    summary.files_seen, summary.new, summary.changed = counts.files, counts.new, counts.changed
    summary.unchanged, summary.failed, summary.cells_loaded = counts.unchanged, counts.failed, counts.cells
    summary.errors = [tuple(row) for row in con.execute(
        "select source_path, error_class, message from raw.load_errors where source_path in "
        "(select source_path from shard_files) order by source_path").fetchall()]
    log(f"gongkai refresh: {counts.files} files in the shards under {shards}: {counts.new} new, "
        f"{counts.changed} changed, {counts.unchanged} unchanged, {counts.stale} from another parser version "
        f"(skipped: shard them again); {counts.loaded} loaded, {counts.failed} failed")
    return bool(counts.new or counts.changed)


def _build(reports_dir: Path, db_path: Path, staging: Path, workers: int, full: bool, run_dbt_build: bool,
           log: Log, progress: bool, csv: bool, summary: RefreshSummary, shards: Path | None = None) -> None:
    con = connect(staging)
    try:
        if shards is not None:
            changed = _load_shards(con, shards, summary, log)
        else:
            changed = _scan_and_extract(con, reports_dir, workers, full, summary, log, progress)
        built = con.execute("select value from raw.build_state where key = 'build_fingerprint'").fetchone()
        con.execute("checkpoint")
    finally:
        con.close()
    if run_dbt_build and not changed and built and built[0] == build_fingerprint():
        summary.dbt_status = "skipped"
        summary.status = "success"
        summary.message = "nothing changed: no file to parse, and the marts were built from the same project"
        return
    if run_dbt_build:
        log("gongkai refresh: building the marts (dbt build)")
        result = run_dbt(["build"], staging, db_path.parent / "logs" / "dbt_build.log")
        summary.dbt_status = "success" if result.returncode == 0 else "error"
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
            summary.message = f"dbt build failed; the published warehouse was left as it was:\n{tail}"
    if summary.dbt_status == "error":
        summary.status = "failed"
        return
    if run_dbt_build:
        try:
            summary.docs_path = str(build_docs(staging, compiled=True))
        except DocsError as error:
            summary.message = str(error)
    summary.status = "success"
