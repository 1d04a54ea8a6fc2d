"""Extraction as Parquet shards, for a backfill spread over many processes or machines.

Extraction is a pure function of one file (:func:`extract.run.pool.extract_file`). A shard is
the ``raw`` rows of a batch of files, written by the same loader as the warehouse
(:mod:`extract.load.warehouse`) into an in-memory DuckDB and copied out as one Parquet file per
table::

    <shards>/source_files/<shard>.parquet   reports/…   cells/…   parse_issues/…   load_errors/…

:func:`write_shard` is the unit a distributed engine maps over batches (a Ray task, a
Dask future, a Spark partition): :mod:`extract.run.cluster` maps it over a Dask cluster
(``gongkai shard --engine dask``); :func:`extract_to_shards` runs the same batches locally
with the crash-safe worker pool. Both plan the same batches (:func:`plan_batches`), whose
boundaries are defined by the files' paths, not their positions, and a shard's name is a hash of
its batch, so either engine skips a batch whose shard is complete: a rerun writes only what is
missing, and after a file is added, changed or removed, only its batch (at times a neighbour too).
:func:`load_shards` brings any number of complete shards into a warehouse, file by file
as a refresh would (new and changed files replace their rows; files already loaded from
the same bytes by this parser version are skipped). ``gongkai shard`` and
``gongkai refresh --from-shards`` are the commands.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from extract import PARSER_VERSION
from extract.load.sql import quote_identifier, quote_literal
from extract.load.warehouse import SCHEMA_SQL, load_report, record_error
from extract.parse.model import FileError
from extract.readers import source_format
from extract.run.pool import FileJob, Result, Worker, extract_file, extract_parallel

SHARD_TABLES = ("source_files", "reports", "cells", "parse_issues", "load_errors")
COMMIT_ORDER = (*SHARD_TABLES[1:], "source_files")  # source_files last: its file completes a shard
MAX_BATCH_FACTOR = 3  # a batch holds at most this many times --batch files


@dataclass
class ShardCounts:
    """What a set of shards held, and what loading them did."""

    files: int = 0
    loaded: int = 0
    failed: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    stale: int = 0
    cells: int = 0
    incomplete: int = 0  # shards not read: some of their tables are missing (a writer stopped part way)


class ShardWriter:
    """Accumulates extraction results in the raw schema (in memory) and writes them as a shard."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.con = duckdb.connect(":memory:")
        self.con.execute(SCHEMA_SQL)
        self.files = 0

    def add(self, job: FileJob, result: Result) -> None:
        if isinstance(result, FileError):
            record_error(self.con, job.rel, job.sha256, source_format(job.rel), job.size, result[0], result[1],
                         self.run_id)
        else:
            from extract.run.manifest import overrides_hash

            load_report(self.con, job.rel, job.sha256, job.size, result, self.run_id, overrides_hash(job.overrides))
        self.files += 1

    def write(self, out_dir: Path, name: str) -> Path:
        """One Parquet file per raw table under ``out_dir``; the writer is then empty again.

        Each table is written to a hidden partial file, then renamed; ``source_files`` goes last,
        so a process killed part way leaves a shard that is not complete (:func:`complete_shards`),
        which loading ignores and a rerun writes again.
        """
        for table in COMMIT_ORDER:
            folder = out_dir / table
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"{name}.parquet"
            partial = folder / f".{name}.parquet.partial"
            self.con.execute(f"copy raw.{quote_identifier(table)} to {quote_literal(str(partial))} (format parquet)")
            partial.replace(target)
            self.con.execute(f"delete from raw.{quote_identifier(table)}")
        self.files = 0
        return out_dir


def shard_name(jobs: Iterable[FileJob]) -> str:
    """A batch's name from its files' paths, hashes, overrides and the parser version: rerunning overwrites it."""
    from extract.run.manifest import overrides_hash

    digest = hashlib.sha256(PARSER_VERSION.encode())
    for job in sorted(jobs, key=lambda j: j.rel):
        problem = job.problem[0] if job.problem else ""
        digest.update(f"{job.rel}\0{job.sha256}\0{overrides_hash(job.overrides) or ''}\0{problem}\n".encode())
    return "shard-" + digest.hexdigest()[:16]


@dataclass
class Batch:
    """The files of one shard, and its name."""

    name: str
    jobs: list[FileJob]


@dataclass
class FailedBatch:
    """A batch whose shard was not written (its worker died, or writing failed)."""

    name: str
    files: list[str]
    error: str


@dataclass
class ShardRun:
    """What ``gongkai shard`` did: shards written now, complete ones skipped, batches that failed."""

    batches: int
    written: int = 0
    skipped: int = 0
    failed: list[FailedBatch] = field(default_factory=list)


def batch_limits(batch_size: int) -> tuple[int, int]:
    """The fewest and the most files of a batch planned for ``--batch batch_size``."""
    return max(1, batch_size // 4), MAX_BATCH_FACTOR * batch_size


def _ends_batch(rel: str, period: int) -> bool:
    """Whether a batch may end after the file ``rel``: a hash of its path alone (stable across runs,
    machines and Python processes) is a multiple of ``period``."""
    digest = hashlib.sha256(rel.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % period == 0


def plan_batches(jobs: list[FileJob], batch_size: int) -> list[Batch]:
    """``jobs`` in path order, cut into batches of about ``batch_size`` files, each with its shard name.

    The cuts are content-defined (as in content-defined chunking): a batch ends after a file whose
    path hashes to a boundary (:func:`_ends_batch`, one path in ``batch_size - fewest + 1``) once it
    holds the fewest files :func:`batch_limits` allows, or when it reaches the most. Where a batch
    ends depends on the paths near the cut, not on how many files come before it, so adding,
    removing or changing one file changes the batch it falls in (and at times the next one): every
    other batch keeps its files and its name, and its shard is not written again.
    """
    fewest, most = batch_limits(batch_size)
    period = batch_size - fewest + 1  # a batch's expected size is then about batch_size
    batches: list[Batch] = []
    part: list[FileJob] = []
    for job in sorted(jobs, key=lambda j: j.rel):
        part.append(job)
        if len(part) >= most or (len(part) >= fewest and _ends_batch(job.rel, period)):
            batches.append(Batch(shard_name(part), part))
            part = []
    if part:
        batches.append(Batch(shard_name(part), part))
    return batches


def _names(shards: Path, table: str) -> set[str]:
    return {path.name.removesuffix(".parquet") for path in (shards / table).glob("*.parquet")}


def complete_shards(shards: Path) -> set[str]:
    """The names of the shards under ``shards`` that have a file for every raw table."""
    return set.intersection(*(_names(shards, table) for table in SHARD_TABLES))


def write_shard(jobs: list[FileJob], out_dir: Path, run_id: str, extract: Worker = extract_file) -> Path:
    """Extract a batch of files in this process and write its shard (the unit of a distributed run).

    Each file is read here from its path (``extract`` is :func:`extract_file`, or one that wraps it).
    """
    writer = ShardWriter(run_id)
    for job in jobs:
        writer.add(job, job.problem or extract(job.path, job.rel, job.overrides))
    return writer.write(out_dir, shard_name(jobs))


def extract_to_shards(jobs: list[FileJob], out_dir: Path, run_id: str, workers: int, batch_size: int = 500,
                      log: Callable[[str], None] = print) -> ShardRun:
    """Extract ``jobs`` with the local worker pool, one shard per ``batch_size`` files.

    A batch whose shard is already complete is skipped (its name says its files, their bytes and
    overrides, and the parser version), so a rerun after a stop writes only what is missing.
    """
    batches = plan_batches(jobs, batch_size)
    done = complete_shards(out_dir)
    todo = [batch for batch in batches if batch.name not in done]
    run = ShardRun(batches=len(batches), skipped=len(batches) - len(todo))
    by_rel = {job.rel: n for n, batch in enumerate(todo) for job in batch.jobs}
    writers: dict[int, ShardWriter] = {}  # results come nearly in order: only a batch or two is open
    for job, result in extract_parallel([job for batch in todo for job in batch.jobs], workers):
        n = by_rel[job.rel]
        writer = writers.get(n)
        if writer is None:
            writer = writers[n] = ShardWriter(run_id)
        writer.add(job, result)
        if writer.files == len(todo[n].jobs):
            writer.write(out_dir, todo[n].name)
            writer.con.close()
            del writers[n]
            run.written += 1
            log(f"  shard {run.written}/{len(todo)}: {len(todo[n].jobs)} files")
    return run


def _files(shards: Path, table: str, names: set[str]) -> list[str]:
    """The files of one raw table of the complete shards ``names``, bound as a parameter (no quoting, no globs)."""
    return [(shards / table / f"{name}.parquet").as_posix() for name in sorted(names)]


def load_shards(con: duckdb.DuckDBPyConnection, shards: Path) -> ShardCounts:
    """Load every shard under ``shards`` into the warehouse's raw tables, in one transaction.

    A file already loaded from the same bytes by this parser version is left as it is; a
    new or changed file replaces its rows; a file that failed keeps any earlier good load
    of it, as in a refresh. A file a shard holds from another parser version is skipped
    and counted as stale (extract it again), so old output never replaces newer output.
    Shards never withdraw a report (only a folder refresh sees a file disappear).
    """
    names = complete_shards(shards)  # a shard whose writer was killed part way is not read
    if not names:
        raise FileNotFoundError(f"{shards} holds no complete shards (one folder per raw table: "
                                f"{', '.join(SHARD_TABLES)})")
    counts = ShardCounts(incomplete=len(set.union(*(_names(shards, table) for table in SHARD_TABLES)) - names))
    con.execute("begin transaction")
    try:
        con.execute("""
            create or replace temp table shard_files as
            select shard.*,
                   case when shard.parser_version is distinct from ? then 'stale'
                        when known.source_path is null then 'new'
                        when known.sha256 <> shard.sha256
                          or known.manifest_hash is distinct from shard.manifest_hash then 'changed'
                        when known.parser_version is distinct from shard.parser_version
                          or known.status <> shard.status then 'changed'
                        else 'unchanged' end as change,
                   known.report_id as previous_report_id
            from read_parquet(?, union_by_name = true) shard
            left join raw.source_files known using (source_path)
            qualify row_number() over (partition by shard.source_path order by shard.updated_at desc) = 1
        """, [PARSER_VERSION, _files(shards, "source_files", names)])
        rows = con.execute("select change, status, count(*) from shard_files group by all").fetchall()
        for change, status, count in rows:
            counts.files += count
            setattr(counts, change, getattr(counts, change) + count)
            if change not in ("unchanged", "stale"):
                if status == "loaded":
                    counts.loaded += count
                else:
                    counts.failed += count
        con.execute("delete from shard_files where change in ('unchanged', 'stale')")
        # The same bytes under two paths are one report: its rows are taken from one shard only.
        con.execute("""
            create or replace temp table shard_reports as
            select report_id, parse_filename(filename) as shard
            from read_parquet(?, union_by_name = true, filename = true)
            where report_id in (select report_id from shard_files where status = 'loaded')
            qualify row_number() over (partition by report_id order by extracted_at desc, filename desc) = 1
        """, [_files(shards, "reports", names)])
        for table in ("cells", "parse_issues", "reports"):
            con.execute(f"delete from raw.{quote_identifier(table)} "
                        "where report_id in (select report_id from shard_reports)")
        con.execute("delete from raw.load_errors where source_path in (select source_path from shard_files)")
        for table in ("reports", "cells", "parse_issues"):
            con.execute(f"""
                insert into raw.{quote_identifier(table)} by name
                select rows.* exclude (filename)
                from read_parquet(?, union_by_name = true, filename = true) as rows
                semi join shard_reports
                    on shard_reports.report_id = rows.report_id
                    and shard_reports.shard = parse_filename(rows.filename)
            """, [_files(shards, table, names)])
        con.execute("""
            insert into raw.load_errors by name
            select errors.*
            from read_parquet(?, union_by_name = true) as errors
            semi join shard_files
                on shard_files.source_path = errors.source_path
                and shard_files.sha256 = errors.sha256
                and shard_files.status <> 'loaded'
            qualify row_number() over (partition by errors.source_path order by errors.occurred_at desc) = 1
        """, [_files(shards, "load_errors", names)])
        con.execute("""
            insert into raw.source_files by name
            select * exclude (change, previous_report_id) replace (
                coalesce(report_id, previous_report_id) as report_id)
            from shard_files
            on conflict (source_path) do update set
                sha256 = excluded.sha256, source_format = excluded.source_format,
                size_bytes = excluded.size_bytes, status = excluded.status,
                report_id = excluded.report_id, parser_version = excluded.parser_version,
                last_changed_run = excluded.last_changed_run, last_seen_run = excluded.last_seen_run,
                updated_at = excluded.updated_at, manifest_hash = excluded.manifest_hash
        """)
        # A changed file's previous report goes when no file points to it any more.
        for table in ("cells", "parse_issues", "reports"):
            con.execute(f"""
                delete from raw.{quote_identifier(table)} where report_id in (
                    select previous_report_id from shard_files
                    where status = 'loaded' and previous_report_id is distinct from report_id
                ) and report_id not in (select report_id from raw.source_files where report_id is not null)
            """)
        counts.cells = con.execute("select count(*) from raw.cells where report_id in "
                                   "(select report_id from shard_reports)").fetchone()[0]
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return counts
