"""The scheduled job: extract new or changed files, load raw, ``dbt build``, summarise."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from extract import PARSER_VERSION
from extract.dbt import run_dbt
from extract.docs import DocsError, build_docs
from extract.model import ExtractedReport
from extract.parse import extract_report
from extract.readers import ReaderError, source_format
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


@dataclass
class FileJob:
    path: Path
    rel: str
    sha256: str
    size: int


@dataclass
class RefreshSummary:
    run_id: str
    status: str = "running"
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    cells_loaded: int = 0
    dbt_status: str = "not_run"
    docs_path: str | None = None
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    marts: dict[str, int] = field(default_factory=dict)
    message: str = ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scan_folder(reports_dir: Path) -> list[FileJob]:
    """Every non-hidden file under the folder, with its hash, in path order."""
    jobs = []
    for path in sorted(reports_dir.rglob("*")):
        rel = path.relative_to(reports_dir).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in rel.split("/")):
            continue
        jobs.append(FileJob(path, rel, _sha256(path), path.stat().st_size))
    return jobs


def extract_file(path: Path, name: str) -> ExtractedReport | tuple[str, str]:
    """Worker: the report, or (error_class, message). Never raises."""
    try:
        return extract_report(path.read_bytes(), name)
    except ReaderError as error:
        return error.code, error.message
    except Exception as error:  # noqa: BLE001 - a parser bug on one file is that file's error
        return "parser_error", f"{type(error).__name__}: {error}"


def _extract_all(jobs: list[FileJob], workers: int) -> list[ExtractedReport | tuple[str, str]]:
    if workers <= 1 or len(jobs) <= 1:
        return [extract_file(job.path, job.rel) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(extract_file, job.path, job.rel) for job in jobs]
        results: list[ExtractedReport | tuple[str, str]] = []
        for future in futures:
            try:
                results.append(future.result())
            except Exception as error:  # noqa: BLE001 - a crashed worker fails its file only
                results.append(("worker_crash", f"{type(error).__name__}: {error}"))
        return results


def refresh(reports_dir: Path, db_path: Path, workers: int | None = None, full: bool = False,
            run_dbt_build: bool = True, log=print) -> RefreshSummary:
    """Bring the warehouse up to date with the folder. Idempotent."""
    summary = RefreshSummary(run_id=dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") +
                             "-" + uuid.uuid4().hex[:6])
    workers = workers or os.cpu_count() or 1
    con = connect(db_path)
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("insert into raw.refresh_runs (run_id, started_at, status, reports_dir, parser_version) "
                "values (?, ?, 'running', ?, ?)", [summary.run_id, started, str(reports_dir), PARSER_VERSION])
    try:
        jobs = scan_folder(reports_dir)
        known = known_files(con)
        summary.files_seen = len(jobs)
        todo: list[FileJob] = []
        for job in jobs:
            previous = known.get(job.rel)
            if previous is None:
                summary.new += 1
                todo.append(job)
            elif previous[0] != job.sha256:
                summary.changed += 1
                todo.append(job)
            elif full or (previous[1] == "loaded" and previous[2] != PARSER_VERSION):
                todo.append(job)
            else:
                summary.unchanged += 1
                touch_file(con, job.rel, summary.run_id)
        present = {job.rel for job in jobs}
        for path, (_, status, _) in known.items():
            if path not in present and status != "removed":
                summary.removed += 1
                mark_removed(con, path, summary.run_id)
        log(f"gongkai refresh: {len(jobs)} files, {len(todo)} to parse, {summary.removed} removed")
        for job, result in zip(todo, _extract_all(todo, workers), strict=True):
            old = known.get(job.rel)
            fmt = source_format(job.rel)
            if isinstance(result, tuple):
                summary.failed += 1
                summary.errors.append((job.rel, *result))
                record_error(con, job.rel, job.sha256, fmt, job.size, result[0], result[1], summary.run_id)
                log(f"  failed  {job.rel}: {result[0]}: {result[1]}")
                continue
            summary.cells_loaded += load_report(con, job.rel, job.sha256, job.size, result, summary.run_id)
            if old and old[0] != job.sha256:
                old_id = report_id_for(old[0])
                still_used = con.execute("select count(*) from raw.source_files where report_id = ?",
                                         [old_id]).fetchone()[0]
                if not still_used:
                    delete_report(con, old_id)
            log(f"  loaded  {job.rel}: {len(result.cells)} cells, {len(result.issues)} parse issues")
    finally:
        con.close()
    if run_dbt_build:
        result = run_dbt(["build"], db_path, db_path.parent / "logs" / "dbt_build.log")
        summary.dbt_status = "success" if result.returncode == 0 else "error"
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
            summary.message = f"dbt build failed:\n{tail}"
    if summary.dbt_status == "success":
        try:
            summary.docs_path = str(build_docs(db_path))
        except DocsError as error:
            summary.message = str(error)
    summary.status = "success" if summary.dbt_status in ("success", "not_run") else "failed"
    _finish(db_path, summary)
    return summary


def _finish(db_path: Path, summary: RefreshSummary) -> None:
    con = connect(db_path)
    try:
        con.execute(
            """update raw.refresh_runs set finished_at = ?, status = ?, files_seen = ?, files_new = ?,
               files_changed = ?, files_unchanged = ?, files_removed = ?, files_failed = ?,
               cells_loaded = ?, dbt_status = ?, message = ? where run_id = ?""",
            [dt.datetime.now(dt.UTC).replace(tzinfo=None), summary.status, summary.files_seen,
             summary.new, summary.changed, summary.unchanged, summary.removed, summary.failed,
             summary.cells_loaded, summary.dbt_status, summary.message[:4000], summary.run_id],
        )
        if summary.dbt_status == "success":
            for name, sql in {
                "reports": "select count(*) from marts.dim_reports",
                "cells": "select count(*) from marts.fct_report_cells",
                "quality_flags": "select count(*) from marts.fct_data_quality where passed = false",
                "parse_issues": "select count(*) from raw.parse_issues where severity <> 'info'",
            }.items():
                summary.marts[name] = con.execute(sql).fetchone()[0]
    finally:
        con.close()
