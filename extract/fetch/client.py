"""One HTTP request (requests): the User-Agent, conditional headers, timeouts and the size cap.

No retries and no redirects here: the scheduler (:mod:`.schedule`) retries with backoff and
the crawl follows a redirect as a request of its own, so both keep the per-host delay and a
redirect to another host is checked against that host's ``robots.txt``. The body is streamed
and the download stopped as soon as it passes ``max_bytes`` (checked on the decompressed bytes,
so a small gzip bomb is stopped too). ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``NO_PROXY`` are honoured.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests
import urllib3.exceptions

from extract import PARSER_VERSION

USER_AGENT_TOKEN = "gongkai"
ACCEPT = "text/html,application/xhtml+xml,application/pdf,application/msword,*/*;q=0.8"


def user_agent(contact: str | None = None) -> str:
    """``gongkai/<version> (+contact)``: names the tool, and whom to tell when it misbehaves."""
    about = "government information disclosure annual report archiver; one request at a time, robots.txt honoured"
    return f"{USER_AGENT_TOKEN}/{PARSER_VERSION} ({about}{'; +' + contact if contact else ''})"


@dataclass(frozen=True)
class Reply:
    """A response as the crawl needs it: ``body`` is ``None`` for a 304, a redirect or an error status."""

    status: int
    headers: dict[str, str]
    body: bytes | None
    elapsed_ms: int

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def charset(self) -> str | None:
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset":
                return value.strip() or None
        return None


class TooLarge(Exception):
    """The body passed the cap; ``headers`` are the response's (validators included)."""

    def __init__(self, size: int | None, cap: int, headers: dict[str, str]) -> None:
        announced = f"announced as {size} bytes" if size is not None else f"passed {cap} bytes while downloading"
        super().__init__(f"the response is {announced}; --max-bytes is {cap}")
        self.headers = headers


class Timeout(Exception):
    """No answer within the timeout (connecting, or waiting for the next bytes)."""


class ConnectionFailed(Exception):
    """Refused, reset, DNS or TLS failure."""


@dataclass
class Client:
    """HTTP GETs with one session per thread (sessions are not shared across threads)."""

    timeout: float = 30.0
    max_bytes: int = 40 * 1024 * 1024
    contact: str | None = None
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"User-Agent": user_agent(self.contact), "Accept": ACCEPT,
                                    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
            self._local.session = session
        return session

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Reply:
        """GET ``url`` (conditionally when a validator is given); raises :class:`Timeout`,
        :class:`ConnectionFailed` or :class:`TooLarge`."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        try:
            with self._session().get(url, headers=headers, timeout=self.timeout, stream=True,
                                     allow_redirects=False) as response:
                found = {key.lower(): value for key, value in response.headers.items()}
                body = self._body(response, found) if response.status_code == 200 else None
        except requests.exceptions.Timeout as error:
            raise Timeout(f"no answer within {self.timeout:g} s ({type(error).__name__})") from None
        except requests.exceptions.ConnectionError as error:
            if _is_read_timeout(error):
                raise Timeout(f"the server stopped sending for more than {self.timeout:g} s") from None
            raise ConnectionFailed(_reason(error)) from None
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as error:
            raise ConnectionFailed(_reason(error)) from None
        return Reply(response.status_code, found, body, int((time.monotonic() - started) * 1000))

    def _body(self, response: requests.Response, headers: dict[str, str]) -> bytes:
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise TooLarge(int(length), self.max_bytes, headers)
        chunks, size = [], 0
        for chunk in response.iter_content(chunk_size=64 * 1024):
            size += len(chunk)
            if size > self.max_bytes:
                raise TooLarge(None, self.max_bytes, headers)
            chunks.append(chunk)
        return b"".join(chunks)


def _is_read_timeout(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, urllib3.exceptions.ReadTimeoutError) or any(
                isinstance(arg, urllib3.exceptions.ReadTimeoutError) for arg in getattr(seen, "args", ())):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reason(error: BaseException) -> str:
    text = str(error)
    for marker in ("Failed to establish a new connection: ", "NameResolutionError", "SSLError", "Connection reset"):
        if marker in text:
            return text[text.index(marker):][:300].rstrip(")'\" ")
    return f"{type(error).__name__}: {text[:300]}"
