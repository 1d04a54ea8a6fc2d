"""Image-only PDFs ("图片版"): pages rasterised with pypdfium2, or typeset again with a named CJK font
and degraded like a scan (skew, blur, noise, JPEG), no text layer.

:func:`typeset_scan` does not depend on the machine's default fonts: every character of the
born-digital PDF (reportlab's ``STSong-Light``, which has no glyphs of its own) is drawn at its
own position with one of :data:`SCAN_FONTS`, found by name with ``fc-match``; a font that is not
installed is :class:`~render.tools.RenderSkipped` (``scripts/system-deps.sh`` installs them).
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from render.tools import RenderSkipped

SCAN_FONTS = {"noto_serif": "Noto Serif CJK SC", "wqy_zenhei": "WenQuanYi Zen Hei", "ar_pl_uming": "AR PL UMing CN"}
"""Short name → fontconfig family of the fonts scans are typeset in (Debian: fonts-noto-cjk,
fonts-wqy-zenhei, fonts-arphic-uming)."""


@dataclass(frozen=True)
class ScanStyle:
    """How a page is typeset and degraded: font (a key of :data:`SCAN_FONTS`), resolution,
    skew in degrees, Gaussian blur radius in pixels at 200 dpi, noise (standard deviation in grey
    levels), JPEG quality."""

    font: str = "noto_serif"
    dpi: int = 200
    skew: float = 0.0
    blur: float = 0.0
    noise: float = 0.0
    jpeg_quality: int = 90
    seed: int = 0


def to_scanned_pdf(pdf: bytes, dpi: int = 200) -> bytes:
    """An image-only PDF ("图片版"): each page of ``pdf`` rasterised, no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(document))]
    document.close()
    return _images_pdf(images, dpi)


def _images_pdf(images: list, dpi: int, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality)
    return buffer.getvalue()


def with_scanned_pages(pdf: bytes, scanned: set[int], dpi: int = 100) -> bytes:
    """``pdf`` with the given (1-based) pages replaced by images of themselves."""
    import pypdfium2 as pdfium

    images = pdfium.PdfDocument(to_scanned_pdf(pdf, dpi))
    source = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    for index in range(len(source)):
        out.import_pages(images if index + 1 in scanned else source, [index])
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=8)
def font_file(font: str) -> tuple[str, int]:
    """(path, face index) of a :data:`SCAN_FONTS` font, or :class:`RenderSkipped` when not installed."""
    family = SCAN_FONTS[font]
    if shutil.which("fc-match") is None:
        raise RenderSkipped("fontconfig's fc-match is not installed")
    found = subprocess.run(["fc-match", "-f", "%{file}|%{index}|%{family}", family], capture_output=True,
                           text=True, check=False).stdout
    path, _, rest = found.partition("|")
    index, _, families = rest.partition("|")
    if family.lower() not in families.lower():
        raise RenderSkipped(f"the font {family!r} is not installed (scripts/system-deps.sh)")
    return path, int(index or 0)


def _page_image(page, style: ScanStyle):
    """One pdfplumber page drawn again: its rules as lines, its characters in ``style.font``."""
    from PIL import Image, ImageDraw, ImageFont

    scale = style.dpi / 72
    image = Image.new("L", (round(float(page.width) * scale), round(float(page.height) * scale)), 255)
    draw = ImageDraw.Draw(image)
    width = max(1, round(0.6 * scale))
    for line in page.lines:
        draw.line([(float(line["x0"]) * scale, float(line["top"]) * scale),
                   (float(line["x1"]) * scale, float(line["bottom"]) * scale)], fill=0, width=width)
    for rect in page.rects:
        x0, top, x1, bottom = (float(rect[k]) * scale for k in ("x0", "top", "x1", "bottom"))
        if x1 - x0 < 3 * scale or bottom - top < 3 * scale:  # a rule drawn as a thin rectangle
            draw.rectangle([x0, top, max(x1, x0 + width - 1), max(bottom, top + width - 1)], fill=0)
    path, index = font_file(style.font)
    fonts: dict[int, object] = {}
    for char in page.chars:
        if not char["text"].strip():
            continue
        size = max(4, round(float(char["size"]) * scale))
        font = fonts.get(size) or fonts.setdefault(size, ImageFont.truetype(path, size, index=index))
        x = float(char["x0"]) * scale
        baseline = float(char["bottom"]) * scale - size * 0.12
        draw.text((x, baseline), char["text"], font=font, fill=0, anchor="ls")
    return image


def _degrade(image, style: ScanStyle, page_no: int):
    """Skew, blur and noise, then a JPEG round trip."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(style.seed * 1000 + page_no)
    if style.skew:
        angle = style.skew if page_no % 2 == 0 else -style.skew * rng.uniform(0.5, 1.0)
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if style.blur:
        image = image.filter(ImageFilter.GaussianBlur(style.blur * style.dpi / 200))
    if style.noise:
        pixels = np.asarray(image, dtype=np.float32)
        noise = np.random.default_rng(style.seed * 1000 + page_no).normal(0, style.noise, pixels.shape)
        image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "L")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=style.jpeg_quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")


def typeset_scan(pdf: bytes, style: ScanStyle = ScanStyle(), pages: list[int] | None = None) -> bytes:  # noqa: B008
    """An image-only PDF of ``pdf`` (its given 1-based ``pages``, default all) typeset in ``style.font``
    at ``style.dpi`` and degraded as ``style`` says."""
    import pdfplumber

    images = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page_no, page in enumerate(document.pages, 1):
            if pages is None or page_no in pages:
                images.append(_degrade(_page_image(page, style), style, page_no))
    return _images_pdf(images, style.dpi, style.jpeg_quality)


def scanned_report(report, style: ScanStyle = ScanStyle(), ruled: bool = True) -> bytes:  # noqa: B008
    """The report as a scan: its ruled PDF (or the borderless one with narrow wrapping labels)
    typeset in ``style``."""
    from render.pdf import PdfLayout, build_pdf, to_pdf
    from render.variants import narrow_style

    pdf = to_pdf(report) if ruled else build_pdf(report, PdfLayout(narrow_style(style.seed), ruled=False))
    return typeset_scan(pdf, style)
