"""Image-only PDFs ("图片版"): pages rasterised with pypdfium2, no text layer."""

from __future__ import annotations

import io


def to_scanned_pdf(pdf: bytes, dpi: int = 200) -> bytes:
    """An image-only PDF ("图片版"): each page of ``pdf`` rasterised, no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(document))]
    document.close()
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
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
