"""A row's label cells → its template row key, by alias (seeds/label_aliases.csv), sub-row number or OCR similarity."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from extract.layout.cells import Cell
from extract.parse.template import Template, normalize_label

_LABEL_MAX_CHARS = 90
_SUBROW_NUMBER = re.compile(r"^\s*(\d{1,2})\s*(?:[.、．,，]|(?=[\u4e00-\u9fff]))")
_MISPRINT_SIMILARITY = 0.6
_OCR_SIMILARITY = 0.75
_FUZZY_MIN_CHARS = 4


def resolve_row(labels: list[Cell], template: Template, tables: tuple[int, ...]) -> tuple[int, str, str] | None:
    """(table_no, row_key, label) for the row's last label, re-joining wrapped fragments.

    A last label that starts with a sub-row number (``1.``) starts its own
    label, so it is never joined to the group label before it.
    """
    texts = [c.text.strip() for c in labels]
    if any(template.two_rows([c.text for c in labels if not c.carried], table_no) for table_no in tables):
        return None
    for span in (1, 2, 3):
        if span > len(texts) or (span > 1 and _SUBROW_NUMBER.match(texts[-1])):
            break
        raw = "".join(texts[-span:])
        label = normalize_label(raw)
        if not label or len(label) > _LABEL_MAX_CHARS:
            continue
        if span == 1 and len(label) <= 1:
            continue
        for table_no in tables:
            if span > 1 and template.spans_two(texts[-span:], table_no):
                continue
            key = template.match(label, "row", table_no)
            if key:
                return table_no, key, raw
    return None


def resolve_by_number(
    labels: list[Cell], previous_key: str | None, template: Template
) -> tuple[int, str, str] | None:
    """A misprinted 表三 sub-row label (``2.其他法律行政止公开``) read by its number.

    Only when the previous row is sub-row N-1 of the same outcome group and
    the printed text is close to the template label; the caller records it.
    """
    if not labels or previous_key is None:
        return None
    raw = labels[-1].text.strip()
    number = _SUBROW_NUMBER.match(raw)
    if not number:
        return None
    previous = template.row(3, previous_key)
    wanted = template.numbered_sibling(3, previous_key, int(number[1]))
    before = template.numbered_sibling(3, previous_key, int(number[1]) - 1)
    if previous is None or wanted is None or before is None or before.row_key != previous_key:
        return None
    label = normalize_label(raw)
    best = max((SequenceMatcher(None, label, alias).ratio() for alias in template.labels_of(3, wanted.row_key)),
               default=0.0)
    return (3, wanted.row_key, raw) if best >= _MISPRINT_SIMILARITY else None


def resolve_fuzzily(labels: list[Cell], template: Template, tables: tuple[int, ...]) -> tuple[int, str, str] | None:
    """An OCR-read label matched to the most similar template row (clearly best, similar enough)."""
    for span in (1, 2):
        if span > len(labels):
            break
        raw = "".join(c.text.strip() for c in labels[-span:])
        label = normalize_label(raw)
        if len(label) < _FUZZY_MIN_CHARS:
            continue
        for table_no in tables:
            hit = template.fuzzy_row(label, table_no, _OCR_SIMILARITY)
            if hit:
                return table_no, hit[0], raw
    return None
