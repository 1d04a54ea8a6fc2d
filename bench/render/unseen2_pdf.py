"""PDFs a reviewer brings (second round): table rules drawn as thin filled rectangles (as Word's
"save as PDF" draws cell borders), and pages a portal stamped on download with a watermark (its
name, a date and time) drawn diagonally or in upright tiles, under or over the text."""

from __future__ import annotations

from render.pdf import PdfLayout, build_pdf
from render.report import Report
from render.variants import WIDE, narrow_style


def _rect_canvas():
    """A canvas drawing every line as a filled rectangle as wide as the line is thick."""
    from reportlab.pdfgen.canvas import Canvas

    class RectRules(Canvas):
        def line(self, x1, y1, x2, y2):
            width = max(self._lineWidth, 0.25)
            self.saveState()
            self.setFillColor(self._strokeColorObj)
            x, y = min(x1, x2) - width / 2, min(y1, y2) - width / 2
            self.rect(x, y, abs(x2 - x1) + width, abs(y2 - y1) + width, stroke=0, fill=1)
            self.restoreState()

    return RectRules


def rect_rules_pdf(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """A ruled PDF whose rules are filled rectangles 0.5–1 point thick (wide or narrow labels by seed)."""
    style = WIDE if seed % 2 == 0 else narrow_style(seed)
    return build_pdf(report, PdfLayout(style, canvas=_rect_canvas(), vertical_group_label=seed % 4 == 0)), "pdf"


def _watermark_canvas(text: str, diagonal: bool, over: bool, font: str = "STSong-Light"):
    """A canvas stamping ``text`` on every page: light grey, large, diagonally (four times) or in
    upright tiles (a grid of small copies), drawn after the page's text (``over``) or before it."""
    from reportlab.pdfgen.canvas import Canvas

    def stamp(canvas) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColorRGB(0.82, 0.82, 0.82)
        if diagonal:
            canvas.setFont(font, 28)
            for step in range(4):
                canvas.saveState()
                canvas.translate(width / 2, height * (0.15 + 0.23 * step))
                canvas.rotate(35)
                canvas.drawCentredString(0, 0, text)
                canvas.restoreState()
        else:
            canvas.setFont(font, 9)
            for row in range(9):
                for col in range(2):
                    canvas.drawString(60 + col * 260, 90 + row * 85, text)
        canvas.restoreState()

    class Stamped(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pending = not over

        def showPage(self):
            if over:
                stamp(self)
            super().showPage()
            self._pending = not over

        def saveState(self):  # the page's first drawing stamps it first, under the rest
            if getattr(self, "_pending", False):
                self._pending = False
                stamp(self)
            super().saveState()

    return Stamped


def watermark_pdf(report: Report, seed: int = 0, diagonal: bool = True, ruled: bool = True) -> tuple[bytes, str]:
    """A PDF stamped on download: ``某市人民政府门户网站 2024-01-20 10:32:15`` (the portal, the
    date and time of download), under the text (even seeds) or over it."""
    text = f"{report.agency}门户网站 {report.year + 1}-01-{20 + seed % 5} 10:3{seed % 10}:15"
    layout = PdfLayout(WIDE if seed % 3 else narrow_style(seed), ruled=ruled,
                       canvas=_watermark_canvas(text, diagonal, over=seed % 2 == 1))
    return build_pdf(report, layout), "pdf"
