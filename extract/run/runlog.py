"""The run log: ``<warehouse folder>/logs/refresh_runs.jsonl``, one JSON record per line.

A run appends a ``running`` record as soon as it holds the refresh lock and a final one
when it ends (``success``, ``failed``, ``refused``, ``interrupted``); the last record of a
run is its state. A run that never wrote its final record (SIGKILL, power loss) is marked
``interrupted`` by the next run, which holds the lock, so it cannot be still going. Every
run that started is therefore in the log, and :func:`sync_run_log` carries them into
``raw.refresh_runs`` of the next warehouse published.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import duckdb

from extract.paths import WarehousePaths

RUN_COLUMNS = ("run_id", "started_at", "finished_at", "status", "reports_dir", "files_seen", "new", "changed",
               "unchanged", "removed", "failed", "cells_loaded", "dbt_status", "parser_version", "message")


def now_utc() -> str:
    """The time now in UTC, ISO 8601 with its offset."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def run_log_path(db_path: Path) -> Path:
    return WarehousePaths(db_path).run_log


def append_run(db_path: Path, record: dict) -> None:
    """Append one record (one write of one line, so concurrent appends never interleave)."""
    path = run_log_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def read_run_log(db_path: Path) -> list[dict]:
    """Every run recorded next to the warehouse, in the order they started, each in its last state."""
    path = run_log_path(db_path)
    if not path.exists():
        return []
    runs: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and isinstance(record.get("run_id"), str):
            runs[record["run_id"]] = {**runs.get(record["run_id"], {}), **record}
    return list(runs.values())


def mark_interrupted(db_path: Path) -> list[str]:
    """Close the runs still ``running`` (call with the refresh lock held): they were killed."""
    closed = []
    for run in read_run_log(db_path):
        if run.get("status") == "running":
            append_run(db_path, {**run, "status": "interrupted", "published": False, "message":
                                 "the run stopped before it finished (killed, or the machine went down); "
                                 "nothing it did was published"})
            closed.append(run["run_id"])
    return closed


def _timestamp(value: object) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def insert_run(con: duckdb.DuckDBPyConnection, run: dict) -> None:
    """One run into ``raw.refresh_runs`` (replacing an earlier state of it), timestamps in UTC."""
    row = [run.get(name) for name in RUN_COLUMNS]
    row[1], row[2] = _timestamp(row[1]), _timestamp(row[2])
    row[-1] = (row[-1] or "")[:4000]
    con.execute("delete from raw.refresh_runs where run_id = ?", [run["run_id"]])
    con.execute(f"insert into raw.refresh_runs values ({', '.join('?' * len(RUN_COLUMNS))})", row)


def sync_run_log(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """Carry every logged run into ``raw.refresh_runs``."""
    for run in read_run_log(db_path):
        insert_run(con, run)
