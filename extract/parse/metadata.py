"""Report metadata from the text: agency, year, scope, region and publication date."""

from __future__ import annotations

import datetime as dt
import re

from extract.parse.model import ReportMetadata
from extract.readers.document import Document

_SPACE = re.compile(r"[\s\u00a0\u3000#*]+")
_TITLE = re.compile(
    r"(?P<agency>[^，。；：:,;《》“”]{2,60}?)[（(]?(?P<year>(?:19|20)\d{2})年度?[）)]?"
    r"(?:政府信息公开|政务公开|信息公开)?.{0,12}?年度?报告"
)
_TITLE_YEAR_FIRST = re.compile(
    r"(?P<year>(?:19|20)\d{2})年度?(?P<agency>[^，。；：:,;《》“”]{2,40}?)"
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?年度?报告"
)
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_TITLE_LINES = 8
_DATE_TAIL_LINES = 12
_REGION = re.compile(r"^(?P<region>.{2,12}?(?:自治区|省|自治州|市|地区|盟|自治县|县|区|旗))")
_AGENCY_SUFFIXES = ("人民政府", "办公厅", "办公室", "局", "委员会", "厅", "院", "部", "署", "中心",
                    "大队", "支队", "分局", "所", "站", "馆", "会", "处", "队")
_AGGREGATE_MARKERS = ("全市", "全区", "全县", "全省", "全州", "全旗")


def _title_text(doc: Document) -> str:
    parts: list[str] = []
    for line in doc.lines:
        text = _SPACE.sub("", line.text)
        if not text:
            continue
        if len(parts) >= _TITLE_LINES or (len(text) > 60 and parts):
            break
        parts.append(text)
        if "报告" in text:
            break
    return "".join(parts)


def _published_date(doc: Document, year: int | None) -> str | None:
    tail = [line.text for line in doc.lines if line.text.strip()][-_DATE_TAIL_LINES:]
    for text in reversed(tail):
        if len(_SPACE.sub("", text)) > 20:
            continue
        match = _DATE.search(text)
        if not match:
            continue
        try:
            date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        if year is None or year <= date.year <= year + 1:
            return date.isoformat()
    return None


def _scope(agency: str, title: str) -> str:
    if any(marker in title for marker in _AGGREGATE_MARKERS):
        return "region_aggregate"
    region = _REGION.match(agency)
    if region and region["region"] == agency and not agency.endswith(_AGENCY_SUFFIXES):
        return "region_aggregate"
    return "agency"


def read_metadata(doc: Document) -> ReportMetadata:
    """Agency and year from the title (split or spaced titles re-joined), scope and date.

    The title printed in the text wins; a title the container declares (HTML
    ``<title>``, Word properties) comes next, then the first 3,000 characters.
    """
    title = _title_text(doc)
    meta = ReportMetadata(title=title or None)
    body = _SPACE.sub("", doc.text[:3000])
    hint = _SPACE.sub("", doc.title_hint or "")
    match = (_TITLE.search(title) or _TITLE_YEAR_FIRST.search(title)
             or _TITLE.search(hint) or _TITLE_YEAR_FIRST.search(hint)
             or _TITLE.search(body) or _TITLE_YEAR_FIRST.search(body))
    if match and not _TITLE.search(title) and not _TITLE_YEAR_FIRST.search(title) and hint:
        meta.title = hint
    if match:
        agency = match["agency"].strip("关于的").strip()
        meta.agency_name = agency or None
        meta.report_year = int(match["year"])
    if meta.agency_name:
        meta.report_scope = _scope(meta.agency_name, title)
        region = _REGION.match(meta.agency_name)
        meta.region_name = region["region"] if region else None
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
