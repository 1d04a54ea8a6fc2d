"""Listing pages and report pages → the links to follow (lxml; no JavaScript is run).

- report links: ``<a>`` whose URL, text or ``title`` matches the source's ``link_pattern``;
- pagination: ``下一页`` / ``下页`` / ``后页`` / ``next`` links, links to ``index_1.html``-style pages
  in the listing's folder, and the page count of the ``createPageHTML(count, current, "index",
  "html")`` call that the common government CMS writes instead of links (read, not run);
- attachments: links to a document (``.pdf``, ``.doc``, ``.docx``, ``.wps``, ``.rtf``, ``.odt``, by
  URL or by link text) whose URL or text matches the pattern or that sit by the word 附件.

Pages are decoded as UTF-8 when they are valid UTF-8, else with the charset the server or the page
declares (GB2312 and GBK read as their superset GB18030), else by
:func:`extract.readers.decoding.decode_text`.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from posixpath import dirname
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from extract.readers.decoding import decode_text
from extract.readers.errors import ReaderError

DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".rtf", ".odt")
_NEXT_TEXTS = ("下一页", "下页", "后页", "后一页", "next", "next page", "›", "»", ">")
_PAGE_FILE = re.compile(r"/(index|list|default)_\d+\.(s?html?|jsp|php|aspx?)$", re.IGNORECASE)
_CREATE_PAGE = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w-]+)['\"]"
                          r"\s*,\s*['\"](\w+)['\"]")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*['\"]?([\w-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


@dataclass
class PageLinks:
    """What a page links to, as absolute http(s) URLs without fragments, in page order."""

    reports: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def _charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    if name in _GB:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in ("latin-1", "iso8859-1", "ascii", "cp1252") else codec


def decode_page(data: bytes, header_charset: str | None = None) -> str:
    """A page's text: UTF-8 when the bytes are valid UTF-8 (GBK text almost never is, while UTF-8
    text often decodes as GB18030, so a page declared GBK that is really UTF-8 is read right), else
    the charset the server or the page declares, else GB18030 (:func:`decode_text`).

    A declared Latin-1 (HTTP's old default) is ignored: it never fails, so it would hide GBK."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:4096])
    for declared in (_charset(header_charset), _charset(meta.group(1).decode("ascii", "ignore") if meta else None)):
        if declared:
            try:
                return data.decode(declared)
            except (UnicodeDecodeError, LookupError):
                continue
    return decode_text(data)


def _absolute(base: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _is_document(url: str, text: str) -> bool:
    path = unquote(urlsplit(url).path).lower()
    return path.endswith(DOCUMENT_SUFFIXES) or text.strip().lower().endswith(DOCUMENT_SUFFIXES)


def _is_next(url: str, text: str, page_url: str) -> bool:
    if text.strip().lower() in _NEXT_TEXTS:
        return True
    path, base = urlsplit(url).path, urlsplit(page_url).path
    return bool(_PAGE_FILE.search(path)) and dirname(path) == dirname(base)


def _add(items: list[str], url: str) -> None:
    if url not in items:
        items.append(url)


def parse_tree(text: str):
    """The page as an lxml tree (an XML declaration is dropped: lxml refuses it in a str)."""
    text = _XML_DECLARATION.sub("", text)
    if not text.strip():
        raise ReaderError("empty_file", "the page is empty")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ReaderError("unreadable_html", f"the page cannot be parsed as HTML: {error}") from None


def read_links(text: str, page_url: str, pattern: re.Pattern[str]) -> PageLinks:
    """Report links, pagination and attachments of one page (``page_url`` resolves relative links)."""
    tree = parse_tree(text)
    base = page_url
    for element in tree.iter("base"):
        base = urljoin(page_url, element.get("href") or "")
        break
    links = PageLinks()
    for anchor in tree.iter("a"):
        url = _absolute(base, anchor.get("href"))
        if url is None or url == page_url:
            continue
        label = " ".join((anchor.text_content() or "").split())
        title = anchor.get("title") or ""
        matches = any(pattern.search(value) for value in (label, title, unquote(url)))
        if _is_next(url, label, page_url):
            _add(links.next_pages, url)
        elif _is_document(url, label):
            parent = anchor.getparent()
            context = " ".join(parent.text_content().split()) if parent is not None else ""
            if matches or "附件" in label or "附件" in context[:200]:
                _add(links.attachments, url)
            if matches:
                _add(links.reports, url)
        elif matches:
            _add(links.reports, url)
    for script in tree.iter("script"):
        for count, current, stem, suffix in _CREATE_PAGE.findall(script.text or ""):
            folder = urljoin(page_url, "./")
            for number in range(int(current) + 1, int(count)):
                _add(links.next_pages, urljoin(folder, f"{stem}_{number}.{suffix}"))
    return links
