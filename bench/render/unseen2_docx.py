"""Word files a reviewer brings (second round): WPS-style runs (a number's digits in separate runs
between proof marks and bookmarks, ``w:vMerge w:val="continue"``, blank cells holding a space,
labels broken by soft line breaks), 总计 cells that are ``=SUM(LEFT)`` fields, hidden runs
(``w:vanish``) left in value cells; DOCX saved as ``.doc``, ``.rtf`` or ``.odt`` by LibreOffice,
and a DOCX set with expanded character spacing and distributed labels (Word's 分散对齐), printed
to PDF by LibreOffice."""

from __future__ import annotations

from render.report import Report, table_width
from render.tools import soffice_convert
from render.word import docx_bytes, word_tables

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _is_value(text: str) -> bool:
    from extract.parse.values import looks_like_value

    return looks_like_value(text)


def _xml(markup: str):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    name = markup[1:].split(" ", 1)[0].split(">", 1)[0].split("/", 1)[0]
    return parse_xml(markup.replace(f"<{name}", f"<{name} {nsdecls('w')}", 1))


def _run(text: str, latin: bool = True, hidden: bool = False, spacing: int = 0) -> object:
    fonts = ('<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312"/>'
             if latin else '<w:rFonts w:hint="eastAsia"/>')
    props = fonts + ("<w:vanish/>" if hidden else "") + (f'<w:spacing w:val="{spacing}"/>' if spacing else "") + \
        '<w:sz w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>'
    return _xml(f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>')


def _clear(paragraph) -> None:
    for child in list(paragraph):
        if child.tag != f"{W}pPr":
            paragraph.remove(child)


def _wps_cell(cell, text: str, index: int) -> None:
    """A cell as WPS writes it: a number's digits in runs of their own (proof marks and a bookmark
    between), a blank as a run holding a space, a long label broken by a soft line break."""
    p = cell.paragraphs[0]._p
    _clear(p)
    if not text:
        p.append(_run(" "))
        return
    if _is_value(text):
        p.append(_xml(f'<w:bookmarkStart w:id="{index}" w:name="_Toc{index}"/>'))
        for i, char in enumerate(text):
            if i == 1:
                p.append(_xml('<w:proofErr w:type="spellStart"/>'))
            p.append(_run(char, latin=i % 2 == 0))
        p.append(_xml('<w:proofErr w:type="spellEnd"/>'))
        p.append(_xml(f'<w:bookmarkEnd w:id="{index}"/>'))
        return
    parts = [text[i:i + 8] for i in range(0, len(text), 8)] if len(text) > 10 else [text]
    for i, part in enumerate(parts):
        if i:
            p.append(_xml("<w:r><w:br/></w:r>"))
        p.append(_run(part, latin=False))


def _sum_field(cell, text: str) -> None:
    """The cell's number as the cached result of a ``=SUM(LEFT)`` field."""
    p = cell.paragraphs[0]._p
    _clear(p)
    p.append(_xml('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'))
    p.append(_xml('<w:r><w:instrText xml:space="preserve"> =SUM(LEFT) \\* MERGEFORMAT </w:instrText></w:r>'))
    p.append(_xml('<w:r><w:fldChar w:fldCharType="separate"/></w:r>'))
    p.append(_run(text))
    p.append(_xml('<w:r><w:fldChar w:fldCharType="end"/></w:r>'))


def _hidden_before(cell, text: str) -> None:
    """A hidden run (``w:vanish``: last year's figure, kept but not shown) before the number."""
    p = cell.paragraphs[0]._p
    runs = p.findall(f"{W}r")
    if runs:
        runs[0].addprevious(_run(str(int(text) + 3), hidden=True))


def _total_cell(width: int, column: int) -> bool:
    """A 总计 position: 表三's last column, 表四's every fifth."""
    return (width == 10 and column == 9) or (width == 15 and column % 5 == 4)


def wps_docx(report: Report, seed: int = 0, mode: str = "runs") -> tuple[bytes, str]:
    """A Word file in one of the modes: ``runs`` (WPS's runs, explicit ``continue`` merges),
    ``sum_fields`` (总计 cells as ``=SUM(LEFT)`` fields), ``hidden`` (hidden runs in value cells)."""
    import docx

    from render.report import placed_cells

    document = docx.Document()
    index = 0
    for block, table, cells in word_tables(document, report):
        width = table_width(block)
        columns = [c for _, c, _, _, _ in placed_cells(block)]
        for (cell, text), column in zip(cells, columns, strict=True):
            index += 1
            if mode == "runs":
                _wps_cell(cell, text, index)
            elif mode == "sum_fields" and text.isdigit() and _total_cell(width, column):
                _sum_field(cell, text)
            elif mode == "hidden" and text.isdigit() and (index + seed) % 3 == 0:
                _hidden_before(cell, text)
        if mode == "runs":
            for merge in table._tbl.iter(f"{W}vMerge"):
                if merge.get(f"{W}val") is None:
                    merge.set(f"{W}val", "continue")
    return docx_bytes(document), "docx"


def spaced_docx(report: Report, seed: int = 0) -> bytes:
    """Table cells set with expanded character spacing (1–3 points by seed) and labels distributed
    over their cell's width (``w:jc w:val="distribute"``), as 分散对齐 prints them."""
    import docx

    document = docx.Document()
    spacing = 20 * (1 + seed % 3)
    for _, _, cells in word_tables(document, report):
        for cell, text in cells:
            p = cell.paragraphs[0]._p
            _clear(p)
            if not text:
                continue
            if not _is_value(text) and len(text) <= 8:
                p.insert(0, _xml('<w:pPr><w:jc w:val="distribute"/></w:pPr>'))
            p.append(_run(text, latin=_is_value(text), spacing=0 if _is_value(text) else spacing))
    return docx_bytes(document)


def spaced_pdf(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """:func:`spaced_docx` printed to PDF by LibreOffice."""
    return soffice_convert(spaced_docx(report, seed), "pdf"), "pdf"


def legacy(report: Report, seed: int = 0, target: str = "doc") -> tuple[bytes, str]:
    """The DOCX (WPS runs by seed) saved by LibreOffice as ``.doc`` (Word 97), ``.rtf`` or ``.odt``."""
    from render.word import to_docx

    source = wps_docx(report, seed)[0] if seed % 2 else to_docx(report)
    filters = {"doc": "doc:MS Word 97", "rtf": "rtf", "odt": "odt"}
    return soffice_convert(source, filters[target]), target
