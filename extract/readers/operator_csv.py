"""The CSV files an operator writes (the manifest, corrections.csv, SOURCES.csv), read one way.

Each is small, typed by hand or saved from a spreadsheet: any encoding :func:`decode_text` reads
(a BOM, GBK), NUL bytes dropped, header names stripped. :func:`operator_rows` checks the size, the
text and the header, and yields the rows with their line numbers; anything that makes the file
unusable raises :class:`OperatorCsvError` with a message naming the file (and the line), which each
caller records in its own way (the manifest and the corrections are then not used; a fetch stops).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from extract.readers.decoding import decode_text
from extract.readers.errors import ReaderError


class OperatorCsvError(Exception):
    """The file cannot be used: too large, not text, no usable header, or broken CSV at a line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CsvRow:
    """One row: its line number (of its last line, as :mod:`csv` counts) and its stripped values by
    header name ("" for a column the row does not reach)."""

    line: int
    values: dict[str, str]


def operator_rows(data: bytes, name: str, max_bytes: int, required: Sequence[str],
                  header_hint: str | None = None) -> Iterator[CsvRow]:
    """The rows of the operator file ``name`` whose bytes are ``data`` (blank rows skipped).
    ``required``: columns the header must name; ``header_hint`` replaces the message's list of them."""
    if len(data) > max_bytes:
        raise OperatorCsvError(f"{name} is {len(data)} bytes (at most {max_bytes})")
    try:
        text = decode_text(data)
    except ReaderError as error:
        raise OperatorCsvError(f"{name} cannot be read as text ({error.message})") from None
    csv.field_size_limit(max_bytes)
    reader = csv.reader(io.StringIO(text.replace("\x00", "")))
    try:
        header = [cell.strip().lstrip("\ufeff").strip() for cell in next(reader, [])]
    except csv.Error as error:
        raise OperatorCsvError(f"{name}: its header cannot be read ({error})") from None
    missing = [column for column in required if column not in header]
    if missing:
        wanted = header_hint or f"the columns {','.join(required)} ({', '.join(missing)} missing)"
        raise OperatorCsvError(f"{name}: the header must name {wanted}")
    where = {column: header.index(column) for column in dict.fromkeys(h for h in header if h)}
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            yield CsvRow(reader.line_num, {column: cells[i].strip() if i < len(cells) else ""
                                           for column, i in where.items()})
    except csv.Error as error:
        raise OperatorCsvError(f"{name} line {reader.line_num}: {error}") from None
