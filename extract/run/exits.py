"""Exit codes of the ``gongkai`` command, and the refusal a run ends with when a safety check stops it.

| code | meaning |
|---|---|
| 0 | done (refresh: the warehouse is published and current) |
| 1 | the build failed (dbt or a check at error severity); the published warehouse is unchanged;
      ``sql``: the query failed (its error is printed) |
| 2 | a usage or operator error: bad arguments, a reports folder that does not exist, a folder that
      belongs to another warehouse, a file that is not a warehouse, ``shard --engine dask`` without Dask
      installed (the cluster extra) |
| 3 | refused: the run would withdraw every report (or more than ``--max-withdraw``); nothing changed |
| 4 | ``gongkai fetch``: done, but some URLs failed (404, timeout, robots …: see the fetch log) |
| 5 | ``gongkai shard``: some batches failed (their worker died): their shards are missing, the others are
      complete; run the same command again to write only the missing ones |
| 65 | the published warehouse cannot be opened (corrupt, or not a DuckDB file); it was not touched |
| 69 | a port for ``docs --serve`` is in use; ``shard --scheduler``: the Dask scheduler cannot be reached or
       has no worker |
| 73 | the warehouse file or its folder cannot be written (read-only, permission denied) |
| 77 | ``sql``: the statement would change the warehouse, which it opens read-only |
| 75 | another refresh holds the lock: try again later (``--wait SECONDS``) |
| 143 | stopped by SIGTERM (or 130 by Ctrl-C): the run was logged as interrupted, nothing was published |
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_BUILD_FAILED = 1
EXIT_QUERY_FAILED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_FETCH_FAILURES = 4
EXIT_SHARDS_MISSING = 5
EXIT_WAREHOUSE_UNREADABLE = 65
EXIT_PORT_BUSY = 69
EXIT_UNAVAILABLE = 69
EXIT_NOT_WRITABLE = 73
EXIT_LOCK_BUSY = 75
EXIT_READ_ONLY = 77
EXIT_TERMINATED = 143
EXIT_INTERRUPTED = 130


class Refused(Exception):
    """A run stopped by a safety check before it changed anything: ``reason`` names the check."""

    def __init__(self, reason: str, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.exit_code = exit_code


class Terminated(BaseException):
    """SIGTERM arrived: unwind, stop child processes, log the run as interrupted."""
