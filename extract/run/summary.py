"""What a refresh was asked to do and what it did (the run log's record of one run)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extract import PARSER_VERSION

if TYPE_CHECKING:
    from extract.fetch.run import FetchOptions


@dataclass
class RefreshSummary:
    run_id: str
    status: str = "running"
    started_at: str = ""
    finished_at: str = ""
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    reparsed: int = 0
    cells_loaded: int = 0
    dbt_status: str = "not_run"
    build: str = ""
    published: bool = False
    docs_path: str | None = None
    export_dir: str | None = None
    refused: str | None = None
    exit_code: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    corrections_applied: int = 0
    correction_problems: list[tuple[int, str]] = field(default_factory=list)
    marts: dict[str, int] = field(default_factory=dict)
    message: str = ""
    fetch: dict | None = None


@dataclass
class RefreshOptions:
    """How a refresh runs (the command line's flags)."""

    workers: int = 1
    full: bool = False
    run_dbt_build: bool = True
    progress: bool = False
    csv: bool = False
    shards: Path | None = None
    allow_withdraw_all: bool = False
    max_withdraw: float | None = None
    fetch_sources: Path | None = None
    fetch_options: FetchOptions | None = None


def run_record(summary: RefreshSummary, reports_dir: Path) -> dict:
    """The run log's record of a run (the summary without its per-file lists)."""
    record = {k: v for k, v in asdict(summary).items() if k not in ("errors", "marts", "correction_problems")}
    record.update(reports_dir=str(reports_dir), parser_version=PARSER_VERSION, failed_files=len(summary.errors),
                  corrections_rejected=len(summary.correction_problems), pid=os.getpid())
    return record
