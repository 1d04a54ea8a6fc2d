"""Markdown pipe rows: cells split at unescaped ``|``, backslash escapes undone, and rows without
outer pipes (``规章 | 74 | 232``, as GitHub reads them under an alignment row ``---|---|---``)."""

from __future__ import annotations

import re

_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation (CommonMark)
_ALIGNMENT = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$")
_OUTER = re.compile(r"^\s*\|.*\|\s*$")
_ALIKE_LINES = 3
"""Lines in a row without an alignment row whose pipes make them a table."""
_ALIKE_PIPES = 3
"""Pipes each of those lines has (the same number on each)."""


def unescape(text: str) -> str:
    """Markdown's backslash escapes undone: ``1\\.`` is ``1.``, ``\\-`` a dash, ``\\|`` a pipe."""
    return _ESCAPE.sub(r"\1", text)


def split_pipes(text: str) -> list[str]:
    """``text`` split at each ``|`` no backslash escapes (escapes kept in the pieces)."""
    pieces, current, index = [], [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index:index + 2])
            index += 2
            continue
        if char == "|":
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    pieces.append("".join(current))
    return pieces


def pipe_cells(inner: str) -> tuple[str, ...]:
    """The cells of a pipe row between its outer pipes."""
    return tuple(unescape(_HTML_BREAK.sub("", cell)).strip() for cell in split_pipes(inner))


def split_loose(text: str, width: int) -> tuple[str, ...]:
    """The cells of a row of a table ``width`` cells wide whose outer pipes are optional: a leading
    or trailing ``|`` is an outer pipe when the row has a cell too many with it."""
    fields = split_pipes(text)
    if len(fields) > width and text.strip().startswith("|") and not fields[0].strip():
        fields = fields[1:]
    if len(fields) > width and text.rstrip().endswith("|") and not fields[-1].strip():
        fields = fields[:-1]
    return tuple(unescape(_HTML_BREAK.sub("", field)).strip() for field in fields)


def _without_outer(text: str) -> str:
    text = text.strip()
    text = text[1:] if text.startswith("|") else text
    return text[:-1] if text.endswith("|") and not text.endswith("\\|") else text


def _pipes(text: str) -> int:
    return len(split_pipes(text)) - 1


def loose_pipe_rows(raws: list[str]) -> dict[int, int]:
    """Index → table width of each line of a pipe table to split without outer pipes: a table whose
    header and alignment row have none (every row), a row of any table lacking one, and the
    alignment row (width 0: not a row). A table is a header line, an alignment row of as many cells
    and the lines with a pipe below; or :data:`_ALIKE_LINES` lines or more with the same number
    (:data:`_ALIKE_PIPES` or more) of pipes, so prose with a stray ``|`` is no table."""
    rows: dict[int, int] = {}
    claimed: set[int] = set()
    for index in range(1, len(raws)):
        if _ALIGNMENT.match(raws[index]) and _pipes(raws[index - 1]) and index - 1 not in claimed:
            width = len(split_pipes(_without_outer(raws[index])))
            end = index + 1
            while end < len(raws) and raws[end].strip() and _pipes(raws[end]) and not _ALIGNMENT.match(raws[end]):
                end += 1
            claimed.update(range(index - 1, end))
            outer = _OUTER.match(raws[index - 1]) and _OUTER.match(raws[index])  # rows read as outer-piped
            rows.update({n: width for n in (index - 1, *range(index + 1, end))
                         if not (outer and _OUTER.match(raws[n]))})
            rows[index] = 0
    index = 0
    while index < len(raws):
        end = index
        while (end < len(raws) and end not in claimed and _pipes(raws[end]) >= _ALIKE_PIPES
               and _pipes(raws[end]) == _pipes(raws[index])):
            end += 1
        if end - index >= _ALIKE_LINES:
            rows.update({n: _pipes(raws[n]) + 1 for n in range(index, end) if not _OUTER.match(raws[n])})
        index = max(end, index + 1)
    return rows
