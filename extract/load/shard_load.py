"""Loading Parquet shards (:mod:`extract.load.shards`) into the warehouse's ``raw`` tables.

``gongkai refresh --from-shards DIR`` calls :func:`load_shards`: every complete shard, file by file
as a folder refresh would, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract import PARSER_VERSION
from extract.load.shards import SHARD_TABLES, complete_shards, shard_names
from extract.load.sql import quote_identifier


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
    counts = ShardCounts(incomplete=len(set.union(*(shard_names(shards, table) for table in SHARD_TABLES)) - names))
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
