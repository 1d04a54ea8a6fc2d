"""``gongkai corrections check``: judge ``corrections.csv`` against the published warehouse, changing nothing.

| exit | meaning |
|---|---|
| 0 | every row would apply (or the folder has no ``corrections.csv``) |
| 1 | one or more rows would be rejected, or the file cannot be used at all |
| 2 | the reports folder does not exist, or there is no warehouse yet |
| 65 | the warehouse file cannot be opened |
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_PROBLEMS = 1


def cmd_corrections_check(args: argparse.Namespace) -> int:
    import duckdb

    from extract.cli.read import published_problem
    from extract.load.corrections import CORRECTIONS_NAME, check_corrections, read_corrections
    from extract.load.duck import open_duckdb
    from extract.run.exits import EXIT_USAGE, EXIT_WAREHOUSE_UNREADABLE

    reports, db = Path(args.reports), Path(args.db)
    if not reports.is_dir():
        print(f"gongkai corrections: the reports folder {reports} does not exist", file=sys.stderr)
        return EXIT_USAGE
    problem = published_problem(db)
    if problem is not None:
        return problem
    found = read_corrections(reports)
    if found is None:
        print(f"gongkai corrections: no {CORRECTIONS_NAME} in {reports}: nothing to check")
        return 0
    if found.error is not None:
        print(f"gongkai corrections: {found.error}", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        con = open_duckdb(db, read_only=True)
    except duckdb.Error as error:
        print(f"gongkai corrections: cannot open {db}: {error}", file=sys.stderr)
        return EXIT_WAREHOUSE_UNREADABLE
    try:
        checked = check_corrections(con, found.rows)
    finally:
        con.close()
    rejected = [c for c in checked if c.problem is not None]
    if args.json:
        print(json.dumps({"file": str(reports / CORRECTIONS_NAME), "rows": len(checked),
                          "applicable": len(checked) - len(rejected),
                          "problems": [{"line": c.row.line_no, "file": c.row.file, "problem": c.problem}
                                       for c in rejected]}, ensure_ascii=False, indent=2))
    else:
        for c in rejected:
            print(f"{CORRECTIONS_NAME} line {c.row.line_no}: {c.problem}")
        print(f"gongkai corrections: {len(checked)} rows, {len(checked) - len(rejected)} would apply, "
              f"{len(rejected)} would be rejected (against {db})")
    return EXIT_PROBLEMS if rejected else 0
