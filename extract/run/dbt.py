"""Run dbt as a subprocess against the warehouse file, in its own process group, stopped with the refresh."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from extract.paths import PROJECT_ROOT, WarehousePaths
from extract.run.procs import run_in_own_group


def dbt_env(db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GONGKAI_DB": str(db_path.resolve()),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_PROJECT_DIR": str(PROJECT_ROOT),
    })
    return env


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(args: list[str], db_path: Path, log_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``dbt <args>`` in the project root; output is also written to ``log_path``."""
    target = WarehousePaths(db_path).dbt_target
    command = [dbt_executable(), *args, "--project-dir", str(PROJECT_ROOT),
               "--profiles-dir", str(PROJECT_ROOT), "--target-path", str(target)]
    # dbt's own log beside the warehouse's logs, not in the project root (one per warehouse, never shared)
    logs = log_path.parent / "dbt" if log_path is not None else WarehousePaths(db_path).dbt_logs
    env = {**dbt_env(db_path), "DBT_LOG_PATH": str(logs)}
    result = run_in_own_group(command, cwd=PROJECT_ROOT, env=env)
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(result.stdout + result.stderr, encoding="utf-8")
    return result
