"""Every DuckDB connection gongkai opens, with the memory bound its dbt profile uses.

DuckDB takes 80 % of the machine's memory unless told otherwise; dbt's connection is bounded by
``GONGKAI_DUCKDB_MEMORY`` (``profiles.yml``, default 3GB), and so are gongkai's own: the load, the
Parquet export (a million-report export held 19 GB without it), the checks and the read commands.
Beyond the bound DuckDB spills to its temporary folder beside the database file.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from extract.load.sql import quote_literal

MEMORY_ENV = "GONGKAI_DUCKDB_MEMORY"
DEFAULT_MEMORY = "3GB"


def memory_limit() -> str:
    """The memory bound of gongkai's DuckDB connections (``GONGKAI_DUCKDB_MEMORY``, default 3GB)."""
    return os.environ.get(MEMORY_ENV, "").strip() or DEFAULT_MEMORY


def open_duckdb(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect``, then :func:`memory_limit` set on the database. Set, not passed as the
    connection's config: a connection with another config to a file this process has open is refused,
    and the limit is the database's, whichever connection sets it."""
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        con.execute(f"set memory_limit = {quote_literal(memory_limit())}")
    except duckdb.Error:
        con.close()
        raise
    return con


def memory_limit_problem() -> str | None:
    """What is wrong with ``GONGKAI_DUCKDB_MEMORY``, or ``None`` (the command checks it before it starts)."""
    try:
        open_duckdb(":memory:").close()
    except duckdb.Error as error:
        return f"{MEMORY_ENV}={memory_limit()!r} is not a DuckDB memory limit (write it as 3GB or 800MB): {error}"
    return None
