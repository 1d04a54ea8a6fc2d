"""Extraction on a Dask cluster: ``gongkai shard --engine dask [--scheduler ADDRESS]``.

The same batches as the local engine (:func:`extract.load.shards.plan_batches`) are mapped as
Dask futures of :func:`shard_task`, which runs :func:`extract.load.shards.write_shard` on a
worker: the worker reads its files from their paths (the reports folder and the shards folder
must be at the same path on every machine) and writes the batch's shard itself; only file
paths, hashes and overrides go over the wire, and a small count comes back.

Without ``--scheduler`` the run starts a ``distributed.LocalCluster`` of ``--workers``
single-threaded worker processes, each with ``GONGKAI_WORKER_MEMORY_MB`` of memory, and a
batch whose worker dies is tried once more on a fresh worker (as the local pool tries a file
once more); against a real scheduler, its own ``distributed.scheduler.allowed-failures``
decides. A file past ``GONGKAI_FILE_TIMEOUT_S`` stops its worker (a hang fails its batch, not
the run). A batch that still fails leaves no shard (shards appear by rename, complete) and is
reported; rerunning the command fills the missing shards and skips the complete ones.

Dask is an optional extra (``pip install -e '.[cluster]'``); without it :class:`DaskMissing`.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from extract.load.shards import Batch, FailedBatch, ShardRun, complete_shards, plan_batches, write_shard
from extract.run.pool import FileJob, Result, extract_file, file_timeout_s, limit_setting

CONNECT_TIMEOUT_S = 10
WAIT_FOR_WORKERS_S = 120
LOCAL_ALLOWED_FAILURES = 1  # a batch whose worker dies is tried once more, then reported


class DaskMissing(RuntimeError):
    """``--engine dask`` without Dask installed."""


class ClusterUnavailable(RuntimeError):
    """The scheduler cannot be reached, or it has no workers."""


def import_distributed() -> Any:
    """The ``distributed`` module, or :class:`DaskMissing` saying how to install it."""
    try:
        import distributed
    except ImportError as error:
        raise DaskMissing("--engine dask needs Dask, which is not installed: pip install -e '.[cluster]' "
                          "(or pip install 'dask[distributed]'); --engine local needs nothing more") from error
    return distributed


def _stop_worker(rel: str, timeout: float) -> None:
    print(f"gongkai: {rel} took more than {timeout:g} s (GONGKAI_FILE_TIMEOUT_S): stopping this worker; "
          "its batch fails", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def _watched_extract(path: Path, rel: str, overrides: dict[str, str] | None) -> Result:
    """:func:`extract_file` with the local pool's time limit: past it, this worker process is killed."""
    timeout = file_timeout_s()
    if timeout <= 0:
        return extract_file(path, rel, overrides)
    timer = threading.Timer(timeout, _stop_worker, args=(rel, timeout))
    timer.daemon = True
    timer.start()
    try:
        return extract_file(path, rel, overrides)
    finally:
        timer.cancel()


def shard_task(jobs: list[FileJob], out_dir: Path, run_id: str) -> int:
    """What a Dask worker runs for one batch: write its shard; the number of files."""
    write_shard(jobs, out_dir, run_id, _watched_extract)
    return len(jobs)


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, or of a LocalCluster of ``workers`` processes."""
    distributed = import_distributed()
    if not scheduler:
        import logging

        import dask

        memory = int(limit_setting("GONGKAI_WORKER_MEMORY_MB") * 1024 * 1024) or "auto"
        with dask.config.set({"distributed.scheduler.allowed-failures": LOCAL_ALLOWED_FAILURES}):
            # its HTTP server on a free port: no clash with another cluster on the machine
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               memory_limit=memory, dashboard_address=":0",
                                               silence_logs=logging.ERROR)
        with cluster, distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterUnavailable(f"the Dask scheduler at {scheduler} cannot be reached: {error}") from error
    with client:
        try:
            client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_S)
        except TimeoutError as error:
            raise ClusterUnavailable(f"the Dask scheduler at {scheduler} has had no worker for "
                                     f"{WAIT_FOR_WORKERS_S} s (start some: dask worker {scheduler})") from error
        yield client


def _why(future: Any) -> str:
    """Why a batch's future did not finish, in a line."""
    if future.status == "cancelled":
        return "cancelled (the scheduler lost it: restarted, or the client was disconnected)"
    error = future.exception()
    if type(error).__name__ == "KilledWorker":
        return ("its worker died while extracting it (killed, out of memory, or a file past "
                "GONGKAI_FILE_TIMEOUT_S: see the worker's log)")
    return f"{type(error).__name__}: {error}"


def extract_on_dask(jobs: list[FileJob], out_dir: Path, run_id: str, batch_size: int, scheduler: str | None,
                    workers: int, log: Callable[[str], None] = print) -> ShardRun:
    """Write the shard of every batch of ``jobs`` that has no complete shard yet, on a Dask cluster."""
    batches = plan_batches(jobs, batch_size)
    done = complete_shards(out_dir)
    todo = [batch for batch in batches if batch.name not in done]
    run = ShardRun(batches=len(batches), skipped=len(batches) - len(todo))
    if not todo:
        return run
    distributed = import_distributed()
    with dask_client(scheduler, max(1, min(workers, len(todo)))) as client:
        log(f"  dask: {len(client.nthreads())} workers at {client.scheduler.address}")
        waiting = list(reversed(todo))
        running: dict[Any, Batch] = {}
        pending = distributed.as_completed()

        def submit() -> None:
            # No more batches in flight than the cluster has threads: a worker holds only the batch it is
            # extracting, so one that dies loses that batch alone (the scheduler would queue more on it).
            slots = _threads(client) - len(running)
            while waiting and slots > 0:
                slots -= 1
                batch = waiting.pop()
                future = client.submit(shard_task, batch.jobs, out_dir, run_id, key=batch.name, pure=False)
                running[future] = batch
                pending.add(future)

        submit()
        for future in pending:
            batch = running.pop(future)
            if future.status == "finished":
                run.written += 1
                log(f"  shard {run.written + len(run.failed)}/{len(todo)}: {len(batch.jobs)} files")
            else:
                failed = FailedBatch(batch.name, [job.rel for job in batch.jobs], _why(future))
                run.failed.append(failed)
                log(f"  shard {run.written + len(run.failed)}/{len(todo)}: failed ({failed.error})")
            future.release()
            submit()
    return run


def _threads(client: Any) -> int:
    """The threads of the cluster's workers now (at least 1: tasks wait for a worker to join)."""
    return max(1, sum(client.nthreads().values()))
