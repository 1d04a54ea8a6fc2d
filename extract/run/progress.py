"""What a refresh shows while it works: on a terminal a ``rich`` bar per step (done / total, rate,
elapsed, time left, what it is on), otherwise plain lines with no control characters (cron, a
pipe, a log file).

A step is counted in its own unit: files during extraction, dbt nodes (seeds, models, tests)
during the build. Notes (a file that failed) are shown in both modes, above the bar on a terminal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress
from rich.text import Text

Log = Callable[[str], None]
_CURRENT_WIDTH = 48


def _short(name: str) -> str:
    """The end of a long name (a file's own name is at the end of its path)."""
    return name if len(name) <= _CURRENT_WIDTH else "…" + name[-(_CURRENT_WIDTH - 1):]


class _Rate(ProgressColumn):
    """Items per second over the step so far (``rich`` estimates it from recent updates)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        unit = task.fields.get("unit", "")
        return Text("–" if speed is None else f"{speed:.1f} {unit}/s", style="progress.data.speed")


class Step:
    """One step of a run (extraction, the dbt build): :meth:`advance` per item done."""

    def __init__(self, bar: RichProgress | None, task: int | None, log: Log) -> None:
        self._bar, self._task, self._log = bar, task, log

    def set_total(self, total: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, total=total)

    def started(self, current: str) -> None:
        """Show what the step is on now (the terminal bar only)."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, current=_short(current))

    def advance(self, current: str, line: str | None = None) -> None:
        """One item done: the bar moves on (``current`` beside it), or ``line`` is printed."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=1, current=_short(current))
        elif line is not None:
            self._log(line)

    def note(self, line: str) -> None:
        """A line shown whatever the mode (above the bar on a terminal)."""
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            self._log(line)


class Progress:
    """Makes the :class:`Step` of each phase: a bar when ``tty``, else ``log`` lines."""

    def __init__(self, tty: bool, log: Log) -> None:
        self.tty, self.log = tty, log

    @contextlib.contextmanager
    def step(self, description: str, total: int | None, unit: str) -> Iterator[Step]:
        if not self.tty:
            yield Step(None, None, self.log)
            return
        bar = RichProgress(
            TextColumn("{task.description}"), BarColumn(bar_width=24), MofNCompleteColumn(), _Rate(),
            TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
            TextColumn("{task.fields[current]}", style="dim"),
            console=Console(stderr=True), transient=False, refresh_per_second=8)
        with bar:
            task = bar.add_task(description, total=total, unit=unit, current="")
            yield Step(bar, task, self.log)
            bar.update(task, current="")
