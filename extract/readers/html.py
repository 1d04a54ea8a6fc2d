"""Web pages (``.html``, ``.htm``, ``.shtml``) with lxml.

The encoding comes from a BOM, a ``<meta charset>`` or ``http-equiv``
declaration (GBK and GB2312 are read as their superset GB18030), else UTF-8,
else GB18030. Scripts, styles, navigation, headers and footers are dropped.
Tables that hold no other table are data tables: their rowspan/colspan are
expanded into a grid (text in the top-left cell only), within the limits of
:mod:`extract.layout.grid` (a span over 1,000 or a page whose tables would
expand too far is ``too_large``). ``<div>`` tables an inline style builds
(``display:table``, ``display:grid``) are read as tables
(:mod:`extract.readers.html_css`). A ``<pre>`` of space-aligned rows is read
by positions, as layout text is. Word-pasted markup
(``<span>``, ``<font>``, ``<o:p>``) is only inline text. The rest of the
page becomes running text lines, broken at block elements and ``<br>``.

Title candidates, most trusted first: ``<meta name="ArticleTitle">``,
``og:title``, ``<meta name="title">``, the article heading (``<h1>``, then an
element of class ``*title*``, outside navigation), then ``<title>``. They are
kept raw; :mod:`extract.parse.metadata` cuts site names and chrome.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from extract.layout.columns import layout_lines, looks_like_layout
from extract.layout.grid import GridBudget, expand_spans, grid_lines, span_value, text_lines
from extract.parse.values import as_mark
from extract.readers.decoding import check_text_bytes
from extract.readers.document import Document, Line
from extract.readers.errors import ReaderError
from extract.readers.html_css import css_grid, css_table, display

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "select", "iframe", "form", "button")
_CHROME = re.compile(r"(^|[\s_-])(nav|navbar|menu|footer|foot|breadcrumb|crumb|sidebar|topbar|share|copyright)"
                     r"([\s_-]|$)", re.IGNORECASE)
_BLOCK = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "table", "tr", "td", "th", "center", "blockquote", "pre", "dd", "dt", "dl", "body", "caption",
})
_TITLE_METAS = (("name", "articletitle"), ("property", "og:title"), ("name", "og:title"), ("name", "title"))
_TITLE_CLASS = re.compile(r"title", re.IGNORECASE)
_MAX_TITLE = 300
_MAX_HEADINGS = 5
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_GB = {"gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "gb18030", "hz-gb-2312"}


def decode_html(data: bytes) -> str:
    """Decode a page by its BOM or declared charset, else UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in _GB else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace")


def _is_chrome(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    if element.tag.lower() in _DROP_TAGS:
        return True
    marks = f"{element.get('id', '')} {element.get('class', '')} {element.get('role', '')}"
    return bool(_CHROME.search(marks)) and element.tag.lower() in ("div", "ul", "section", "aside", "td", "table")


def _is_hidden(element: etree._Element) -> bool:
    """An element the page hides (``hidden``, ``display:none``, ``visibility:hidden`` in its style)."""
    return element.get("hidden") is not None or bool(_HIDDEN.search(element.get("style") or ""))


def _cell_text(cell: etree._Element) -> str:
    """A cell's text, with line breaks where ``<br>``, ``<p>`` or ``<div>`` break it."""
    parts = [cell.text or ""]
    for child in cell:
        if isinstance(child.tag, str) and not _is_chrome(child):
            if child.tag.lower() in ("br", "p", "div"):
                parts.append("\n")
            inner = _cell_text(child)
            parts.append(as_mark(inner) if child.tag.lower() == "sup" else inner)
        parts.append(child.tail or "")
    return "".join(parts)


def _table_grid(table: etree._Element, budget: GridBudget) -> list[list[str | None]]:
    rows = []
    for tr in table.iter("tr"):
        cells = [(_cell_text(td), span_value(td.get("rowspan"), 1, "rowspan"),
                  span_value(td.get("colspan"), 1, "colspan"))
                 for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")]
        if cells:
            rows.append(cells)
    return expand_spans(rows, budget)


class _Walker:
    """Walks the page in document order, emitting text lines and table rows."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.buffer: list[str] = []
        self.budget = GridBudget()

    def flush(self) -> None:
        text = "".join(self.buffer).replace("\xa0", " ")
        self.buffer = []
        for piece in text.split("\n"):
            self.lines += text_lines([piece], None, "text", len(self.lines) + 1)

    def preformatted(self, element: etree._Element) -> bool:
        """A ``<pre>`` block of space-aligned table rows (a page that pasted a text copy) is read by
        positions, as layout text is (:mod:`extract.layout.columns`); other ``<pre>`` is text."""
        texts = element.text_content().replace("\xa0", " ").replace("\r\n", "\n").split("\n")
        if not looks_like_layout(texts, min_rows=1):
            return False
        self.flush()
        self.lines += layout_lines(texts, None, "positional", len(self.lines) + 1)
        return True

    def styled_table(self, element: etree._Element) -> bool:
        """An element its style makes a table (:mod:`extract.readers.html_css`) is read as one."""
        kind = display(element)
        if kind not in ("table", "inline-table", "grid", "inline-grid"):
            return False
        grid = (css_table if kind.endswith("table") else css_grid)(element, _cell_text)
        if grid is None:
            return False
        self.budget.spend(len(grid) * len(grid[0]))
        self.flush()
        self.lines += grid_lines(grid, None, "grid", len(self.lines) + 1)
        return True

    def walk(self, element: etree._Element) -> None:
        if not isinstance(element.tag, str) or _is_chrome(element):
            return
        tag = element.tag.lower()
        if tag == "table" and element.find(".//table") is None:
            self.flush()
            self.lines += grid_lines(_table_grid(element, self.budget), None, "grid", len(self.lines) + 1)
            return
        if tag == "pre" and self.preformatted(element):
            return
        if self.styled_table(element):
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        if tag == "br":
            self.buffer.append("\n")
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self.buffer.append(child.tail)
        if block:
            self.flush()


def _content_headings(body: etree._Element) -> list[etree._Element]:
    """``<h1>`` elements, then elements of class ``*title*``, outside navigation, in page order (a few)."""
    headings: list[etree._Element] = []
    classed: list[etree._Element] = []
    stack = [body]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or _is_chrome(element):
            continue
        if element.tag.lower() == "h1":
            headings.append(element)
        elif _TITLE_CLASS.search(element.get("class", "")):
            classed.append(element)
        stack.extend(reversed(element))
    return headings[:_MAX_HEADINGS] + classed[:_MAX_HEADINGS]


def _title_candidates(root: etree._Element) -> tuple[str, ...]:
    """The page's declared titles, most trusted first, spaces collapsed, each once."""
    found: list[str] = []
    metas = [meta for meta in root.iter("meta") if meta.get("content")]
    for attr, value in _TITLE_METAS:
        found += [meta.get("content", "") for meta in metas if (meta.get(attr) or "").strip().lower() == value]
    body = root.find("body")
    if body is not None:
        found += [element.text_content() for element in _content_headings(body)]
    found.append(root.findtext(".//title") or "")
    cleaned = (" ".join(text.split())[:_MAX_TITLE] for text in found)
    return tuple(dict.fromkeys(text for text in cleaned if text))


def fragment_lines(markup: str) -> list[Line]:
    """The lines of a piece of HTML inside another format (a Markdown file's ``<table>``)."""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return walker.lines


def read_html(data: bytes) -> Document:
    """Read a web page report."""
    check_text_bytes(data, "web page")
    text = _XML_DECLARATION.sub("", decode_html(data))
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ReaderError("corrupt_html", f"the web page cannot be parsed: {error}") from None
    for hidden in [e for e in root.iter() if isinstance(e.tag, str) and _is_hidden(e)]:
        hidden.drop_tree()  # what the browser does not show is not on the page
    title = root.findtext(".//title")
    body = root.find("body")
    walker = _Walker()
    walker.walk(body if body is not None else root)
    walker.flush()
    lines = [ln.renumbered(n) for n, ln in enumerate(walker.lines, 1)]
    return Document(source_format="html", lines=lines, title_hint=title.strip() if title else None,
                    title_candidates=_title_candidates(root))
