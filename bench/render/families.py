"""Layout families of real reports: one function each, ``(report, seed, …) → (bytes, extension)``,
every one printing the report's cells, so ``report.expected`` holds for all of them.

:data:`FAMILIES` names each family's variants; a family marked ``exact=False`` loses cells by
its nature (collapsed or split lines): it must store no wrong number, but need not read every cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from render import unseen, unseen2, unseen_pdf
from render import unseen2_docx as wps
from render import unseen2_pdf as pdfs2
from render import unseen2_tables as tables2
from render import unseen2_titles as titles
from render import unseen3 as web3
from render import unseen3_pdf as pdfs3
from render import unseen3_tables as tables3
from render import unseen_tables as tables
from render.html import portal_html, to_html, word_html
from render.pdf import BREAK_LABELS, PdfLayout, build_pdf, chars_per_line, to_pdf
from render.portal import portal_text_collapsed, portal_text_copy, portal_text_split_numbers
from render.report import Report
from render.reshape import with_thousands
from render.text import markdown_pipes, pipe_cells, to_tab_text
from render.tools import pdftotext, soffice_convert, soffice_pdf
from render.variants import WIDE, fullwidth_title, narrow_style, tiny_style, with_repeated_headers, zeros_as_blanks
from render.word import to_docx

Rendered = tuple[bytes, str]  # the file's bytes, its extension (no dot)
Render = Callable[..., Rendered]


def pdf_narrow_labels(report: Report, seed: int = 0, ruled: bool = True) -> Rendered:
    """Ruled PDF with narrow label columns: （三）不予公开 and 1.属于国家秘密 wrap over 2–4 lines."""
    layout = PdfLayout(narrow_style(seed), ruled=ruled, vertical_group_label=seed % 2 == 0)
    return build_pdf(report, layout), "pdf"


def pdf_borderless(report: Report, seed: int = 0) -> Rendered:
    """The same tables with no ruling lines at all, narrow wrapping labels."""
    return pdf_narrow_labels(report, seed, ruled=False)


def pdf_inner_rules(report: Report, seed: int = 0, narrow: bool = False) -> Rendered:
    """Tables ruled between their cells only, with no outer border (Word's "inside borders")."""
    style = narrow_style(seed) if narrow else WIDE
    return build_pdf(report, PdfLayout(style, inner_only=True, vertical_group_label=seed % 2 == 0)), "pdf"


def pdf_tiny_labels(report: Report, seed: int = 0, ruled: bool = True) -> Rendered:
    """Label columns one or two characters wide, so every label wraps over many lines
    (（六）其他处理 as （六）其他 / 处理, whose head is 2021's （六）3.其他)."""
    return build_pdf(report, PdfLayout(tiny_style(seed), ruled=ruled, vertical_group_label=False)), "pdf"


def pdf_page_break_mid_row(report: Report, seed: int = 0, repeat_header: bool = False) -> Rendered:
    """Ruled PDF whose page break cuts 表三 inside a long wrapped label (header rows again with
    ``repeat_header``); the row's values above the break, or (odd seeds) below it."""
    style = WIDE if seed % 2 == 0 else narrow_style(seed)
    keys = [k for k, label in BREAK_LABELS.items()
            if (3, k, "total") in report.expected and len(label) > chars_per_line(style)]
    key = keys[seed // 2 % len(keys)]
    layout = PdfLayout(style, break_in_row=key, repeat_header=repeat_header, values_below=seed % 4 == 3)
    return build_pdf(report, layout), "pdf"


PDFS: dict[str, Render] = {"ruled": lambda r, seed: (to_pdf(r), "pdf"),
                           "borderless": pdf_borderless, "narrow": pdf_narrow_labels}


def pdftotext_layout(report: Report, seed: int = 0, pdf: str = "ruled", mode: str = "layout") -> Rendered:
    """``pdftotext -layout`` of the ruled, borderless or narrow-label PDF."""
    return pdftotext(PDFS[pdf](report, seed)[0], mode), "txt"


def pdftotext_raw(report: Report, seed: int = 0, pdf: str = "ruled") -> Rendered:
    """``pdftotext -raw`` (content-stream order) of the ruled, borderless or narrow-label PDF."""
    return pdftotext_layout(report, seed, pdf, "raw")


def zeros_printed_blank(report: Report, seed: int = 0, pdf: str = "borderless", text: bool = False) -> Rendered:
    """表三 with most zeros left blank (no token at all in layout text: only positions say which
    column a value is in), as a PDF, or its ``pdftotext -layout`` with ``text``."""
    data, extension = PDFS[pdf](zeros_as_blanks(report, seed), seed)
    return (pdftotext(data, "layout"), "txt") if text else (data, extension)


def libreoffice_pdf(report: Report, seed: int = 0) -> Rendered:
    """The DOCX rendered to PDF by LibreOffice."""
    return soffice_pdf(to_docx(report)), "pdf"


def fullwidth_title_text(report: Report, seed: int = 0, fmt: str = "txt") -> Rendered:
    """Tab text (or a web page) whose title has full-width digits (某市某区民政局２０２２年…)."""
    shown = fullwidth_title(report)
    return (to_tab_text(shown), "txt") if fmt == "txt" else (to_html(shown, "utf-8"), "html")


def repeated_headers(report: Report, seed: int = 0, fmt: str = "html") -> Rendered:
    """Tables whose header rows are printed again mid-table (a web page, or a ruled PDF)."""
    shown = with_repeated_headers(report, seed)
    return (to_html(shown, "utf-8"), "html") if fmt == "html" else (to_pdf(shown), "pdf")


@dataclass(frozen=True)
class Variant:
    """One rendering of a family. ``omits_blanks``: empty cells leave no trace in it."""

    render: Render
    omits_blanks: bool = False


@dataclass(frozen=True)
class Family:
    """A layout family: its variants; ``exact`` when every printed cell must be read."""

    name: str
    variants: dict[str, Variant] = field(default_factory=dict)
    exact: bool = True
    needs: tuple[str, ...] = ()  # programs: poppler's pdftotext, LibreOffice's soffice


def _family(name: str, exact: bool = True, needs: tuple[str, ...] = (), **variants: Render | Variant) -> Family:
    return Family(name, {k: v if isinstance(v, Variant) else Variant(v) for k, v in variants.items()}, exact, needs)


FAMILIES: dict[str, Family] = {f.name: f for f in (
    _family("pdf_narrow_labels", ruled=pdf_narrow_labels),
    _family("pdf_borderless", borderless=pdf_borderless),
    _family("pdf_inner_rules", wide=pdf_inner_rules, narrow=partial(pdf_inner_rules, narrow=True)),
    _family("pdf_tiny_labels", ruled=pdf_tiny_labels),
    _family("pdf_tiny_labels_borderless", borderless=partial(pdf_tiny_labels, ruled=False)),
    _family("pdf_page_break_mid_row", plain=pdf_page_break_mid_row,
            repeated_header=partial(pdf_page_break_mid_row, repeat_header=True)),
    _family("pdftotext_layout", needs=("pdftotext",),
            **{pdf: partial(pdftotext_layout, pdf=pdf) for pdf in PDFS}),
    _family("pdftotext_raw", needs=("pdftotext",),
            **{pdf: Variant(partial(pdftotext_raw, pdf=pdf), omits_blanks=True) for pdf in PDFS}),
    _family("zeros_printed_blank", needs=("pdftotext",), borderless=zeros_printed_blank,
            ruled=partial(zeros_printed_blank, pdf="ruled"),
            pdftotext_borderless=partial(zeros_printed_blank, text=True),
            pdftotext_ruled=partial(zeros_printed_blank, pdf="ruled", text=True)),
    _family("libreoffice_pdf", needs=("soffice",), docx=libreoffice_pdf),
    _family("word_html", word=lambda r, seed: (word_html(r, seed), "html")),
    _family("portal_html", portal=lambda r, seed: (portal_html(r, seed), "html")),
    _family("portal_text_copy", absent=Variant(portal_text_copy, omits_blanks=True),
            empty_line=partial(portal_text_copy, empty="line")),
    _family("portal_text_collapsed", exact=False, absent=Variant(portal_text_collapsed, omits_blanks=True),
            empty_line=partial(portal_text_collapsed, empty="line")),
    _family("portal_text_split_numbers", exact=False, empty_line=portal_text_split_numbers),
    _family("pipe_blank_cells", cell_lines=lambda r, seed: (pipe_cells(r), "txt"),
            markdown=lambda r, seed: (markdown_pipes(r), "md")),
    _family("fullwidth_title", text=fullwidth_title_text, html=partial(fullwidth_title_text, fmt="html")),
    _family("repeated_headers", html=repeated_headers, pdf=partial(repeated_headers, fmt="pdf")),
)}


def thousands(report: Report, seed: int = 0, fmt: str = "html") -> Rendered:
    """Counts in the thousands with separators (``1,234``) in a web page, tab text or a ruled PDF
    (changes ``report``, whose cells are then expected so)."""
    if fmt == "pdf":
        return unseen_pdf.pdf_thousands(report, seed)
    shown = with_thousands(report)
    return (to_html(shown, "utf-8"), "html") if fmt == "html" else (to_tab_text(shown), "txt")


def landscape_docx_pdf(report: Report, seed: int = 0) -> Rendered:
    """A landscape Word file (a Chinese font, numbers right-aligned, header rows repeated on each
    page, nested or not by seed) rendered to PDF by LibreOffice."""
    docx = unseen.to_docx_variant(report, nested=seed % 2 == 1, landscape=True, header_repeat=True,
                                  align_right=True, font=["宋体", "仿宋_GB2312", "Noto Serif CJK SC"][seed % 3])
    return soffice_pdf(docx), "pdf"


def _docx(**options) -> Render:
    return lambda report, seed: (unseen.to_docx_variant(report, **options), "docx")


UNSEEN: tuple[Family, ...] = (
    _family("pdf_landscape", ruled=unseen_pdf.pdf_landscape,
            borderless=partial(unseen_pdf.pdf_landscape, ruled=False)),
    _family("pdf_truetype_fonts", ruled=unseen_pdf.pdf_fonts, borderless=partial(unseen_pdf.pdf_fonts, ruled=False)),
    _family("pdf_table3_over_pages", plain=unseen_pdf.pdf_table3_pages,
            repeated_header=partial(unseen_pdf.pdf_table3_pages, repeat_header=True),
            borderless=partial(unseen_pdf.pdf_table3_pages, ruled=False, repeat_header=True)),
    _family("thousands_separators", needs=("pdftotext",), html=thousands, tab_text=partial(thousands, fmt="txt"),
            pdf=partial(thousands, fmt="pdf"),
            pdftotext=unseen_pdf.pdftotext_of(partial(thousands, fmt="pdf"))),
    _family("browser_pdf", needs=("chromium",), chromium=unseen_pdf.browser_pdf),
    _family("pdftotext_unseen", needs=("pdftotext",),
            landscape=unseen_pdf.pdftotext_of(unseen_pdf.pdf_landscape),
            fonts=unseen_pdf.pdftotext_of(unseen_pdf.pdf_fonts),
            table3_pages=unseen_pdf.pdftotext_of(partial(unseen_pdf.pdf_table3_pages, repeat_header=True)),
            landscape_raw=Variant(unseen_pdf.pdftotext_of(unseen_pdf.pdf_landscape, "raw"), omits_blanks=True)),
    _family("pdftotext_browser_print", needs=("pdftotext", "chromium"),
            browser=unseen_pdf.pdftotext_of(unseen_pdf.browser_pdf)),
    _family("html_th_thead", th=unseen.html_th),
    _family("html_nested_tables", nested=unseen.html_nested),
    _family("html_unmerged", unmerged=unseen.html_unmerged),
    _family("html_pre", pre=unseen.html_pre),
    _family("docx_variants", nested=_docx(nested=True), landscape=_docx(landscape=True, header_repeat=True),
            unmerged=_docx(unmerge=True, align_right=True), content_controls=_docx(controls=True),
            tracked_changes=_docx(revisions=True)),
    _family("docx_landscape_libreoffice", needs=("soffice",), docx=landscape_docx_pdf),
    _family("text_single_space", spaces=Variant(unseen.single_space_text, omits_blanks=True)),
    _family("markdown_converter", markdown=unseen.converter_markdown,
            unmerged=lambda r, seed: (markdown_pipes(unseen.with_unmerged_tables(r)), "md")),
    _family("table3_two_tables", html=lambda r, seed: (to_html(tables.table3_in_two(r, seed), "utf-8"), "html"),
            docx=lambda r, seed: (tables.split_docx(r, seed), "docx"),
            pdf=lambda r, seed: (to_pdf(tables.table3_in_two(r, seed)), "pdf")),
    _family("subtotal_column", needs=("pdftotext",),
            html=lambda r, seed: (to_html(tables.table3_with_subtotal(r), "utf-8"), "html"),
            docx=lambda r, seed: (to_docx(tables.table3_with_subtotal(r)), "docx"),
            pdf=lambda r, seed: (to_pdf(tables.table3_with_subtotal(r)), "pdf"),
            before_kinds=lambda r, seed: (to_html(tables.table3_with_subtotal(r, before=True), "utf-8"), "html"),
            pdftotext=lambda r, seed: (pdftotext(to_pdf(tables.table3_with_subtotal(r))), "txt")),
    _family("subtotal_column_wrapped_header", needs=("pdftotext",),
            pdftotext=lambda r, seed: (pdftotext(to_pdf(tables.table3_with_subtotal(r, before=True))), "txt")),
    _family("html_quirks", hidden_cells=lambda r, seed: (tables.hidden_cells(to_html(r, "utf-8").decode()).encode(),
                                                        "html"),
            overlong_rowspan=lambda r, seed: (tables.overlong_rowspans(r), "html"),
            spans_dropped=lambda r, seed: (tables.spans_dropped(r), "html")),
    _family("pdf_rule_styles", needs=("pdftotext",), horizontal=lambda r, seed: (tables.ruled_as(r, seed), "pdf"),
            three_line=lambda r, seed: (tables.ruled_as(r, seed, "three_line"), "pdf"),
            sideways_label=lambda r, seed: (tables.ruled_as(r, seed, "grid", rotated=True), "pdf"),
            three_line_pdftotext=lambda r, seed: (pdftotext(tables.ruled_as(r, seed, "three_line")), "txt")),
    _family("header_without_note", html=lambda r, seed: (to_html(tables.without_note(r), "utf-8"), "html"),
            pdf=lambda r, seed: (to_pdf(tables.without_note(r)), "pdf")),
    _family("tab_text_spans_once", text=lambda r, seed: (tables.tab_text_spans_once(r), "txt")),
    _family("zeros_printed_as_dashes", needs=("pdftotext",),
            html=lambda r, seed: (to_html(zeros_as_blanks(r, seed, shown="———-/"[seed % 5]), "utf-8"), "html"),
            pdf=lambda r, seed: (to_pdf(zeros_as_blanks(r, seed, shown="—-/"[seed % 3])), "pdf"),
            pdftotext=lambda r, seed: (pdftotext(to_pdf(zeros_as_blanks(r, seed, shown="—-/"[seed % 3]))), "txt")),
    _family("spaced_labels", needs=("pdftotext",), pdf=lambda r, seed: (to_pdf(tables.spaced_labels(r)), "pdf"),
            borderless=lambda r, seed: (to_pdf(tables.spaced_labels(r), ruled=False), "pdf"),
            pdftotext=lambda r, seed: (pdftotext(to_pdf(tables.spaced_labels(r))), "txt")),
    _family("running_header", needs=("pdftotext",), ruled=lambda r, seed: (tables.running_header_pdf(r, seed), "pdf"),
            borderless=lambda r, seed: (tables.running_header_pdf(r, seed, ruled=False), "pdf"),
            pdftotext=lambda r, seed: (pdftotext(tables.running_header_pdf(r, seed, ruled=False)), "txt")),
    _family("tab_text_cell_breaks", text=lambda r, seed: (tables.tab_text_cell_breaks(r, 7 + seed % 4), "txt")),
    _family("markdown_html_tables", markdown=lambda r, seed: (tables.markdown_html_tables(r), "md")),
    _family("double_rules", needs=("pdftotext",), pdf=lambda r, seed: (tables.double_rules_pdf(r, seed), "pdf"),
            pdftotext=lambda r, seed: (pdftotext(tables.double_rules_pdf(r, seed)), "txt")),
)
"""Layouts a reviewer brought (:mod:`render.unseen`, :mod:`render.unseen_pdf`)."""
FAMILIES.update({f.name: f for f in UNSEEN})


def _units(report: Report, seed: int = 0, fmt: str = "html", fullwidth: bool = False) -> Rendered:
    """Every number with its unit (``12件``, ``12.50万元``) or in full-width digits (changes ``report``)."""
    shown = unseen2.with_units(report, fullwidth)
    return {"html": lambda: (to_html(shown, "utf-8"), "html"), "txt": lambda: (to_tab_text(shown), "txt"),
            "pdf": lambda: (to_pdf(shown), "pdf"), "pdftotext": lambda: (pdftotext(to_pdf(shown)), "txt")}[fmt]()


def _reshaped(change: Callable[[Report, int], Report], fmt: str) -> Render:
    """A family rendering of ``change(report, seed)`` as a plain page, a Word file or a ruled PDF."""
    def rendered(report: Report, seed: int = 0) -> Rendered:
        shown = change(report, seed)
        return {"html": lambda: unseen2.html_page(shown), "docx": lambda: (to_docx(shown), "docx"),
                "pdf": lambda: (to_pdf(shown), "pdf"), "pdftotext": lambda: (pdftotext(to_pdf(shown)), "txt"),
                "txt": lambda: (to_tab_text(shown), "txt")}[fmt]()
    return rendered


def _flat(report: Report, seed: int) -> Report:
    return unseen2.with_tables(report, unseen2.flat_header)


def _libreoffice(report: Report, seed: int = 0, target: str = "txt") -> Rendered:
    """The DOCX exported by LibreOffice as text (one cell a line) or as a web page."""
    filters = {"txt": "txt:Text (encoded):UTF8", "html": "html:HTML (StarWriter)"}
    return soffice_convert(to_docx(report), filters[target]), target


UNSEEN2: tuple[Family, ...] = (
    _family("excel_html", tables=unseen2.excel_tables, one_sheet=unseen2.excel_one_sheet),
    _family("values_with_units", needs=("pdftotext",), html=_units, tab_text=partial(_units, fmt="txt"),
            pdf=partial(_units, fmt="pdf"),
            fullwidth_html=partial(_units, fullwidth=True),
            fullwidth_text=partial(_units, fmt="txt", fullwidth=True)),
    _family("table3_header_flat", needs=("pdftotext",),
            **{fmt: _reshaped(_flat, fmt) for fmt in ("html", "docx", "pdf", "pdftotext", "txt")}),
    _family("caption_rows", needs=("pdftotext",),
            **{fmt: _reshaped(unseen2.with_captions, fmt) for fmt in ("html", "docx", "pdf", "pdftotext", "txt")}),
    _family("amounts_in_yuan", needs=("pdftotext",), **{fmt: _reshaped(lambda r, seed: unseen2.amounts_in_yuan(r), fmt)
                                                        for fmt in ("html", "docx", "pdf", "pdftotext", "txt")}),
    *(_family(f"table3_{how}" if how != "table2_blocks" else how, needs=("pdftotext",),
              **{fmt: _reshaped(partial(lambda r, seed, how: tables2.reshaped(r, how), how=how), fmt)
                 for fmt in ("html", "docx", "pdf", "pdftotext", "txt")})
      for how in ("single_header", "heading_rows", "heading_rows_empty", "table2_blocks")),
    _family("pdf_rotated_pages", needs=("pdftotext",), ruled=tables2.rotated_pdf,
            borderless=partial(tables2.rotated_pdf, ruled=False),
            pdftotext=unseen_pdf.pdftotext_of(tables2.rotated_pdf)),
    _family("pdf_rect_rules", needs=("pdftotext",), pdf=pdfs2.rect_rules_pdf,
            pdftotext=unseen_pdf.pdftotext_of(pdfs2.rect_rules_pdf)),
    _family("pdf_watermark", needs=("pdftotext",), diagonal=pdfs2.watermark_pdf,
            tiles=partial(pdfs2.watermark_pdf, diagonal=False),
            tiles_borderless=partial(pdfs2.watermark_pdf, diagonal=False, ruled=False)),
    _family("pdftotext_watermark", exact=False, needs=("pdftotext",),
            diagonal=unseen_pdf.pdftotext_of(pdfs2.watermark_pdf),
            tiles=unseen_pdf.pdftotext_of(partial(pdfs2.watermark_pdf, diagonal=False))),
    _family("libreoffice_exports", needs=("soffice",), text=_libreoffice, html=partial(_libreoffice, target="html")),
    _family("br_header_cells", html=unseen2.br_header_html,
            docx=lambda r, seed: (to_docx(unseen2.broken_headers(r)), "docx")),
    _family("headings_joined_text", text=unseen2.headings_joined_text),
    _family("title_forms", html=titles.titled_html, text=titles.titled_text),
    _family("official_document_header", text=titles.red_header, docx=partial(titles.red_header, fmt="docx"),
            pdf=partial(titles.red_header, fmt="pdf")),
    _family("docx_wps", runs=wps.wps_docx, sum_fields=partial(wps.wps_docx, mode="sum_fields"),
            hidden_runs=partial(wps.wps_docx, mode="hidden")),
    _family("legacy_word_formats", needs=("soffice",), doc=wps.legacy, rtf=partial(wps.legacy, target="rtf"),
            odt=partial(wps.legacy, target="odt")),
    _family("docx_spaced_pdf", needs=("soffice",), pdf=wps.spaced_pdf),
    _family("pdftotext_spaced_docx", needs=("soffice", "pdftotext"),
            pdftotext=unseen_pdf.pdftotext_of(wps.spaced_pdf)),
)
"""Layouts of a second review (:mod:`render.unseen2`, :mod:`render.unseen2_docx`, :mod:`render.unseen2_titles`)."""
FAMILIES.update({f.name: f for f in UNSEEN2})


UNSEEN3: tuple[Family, ...] = (
    _family("html_editor_breaks", ueditor=web3.editor_html, paragraphs=partial(web3.editor_html, paragraphs=True)),
    _family("ideographic_padding", html=web3.deep_spans_html, docx=web3.padded_docx, tab_text=web3.padded_tab_text),
    _family("ideographic_separators", single=web3.ideographic_text,
            runs=Variant(partial(web3.ideographic_text, run=True), omits_blanks=True)),
    _family("excel_copy_text", trailing_tabs=web3.excel_copy_text,
            quoted_breaks=partial(web3.excel_copy_text, quoted=True)),
    _family("csv_text", csv=web3.csv_text),
    _family("table3_header_split", needs=("pdftotext",),
            **{f"{how}_{fmt}": partial(tables3.table3_header, how=how, fmt=fmt)
               for how in tables3.HEADERS for fmt in ("html", "docx", "pdf", "pdftotext", "txt")}),
    _family("docx_text_box", drawing=tables3.text_box_docx, vml=partial(tables3.text_box_docx, vml_only=True)),
    _family("pdf_row_shading", needs=("pdftotext",), ruled=pdfs3.row_shading,
            borderless=partial(pdfs3.row_shading, ruled=False),
            pdftotext=unseen_pdf.pdftotext_of(pdfs3.row_shading)),
    _family("pdf_number_font_size", needs=("pdftotext",), ruled=pdfs3.font_sizes,
            borderless=partial(pdfs3.font_sizes, ruled=False),
            pdftotext=unseen_pdf.pdftotext_of(partial(pdfs3.font_sizes, ruled=False))),
    _family("pdf_aligned_labels", needs=("pdftotext",), centred=pdfs3.aligned_labels,
            centred_borderless=partial(pdfs3.aligned_labels, ruled=False),
            right=partial(pdfs3.aligned_labels, align=2),
            right_borderless=partial(pdfs3.aligned_labels, ruled=False, align=2),
            pdftotext_centred=unseen_pdf.pdftotext_of(partial(pdfs3.aligned_labels, ruled=False))),
    _family("pdf_header_footer_rules", needs=("pdftotext",), ruled=pdfs3.header_footer_rules,
            borderless=partial(pdfs3.header_footer_rules, ruled=False),
            pdftotext=unseen_pdf.pdftotext_of(pdfs3.header_footer_rules)),
    _family("pdf_narrow_value_columns", needs=("pdftotext",), ruled=pdfs3.narrow_columns,
            borderless=partial(pdfs3.narrow_columns, ruled=False),
            pdftotext=unseen_pdf.pdftotext_of(pdfs3.narrow_columns),
            pdftotext_borderless=unseen_pdf.pdftotext_of(partial(pdfs3.narrow_columns, ruled=False))),
    _family("libreoffice_html_pdf", needs=("soffice", "pdftotext"), plain=pdfs3.libreoffice_html_pdf,
            word_pasted=partial(pdfs3.libreoffice_html_pdf, page="word_pasted"),
            pdftotext=unseen_pdf.pdftotext_of(pdfs3.libreoffice_html_pdf)),
)
"""Layouts of a third review (:mod:`render.unseen3`, :mod:`render.unseen3_pdf`, :mod:`render.unseen3_tables`)."""
FAMILIES.update({f.name: f for f in UNSEEN3})


from render import unseen4 as web4  # noqa: E402 - the fourth round's modules, after the third's families
from render import unseen4_pdf as pdfs4  # noqa: E402
from render import unseen4_tables as tables4  # noqa: E402

UNSEEN4: tuple[Family, ...] = (
    _family("html_invisible_chars", zero_width=web4.invisible_html,
            soft_hyphen_labels=partial(web4.invisible_html, how="soft_hyphen")),
    _family("html_css_layout", display_table=web4.css_html, css_grid=partial(web4.css_html, how="grid")),
    _family("text_drawn_tables", box=web4.art_text, box_wrapped=partial(web4.art_text, wrapped=True),
            grid=partial(web4.art_text, style="grid"), grid_wrapped=partial(web4.art_text, style="grid", wrapped=True)),
    _family("markdown_pipe_styles", no_outer_pipes=web4.loose_markdown,
            padded=partial(web4.loose_markdown, how="padded"), escaped=partial(web4.loose_markdown, how="escaped")),
    _family("docx_cell_structures", paragraphs=tables4.cell_structures_docx,
            nested_value=partial(tables4.cell_structures_docx, how="nested")),
    _family("docx_tracked_structures", deleted_paragraph=tables4.tracked_docx,
            rows=partial(tables4.tracked_docx, how="rows"), comments=partial(tables4.tracked_docx, how="comments")),
    _family("header_chars_split", needs=("pdftotext",),
            **{fmt: partial(tables4.char_headers, fmt=fmt) for fmt in ("html", "docx", "pdf", "pdftotext")}),
    _family("table2_titles_outside", needs=("pdftotext",),
            **{fmt: partial(tables4.titled_table2, fmt=fmt) for fmt in ("html", "docx", "pdf", "pdftotext", "txt")}),
    _family("marked_values_word_pdf", needs=("pdftotext",),
            fullwidth_docx=tables4.marked_values, fullwidth_pdf=partial(tables4.marked_values, fmt="pdf"),
            fullwidth_pdftotext=partial(tables4.marked_values, fmt="pdftotext"),
            units_docx=partial(tables4.marked_values, how="units"),
            units_pdftotext=partial(tables4.marked_values, how="units", fmt="pdftotext")),
    _family("pdf_glyph_positioned", needs=("pdftotext",), ruled=pdfs4.glyph_pdf,
            borderless=partial(pdfs4.glyph_pdf, ruled=False),
            pdftotext=unseen_pdf.pdftotext_of(partial(pdfs4.glyph_pdf, ruled=False))),
    _family("pdf_continued_table", needs=("pdftotext",), ruled=pdfs4.continued_pdf,
            borderless=partial(pdfs4.continued_pdf, ruled=False),
            pdftotext=unseen_pdf.pdftotext_of(pdfs4.continued_pdf)),
    # sideways: 表三's page set with its text turned a quarter (not a rotated page), which the PDF reader
    # does not read (page_sideways); the family is not required to read every cell
    _family("pdf_landscape_table3_page", exact=False, needs=("pdftotext",), landscape=pdfs4.landscape_table3_pdf,
            rotated=partial(pdfs4.landscape_table3_pdf, how="rotated"),
            sideways=partial(pdfs4.landscape_table3_pdf, how="sideways"),
            ruled_landscape=partial(pdfs4.landscape_table3_pdf, ruled=True),
            pdftotext_landscape=unseen_pdf.pdftotext_of(pdfs4.landscape_table3_pdf),
            pdftotext_rotated=unseen_pdf.pdftotext_of(partial(pdfs4.landscape_table3_pdf, how="rotated"))),
)
"""Layouts of a fourth review (:mod:`render.unseen4`, :mod:`render.unseen4_pdf`, :mod:`render.unseen4_tables`)."""
FAMILIES.update({f.name: f for f in UNSEEN4})
