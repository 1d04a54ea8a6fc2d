"""One fetch run: SOURCES.csv → files in the reports folder, manifest rows, validators, the fetch log.

:func:`fetch` does the work and expects the caller to hold the refresh lock (``gongkai refresh
--fetch`` holds it for the fetch and the refresh; :func:`fetch_locked` takes it for ``gongkai
fetch``), so no refresh reads the folder while files arrive. Whatever ends the run (SIGTERM
included), the files saved so far get their manifest rows and validators.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extract.fetch.client import Client
from extract.fetch.crawl import Crawl, CrawlOptions, Task
from extract.fetch.log import FetchLog, FetchRecord
from extract.fetch.manifest import write_manifest
from extract.fetch.robots import host_key
from extract.fetch.schedule import Scheduler
from extract.fetch.sources import SourcesError, read_sources
from extract.fetch.state import read_state, write_state
from extract.run.exits import EXIT_USAGE, Refused
from extract.run.scan import ReportsFolderMissing, require_folder

Log = Callable[[str], None]


@dataclass
class FetchOptions:
    """The command line's fetch flags."""

    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    max_bytes: int = 40 * 1024 * 1024
    max_pages: int = 10
    contact: str | None = None
    workers: int = 4


@dataclass
class FetchSummary:
    fetch_run_id: str
    started_at: str = ""
    finished_at: str = ""
    sources: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    files: list[str] = field(default_factory=list)
    manifest_problem: str | None = None
    log_path: str = ""


def new_run_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def _utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def fetch(sources_path: Path, reports_dir: Path, db_path: Path, options: FetchOptions, log: Log = print,
          refresh_run_id: str | None = None) -> FetchSummary:
    """Fetch every source into ``reports_dir`` (hold the refresh lock). Raises
    :class:`~extract.run.exits.Refused` (exit 2) for an unusable sources file or a missing folder."""
    try:
        sources = read_sources(sources_path)
        require_folder(reports_dir)
    except (SourcesError, ReportsFolderMissing) as error:
        raise Refused("bad_sources" if isinstance(error, SourcesError) else "reports_folder_missing", str(error),
                      EXIT_USAGE) from None
    summary = FetchSummary(new_run_id(), started_at=_utc(), sources=len(sources.rows) + len(sources.bad))
    fetch_log = FetchLog(db_path, summary.fetch_run_id, refresh_run_id)
    summary.log_path = str(fetch_log.path)
    state = read_state(reports_dir)
    client = Client(timeout=options.timeout, max_bytes=options.max_bytes, contact=options.contact)
    crawl = Crawl(reports_dir, client, CrawlOptions(options.delay, options.retries, options.max_pages), state,
                  fetch_log, log)
    log(f"gongkai fetch: {len(sources.rows)} sources from {sources_path} into {reports_dir} "
        f"(delay {options.delay:g} s per host, timeout {options.timeout:g} s)")
    for bad in sources.bad:
        fetch_log.add(FetchRecord(bad.url, "bad_source", "file", bad.url, bad.line, message=bad.problem))
        log(f"  {'bad_source':<17} {bad.url}: {bad.problem}")
    scheduler = Scheduler(crawl.handle, lambda task: host_key(task.url), options.delay, options.workers)
    for task in crawl.claim([Task(source.url, source.kind, source) for source in sources.rows]):
        scheduler.add(task)
    try:
        scheduler.run()
    finally:
        crawl.stopping.set()
        write_state(reports_dir, state)
        summary.manifest_problem = write_manifest(reports_dir, crawl.rows)
        if summary.manifest_problem:
            log(f"gongkai fetch: {summary.manifest_problem}")
        _summarise(summary, fetch_log.records)
    log(f"gongkai fetch: {', '.join(f'{n} {k}' for k, n in sorted(summary.outcomes.items()))}; "
        f"fetch log {summary.log_path}")
    return summary


def _summarise(summary: FetchSummary, records: list[FetchRecord]) -> None:
    summary.finished_at = _utc()
    summary.outcomes = dict(Counter(record.outcome for record in records))
    summary.failures = sum(record.is_failure for record in records)
    kept = ("fetched", "unchanged", "not_modified")
    summary.files = sorted({r.file for r in records if r.file and r.outcome in kept})


def fetch_locked(sources_path: Path, reports_dir: Path, db_path: Path, options: FetchOptions, log: Log = print,
                 wait: float = 0.0) -> FetchSummary:
    """``gongkai fetch``: the same checks and lock as a refresh (raises LockBusy, Refused)."""
    from extract.run.lock import RefreshLock
    from extract.run.procs import SigtermGuard
    from extract.run.site import check_claim, check_writable

    db_path = Path(db_path).resolve()
    check_writable(db_path)
    with RefreshLock(db_path, wait), SigtermGuard():
        check_claim(db_path)
        return fetch(sources_path, reports_dir, db_path, options, log)
