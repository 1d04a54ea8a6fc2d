"""The warehouse at national scale: a full build of N synthetic reports, a refresh adding reports, no change.

    nice -n 19 .venv/bin/python bench/warehouse_scale.py --reports 100000 --root /work/bench-scale
    GONGKAI_DUCKDB_MEMORY=10GB nice -n 19 .venv/bin/python bench/warehouse_scale.py --reports 1000000 ...

The same steps as ``gongkai refresh`` on the warehouse side, on a synthetic ``raw`` layer
(bench/synthetic_raw.py: every template cell of every report, agencies reporting for six years):

1. full build: ``dbt build --full-refresh`` with every test;
2. a refresh adding ``--add`` reports (a 2025 report of as many agencies, so each brings its agency's six
   earlier reports into the build scope): the private copy of the warehouse a refresh builds in, the
   new rows loaded into raw, the build plan (:mod:`extract.run.scope`), the incremental ``dbt build``
   (its tests read the scope), and the record of the build;
3. a refresh with nothing changed: the decision on the published file opened read-only
   (:mod:`extract.run.nochange`: the folder planned against raw, raw's state compared with the last
   build's), with no copy; the folder's own scan is bench/scan_scale.py's;
4. the Parquet export every published refresh writes (:mod:`extract.run.export`): in full after the full
   build, and after the refresh adding reports the incremental one (the partitions whose rows changed
   rewritten, the others hard-linked from the full export), apart from the refresh's own time.

Extraction is not measured here (bench/run.py). Prints one JSON object; ``--write`` puts its row (one
per size) in the section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import duckdb  # noqa: E402
from layouts import section_of, write_section  # noqa: E402
from run import machine, measured  # noqa: E402
from synthetic_raw import NEXT_AGENCY, NEXT_YEAR, add_reports, build_raw  # noqa: E402

from extract.load.warehouse import connect, known_files, raw_state  # noqa: E402
from extract.paths import PROJECT_ROOT, WarehousePaths  # noqa: E402
from extract.run.build import record_build  # noqa: E402
from extract.run.dbt import dbt_env, dbt_executable  # noqa: E402
from extract.run.export import Previous, export_marts  # noqa: E402
from extract.run.ingest import FolderScan, judge_corrections  # noqa: E402
from extract.run.manifest import Manifest  # noqa: E402
from extract.run.nochange import what_changes  # noqa: E402
from extract.run.plan import plan_files  # noqa: E402
from extract.run.pool import FileJob  # noqa: E402
from extract.run.scope import plan_build  # noqa: E402


def dbt_build(db: Path, full: bool) -> dict:
    """``dbt build`` as the refresh runs it (:func:`extract.run.build.build_marts`, without the catalogue)."""
    args = ["build", "--full-refresh"] if full else ["build", "--vars", '{"build_scope": true}']
    seconds, peak, code = measured(dbt_executable(), *args, "--project-dir", str(PROJECT_ROOT),
                                   "--profiles-dir", str(PROJECT_ROOT),
                                   "--target-path", str(WarehousePaths(db).dbt_target),
                                   env={**dbt_env(db), "DBT_LOG_PATH": str(WarehousePaths(db).dbt_logs)})
    if code != 0:
        raise SystemExit(f"dbt build failed ({code})")
    return {"dbt_seconds": round(seconds, 1), "dbt_peak_mb": round(peak)}


def timed(step, *args):
    start = time.perf_counter()
    result = step(*args)
    return result, round(time.perf_counter() - start, 2)


def plan(db: Path, full: bool):
    con = connect(db)
    try:
        return plan_build(con, full, project_changed=False)
    finally:
        con.close()


def scope_of(db: Path) -> list[str]:
    """The build scope's report ids, as the refresh reads them before the record of the build empties it."""
    con = connect(db)
    try:
        return [row[0] for row in con.execute("select report_id from raw.build_scope order by 1").fetchall()]
    finally:
        con.close()


def record(db: Path, run_id: str, incremental: bool) -> None:
    con = connect(db)
    try:
        state = raw_state(con)
    finally:
        con.close()
    record_build(db, db, {"run_id": run_id, "status": "success", "dbt_status": "success"}, True, state,
                 incremental)


def folder_jobs(published: Path) -> list[FileJob]:
    """The jobs the folder's scan gives when every known file is there unchanged (the scan itself is
    bench/scan_scale.py's, so these are made before the decision is timed; the plan reads no file)."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        here = Path()
        return [FileJob(here, path, sha256, 0) for path, sha256 in con.execute(
            "select source_path, sha256 from raw.source_files where status != 'removed'").fetchall()]
    finally:
        con.close()


def no_change(published: Path, reports: Path, jobs: list[FileJob]) -> bool:
    """What a refresh with nothing to parse does on the warehouse side after the folder's scan: the decision
    of :mod:`extract.run.nochange` on the published file opened read-only (no copy): what raw knows of every
    file, the plan of the scan's ``jobs`` against it, raw's state against the last build's. ``reports``
    (empty) gives the manifest and corrections."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        known = known_files(con)
        scan = FolderScan(Manifest(), known, jobs, plan_files(jobs, known))
        return not what_changes(con, published, scan, judge_corrections(con, reports))
    finally:
        con.close()


SECTION = "## National scale: incremental builds (bench/warehouse_scale.py)"
HEADER = ("| reports | cells | DuckDB memory limit | full build (s) | full build peak RSS (MB) | warehouse (MB) "
          "| refresh +reports: build scope | its dbt build (s) | its peak RSS (MB) | whole refresh (s) "
          "| no-change refresh (s) | Parquet export: full (s) | Parquet export of the +reports refresh (s) |")


def row(result: dict) -> str:
    add, full = result["add"], result["full"]
    export = result.get("full_export_seconds", result.get("export_seconds", "–"))
    export = f"{export:.0f}" if isinstance(export, float) else export
    incremental = add.get("export_seconds", "not measured")
    incremental = f"{incremental:.1f}" if isinstance(incremental, float) else incremental
    return (f"| {result['reports']} | {result['cells']} | {result['memory_limit']} | {full['dbt_seconds']:.0f} | "
            f"{full['dbt_peak_mb']} | {result['warehouse_mb']} | +{result['added']}: {add['scope']} of "
            f"{add['of_reports']} | {add['dbt_seconds']:.0f} | {add['dbt_peak_mb']} | {add['total_seconds']:.0f} | "
            f"{result['no_change']['seconds']:.1f} | {export} | {incremental} |")


def write(result: dict, path: Path) -> None:
    """This size's row in the section (the rows of other sizes kept)."""
    rows = {line.split("|")[1].strip(): line for line in section_of(path, SECTION).splitlines()
            if line.startswith("| ") and line.split("|")[1].strip().isdigit()}
    rows = {key: line if line.count("|") == HEADER.count("|") else line + " not measured |"
            for key, line in rows.items()}  # a row measured before the incremental export's column
    rows[str(result["reports"])] = row(result)
    lines = [
        f"Measured with `bench/warehouse_scale.py` on: {result['machine']}. The steps of `gongkai refresh` on "
        "the warehouse side, on a synthetic raw layer (every template cell of every report, agencies reporting "
        "for six years): a full build (`dbt build --full-refresh`, every test); a refresh adding a 2025 report "
        "to as many agencies, each bringing its agency's six earlier reports into the build scope (the private "
        "copy of the warehouse, loading raw, the build plan, the incremental `dbt build` with its tests on the "
        "scope, the record of the build); a refresh with nothing changed (decided on the published file opened "
        "read-only, with no copy: the folder planned against raw, raw's state compared with the last build's; the "
        "build is skipped). Extraction, the folder's own scan (bench/scan_scale.py, its section below) and the "
        "catalogue are not included; "
        "the Parquet export that a published refresh writes besides is apart: in full after the full build, "
        "and incremental after the refresh adding reports (only the partitions whose rows changed rewritten, "
        "the others hard-linked from the published export).",
        "",
        "Targets (issue 18), at 1,000,000 reports: full build < 20 min and < 12 GB; a refresh adding 1,000 "
        "reports < 3 min; a refresh with nothing changed < 10 s.",
        "",
        HEADER,
        "|" + "---|" * HEADER.count(" |"),
        *(rows[key] for key in sorted(rows, key=int)),
    ]
    write_section(lines, path, SECTION)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--add", type=int, default=1000)
    parser.add_argument("--root", type=Path, required=True, help="a folder on a disk with room (the warehouse "
                        "is about 8 KB per report, twice while a refresh builds its copy)")
    parser.add_argument("--write", action="store_true", help="put the row of this size in bench/RESULTS.md")
    parser.add_argument("--no-export", action="store_true", help="skip both Parquet exports (for profiling "
                        "the build: the full export is most of the run's time)")
    parser.add_argument("--keep-built", action="store_true", help="keep a copy of the warehouse as the full "
                        "build left it (built.duckdb, one more warehouse on disk), and start from it when it is "
                        "there: the next run repeats only the refresh adding reports and the no-change one")
    args = parser.parse_args()
    if args.write and (args.no_export or args.keep_built):
        parser.error("--write measures every step: not with --no-export or --keep-built")
    root = args.root / str(args.reports)
    published = root / "gongkai.duckdb"
    staging = root / "staging" / "gongkai.duckdb"
    staging.parent.mkdir(parents=True, exist_ok=True)
    result = {"machine": machine(), "reports": args.reports, "added": args.add,
              "memory_limit": os.environ.get("GONGKAI_DUCKDB_MEMORY", "3GB (default)")}

    built_copy = root / "built.duckdb"
    if args.keep_built and built_copy.exists():
        shutil.copyfile(built_copy, published)
        result.update(json.loads((root / "built.json").read_text()))
    else:
        cells, result["raw_load_seconds"] = timed(build_raw, published, args.reports)
        result["cells"] = cells
        plan(published, True)
        result["full"] = dbt_build(published, True)
        record(published, "bench-full", False)
        if args.keep_built:
            shutil.copyfile(published, built_copy)
            (root / "built.json").write_text(json.dumps({key: result[key] for key in ("cells", "full")}))
    result["warehouse_mb"] = round(published.stat().st_size / 2**20)
    # a published refresh writes every mart to Parquet (export/): in full after a full build
    export = root / "export"
    shutil.rmtree(export, ignore_errors=True)
    if not args.no_export:
        _, result["full_export_seconds"] = timed(export_marts, published, export)
    print(json.dumps(result), flush=True)

    start = time.perf_counter()
    _, copy_seconds = timed(shutil.copyfile, published, staging)
    con = connect(staging)
    try:
        _, load_seconds = timed(add_reports, con, args.reports, args.add, NEXT_AGENCY.format(first=args.reports),
                                NEXT_YEAR, 1, "bench-add")
    finally:
        con.close()
    built, plan_seconds = timed(plan, staging, False)
    scope = scope_of(staging)
    incremental = dbt_build(staging, False)
    _, record_seconds = timed(record, staging, "bench-add", True)
    total_seconds = round(time.perf_counter() - start, 1)
    # its export: only the partitions whose rows changed are written, the others linked from the published one
    result["add"] = {"copy_seconds": copy_seconds, "load_seconds": load_seconds, "plan_seconds": plan_seconds,
                     "scope": built.scope, "of_reports": built.reports, **incremental,
                     "record_seconds": record_seconds, "total_seconds": total_seconds}
    if not args.no_export:
        staging_export = staging.parent / "export"
        shutil.rmtree(staging_export, ignore_errors=True)
        _, export_seconds = timed(export_marts, staging, staging_export, False, Previous(published, export, scope))
        linked = sum(1 for path in staging_export.rglob("*.parquet") if path.stat().st_nlink > 1)
        shutil.rmtree(export)
        os.replace(staging_export, export)
        result["add"].update({"export_seconds": export_seconds, "export_files_linked": linked,
                              "export_files": sum(1 for _ in export.rglob("*.parquet"))})
    os.replace(staging, published)
    print(json.dumps(result), flush=True)

    (root / "reports").mkdir(exist_ok=True)
    skipped, seconds = timed(no_change, published, root / "reports", folder_jobs(published))
    result["no_change"] = {"skipped": skipped, "seconds": seconds}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.write:
        write(result, BENCH / "RESULTS.md")


if __name__ == "__main__":
    main()
