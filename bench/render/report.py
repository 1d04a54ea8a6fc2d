"""A synthetic report: paragraphs and the three tables in order, and every cell it prints."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from render.template import Expected, Grid, table2, table3, table4


@dataclass
class Report:
    """A report: paragraphs and tables in order, and the cells it prints."""

    agency: str
    year: int
    version: str
    blocks: list[tuple[str, object]] = field(default_factory=list)
    expected: Expected = field(default_factory=dict)

    def tables(self) -> list[Grid]:
        return [b for kind, b in self.blocks if kind == "table"]

    @property
    def title(self) -> str:
        return next(str(b) for kind, b in self.blocks if kind == "title")


NARRATIVE = ("本年度，本机关坚持以人民为中心的发展思想，认真贯彻落实《中华人民共和国政府信息公开条例》，"
             "不断完善政府信息公开工作机制，持续推进决策、执行、管理、服务、结果公开，"
             "依申请公开办理规范有序，政府信息管理和平台建设不断加强。")


def make_report(version: str = "2021", year: int = 2023, agency: str = "某市某区人民政府",
                seed: int = 7, narrative_paragraphs: int = 3) -> Report:
    """A complete report in the official layout, with values that satisfy the identities."""
    rng = random.Random(seed)
    report = Report(agency, year, version)
    add = report.blocks.append
    add(("title", f"{agency}{year}年政府信息公开工作年度报告"))
    add(("p", "本报告根据《中华人民共和国政府信息公开条例》要求编制，"
              f"所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"))
    add(("h", "一、总体情况"))
    for _ in range(narrative_paragraphs):
        add(("p", NARRATIVE))
    add(("h", "二、主动公开政府信息情况"))
    add(("table", table2(version, rng, report.expected)))
    add(("h", "三、收到和处理政府信息公开申请情况"))
    add(("table", table3(version, rng, report.expected)))
    add(("h", "四、政府信息公开行政复议、行政诉讼情况"))
    add(("table", table4(rng, report.expected)))
    add(("h", "五、存在的主要问题及改进情况"))
    add(("p", NARRATIVE))
    add(("h", "六、其他需要报告的事项"))
    add(("p", "本年度未收取信息处理费。"))
    add(("p", agency))
    add(("p", f"{year + 1}年1月20日"))
    return report


def expected_cells(report: Report) -> dict[tuple[int, str, str], tuple[Decimal | None, str]]:
    """(table, row, col) → (value, state) as the parser must store them."""
    from extract.parse.values import parse_value

    out = {}
    for key, text in report.expected.items():
        parsed = parse_value(text, "万元" if key[2].endswith("10k_yuan") else None)
        out[key] = (parsed.value, parsed.state)
    return out


def placed_cells(block: Grid) -> Iterator[tuple[int, int, str, int, int]]:
    """(row, column, text, rowspan, colspan) of each cell, columns counted past earlier spans."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(block):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            yield r, c, text, rowspan, colspan
            taken.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            c += colspan


def table_width(block: Grid) -> int:
    """The number of grid columns of a table (its first row's colspans)."""
    return sum(colspan for _, _, colspan in block[0])


def is_table3(block: Grid) -> bool:
    """表三: 10 grid columns (11 with a 小计 column, :mod:`render.unseen_tables`)."""
    return table_width(block) in (10, 11)


def label_of(block: Grid, row: list) -> str:
    """The last label (non-value text) of a grid row, or ''."""
    from extract.parse.values import looks_like_value

    labels = [t for t, _, _ in row if t and not looks_like_value(t)]
    return labels[-1] if labels else ""
