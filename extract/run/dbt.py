"""Run dbt as a subprocess against the warehouse file, in its own process group, stopped with the refresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from extract.paths import PROJECT_ROOT, WarehousePaths
from extract.run.procs import run_in_own_group, stream_in_own_group

DbtEvent = dict  # one of dbt's structured log events: {"info": {"name", "msg", "level", …}, "data": {…}}


def dbt_env(db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GONGKAI_DB": str(db_path.resolve()),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_PROJECT_DIR": str(PROJECT_ROOT),
    })
    env.setdefault("GONGKAI_DUCKDB_THREADS", str(len(os.sched_getaffinity(0))))
    return env


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def _event_text(line: str, on_event: Callable[[DbtEvent], None]) -> str:
    """The human line of one line of dbt's JSON output (the line itself when it is not an event)."""
    try:
        event = json.loads(line)
        text = event["info"]["msg"]
    except (ValueError, KeyError, TypeError):
        return line
    on_event(event)
    return f"{text}\n"


def run_dbt(args: list[str], db_path: Path, log_path: Path | None = None,
            on_event: Callable[[DbtEvent], None] | None = None) -> subprocess.CompletedProcess[str]:
    """``dbt <args>`` in the project root; output is also written to ``log_path``.

    With ``on_event``, dbt prints its structured log events (``--log-format json``), each is passed
    to ``on_event`` as it happens (a node started, a node finished…), and the result's ``stdout``
    holds their text, as dbt would have printed it without colours."""
    target = WarehousePaths(db_path).dbt_target
    command = [dbt_executable(), *args, "--project-dir", str(PROJECT_ROOT),
               "--profiles-dir", str(PROJECT_ROOT), "--target-path", str(target)]
    # dbt's own log beside the warehouse's logs, not in the project root (one per warehouse, never shared)
    logs = log_path.parent / "dbt" if log_path is not None else WarehousePaths(db_path).dbt_logs
    env = {**dbt_env(db_path), "DBT_LOG_PATH": str(logs)}
    if on_event is None:
        result = run_in_own_group(command, cwd=PROJECT_ROOT, env=env)
    else:
        command += ["--log-format", "json", "--log-format-file", "text", "--no-use-colors"]
        texts: list[str] = []
        streamed = stream_in_own_group(command, lambda line: texts.append(_event_text(line, on_event)),
                                       cwd=PROJECT_ROOT, env=env)
        result = subprocess.CompletedProcess(command, streamed.returncode, "".join(texts), "")
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(result.stdout + result.stderr, encoding="utf-8")
    return result
