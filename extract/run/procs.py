"""Child processes that never outlive the refresh that started them, and SIGTERM as an exception."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator

from extract.run.exits import Terminated

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (even by SIGKILL); a no-op elsewhere."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _own_group_tied_to_parent() -> None:
    os.setsid()
    die_with_parent()


def run_in_own_group(command: list[str], grace_s: float = 10.0, **popen: object) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in its own process group, output captured as text.

    Its group is not hit by a terminal's Ctrl-C; if this process is stopped while waiting
    (SIGTERM raised as an exception, Ctrl-C), the whole group gets SIGTERM, then SIGKILL
    after ``grace_s``; if this process is killed outright, the kernel kills the child.
    """
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_own_group_tied_to_parent, **popen)
    try:
        stdout, stderr = process.communicate()
    except BaseException:
        stop_group(process, grace_s)
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def stream_in_own_group(command: list[str], on_line: Callable[[str], None], grace_s: float = 10.0,
                        **popen: object) -> subprocess.CompletedProcess[str]:
    """:func:`run_in_own_group`, but each line of output (stdout and stderr together, in order) goes to
    ``on_line`` as it comes; the result's ``stdout`` holds them all."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                               encoding="utf-8", errors="replace",
                               preexec_fn=_own_group_tied_to_parent, **popen)
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            on_line(line)
        process.wait()
    except BaseException:
        stop_group(process, grace_s)
        raise
    finally:
        if process.stdout is not None:
            process.stdout.close()
    return subprocess.CompletedProcess(command, process.returncode, "".join(lines), "")


def stop_group(process: subprocess.Popen, grace_s: float) -> None:
    """SIGTERM the process's group, SIGKILL it if still there after ``grace_s``."""
    for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


class SigtermGuard:
    """While a run goes on, SIGTERM raises :class:`Terminated` in it (main thread only); inside
    :meth:`deferred` (the publish, a few renames) it is held and the run completes."""

    def __init__(self) -> None:
        self.holding = False
        self.previous: object = None

    def __enter__(self) -> SigtermGuard:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)

    def _handle(self, signum: int, frame: object) -> None:
        if not self.holding:
            raise Terminated()

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        self.holding = True
        try:
            yield
        finally:
            self.holding = False
