"""The crawl: one task per URL, handled by the scheduler; every task ends in one fetch log record.

A task's ``role`` says what the URL was found as: ``file`` or ``listing`` (a SOURCES.csv row),
``page`` (a link of a listing) or ``attachment`` (a document linked from a page). What a 200
answer is comes from its bytes (:func:`extract.readers.sniff.sniff_extension`), not its
``Content-Type``: a document is saved; an HTML page is a listing (its links are followed), a
report (it holds the report's tables: saved, and its attachments followed), a page that links
the report as an attachment (followed), or ``not_a_report``. Each URL is requested once a run.
"""

from __future__ import annotations

import dataclasses
import email.utils
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from extract.fetch.client import Client, ConnectionFailed, Reply, Timeout, TooLarge
from extract.fetch.log import FetchLog, FetchRecord
from extract.fetch.manifest import ManifestRow
from extract.fetch.naming import file_name
from extract.fetch.pages import PageLinks, decode_page, read_links
from extract.fetch.robots import Robots, disallow_all, read_robots, robots_url
from extract.fetch.schedule import Handled
from extract.fetch.sources import Source
from extract.fetch.state import FetchState, UrlState
from extract.readers.errors import ReaderError
from extract.readers.registry import source_format
from extract.readers.sniff import sniff_extension

MAX_REDIRECTS = 5
MAX_BACKOFF_S = 300.0


@dataclass(frozen=True)
class Task:
    url: str
    role: str
    source: Source
    attempt: int = 1
    redirects: int = 0


@dataclass
class CrawlOptions:
    delay: float = 1.0
    retries: int = 3
    max_pages: int = 10


def is_report_page(data: bytes) -> bool:
    """Whether an HTML page holds the report itself: the parser finds cells of its tables."""
    from extract.parse.report import extract_report

    try:
        return bool(extract_report(data, "page.html").cells)
    except ReaderError:
        return False
    except Exception:  # noqa: BLE001 - a page the parser chokes on is not a report we can vouch for
        return False


def _retry_after(reply: Reply) -> float | None:
    value = reply.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time()) if when else None


class Crawl:
    """The handler the scheduler calls; collects the manifest rows of the files it saved."""

    def __init__(self, reports_dir: Path, client: Client, options: CrawlOptions, state: FetchState, log: FetchLog,
                 emit: Callable[[str], None] = print) -> None:
        self.reports_dir, self.root = reports_dir, reports_dir.resolve()
        self.client, self.options, self.state, self.log, self.emit = client, options, state, log, emit
        self.robots: dict[str, Robots] = {}
        self.rows: list[ManifestRow] = []
        self._seen: set[str] = set()
        self._pages: dict[str, int] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    # -- queueing ---------------------------------------------------------------------------
    def claim(self, tasks: list[Task]) -> list[Task]:
        """The tasks whose URL this run has not requested yet (listing pages within --max-pages)."""
        kept = []
        with self._lock:
            for task in tasks:
                if task.url in self._seen:
                    continue
                if task.role == "listing":
                    count = self._pages.get(task.source.url, 0)
                    if count >= self.options.max_pages:
                        continue
                    self._pages[task.source.url] = count + 1
                self._seen.add(task.url)
                kept.append(task)
        return kept

    def _record(self, task: Task, outcome: str, message: str = "", reply: Reply | None = None,
                status: int | None = None, attempts: int | None = None, **fields) -> None:
        record = self.log.add(FetchRecord(
            task.url, outcome, task.role, task.source.url, task.source.line, reply.status if reply else status,
            task.attempt if attempts is None else attempts,
            content_type=reply.content_type[:200] if reply and reply.content_type else None,
            elapsed_ms=reply.elapsed_ms if reply else None, message=message, **fields))
        where = f" → {record.file}" if record.file else ""
        self.emit(f"  {outcome:<17} {task.url}{where}{': ' + message if message else ''}")

    # -- the handler ------------------------------------------------------------------------
    def handle(self, task: Task) -> Handled[Task]:
        if self.stopping.is_set():
            return Handled()
        rules = self.robots.get(robots_url(task.url))
        if rules is None:
            rules, failure = read_robots(self.client, self.state, task.url)
            if failure is not None and task.attempt <= self.options.retries:
                return self._retry_or_record(task, failure[0], failure[1])
            if failure is not None:
                rules = disallow_all(f"{failure[1]}: nothing was requested from this host", failure[0])
            with self._lock:
                self.robots[robots_url(task.url)] = rules
            if failure is None:
                return Handled(retry=task, host_delay=rules.crawl_delay())
        if not rules.allows(task.url):
            self._record(task, rules.outcome, rules.unavailable or f"{robots_url(task.url)} disallows it for "
                         "gongkai: never requested", attempts=0 if rules.outcome == "robots_disallowed" else None)
            return Handled()
        entry = self.state.get(task.url)
        conditional = entry is not None and entry.has_validators and (
            entry.verdict != "file" or (entry.file is not None and (self.reports_dir / entry.file).is_file()))
        try:
            reply = self.client.get(task.url, entry.etag if conditional else None,
                                    entry.last_modified if conditional else None)
        except (Timeout, ConnectionFailed) as error:
            outcome = "timeout" if isinstance(error, Timeout) else "connection_error"
            return self._retry_or_record(task, outcome, str(error))
        except TooLarge as error:
            self.state.remember(task.url, error.headers, UrlState(verdict="too_large", message=str(error)))
            self._record(task, "too_large", str(error), status=200)
            return Handled()
        if reply.status == 304 and entry is not None:
            return self._not_modified(task, reply, entry)
        if reply.status in (301, 302, 303, 307, 308) and reply.headers.get("location"):
            return self._redirect(task, reply)
        if reply.status >= 500:
            return self._retry_or_record(task, "http_5xx", f"HTTP {reply.status}", reply)
        if reply.status in (404, 410):
            self._record(task, "http_404", f"HTTP {reply.status}", reply)
            return Handled()
        if reply.status >= 400:
            self._record(task, "http_4xx", f"HTTP {reply.status} (4xx answers are not retried)", reply)
            return Handled()
        if reply.status != 200 or reply.body is None:
            self._record(task, "not_a_report", f"HTTP {reply.status}: no document in the answer", reply)
            return Handled()
        return self._content(task, reply)

    def _retry_or_record(self, task: Task, outcome: str, message: str, reply: Reply | None = None) -> Handled[Task]:
        if task.attempt <= self.options.retries:
            wait = min(MAX_BACKOFF_S, max(self.options.delay, 0.5) * 2 ** (task.attempt - 1))
            if reply is not None and (after := _retry_after(reply)) is not None:
                wait = min(MAX_BACKOFF_S, max(wait, after))
            return Handled(retry=dataclasses.replace(task, attempt=task.attempt + 1),
                           retry_at=time.monotonic() + wait)
        self._record(task, outcome, f"{message}, {task.attempt} attempts", reply)
        return Handled()

    def _redirect(self, task: Task, reply: Reply) -> Handled[Task]:
        target = urljoin(task.url, reply.headers["location"].strip())
        if task.redirects >= MAX_REDIRECTS:
            self._record(task, "redirected", f"to {target}: more than {MAX_REDIRECTS} redirects, not followed", reply)
            return Handled()
        self._record(task, "redirected", f"to {target}", reply)
        return Handled(found=self.claim([dataclasses.replace(task, url=target, attempt=1,
                                                             redirects=task.redirects + 1)]))

    def _follow(self, task: Task, links: PageLinks) -> list[Task]:
        if task.role == "listing":
            found = [Task(url, "listing", task.source) for url in links.next_pages]
            found += [Task(url, "page", task.source) for url in links.reports]
        elif task.role == "attachment":
            found = []
        else:
            found = [Task(url, "attachment", task.source) for url in links.attachments]
        return self.claim(found)

    def _not_modified(self, task: Task, reply: Reply, entry: UrlState) -> Handled[Task]:
        links = PageLinks(entry.reports, entry.next_pages, entry.attachments)
        if entry.verdict in ("not_a_report", "too_large"):
            self._record(task, entry.verdict, f"unchanged since {entry.fetched_at} (304): {entry.message}", reply)
            return Handled()
        if entry.verdict == "file" and entry.file:
            self._add_row(task, entry.file)
            self._record(task, "not_modified", "", reply, file=entry.file, sha256=entry.sha256,
                         detected_format=source_format(entry.file))
        else:
            self._record(task, "not_modified", f"links of {entry.fetched_at} reused", reply)
        return Handled(found=self._follow(task, links))

    def _content(self, task: Task, reply: Reply) -> Handled[Task]:
        body = reply.body or b""
        hint = unquote(urlsplit(task.url).path).rsplit("/", 1)[-1]
        extension = sniff_extension(body, hint, reply.content_type)
        if extension is None:
            why = f"{len(body)} bytes of {reply.content_type or 'no declared type'} that no reader reads"
            self.state.remember(task.url, reply.headers, UrlState(verdict="not_a_report", message=why))
            self._record(task, "not_a_report", why, reply, size_bytes=len(body))
            return Handled()
        if source_format("x" + extension) != "html":
            return Handled(found=self._save(task, reply, body, extension, PageLinks()))
        try:
            links = read_links(decode_page(body, reply.charset), task.url, task.source.link_pattern)
        except ReaderError as error:
            self.state.remember(task.url, reply.headers, UrlState(verdict="not_a_report", message=error.message))
            self._record(task, "not_a_report", error.message, reply, size_bytes=len(body))
            return Handled()
        if task.role == "listing":
            self.state.remember(task.url, reply.headers, UrlState(verdict="links", reports=links.reports,
                                                             next_pages=links.next_pages))
            self._record(task, "followed", f"{len(links.reports)} report links, {len(links.next_pages)} next pages",
                         reply, size_bytes=len(body), detected_format="html")
            return Handled(found=self._follow(task, links))
        if task.role == "attachment":
            links = PageLinks()
        if is_report_page(body):
            return Handled(found=self._save(task, reply, body, extension, links))
        if links.attachments:
            self.state.remember(task.url, reply.headers, UrlState(verdict="links", attachments=links.attachments))
            self._record(task, "followed", f"a page that links {len(links.attachments)} attachments", reply,
                         size_bytes=len(body), detected_format="html")
            return Handled(found=self._follow(task, links))
        why = "an HTML page with none of the report's tables and no attachment"
        self.state.remember(task.url, reply.headers, UrlState(verdict="not_a_report", message=why))
        self._record(task, "not_a_report", why, reply, size_bytes=len(body), detected_format="html")
        return Handled()

    def _save(self, task: Task, reply: Reply, body: bytes, extension: str, links: PageLinks) -> list[Task]:
        rel = file_name(task.url, extension)
        path = self.reports_dir / rel
        sha256 = hashlib.sha256(body).hexdigest()
        fields = {"file": rel, "size_bytes": len(body), "sha256": sha256, "detected_format": source_format(rel)}
        try:
            if not path.resolve().is_relative_to(self.root):
                raise OSError(f"{rel} would be outside the reports folder")
            same = path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256
            if not same:
                _write_atomic(path, body)
        except OSError as error:
            self._record(task, "write_failed", f"{rel}: {error.strerror or error}", reply, **fields)
            return []
        self.state.remember(task.url, reply.headers, UrlState(file=rel, sha256=sha256, attachments=links.attachments))
        self._add_row(task, rel)
        declared, fmt = reply.content_type.split(";")[0].strip().lower(), source_format(rel) or ""
        agrees = fmt in declared or (fmt in ("doc", "docx", "wps", "rtf", "odt") and "word" in declared)
        note = "" if agrees or not declared else f"served as {declared}, read as {fmt} from its bytes"
        if same:
            self._record(task, "unchanged", "same bytes as the saved file (the server ignored the conditional "
                         "request or sent no validators)", reply, **fields)
        else:
            self._record(task, "fetched", note, reply, **fields)
        return self._follow(task, links) if task.role != "attachment" else []

    def _add_row(self, task: Task, rel: str) -> None:
        with self._lock:
            self.rows.append(ManifestRow(rel, task.url, task.source.agency, task.source.year))


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=".gongkai-fetch-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise


__all__ = ["Crawl", "CrawlOptions", "Task", "is_report_page"]
