"""Report metadata from the text: agency, year, scope, region and publication date.

Every text is NFKC-normalised first (``２０２２`` is 2022, ``（`` is ``(``), and spaces are dropped;
the agency and title found keep the full-width brackets Chinese names are printed with
(``某县（市）人民政府``), whichever the page used.
The title is the first of these candidates that reads as ``<agency><year>年…报告`` (or
``<year>年<agency>…报告``): a portal text copy's ``标题:`` header line; the titles the container
declares, most trusted first (web pages: ArticleTitle / og:title / title meta, the article heading,
``<title>``); the title printed in the first lines; the container's title hint (Word properties);
the first 3,000 characters. A candidate is split at title separators (``…报告_平潭综合实验区``,
breadcrumbs ``首页>政务公开>…``); in the agency, portal chrome (``长者模式``, ``返回首页`` …) and what
precedes it are cut, a menu item before it (``政务公开``) too, and a name printed twice
(``莆田市城市管理局莆田市城市管理局``) is kept once. A title without an agency
(``2023年政府信息公开工作年度报告``) gives the year; the agency is then the report's signature
(:func:`signature_agency`), or none.

The words are data, in ``seeds/metadata_words.csv`` (``kind,word,note``), read by :func:`load_words`:
a new agency suffix, aggregate marker, zone word, chrome phrase or menu item is one CSV line.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extract.parse.model import ReportMetadata
from extract.paths import SEEDS_DIR
from extract.readers.document import Document

WORD_KINDS = ("agency_suffix", "aggregate_marker", "division_suffix", "zone_word", "not_a_place",
              "portal_chrome", "title_separator", "nav_word")

_SPACE = re.compile(r"[\s\u00a0\u3000#*]+")
_DISCLOSURE = r"(?:政府信息公开|政务公开|信息公开)"
_TITLE = re.compile(
    r"(?P<agency>[^，。；：:,;《》“”]{2,60}?)[（(]?(?P<year>(?:19|20)\d{2})年度?[）)]?"
    rf"(?:{_DISCLOSURE}?.{{0,12}}?年度?报告|{_DISCLOSURE}(?:工作)?(?:的|情况)?(?:报告|年报))"
)
_TITLE_YEAR_FIRST = re.compile(
    rf"(?P<year>(?:19|20)\d{{2}})年(?!度?{_DISCLOSURE})度?(?P<agency>[^，。；：:,;《》“”]{{2,40}}?)"
    rf"{_DISCLOSURE}(?:工作)?年度?报告"
)
_TITLE_YEAR_LATE = re.compile(  # 某局政府信息公开工作2023年度报告
    rf"(?P<agency>[^，。；：:,;《》“”]{{2,60}}?){_DISCLOSURE}(?:工作)?[（(]?(?P<year>(?:19|20)\d{{2}})年度?[）)]?报告"
)
_YEAR_ONLY = re.compile(rf"^[（(]?(?P<year>(?:19|20)\d{{2}})年度?[）)]?{_DISCLOSURE}(?:工作)?(?:年度)?(?:报告|年报)")
_HEADER_TITLE = re.compile(r"^标题:(?P<title>.+)$")
_HEADER_DATE = re.compile(r"^发布时间:(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
_HEADER_LINES = 12
_TITLE_LINES = 8
_DATE_TAIL_LINES = 12
_STRIP = "关于的|>_-—:·•、"
_DOC_NUMBER = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]第?\d+号")
_NOTICE = re.compile(r"关于(?:印发|公布|发布|转发|公开)?")
_LEAD = re.compile(r"^[^\u4e00-\u9fff（(]+")  # digits or marks before a name (a stamp's): names start in Chinese


@dataclass(frozen=True)
class Words:
    """The words of ``seeds/metadata_words.csv`` by kind, NFKC-normalised, longest first."""

    by_kind: dict[str, tuple[str, ...]]

    def __getitem__(self, kind: str) -> tuple[str, ...]:
        return self.by_kind.get(kind, ())


@lru_cache(maxsize=2)
def load_words(seeds_dir: Path = SEEDS_DIR) -> Words:
    """Read the word list; an unknown ``kind`` is an error, so a typo is not silently ignored."""
    found: dict[str, list[str]] = {kind: [] for kind in WORD_KINDS}
    with (seeds_dir / "metadata_words.csv").open(encoding="utf-8", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), 2):
            kind, word = row["kind"].strip(), unicodedata.normalize("NFKC", row["word"]).strip()
            if kind not in found or not word:
                raise ValueError(f"metadata_words.csv line {line_no}: unknown kind {kind!r} or empty word")
            if word not in found[kind]:
                found[kind].append(word)
    return Words({kind: tuple(sorted(words, key=len, reverse=True)) for kind, words in found.items()})


@lru_cache(maxsize=16)
def alternation(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching any of ``words`` (give them longest first)."""
    return re.compile("|".join(map(re.escape, words)) or r"(?!)")


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), without spaces or markdown marks."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class TitleReading:
    """What one title says: the agency (chrome cut), the year, and the title from agency to 报告."""

    agency: str
    year: int
    title: str


_CHINESE_BRACKETS = str.maketrans("()[]", "（）［］")


def _in_chinese(text: str) -> str:
    """Brackets as Chinese names print them (NFKC made them ASCII)."""
    return text.translate(_CHINESE_BRACKETS)


def _clean_agency(agency: str, words: Words) -> str | None:
    """The agency without portal chrome before it, and once when printed twice."""
    chrome = alternation(words["portal_chrome"])
    cut = max((m.end() for m in chrome.finditer(agency)), default=0)
    agency = agency[cut:]
    header = max((m.end() for m in _DOC_NUMBER.finditer(agency)), default=0)
    agency = agency[header:]  # 某局文件某民〔2024〕3号…: an official document's header, before the title
    notice = _NOTICE.search(agency)
    if notice:  # 某局关于印发《某局2023年…》: the report's own agency follows; 某局关于2023年…: it precedes
        after = agency[notice.end():]
        agency = after if len(after.strip(_STRIP)) >= 2 else agency[:notice.start()]
    agency = _LEAD.sub("", agency).strip(_STRIP)
    nav = alternation(words["nav_word"])
    while (lead := nav.match(agency)) and lead.end() < len(agency):  # 政务公开某局: a menu item before it
        agency = agency[lead.end():]
    if nav.fullmatch(agency):
        return None
    repeated = re.fullmatch(r"(.{2,}?)\1+", agency)
    if repeated:
        agency = repeated.group(1)
    return agency if len(agency) >= 2 else None


def read_title(text: str, words: Words | None = None) -> TitleReading | None:
    """Agency, year and clean title from one candidate text, or ``None`` when it is no report title."""
    words = words or load_words()
    pieces = alternation(words["title_separator"]).split(normalize(text))
    for pattern in (_TITLE, _TITLE_YEAR_FIRST, _TITLE_YEAR_LATE):
        for piece in pieces:
            match = pattern.search(piece)
            agency = _clean_agency(match["agency"], words) if match else None
            if match and agency:
                title = piece[match.start():match.start("agency")] + agency + piece[match.end("agency"):match.end()]
                return TitleReading(_in_chinese(agency), int(match["year"]), _in_chinese(title))
    return None


def _is_chrome(text: str, words: Words) -> bool:
    """A line that is only navigation (``长者模式``, ``首页>政务公开``) and no title."""
    rest = alternation(words["nav_word"]).sub("", alternation(words["portal_chrome"]).sub("", text))
    return "报告" not in text and not alternation(words["title_separator"]).sub("", rest).strip(_STRIP)


_DIGITS = re.compile(r"\d+")


def _running_lines(doc: Document) -> set[str]:
    """Lines (digits dropped) printed first on two pages or more: a running header (``某局办公室
    2024-01-20 第 1 页``), page furniture and not the title."""
    firsts: dict[int, str] = {}
    for line in doc.lines:
        text = normalize(line.text)
        if line.page is not None and text and line.page not in firsts:
            firsts[line.page] = _DIGITS.sub("", text)
    texts = list(firsts.values())
    return {text for text in texts if texts.count(text) >= 2}


def _title_text(doc: Document, words: Words) -> str:
    """The title printed in the first lines, re-joined when it is split over lines; running
    headers (:func:`_running_lines`) are not part of it."""
    parts: list[str] = []
    running = _running_lines(doc)
    for line in doc.lines:
        text = normalize(line.text)
        if not text or (not parts and _is_chrome(text, words)) or _DIGITS.sub("", text) in running:
            continue
        if len(parts) >= _TITLE_LINES or (len(text) > 60 and parts):
            break
        parts.append(text)
        if "报告" in text or text.endswith("年报"):
            break
    return "".join(parts)


def _header_lines(doc: Document) -> list[str]:
    return [normalize(line.text) for line in doc.lines[:_HEADER_LINES]]


def _candidates(doc: Document, printed: str) -> list[str]:
    """Title candidates, most trusted first (see the module docstring)."""
    header = [m["title"] for m in map(_HEADER_TITLE.match, _header_lines(doc)) if m]
    return [*header, *doc.title_candidates, printed, doc.title_hint or "", doc.text[:3000]]


def _published_date(doc: Document, year: int | None) -> str | None:
    tail = [normalize(line.text) for line in doc.lines if line.text.strip()][-_DATE_TAIL_LINES:]
    header = [m for m in map(_HEADER_DATE.match, _header_lines(doc)) if m]
    for match in [*(_DATE.search(t) for t in reversed(tail) if len(t) <= 20), *header]:
        if not match:
            continue
        try:
            date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        if year is None or year <= date.year <= year + 1:
            return date.isoformat()
    return None


def _year_only(doc: Document, candidates: list[str], meta: ReportMetadata, words: Words) -> None:
    """A title naming no agency (``2023年政府信息公开工作年度报告``, the site's subpage of an agency):
    the year from it, the agency from the signature (:func:`signature_agency`), else none (never
    the menu item printed before the title)."""
    for candidate in candidates:
        pieces = alternation(words["title_separator"]).split(normalize(candidate)) if candidate else []
        found = next((m for m in map(_YEAR_ONLY.match, pieces) if m), None)
        if found:
            meta.agency_name, meta.report_year = signature_agency(doc, words), int(found["year"])
            meta.title = _in_chinese(found.group(0))
            return


def signature_agency(doc: Document, words: Words | None = None) -> str | None:
    """The agency a report is signed by: the line before the date that ends it (``某市某区民政局`` /
    ``2024年1月20日``), when that line is only a name ending in an agency, division or zone word."""
    words = words or load_words()
    tail = [normalize(line.text) for line in doc.lines if line.text.strip()][-_DATE_TAIL_LINES:]
    suffixes = alternation((*words["agency_suffix"], *words["division_suffix"], *words["zone_word"])).pattern
    for before, line in zip(reversed(tail[:-1]), reversed(tail[1:]), strict=True):
        if _DATE.fullmatch(line):
            name = re.fullmatch(rf"[\u4e00-\u9fff（）()]{{2,30}}(?:{suffixes})", before)
            return _in_chinese(before) if name else None
    return None


def region_prefix(agency: str, words: Words | None = None) -> str | None:
    """The place name an agency name starts with (``淄博市`` of ``淄博市公安局``), by division suffix."""
    suffixes = alternation((words or load_words())["division_suffix"]).pattern
    match = re.match(rf"(?P<region>.{{2,12}}?(?:{suffixes}))", agency)
    return match["region"] if match else None


def _scope(agency: str, title: str, words: Words) -> str:
    if alternation(words["aggregate_marker"]).search(title):
        return "region_aggregate"
    if region_prefix(agency, words) == agency and not agency.endswith(words["agency_suffix"]):
        return "region_aggregate"
    return "agency"


def read_metadata(doc: Document) -> ReportMetadata:
    """Agency and year from the first title candidate that reads as one, scope, region and date."""
    words = load_words()
    printed = _title_text(doc, words)
    meta = ReportMetadata(title=printed or None)
    for candidate in _candidates(doc, printed):
        found = read_title(candidate, words) if candidate else None
        if found:
            meta.title, meta.agency_name, meta.report_year = found.title, found.agency, found.year
            break
    if not meta.agency_name:
        _year_only(doc, _candidates(doc, printed), meta, words)
    if meta.agency_name:
        meta.report_scope = _scope(meta.agency_name, meta.title or "", words)
        meta.region_name = region_prefix(meta.agency_name, words)
    meta.published_date = _published_date(doc, meta.report_year)
    return meta


def apply_overrides(meta: ReportMetadata, values: dict[str, str]) -> None:
    """Replace detected metadata with the manifest's values for this file."""
    if "agency" in values:
        meta.agency_name = values["agency"]
    if "year" in values:
        meta.report_year = int(values["year"])
    if "scope" in values:
        meta.report_scope = values["scope"]
    if "url" in values:
        meta.source_url = values["url"]
