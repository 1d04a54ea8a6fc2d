"""Synthetic reports (tests and benchmark): one report, rendered in the official layout to every format.

``make_report`` draws values (seeded) that satisfy the template's identities and
lays out 表二/表三/表四 as the State Council template prints them, with merged
cells as (text, rowspan, colspan). Renderers turn that into HTML, DOCX, PDF
(reportlab, built-in ``STSong-Light`` font), tab-separated text and
space-aligned layout text. ``expected`` gives every cell the parser must find.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from extract.values import looks_like_value

ROOT = Path(__file__).resolve().parents[1]  # the project (bench/ is one level down)
SEEDS = ROOT / "seeds"
CN = "一二三四五六七八九十"

Span = tuple[str, int, int]  # text, rowspan, colspan


def _read(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Report:
    """A report: paragraphs and tables in order, and the cells it prints."""

    agency: str
    year: int
    version: str
    blocks: list[tuple[str, object]] = field(default_factory=list)
    expected: dict[tuple[int, str, str], str] = field(default_factory=dict)

    def tables(self) -> list[list[list[Span]]]:
        return [b for kind, b in self.blocks if kind == "table"]


def _columns(version: str) -> dict[tuple[int, str], list[dict[str, str]]]:
    out: dict[tuple[int, str], list[dict[str, str]]] = {}
    for col in _read("template_columns.csv"):
        if col[f"in_{version}"] == "true":
            out.setdefault((int(col["table_no"]), col["block"]), []).append(col)
    return out


def _rows(version: str, table_no: int) -> list[dict[str, str]]:
    rows = [r for r in _read("template_rows.csv") if int(r["table_no"]) == table_no
            and r[f"in_{version}"] == "true" and r["is_template_row"] == "true"]
    return sorted(rows, key=lambda r: int(r["sort_order"]))


def _table2(version: str, rng: random.Random, expected: dict) -> list[list[Span]]:
    columns = _columns(version)
    block_title = {"art20_1": "第二十条第（一）项", "art20_5": "第二十条第（五）项", "art20_6": "第二十条第（六）项",
                   "art20_8": "第二十条第（八）项", "art20_9": "第二十条第（九）项"}
    grid: list[list[Span]] = []
    seen: list[str] = []
    for row in _rows(version, 2):
        block = row["block"]
        cols = columns[(2, block)]
        if block not in seen:
            seen.append(block)
            grid.append([(block_title[block], 1, 4)])
            header: list[Span] = [("信息内容", 1, 1)]
            for i, col in enumerate(cols):
                header.append((col["label_zh"], 1, 4 - len(cols) if i == len(cols) - 1 else 1))
            grid.append(header)
        line: list[Span] = [(row["label_zh"], 1, 1)]
        for i, col in enumerate(cols):
            if col["unit"] == "万元":
                text = f"{rng.randint(100, 99999)}.{rng.randint(1, 99):02d}"
            elif col["col_key"] == "change":
                text = rng.choice(["减3", "增2", "0", "—"])
            else:
                text = str(rng.randint(0, 400))
            if row["row_key"] == "regulations" and col["col_key"] in ("repealed", "prior_year_items"):
                text = ""
            expected[(2, row["row_key"], col["col_key"])] = text
            line.append((text, 1, 4 - len(cols) if i == len(cols) - 1 else 1))
        grid.append(line)
    return grid


def _table3(version: str, rng: random.Random, expected: dict) -> list[list[Span]]:
    cols = [c["col_key"] for c in _columns(version)[(3, "requests")]]
    parts = cols[:-1]
    rows = _rows(version, 3)
    outcome_rows = [r for r in rows if r["row_role"] == "outcome"
                    and not (version == "2021" and r["row_key"] == "other_handling")]
    values: dict[str, dict[str, int]] = {r["row_key"]: {} for r in rows}
    for col in parts:
        for r in outcome_rows:
            values[r["row_key"]][col] = rng.choice([0, 0, 0, 1, 2, 5, 17, 120]) if col == "natural_person" \
                else rng.choice([0, 0, 0, 0, 1, 3])
        processed = sum(values[r["row_key"]][col] for r in outcome_rows)
        forward = rng.randint(0, 9)
        carried = rng.randint(0, min(forward + processed, 9))
        values["total_processed"][col] = processed
        values["carried_forward"][col] = forward
        values["carried_over"][col] = carried
        values["new_received"][col] = processed + forward - carried
    for row_values in values.values():
        if row_values:
            row_values["total"] = sum(row_values[c] for c in parts)
    grid: list[list[Span]] = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [("商业企业", 1, 1), ("科研机构", 1, 1), ("社会公益组织", 1, 1), ("法律服务机构", 1, 1), ("其他", 1, 1)],
    ]

    def cells(key: str) -> list[Span]:
        out = []
        for col in cols:
            text = str(values[key][col])
            expected[(3, key, col)] = text
            out.append((text, 1, 1))
        return out

    groups: list[tuple[str, list[dict[str, str]]]] = []
    for r in outcome_rows:
        group = r["outcome_group"]
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append(r)
    result_rows = sum(len(g[1]) for g in groups) + 1
    grid.append([("一、本年新收政府信息公开申请数量", 1, 3), *cells("new_received")])
    grid.append([("二、上年结转政府信息公开申请数量", 1, 3), *cells("carried_over")])
    first = True
    for number, (group, members) in enumerate(groups):
        head: list[Span] = [("三、本年度办理结果", result_rows, 1)] if first else []
        first = False
        group_zh = members[0]["outcome_group_zh"]
        group_label = f"（{CN[number]}）{group_zh}"
        if group == "partially_granted":
            group_label += "（区分处理的，只计这一情形，不计其他情形）"
        if len(members) == 1:
            grid.append([*head, (group_label, 1, 2), *cells(members[0]["row_key"])])
            continue
        for index, member in enumerate(members):
            label = f"{index + 1}.{member['label_zh']}"
            lead = [(group_label, len(members), 1)] if index == 0 else []
            grid.append([*(head if index == 0 else []), *lead, (label, 1, 1), *cells(member["row_key"])])
    grid.append([(f"（{CN[len(groups)]}）总计", 1, 2), *cells("total_processed")])
    grid.append([("四、结转下年度继续办理", 1, 3), *cells("carried_forward")])
    return grid


def _table4(rng: random.Random, expected: dict) -> list[list[Span]]:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    grid: list[list[Span]] = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*[(r, 2, 1) for r in results], ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [*[(r, 1, 1) for r in results], *[(r, 1, 1) for r in results]],
    ]
    row: list[Span] = []
    for block in ("admin_reconsideration", "litigation_direct", "litigation_after_reconsideration"):
        parts = [rng.choice([0, 0, 1, 2, 4]) for _ in range(4)]
        for col, value in zip(("upheld", "corrected", "other_result", "pending", "total"), [*parts, sum(parts)],
                              strict=True):
            expected[(4, block, col)] = str(value)
            row.append((str(value), 1, 1))
    grid.append(row)
    return grid


NARRATIVE = ("本年度，本机关坚持以人民为中心的发展思想，认真贯彻落实《中华人民共和国政府信息公开条例》，"
             "不断完善政府信息公开工作机制，持续推进决策、执行、管理、服务、结果公开，"
             "依申请公开办理规范有序，政府信息管理和平台建设不断加强。")


def make_report(version: str = "2021", year: int = 2023, agency: str = "某市某区人民政府",
                seed: int = 7, narrative_paragraphs: int = 3) -> Report:
    """A complete report in the official layout, with values that satisfy the identities."""
    rng = random.Random(seed)
    report = Report(agency, year, version)
    add = report.blocks.append
    add(("title", f"{agency}{year}年政府信息公开工作年度报告"))
    add(("p", "本报告根据《中华人民共和国政府信息公开条例》要求编制，"
              f"所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"))
    add(("h", "一、总体情况"))
    for _ in range(narrative_paragraphs):
        add(("p", NARRATIVE))
    add(("h", "二、主动公开政府信息情况"))
    add(("table", _table2(version, rng, report.expected)))
    add(("h", "三、收到和处理政府信息公开申请情况"))
    add(("table", _table3(version, rng, report.expected)))
    add(("h", "四、政府信息公开行政复议、行政诉讼情况"))
    add(("table", _table4(rng, report.expected)))
    add(("h", "五、存在的主要问题及改进情况"))
    add(("p", NARRATIVE))
    add(("h", "六、其他需要报告的事项"))
    add(("p", "本年度未收取信息处理费。"))
    add(("p", agency))
    add(("p", f"{year + 1}年1月20日"))
    return report


def expected_cells(report: Report) -> dict[tuple[int, str, str], tuple[Decimal | None, str]]:
    """(table, row, col) → (value, state) as the parser must store them."""
    from extract.values import parse_value

    out = {}
    for key, text in report.expected.items():
        parsed = parse_value(text, "万元" if key[2].endswith("10k_yuan") else None)
        out[key] = (parsed.value, parsed.state)
    return out


# --- HTML -----------------------------------------------------------------------------------------

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
                    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + \
                        (f' colspan="{colspan}"' if colspan > 1 else "")
                    out.append(f'<td{attrs}><p class="MsoNormal"><span style="font-family:仿宋">'
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


def placed_cells(block: list[list[Span]]):
    """(row, column, text, rowspan, colspan) of each cell, columns counted past earlier spans."""
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(block):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            yield r, c, text, rowspan, colspan
            taken.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            c += colspan


# --- DOCX -----------------------------------------------------------------------------------------

def to_docx(report: Report) -> bytes:
    """A Word file with merged cells made by python-docx's ``merge`` (gridSpan and vMerge)."""
    import docx

    document = docx.Document()
    for kind, block in report.blocks:
        if kind != "table":
            document.add_paragraph(str(block))
            continue
        width = sum(colspan for _, _, colspan in block[0])
        table = document.add_table(rows=len(block), cols=width)
        table.style = "Table Grid"
        for r, c, text, rowspan, colspan in placed_cells(block):
            cell = table.cell(r, c)
            if rowspan > 1 or colspan > 1:
                cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------------

def to_pdf(report: Report, vertical_group_label: bool = True, page_numbers: bool = True, ruled: bool = True,
           repeat_header: bool = False) -> bytes:
    """A Word-style PDF: ruled tables (or none: ``ruled=False``), wrapped labels, page numbers;
    long tables break across pages, repeating 表三's header there with ``repeat_header``."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1)
    story = []
    for kind, block in report.blocks:
        if kind == "title":
            story.append(Paragraph(str(block), title))
        elif kind in ("h", "p"):
            story.append(Paragraph(str(block), body))
        else:
            story.append(_pdf_table(block, cell, colors, Paragraph, Table, TableStyle, vertical_group_label, ruled,
                                    repeat_header))

    def footer(canvas, doc) -> None:
        if page_numbers:
            canvas.setFont("STSong-Light", 9)
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=50, bottomMargin=50,
                      title=f"{report.agency}{report.year}年政府信息公开工作年度报告").build(
        story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _pdf_table(block, cell_style, colors, Paragraph, Table, TableStyle, vertical: bool, ruled: bool,
               repeat_header: bool):
    width = sum(colspan for _, _, colspan in block[0])
    grid: list[list[object]] = [[""] * width for _ in block]
    spans = []
    for r, c, text, rowspan, colspan in placed_cells(block):
        shown = "<br/>".join(text) if vertical and text == "三、本年度办理结果" else text
        grid[r][c] = Paragraph(shown, cell_style) if shown else ""
        if rowspan > 1 or colspan > 1:
            spans.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
    if width == 10:
        widths = [22, 70, 130, 34, 34, 34, 34, 34, 34, 34]
    elif width == 15:
        widths = [33] * 15
    else:
        widths = [150, 110, 110, 110]
    table = Table(grid, colWidths=widths, repeatRows=3 if repeat_header and width == 10 else 0)
    rules = [("GRID", (0, 0), (-1, -1), 0.6, colors.black)] if ruled else []
    table.setStyle(TableStyle([*rules, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans]))
    return table


# --- text -----------------------------------------------------------------------------------------

def _text_rows(report: Report) -> list[tuple[str, object]]:
    return list(report.blocks)


def to_tab_text(report: Report) -> bytes:
    """Tab-separated text, as copied from Word: merged cells are empty strings."""
    lines: list[str] = []
    for kind, block in _text_rows(report):
        if kind != "table":
            lines.append(str(block))
            continue
        for row in block:
            cells: list[str] = []
            for text, _, colspan in row:
                cells += [text] + [""] * (colspan - 1)
            lines.append("\t".join(cells))
    return "\n".join(lines).encode("utf-8")


def to_layout_text(report: Report, label_chars: int = 12, page_break_in_table3: bool = True) -> bytes:
    """Columns aligned with spaces by character count (as ``pdftotext -layout`` writes them),
    labels wrapped beside their numbers, a page number and form feed inside 表三."""
    lines: list[str] = []
    for kind, block in report.blocks:
        if kind != "table":
            lines.append(str(block))
            continue
        is_t3 = any(text == "三、本年度办理结果" for row in block for text, _, _ in row)
        data_rows = 0
        for row in block:
            texts = [t for t, _, _ in row]
            first_value = len(texts)
            while first_value > 0 and (texts[first_value - 1] == "" or looks_like_value(texts[first_value - 1])):
                first_value -= 1
            values = texts[first_value:]
            labels = [t for t in texts[:first_value] if t]
            if not values:
                lines.append("    ".join(labels))
                continue
            label = labels[-1] if labels else ""
            chunks = [label[i : i + label_chars] for i in range(0, len(label), label_chars)] or [""]
            value_text = "".join(v.rjust(10) for v in values)
            first = chunks[0]
            lines.append(first + " " * (label_chars + 4 - len(first)) + value_text)
            lines.extend(chunks[1:])
            data_rows += 1
            if is_t3 and page_break_in_table3 and data_rows == 12:
                lines += ["", "- 3 -", "\f"]
    return "\n".join(lines).encode("utf-8")


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
