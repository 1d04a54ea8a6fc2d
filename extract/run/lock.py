"""One refresh at a time per warehouse: an advisory lock file next to it."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import time
from pathlib import Path

from extract.paths import WarehousePaths

LOCK_BUSY_EXIT = 75  # EX_TEMPFAIL: try again later


class LockBusy(Exception):
    """Another refresh holds the lock; ``holder`` says which (pid and start time)."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"another refresh is running ({holder}); try again later or pass --wait SECONDS")
        self.holder = holder


class RefreshLock:
    """``flock`` on ``<warehouse folder>/.gongkai-refresh.lock``, released when the process ends.

    ``wait`` is how many seconds to wait for a running refresh before giving up.
    """

    def __init__(self, db_path: Path, wait: float = 0.0) -> None:
        self.path = WarehousePaths(db_path).lock
        self.wait = wait
        self.handle = None

    def __enter__(self) -> RefreshLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "pid unknown"
                    handle.close()
                    raise LockBusy(holder) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}\n")
        handle.flush()
        self.handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None
