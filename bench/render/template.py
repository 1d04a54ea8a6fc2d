"""The official tables 表二/表三/表四 as grids of (text, rowspan, colspan), with seeded values.

Rows and columns come in the template's order from ``seeds/template_rows.csv`` and
``seeds/template_columns.csv``; the values satisfy the template's identities.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project (bench/render/ is two levels down)
SEEDS = ROOT / "seeds"
CN = "一二三四五六七八九十"

Span = tuple[str, int, int]  # text, rowspan, colspan
Grid = list[list[Span]]
Expected = dict[tuple[int, str, str], str]


def _read(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _columns(version: str) -> dict[tuple[int, str], list[dict[str, str]]]:
    out: dict[tuple[int, str], list[dict[str, str]]] = {}
    for col in _read("template_columns.csv"):
        if col[f"in_{version}"] == "true":
            out.setdefault((int(col["table_no"]), col["block"]), []).append(col)
    return out


def _rows(version: str, table_no: int) -> list[dict[str, str]]:
    rows = [r for r in _read("template_rows.csv") if int(r["table_no"]) == table_no
            and r[f"in_{version}"] == "true" and r["is_template_row"] == "true"]
    return sorted(rows, key=lambda r: int(r["sort_order"]))


def table2(version: str, rng: random.Random, expected: Expected) -> Grid:
    """表二: per block a title row, a header row and its item rows, 4 columns wide."""
    columns = _columns(version)
    block_title = {"art20_1": "第二十条第（一）项", "art20_5": "第二十条第（五）项", "art20_6": "第二十条第（六）项",
                   "art20_8": "第二十条第（八）项", "art20_9": "第二十条第（九）项"}
    grid: Grid = []
    seen: list[str] = []
    for row in _rows(version, 2):
        block = row["block"]
        cols = columns[(2, block)]
        if block not in seen:
            seen.append(block)
            grid.append([(block_title[block], 1, 4)])
            header: list[Span] = [("信息内容", 1, 1)]
            for i, col in enumerate(cols):
                header.append((col["label_zh"], 1, 4 - len(cols) if i == len(cols) - 1 else 1))
            grid.append(header)
        line: list[Span] = [(row["label_zh"], 1, 1)]
        for i, col in enumerate(cols):
            if col["unit"] == "万元":
                text = f"{rng.randint(100, 99999)}.{rng.randint(1, 99):02d}"
            elif col["col_key"] == "change":
                text = rng.choice(["减3", "增2", "0", "—"])
            else:
                text = str(rng.randint(0, 400))
            if row["row_key"] == "regulations" and col["col_key"] in ("repealed", "prior_year_items"):
                text = ""
            expected[(2, row["row_key"], col["col_key"])] = text
            line.append((text, 1, 4 - len(cols) if i == len(cols) - 1 else 1))
        grid.append(line)
    return grid


def _table3_values(version: str, rng: random.Random) -> tuple[list[str], list[dict[str, str]], dict]:
    cols = [c["col_key"] for c in _columns(version)[(3, "requests")]]
    parts = cols[:-1]
    rows = _rows(version, 3)
    outcome_rows = [r for r in rows if r["row_role"] == "outcome"
                    and not (version == "2021" and r["row_key"] == "other_handling")]
    values: dict[str, dict[str, int]] = {r["row_key"]: {} for r in rows}
    for col in parts:
        for r in outcome_rows:
            values[r["row_key"]][col] = rng.choice([0, 0, 0, 1, 2, 5, 17, 120]) if col == "natural_person" \
                else rng.choice([0, 0, 0, 0, 1, 3])
        processed = sum(values[r["row_key"]][col] for r in outcome_rows)
        forward = rng.randint(0, 9)
        carried = rng.randint(0, min(forward + processed, 9))
        values["total_processed"][col] = processed
        values["carried_forward"][col] = forward
        values["carried_over"][col] = carried
        values["new_received"][col] = processed + forward - carried
    for row_values in values.values():
        if row_values:
            row_values["total"] = sum(row_values[c] for c in parts)
    return cols, outcome_rows, values


TABLE3_HEADER: Grid = [
    [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
    [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
    [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
]


def table3(version: str, rng: random.Random, expected: Expected) -> Grid:
    """表三: three header rows, then 一、二、三（办理结果 by group and sub-row）、四, 10 columns wide."""
    cols, outcome_rows, values = _table3_values(version, rng)
    grid: Grid = [list(row) for row in TABLE3_HEADER]

    def cells(key: str) -> list[Span]:
        out = []
        for col in cols:
            text = str(values[key][col])
            expected[(3, key, col)] = text
            out.append((text, 1, 1))
        return out

    groups: list[tuple[str, list[dict[str, str]]]] = []
    for r in outcome_rows:
        group = r["outcome_group"]
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append(r)
    result_rows = sum(len(g[1]) for g in groups) + 1
    grid.append([("一、本年新收政府信息公开申请数量", 1, 3), *cells("new_received")])
    grid.append([("二、上年结转政府信息公开申请数量", 1, 3), *cells("carried_over")])
    first = True
    for number, (group, members) in enumerate(groups):
        head: list[Span] = [("三、本年度办理结果", result_rows, 1)] if first else []
        first = False
        group_label = f"（{CN[number]}）{members[0]['outcome_group_zh']}"
        if group == "partially_granted":
            group_label += "（区分处理的，只计这一情形，不计其他情形）"
        if len(members) == 1:
            grid.append([*head, (group_label, 1, 2), *cells(members[0]["row_key"])])
            continue
        for index, member in enumerate(members):
            label = f"{index + 1}.{member['label_zh']}"
            lead = [(group_label, len(members), 1)] if index == 0 else []
            grid.append([*(head if index == 0 else []), *lead, (label, 1, 1), *cells(member["row_key"])])
    grid.append([(f"（{CN[len(groups)]}）总计", 1, 2), *cells("total_processed")])
    grid.append([("四、结转下年度继续办理", 1, 3), *cells("carried_forward")])
    return grid


TABLE4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def table4(rng: random.Random, expected: Expected) -> Grid:
    """表四: three header rows and one row of 15 values, 15 columns wide."""
    grid: Grid = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*[(r, 2, 1) for r in TABLE4_RESULTS], ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [*[(r, 1, 1) for r in TABLE4_RESULTS], *[(r, 1, 1) for r in TABLE4_RESULTS]],
    ]
    row: list[Span] = []
    for block in ("admin_reconsideration", "litigation_direct", "litigation_after_reconsideration"):
        parts = [rng.choice([0, 0, 1, 2, 4]) for _ in range(4)]
        for col, value in zip(("upheld", "corrected", "other_result", "pending", "total"), [*parts, sum(parts)],
                              strict=True):
            expected[(4, block, col)] = str(value)
            row.append((str(value), 1, 1))
    grid.append(row)
    return grid
