"""What a layout family loses: for each rendering below full marks, the cells lost, the parser's
issues about them, and the rendered text at that spot (``bench/layouts.py --explain FAMILY``)."""

from __future__ import annotations

import csv
import re
import subprocess
from collections import defaultdict

from render.template import SEEDS
from render.tools import missing

TABLE4_LABELS = {"admin_reconsideration": "行政复议", "litigation_direct": "未经复议直接起诉",
                 "litigation_after_reconsideration": "复议后起诉"}


def labels() -> dict[tuple[int, str], str]:
    """(table, row key) → the row's printed label."""
    with (SEEDS / "template_rows.csv").open(encoding="utf-8") as handle:
        out = {(int(r["table_no"]), r["row_key"]): r["label_zh"] for r in csv.DictReader(handle)}
    return {**out, **{(4, k): v for k, v in TABLE4_LABELS.items()}}


def text_of(data: bytes) -> list[str]:
    """The rendering as lines: ``pdftotext -layout`` of a PDF, a Word file's lines as read, tags dropped
    from HTML, text as is (undecodable bytes replaced)."""
    if data.startswith(b"%PDF"):
        if missing("pdftotext"):
            return ["(pdftotext is not installed: no text shown)"]
        out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=False)
        return out.stdout.decode("utf-8", "replace").splitlines()
    if data.startswith(b"PK"):  # a Word file (a zip): the text the reader gets from it
        from extract.readers.registry import read_document

        return [line.text for line in read_document(data, "report.docx").lines if line.text.strip()]
    text = data.decode("gbk", "replace")
    for encoding in ("utf-8", "gbk"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "<html" in text[:500].lower() or "<!doctype" in text[:100].lower():
        text = re.sub(r"<(?:/p|/tr|br\s*/?)>", "\n", text, flags=re.IGNORECASE)
        text = re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", "·")
        text = re.sub(r"[ \t]+", " ", text)
    return [line for line in text.splitlines() if line.strip()]


def spot(lines: list[str], label: str, before: int = 2, after: int = 10) -> list[str]:
    """The lines around the first line holding (the start of) ``label``."""
    for probe in (label, label[:6], label[:4], label[-4:], label[:3]):
        for index, line in enumerate(lines):
            if probe in line:
                return lines[max(0, index - before): index + after]
    return []


def explain(results: list, limit: int = 3) -> None:
    """Print, for up to ``limit`` renderings of each variant below full marks, what was lost and why."""
    names = labels()
    shown: dict[str, int] = defaultdict(int)
    for run in results:
        s = run.score
        if run.skipped:
            print(f"{run.family} {run.variant}: skipped ({run.skipped})")
            continue
        if run.error:
            print(f"{run.family} {run.variant} {run.version} seed {run.seed}: parse failed: {run.error}")
            continue
        lost = s.missing + s.wrong_numbers + s.wrong_blank_dash + s.misread
        if (not lost and s.metadata_right) or shown[run.variant] >= limit:
            continue
        shown[run.variant] += 1
        meta = run.parsed.metadata
        print(f"\n=== {run.family} / {run.variant} / {run.version} / seed {run.seed}: {s.right}/{s.printed} read, "
              f"{len(s.wrong_numbers)} wrong numbers, metadata ({meta.agency_name}, {meta.report_year}, "
              f"{meta.template_version})")
        rows: dict[tuple[int, str], list[str]] = defaultdict(list)
        for kind, keys in (("WRONG", s.wrong_numbers), ("wrong state", s.wrong_blank_dash), ("misread", s.misread),
                           ("missing", s.missing)):
            for table, row, col in keys:
                rows[(table, row)].append(f"{col} ({kind})")
        got = {(c.table_no, c.row_key, c.col_key): c for c in run.parsed.cells}
        lines = text_of(run.data)
        for (table, row), cols in list(rows.items())[:6]:
            print(f"-- 表{'二三四'[table - 2]} {row}: {', '.join(cols)}")
            for col in cols:
                cell = got.get((table, row, col.split()[0]))
                if cell is not None:
                    print(f"   stored {col.split()[0]}: {cell.raw_text!r} {cell.cell_state} placement={cell.placement}")
            for issue in [i for i in run.parsed.issues if i.table_no in (table, None)
                          and i.row_key in (row, None)][:4]:
                print(f"   issue {issue.severity} {issue.code}: {issue.message[:300]}")
            for line in spot(lines, names.get((table, row), row)):
                print(f"   | {line[:140]}")
