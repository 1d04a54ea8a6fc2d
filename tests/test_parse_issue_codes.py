"""Every parse issue code the extractor can record is documented in seeds/parse_issue_codes.csv, with
the severity the extractor gives it (the seed is the analyst's key to marts.fct_parse_issues)."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")


def _seed() -> dict[str, str]:
    with (ROOT / "seeds" / "parse_issue_codes.csv").open(encoding="utf-8") as handle:
        return {row["issue_code"]: row["severity"] for row in csv.DictReader(handle)}


def _emitted() -> dict[str, set[str]]:
    """code -> severities, from the extractor's source: ParseIssue(severity, code, …) calls, the
    ``code, why = "…", …`` assignments whose code goes into a ParseIssue, and the (code, message,
    page) warnings a reader puts on its Document (recorded as warnings)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "extract").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ParseIssue":
                severity, code = node.args[0], node.args[1]
                if isinstance(code, ast.Constant):
                    found.setdefault(code.value, set()).add(severity.value)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
                for target in node.targets:
                    if isinstance(target, ast.Tuple) and isinstance(target.elts[0], ast.Name) and \
                            target.elts[0].id == "code" and isinstance(node.value.elts[0], ast.Constant):
                        found.setdefault(node.value.elts[0].value, set()).add("warning")
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                if getattr(target, "id", None) == "warnings":
                    for inner in ast.walk(node.value):
                        if isinstance(inner, ast.Tuple) and len(inner.elts) == 3 and \
                                isinstance(inner.elts[0], ast.Constant) and CODE.match(str(inner.elts[0].value)):
                            found.setdefault(inner.elts[0].value, set()).add("warning")
    return found


def test_every_code_is_in_the_seed_with_its_severity() -> None:
    seed, emitted = _seed(), _emitted()
    assert {"unmatched_row", "ocr_unreadable", "no_cells_read", "page_needs_ocr", "unit_mismatch"} <= set(emitted)
    missing = sorted(set(emitted) - set(seed))
    assert not missing, f"parse issue codes missing from seeds/parse_issue_codes.csv: {missing}"
    wrong = {code: (sorted(severities), seed[code]) for code, severities in emitted.items()
             if severities != {seed[code]}}
    assert not wrong, f"severity in the extractor differs from the seed: {wrong}"


def test_the_seed_lists_no_code_the_extractor_never_records() -> None:
    stale = sorted(set(_seed()) - set(_emitted()))
    assert not stale, f"codes in seeds/parse_issue_codes.csv that nothing records: {stale}"
