"""Whether a printed header row of 表三 or 表四 puts its columns in another order than the template.

表三's and 表四's values are placed in the template's column order (docs/template_spec.md §2);
a table printed with 总计 first, or 复议后起诉 before 未经复议直接起诉, would shift every value
into the wrong column. A header row names its columns; read left to right, their template
positions must rise, going back only to where the row began (表四 prints 结果维持 … 总计 once per
proceeding). Header cells this cannot read (wrapped into pieces) say nothing either way.
"""

from __future__ import annotations

from extract.parse.template import Template, normalize_label


def _positions(texts: list[str], template: Template, table_no: int, kind: str) -> list[tuple[str, int]]:
    """(key, template position) of each header cell naming a column (or a 表四 proceeding)."""
    out: list[tuple[str, int]] = []
    for text in texts:
        key = template.match(normalize_label(text), kind, table_no)
        if key is None:
            continue
        if kind == "col":
            found = next((c.sort_order for c in template.columns if c.table_no == table_no and c.col_key == key),
                         None)
        else:
            row = template.row(table_no, key)
            found = row.sort_order if row else None
        if found is not None and (not out or out[-1][1] != found):  # a spanned cell printed again in each column
            out.append((key, found))
    return out


def _rises(positions: list[int]) -> bool:
    return all(b > a or b == positions[0] for a, b in zip(positions, positions[1:], strict=False))


def _table3_in_order(found: list[tuple[str, int]]) -> bool:
    """表三's header has two levels (自然人 · 法人或其他组织 · 总计 over 商业企业 … 其他), printed as two
    rows or run together in one: 自然人 comes before 总计, and the five kinds of 法人 rise."""
    first = {key: n for n, (key, _) in reversed(list(enumerate(found)))}
    if "natural_person" in first and "total" in first and first["total"] < first["natural_person"]:
        return False
    return _rises([position for key, position in found if key not in ("natural_person", "total")])


def header_out_of_order(texts: list[str], template: Template, table_no: int) -> bool:
    """Whether the header cells ``texts`` (one printed row, in order) name the table's columns, or
    表四's proceedings, in an order the template does not print them in."""
    if table_no == 3:
        return not _table3_in_order(_positions(texts, template, 3, "col"))
    return any(not _rises([p for _, p in _positions(texts, template, table_no, kind)]) for kind in ("col", "row"))

