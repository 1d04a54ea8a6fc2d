"""A portal page's plain-text copy as crawlers save it: a header block (标题/发布时间/原文链接), then
the page text with one table cell a line, labels broken at the width of their column, no separators."""

from __future__ import annotations

import random

from render.html import portal_chrome
from render.report import Report, placed_cells, table_width
from render.template import Grid


def _column_chars(width: int, rng: random.Random) -> list[int]:
    """Characters a line of each grid column holds on the page the copy was taken from."""
    if width == 10:  # 表三: 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | 7 values
        return [rng.choice([5, 6]), rng.choice([4, 5]), rng.choice([10, 14]), 3, 2, 2, 4, 4, 2, 2]
    if width == 15:  # 表四: 结果/维持, 结果/纠正 … (or unbroken)
        return [rng.choice([2, 2, 4])] * 15
    return [rng.choice([4, 7]), *[rng.choice([4, 6, 8])] * 3]  # 表二: 行政规范/性文件, 本年制发/件数


def _wrap(text: str, chars: int) -> list[str]:
    from extract.parse.values import looks_like_value

    if looks_like_value(text) or len(text) <= chars:
        return [text]
    return [text[i:i + chars] for i in range(0, len(text), chars)]


def _table_lines(block: Grid, rng: random.Random, blank: str | None) -> list[str]:
    chars = _column_chars(table_width(block), rng)
    lines: list[str] = []
    for _, c, text, _, colspan in placed_cells(block):
        if not text:
            if blank is not None:
                lines.append(blank)
            continue
        lines += _wrap(text, sum(chars[c:c + colspan]))
    return lines


def portal_lines(report: Report, seed: int = 0, blank: str | None = None) -> list[str]:
    """The copy's lines; an empty cell is the line ``blank`` (``None``: no line at all)."""
    rng = random.Random(seed)
    site, chrome = portal_chrome(report, seed)
    day = f"{report.year + 1}-01-{20 + seed % 8}"
    lines = [f"标题: {report.title}", f"发布时间: {day} 09:30", f"发布机构: {site}", "栏目: 政府信息公开年报",
             f"原文链接: https://www.example.gov.cn/zwgk/nb/{report.year + 1}01/t{day.replace('-', '')}_{seed}.htm",
             "==================== 正文 ===================="]
    if seed % 2:
        lines.append(chrome)
    for kind, block in report.blocks:
        if kind == "table":
            lines += _table_lines(block, rng, blank)  # type: ignore[arg-type]
        else:
            lines.append(str(block))
    return lines


def portal_text_copy(report: Report, seed: int = 0, empty: str = "absent") -> tuple[bytes, str]:
    """One cell a line; an empty cell is no line (``empty="absent"``) or an empty line (``"line"``)."""
    lines = portal_lines(report, seed, None if empty == "absent" else "")
    return "\n".join(lines).encode("utf-8"), "txt"


def portal_text_collapsed(report: Report, seed: int = 0, empty: str = "absent") -> tuple[bytes, str]:
    """The copy with runs of equal lines saved once (a row 1,0,0,0,0,0,1 as 1/0/1)."""
    lines = portal_lines(report, seed, None if empty == "absent" else "")
    kept = [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]
    return "\n".join(kept).encode("utf-8"), "txt"


def split_number(text: str, rng: random.Random) -> list[str]:
    """A number of two or more digits broken over two lines (``162`` → ``1`` / ``62``)."""
    cuts = [i for i in range(1, len(text)) if text[i - 1].isdigit() and text[i].isdigit()]
    if not cuts:
        return [text]
    at = rng.choice(cuts)
    return [text[:at], text[at:]]


def portal_text_split_numbers(report: Report, seed: int = 0, share: float = 0.3) -> tuple[bytes, str]:
    """The copy (empty cells as empty lines) with some numbers (``share`` of those with 2+ digits)
    broken over two lines. Empty cells are kept: were they gone too, a split could give a row its
    count of cells back (297 / 2 / 76 for 297, blank, 276), which no reader can tell."""
    from extract.parse.values import parse_value

    rng = random.Random(seed + 1000)
    lines: list[str] = []
    body = False
    for line in portal_lines(report, seed, ""):
        body = body or line.startswith("=====")
        split = body and parse_value(line).state == "number" and sum(ch.isdigit() for ch in line) >= 2
        lines += split_number(line, rng) if split and rng.random() < share else [line]
    return "\n".join(lines).encode("utf-8"), "txt"
