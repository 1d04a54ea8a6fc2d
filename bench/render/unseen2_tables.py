"""Tables drawn otherwise (second review): 表三 under one header row (the seven applicant columns
only), 表三's 三、本年度办理结果 and group labels (（三）不予公开 …) printed as rows of their own above
their sub-rows, 表二 as one table per block, and PDFs whose pages are stored turned (a portrait
page holding a landscape layout, shown upright by ``/Rotate 90``)."""

from __future__ import annotations

import copy

from render.pdf import PdfLayout, build_pdf
from render.report import Report, is_table3, placed_cells, table_width
from render.template import Grid, Span
from render.variants import WIDE, narrow_style


def _is_value(text: str) -> bool:
    from extract.parse.values import looks_like_value

    return looks_like_value(text)


def _replace_tables(report: Report, change) -> Report:
    """A copy of ``report`` whose table blocks are replaced by the blocks ``change(block)`` returns."""
    out = copy.deepcopy(report)
    blocks: list[tuple[str, object]] = []
    for kind, block in out.blocks:
        blocks += [("table", part) for part in change(block)] if kind == "table" else [(kind, block)]
    out.blocks = blocks
    return out


def single_header(block: Grid) -> list[Grid]:
    """表三's three header rows as one: an empty corner, then 自然人, the five kinds, 总计."""
    if not is_table3(block):
        return [block]
    kinds = [t for t, _, _ in block[2]]
    header: list[Span] = [("", 1, 3), ("自然人", 1, 1), *[(k, 1, 1) for k in kinds], ("总计", 1, 1)]
    return [[header, *[list(r) for r in block[3:]]]]


def heading_rows(block: Grid, empty_cells: bool = False) -> list[Grid]:
    """表三 with one label column: 三、本年度办理结果 and each group label (（三）不予公开 …) a row of its
    own above its sub-rows, merged across the table (or, ``empty_cells``, across the label columns
    beside seven empty value cells); every other label merged over the three label columns."""
    if not is_table3(block):
        return [block]
    width = table_width(block)
    out: list[list[Span]] = [list(r) for r in block[:3]]

    def heading(text: str) -> list[Span]:
        return [(text, 1, 3), *[("", 1, 1)] * (width - 3)] if empty_cells else [(text, 1, width)]

    for r in range(3, len(block)):
        cells = [(t, rs, cs) for rr, _, t, rs, cs in placed_cells(block) if rr == r]
        labels = [(t, rs) for t, rs, _ in cells if not _is_value(t) and t]
        values = [c for c in cells if _is_value(c[0]) or not c[0]]
        for text, _ in labels[:-1]:  # the merged group labels start here
            out.append(heading(text))
        if labels and labels[-1][1] > 1:  # a group label over its sub-rows, this row its first
            out.append(heading(labels[-1][0]))
            continue
        out.append([(labels[-1][0] if labels else "", 1, 3), *[(t, 1, 1) for t, _, _ in values]])
    return [out]


def table2_blocks(block: Grid) -> list[Grid]:
    """表二 as one table per block (第二十条第（一）项 …), each with its title and header rows."""
    if table_width(block) != 4:
        return [block]
    parts: list[Grid] = []
    for row in block:
        if len(row) == 1 and row[0][0].startswith("第二十条"):
            parts.append([])
        parts[-1].append(list(row))
    return parts


def rotated_pdf(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """A landscape layout stored on portrait pages turned a quarter (``/Rotate 90``), as print drivers
    and "rotate page" in a viewer save them: the text upright only once the rotation is applied."""
    style = [WIDE, narrow_style(seed)][seed % 2]
    layout = PdfLayout(style, ruled=ruled, landscape=True, page_rotation=True, vertical_group_label=seed % 4 == 1,
                       number_align=seed % 3)
    return build_pdf(report, layout), "pdf"


def reshaped(report: Report, how: str) -> Report:
    """``report`` with its tables changed by one of this module's reshapings."""
    change = {"single_header": single_header, "heading_rows": heading_rows,
              "heading_rows_empty": lambda b: heading_rows(b, empty_cells=True), "table2_blocks": table2_blocks}[how]
    return _replace_tables(report, change)
