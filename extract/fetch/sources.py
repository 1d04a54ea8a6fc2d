"""``SOURCES.csv``: what to fetch, one URL a row.

Header ``url,kind,agency,year,link_pattern`` (only ``url`` is required):

- ``kind`` ``file`` (the default) downloads one report: a PDF, a Word/WPS file, or an HTML page
  that is itself the report (a page that only links the report as an attachment yields the
  attachment); ``listing`` reads a listing page (a 政府信息公开年报 column), follows the links whose
  URL, text or title matches ``link_pattern``, and its pagination (下一页, ``index_1.html`` …).
- ``agency`` and ``year``, when given, are written to ``manifest.csv`` for every file the row
  yields (so on a listing, give ``year`` only when it lists one year's reports).
- ``link_pattern`` is a Python regular expression (default :data:`DEFAULT_LINK_PATTERN`).

A bad row (a URL that is not http(s), an unknown kind, a year outside 2000–2100, a pattern that
does not compile) is that row's ``bad_source`` outcome; the other rows are fetched. A file that
cannot be used at all (unreadable, no ``url`` column) is a usage error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from extract.readers.operator_csv import OperatorCsvError, operator_rows
from extract.run.manifest import MAX_FIELD_CHARS, YEARS

DEFAULT_LINK_PATTERN = r"政府信息公开(工作)?年度报告|年报"
KINDS = ("file", "listing")
MAX_SOURCES_BYTES = 20 * 1024 * 1024


class SourcesError(Exception):
    """The sources file cannot be used at all (a usage error, exit 2)."""


@dataclass(frozen=True)
class Source:
    """One row of SOURCES.csv: ``line`` is its line in the file."""

    url: str
    kind: str = "file"
    agency: str = ""
    year: str = ""
    link_pattern: re.Pattern[str] = field(default_factory=lambda: re.compile(DEFAULT_LINK_PATTERN))
    line: int = 0

    @property
    def overrides(self) -> dict[str, str]:
        """The manifest values this row gives every file it yields."""
        return {name: value for name, value in (("agency", self.agency), ("year", self.year)) if value}


@dataclass(frozen=True)
class BadSource:
    """A row that cannot be fetched, and why."""

    url: str
    line: int
    problem: str


@dataclass
class Sources:
    rows: list[Source] = field(default_factory=list)
    bad: list[BadSource] = field(default_factory=list)


def _check(row: dict[str, str]) -> str | None:
    url, kind, year = row["url"], row["kind"] or "file", row["year"]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"url {url[:80]!r} is not an http(s) address"
    if len(url) > MAX_FIELD_CHARS["url"]:
        return f"url is {len(url)} characters long (at most {MAX_FIELD_CHARS['url']})"
    if kind not in KINDS:
        return f"kind {kind[:20]!r} must be file or listing"
    if year and not (year.isascii() and year.isdigit() and int(year) in YEARS):
        return f"year {year[:20]!r} is not a year from {YEARS.start} to {YEARS.stop - 1}"
    if len(row["agency"]) > MAX_FIELD_CHARS["agency"]:
        return f"agency is {len(row['agency'])} characters long (at most {MAX_FIELD_CHARS['agency']})"
    return None


def parse_sources(data: bytes, name: str = "SOURCES.csv") -> Sources:
    """The file's bytes → rows to fetch and bad rows; raises :class:`SourcesError` when unusable."""
    sources = Sources()
    seen: set[str] = set()
    try:
        for raw in operator_rows(data, name, MAX_SOURCES_BYTES, ("url",),
                                 "a 'url' column (url,kind,agency,year,link_pattern)"):
            row = {key: raw.values.get(key, "") for key in ("url", "kind", "agency", "year", "link_pattern")}
            if not row["url"] or row["url"].startswith("#"):
                continue
            problem = _check(row)
            pattern = None
            if problem is None:
                try:
                    pattern = re.compile(row["link_pattern"] or DEFAULT_LINK_PATTERN)
                except re.error as error:
                    problem = f"link_pattern {row['link_pattern'][:60]!r} is not a regular expression ({error})"
            if problem is None and row["url"] in seen:
                problem = "the same url is on an earlier row"
            if problem is not None:
                sources.bad.append(BadSource(row["url"][:MAX_FIELD_CHARS["url"]], raw.line,
                                             f"{name} line {raw.line}: {problem}"))
                continue
            seen.add(row["url"])
            sources.rows.append(Source(row["url"], row["kind"] or "file", row["agency"], row["year"], pattern,
                                       raw.line))
    except OperatorCsvError as error:
        raise SourcesError(error.message) from None
    return sources


def read_sources(path: Path) -> Sources:
    """Read SOURCES.csv; raises :class:`SourcesError` when it is missing or unusable."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCES_BYTES + 1)
    except OSError as error:
        raise SourcesError(f"the sources file {path} cannot be read: {error.strerror or error}") from None
    return parse_sources(data, path.name)
