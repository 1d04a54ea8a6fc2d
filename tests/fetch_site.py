"""A government portal on the loopback address, for the fetch tests: real HTTP servers in threads.

Each :class:`Site` serves fixed resources with ETag / Last-Modified validators (answering 304 to
a matching conditional request), and behaviours a real portal has: a URL that fails with 500 a
few times and then works, one that answers too slowly, a body sent without Content-Length.
Every request is logged with its arrival time, path, headers and the status sent.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAST_MODIFIED = "Mon, 06 Jan 2025 08:00:00 GMT"


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=gbk"
    etag: bool = True
    last_modified: bool = True
    fail_first: int = 0          # answer 500 to the first N requests
    sleep: float = 0.0           # wait this long before answering (a timeout)
    send_length: bool = True     # False: no Content-Length, the body ends when the connection closes
    status: int = 200
    location: str | None = None  # with status 301/302: where to
    served: int = 0

    @property
    def tag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class Hit:
    at: float
    host: str
    path: str
    headers: dict[str, str]
    status: int


@dataclass
class Site:
    host: str
    resources: dict[str, Resource] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}"

    def start(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                arrived = time.monotonic()
                resource = site.resources.get(self.path.split("#")[0])
                status = site._status(resource, self.headers)
                site.hits.append(Hit(arrived, site.host, self.path, dict(self.headers.items()), status))
                if resource is not None and resource.sleep:
                    site.stop.wait(resource.sleep)
                    if site.stop.is_set():
                        return
                self.send_response(status)
                if resource is not None and status in (200, 304):
                    if resource.etag:
                        self.send_header("ETag", resource.tag)
                    if resource.last_modified:
                        self.send_header("Last-Modified", LAST_MODIFIED)
                if resource is not None and resource.location:
                    self.send_header("Location", resource.location)
                if status != 200:
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_header("Content-Type", resource.content_type)
                if resource.send_length:
                    self.send_header("Content-Length", str(len(resource.body)))
                self.end_headers()
                try:
                    self.wfile.write(resource.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer((self.host, 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def _status(self, resource: Resource | None, headers) -> int:
        if resource is None:
            return 404
        resource.served += 1
        if resource.served <= resource.fail_first:
            return 500
        if resource.status != 200:
            return resource.status
        if resource.etag and headers.get("If-None-Match") == resource.tag:
            return 304
        if not headers.get("If-None-Match") and resource.last_modified and \
                headers.get("If-Modified-Since") == LAST_MODIFIED:
            return 304
        return 200

    def close(self) -> None:
        self.stop.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
