"""The fetch log: one record per URL a fetch run dealt with, in ``<warehouse folder>/logs/fetch/<run>.jsonl``.

Records are appended as outcomes happen (a killed fetch keeps what it did), one line per write.
The next refresh carries every run not yet in ``raw.fetch_log`` into it (:func:`sync_fetch_log`),
and ``marts.fct_fetch_log`` shows them. The outcome codes and what they mean are the seed
``seeds/fetch_outcomes.csv``, read here and by dbt.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import duckdb

from extract.load.warehouse import insert_rows
from extract.paths import SEEDS_DIR, WarehousePaths

OUTCOMES_SEED = SEEDS_DIR / "fetch_outcomes.csv"


@lru_cache(maxsize=1)
def outcome_codes() -> dict[str, bool]:
    """outcome → whether it is a failure (from the seed)."""
    with OUTCOMES_SEED.open(encoding="utf-8") as handle:
        return {row["outcome"]: row["is_failure"] == "true" for row in csv.DictReader(handle)}


@dataclass
class FetchRecord:
    """What happened to one URL (``role``: file, listing, page or attachment)."""

    url: str
    outcome: str
    role: str = "file"
    source_url: str | None = None
    source_line: int | None = None
    http_status: int | None = None
    attempts: int = 0
    file: str | None = None
    size_bytes: int | None = None
    sha256: str | None = None
    content_type: str | None = None
    detected_format: str | None = None
    elapsed_ms: int | None = None
    message: str = ""
    requested_at: str | None = None
    fetch_run_id: str = ""
    refresh_run_id: str | None = None
    seq: int = 0

    def __post_init__(self) -> None:
        if self.outcome not in outcome_codes():
            raise ValueError(f"unknown fetch outcome {self.outcome!r} (seeds/fetch_outcomes.csv)")

    @property
    def is_failure(self) -> bool:
        return outcome_codes()[self.outcome]


_COLUMNS = (("fetch_id", "varchar"), ("fetch_run_id", "varchar"), ("refresh_run_id", "varchar"), ("seq", "integer"),
            ("requested_at", "timestamp"), ("url", "varchar"), ("source_url", "varchar"), ("source_line", "integer"),
            ("role", "varchar"), ("outcome", "varchar"), ("http_status", "integer"), ("attempts", "integer"),
            ("file", "varchar"), ("size_bytes", "bigint"), ("sha256", "varchar"), ("content_type", "varchar"),
            ("detected_format", "varchar"), ("elapsed_ms", "integer"), ("message", "varchar"))


def fetch_log_dir(db_path: Path) -> Path:
    return WarehousePaths(db_path).logs / "fetch"


class FetchLog:
    """Appends one run's records to its file, numbering them; safe from the crawl's threads."""

    def __init__(self, db_path: Path, fetch_run_id: str, refresh_run_id: str | None = None) -> None:
        self.path = fetch_log_dir(db_path) / f"{fetch_run_id}.jsonl"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fetch_run_id, self.refresh_run_id = fetch_run_id, refresh_run_id
        self.records: list[FetchRecord] = []
        self._lock = threading.Lock()

    def add(self, record: FetchRecord) -> FetchRecord:
        with self._lock:
            record.fetch_run_id, record.refresh_run_id = self.fetch_run_id, self.refresh_run_id
            record.seq = len(self.records) + 1
            record.requested_at = record.requested_at or dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
            record.message = record.message[:4000]
            self.records.append(record)
            line = (json.dumps(asdict(record), ensure_ascii=False) + "\n").encode()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        return record


def _row(record: dict) -> tuple:
    when = record.get("requested_at")
    try:
        parsed = dt.datetime.fromisoformat(when) if when else None
    except (TypeError, ValueError):
        parsed = None
    if parsed is not None and parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    fetch_id = f"{record['fetch_run_id']}-{int(record['seq']):06d}"
    values = {**record, "fetch_id": fetch_id, "requested_at": parsed}
    return tuple(values.get(name) for name, _ in _COLUMNS)


def _unloaded_runs(con: duckdb.DuckDBPyConnection, db_path: Path) -> Iterator[list[tuple]]:
    """The rows of each fetch run in the fetch log folder that ``raw.fetch_log`` does not hold yet."""
    folder = fetch_log_dir(db_path)
    if not folder.is_dir():
        return
    loaded = {row[0] for row in con.execute("select distinct fetch_run_id from raw.fetch_log").fetchall()}
    for path in sorted(folder.glob("*.jsonl")):
        if path.stem in loaded:
            continue
        rows = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by a kill
            if isinstance(record, dict) and record.get("fetch_run_id") == path.stem and record.get("url"):
                rows.append(_row(record))
        yield rows


def sync_fetch_log(con: duckdb.DuckDBPyConnection, db_path: Path) -> int:
    """Carry the fetch runs not yet in ``raw.fetch_log`` into it; returns the records added.

    Call with the refresh lock held (no fetch is writing then, so every run file is complete)."""
    added = 0
    for rows in _unloaded_runs(con, db_path):
        insert_rows(con, "fetch_log", _COLUMNS, rows)
        added += len(rows)
    return added


def pending_fetch_records(con: duckdb.DuckDBPyConnection, db_path: Path) -> int:
    """How many records :func:`sync_fetch_log` would carry into raw now (``con`` may be read-only)."""
    return sum(len(rows) for rows in _unloaded_runs(con, db_path))
