"""Tables whose cells were run together with no separators (a web page flattened to one line of text).

An archive's text copy of a portal page can print ``规章000行政规范性文件6233440`` or, for 表三,
``一、本年新收政府信息公开申请数量21710000218`` (217, 1, 0, 0, 0, 0, 218). Nothing in the text says
where one number ends, so a run is split only where exactly one split is possible:

* each part is a number as printed (no leading zero but ``0`` itself);
* in a row with a 总计 (表三, each block of 表四) the 总计 is the sum of the other parts;
* a row without one (表二) is split only if its digits allow a single split at all (``000``);
* a run with any other reading, or with a sign or a unit, is not split: the row is a
  ``run_not_split`` parse issue.

Rows are found in the template's order, each label within a short distance of the previous row's
run; the sub-row number that follows a run (``…0000002.其他法律…``) is not part of it. Cells read
so have the placement ``split_run``.
"""

from __future__ import annotations

import re
import unicodedata

from extract.layout.cells import Cell
from extract.parse.model import ParseIssue
from extract.parse.scan import RawRow, TableScan
from extract.parse.template import Template
from extract.readers.document import Document, Line

_DROP = re.compile(r"[\s\u00a0\u3000、，,：:“”\"'‘’「」]")
_LONG_LINE = 300
_FIRST_ROW_WINDOW = 400
_ROW_WINDOW = 40
_LABEL_TAIL = 40
_HEADING_CONTEXT = 80
_CONTEXT_MIN_CHARS = 4  # 其他, 总计 also occur in the report's list of its sections
_MAX_DECIMALS = 4
_RUN = re.compile(r"\d[\d.]*")
_MAX_SOLUTIONS = 2


def _flat(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def long_lines(doc: Document) -> list[Line]:
    """Lines long enough to hold a whole table run together."""
    return [line for line in doc.lines if len(line.text) >= _LONG_LINE and line.cells is None]


def _parts(run: str, count: int) -> list[list[str]]:
    """Up to two ways to cut ``run`` into ``count`` printed numbers."""
    out: list[list[str]] = []

    def walk(rest: str, left: int, acc: list[str]) -> None:
        if len(out) >= _MAX_SOLUTIONS:
            return
        if left == 1:
            if rest and (rest == "0" or not rest.startswith("0")) and _decimals_ok(rest):
                out.append([*acc, rest])
            return
        for cut in range(1, len(rest) - left + 2):
            piece = rest[:cut]
            if (piece.startswith("0") and piece != "0") or "." in piece:
                break
            walk(rest[cut:], left - 1, [*acc, piece])

    walk(run, count, [])
    return out


def _decimals_ok(text: str) -> bool:
    """At most one point, with one to four digits after it (万元 to the 元)."""
    if "." not in text:
        return True
    whole, _, fraction = text.partition(".")
    return bool(whole) and "." not in fraction and 1 <= len(fraction) <= _MAX_DECIMALS


def _split_summed(run: str, count: int) -> list[list[str]]:
    """Up to two ways to cut ``run`` into ``count`` whole numbers whose last is the sum of the others."""
    out: list[list[str]] = []
    for width in range(1, len(run) - count + 2):
        total = run[-width:]
        if total.startswith("0") and total != "0":
            continue
        for parts in _bounded(run[:-width], count - 1, int(total)):
            out.append([*parts, total])
            if len(out) >= _MAX_SOLUTIONS:
                return out
    return out


def _bounded(rest: str, left: int, total: int) -> list[list[str]]:
    """Cuts of ``rest`` into ``left`` whole numbers summing to ``total`` (at most two)."""
    if left == 1:
        return [[rest]] if rest and (rest == "0" or not rest.startswith("0")) and int(rest) == total else []
    out: list[list[str]] = []
    for cut in range(1, len(rest) - left + 2):
        piece = rest[:cut]
        if piece.startswith("0") and piece != "0":
            break
        if int(piece) > total:
            break
        for tail in _bounded(rest[cut:], left - 1, total - int(piece)):
            out.append([piece, *tail])
            if len(out) >= _MAX_SOLUTIONS:
                return out
    return out


def split_run(run: str, count: int, summed_blocks: int = 0) -> list[str] | None:
    """The one split of ``run`` into ``count`` numbers, or ``None``.

    ``summed_blocks``: the parts form that many equal blocks, each ending in its 总计.
    """
    if not run.replace(".", "").isdigit():
        return None
    if not summed_blocks:
        found = _parts(run, count)
        return found[0] if len(found) == 1 else None
    if "." in run:
        return None
    size = count // summed_blocks
    solutions: list[list[str]] = []

    def walk(rest: str, blocks: int, acc: list[str]) -> None:
        if len(solutions) >= _MAX_SOLUTIONS:
            return
        if blocks == 1:
            solutions.extend([acc + parts for parts in _split_summed(rest, size)][: _MAX_SOLUTIONS - len(solutions)])
            return
        for cut in range(size, len(rest) - size * (blocks - 1) + 1):
            for parts in _split_summed(rest[:cut], size):
                walk(rest[cut:], blocks - 1, acc + parts)

    walk(run, summed_blocks, [])
    return solutions[0] if len(solutions) == 1 else None


def _ends_run(char: str) -> bool:
    """A run ends at the next label: a CJK character or an opening bracket, never a sign or unit."""
    return ("\u4e00" <= char <= "\u9fff" or char in "(（") and char not in "减增元万件项个条"


def _heading(flat: str, template: Template, table_no: int) -> int | None:
    """End of the table's heading: the occurrence followed by the table's own headers (not the
    report's list of its sections)."""
    aliases = [a.alias for a in template.aliases if a.kind == "table" and a.table_no == table_no]
    context = [a.alias for a in template.aliases if a.table_no == table_no and a.kind in ("block", "header", "col")
               and len(a.alias) >= _CONTEXT_MIN_CHARS]
    for alias in aliases:
        for match in re.finditer(re.escape(alias), flat):
            window = flat[match.end(): match.end() + _HEADING_CONTEXT]
            if any(c in window for c in context):
                return match.end()
    return None


def scan_runs(doc: Document, template: Template, version: str, scan: TableScan) -> None:
    """Read tables run together in the document's long lines into ``scan``."""
    for line in long_lines(doc):
        flat = _flat(line.text)
        starts = {t: _heading(flat, template, t) for t in (2, 3, 4)}
        found = sorted((pos, t) for t, pos in starts.items() if pos is not None)
        if not found:
            continue
        ends = [pos for pos, _ in found[1:]]
        for (start, table_no), end in zip(found, [*ends, len(flat)], strict=True):
            section = min((m.start() for a in template.aliases if a.kind == "section_end"
                           for m in re.finditer(re.escape(a.alias), flat[start:end])), default=end - start)
            segment = flat[start: start + section]
            scan.found_tables.add(table_no)
            scan.headings.add(table_no)
            if table_no == 4:
                _table4(segment, line, template, scan)
            else:
                _rows(segment, table_no, line, template, version, scan)


def _rows(segment: str, table_no: int, line: Line, template: Template, version: str, scan: TableScan) -> None:
    cursor, first = 0, True
    block: str | None = None
    for row in template.sequence(table_no):
        if table_no == 2 and row.block != block:
            block, first = row.block, True
        window = segment[cursor: cursor + (_FIRST_ROW_WINDOW if first else _ROW_WINDOW)]
        hits = [(window.find(a), a) for a in sorted(template.labels_of(table_no, row.row_key), key=len, reverse=True)]
        hits = [(pos, a) for pos, a in hits if pos >= 0]
        if not hits:
            continue
        pos, alias = min(hits)
        label_end = cursor + pos + len(alias)
        run = _RUN.search(segment, label_end, label_end + _LABEL_TAIL)
        if run is None:
            continue
        text, end = run.group(), run.end()
        if text.endswith(".") and end < len(segment) and not segment[end].isdigit():
            text = text[:-2]  # ``…0000002.其他``: the next sub-row's number and its point
        cursor, first = end, False
        if not text:
            continue
        if end < len(segment) and not _ends_run(segment[end]):
            scan.issues.append(ParseIssue(
                "warning", "run_not_split",
                f"{row.row_key}: the digits {text!r} run on into {segment[end:end + 8]!r} (a sign, a unit, a note): "
                "not stored", table_no, row.row_key, line.line_no, line.page))
            continue
        columns = template.block_columns(table_no, row.block, version)
        summed = 1 if columns and columns[-1].col_key == "total" else 0
        values = split_run(text, len(columns), summed)
        if values is None:
            scan.issues.append(ParseIssue(
                "warning", "run_not_split",
                f"{row.row_key}: the digits {text!r} run together have more than one reading as "
                f"{len(columns)} numbers; not stored", table_no, row.row_key, line.line_no, line.page))
            continue
        cells = [Cell(v, line.line_no, line.page, line.method) for v in values]
        scan.rows[table_no].append(RawRow(table_no, row.row_key, alias, cells, False, None, row.block,
                                          loose=True, how="split_run"))


def _table4(segment: str, line: Line, template: Template, scan: TableScan) -> None:
    runs = [m for m in _RUN.finditer(segment) if len(m.group()) >= 15]
    if len(runs) != 1:
        return
    values = split_run(runs[0].group(), 15, summed_blocks=3)
    if values is None:
        scan.issues.append(ParseIssue(
            "warning", "run_not_split",
            f"表四: the digits {runs[0].group()!r} run together have more than one reading as 15 numbers; "
            "not stored", 4, line_no=line.line_no, page=line.page))
        return
    scan.t4_values = [Cell(v, line.line_no, line.page, line.method) for v in values]
    scan.t4_loose = True
    scan.t4_split = True
