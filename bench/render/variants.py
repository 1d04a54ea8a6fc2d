"""Changes to a report every renderer can print: a full-width title, header rows printed again
mid-table, and a seeded style (label widths, font sizes, number fonts)."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from render.report import Report, is_table3, placed_cells, table_width
from render.template import Grid, Span

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def with_title(report: Report, title: str) -> Report:
    """A copy of ``report`` whose title block reads ``title``."""
    out = copy.deepcopy(report)
    out.blocks = [(kind, title if kind == "title" else block) for kind, block in out.blocks]
    return out


def fullwidth_title(report: Report) -> Report:
    """The title with full-width digits (``某市某区民政局２０２２年政府信息公开工作年度报告``)."""
    return with_title(report, report.title.translate(FULLWIDTH))


def regroup(placed: list[tuple[int, int, Span]], rows: int) -> Grid:
    """(row, column, span) triples → a grid, each row's cells in column order."""
    grid: list[list[tuple[int, Span]]] = [[] for _ in range(rows)]
    for r, c, span in placed:
        grid[r].append((c, span))
    return [[span for _, span in sorted(row)] for row in grid]


def cut(block: Grid, at: int) -> tuple[Grid, Grid]:
    """``block`` cut before row ``at``: spans across the cut end there and go on, empty, in the
    second part (as a table continued on a new page prints them)."""
    top: list[tuple[int, int, Span]] = []
    bottom: list[tuple[int, int, Span]] = []
    for r, c, text, rowspan, colspan in placed_cells(block):
        if r < at < r + rowspan:
            top.append((r, c, (text, at - r, colspan)))
            bottom.append((0, c, ("", r + rowspan - at, colspan)))
        elif r < at:
            top.append((r, c, (text, rowspan, colspan)))
        else:
            bottom.append((r - at, c, (text, rowspan, colspan)))
    return regroup(top, at), regroup(bottom, len(block) - at)


def insert_rows(block: Grid, at: int, inserted: Grid) -> Grid:
    """``block`` with ``inserted`` rows before row ``at``, spans across ``at`` cut there."""
    top, bottom = cut(block, at)
    return [*top, *[list(r) for r in inserted], *bottom]


def split_row(block: Grid, at: int, head: str, values_below: bool = False) -> Grid:
    """Row ``at`` printed as two rows, as a page break inside it leaves it: its label's first
    ``len(head)`` characters, then the rest; the values in the first part (or the second)."""
    placed: list[tuple[int, int, Span]] = []
    for r, c, text, rowspan, colspan in placed_cells(block):
        if r == at and text.startswith(head) and len(text) > len(head):
            placed += [(r, c, (head, 1, colspan)), (r + 1, c, (text[len(head):], 1, colspan))]
        elif r == at and rowspan == 1:
            placed += [(r + values_below, c, (text, 1, colspan)), (r + 1 - values_below, c, ("", 1, colspan))]
        else:
            grows = r <= at < r + rowspan
            placed.append((r + (r > at), c, (text, rowspan + grows, colspan)))
    return regroup(placed, len(block) + 1)


def with_repeated_headers(report: Report, seed: int = 0) -> Report:
    """Header rows printed again mid-table: 表三's three header rows before a group (or inside
    one, by seed), 表二's first block header again after its first item row."""
    rng = random.Random(seed)
    out = copy.deepcopy(report)
    blocks = []
    for kind, block in out.blocks:
        if kind == "table" and is_table3(block):
            starts = [i for i, row in enumerate(block) if row and row[0][0].startswith("（")]
            inner = [i for i, row in enumerate(block) if row and row[0][0][:2] in ("2.", "3.", "4.")]
            at = rng.choice(starts[2:5]) if seed % 2 == 0 or not inner else rng.choice(inner[:6])
            block = insert_rows(block, at, [list(r) for r in block[:3]])
        elif kind == "table" and table_width(block) == 4:
            block = insert_rows(block, 3, [list(block[1])])
        blocks.append((kind, block))
    out.blocks = blocks
    return out


@dataclass(frozen=True)
class Style:
    """Seeded layout choices: font sizes, the font of numbers, label column widths (points)."""

    font_size: float
    number_font: str
    result_width: float  # 表三's 三、本年度办理结果 column
    group_width: float  # 表三's （三）不予公开 column
    label_width: float  # 表三's 1.属于国家秘密 column
    item_width: float  # 表二's 行政规范性文件 column
    label_chars: int  # layout text: characters of a label per line
    value_width: float = 34.0  # 表三's value columns

    def widths(self, width: int) -> list[float]:
        """Column widths of a table of ``width`` grid columns, fitting an A4 page."""
        if width in (10, 11):  # 表三 (with a 小计 column: 11)
            return [self.result_width, self.group_width, self.label_width, *[self.value_width] * (width - 3)]
        if width == 15:
            return [33.0] * 15
        return [self.item_width, *[(480 - self.item_width) / 3] * 3]


def narrow_style(seed: int) -> Style:
    """Narrow label columns: （三）不予公开 over 2–4 lines, 2.其他法律行政法规禁止公开 over 2–4."""
    rng = random.Random(seed)
    size = rng.choice([7.5, 8.0, 9.0])
    return Style(font_size=size, number_font=rng.choice(["STSong-Light", "Times-Roman", "Helvetica"]),
                 result_width=size * rng.choice([1.2, 1.6]) + 12, group_width=size * rng.choice([2.3, 3.3]) + 12,
                 label_width=size * rng.choice([4.3, 5.3, 6.3]) + 12, item_width=size * rng.choice([3.3, 4.3]) + 12,
                 label_chars=rng.choice([6, 8, 10]))


def tiny_style(seed: int) -> Style:
    """Label columns one to three characters wide: （三）不予公开 over 4–7 lines, 1.属于国家秘密 over 3–7."""
    rng = random.Random(seed)
    size = rng.choice([7.5, 8.0, 9.0])
    return Style(font_size=size, number_font="STSong-Light", result_width=size * 1.2 + 12,
                 group_width=size * 1.3 + 12, label_width=size * (2.3 if seed % 2 == 0 else 3.3) + 12,
                 item_width=size * 3.3 + 12, label_chars=6)


WIDE = Style(font_size=8.0, number_font="STSong-Light", result_width=22, group_width=70, label_width=130,
             item_width=150, label_chars=12)
"""The layout of :func:`render.to_pdf`: wide labels that wrap once at most."""


def zeros_as_blanks(report: Report, seed: int = 0, share: float = 0.6, shown: str = "") -> Report:
    """表三 with many of its zeros printed as empty cells (agencies that leave a nothing blank):
    about ``share`` of them, chosen by ``seed``. Changes ``report`` itself, whose cells are
    then expected blank, and returns it. ``shown``: print them so instead (``—``, ``-``, ``/``: a dash)."""
    rng = random.Random(seed)
    keys = iter([k for k in report.expected if k[0] == 3])
    blocks = []
    for kind, block in report.blocks:
        if kind == "table" and is_table3(block):
            rows = []
            for row in block:
                cells = []
                for text, rowspan, colspan in row:
                    if text.isdigit():
                        key = next(keys)
                        assert report.expected[key] == text, (key, text)
                        if text == "0" and rng.random() < share:
                            text = report.expected[key] = shown
                    cells.append((text, rowspan, colspan))
                rows.append(cells)
            block = rows
        blocks.append((kind, block))
    report.blocks = blocks
    return report
