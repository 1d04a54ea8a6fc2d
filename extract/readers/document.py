"""The format-neutral Document every reader produces and every parser reads."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Line:
    """One line of a report: its text, and its cells when the reader saw a table row.

    ``cells`` is ``None`` for running text. ``line_no`` is 1-based in the
    reader's output; ``page`` is the source page where the format has pages.
    ``method`` is how the reader got the cells: ``grid`` (a table's own cell
    structure: PDF ruling lines, HTML, Word), ``positional`` (columns rebuilt
    from text positions), ``text`` (separators in plain text) or ``ocr``.
    ``lead`` counts the leading cells that are label fragments carried from
    the lines above (a label wrapped over lines in layout text), not printed
    on this line. ``inferred``: the line printed fewer values than its table
    has columns, and the empty cells were put where the positions of its
    values say (:mod:`extract.layout.sparse`); the parser verifies such rows.
    ``label_unsure``: the page does not say whether this row's label is printed above or
    below its values (:mod:`extract.layout.label_side`): the parser stores none of its values.
    ``confidences`` (OCR only) is the engine's confidence (0–1) of each cell, ``None``
    where a cell was not read by OCR.
    """

    text: str
    line_no: int
    page: int | None = None
    cells: tuple[str, ...] | None = None
    method: str = "text"
    lead: int = 0
    inferred: bool = False
    confidences: tuple[float | None, ...] | None = None
    label_unsure: bool = False

    def renumbered(self, line_no: int) -> Line:
        """This line with another line number."""
        return replace(self, line_no=line_no)


@dataclass
class Document:
    """A report as lines of text (with table cells where known), in reading order.

    ``read_method`` is the most common method of its table lines;
    ``title_candidates`` are titles the container marks as the document's own
    (web pages: ArticleTitle / og:title / title meta, the article heading,
    ``<title>``), most trusted first, raw as found: metadata prefers them to the
    first lines of text, which on web pages often start with navigation.
    ``title_hint`` is a title the container declares less reliably (Word
    document properties, HTML ``<title>``), used when the text itself has
    none. ``warnings`` are (code, message, page) for parts the reader could
    not read at all. ``reader`` says how the reader read it, for debugging (a PDF: how many pages
    pdfium read and how many pdfminer).
    """

    source_format: str
    lines: list[Line] = field(default_factory=list)
    read_method: str = "text"
    title_hint: str | None = None
    warnings: list[tuple[str, str, int | None]] = field(default_factory=list)
    title_candidates: tuple[str, ...] = ()
    reader: str = ""

    def __post_init__(self) -> None:
        methods = [line.method for line in self.lines if line.cells is not None]
        if methods and self.read_method == "text":
            self.read_method = max(sorted(set(methods)), key=methods.count)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
