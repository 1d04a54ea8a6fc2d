"""The format-neutral Document every reader produces and every parser reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One line of a report: its text, and its cells when the reader saw a table row.

    ``cells`` is ``None`` for running text. ``line_no`` is 1-based in the
    reader's output; ``page`` is the source page where the format has pages.
    """

    text: str
    line_no: int
    page: int | None = None
    cells: tuple[str, ...] | None = None


@dataclass
class Document:
    """A report as lines of text (with table cells where known), in reading order."""

    source_format: str
    lines: list[Line] = field(default_factory=list)
    read_method: str = "text"

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
