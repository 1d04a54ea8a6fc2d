"""表三 printed with a 小计 column: the five kinds of 法人或其他组织 summed, a column the template
does not have (docs/template_spec.md §4.3).

A header row that names 小计 after 其他 (or before 商业企业) says where it is among the values; a
header wrapped into pieces (``小计`` printed on a line of its own before ``公益 服务 其他``) says only
that it is there, and the rows' numbers must then show where, one place only: a row's own numbers, or
(a row whose numbers fit both places: ``1 1 0 0 0 0 1 2``) those of the rows of its table that fit
one place alone (:func:`table_place`). A row with one
value more than the template's seven has it dropped only when the row's own numbers vouch for it:
小计 is the sum of the five kinds, and 总计 is 自然人 plus 小计. Any other row stays a parse issue.
"""

from __future__ import annotations

from decimal import Decimal

from extract.layout.cells import Cell
from extract.parse.template import Template, normalize_label
from extract.parse.values import parse_value

SUBTOTAL = "小计"
"""A 表三 header cell the template does not print: the five kinds of 法人或其他组织 summed."""


PLACES = (1, 6)
"""Where a 小计 column can be among a row's eight values: before 商业企业, after 其他."""
SOMEWHERE = -1
"""A header prints 小计 but its pieces do not say where."""


def subtotal_index(texts: list[str], template: Template) -> int | None:
    """Where a 表三 header row ``texts`` prints a 小计 column among the seven value columns: 6
    (after 其他), 1 (before 商业企业), :data:`SOMEWHERE` when its pieces do not say; ``None``
    when it prints none."""
    keys = [SUBTOTAL if normalize_label(t) == SUBTOTAL else template.match(normalize_label(t), "col", 3)
            for t in texts if t.strip()]
    if keys.count(SUBTOTAL) != 1:
        return None
    at = keys.index(SUBTOTAL)
    before, after = keys[:at], keys[at + 1:]
    if "other_org" in before and not set(after) - {"total", None}:
        return 6
    if "commercial_enterprise" in after and not set(before) - {"natural_person", None}:
        return 1
    return SOMEWHERE


def table_place(rows: list[list[Cell]], columns: int) -> int:
    """Where a 小计 column printed :data:`SOMEWHERE` is, by the rows of its table: the one of
    :data:`PLACES` that some row's numbers hold at alone, when no row holds at the other alone (the
    column is in one place for the whole table, so a row that fits both places takes it from the rows
    that fit one); else :data:`SOMEWHERE`."""
    alone: set[int] = set()
    for values in rows:
        cells = _fit(values, columns + 1)
        if cells is None or columns != 7:
            continue
        holds = [place for place in PLACES if _dropped(cells, place) is not None]
        if len(holds) == 1:
            alone.add(holds[0])
    return alone.pop() if len(alone) == 1 else SOMEWHERE


def _fit(values: list[Cell], count: int) -> list[Cell] | None:
    from extract.parse.placement import fit

    return fit(values, count)


def without_subtotal(values: list[Cell], at: int, columns: int) -> list[Cell] | None:
    """``values`` (a 表三 row printing ``columns`` + 1 cells, the 小计 at index ``at``) without the
    小计 cell, or ``None`` unless its numbers hold: 小计 = the five kinds, 总计 = 自然人 + 小计. With
    ``at`` :data:`SOMEWHERE`, the numbers must hold at one of :data:`PLACES` only (or both give the
    same row)."""
    cells = _fit(values, columns + 1)
    if cells is None or columns != 7:
        return None
    if at == SOMEWHERE:
        found = [kept for place in PLACES if (kept := _dropped(cells, place)) is not None]
        same = len({tuple(c.text.strip() for c in kept) for kept in found}) == 1
        return found[0] if found and same else None
    return _dropped(cells, at)


def _dropped(cells: list[Cell], at: int) -> list[Cell] | None:
    parsed = [parse_value(c.text) for c in cells]
    if any(p.state not in ("number", "blank", "dash") for p in parsed) or parsed[at].state != "number":
        return None
    numbers = [p.value if p.value is not None else Decimal(0) for p in parsed]
    kinds = numbers[1:at] + numbers[at + 1:-1]
    if numbers[at] != sum(kinds) or numbers[-1] != numbers[0] + numbers[at]:
        return None
    return cells[:at] + cells[at + 1:]
