"""PDFs a reviewer brings (fourth round): pages as print drivers (Word's "Microsoft Print to PDF",
WPS's 输出为PDF with 字符间距) write them, every character placed on its own (``BT … Td (x) Tj ET``
per glyph), digits in a Latin font inside the CJK table, letter spacing, short labels distributed
over their cell (分散对齐), and the content stream ordered by font rather than by reading order;
表三 continued on the next page under a ``续表`` line with its header printed again, a running
page header with a rule and a ``- n -`` footer between; and portrait reports whose 表三 alone is
on a landscape page (a landscape section), stored turned (``/Rotate 90``), or printed sideways
on a portrait page."""

from __future__ import annotations

import copy
import io
import random

from render.pdf import PdfLayout, _font, _table, build_pdf
from render.report import Report, is_table3, placed_cells, table_width
from render.template import TABLE3_HEADER, Grid
from render.variants import WIDE, cut, narrow_style

CJK = "STSong-Light"
PAGE = (595.27, 841.89)


def _is_value(text: str) -> bool:
    from extract.parse.values import looks_like_value

    return looks_like_value(text)


# --- every glyph placed on its own ----------------------------------------------------------------

class _Glyphs:
    """A page's glyphs, drawn one ``drawString`` each when the page ends (by font first, then
    position, with ``by_font``: a print driver writing each font's glyphs together)."""

    def __init__(self, canvas, latin: str, tracking: float, by_font: bool) -> None:
        self.canvas, self.latin, self.tracking, self.by_font = canvas, latin, tracking, by_font
        self.pending: list[tuple[str, float, float, float, str]] = []
        self.page = 1

    def font(self, char: str) -> str:
        return self.latin if char.isascii() else CJK

    def width(self, text: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(ch, self.font(ch), size) for ch in text) + self.tracking * max(0, len(text) - 1)

    def text(self, text: str, x: float, y: float, size: float, gap: float | None = None) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        for char in text:
            font = self.font(char)
            self.pending.append((font, size, x, y, char))
            x += stringWidth(char, font, size) + (self.tracking if gap is None else gap)

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        lines, line = [], ""
        for char in text:
            if line and self.width(line + char, size) > width:
                lines.append(line)
                line = ""
            line += char
        return [*lines, line] if line or not lines else lines

    def end_page(self) -> None:
        c = self.canvas
        c.setFont(CJK, 9)
        c.drawCentredString(PAGE[0] / 2, 30, f"- {self.page} -")
        glyphs = sorted(self.pending, key=lambda g: (g[0], -g[3], g[2])) if self.by_font else self.pending
        for font, size, x, y, char in glyphs:
            c.setFont(font, size)
            c.drawString(x, y, char)
        self.pending = []
        self.page += 1
        c.showPage()


def _glyph_table(g: _Glyphs, block: Grid, top: float, ruled: bool, distribute: bool, size: float) -> float:
    """Draw ``block`` with its top at ``top``; returns its bottom."""
    widths = WIDE.widths(table_width(block))
    xs = [50.0]
    for w in widths:
        xs.append(xs[-1] + w)
    leading, pad = size + 3, 3.0
    placed = list(placed_cells(block))
    lines = [g.wrap(t, xs[c + cs] - xs[c] - 2 * pad, size) if t else [] for _, c, t, _, cs in placed]
    heights = [leading + 2 * pad] * len(block)
    for (r, _, _, rs, _), ls in zip(placed, lines, strict=True):
        if rs == 1:
            heights[r] = max(heights[r], len(ls) * leading + 2 * pad)
    for (r, _, _, rs, _), ls in zip(placed, lines, strict=True):
        room = sum(heights[r:r + rs])
        if rs > 1 and room < len(ls) * leading + 2 * pad:
            heights[r + rs - 1] += len(ls) * leading + 2 * pad - room
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    for (r, c, text, rs, cs), ls in zip(placed, lines, strict=True):
        x0, x1, y0, y1 = xs[c], xs[c + cs], ys[r], ys[r + rs]
        if ruled:
            g.canvas.setLineWidth(0.5)
            g.canvas.rect(x0, y1, x1 - x0, y0 - y1, stroke=1, fill=0)
        first = (y0 + y1) / 2 + len(ls) * leading / 2 - size  # the lines centred in the cell
        for n, line in enumerate(ls):
            y = first - n * leading
            room = x1 - x0 - 2 * pad
            used = g.width(line, size)
            if _is_value(text):
                g.text(line, x0 + pad + (room - used) / 2, y, size)
            elif distribute and len(ls) == 1 and 1 < len(line) <= 8:
                bare = g.width(line, size) - g.tracking * (len(line) - 1)
                g.text(line, x0 + pad, y, size, gap=(room - bare) / (len(line) - 1))
            else:
                g.text(line, x0 + pad, y, size)
    return ys[-1]


def glyph_pdf(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """Every character its own text object, at its own position: letter spacing of 0.4–2 points by
    seed, digits in Times or Helvetica, short labels distributed over their cells (even seeds), the
    glyphs written font by font (seeds 2, 3 mod 4)."""
    from reportlab.pdfgen.canvas import Canvas

    _font(CJK)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE)
    canvas.setTitle(report.title)
    g = _Glyphs(canvas, ["Times-Roman", "Helvetica", "Times-Roman"][seed % 3], [0.4, 1.2, 2.0][seed % 3],
                by_font=seed % 4 >= 2)
    size = 8.0
    y = PAGE[1] - 60
    for kind, block in report.blocks:
        if kind == "table":
            bottom = _glyph_table(_Probe(g), block, 0, ruled, seed % 2 == 0, size)  # type: ignore[arg-type]
            if y + bottom < 60:
                g.end_page()
                y = PAGE[1] - 60
            y = _glyph_table(g, block, y, ruled, seed % 2 == 0, size) - 14  # type: ignore[arg-type]
            continue
        text_size = 16.0 if kind == "title" else 10.5
        lines = g.wrap(str(block), PAGE[0] - 100 - (0 if kind == "title" else 21), text_size)
        for n, line in enumerate(lines):
            if y < 70:
                g.end_page()
                y = PAGE[1] - 60
            if kind == "title":
                x = (PAGE[0] - g.width(line, text_size)) / 2
            else:
                x = 50 + (21 if n == 0 else 0)
            g.text(line, x, y, text_size)
            y -= text_size * 1.7
    g.end_page()
    canvas.save()
    return buffer.getvalue(), "pdf"


class _Probe(_Glyphs):
    """A :class:`_Glyphs` that measures and draws nothing (a table's height before it is placed)."""

    def __init__(self, real: _Glyphs) -> None:
        self.latin, self.tracking, self.by_font, self.pending = real.latin, real.tracking, False, []

        class _NoCanvas:
            def __getattr__(self, name):
                return lambda *a, **k: None
        self.canvas = _NoCanvas()

    def text(self, *args, **kwargs) -> None:
        return None


# --- 表三 continued under 续表 ---------------------------------------------------------------------

def _continued_at(block: Grid, cell, layout: PdfLayout, rng: random.Random) -> int:
    """A row to continue 表三 at: both parts (each under the header rows) fit on a page."""
    from render.pdf import _table_heights

    heights = _table_heights(block, cell, layout)
    head, room = sum(heights[:3]), (PAGE[1] - 130) * 0.92
    fits = [at for at in range(6, len(block) - 3)
            if head + sum(heights[3:at]) + 30 < room and head + sum(heights[at:]) + 30 < room]
    if not fits:
        raise RuntimeError("表三 does not fit on two pages")
    return rng.choice(fits)


CONTINUED = ("续表", "续表三", "（续表）", "表三（续）")


def continued_pdf(report: Report, seed: int = 0, ruled: bool = True) -> tuple[bytes, str]:
    """表三 cut at a row boundary (inside 三、本年度办理结果), the rest on the next page under a line
    ``续表`` (its forms by seed) and 表三's header rows printed again; 表二 continued so too with odd
    seeds; every page with a running header over a rule, and a ``- n -`` footer."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    rng = random.Random(seed)
    _font(CJK)
    style = WIDE if seed % 2 == 0 else narrow_style(seed)
    layout = PdfLayout(style, ruled=ruled, vertical_group_label=seed % 4 < 2)
    body = ParagraphStyle("body4", fontName=CJK, fontSize=11, leading=18, wordWrap="CJK")
    cell = ParagraphStyle("cell4", fontName=CJK, fontSize=style.font_size, leading=style.font_size + 2,
                          wordWrap="CJK")
    title = ParagraphStyle("title4", parent=body, fontSize=16, leading=24, alignment=1)
    mark = ParagraphStyle("mark4", parent=body, fontSize=10.5, alignment=seed % 2 * 2)
    label = CONTINUED[seed % 4]
    story: list = []
    for kind, block in report.blocks:
        if kind != "table":
            if kind == "h" and str(block).startswith("三、"):
                story.append(PageBreak())
            story.append(Paragraph(str(block), title if kind == "title" else body))
            continue
        if is_table3(block):  # type: ignore[arg-type]
            at = _continued_at(block, cell, layout, rng)  # type: ignore[arg-type]
            first, rest = cut(block, at)  # type: ignore[arg-type]
            story += [_table(first, cell, layout), PageBreak(), Paragraph(label, mark),
                      _table([*[list(r) for r in TABLE3_HEADER], *rest], cell, layout)]
        elif table_width(block) == 4 and seed % 2:  # type: ignore[arg-type]
            starts = [i for i, row in enumerate(block) if len(row) == 1]  # type: ignore[union-attr]
            at = starts[2]
            story += [_table(block[:at], cell, layout), PageBreak(), Paragraph("续表", mark),  # type: ignore[index]
                      _table(block[at:], cell, layout)]  # type: ignore[index]
        else:
            story.append(_table(block, cell, layout))  # type: ignore[arg-type]
    head = f"{report.agency}{report.year}年政府信息公开工作年度报告"

    def page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(CJK, 9)
        canvas.drawCentredString(PAGE[0] / 2, PAGE[1] - 34, head)
        canvas.setLineWidth(0.75)
        canvas.line(50, PAGE[1] - 40, PAGE[0] - 50, PAGE[1] - 40)
        canvas.drawCentredString(PAGE[0] / 2, 30, f"- {doc.page} -")
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=50, rightMargin=50, topMargin=56, bottomMargin=50,
                      title=report.title).build(story, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue(), "pdf"


# --- 表三 alone on a landscape page --------------------------------------------------------------

def _parts(report: Report) -> list[Report]:
    """The report cut into three: up to 表三's heading, the heading and 表三, the rest."""
    at = next(i for i, (kind, block) in enumerate(report.blocks) if kind == "table" and is_table3(block))  # type: ignore[arg-type]
    cuts = [report.blocks[:at - 1], report.blocks[at - 1:at + 1], report.blocks[at + 1:]]
    out = []
    for blocks in cuts:
        part = copy.copy(report)
        part.blocks = list(blocks)
        out.append(part)
    return out


def landscape_table3_pdf(report: Report, seed: int = 0, ruled: bool = False,
                         how: str = "landscape") -> tuple[bytes, str]:
    """A portrait report whose 表三 (with its heading) is alone on a landscape page: a landscape
    section (``how="landscape"``: a wide MediaBox), that page stored turned (``rotated``: a portrait
    MediaBox, ``/Rotate 90``), or printed sideways on a portrait page (``sideways``: no ``/Rotate``,
    the table read bottom to top). Borderless by default (a Word table with borders removed)."""
    import pypdfium2 as pdfium

    first, middle, last = _parts(report)
    style = WIDE if seed % 2 == 0 else narrow_style(seed)
    portrait = PdfLayout(style, ruled=ruled, page_numbers=False)
    wide = PdfLayout(style, ruled=ruled, landscape=True, page_numbers=False, page_rotation=how != "landscape",
                     vertical_group_label=seed % 2 == 0)
    out = pdfium.PdfDocument.new()
    for part, layout in ((first, portrait), (middle, wide), (last, portrait)):
        source = pdfium.PdfDocument(build_pdf(part, layout))
        start = len(out)
        out.import_pages(source)
        if how == "sideways" and part is middle:
            for index in range(start, len(out)):
                out[index].set_rotation(0)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue(), "pdf"
