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
:func:`extract.load.shard_load.load_shards` brings any number of complete shards into a warehouse,
file by file as a refresh would (new and changed files replace their rows; files already loaded from
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


def shard_names(shards: Path, table: str) -> set[str]:
    return {path.name.removesuffix(".parquet") for path in (shards / table).glob("*.parquet")}


def complete_shards(shards: Path) -> set[str]:
    """The names of the shards under ``shards`` that have a file for every raw table."""
    return set.intersection(*(shard_names(shards, table) for table in SHARD_TABLES))


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


def prune_shards(out_dir: Path, keep: set[str]) -> int:
    """Remove from ``out_dir`` the shards not named in ``keep``: batches of an earlier plan (files
    added, changed or removed since, another ``--batch``, another parser version). Hidden partial
    files are left alone: a writer may still be renaming one.

    Every table's file of such a shard goes, ``source_files`` first, so a prune stopped part way leaves
    incomplete shards that loading ignores, never a complete one missing rows. Returns how many shards
    were removed.
    """
    gone = set().union(*(shard_names(out_dir, table) for table in SHARD_TABLES)) - keep
    for table in ("source_files", *COMMIT_ORDER[:-1]):
        folder = out_dir / table
        for name in gone:
            (folder / f"{name}.parquet").unlink(missing_ok=True)
    return len(gone)
