"""``.gongkai-fetch.json`` in the reports folder: what each URL gave last time, for conditional requests.

One entry per URL answered with 200: its validators (``etag``, ``last_modified``), when it was
fetched, and what it was: a saved ``file`` (with its ``sha256``), a page's links (a listing's
report links and next pages, a page's attachments), or why it was not kept (``verdict``
``not_a_report`` or ``too_large``); a ``robots.txt`` keeps its text. A 304 reuses the entry,
so an unchanged listing still yields its links and an unchanged report is never downloaded
again. The file is hidden (the refresh skips it) and written atomically; a missing or unreadable one means a fresh start
(every URL is downloaded once more, and a file with the same bytes is left as it is).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATE_NAME = ".gongkai-fetch.json"
STATE_VERSION = 1


@dataclass
class UrlState:
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    verdict: str = "file"  # file, links, not_a_report, too_large, robots (message holds robots.txt)
    file: str | None = None
    sha256: str | None = None
    reports: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def has_validators(self) -> bool:
        return bool(self.etag or self.last_modified)


@dataclass
class FetchState:
    """Every URL's entry, safe to update from the crawl's threads."""

    urls: dict[str, UrlState] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get(self, url: str) -> UrlState | None:
        with self._lock:
            return self.urls.get(url)

    def put(self, url: str, entry: UrlState) -> None:
        with self._lock:
            self.urls[url] = entry

    def remember(self, url: str, headers: dict[str, str], entry: UrlState) -> None:
        """Keep what a 200 gave, with the response's validators and the time."""
        entry.etag, entry.last_modified = headers.get("etag"), headers.get("last-modified")
        entry.fetched_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.put(url, entry)


def read_state(reports_dir: Path) -> FetchState:
    path = reports_dir / STATE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return FetchState()
    state = FetchState()
    known = set(UrlState.__dataclass_fields__)
    if isinstance(data, dict) and isinstance(data.get("urls"), dict):
        for url, entry in data["urls"].items():
            if isinstance(entry, dict):
                state.urls[url] = UrlState(**{k: v for k, v in entry.items() if k in known})
    return state


def write_state(reports_dir: Path, state: FetchState) -> None:
    with state._lock:
        payload = {"version": STATE_VERSION, "urls": {url: asdict(entry) for url, entry in sorted(state.urls.items())}}
    fd, partial = tempfile.mkstemp(prefix=STATE_NAME + ".", dir=reports_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, indent=1)
        os.replace(partial, reports_dir / STATE_NAME)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
