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
    font: str = "STSong-Light"  # or a TrueType font of FONT_FILES, embedded
    landscape: bool = False
    number_align: int = 0  # 0 left, 1 centred, 2 right (reportlab's alignment)
    padding: float = 6.0  # a cell's left and right padding (points; reportlab's default)
    table3_pages: int = 1  # 表三 cut by hand into this many pages at row boundaries
    double_rules: float = 0.0  # rules drawn twice, this many points apart (0: single rules)
    running_header: str | None = None  # a line printed at the top of every page
    rules: str = "grid"  # grid | horizontal (a rule under every row, none down) | three_line (三线表)
    rotated_group_label: bool = False  # 三、本年度办理结果 set sideways (Word's text direction)
    page_rotation: bool = False  # each page stored turned a quarter (portrait MediaBox, /Rotate 90)
    canvas: type | None = None  # a reportlab Canvas subclass drawing the pages (rules as rectangles, watermarks)

    @property
    def page(self) -> tuple[float, float]:
        from reportlab.lib.pagesizes import A4, landscape

        return landscape(A4) if self.landscape else A4

    @property
    def stretch(self) -> float:
        """How much wider than A4 portrait the frame is (column widths grow with it)."""
        return (self.page[0] - 100) / (595.27 - 100)


FONT_FILES = {"WenQuanYi": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
              "UMing": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0)}
"""Installed TrueType CJK fonts reportlab can embed (Noto CJK is CFF-flavoured: the browser renders it)."""


def _font(name: str = "STSong-Light") -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if name in pdfmetrics.getRegisteredFontNames():
        return
    if name in FONT_FILES:
        path, index = FONT_FILES[name]
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    else:
        pdfmetrics.registerFont(UnicodeCIDFont(name))


def build_pdf(report: Report, layout: PdfLayout = PdfLayout()) -> bytes:  # noqa: B008 - frozen default
    """The report as an A4 PDF drawn by ``layout``."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    _font(layout.font)
    font = layout.font
    size = layout.style.font_size
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=size, leading=size + 2, wordWrap="CJK")
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
        if layout.page_rotation:  # drawn turned on a page of the other orientation (reportlab swaps the
            # MediaBox of a page it rotates), shown upright by /Rotate 90
            canvas.translate(layout.page[1], 0)
            canvas.rotate(90)
        if layout.page_numbers:
            canvas.setFont(font, 9)
            canvas.drawCentredString(layout.page[0] / 2, 30, f"- {doc.page} -")
        if layout.running_header:
            canvas.setFont(font, 9)
            canvas.drawString(50, layout.page[1] - 32, layout.running_header)
            canvas.drawRightString(layout.page[0] - 50, layout.page[1] - 32, f"第 {doc.page} 页")

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=layout.page, leftMargin=50, rightMargin=50, topMargin=50, bottomMargin=50,
                      title=f"{report.agency}{report.year}{TITLE_SUFFIX}", rotation=90 * layout.page_rotation).build(
        story, onFirstPage=footer, onLaterPages=footer, **({"canvasmaker": layout.canvas} if layout.canvas else {}))
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
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    from extract.parse.values import looks_like_value

    number_style = ParagraphStyle("number", parent=cell_style, alignment=layout.number_align)

    width = table_width(block)
    grid: list[list[object]] = [[""] * width for _ in block]
    spans = []
    for r, c, text, rowspan, colspan in placed_cells(block):
        shown = _cell_text(text, layout)
        style = number_style if looks_like_value(text) else cell_style
        grid[r][c] = Paragraph(shown, style) if shown else ""
        if layout.rotated_group_label and text == "三、本年度办理结果":
            grid[r][c] = Sideways(text, layout.font, layout.style.font_size)
        if rowspan > 1 or colspan > 1:
            spans.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
    repeat = 3 if layout.repeat_header and width == 10 and block[:3] == TABLE3_HEADER else 0
    table = Table(grid, colWidths=[w * layout.stretch for w in layout.style.widths(width)], repeatRows=repeat)
    rule = "INNERGRID" if layout.inner_only else "GRID"
    twice = (None, None, None, 2, layout.double_rules) if layout.double_rules else ()
    rules = [(rule, (0, 0), (-1, -1), 0.6, colors.black, *twice)] if layout.ruled else []
    if layout.ruled and layout.rules == "horizontal":
        rules = [("LINEABOVE", (0, 0), (-1, 0), 0.6, colors.black), ("LINEBELOW", (0, 0), (-1, -1), 0.6, colors.black)]
    elif layout.ruled and layout.rules == "three_line":
        head = _header_rows(block) - 1
        rules = [("LINEABOVE", (0, 0), (-1, 0), 1.2, colors.black), ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.black),
                 *([("LINEBELOW", (0, head), (-1, head), 0.6, colors.black)] if head >= 0 else [])]
    pads = [("LEFTPADDING", (0, 0), (-1, -1), layout.padding), ("RIGHTPADDING", (0, 0), (-1, -1), layout.padding)]
    table.setStyle(TableStyle([*rules, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *pads, *spans]))
    return table


def _header_rows(block: Grid) -> int:
    """Rows before the first that prints a value (表二: none; its blocks have headers of their own)."""
    from extract.parse.values import looks_like_value

    if table_width(block) == 4:
        return 0
    return next((i for i, row in enumerate(block) if any(looks_like_value(t) for t, _, _ in row)), 0)


def Sideways(text: str, font: str, size: float):  # noqa: N802 - a flowable's constructor
    """``text`` drawn rotated 90° (read bottom to top), as Word's vertical text direction prints it."""
    from reportlab.platypus import Flowable

    class _Sideways(Flowable):
        def wrap(self, available_width, available_height):
            from reportlab.pdfbase.pdfmetrics import stringWidth

            self.length = stringWidth(text, font, size)
            return size + 2, self.length

        def draw(self):
            self.canv.saveState()
            self.canv.setFont(font, size)
            self.canv.rotate(90)
            self.canv.drawString(0, -size, text)
            self.canv.restoreState()

    return _Sideways()


BREAK_LABELS = {"other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "other_fee_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "not_processed_confirm_reissue": "5.要求行政机关确认或重新出具已获取信息",
                "denied_law_prohibited": "2.其他法律行政法规禁止公开"}
"""表三 labels long enough to wrap, that a page break can cut."""


def chars_per_line(style: Style) -> int:
    """Characters of a 表三 sub-label (1.属于国家秘密 …) that one line of its column holds."""
    return max(1, int((style.label_width - 12) // style.font_size))


FRAME = 841.89 - 100 - 12  # A4 less the margins and the frame's padding (portrait)
HEADING = 24.0  # 表三's heading, printed above it on its first page


def _paginated(block: Grid, cell_style, layout: PdfLayout) -> list[Grid]:
    """表三 as one table (reportlab breaks it) when it fits, else cut into pages by hand: needed when
    the rows under 三、本年度办理结果 are taller than a page, or to break inside ``break_in_row``."""
    forced = None
    if layout.break_in_row:
        block, forced = _split_break_row(block, layout)
    heights = _table_heights(block, cell_style, layout)
    frame = layout.page[1] - 112
    if layout.table3_pages > 1:
        step = (len(block) - 3) / layout.table3_pages
        cuts = [3 + round(step * i) for i in range(1, layout.table3_pages)]
    elif forced is None and sum(heights[5:]) < frame * 0.9:
        return [block]
    else:
        header = sum(heights[:3]) if layout.repeat_header else 0.0
        cuts = _cuts(heights, forced, frame * 0.93 - header, frame)
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
    table.wrap(layout.page[0] - 100, 1e6)  # a long table stops measuring rows at the height it is given
    return list(table._rowHeights)


def _cuts(heights: list[float], forced: int | None, room: float, frame: float = FRAME) -> list[int]:
    """The rows that start a page: greedy, and with ``forced`` one starts there, the page
    before it filled up to it."""
    first_room = frame * 0.93 - HEADING - sum(heights[:3])

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
