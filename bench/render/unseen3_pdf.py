"""PDFs a reviewer brings (third round): tables with shaded rows (header grey, body rows banded,
as Word's table styles and WPS's 表格样式 print them: filled rectangles under the text), numbers
in another font and size than the labels, labels centred or right-aligned in their cells, a
page header and footer each with a rule across the page (Word's 页眉横线), very narrow value
columns (numbers a few points apart), and a web page turned into a PDF by LibreOffice."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from render.pdf import PdfLayout, _font, build_pdf
from render.report import Report, is_table3, placed_cells, table_width
from render.template import Grid
from render.tools import soffice_convert
from render.variants import WIDE, Style, cut, narrow_style


def _is_value(text: str) -> bool:
    from extract.parse.values import looks_like_value

    return looks_like_value(text)


@dataclass(frozen=True)
class Look:
    """How :func:`shaded_pdf` draws a table's cells."""

    style: Style = WIDE
    ruled: bool = True
    shading: str = ""  # "" | header | banded | both
    label_align: int = 0  # 0 left, 1 centred, 2 right
    number_align: int = 1
    label_size: float = 8.0
    number_size: float = 8.0
    number_font: str = "STSong-Light"
    valign: str = "MIDDLE"
    padding: float = 4.0
    font: str = "STSong-Light"


def _header_rows(block: Grid) -> int:
    if table_width(block) == 4:
        return 0
    return next((i for i, row in enumerate(block) if any(_is_value(t) for t, _, _ in row)), 0)


def _table(block: Grid, look: Look):
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    label = ParagraphStyle("label3", fontName=look.font, fontSize=look.label_size, leading=look.label_size + 2,
                           wordWrap="CJK", alignment=look.label_align)
    number = ParagraphStyle("number3", fontName=look.number_font, fontSize=look.number_size,
                            leading=look.number_size + 2, alignment=look.number_align)
    width = table_width(block)
    grid: list[list[object]] = [[""] * width for _ in block]
    commands: list[tuple] = []
    for r, c, text, rowspan, colspan in placed_cells(block):
        if text:
            value = _is_value(text) and text.isascii()
            grid[r][c] = Paragraph(text, number if value else label)
        if rowspan > 1 or colspan > 1:
            commands.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
    head = _header_rows(block)
    if look.shading in ("header", "both") and head:
        commands.append(("BACKGROUND", (0, 0), (-1, head - 1), colors.Color(0.78, 0.78, 0.78)))
    if look.shading in ("banded", "both"):
        commands.append(("ROWBACKGROUNDS", (0, head), (-1, -1), [colors.Color(0.9, 0.93, 0.97), colors.white]))
    if table_width(block) == 4 and look.shading:  # 表二's block titles and header rows shaded as headers
        for r, row in enumerate(block):
            if len(row) == 1 or row[0][0] == "信息内容":
                commands.append(("BACKGROUND", (0, r), (-1, r), colors.Color(0.82, 0.82, 0.82)))
    if look.ruled:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    commands += [("VALIGN", (0, 0), (-1, -1), look.valign), ("LEFTPADDING", (0, 0), (-1, -1), look.padding),
                 ("RIGHTPADDING", (0, 0), (-1, -1), look.padding)]
    table = Table(grid, colWidths=look.style.widths(width), repeatRows=0)
    table.setStyle(TableStyle(commands))
    return table


def shaded_pdf(report: Report, look: Look, canvas: type | None = None) -> bytes:
    """The report as an A4 PDF, its tables drawn by ``look`` (reportlab splits long tables; 表三,
    whose 三、本年度办理结果 cell spans rows reportlab cannot split, cut by hand into pages if it
    does not fit on one)."""
    from reportlab.platypus.doctemplate import LayoutError

    for pages in (1, 2, 3, 4):
        try:
            return _build(report, look, canvas, pages)
        except LayoutError:
            continue
    raise RuntimeError("表三 does not fit on four pages")


def _build(report: Report, look: Look, canvas: type | None, table3_pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    for font in {look.font, look.number_font}:
        if font not in ("Times-Roman", "Helvetica", "Helvetica-Bold", "Times-Bold", "Courier"):
            _font(font)
    body = ParagraphStyle("body3", fontName=look.font, fontSize=11, leading=18, wordWrap="CJK")
    title = ParagraphStyle("title3", parent=body, fontSize=16, leading=24, alignment=1)
    story: list = []
    for kind, block in report.blocks:
        if kind != "table":
            story.append(Paragraph(str(block), title if kind == "title" else body))
            continue
        parts = [block]
        if is_table3(block) and table3_pages > 1:  # type: ignore[arg-type]
            rest, parts, done = block, [], 3
            step = (len(block) - 3) / table3_pages  # type: ignore[arg-type]
            for at in [3 + round(step * i) for i in range(1, table3_pages)]:
                first, rest = cut(rest, at - done)  # type: ignore[arg-type]
                parts.append(first)
                done = at
            parts.append(rest)
        for index, part in enumerate(parts):
            story += [PageBreak()] * (index > 0) + [_table(part, look)]  # type: ignore[arg-type]

    def footer(canvas, doc) -> None:
        canvas.setFont(look.font, 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=60, bottomMargin=55,
                      title=report.title).build(story, onFirstPage=footer, onLaterPages=footer,
                                                **({"canvasmaker": canvas} if canvas else {}))
    return buffer.getvalue()


def row_shading(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """Header rows shaded grey and body rows banded (or one of the two, by seed), ruled or not."""
    shading = ["both", "banded", "header", "both"][seed % 4]
    style = WIDE if seed % 2 == 0 else narrow_style(seed)
    look = Look(style, ruled=ruled, shading=shading, label_size=style.font_size, number_size=style.font_size)
    return shaded_pdf(report, look), "pdf"


def font_sizes(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """Numbers in a Latin font at another size than the labels: 10.5 pt Times beside 7.5 pt labels
    (even seeds), or 6.5 pt beside 10 pt labels (odd); cells aligned to the top or the bottom by seed."""
    rng = random.Random(seed)
    big = seed % 2 == 0
    style = Style(font_size=7.5 if big else 10.0, number_font="Times-Roman", result_width=24, group_width=72,
                  label_width=140 if big else 150, item_width=150, label_chars=12, value_width=33.0)
    look = Look(style, ruled=ruled, label_size=style.font_size, number_size=10.5 if big else 6.5,
                number_font=rng.choice(["Times-Roman", "Helvetica", "Times-Bold"]),
                valign=["MIDDLE", "TOP", "BOTTOM"][seed % 3], number_align=seed % 3)
    return shaded_pdf(report, look), "pdf"


def aligned_labels(report: Report, seed: int = 0, ruled: bool = True, align: int = 1) -> tuple[bytes, str]:
    """Labels centred (Word's 居中 for the whole table, the commonest) or right-aligned in their
    cells, wrapping lines centred or right-aligned too; numbers centred."""
    style = WIDE if seed % 2 == 0 else narrow_style(seed)
    look = Look(style, ruled=ruled, label_align=align, label_size=style.font_size, number_size=style.font_size)
    return shaded_pdf(report, look), "pdf"


def _rules_canvas(head: str, foot: str):
    """A canvas printing on every page a header line of text above a rule across the page, and a
    rule above the footer's text (Word's 页眉横线 and a footer with a rule)."""
    from reportlab.pdfgen.canvas import Canvas

    class HeaderFooterRules(Canvas):
        def showPage(self):
            width, height = self._pagesize
            self.saveState()
            self.setFont("STSong-Light", 9)
            self.drawString(50, height - 38, head)
            self.drawRightString(width - 50, height - 38, f"第{self._pageNumber}页")
            self.setLineWidth(0.75)
            self.line(45, height - 43, width - 45, height - 43)
            self.setLineWidth(0.5)
            self.line(45, 44, width - 45, 44)
            self.drawString(50, 34, foot)
            self.restoreState()
            super().showPage()

    return HeaderFooterRules


def header_footer_rules(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """A PDF whose every page has a header above a rule across the page and a rule above the footer."""
    _font("STSong-Light")
    head = f"{report.agency}政府信息公开工作年度报告（{report.year}年）"
    foot = f"{report.agency}办公室 {report.year + 1}年1月印发"
    style = WIDE if seed % 2 == 0 else narrow_style(seed)
    if seed % 3 == 2:
        look = Look(style, ruled=ruled, label_size=style.font_size, number_size=style.font_size)
        return shaded_pdf(report, look, canvas=_rules_canvas(head, foot)), "pdf"
    return build_pdf(report, PdfLayout(style, ruled=ruled, canvas=_rules_canvas(head, foot),
                                       page_numbers=False)), "pdf"


def narrow_columns(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """Value columns 17–22 points wide at 8–9 pt with 1–2 points of padding: a three-digit number
    fills its column and stands 2–5 points from the next (a portrait 表三 squeezed to fit)."""
    rng = random.Random(seed)
    size = rng.choice([8.0, 8.5, 9.0])
    value = rng.choice([17.0, 19.0, 22.0])
    style = Style(font_size=size, number_font="STSong-Light", result_width=24, group_width=80, label_width=190,
                  item_width=150, label_chars=14, value_width=value)
    look = Look(style, ruled=ruled, label_size=size, number_size=size, number_align=seed % 3,
                padding=rng.choice([1.0, 2.0]))
    return shaded_pdf(report, look), "pdf"


def libreoffice_html_pdf(report: Report, seed: int = 0, page: str = "plain") -> tuple[bytes, str]:
    """A web page (a plain page, or the Word-pasted government page with its chrome) as LibreOffice
    prints it to PDF."""
    from render.html import to_html
    from render.unseen2 import html_page

    data = html_page(report)[0] if page == "plain" else to_html(report, "utf-8")
    return soffice_convert(data, "pdf:writer_web_pdf_Export", source="html"), "pdf"
