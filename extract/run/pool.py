"""Extraction in worker processes: a crash, a hang, a memory blow-up or a huge file fails that file only.

Files over ``GONGKAI_MAX_FILE_MB`` (default 40) are refused before they are read. Each
worker's address space is capped at ``GONGKAI_WORKER_MEMORY_MB`` (default 3072), so one
pathological file raises MemoryError in its worker instead of exhausting the machine. Each
file has ``GONGKAI_FILE_TIMEOUT_S`` seconds of wall-clock time (default 600: the benchmark
reads a text PDF at ~8 pages/s and OCR takes ~13 s a page, so 600 s is a 45-page scan);
past it the worker is killed and the file recorded as ``parse_timeout``. A worker that dies
(segfault, SIGKILL, OOM killer) loses only the file it held, which is tried once more in a
fresh worker and recorded as ``worker_crash`` if that dies too. Results are yielded as they
complete, so memory stays bounded. Workers are stopped when the pool closes, whatever
stopped it (an error, SIGTERM, the end of the run).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from extract.parse.model import ExtractedReport, FileError
from extract.parse.report import extract_report
from extract.readers import ReaderError
from extract.run.procs import die_with_parent

Result = ExtractedReport | FileError
Worker = Callable[[Path, str, dict[str, str] | None], Result]


@dataclass
class FileJob:
    path: Path
    rel: str
    sha256: str
    size: int
    overrides: dict[str, str] | None = None
    problem: FileError | None = None  # found before parsing: the file is not read


LIMITS = {"GONGKAI_MAX_FILE_MB": 40.0, "GONGKAI_FILE_TIMEOUT_S": 600.0, "GONGKAI_WORKER_MEMORY_MB": 3072.0}


def limit_setting(name: str) -> float:
    """One of :data:`LIMITS` from the environment; raises ValueError naming it when it is not a number."""
    text = os.environ.get(name, "").strip()
    if not text:
        return LIMITS[name]
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name}={text[:40]!r} is not a number (default {LIMITS[name]:g})") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name}={text[:40]!r} is not a finite number (default {LIMITS[name]:g})")
    return value


def check_limits() -> None:
    """Raise ValueError for the first limit setting that is not a number (call before a run starts)."""
    for name in LIMITS:
        limit_setting(name)


def max_file_bytes() -> int:
    return int(limit_setting("GONGKAI_MAX_FILE_MB") * 1024 * 1024)


def file_timeout_s() -> float:
    """Wall-clock seconds one file may take (``GONGKAI_FILE_TIMEOUT_S``; 0 or less: no limit)."""
    return limit_setting("GONGKAI_FILE_TIMEOUT_S")


def _limit_memory() -> None:
    limit = int(limit_setting("GONGKAI_WORKER_MEMORY_MB") * 1024 * 1024)
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def extract_file(path: Path, name: str, overrides: dict[str, str] | None = None) -> Result:
    """Worker: the report, or the :class:`FileError` that stopped it. Never raises."""
    try:
        size = path.stat().st_size
        if size > max_file_bytes():
            return FileError("too_large", f"the file is {size / 1048576:.1f} MB; files over "
                             f"{max_file_bytes() / 1048576:.0f} MB are not read (GONGKAI_MAX_FILE_MB)")
        return extract_report(path.read_bytes(), name, overrides=overrides)
    except ReaderError as error:
        return FileError(error.code, error.message)
    except MemoryError:
        return FileError("out_of_memory",
                         "reading the file needed more memory than a worker may use (GONGKAI_WORKER_MEMORY_MB)")
    except RecursionError:
        return FileError("parser_error", "the file is nested too deeply to parse")
    except OSError as error:
        return FileError("unreadable_file", f"the file cannot be read: {error.strerror or error}")
    except Exception as error:  # noqa: BLE001 - a parser bug on one file is that file's error
        return FileError("parser_error", f"{type(error).__name__}: {error}")


def _serve(conn: Connection, worker: Worker) -> None:
    """A worker process: read jobs from the pipe, send results back, until told to stop.

    It leads its own process group (stopped whole on a timeout), dies with the refresh (even a
    SIGKILLed one), leaves Ctrl-C and SIGTERM to it, and exits when its pipe closes.
    """
    os.setsid()  # its own process group, so a timeout kills what it started too (tesseract, soffice)
    die_with_parent()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        path, rel, overrides = message
        result = worker(path, rel, overrides)
        try:
            conn.send(result)
        except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(("worker_crash", f"the result could not be sent back: {type(error).__name__}: {error}"))


@dataclass
class _Slot:
    """One worker process and the job it holds."""

    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: FileJob | None = None
    started: float = 0.0
    retried: bool = False


@dataclass
class WorkerPool:
    """Up to ``workers`` processes reading files; use as a context manager, iterate :meth:`run`."""

    workers: int
    worker: Worker = extract_file
    timeout: float = field(default_factory=file_timeout_s)
    slots: list[_Slot] = field(default_factory=list)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Slot:
        parent, child = multiprocessing.Pipe()
        process = multiprocessing.get_context("fork").Process(target=_serve, args=(child, self.worker), daemon=True)
        process.start()
        child.close()
        slot = _Slot(process, parent)
        self.slots.append(slot)
        return slot

    def _stop(self, slot: _Slot, kill: bool) -> None:
        if kill:
            try:
                os.killpg(slot.process.pid, signal.SIGKILL)  # the worker and any converter it started
            except (ProcessLookupError, PermissionError):
                pass
            if slot.process.is_alive():
                slot.process.kill()
        slot.process.join(timeout=5)
        slot.conn.close()
        self.slots.remove(slot)

    def close(self) -> None:
        """Stop every worker: idle ones are told to exit (and killed if they do not), busy ones are killed."""
        for slot in list(self.slots):
            if slot.job is None:
                try:
                    slot.conn.send(None)
                    slot.process.join(timeout=2)
                except OSError:
                    pass
            self._stop(slot, kill=True)

    def _give(self, slot: _Slot, job: FileJob, retried: bool) -> bool:
        try:
            slot.conn.send((job.path, job.rel, job.overrides))
        except OSError:
            self._stop(slot, kill=True)
            return False
        slot.job, slot.started, slot.retried = job, time.monotonic(), retried
        return True

    def run(self, jobs: list[FileJob]) -> Iterator[tuple[FileJob, Result]]:
        """Yield (job, result) as files finish; every job yields exactly once."""
        queue: deque[tuple[FileJob, bool]] = deque((job, False) for job in jobs)
        limit = max(1, self.workers)
        while queue or any(slot.job for slot in self.slots):
            while queue and sum(1 for s in self.slots if s.job) < limit:
                slot = next((s for s in self.slots if s.job is None), None) or self._start()
                job, retried = queue.popleft()
                if not self._give(slot, job, retried):
                    queue.appendleft((job, retried))
            busy = [slot for slot in self.slots if slot.job is not None]
            wait_for = None
            if self.timeout > 0:
                wait_for = max(0.0, min(slot.started + self.timeout for slot in busy) - time.monotonic())
            ready = set(wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=wait_for))
            now = time.monotonic()
            for slot in busy:
                job = slot.job
                assert job is not None
                if slot.conn in ready or slot.process.sentinel in ready:
                    try:
                        result = slot.conn.recv() if slot.conn.poll() else None
                    except (EOFError, OSError):
                        result = None
                    if result is not None:
                        slot.job = None
                        yield job, result
                        continue
                    self._stop(slot, kill=True)
                    if slot.retried:
                        yield job, FileError("worker_crash", "the worker process reading this file died "
                                             "(crash or killed) twice; the rest of the run went on")
                    else:
                        queue.append((job, True))
                elif self.timeout > 0 and now - slot.started >= self.timeout:
                    self._stop(slot, kill=True)
                    yield job, FileError("parse_timeout", f"reading the file took longer than {self.timeout:g} s "
                                         "(GONGKAI_FILE_TIMEOUT_S); its worker was stopped and the rest of the run "
                                         "went on")


def extract_parallel(jobs: list[FileJob], workers: int, worker: Worker = extract_file,
                     timeout: float | None = None) -> Iterator[tuple[FileJob, Result]]:
    """Extract every job in worker processes, yielding each result as soon as it is ready.

    A job with a ``problem`` found before parsing yields that problem without being read.
    """
    for job in jobs:
        if job.problem is not None:
            yield job, job.problem
    todo = [job for job in jobs if job.problem is None]
    if not todo:
        return
    pool = WorkerPool(workers, worker, file_timeout_s() if timeout is None else timeout)
    with pool:
        yield from pool.run(todo)
