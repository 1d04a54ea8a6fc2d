"""Build the marts in the staging copy with ``dbt build`` (and the catalogue), and record what they were built from.

A refresh skips the build when raw's state (:func:`extract.load.warehouse.raw_state`) and the
project (:func:`build_fingerprint`) are those the published marts were built from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extract import PARSER_VERSION
from extract.load.duck import open_duckdb
from extract.load.warehouse import connect
from extract.paths import PROJECT_ROOT, WarehousePaths
from extract.run.dbt import DbtEvent, run_dbt
from extract.run.docs import DocsError, build_docs
from extract.run.progress import Progress, Step
from extract.run.runlog import insert_run, sync_run_log
from extract.run.scope import record_built_reports


def build_fingerprint() -> str:
    """What the marts are built from besides raw: the dbt project's files and the parser version."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for folder in ("models", "seeds", "macros", "tests/dbt"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + path.read_bytes())
    for name in ("dbt_project.yml", "profiles.yml"):
        digest.update((PROJECT_ROOT / name).read_bytes())
    return digest.hexdigest()


_COUNTS = {
    "reports": "select count(*) from marts.dim_reports",
    # the rows of fct_report_cells (the cells of the primary documents), counted without reading every cell:
    # dim_reports.cell_count is each report's cells, and the view's joins add no row (one report per
    # report_id, one template row and column per key, one applied correction per cell: tested)
    "cells": "select coalesce(sum(cell_count), 0) from marts.dim_reports where is_primary",
    "quality_flags": "select count(*) from marts.fct_data_quality where passed = false",
    "parse_issues": "select count(*) from marts.fct_parse_issues",
}
SEVERITIES = ("error", "warning", "info")


def mart_counts(con) -> dict[str, int]:
    """What the published marts hold: reports, cells, failed checks, parse issues (all, and
    ``parse_issues_<severity>`` for each severity)."""
    counts = {name: con.execute(sql).fetchone()[0] for name, sql in _COUNTS.items()}
    by_severity = dict(con.execute("select severity, count(*) from marts.fct_parse_issues group by 1").fetchall())
    counts.update({f"parse_issues_{severity}": by_severity.get(severity, 0) for severity in SEVERITIES})
    return counts


def published_counts(db_path: Path) -> dict[str, int]:
    try:
        con = open_duckdb(db_path, read_only=True)
    except duckdb.Error:
        return {}
    try:
        return mart_counts(con)
    except duckdb.Error:
        return {}
    finally:
        con.close()


@dataclass
class BuildResult:
    """What ``dbt build`` did: ``success`` or ``error``, the end of its output when it failed, the catalogue."""

    status: str
    message: str = ""
    docs_path: str | None = None


# dbt's events for a node that is done (its line "12 of 169 PASS …"), whatever its kind or outcome
_NODE_DONE = {"LogModelResult", "LogTestResult", "LogSeedResult", "LogSnapshotResult", "LogFunctionResult",
              "LogNodeNoOpResult", "SkippingDetails"}
_GOOD = {"ok", "pass", "success", "no-op", "noop"}


class NodeSteps:
    """Turns ``dbt build``'s events into a step of nodes done / total (:mod:`extract.run.progress`)."""

    def __init__(self, step: Step) -> None:
        self.step = step
        self.total: int | None = None
        self.done = 0

    def __call__(self, event: DbtEvent) -> None:
        name, data = event["info"].get("name"), event.get("data") or {}
        total = data.get("total") or data.get("num_models")
        if name in ("LogStartLine", *_NODE_DONE) and isinstance(total, int) and total != self.total:
            self.total = total
            self.step.set_total(total)
        if name == "LogStartLine":
            self.step.started(str(data.get("description", "")))
        elif name in _NODE_DONE:
            self.done += 1
            node = data.get("node_info") or {}
            current = str(data.get("description") or data.get("name") or node.get("node_name") or "")
            line = "  dbt " + event["info"].get("msg", "").strip()
            if str(data.get("status", "")).lower() in _GOOD:
                self.step.advance(current, line)
            else:
                self.step.note(line)
                self.step.advance(current)


def build_marts(staging: Path, db_path: Path, log: Callable[[str], None], progress: bool = False,
                full: bool = True) -> BuildResult:
    """``dbt build`` on the staging copy (``--full-refresh`` when ``full``; else the incremental models
    rebuild the reports of ``raw.build_scope``, :mod:`extract.run.scope`), a step of nodes done / total
    (a bar when ``progress``, else a line per node), then the static catalogue (a catalogue failure is
    only a message)."""
    args = ["build", "--full-refresh"] if full else ["build", "--vars", '{"build_scope": true}']
    log(f"gongkai refresh: building the marts (dbt build{' --full-refresh' if full else ', incremental'})")
    with Progress(progress, log).step("dbt build", None, "nodes") as step:
        nodes = NodeSteps(step)
        result = run_dbt(args, staging, WarehousePaths(db_path).logs / "dbt_build.log", on_event=nodes)
    if result.returncode == 0:
        log(f"gongkai refresh: dbt build: {nodes.done} nodes done")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        return BuildResult("error", f"dbt build failed; the published warehouse was left as it was:\n{tail}")
    try:
        return BuildResult("success", docs_path=str(build_docs(staging, compiled=True)))
    except DocsError as error:
        return BuildResult("success", message=str(error))


def record_build(staging: Path, db_path: Path, run: dict, built: bool, state: str,
                 incremental: bool = False) -> dict[str, int]:
    """Write every logged run (``run`` as it ends) and, after a build, its fingerprints into the staging copy
    (``incremental``: the build recomputed ``raw.build_scope`` only); returns the marts' counts (empty when
    nothing was built)."""
    con = connect(staging)
    try:
        sync_run_log(con, db_path)
        insert_run(con, run)
        counts: dict[str, int] = {}
        if built:
            record_built_reports(con, incremental)
            con.execute("insert or replace into raw.build_state values ('build_fingerprint', ?)",
                        [build_fingerprint()])
            con.execute("insert or replace into raw.build_state values ('raw_state', ?)", [state])
            counts = mart_counts(con)
        con.execute("checkpoint")
    finally:
        con.close()
    return counts
