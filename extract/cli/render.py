"""Query results for a person or a program: an aligned table, one record per block, CSV or JSON.

The table and record layouts measure text in terminal columns (a Chinese character takes two),
print NULL as ``NULL`` (blank is not zero, and not an empty string either) and right-align
numbers. CSV and JSON keep every value exactly: a DECIMAL is written as its digits, never
through a float that would round it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

NULL = "NULL"
MAX_CELL_WIDTH = 48  # a table cell wider than this is cut with …; the record layout shows it whole


@dataclass(frozen=True)
class Result:
    """The first rows of a query's result; ``more`` is True when rows beyond them were left unread."""

    columns: list[str]
    rows: list[tuple]
    more: bool = False


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _cut(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def plain_text(value: object) -> str:
    """A value as one line of text: NULL for a missing value, line breaks shown as ``\\n``."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def table_lines(result: Result) -> list[str]:
    """An aligned table (``psql``'s layout): header, rule, one line per row, nothing cut but cells over
    :data:`MAX_CELL_WIDTH`."""
    cells = [[_cut(plain_text(v), MAX_CELL_WIDTH) for v in row] for row in result.rows]
    widths = [display_width(name) for name in result.columns]
    for row in cells:
        widths = [max(w, display_width(text)) for w, text in zip(widths, row, strict=True)]
    numeric = [any(_is_number(row[i]) for row in result.rows)
               and all(_is_number(row[i]) or row[i] is None for row in result.rows)
               for i in range(len(result.columns))]
    lines = [" " + " | ".join(_pad(n, w, False) for n, w in zip(result.columns, widths, strict=True)).rstrip(),
             "-" + "-+-".join("-" * w for w in widths) + "-"]
    for row in cells:
        lines.append(" " + " | ".join(_pad(text, w, right)
                                      for text, w, right in zip(row, widths, numeric, strict=True)).rstrip())
    return lines


def vertical_lines(result: Result) -> list[str]:
    """One block per row, one ``column | value`` line per column (``psql -x``): every column of a wide row."""
    width = max((display_width(name) for name in result.columns), default=0)
    lines: list[str] = []
    for number, row in enumerate(result.rows, 1):
        lines.append(f"-[ RECORD {number} ]" + "-" * max(0, width - 9))
        lines.extend(f"{_pad(name, width, False)} | {plain_text(value)}"
                     for name, value in zip(result.columns, row, strict=True))
    return lines


def footer(result: Result) -> str:
    count = len(result.rows)
    if result.more:
        return (f"(first {count} rows shown; there are more: --max-rows 0 for all, "
                "or --csv / --json for a file)")
    return f"({count} row{'' if count == 1 else 's'})"


def write_human(result: Result, out: TextIO, width: int | None, vertical: bool) -> None:
    """The table, or the records when ``vertical`` or when the table is wider than ``width`` columns."""
    lines = table_lines(result)
    if vertical or (width is not None and result.rows and max(map(display_width, lines)) > width):
        lines = vertical_lines(result)
    for line in lines:
        out.write(line + "\n")
    out.write(footer(result) + "\n")


def _csv_value(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return "" if value is None else value


def write_csv(columns: Sequence[str], rows: Iterable[tuple], out: TextIO) -> None:
    """RFC 4180 CSV with a header; NULL is an empty field."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        as_float = float(value)
        return as_float if Decimal(repr(as_float)) == value else str(value)  # never a rounded number
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN and infinities are not JSON numbers: kept visible as text, never null
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def write_json(columns: Sequence[str], rows: Iterable[tuple], out: TextIO) -> None:
    """A JSON array of objects, one per row, keyed by column name; written as the rows arrive."""
    out.write("[")
    for number, row in enumerate(rows):
        record = {name: _json_value(v) for name, v in zip(columns, row, strict=True)}
        out.write(("," if number else "") + "\n  " + json.dumps(record, ensure_ascii=False))
    out.write("\n]\n")
