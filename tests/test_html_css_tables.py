"""Web-page tables built from CSS (extract/readers/html_css.py): ``display:table`` divs and
``display:grid`` with ``grid-template-columns``, read only where the inline style says so."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, cell_map, parse

from extract.readers.html import fragment_lines

DRAWN = FIXTURES / "drawn"


def _cells(markup: str) -> list[tuple[str, ...] | None]:
    return [line.cells for line in fragment_lines(markup)]


@pytest.mark.parametrize("name", ["css_display_table_2021.html", "css_grid_2021.html"])
def test_a_report_of_css_tables_reads_every_cell(name):
    """An empty cell ``<div>`` is an empty cell: ``规章 | 74 | (blank) | 232`` keeps its place."""
    cells = cell_map(parse(DRAWN / name))
    assert cells == cell_map(parse(DRAWN / "pipe_padded_2021.md"))


def test_display_table_divs_are_rows_and_cells():
    cell = '<div style="display:table-cell">{}</div>'
    row = '<div style="display: table-row">' + "".join(cell.format(t) for t in ("规章", "74", "", "232")) + "</div>"
    assert _cells(f'<div style="display:table">{row}</div>') == [("规章", "74", "", "232")]
    grouped = f'<div style="display:table"><div style="display:table-row-group">{row}</div></div>'
    assert _cells(grouped) == [("规章", "74", "", "232")]
    plain = "<div>" + "".join(f"<div>{t}</div>" for t in ("规章", "74", "", "232")) + "</div>"
    assert _cells(plain) == [None, None, None]  # ordinary divs stay text


def test_a_css_grid_takes_its_columns_from_the_template_and_its_spans():
    def grid(template: str, *items: str) -> str:
        return f'<div style="display:grid;grid-template-columns:{template}">' + "".join(items) + "</div>"
    item = '<div style="{}">{}</div>'.format
    flowing = grid("120px 1fr 1fr 1fr", *(item("", t) for t in ("规章", "74", "", "232", "行政许可", "201")),
                   item("grid-column: span 2", ""))
    assert _cells(flowing) == [("规章", "74", "", "232"), ("行政许可", "201", "")]
    placed = grid("repeat(4, 1fr)", item("grid-row:2;grid-column:1", "行政许可"),
                  item("grid-row:2;grid-column:2 / span 3", "201"), item("grid-row:1;grid-column:1 / 5", "第（五）项"))
    assert _cells(placed) == [None, ("行政许可", "201")]
    assert fragment_lines(placed)[0].text == "第（五）项"
    unsure = grid("repeat(auto-fill, 100px)", item("", "规章"), item("", "74"))
    assert _cells(unsure) == [None, None]
    overlapping = grid("1fr 1fr", item("grid-row:1;grid-column:1", "规章"), item("grid-row:1;grid-column:1", "74"))
    assert _cells(overlapping) == [None, None]
