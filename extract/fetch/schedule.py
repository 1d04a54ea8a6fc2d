"""Work queues by host: at most one request at a time per host, a delay between them, retries later.

Worker threads (``workers``, default 4) take the host whose next request may start soonest; a
host is held by one worker while its request runs, and its next request starts no sooner than
``delay`` seconds (or the host's ``Crawl-delay``) after the previous one ended. A task handled
returns the tasks it found (queued on their own hosts) and, for a retry, itself with a
``not_before`` time: it goes to the front of its host's queue, so backoff also slows the host.
One host that is slow or down holds one worker, never the others.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Handled(Generic[T]):
    """What handling one task gave: new tasks, a retry of it, and the host's delay from now on."""

    found: list[T] = field(default_factory=list)
    retry: T | None = None
    retry_at: float = 0.0
    host_delay: float | None = None


@dataclass
class _Host(Generic[T]):
    queue: deque = field(default_factory=deque)
    ready_at: float = 0.0
    busy: bool = False
    delay: float = 0.0
    not_before: float = 0.0


class Scheduler(Generic[T]):
    """Run ``handle`` over every task (and the tasks it finds), politely per host."""

    def __init__(self, handle: Callable[[T], Handled[T]], host_of: Callable[[T], str], delay: float,
                 workers: int = 4) -> None:
        self.handle, self.host_of, self.delay, self.workers = handle, host_of, delay, max(1, workers)
        self.hosts: dict[str, _Host[T]] = {}
        self.cond = threading.Condition()
        self.stopping = threading.Event()
        self.errors: list[BaseException] = []

    def add(self, task: T) -> None:
        with self.cond:
            self._host(self.host_of(task)).queue.append(task)
            self.cond.notify_all()

    def _host(self, key: str) -> _Host[T]:
        if key not in self.hosts:
            self.hosts[key] = _Host(delay=self.delay)
        return self.hosts[key]

    def _next(self) -> tuple[str, T] | None:
        """Wait for the next task a worker may start; ``None`` when all work is done."""
        with self.cond:
            while not self.stopping.is_set():
                waiting = [(max(h.ready_at, h.not_before), key) for key, h in self.hosts.items()
                           if h.queue and not h.busy]
                if not waiting:
                    if not any(h.busy for h in self.hosts.values()):
                        self.cond.notify_all()
                        return None
                    self.cond.wait()
                    continue
                start, key = min(waiting)
                now = time.monotonic()
                if start > now:
                    self.cond.wait(timeout=start - now)
                    continue
                host = self.hosts[key]
                host.busy, host.not_before = True, 0.0
                return key, host.queue.popleft()
        return None

    def _done(self, key: str, result: Handled[T] | None) -> None:
        with self.cond:
            host = self.hosts[key]
            if result is not None and result.host_delay is not None:
                host.delay = max(self.delay, result.host_delay)
            host.busy, host.ready_at = False, time.monotonic() + host.delay
            if result is not None:
                if result.retry is not None:
                    host.queue.appendleft(result.retry)
                    host.not_before = result.retry_at
                for task in result.found:
                    self._host(self.host_of(task)).queue.append(task)
            self.cond.notify_all()

    def _work(self) -> None:
        while (picked := self._next()) is not None:
            key, task = picked
            result = None
            try:
                result = self.handle(task)
            except BaseException as error:  # noqa: BLE001 - kept and raised by run(), the other hosts go on
                self.errors.append(error)
            finally:
                self._done(key, result)

    def run(self) -> None:
        """Handle every task; re-raises the first error a handler raised (after the others finished)."""
        threads = [threading.Thread(target=self._work, name=f"gongkai-fetch-{n}", daemon=True)
                   for n in range(self.workers)]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(timeout=0.2)
        finally:
            self.stopping.set()
            with self.cond:
                self.cond.notify_all()
        if self.errors:
            raise self.errors[0]
