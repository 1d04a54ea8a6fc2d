"""Tables printed otherwise than the template draws them, as reviewers find them on real pages:
表三 cut into two tables, a 小计 (subtotal) column for 法人或其他组织, hidden cells, rowspans
declared longer than the table, header rows without the 勾稽关系 note, tab text whose merged
cells leave one tab, double rules."""

from __future__ import annotations

import copy

from render.html import to_html
from render.pdf import PdfLayout, build_pdf
from render.report import Report, is_table3, placed_cells
from render.template import Grid, Span
from render.text import markdown
from render.variants import WIDE, cut, regroup
from render.word import to_docx


def _tables_replaced(report: Report, change) -> Report:
    """A copy of ``report`` whose 表三 block is replaced by the blocks ``change(block)`` returns."""
    out = copy.deepcopy(report)
    blocks: list[tuple[str, object]] = []
    for kind, block in out.blocks:
        if kind == "table" and is_table3(block):  # type: ignore[arg-type]
            blocks += [("table", part) for part in change(block)]
        else:
            blocks.append((kind, block))
    out.blocks = blocks
    return out


def table3_in_two(report: Report, seed: int = 0) -> Report:
    """表三 as two tables, cut after 二、上年结转 (seed 0) or inside 三、本年度办理结果."""
    at = [5, 9, 14, 20][seed % 4]
    return _tables_replaced(report, lambda block: list(cut(block, at)))


def with_subtotal(block: Grid, before: bool = False) -> Grid:
    """表三 with a 小计 column after 其他 (or ``before`` 商业企业): the five kinds of 法人或其他组织
    summed, in every value row."""
    at = 4 if before else 9
    placed: list[tuple[int, int, Span]] = []
    values: dict[int, dict[int, int]] = {}
    for r, c, text, rowspan, colspan in placed_cells(block):
        if text in ("申请人情况", "法人或其他组织"):
            colspan += 1
        shift = c >= at and not (r == 1 and text == "法人或其他组织")
        placed.append((r, c + shift, (text, rowspan, colspan)))
        if c >= 3 and text.isdigit():
            values.setdefault(r, {})[c] = int(text)
    placed.append((2, at, ("小计", 1, 1)))
    placed += [(r, at, (str(sum(row[c] for c in range(4, 9))), 1, 1)) for r, row in values.items() if len(row) == 7]
    return regroup(placed, len(block))


def table3_with_subtotal(report: Report, before: bool = False) -> Report:
    return _tables_replaced(report, lambda block: [with_subtotal(block, before)])


def hidden_cells(html: str) -> str:
    """Each table row of a web page with a trailing cell the page hides (``display:none``)."""
    return html.replace("</tr>", '<td style="display:none">0</td></tr>')


def overlong_rowspans(report: Report) -> bytes:
    """A web page whose 三、本年度办理结果 declares more rows than the table has (Word's HTML does)."""
    page = to_html(report, "utf-8").decode("utf-8")
    rows = next(rs for b in report.tables() if is_table3(b)
                for _, _, t, rs, _ in placed_cells(b) if t.startswith("三、"))
    return page.replace(f'rowspan="{rows}"', f'rowspan="{rows + 3}"', 1).encode("utf-8")


def without_note(report: Report) -> Report:
    """表三's header with an empty top-left cell (no 勾稽关系 note) and 申请人情况 over it all."""
    def change(block: Grid) -> list[Grid]:
        out = [list(row) for row in block]
        out[0] = [("", 3, 3), *out[0][1:]]
        return [out]
    return _tables_replaced(report, change)


def tab_text_spans_once(report: Report) -> bytes:
    """Tab text as a browser copies a table: a merged cell leaves one tab, not one per column."""
    lines: list[str] = []
    for kind, block in report.blocks:
        if kind == "table":
            lines += ["\t".join(text for text, _, _ in row) for row in block]  # type: ignore[union-attr]
        else:
            lines.append(str(block))
    return "\n".join(lines).encode("utf-8")


def double_rules_pdf(report: Report, seed: int = 0) -> bytes:
    """A ruled PDF whose rules are double lines (Word's 双线 border), 1.2–2 points apart."""
    return build_pdf(report, PdfLayout(WIDE, double_rules=1.2 + 0.4 * (seed % 3)))


def split_docx(report: Report, seed: int = 0) -> bytes:
    return to_docx(table3_in_two(report, seed))




def spaced_labels(report: Report) -> Report:
    """Short labels set with a space between characters (Word's 分散对齐 in narrow cells:
    ``自 然 人``, ``总 计``, ``结 果 维 持``)."""
    from extract.parse.values import looks_like_value

    out = copy.deepcopy(report)
    out.blocks = [(kind, [[(" ".join(t) if t and len(t) <= 6 and not looks_like_value(t) else t, rs, cs)
                           for t, rs, cs in row] for row in block]) if kind == "table" else (kind, block)
                  for kind, block in out.blocks]  # type: ignore[union-attr]
    return out


def running_header_pdf(report: Report, seed: int = 0, ruled: bool = True) -> bytes:
    """A PDF with a running header on every page (the agency, a date with digits, 第 N 页)."""
    header = f"{report.agency}政务公开办公室    {report.year + 1}-01-20    编号 {1000 + seed}"
    return build_pdf(report, PdfLayout(WIDE, ruled=ruled, running_header=header))


def tab_text_cell_breaks(report: Report, at: int = 9) -> bytes:
    """Tab text as a browser copies a table whose long labels hold line breaks: the break splits
    the row's line there (``…\\t（三）不予`` / ``公开\\t1.属于国家秘密\\t0\\t…``)."""
    from render.reshape import broken_label

    lines: list[str] = []
    for kind, block in report.blocks:
        if kind != "table":
            lines.append(str(block))
            continue
        for row in block:  # type: ignore[union-attr]
            cells = [cell for text, _, colspan in row
                     for cell in ["\n".join(broken_label(text, at))] + [""] * (colspan - 1)]
            lines += "\t".join(cells).split("\n")
    return "\n".join(lines).encode("utf-8")


def markdown_html_tables(report: Report) -> bytes:
    """Markdown whose tables are raw HTML (converters write merged cells so)."""
    from render.html import _spans

    return markdown(report, lambda block: [
        "", "<table>",
        *("<tr>" + "".join(f"<td{_spans(rs, cs)}>{t}</td>" for t, rs, cs in row) + "</tr>" for row in block),
        "</table>", ""])


def ruled_as(report: Report, seed: int = 0, rules: str = "horizontal", rotated: bool = False) -> bytes:
    """A PDF ruled otherwise: a rule under every row and none down (``horizontal``), a 三线表
    (``three_line``: above, under the header, below), or a grid with 三、本年度办理结果 set sideways."""
    from render.variants import narrow_style

    style = WIDE if seed % 2 == 0 else narrow_style(seed)
    return build_pdf(report, PdfLayout(style, rules=rules, rotated_group_label=rotated,
                                       vertical_group_label=not rotated and seed % 4 == 0))


def spans_dropped(report: Report) -> bytes:
    """A web page whose CMS dropped every rowspan and colspan: the cells shift left under them."""
    import re

    page = to_html(report, "utf-8").decode("utf-8")
    return re.sub(r' (?:rowspan|colspan)="\d+"', "", page).encode("utf-8")
