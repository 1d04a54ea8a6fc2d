"""HTML renderings: a government page with Word-pasted spans (``to_html``), Word's own HTML
export (``word_html``) and a portal article page with navigation chrome (``portal_html``)."""

from __future__ import annotations

import random
from html import escape

from render.report import Report
from render.template import Grid


def to_html(report: Report, encoding: str = "gbk", declare: bool = True) -> bytes:
    """A government web page: navigation, the report body, Word-pasted spans, tables, footer."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">' if declare else ""
    out = [f"<html><head>{meta}<title>{report.agency}{report.year}年政府信息公开工作年度报告_门户网站</title>",
           "<script>var nav = '首页 2099年 总计 100 200 300';</script><style>td{font-size:12pt}</style></head><body>",
           '<div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | 2024年 12 345 678</div>',
           '<table class="layout"><tr><td><div class="content">']
    for kind, block in report.blocks:
        if kind == "table":
            out.append('<table border="1" cellspacing="0" class="MsoNormalTable">')
            for row in block:
                out.append("<tr>")
                for text, rowspan, colspan in row:
                    out.append(f'<td{_spans(rowspan, colspan)}><p class="MsoNormal"><span style="font-family:仿宋">'
                               f'<font size="2">{text}</font></span><o:p></o:p></p></td>')
                out.append("</tr>")
            out.append("</table>")
        elif kind in ("title", "h"):
            out.append(f'<p align="center"><b><span>{block}</span></b></p>')
        else:
            out.append(f'<p class="MsoNormal"><span lang="EN-US">{block}</span><o:p></o:p></p>')
    out.append("</div></td></tr></table>")
    out.append('<div id="footer">主办单位：某市人民政府办公室 电话：0517-12345678 备案号 12345678</div></body></html>')
    return "\n".join(out).encode(encoding)


def _spans(rowspan: int, colspan: int, quote: str = '"') -> str:
    return (f" rowspan={quote}{rowspan}{quote}" if rowspan > 1 else "") + \
        (f" colspan={quote}{colspan}{quote}" if colspan > 1 else "")


# --- Word's "save as web page" -------------------------------------------------------------------

WORD_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<title>{title}</title>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style><!-- p.MsoNormal, li.MsoNormal {{mso-style-unhide:no;mso-style-qformat:yes;margin:0cm;
text-align:justify;text-justify:inter-ideograph;font-size:10.5pt;font-family:等线;}}
@page WordSection1 {{size:595.3pt 841.9pt;margin:72.0pt 90.0pt 72.0pt 90.0pt;}}
div.WordSection1 {{page:WordSection1;}} --></style></head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'><div class=WordSection1>"""


def _word_cell(text: str, rng: random.Random, width: int) -> str:
    from extract.parse.values import looks_like_value

    if not text:
        return "<p class=MsoNormal>&nbsp;</p>"
    en = "<span lang=EN-US style='font-size:10.0pt;font-family:\"Times New Roman\";mso-fareast-font-family:仿宋'>"
    if looks_like_value(text) and text.isascii():
        pad = "&nbsp;" * rng.choice([0, 0, 1, 2])
        at = rng.randrange(1, len(text)) if len(text) > 1 and rng.random() < 0.3 else len(text)
        runs = f"{en}{pad}{text[:at]}</span>" + (f"{en}{text[at:]}{pad}</span>" if at < len(text) else "")
        end = "<span lang=EN-US><o:p></o:p></span>"
        return f"<p class=MsoNormal align=center style='text-align:center'>{runs}{end}</p>"
    zh = "<span style='font-size:10.0pt;font-family:仿宋;mso-ascii-font-family:\"Times New Roman\"'>"
    parts = [text[i:i + width] for i in range(0, len(text), width)] if len(text) > width * 1.5 else [text]
    out = []
    for part in parts:
        number = len(part) > 2 and part[0].isdigit() and part[1] == "."  # 1.属于国家秘密: the 1. in Latin type
        runs = f"{en}{part[:2]}</span>{zh}{escape(part[2:])}</span>" if number else f"{zh}{escape(part)}</span>"
        out.append(f"<p class=MsoNormal align=center style='text-align:center;mso-line-height-rule:exactly'>{runs}</p>")
    return "".join(out)


def _word_table(block: Grid, rng: random.Random) -> list[str]:
    width = rng.choice([6, 8, 12])
    out = ["<div align=center><table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 "
           "style='border-collapse:collapse;mso-table-layout-alt:fixed;border:none;mso-border-alt:solid "
           "windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>"]
    for index, row in enumerate(block):
        out.append(f"<tr style='mso-yfti-irow:{index};height:20.0pt'>")
        for text, rowspan, colspan in row:
            out.append(f"<td width={40 * colspan}{_spans(rowspan, colspan, '')} style='width:{30 * colspan}.0pt;"
                       f"border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm "
                       f"5.4pt;height:20.0pt'>{_word_cell(text, rng, width)}</td>")
        out.append("</tr>")
    columns = sum(colspan for _, _, colspan in block[0])
    out.append("<![if !supportMisalignedColumns]><tr height=0>"
               + "".join(f"<td width={40} style='border:none'></td>" for _ in range(columns))
               + "</tr><![endif]></table></div>")
    return out


def word_html(report: Report, seed: int = 0) -> bytes:
    """Word-exported HTML (gb2312 declared, GBK bytes): ``<p class=MsoNormal>`` in every cell, numbers in
    ``<span lang=EN-US>`` padded with ``&nbsp;``, ``mso-`` styles, a blank cell as ``<p class=MsoNormal>&nbsp;</p>``."""
    rng = random.Random(seed)
    out = [WORD_HEAD.format(title=escape(report.title))]
    for kind, block in report.blocks:
        if kind == "table":
            out += _word_table(block, rng)  # type: ignore[arg-type]
        elif kind == "title":
            out.append(f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:"
                       f"22.0pt;font-family:方正小标宋简体'>{block}</span></b></p>")
        elif kind == "h":
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;"
                       f"font-family:黑体'>{block}<span lang=EN-US><o:p></o:p></span></span></p>")
        else:
            out.append(f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:"
                       f"16.0pt;font-family:仿宋_GB2312'>{block}</span><span lang=EN-US><o:p></o:p></span></p>")
        out.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
    out.append("</div></body></html>")
    return "\n".join(out).encode("gbk")


# --- a portal's article page ---------------------------------------------------------------------

def portal_chrome(report: Report, seed: int = 0) -> tuple[str, str]:
    """(the site's name, the chrome printed before the article) for a seed."""
    site = [report.agency, "某市某区人民政府", "某市人民政府"][seed % 3]
    chrome = (f"长者模式退出长者模式无障碍浏览|{site}返回首页{site}"
              f"首页 > 政务公开 > 政府信息公开年报 > {report.year + 1}年")
    return site, chrome


def portal_html(report: Report, seed: int = 0) -> bytes:
    """A portal page: chrome before the title, ``ArticleTitle`` meta, a ``<title>`` with a site suffix,
    an ``<h1>`` heading, the tables as plain HTML, a footer with numbers."""
    site, _ = portal_chrome(report, seed)
    title = escape(report.title)
    suffix = ["_" + site, "-" + site + "门户网站", " - 政府信息公开年报 - " + site][seed % 3]
    out = ["<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
           f"<title>{title}{suffix}</title>", f'<meta name="ArticleTitle" content="{title}">',
           f'<meta name="SiteName" content="{site}"><meta name="PubDate" content="{report.year + 1}-01-20 09:30">',
           "</head><body>",
           '<div class="top"><a href="#">长者模式</a><a href="#">退出长者模式</a><a href="#">无障碍浏览</a></div>',
           f'<div class="head">|{site}<a href="/">返回首页</a><span>{site}</span></div>',
           '<div class="crumb"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; '
           '<a href="/zwgk/nb">政府信息公开年报</a></div>',
           f'<div class="article"><h1 class="article-title">{title}</h1>',
           f'<div class="info">发布时间：{report.year + 1}-01-20 来源：{site} 浏览次数：1024 字号：大 中 小</div>',
           '<div class="TRS_Editor">']
    for kind, block in report.blocks:
        if kind == "table":
            out.append('<table border="1" style="border-collapse:collapse" width="100%"><tbody>')
            for row in block:  # type: ignore[union-attr]
                out.append("<tr>" + "".join(f"<td{_spans(rs, cs)}>{escape(text)}</td>" for text, rs, cs in row)
                           + "</tr>")
            out.append("</tbody></table>")
        elif kind == "title":
            out.append(f'<p style="text-align:center"><strong>{escape(str(block))}</strong></p>')
        else:
            out.append(f"<p>{escape(str(block))}</p>")
    out.append('</div></div><div class="share">分享到：微信 微博 【打印本页】【关闭窗口】</div>')
    out.append(f'<div class="foot">主办：{site} 网站标识码 3208000001 ICP备12345678号 访问量 1234567</div>')
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")
