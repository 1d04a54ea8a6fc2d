"""Whether a folder refresh would change anything, decided on the published warehouse opened read-only.

A refresh builds in a copy of the published file (:mod:`extract.run.publish`); at national scale
the copy is most of a refresh that finds nothing to do (8 GB at a million reports). Before the
copy, :func:`decide` scans the folder and plans it against the published raw, as the load would,
and finds the run changes nothing when every write the load makes would leave raw's state
(:func:`extract.load.warehouse.raw_state`) as it is and the marts were built from that state:

- the marts were built from this raw and this project (``raw.build_state``: the raw state and
  :func:`extract.run.build.build_fingerprint`, which holds the parser version);
- no file to parse (none new, changed, re-parsed or with changed overrides), none removed, and
  each file with a problem (a broken link…) has that very error recorded already;
- the manifest's error (``bad_manifest``) is the one raw holds;
- ``corrections.csv`` judged now gives the rows and the error raw holds;
- no fetch log records wait to be carried into raw.

On any doubt (a published file without raw, an unknown state) it says a change, and the refresh
copies and loads as before, which decides again on the copy. The run is then logged as any
skipped run: ``dbt_status`` ``skipped``, nothing published.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract import PARSER_VERSION
from extract.fetch.log import pending_fetch_records
from extract.load.corrections import CORRECTIONS_NAME
from extract.load.duck import open_duckdb
from extract.load.warehouse import KnownFile, raw_state
from extract.run.build import build_fingerprint
from extract.run.hashcache import HashCache
from extract.run.ingest import (
    FolderScan,
    JudgedCorrections,
    judge_corrections,
    note_corrections,
    note_scan,
    scan_for_refresh,
)
from extract.run.manifest import MANIFEST_NAME
from extract.run.plan import check_withdrawals
from extract.run.pool import FileJob
from extract.run.summary import RefreshOptions, RefreshSummary

Log = Callable[[str], None]
NOTHING_CHANGED = "nothing changed: the files, their state and the project are those the marts were built from"


@dataclass
class Decision:
    """The folder planned against the published raw (None: not scanned), and whether the run changes nothing."""

    scan: FolderScan | None
    unchanged: bool = False
    why: str = ""  # what would change (for the bench and the tests)


def _errors_of(con: duckdb.DuckDBPyConnection, path: str) -> list[tuple]:
    return con.execute("select sha256, error_class, message from raw.load_errors where source_path = ? "
                       "order by all", [path]).fetchall()


def _corrections_unchanged(con: duckdb.DuckDBPyConnection, judged: JudgedCorrections) -> bool:
    """Whether loading ``judged`` leaves raw.corrections and its error as they are (the fields raw_state reads)."""
    if _errors_of(con, CORRECTIONS_NAME) != ([] if judged.error is None else [(None, "bad_corrections", judged.error)]):
        return False
    stored = con.execute("select line_no, source_path, table_no_text, row_key, col_key, value_text, note, "
                         "file_sha256, report_id, problem from raw.corrections").fetchall()
    rows = [(c.row.line_no, c.row.file, c.row.table_no, c.row.row_key, c.row.col_key, c.row.value, c.row.note,
             judged.sha256, c.report_id, c.problem) for c in judged.checked]
    return Counter(stored) == Counter(rows)


def _problem_recorded(con: duckdb.DuckDBPyConnection, job: FileJob, known: KnownFile | None) -> bool:
    """Whether recording ``job``'s problem again (:func:`extract.load.warehouse.record_error`) changes nothing."""
    return (job.problem is not None and known is not None and known.status == "failed"
            and known.sha256 == job.sha256 and known.parser_version == PARSER_VERSION
            and _errors_of(con, job.rel) == [(job.sha256 or None, *job.problem)])


def what_changes(con: duckdb.DuckDBPyConnection, db_path: Path, scan: FolderScan,
                  judged: JudgedCorrections) -> str:
    """What this run would change (empty: nothing)."""
    built = dict(con.execute("select key, value from raw.build_state").fetchall())
    if built.get("build_fingerprint") != build_fingerprint():
        return "the project or the parser version"
    if built.get("raw_state") != raw_state(con):
        return "raw is not what the marts were built from"
    parse = [job for job in scan.plan.todo if not _problem_recorded(con, job, scan.known.get(job.rel))]
    if parse or scan.plan.removed:
        return f"{len(parse)} files to parse or record, {len(scan.plan.removed)} removed"
    expected = [] if scan.manifest.error is None else [(None, "bad_manifest", scan.manifest.error)]
    if _errors_of(con, MANIFEST_NAME) != expected:
        return "the manifest's error"
    if not _corrections_unchanged(con, judged):
        return "the corrections"
    if pending := pending_fetch_records(con, db_path):
        return f"{pending} fetch log records to carry into raw"
    return ""


def decide(db_path: Path, reports_dir: Path, options: RefreshOptions, cache: HashCache, summary: RefreshSummary,
           log: Log) -> Decision:
    """Scan and plan the folder against the published warehouse, read-only; when nothing would change, the
    summary is filled as a skipped run's (counts, errors, corrections, message) and logged the same.

    The withdrawal guard runs here (it refuses the run before anything is copied). A run that fetches,
    loads shards or skips dbt is not decided here (it always copies)."""
    if options.shards is not None or options.fetch_sources is not None or not options.run_dbt_build:
        return Decision(None)
    if not db_path.is_file():
        return Decision(None)
    try:
        con = open_duckdb(db_path, read_only=True)
    except duckdb.Error:
        return Decision(None)
    try:
        try:
            scan = scan_for_refresh(con, reports_dir, options, cache)
            check_withdrawals(scan.plan, options.allow_withdraw_all, options.max_withdraw)  # refused before a copy
            judged = judge_corrections(con, reports_dir)
            why = what_changes(con, db_path, scan, judged)
        except duckdb.Error:  # raw without a table or column the load adds (a new or older warehouse)
            return Decision(None)
        if why:
            return Decision(scan, why=why)
        note_scan(scan, options, summary, log)
        for job in scan.plan.todo:  # files whose problem (a broken link…) is recorded already, as the load says
            summary.failed += 1
            summary.errors.append((job.rel, *job.problem))
            log(f"  failed  {job.rel}: {job.problem[0]}: {job.problem[1]}")
        note_corrections(judged, summary, log)
    finally:
        con.close()
    summary.dbt_status, summary.status, summary.message = "skipped", "success", NOTHING_CHANGED
    return Decision(scan, unchanged=True)
