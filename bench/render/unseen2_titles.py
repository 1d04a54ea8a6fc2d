"""Titles as agencies word them (second round): the year first with 年度, 工作报告 without 年度,
the year after 工作, 关于…的报告, 年报, a title over two lines, and a title naming no agency (the
agency then only in the signature, and on a web page in the ``ContentSource`` meta and the
发布机构 line)."""

from __future__ import annotations

from html import escape

from render.report import Report
from render.text import to_tab_text
from render.unseen import _page, _plain_table
from render.variants import with_title


def title_form(report: Report, seed: int) -> str:
    """The title of ``report`` in the form of ``seed`` (a line break in the two-line form)."""
    agency, year = report.agency, report.year
    return [f"{year}年度{agency}政府信息公开工作年度报告", f"{agency}{year}年度政府信息公开工作报告",
            f"{agency}政府信息公开工作{year}年度报告", f"{agency}关于{year}年度政府信息公开工作的报告",
            f"{agency}{year}年政府信息公开年报", f"{agency}\n{year}年政府信息公开工作年度报告",
            f"{year}年政府信息公开工作年度报告", f"{year}年{agency}政府信息公开工作年度报告"][seed % 8]


def titled_text(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """Tab text whose title is :func:`title_form`."""
    return to_tab_text(with_title(report, title_form(report, seed))), "txt"


def titled_html(report: Report, seed: int = 0) -> tuple[bytes, str]:
    """A web page whose ``<title>`` and heading are :func:`title_form` (site name after ``_``);
    the agency also in ``<meta name="ContentSource">`` and a 发布机构 line."""
    shown = with_title(report, title_form(report, seed))
    page = _page(shown, [_plain_table(t) for t in shown.tables()]).decode("utf-8")
    title = escape(title_form(report, seed).replace("\n", ""))
    page = page.replace(f"<title>{escape(shown.title)}</title>",
                        f'<title>{title}_某市人民政府门户网站</title><meta name="ContentSource" '
                        f'content="{escape(report.agency)}"><meta name="SiteName" content="某市人民政府门户网站">', 1)
    info = f'<div class="info">发布机构：{escape(report.agency)}　发布日期：{report.year + 1}-01-20</div>'
    page = page.replace("</h1>", "</h1>" + info, 1).replace("\n</h1>", "</h1>")
    return page.encode("utf-8"), "html"


def with_red_header(report: Report, seed: int = 0) -> Report:
    """The report published as an official document (红头文件): the issuer's ``…文件`` line and its
    document number (``某民〔2024〕3号``), a notice title (``关于印发《…》的通知``, ``关于公布…的通知``,
    ``…关于发布…的公告``) and its paragraph, then the report with its own title."""
    import copy

    out = copy.deepcopy(report)
    agency, title = report.agency, report.title
    number = f"{agency[2]}{'政办民市'[seed % 4]}〔{report.year + 1}〕{3 + seed}号"
    notice = [f"{agency}关于印发《{title}》的通知", f"关于公布{title}的通知", f"{agency}关于发布{title}的公告",
              f"关于印发{title}的通知"][seed % 4]
    head: list[tuple[str, object]] = [("p", f"{agency}文件"), ("p", number), ("title", notice),
                                      ("p", f"各有关单位：现将《{title}》印发给你们，请认真贯彻执行。"),
                                      ("p", agency), ("p", f"{report.year + 1}年1月18日")]
    out.blocks = [*head, *out.blocks]
    return out


def red_header(report: Report, seed: int = 0, fmt: str = "txt") -> tuple[bytes, str]:
    """:func:`with_red_header` as tab text, a Word file or a ruled PDF."""
    from render.pdf import to_pdf
    from render.word import to_docx

    shown = with_red_header(report, seed)
    return {"txt": lambda: (to_tab_text(shown), "txt"), "docx": lambda: (to_docx(shown), "docx"),
            "pdf": lambda: (to_pdf(shown), "pdf")}[fmt]()
