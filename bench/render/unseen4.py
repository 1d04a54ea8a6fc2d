"""Web pages and text copies a reviewer brings (fourth round): Word-pasted cells carrying invisible
characters (``&nbsp;`` padding, zero-width spaces and BOMs inside numbers and labels, soft
hyphens in labels), tables laid out with CSS (``display:table`` rows of ``<div>`` cells, or a CSS
grid whose cells span with ``grid-column``/``grid-row``), text copies whose tables are drawn with
box-drawing characters (``┌─┬─┐``/``│``/``├┼┤``) or as pandoc grid tables (``+---+``, ``|``), with
labels on one line or wrapped inside their cells, and Markdown pipe tables as other converters
and formatters write them (no outer pipes; padded and aligned; escaped marks)."""

from __future__ import annotations

import random
import unicodedata
from html import escape

from render.html import _spans
from render.report import Report, placed_cells, table_width
from render.template import Grid
from render.unseen import _page
from render.variants import zeros_as_blanks

ZWSP, BOM, SHY = "\u200b", "\ufeff", "\u00ad"


def _is_value(text: str) -> bool:
    from extract.parse.values import looks_like_value

    return looks_like_value(text)


def _header_rows(block: Grid) -> int:
    if table_width(block) == 4:
        return 0
    return next((i for i, row in enumerate(block) if any(_is_value(t) for t, _, _ in row)), 0)


# --- invisible characters in Word-pasted cells ----------------------------------------------------

def _sprinkle(text: str, rng: random.Random, marks: str, share: float) -> str:
    """``text`` with a character of ``marks`` put between some of its characters (and, by chance,
    before or after it)."""
    out = [rng.choice(marks)] if rng.random() < share else []
    for index, char in enumerate(text):
        out.append(char)
        if index < len(text) - 1 and rng.random() < share:
            out.append(rng.choice(marks))
    if rng.random() < share:
        out.append(rng.choice(marks))
    return "".join(out)


def _invisible_cell(text: str, rng: random.Random, how: str) -> str:
    if not text:
        return rng.choice(["&nbsp;", "&nbsp;&nbsp;", ZWSP, f"{BOM}&nbsp;", ""])
    if _is_value(text):
        shown = _sprinkle(text, rng, ZWSP + BOM, 0.35) if how == "zero_width" else text
        pad = "&nbsp;" * rng.choice([0, 1, 2])
        return f'{pad}<span lang="EN-US" style="font-family:仿宋">{shown}</span>{pad}'
    marks = ZWSP + BOM if how == "zero_width" else SHY
    shown = escape(_sprinkle(text, rng, marks, 0.12 if how == "zero_width" else 0.25))
    return f'<span style="font-family:仿宋">{shown}</span>' + ("&nbsp;" if rng.random() < 0.3 else "")


def invisible_html(report: Report, seed: int = 0, how: str = "zero_width") -> tuple[bytes, str]:
    """Word-pasted cells (``<td><p class=MsoNormal><span style="font-family:仿宋">``) whose numbers
    and labels hold zero-width spaces and BOMs (``how="zero_width"``, as portal editors and pastes
    from WeChat leave them), or whose labels hold soft hyphens (``how="soft_hyphen"``); blanks as
    ``&nbsp;``, a zero-width space or nothing."""
    rng = random.Random(seed)
    bodies = []
    for block in report.tables():
        rows = ["<tr>" + "".join(
            f'<td{_spans(rs, cs)} style="border:solid windowtext 1.0pt"><p class="MsoNormal" align="center">'
            f"{_invisible_cell(t, rng, how)}</p></td>" for t, rs, cs in row) + "</tr>" for row in block]
        bodies.append('<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0">'
                      + "".join(rows) + "</table>")
    return _page(report, bodies), "html"


# --- tables laid out with CSS --------------------------------------------------------------------

def _css_table(block: Grid) -> str:
    """``display:table`` rows of ``<div>`` cells: one per grid position (CSS tables cannot merge),
    a merged cell's text in its first position, the others empty."""
    width = table_width(block)
    grid = [[""] * width for _ in block]
    for r, c, text, _, _ in placed_cells(block):
        grid[r][c] = text
    rows = ['<div class="tr" style="display:table-row">' + "".join(
        f'<div class="td" style="display:table-cell;border:1px solid #000;padding:2px">{escape(t)}</div>'
        for t in row) + "</div>" for row in grid]
    return '<div class="table" style="display:table;border-collapse:collapse;width:100%">' + "".join(rows) + "</div>"


def _css_grid(block: Grid) -> str:
    """A CSS grid (``display:grid``, ``grid-template-columns``) whose cells span with
    ``grid-column``/``grid-row``, as a page built by a front-end framework lays a table out."""
    width = table_width(block)
    cells = []
    for r, c, text, rowspan, colspan in placed_cells(block):
        cells.append(f'<div class="cell" style="grid-row:{r + 1} / span {rowspan};grid-column:{c + 1} / span '
                     f'{colspan};border:1px solid #000">{escape(text)}</div>')
    return (f'<div class="report-table" style="display:grid;grid-template-columns:repeat({width},1fr)">'
            + "".join(cells) + "</div>")


def css_html(report: Report, seed: int = 0, how: str = "table") -> tuple[bytes, str]:
    """Each table as ``<div>``s laid out by CSS: ``display:table`` (``how="table"``) or a grid."""
    make = _css_table if how == "table" else _css_grid
    return _page(report, [make(t) for t in report.tables()]), "html"


# --- tables drawn with box-drawing characters, or as pandoc grid tables -------------------------

BOX = {  # (up, down, left, right) → the junction drawn there
    (0, 1, 0, 1): "┌", (0, 1, 1, 0): "┐", (1, 0, 0, 1): "└", (1, 0, 1, 0): "┘", (0, 1, 1, 1): "┬",
    (1, 0, 1, 1): "┴", (1, 1, 0, 1): "├", (1, 1, 1, 0): "┤", (1, 1, 1, 1): "┼", (1, 1, 0, 0): "│",
    (0, 0, 1, 1): "─", (1, 0, 0, 0): "│", (0, 1, 0, 0): "│", (0, 0, 1, 0): "─", (0, 0, 0, 1): "─",
}


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _wrap(text: str, width: int) -> list[str]:
    lines, line, used = [], "", 0
    for char in text:
        if used + _width(char) > width and line:
            lines.append(line)
            line, used = "", 0
        line += char
        used += _width(char)
    return [*lines, line] if line or not lines else lines


def art_table(block: Grid, style: str = "box", label_width: int = 0) -> list[str]:
    """``block`` drawn as text: ``style`` ``box`` (box-drawing characters) or ``grid`` (pandoc's grid
    tables: ``+``, ``-``, ``|``, ``=`` under the header rows). Merged cells have no inner rules; labels
    wrap inside their cells at ``label_width`` display columns (0: never), values right-aligned."""
    placed = list(placed_cells(block))
    rows, cols = len(block), table_width(block)
    owner = [[-1] * cols for _ in range(rows)]
    for i, (r, c, _, rowspan, colspan) in enumerate(placed):
        for dr in range(rowspan):
            for dc in range(colspan):
                owner[r + dr][c + dc] = i

    def need(text: str) -> int:
        full = sum(map(_width, text))
        return full if _is_value(text) or not label_width else min(full, label_width)

    widths = [2] * cols
    for _, c, text, _, colspan in placed:
        if colspan == 1:
            widths[c] = max(widths[c], need(text))
    for _, c, text, _, colspan in placed:
        inner = sum(widths[c:c + colspan]) + 3 * (colspan - 1)
        if colspan > 1 and inner < need(text):
            widths[c + colspan - 1] += need(text) - inner
    xs = [0]
    for w in widths:
        xs.append(xs[-1] + w + 3)
    texts = []
    for _, c, text, _, colspan in placed:
        texts.append(_wrap(text, xs[c + colspan] - xs[c] - 3) if not _is_value(text) else [text])
    heights = [1] * rows
    for (r, _, _, rowspan, _), lines in zip(placed, texts, strict=True):
        if rowspan == 1:
            heights[r] = max(heights[r], len(lines))
    for (r, _, _, rowspan, _), lines in zip(placed, texts, strict=True):
        inner = sum(heights[r:r + rowspan]) + rowspan - 1
        if rowspan > 1 and inner < len(lines):
            heights[r + rowspan - 1] += len(lines) - inner
    ys = [0]
    for h in heights:
        ys.append(ys[-1] + h + 1)
    canvas = [[" "] * (xs[-1] + 1) for _ in range(ys[-1] + 1)]
    head = _header_rows(block)

    def across(r: int, c: int) -> bool:  # a rule above row r (r == rows: the bottom) over column c
        return r in (0, rows) or owner[r - 1][c] != owner[r][c]

    def down(c: int, r: int) -> bool:  # a rule left of column c (c == cols: the right) beside row r
        return c in (0, cols) or owner[r][c - 1] != owner[r][c]

    for r in range(rows + 1):
        for c in range(cols):
            if across(r, c):
                mark = ("─" if style == "box" else "=" if head and r == head else "-")
                for x in range(xs[c] + 1, xs[c + 1]):
                    canvas[ys[r]][x] = mark
    for c in range(cols + 1):
        for r in range(rows):
            if down(c, r):
                for y in range(ys[r] + 1, ys[r + 1]):
                    canvas[y][xs[c]] = "│" if style == "box" else "|"
    for r in range(rows + 1):
        for c in range(cols + 1):
            key = (int(r > 0 and down(c, r - 1)), int(r < rows and down(c, r)),
                   int(c > 0 and across(r, c - 1)), int(c < cols and across(r, c)))
            if not any(key):
                continue
            if style == "box":
                canvas[ys[r]][xs[c]] = BOX[key]
            else:
                canvas[ys[r]][xs[c]] = "+" if (key[0] or key[1]) and (key[2] or key[3]) else \
                    "|" if key[0] or key[1] else canvas[ys[r]][xs[c] + (1 if c < cols else -1)]
    for (r, c, text, _, colspan), lines in zip(placed, texts, strict=True):
        room = xs[c + colspan] - xs[c] - 3
        for n, line in enumerate(lines):
            used = sum(map(_width, line))
            x = xs[c] + 2 + (room - used if _is_value(text) else 0)
            for char in line:
                canvas[ys[r] + 1 + n][x] = char
                if _width(char) == 2:
                    canvas[ys[r] + 1 + n][x + 1] = ""
                x += _width(char)
    return ["".join(line).rstrip() for line in canvas]


def art_text(report: Report, seed: int = 0, style: str = "box", wrapped: bool = False) -> tuple[bytes, str]:
    """The report as text, its tables drawn by :func:`art_table` (labels wrapped at 12–20 display
    columns with ``wrapped``); a blank line around each table."""
    rng = random.Random(seed)
    lines: list[str] = []
    for kind, block in report.blocks:
        if kind == "table":
            lines += ["", *art_table(block, style, rng.choice([12, 16, 20]) if wrapped else 0), ""]  # type: ignore[arg-type]
        else:
            lines.append(str(block))
    return "\n".join(lines).encode("utf-8"), "txt"


# --- Markdown pipe tables as other converters write them ------------------------------------------

def _grid_texts(block: Grid) -> list[list[str]]:
    grid = [[""] * table_width(block) for _ in block]
    for r, c, text, _, _ in placed_cells(block):
        grid[r][c] = text
    return grid


def _escaped(text: str) -> str:
    """Markdown's marks escaped as html2text / pandoc escape them: a lone ``-`` or ``+``, ``*``,
    ``_``, a leading ``1.`` list mark."""
    if text in ("-", "+", "*"):
        return "\\" + text
    if len(text) > 1 and text[0].isdigit() and text[1] == ".":
        return text[0] + "\\." + text[2:]
    return text.replace("*", "\\*").replace("_", "\\_")


def loose_markdown(report: Report, seed: int = 0, how: str = "no_outer") -> tuple[bytes, str]:
    """Markdown pipe tables: ``no_outer`` (GFM rows without the outer pipes, ``a | b | c``),
    ``padded`` (every column padded to its width, an alignment row of ``:---:``, as Prettier and
    table formatters write it), or ``escaped`` (zeros of 表三 printed as ``-``, marks escaped:
    ``\\-``, ``1\\.属于国家秘密``; changes ``report``, whose dash cells are then expected)."""
    rng = random.Random(seed)
    if how == "escaped":
        report = zeros_as_blanks(report, seed, shown="-")
    heads = {"title": "# ", "h": "## ", "p": ""}
    lines: list[str] = []
    for kind, block in report.blocks:
        if kind != "table":
            lines.append(f"{heads[kind]}{block}")
            continue
        grid = _grid_texts(block)  # type: ignore[arg-type]
        if how == "escaped":
            grid = [[_escaped(t) for t in row] for row in grid]
        widths = [max(3, *(sum(map(_width, row[c])) for row in grid)) for c in range(len(grid[0]))]
        align = [rng.choice([":---:", "---:", ":---", "---"]) for _ in widths]
        lines.append("")
        for index, row in enumerate(grid):
            if how == "padded":
                cells = [t + " " * (w - sum(map(_width, t))) for t, w in zip(row, widths, strict=True)]
                lines.append("| " + " | ".join(cells) + " |")
            elif how == "no_outer":
                lines.append(" | ".join(row))
            else:
                lines.append("| " + " | ".join(row) + " |")
            if index == 0:
                if how == "padded":
                    rule = [":" + "-" * (w - 2) + ":" for w in widths]
                    lines.append("| " + " | ".join(rule) + " |")
                elif how == "no_outer":
                    lines.append(" | ".join(align))
                else:
                    lines.append("|" + "|".join(align) + "|")
        lines.append("")
    return "\n".join(lines).encode("utf-8"), "md"
