"""Extraction in worker processes: a crash, a memory blow-up or a huge file fails that file only.

Files over ``GONGKAI_MAX_FILE_MB`` (default 40) are refused before they are read. Each
worker's address space is capped at ``GONGKAI_WORKER_MEMORY_MB`` (default 3072), so one
pathological file raises MemoryError in its worker instead of exhausting the machine. When
a worker dies (segfault, SIGKILL, OOM killer) the pool breaks; the files it was holding are
retried one at a time in fresh workers, and the one that kills its worker again is recorded
as ``worker_crash``. Results are yielded as they complete, so memory stays bounded.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from extract.model import ExtractedReport
from extract.parse import extract_report
from extract.readers import ReaderError

Result = ExtractedReport | tuple[str, str]


@dataclass
class FileJob:
    path: Path
    rel: str
    sha256: str
    size: int
    overrides: dict[str, str] | None = None


def max_file_bytes() -> int:
    return int(float(os.environ.get("GONGKAI_MAX_FILE_MB", "40")) * 1024 * 1024)


def _limit_memory() -> None:
    limit = int(float(os.environ.get("GONGKAI_WORKER_MEMORY_MB", "3072")) * 1024 * 1024)
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def extract_file(path: Path, name: str, overrides: dict[str, str] | None = None) -> Result:
    """Worker: the report, or (error_class, message). Never raises."""
    try:
        size = path.stat().st_size
        if size > max_file_bytes():
            return "too_large", (f"the file is {size / 1048576:.1f} MB; files over "
                                 f"{max_file_bytes() / 1048576:.0f} MB are not read (GONGKAI_MAX_FILE_MB)")
        return extract_report(path.read_bytes(), name, overrides=overrides)
    except ReaderError as error:
        return error.code, error.message
    except MemoryError:
        return "out_of_memory", "reading the file needed more memory than a worker may use (GONGKAI_WORKER_MEMORY_MB)"
    except RecursionError:
        return "parser_error", "the file is nested too deeply to parse"
    except Exception as error:  # noqa: BLE001 - a parser bug on one file is that file's error
        return "parser_error", f"{type(error).__name__}: {error}"


Worker = Callable[[Path, str, dict[str, str] | None], Result]


def _run_pool(jobs: list[FileJob], workers: int, worker: Worker) -> Iterator[tuple[FileJob, Result | None]]:
    """Yield (job, result) as they finish; result ``None`` when the pool broke under the job."""
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), initializer=_limit_memory) as pool:
        pending: dict[Future, FileJob] = {}
        queue = list(jobs)
        broken = False
        while queue or pending:
            while queue and len(pending) < workers * 2 and not broken:
                job = queue.pop(0)
                try:
                    pending[pool.submit(worker, job.path, job.rel, job.overrides)] = job
                except BrokenProcessPool:
                    queue.insert(0, job)
                    broken = True
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                job = pending.pop(future)
                try:
                    yield job, future.result()
                except BrokenProcessPool:
                    broken = True
                    yield job, None
                except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be unpickled
                    yield job, ("worker_crash", f"{type(error).__name__}: {error}")
        for job in queue:
            yield job, None


def extract_parallel(jobs: list[FileJob], workers: int,
                     worker: Worker = extract_file) -> Iterator[tuple[FileJob, Result]]:
    """Extract every job in worker processes, yielding each result as soon as it is ready."""
    retry: list[FileJob] = []
    for job, result in _run_pool(jobs, workers, worker):
        if result is None:
            retry.append(job)
        else:
            yield job, result
    for job in retry:
        results = list(_run_pool([job], 1, worker))
        result = results[0][1] if results else None
        yield job, result if result is not None else (
            "worker_crash", "the worker process reading this file died (crash or killed); the rest of the run went on")
