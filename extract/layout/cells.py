"""The cells of a table row as the layout stage hands them to the parser."""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.parse.values import looks_like_value

_SERIAL = re.compile(r"^\s*\d{1,3}\s*$")


@dataclass(frozen=True)
class Cell:
    """One cell's text and where it was printed. ``carried``: a label fragment from a line above.
    ``confidence``: the OCR engine's confidence (0–1) in an OCR-read cell, else ``None``."""

    text: str
    line_no: int
    page: int | None
    method: str = "text"
    carried: bool = False
    confidence: float | None = None


@dataclass
class LogicalRow:
    """Cells of one table row in order.

    ``tabular``: empty cells are real cells. ``loose``: the cells were cut from
    text with no separators (one value a line, values split at spaces), so only
    their count says which column each is in; ``inferred``: blank cells were put
    where the values' positions say. The parser verifies both kinds of row. ``label_unsure``: its
    label may be printed above or below it (:mod:`extract.layout.label_side`): none of its values is
    stored.
    """

    cells: list[Cell]
    tabular: bool
    loose: bool = False
    inferred: bool = False
    label_unsure: bool = False

    def split(self) -> tuple[list[Cell], list[Cell], list[Cell]]:
        """(labels, values, trailing_text): labels are the text cells before the first value.

        A row number printed before the label (a 序号 column: ``3 | 行政处罚 | 12``) is neither."""
        filled = [i for i, c in enumerate(self.cells) if c.text.strip()]
        if self.tabular and not self.loose and len(filled) > 2 and _SERIAL.match(self.cells[filled[0]].text) \
                and not looks_like_value(self.cells[filled[1]].text):
            return LogicalRow(self.cells[filled[0] + 1:], self.tabular, self.loose, self.inferred,
                              self.label_unsure).split()
        first_value = next(
            (i for i, c in enumerate(self.cells) if c.text.strip() and looks_like_value(c.text)),
            None,
        )
        if first_value is None:
            labels = [c for c in self.cells if c.text.strip()]
            last_label = max((i for i, c in enumerate(self.cells) if c.text.strip()), default=-1)
            return labels, self.cells[last_label + 1 :], []
        labels = [c for c in self.cells[:first_value] if c.text.strip()]
        last_label = max((i for i, c in enumerate(self.cells[:first_value]) if c.text.strip()), default=-1)
        values: list[Cell] = []
        trailing: list[Cell] = []
        for cell in self.cells[last_label + 1 :]:
            if trailing or (cell.text.strip() and not looks_like_value(cell.text)):
                trailing.append(cell)
            else:
                values.append(cell)
        return labels, values, trailing
