"""PDF renderings (reportlab, the built-in ``STSong-Light`` CID font): Word-style pages with ruled or
borderless tables, wide or narrow wrapping labels, page numbers, and 表三 broken across pages."""

from __future__ import annotations

import io
from dataclasses import dataclass

from render.report import Report, is_table3, placed_cells, table_width
from render.template import TABLE3_HEADER, Grid
from render.variants import WIDE, Style, cut, split_row

TITLE_SUFFIX = "年政府信息公开工作年度报告"


@dataclass(frozen=True)
class PdfLayout:
    """How the tables are drawn. ``break_in_row``: the 表三 row key whose wrapped label a page
    break cuts (its first lines on one page, the rest on the next; the values above the break,
    or below it with ``values_below``). ``inner_only``: ruled between cells, no outer border."""

    style: Style = WIDE
    ruled: bool = True
    vertical_group_label: bool = True
    page_numbers: bool = True
    repeat_header: bool = False
    break_in_row: str | None = None
    values_below: bool = False
    inner_only: bool = False


def _font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def build_pdf(report: Report, layout: PdfLayout = PdfLayout()) -> bytes:  # noqa: B008 - frozen default
    """The report as an A4 PDF drawn by ``layout``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    _font()
    size = layout.style.font_size
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=size, leading=size + 2, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1)
    story: list = []
    for kind, block in report.blocks:
        if kind == "title":
            story.append(Paragraph(str(block), title))
        elif kind in ("h", "p"):
            story.append(Paragraph(str(block), body))
        elif not is_table3(block):
            story.append(_table(block, cell, layout))
        else:
            parts = _paginated(block, cell, layout)
            if len(parts) > 1:  # 表三 (and its heading) on a new page, cut into pages by hand
                story.insert(len(story) - 1, PageBreak())
            for index, part in enumerate(parts):
                story += [PageBreak()] * (index > 0) + [_table(part, cell, layout)]

    def footer(canvas, doc) -> None:
        if layout.page_numbers:
            canvas.setFont("STSong-Light", 9)
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=50, bottomMargin=50,
                      title=f"{report.agency}{report.year}{TITLE_SUFFIX}").build(
        story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def to_pdf(report: Report, vertical_group_label: bool = True, page_numbers: bool = True, ruled: bool = True,
           repeat_header: bool = False) -> bytes:
    """A Word-style PDF: ruled tables (or none: ``ruled=False``), wrapped labels, page numbers;
    long tables break across pages, repeating 表三's header there with ``repeat_header``."""
    return build_pdf(report, PdfLayout(WIDE, ruled, vertical_group_label, page_numbers, repeat_header))


def _cell_text(text: str, layout: PdfLayout) -> str:
    from extract.parse.values import looks_like_value

    if layout.vertical_group_label and text == "三、本年度办理结果":
        return "<br/>".join(text)
    if text and layout.style.number_font != "STSong-Light" and looks_like_value(text) and text.isascii():
        return f'<font name="{layout.style.number_font}">{text}</font>'
    return text


def _table(block: Grid, cell_style, layout: PdfLayout):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    width = table_width(block)
    grid: list[list[object]] = [[""] * width for _ in block]
    spans = []
    for r, c, text, rowspan, colspan in placed_cells(block):
        shown = _cell_text(text, layout)
        grid[r][c] = Paragraph(shown, cell_style) if shown else ""
        if rowspan > 1 or colspan > 1:
            spans.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
    repeat = 3 if layout.repeat_header and width == 10 and block[:3] == TABLE3_HEADER else 0
    table = Table(grid, colWidths=layout.style.widths(width), repeatRows=repeat)
    rule = "INNERGRID" if layout.inner_only else "GRID"
    rules = [(rule, (0, 0), (-1, -1), 0.6, colors.black)] if layout.ruled else []
    table.setStyle(TableStyle([*rules, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans]))
    return table


BREAK_LABELS = {"other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "other_fee_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "not_processed_confirm_reissue": "5.要求行政机关确认或重新出具已获取信息",
                "denied_law_prohibited": "2.其他法律行政法规禁止公开"}
"""表三 labels long enough to wrap, that a page break can cut."""


def chars_per_line(style: Style) -> int:
    """Characters of a 表三 sub-label (1.属于国家秘密 …) that one line of its column holds."""
    return max(1, int((style.label_width - 12) // style.font_size))


FRAME = 841.89 - 100 - 12  # A4 less the margins and the frame's padding
HEADING = 24.0  # 表三's heading, printed above it on its first page


def _paginated(block: Grid, cell_style, layout: PdfLayout) -> list[Grid]:
    """表三 as one table (reportlab breaks it) when it fits, else cut into pages by hand: needed when
    the rows under 三、本年度办理结果 are taller than a page, or to break inside ``break_in_row``."""
    forced = None
    if layout.break_in_row:
        block, forced = _split_break_row(block, layout)
    heights = _table_heights(block, cell_style, layout)
    if forced is None and sum(heights[5:]) < FRAME * 0.9:
        return [block]
    header = sum(heights[:3]) if layout.repeat_header else 0.0
    cuts = _cuts(heights, forced, FRAME * 0.93 - header)
    parts, done = [], 0
    for at in cuts:
        first, block = cut(block, at - done)
        parts.append(first)
        done = at
        block = [*[list(r) for r in TABLE3_HEADER], *block] if layout.repeat_header else block
        done -= 3 if layout.repeat_header else 0
    return [*parts, block]


def _table_heights(block: Grid, cell_style, layout: PdfLayout) -> list[float]:
    table = _table(block, cell_style, layout)
    table.wrap(495, 1e6)  # a long table stops measuring rows at the height it is given
    return list(table._rowHeights)


def _cuts(heights: list[float], forced: int | None, room: float) -> list[int]:
    """The rows that start a page: greedy, and with ``forced`` one starts there, the page
    before it filled up to it."""
    first_room = FRAME * 0.93 - HEADING - sum(heights[:3])

    def greedy(lo: int, hi: int, free: float) -> list[int]:
        out = []
        for i in range(lo, hi):
            if heights[i] > free and i > lo:
                out.append(i)
                free = room
            free -= heights[i]
        return out

    if forced is None:
        return greedy(3, len(heights), first_room)
    start, free = forced, room
    while start > 3 and heights[start - 1] <= free:
        free -= heights[start - 1]
        start -= 1
    before = [*greedy(3, start, first_room), start] if start > 3 else []
    return [*before, forced, *greedy(forced, len(heights), room)]


def _split_break_row(block: Grid, layout: PdfLayout) -> tuple[Grid, int]:
    """表三 with the row of ``break_in_row`` printed as two (its label's first lines, then the
    rest), and the index of the second: the row a page break puts first on the next page."""
    label = BREAK_LABELS[layout.break_in_row or ""]
    at = next(i for i, row in enumerate(block) if any(t == label for t, _, _ in row))
    per_line = chars_per_line(layout.style)
    lines = -(-len(label) // per_line)
    head = label[: max(1, lines // 2) * per_line]
    return split_row(block, at, head, layout.values_below), at + 1
