"""Tables drawn otherwise (third review): 表三's applicant columns under a header split into rows
another way (two rows with no 申请人情况 over them; 总计 outside 申请人情况, spanning all three
rows), and Word files whose tables sit in a text box (``w:txbxContent``: Word's drawing with its
VML fallback, each holding a copy of the table, or WPS's VML text box alone)."""

from __future__ import annotations

import copy

from render.report import Report, is_table3
from render.template import Span
from render.tools import pdftotext

HEADERS: dict[str, list[list[Span]]] = {
    "two_rows": [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 2, 3), ("自然人", 2, 1),
         ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)]],
    "total_outside": [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 6),
         ("总计", 3, 1)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)]],
}
"""表三's header rows drawn otherwise (the 10 columns and their order as the template's)."""


def with_table3_header(report: Report, how: str) -> Report:
    """A copy of ``report`` whose 表三 has the header rows ``HEADERS[how]``."""
    out = copy.deepcopy(report)
    out.blocks = [(kind, [[*map(tuple, r)] for r in HEADERS[how]] + [list(r) for r in block[3:]])  # type: ignore[index]
                  if kind == "table" and is_table3(block) else (kind, block)  # type: ignore[arg-type]
                  for kind, block in out.blocks]
    return out


def table3_header(report: Report, seed: int = 0, how: str = "two_rows", fmt: str = "html") -> tuple[bytes, str]:
    """:func:`with_table3_header` as a plain page, a Word file, a ruled PDF, its ``pdftotext
    -layout`` or tab text."""
    from render.pdf import to_pdf
    from render.text import to_tab_text
    from render.unseen2 import html_page
    from render.word import to_docx

    shown = with_table3_header(report, how)
    return {"html": lambda: html_page(shown), "docx": lambda: (to_docx(shown), "docx"),
            "pdf": lambda: (to_pdf(shown), "pdf"), "pdftotext": lambda: (pdftotext(to_pdf(shown)), "txt"),
            "txt": lambda: (to_tab_text(shown), "txt")}[fmt]()


# --- tables in a text box -------------------------------------------------------------------------

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w10="urn:schemas-microsoft-com:office:word"')

DRAWING = """<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="{z}" behindDoc="0"
 locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="5760000" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>
<wp:docPr id="{z}" name="文本框 {z}"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5760000" cy="{cy}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square"
 lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>
</wp:anchor></w:drawing></mc:Choice><mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent></w:r>"""

PICT = """<w:pict {ns}><v:shape id="文本框 {z}" type="#_x0000_t202" style="position:absolute;margin-left:0;
margin-top:0;width:453.5pt;height:{pt}pt;z-index:{z};mso-wrap-style:square" filled="f" stroked="f">
<v:textbox inset="0,0,0,0"><w:txbxContent>{content}</w:txbxContent></v:textbox><w10:wrap type="topAndBottom"/>
</v:shape></w:pict>"""


def text_box_docx(report: Report, seed: int = 0, vml_only: bool = False) -> tuple[bytes, str]:
    """A Word file whose tables are each in a text box anchored in an empty paragraph: Word's
    ``mc:AlternateContent`` (a DrawingML text box and its VML fallback, both holding the table),
    or (``vml_only``) the VML text box alone as WPS and older Word write it. Paragraphs as usual."""
    import docx
    from docx.oxml import parse_xml
    from lxml import etree

    from render.word import docx_bytes, word_tables

    document = docx.Document()
    for z, (block, table, _) in enumerate(word_tables(document, report), 1):
        tbl = table._tbl
        tbl.getparent().remove(tbl)
        content = etree.tostring(tbl, encoding="unicode") + '<w:p/>'
        height = 22 * len(block)
        pict = PICT.format(ns=NS, z=z, pt=height, content=content)
        anchor = document.add_paragraph()
        if vml_only:
            run = parse_xml(f"<w:r {NS}>{pict}</w:r>")
        else:
            run = parse_xml(DRAWING.format(ns=NS, z=z, cy=height * 12700, content=content,
                                           fallback=pict.replace(f"<w:pict {NS}>", "<w:pict>")))
        anchor._p.append(run)
    return docx_bytes(document), "docx"

