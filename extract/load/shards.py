"""Extraction as Parquet shards, for a backfill spread over many processes or machines.

Extraction is a pure function of one file (:func:`extract.run.pool.extract_file`). A shard is
the ``raw`` rows of a batch of files, written by the same loader as the warehouse
(:mod:`extract.load.warehouse`) into an in-memory DuckDB and copied out as one Parquet file per
table::

    <shards>/source_files/<shard>.parquet   reports/…   cells/…   parse_issues/…   load_errors/…

:func:`write_shard` is the unit a distributed engine maps over batches (a Ray task, a
Dask delayed, a Spark partition); :func:`extract_to_shards` runs it locally with the
crash-safe worker pool; :func:`load_shards` brings any number of shards into a warehouse,
file by file as a refresh would (new and changed files replace their rows; files already
loaded from the same bytes by this parser version are skipped). ``gongkai shard`` and
``gongkai refresh --from-shards`` are the commands.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract import PARSER_VERSION
from extract.load.sql import quote_identifier, quote_literal
from extract.load.warehouse import SCHEMA_SQL, load_report, record_error
from extract.parse.model import FileError
from extract.readers import source_format
from extract.run.pool import FileJob, Result, extract_file, extract_parallel

SHARD_TABLES = ("source_files", "reports", "cells", "parse_issues", "load_errors")


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
        """One Parquet file per raw table under ``out_dir``; the writer is then empty again."""
        for table in SHARD_TABLES:
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
    """A batch's name from its files' paths and hashes and the parser version: rerunning overwrites it."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for job in sorted(jobs, key=lambda j: j.rel):
        digest.update(f"{job.rel}\0{job.sha256}\n".encode())
    return "shard-" + digest.hexdigest()[:16]


def write_shard(jobs: list[FileJob], out_dir: Path, run_id: str) -> Path:
    """Extract a batch of files in this process and write its shard (the unit of a distributed run)."""
    writer = ShardWriter(run_id)
    for job in jobs:
        writer.add(job, job.problem or extract_file(job.path, job.rel, job.overrides))
    return writer.write(out_dir, shard_name(jobs))


def extract_to_shards(jobs: list[FileJob], out_dir: Path, run_id: str, workers: int, batch_size: int = 500,
                      log: Callable[[str], None] = print) -> int:
    """Extract ``jobs`` with the local worker pool, one shard per ``batch_size`` files; returns shards written."""
    batches = [jobs[i:i + batch_size] for i in range(0, len(jobs), batch_size)]
    by_rel = {job.rel: n for n, batch in enumerate(batches) for job in batch}
    writers: dict[int, ShardWriter] = {}  # results come nearly in order: only a batch or two is open
    written = 0
    for job, result in extract_parallel(jobs, workers):
        n = by_rel[job.rel]
        writer = writers.get(n)
        if writer is None:
            writer = writers[n] = ShardWriter(run_id)
        writer.add(job, result)
        if writer.files == len(batches[n]):
            writer.write(out_dir, shard_name(batches[n]))
            writer.con.close()
            del writers[n]
            written += 1
            log(f"  shard {written}/{len(batches)}: {len(batches[n])} files")
    return written


def _files(shards: Path, table: str) -> list[str]:
    """The shard files of one raw table, bound as a parameter (no quoting, no glob characters in folder names)."""
    return sorted(path.as_posix() for path in (shards / table).glob("*.parquet"))


def load_shards(con: duckdb.DuckDBPyConnection, shards: Path) -> ShardCounts:
    """Load every shard under ``shards`` into the warehouse's raw tables, in one transaction.

    A file already loaded from the same bytes by this parser version is left as it is; a
    new or changed file replaces its rows; a file that failed keeps any earlier good load
    of it, as in a refresh. A file a shard holds from another parser version is skipped
    and counted as stale (extract it again), so old output never replaces newer output.
    Shards never withdraw a report (only a folder refresh sees a file disappear).
    """
    if not all(list((shards / table).glob("*.parquet")) for table in SHARD_TABLES):
        raise FileNotFoundError(f"{shards} holds no complete shards (one folder per raw table: "
                                f"{', '.join(SHARD_TABLES)})")
    counts = ShardCounts()
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
        """, [PARSER_VERSION, _files(shards, "source_files")])
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
        """, [_files(shards, "reports")])
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
            """, [_files(shards, table)])
        con.execute("""
            insert into raw.load_errors by name
            select errors.*
            from read_parquet(?, union_by_name = true) as errors
            semi join shard_files
                on shard_files.source_path = errors.source_path
                and shard_files.sha256 = errors.sha256
                and shard_files.status <> 'loaded'
            qualify row_number() over (partition by errors.source_path order by errors.occurred_at desc) = 1
        """, [_files(shards, "load_errors")])
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
