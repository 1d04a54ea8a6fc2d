"""Plain-text renderings: tab-separated rows (copied from Word), space-aligned layout text, and
pipe text (one cell a line ending in `` |``, or Markdown pipe rows)."""

from __future__ import annotations

from collections.abc import Callable

from render.report import Report, is_table3
from render.template import Grid


def _text(report: Report, table_lines: Callable[[Grid], list[str]]) -> bytes:
    """The report as UTF-8 text: each paragraph a line, each table as ``table_lines`` writes it."""
    lines: list[str] = []
    for kind, block in report.blocks:
        lines += table_lines(block) if kind == "table" else [str(block)]
    return "\n".join(lines).encode("utf-8")


def to_tab_text(report: Report) -> bytes:
    """Tab-separated text, as copied from Word: merged cells are empty strings."""
    return _text(report, lambda block: [
        "\t".join(cell for text, _, colspan in row for cell in [text] + [""] * (colspan - 1)) for row in block])


def to_layout_text(report: Report, label_chars: int = 12, page_break_in_table3: bool = True) -> bytes:
    """Columns aligned with spaces by character count (as ``pdftotext -layout`` writes them),
    labels wrapped beside their numbers, a page number and form feed inside 表三."""
    return _text(report, lambda block: layout_table(block, label_chars, page_break_in_table3))


def layout_table(block: Grid, label_chars: int = 12, page_break_in_table3: bool = False) -> list[str]:
    """One table as space-aligned lines: each row's last label wrapped at ``label_chars``
    characters beside its values (right-aligned in 10 characters each)."""
    from extract.parse.values import looks_like_value

    lines: list[str] = []
    data_rows = 0
    for row in block:
        texts = [t for t, _, _ in row]
        first_value = len(texts)
        while first_value > 0 and (texts[first_value - 1] == "" or looks_like_value(texts[first_value - 1])):
            first_value -= 1
        values = texts[first_value:]
        labels = [t for t in texts[:first_value] if t]
        if not values:
            lines.append("    ".join(labels))
            continue
        label = labels[-1] if labels else ""
        chunks = [label[i : i + label_chars] for i in range(0, len(label), label_chars)] or [""]
        value_text = "".join(v.rjust(10) for v in values)
        first = chunks[0]
        lines.append(first + " " * (label_chars + 4 - len(first)) + value_text)
        lines.extend(chunks[1:])
        data_rows += 1
        if is_table3(block) and page_break_in_table3 and data_rows == 12:
            lines += ["", "- 3 -", "\f"]
    return lines


def pipe_cells(report: Report) -> bytes:
    """One cell a line ending in `` |``; a blank cell is a bare ``|`` line; merged cells once."""
    return _text(report, lambda block: [f"{text} |" if text else "|" for row in block for text, _, _ in row])


def markdown(report: Report, table_lines: Callable[[Grid], list[str]]) -> bytes:
    """The report as Markdown: ``#`` title, ``##`` headings, paragraphs, tables as ``table_lines``
    writes them."""
    heads = {"title": "# ", "h": "## ", "p": ""}
    lines: list[str] = []
    for kind, block in report.blocks:
        lines += table_lines(block) if kind == "table" else [f"{heads[kind]}{block}"]
    return "\n".join(lines).encode("utf-8")


def _pipe_rows(block: Grid) -> list[str]:
    lines = [""]
    for index, row in enumerate(block):
        cells: list[str] = []
        for text, _, colspan in row:
            cells += [f" {text} " if text else ""] + [""] * (colspan - 1)
        lines.append("|" + "|".join(cells) + "|")
        if index == 0:
            lines.append("|" + "|".join("---" for _ in cells) + "|")
    return [*lines, ""]


def markdown_pipes(report: Report) -> bytes:
    """Markdown pipe rows, a separator under each table's first row; empty cells are ``||``."""
    return markdown(report, _pipe_rows)
