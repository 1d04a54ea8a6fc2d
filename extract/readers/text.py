"""Plain-text reports: text copied or converted from PDF, Word or web pages.

Each line keeps its text; a line that is a table row gets ``cells``:
tab-separated cells (merged cells come through as empty strings), one cell
ending in `` |`` (one cell per line), a Markdown pipe row (outer pipes optional
where the block has an alignment row, or three lines alike of three pipes or
more; backslash escapes undone), cells separated by ideographic spaces, or
comma-separated rows (a sheet saved as CSV). Tables drawn with box-drawing
characters or as grid tables are read by :mod:`extract.readers.drawn_tables`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import replace

from extract.layout.columns import PageCarry, layout_lines, looks_like_layout
from extract.parse.values import looks_like_value
from extract.readers.decoding import decode_text
from extract.readers.document import Document, Line
from extract.readers.drawn_tables import drawn_blocks, read_drawn
from extract.readers.pipes import loose_pipe_rows, pipe_cells, split_loose

_PIPE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^(?=.*[-—])[\s|:\-—]+$")  # a bare "|" is a blank cell, not a separator
_CELL_LINE = re.compile(r"^(?P<cell>[^|]*?)\s*\|\s*$")


def split_line(text: str, ideographic_runs: bool = False, commas: bool = False) -> tuple[str, ...] | None:
    """The cells of one line, or ``None`` for running text. ``ideographic_runs``: the text pads its
    cells with runs of ideographic spaces (:func:`_ideographic_cells`); ``commas``: it is
    comma-separated (:func:`_comma_separated`)."""
    if commas and "," in text:
        return tuple(field.strip() for field in next(csv.reader([text])))
    pipe = _PIPE_ROW.match(text)
    if pipe:
        return pipe_cells(pipe.group(1))
    if "\t" in text:
        return tuple(_unquoted(field) for field in text.split("\t"))
    cell = _CELL_LINE.match(text)
    if cell:
        return (cell["cell"].strip(),)
    return _ideographic_cells(text, ideographic_runs)


_IDEOGRAPHIC = "\u3000"
_IDEOGRAPHIC_RUN = re.compile("(?<=[^\\s\u3000])\u3000+(?=[^\\s\u3000])")


_COMMA_ROWS = 5


def _comma_separated(lines: list[str]) -> bool:
    """Whether a text without tabs holds its tables as comma-separated rows (a sheet saved as CSV
    and published as text): :data:`_COMMA_ROWS` lines of three fields or more, one a value. Chinese
    prose separates with ``，``, never ``,``."""
    if any("\t" in line for line in lines):
        return False
    rows = 0
    for line in lines:
        if line.count(",") >= 2:
            fields = next(csv.reader([line]), [])
            rows += len(fields) >= 3 and any(looks_like_value(field.strip()) for field in fields)
    return rows >= _COMMA_ROWS


def _pads_with_runs(text: str) -> bool:
    """Whether the ideographic spaces between cells are mostly runs (padding, blanks leaving no
    trace) rather than one each (a merged cell or a blank then leaves a run of its own)."""
    lengths = [len(m.group()) for m in _IDEOGRAPHIC_RUN.finditer(text)]
    return sum(1 for n in lengths if n > 1) > sum(1 for n in lengths if n == 1)


def _ideographic_cells(text: str, runs: bool) -> tuple[str, ...] | None:
    """Cells separated by ideographic spaces (``规章　74　　232``: a portal's copy of a table, one
    ``　`` between cells, so two in a row hold a blank cell), when a cell reads as a value; an indent
    (``　　本年度…``) is no separator. In a text that pads its cells with runs of them (two or more
    between most cells, ``runs``) a run is one separator, and a blank cell leaves no trace."""
    inner = text.strip(" \t" + _IDEOGRAPHIC)
    if _IDEOGRAPHIC not in inner:
        return None
    cells = [cell.strip() for cell in (re.split("\u3000+", inner) if runs else inner.split(_IDEOGRAPHIC))]
    return tuple(cells) if len(cells) > 1 and any(looks_like_value(cell) for cell in cells) else None


def _unquoted(field: str) -> str:
    """A tab-separated field as Excel quotes it (``"…"``, ``""`` for a quote inside), unquoted."""
    if len(field) > 1 and field.startswith('"') and field.endswith('"'):
        return field[1:-1].replace('""', '"')
    return field


def _quoted_breaks(raws: list[str]) -> list[tuple[int, str]]:
    """(line number, text) of each line, a line of cells whose last field opens a quote that a later
    line closes (before a tab) joined with the lines up to it: a cell holding line breaks, as Excel copies
    one (``…\t"（二）部分公开（`` / ``区分处理的，只计`` / ``…情形）"\t\t0\t3…``)."""
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(raws):
        raw, end = raws[index], index
        last = raw.rsplit("\t", 1)[-1]
        if last.startswith('"') and last.count('"') % 2 == 1:
            end = next((n for n in range(index + 1, min(index + _QUOTED_LINES, len(raws)))
                        if raws[n].count('"') % 2 == 1), index)
            end = end if '"\t' in raws[end] or "\t" in raw else index  # a row of cells, not prose
        out.append((index + 1, "".join(raws[index:end + 1])))
        index = end + 1
    return out


_QUOTED_LINES = 8
"""Lines a quoted cell may hold."""


def lines_from_text(text: str, page: int | None = None) -> list[Line]:
    """Split text into :class:`Line` objects, skipping Markdown table separator rows; a drawn table
    (:mod:`extract.readers.drawn_tables`) becomes its rows."""
    raws = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[Line] = []
    done = 0
    for start, end in drawn_blocks(raws):
        table = read_drawn(raws[start:end], start + 1, page)
        if table is None:  # its cells are not rectangles: no cell of it is certain
            table = [Line(text=raw, line_no=start + 1 + n, page=page) for n, raw in enumerate(raws[start:end])]
        lines += _separated_lines(raws[done:start], done, page, text)
        lines += table
        done = end
    lines += _separated_lines(raws[done:], done, page, text)
    return _cell_pieces(lines)


def _separated_lines(raws: list[str], before: int, page: int | None, text: str) -> list[Line]:
    """The lines of ``raws`` (after ``before`` lines of the file's ``text``), cells split at their
    separators."""
    runs = _pads_with_runs(text)
    commas = _comma_separated(raws)
    loose = loose_pipe_rows(raws)
    lines: list[Line] = []
    for number, raw in _quoted_breaks(raws):
        if number - 1 in loose:
            width = loose[number - 1]
            if width:
                lines.append(Line(text=raw, line_no=before + number, page=page, cells=split_loose(raw, width)))
            continue
        if raw.strip().startswith("|") and _PIPE_SEPARATOR.match(raw):
            continue
        lines.append(Line(text=raw, line_no=before + number, page=page, cells=split_line(raw, runs, commas)))
    return lines


_PIECE_CHARS = 30


def _cell_pieces(lines: list[Line]) -> list[Line]:
    """Short lines without a tab between two tab-separated rows are pieces of a cell a line break
    split (a table copied from a browser: ``一、本年新收政`` / ``府信息公开申请`` / ``数量\t\t\t304…``):
    they become one-cell lines, label fragments the table parser re-joins with the row's label."""
    tabbed = [line.cells is not None and "\t" in line.text for line in lines]
    out = list(lines)
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and lines[end].cells is None and 0 < len(lines[end].text.strip()) <= _PIECE_CHARS:
            end += 1
        if end > index and index > 0 and end < len(lines) and tabbed[index - 1] and tabbed[end]:
            out[index:end] = [replace(line, cells=(line.text.strip(),)) for line in lines[index:end]]
        index = end + 1
    return out


def read_layout_text(text: str) -> list[Line]:
    """Space-aligned text; form feeds (``pdftotext -layout``) separate pages."""
    pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
    lines: list[Line] = []
    carry = PageCarry()
    for page_no, page_text in enumerate(pages, 1):
        texts = page_text.split("\n")
        lines += layout_lines(texts, page_no if len(pages) > 1 else None, "positional", len(lines) + 1, carry)
    return [ln.renumbered(n) for n, ln in enumerate(lines, 1)]


def read_text(data: bytes) -> Document:
    """Read a ``.txt`` report: separated cells, or columns aligned by spaces."""
    text = decode_text(data)
    if looks_like_layout(text.splitlines()):
        return Document(source_format="txt", lines=read_layout_text(text))
    return Document(source_format="txt", lines=lines_from_text(text))
