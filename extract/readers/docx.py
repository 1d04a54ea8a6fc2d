"""Word ``.docx`` reports with python-docx.

The body is read in order: paragraphs become text lines, tables become grid
rows; text Word hides (``w:vanish`` runs, the sources of tracked moves) is not
read. Merged cells are read from the XML itself (``w:gridSpan`` and the
legacy ``w:hMerge`` across, ``w:vMerge`` down, ``w:gridBefore``/``w:gridAfter``
for skipped columns; cells inside content controls count), so a merged cell's
text sits in its first position only and is never repeated into the cells
it covers, which python-docx's ``row.cells`` would do. A count that is not a
whole number is 1 (``gridSpan``) or 0 (``gridBefore``/``gridAfter``); counts
and tables beyond the limits of :mod:`extract.layout.grid` are ``too_large``.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from extract.layout.grid import Grid, GridBudget, grid_lines, span_value, text_lines
from extract.parse.values import as_mark
from extract.readers.document import Document, Line
from extract.readers.errors import ReaderError

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_zip(data: bytes, what: str) -> None:
    """Refuse a file that is not a ZIP package, or that would unzip to far more than it is."""
    if data.startswith(_OLE):
        raise ReaderError("encrypted_or_legacy", f"the {what} is an OLE file: a password-protected "
                          "Word file or a legacy .doc saved with a .docx name")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unzipped = sum(info.file_size for info in package.infolist())
    except zipfile.BadZipFile:
        raise ReaderError("corrupt_docx", f"the {what} is not a valid ZIP package") from None
    if unzipped > MAX_UNZIPPED_BYTES or unzipped > MAX_RATIO * max(len(data), 1):
        raise ReaderError("zip_bomb", f"the {what} would unzip to {unzipped} bytes from {len(data)}: refused")


_OFF = ("0", "false", "off")


def _hidden(run) -> bool:
    """A run Word does not show: hidden text (``w:vanish``, as templates keep notes or last year's
    figures), or the source of a tracked move (``w:moveFrom``: its text is shown at ``w:moveTo``)."""
    if run is None:
        return False
    if run.getparent() is not None and run.getparent().tag == qn("w:moveFrom"):
        return True
    mark = run.find(f"{qn('w:rPr')}/{qn('w:vanish')}")
    return mark is not None and mark.get(qn("w:val"), "true").lower() not in _OFF


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _walk(element):
    """``element`` and its descendants in document order, without those Word does not show as this
    element's text: the ``mc:Fallback`` copy of content it shows from ``mc:Choice`` (a text box is
    saved twice, as a drawing and as VML), and the content of text boxes (``w:txbxContent``, read as
    blocks of their own by :func:`_blocks`)."""
    yield element
    for child in element:
        if child.tag not in (_FALLBACK, qn("w:txbxContent")):
            yield from _walk(child)


def _text_boxes(element):
    """The ``w:txbxContent`` of the text boxes anchored in ``element`` (the shown copy only)."""
    for child in element:
        if child.tag == qn("w:txbxContent"):
            yield child
        elif child.tag != _FALLBACK:
            yield from _text_boxes(child)


def _text(element) -> str:
    """Text of a paragraph or cell: ``w:t`` runs (superscript ones as marks; hidden ones and the
    sources of tracked moves left out), with ``w:br``/``w:cr`` and paragraphs as breaks."""
    parts: list[str] = []
    for node in _walk(element):
        if node.tag in (qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab")) and _hidden(node.getparent()):
            continue
        if node.tag == qn("w:t"):
            raised = _val(node.getparent(), f"{qn('w:rPr')}/{qn('w:vertAlign')}") == "superscript"
            parts.append(as_mark(node.text or "") if raised else node.text or "")
        elif node.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif node.tag == qn("w:tab"):
            parts.append(" ")
        elif node.tag == qn("w:p") and parts:
            parts.append("\n")
    return "".join(parts)


def _val(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(qn("w:val"), "")


def _cells(tr) -> list:
    """A ``w:tr``'s ``w:tc`` cells in order, those inside cell-level content controls
    (``w:sdt``/``w:sdtContent``, a form template's) or ``w:customXml`` included."""
    out = []
    for child in tr:
        if child.tag == qn("w:tc"):
            out.append(child)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            out += _cells(content) if content is not None else []
        elif child.tag == qn("w:customXml"):
            out += _cells(child)
    return out


def _row_counts(tr) -> tuple[int, list[int], int]:
    """A ``w:tr``'s skipped columns before, each cell's ``gridSpan``, and skipped columns after."""
    before = span_value(_val(tr, f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0, "gridBefore")
    spans = []
    for tc in _cells(tr):
        props = tc.find(qn("w:tcPr"))
        spans.append(span_value(_val(props, qn("w:gridSpan")), 1, "gridSpan") if props is not None else 1)
    after = span_value(_val(tr, f"{qn('w:trPr')}/{qn('w:gridAfter')}"), 0, "gridAfter")
    return before, spans, after


def table_grid(tbl, budget: GridBudget | None = None) -> Grid:
    """A ``w:tbl`` as a grid; merged positions are ``None``.

    Its size (every row's skipped columns and spans) is counted in ``budget`` (a fresh
    one if not given) before the grid is built.
    """
    rows = [(tr, _row_counts(tr)) for tr in tbl.iter(qn("w:tr"))]
    if budget is None:
        budget = GridBudget()
    budget.spend(sum(before + sum(spans) + after for _, (before, spans, after) in rows))
    grid: Grid = []
    for tr, (before, spans, after) in rows:
        row: list[str | None] = [None] * before
        for tc, span in zip(_cells(tr), spans, strict=True):
            props = tc.find(qn("w:tcPr"))
            vmerge = _val(props, qn("w:vMerge")) if props is not None else None
            hmerge = _val(props, qn("w:hMerge")) if props is not None else None
            continued = (vmerge is not None and vmerge != "restart") or (hmerge is not None and hmerge != "restart")
            row.append(None if continued else _text(tc))
            row += [None] * (span - 1)
        row += [None] * after
        grid.append(row)
    return grid


def _blocks(parent):
    """Paragraphs and tables in body order, looking inside content controls, and after a paragraph
    the blocks of the text boxes anchored in it (a table laid out in a text box)."""
    for child in parent:
        if child.tag == qn("w:tbl"):
            yield child
        elif child.tag == qn("w:p"):
            yield child
            for box in _text_boxes(child):
                yield from _blocks(box)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def docx_document(data: bytes, source_format: str = "docx") -> Document:
    """Read the bytes of a ``.docx`` package."""
    check_zip(data, "Word file")
    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise ReaderError("corrupt_docx", f"the Word file cannot be opened: {error}") from None
    lines: list[Line] = []
    budget = GridBudget()
    for block in _blocks(word.element.body):
        if block.tag == qn("w:p"):
            lines += text_lines(_text(block).split("\n"), None, "text", len(lines) + 1)
        else:
            lines += grid_lines(table_grid(block, budget), None, "grid", len(lines) + 1)
    title = word.core_properties.title or None
    return Document(source_format=source_format, lines=lines, title_hint=title)


def read_docx(data: bytes) -> Document:
    """Read a ``.docx`` report."""
    if not data.strip():
        raise ReaderError("empty_file", "the file is empty")
    return docx_document(data)
