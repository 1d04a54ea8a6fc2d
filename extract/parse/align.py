"""Value rows of a table aligned to the template's row sequence (docs/template_spec.md §2).

A table offers value rows in print order, each with label evidence: the label
printed on its line (``own``) and the label fragments printed since the row
before (``before``) and until the row after (``after``), which belong to one of
the two when a label wraps. The template is a known sequence of rows. So:

1. **Anchors.** Each candidate label (own; before + own; own + after; the part
   of a glued label from its sub-row number or group number on) is matched to template rows by
   their aliases (``seeds/label_aliases.csv``). Of the matches, the heaviest
   chain in template order is kept, a row's own label weighing most. A label
   that names a row out of order (``2.其他``, the head of ``2.其他法律行政法规
   禁止公开``, is also the full label of （六）3.其他) is not an anchor. A row
   printing no label beside its values reads the labels printed whole above
   it (not a group label over its first sub-row) and the head above joined to
   the tail below (``（一）予`` / values / ``以公开``); if its strongest readings
   name two rows it is no anchor, and not placed by its own label either.
   A fragment below a row that begins a label, at its start or inside
   (``理结果 （二）部分公``), is the next row's.
2. **Gaps.** The rows between two anchors (or an anchor and the table's edge)
   take the template rows between them, in order, only when their number equals
   the number of template rows there in exactly one reading of the template
   (2021 or 2019 format; with or without local rows and the group row
   （六）其他处理), and each row with a readable label is similar to its
   template row. A local row (not in the State Council template, e.g.
   其他主动公开文件) may or may not be printed, so the count cannot pin it: a
   gap row takes it only when its label is similar to it (a line of stray
   numbers, ``0 2    110`` of a stamp over the table, takes none). Otherwise
   the gap's rows stay unplaced: the caller records them as parse issues.

Rows placed by their label are ``label``; rows placed by the gap rule are
``sequence`` (their cells get the ``row_sequence`` placement).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from extract.parse.template import Row, Template, normalize_label

_SUBROW = re.compile(r"^\s*\d{1,2}\s*(?:[.、．,，]|(?=[\u4e00-\u9fff]))")
_INNER_SUBROW = re.compile(r"(?<=[\u4e00-\u9fff）)])\s*(\d{1,2}\s*[.、．].*)$")
_INNER_GROUP = re.compile(r"(?<=[\u4e00-\u9fff）)])\s*([（(][一二三四五六七八九十]+[）)].*)$")
_GROUP = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")
_MAX_JOIN = 3
_MAX_FRAGMENTS = 8
_OWN, _JOINED = 3, 2
_COMPATIBLE = 0.5
_PREFIX_SCORE = 0.8


@dataclass
class Evidence:
    """The label text around one value row, as printed."""

    own: list[str]
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    ambiguous: bool = False  # set by :func:`align`: its readings name two rows as strongly

    def candidates(self, spans_two: Callable[[list[str], str], bool] = lambda fragments, tail: False,
                   ) -> list[tuple[str, int]]:
        """(normalised label, weight) for every reading of the row's label. ``spans_two(fragments, tail)``:
        the fragments above, then the label beside the values, begin with a row's whole label and go on
        with the beginning of another's (:meth:`Template.spans_two`); no reading joins them, nor any
        more fragments above."""
        own = [t for t in self.own if t.strip()]
        out: list[tuple[str, int]] = []
        for span in range(1, min(_MAX_JOIN, len(own)) + 1):
            if span > 1 and _SUBROW.match(own[-1]):
                break
            out.append(("".join(own[-span:]), _OWN))
        if own:
            inner = _INNER_SUBROW.search(own[-1])
            if inner:
                out.append((inner[1], _OWN))
        tail = "".join(own[-1:])
        if len(own) > 1 and not any(_starts_label(t) for t in own):  # a label's middle and tail beside values
            for span in range(1, min(_MAX_FRAGMENTS, len(self.before)) + 1):
                if spans_two(self.before[-span:], "".join(own)):
                    break
                out.append(("".join(self.before[-span:] + own), _JOINED))
                if _starts_label(self.before[-span]):
                    break
        if not (own and _starts_label(own[-1])):
            for span in range(1, min(_MAX_FRAGMENTS, len(self.before)) + 1):
                if spans_two(self.before[-span:], tail):
                    break  # ``行政处`` / ``罚`` printed blank above ``行政强  292``: not 行政处罚行政强
                out.append(("".join(self.before[-span:]) + tail, _JOINED))
                if _starts_label(self.before[-span]):
                    break
        if not own and not any(map(_starts_label, self.after[:_MAX_FRAGMENTS])):
            # a label whole above, then a head: the head is the next row's only when that row prints none
            # (else the whole label is a row printed blank, and the head this row's: 6.属于四类 / 过程性信息
            # / 7.属于行政 / values / 执法案卷 / 8.属于行政 / values)
            out += [(text, _JOINED) for text in self._complete_above()]
        head = tail if own else self._head()  # a row printing no label beside its values: the label's head above
        for span in range(1, min(_MAX_FRAGMENTS, len(self.after)) + 1 if head else 0):
            if _begins_one(self.after[span - 1]):
                break  # the next row's label: ``理结果 （二）部分公`` begins one inside
            out.append((head + "".join(self.after[:span]), _JOINED))
        wrapped = [text for text in self.after[:_MAX_FRAGMENTS] if len(text.strip()) > 1]
        if head and own and wrapped and len(wrapped) < len(self.after[:_MAX_FRAGMENTS]) \
                and not any(_begins_one(text) for text in wrapped):
            # a group label set in narrow columns beside the label's tail, a character a line
            # (``）`` ``其`` / ``他`` ``处`` beside ``请人`` / ``无正``): the tail without them
            out.append((head + "".join(wrapped), _JOINED))
        for text, weight in list(out):  # 三、本年度办理结果（一）予以公开: the part from （一） on
            group = _INNER_GROUP.search(text)
            if group:
                out.append((group[1], weight))
        normalised = [(normalize_label(text), weight) for text, weight in out]
        return [(text, weight) for text, weight in normalised if text]

    def _complete_above(self) -> list[str]:
        """Labels printed whole above a row that prints none beside its values: each run of fragments
        from one that begins a label to the next that does (``4.保护第三`` / ``方合法权益`` above values,
        ``5.属于三类`` the next row's head); a group label before its first sub-row is none."""
        pieces = self.before[-_MAX_FRAGMENTS:]
        starts = [i for i, text in enumerate(pieces) if _starts_label(text)]
        return ["".join(pieces[a:b]) for a, b in zip(starts, starts[1:], strict=False)
                if not (_GROUP.match(pieces[a]) and _SUBROW.match(pieces[b]))]  # a group label over its sub-rows

    def _head(self) -> str:
        """The fragments above from the last that begins a label (``（一）予`` of ``（一）予`` / values /
        ``以公开``), or '' if none of the last :data:`_MAX_FRAGMENTS` does."""
        for span in range(1, min(_MAX_FRAGMENTS, len(self.before)) + 1):
            if _starts_label(self.before[-span]):
                return "".join(self.before[-span:])
        return ""


def _begins_one(text: str) -> bool:
    """A fragment that begins a label at its start or inside (``理结果 （二）部分公``)."""
    return _starts_label(text) or bool(_INNER_GROUP.search(text) or _INNER_SUBROW.search(text))


def _starts_label(text: str) -> bool:
    """A fragment that begins a label: a sub-row number (``2.``) or a group number (``（三）``, ``三、``)."""
    return bool(_SUBROW.match(text) or _GROUP.match(text))


@dataclass(frozen=True)
class Placed:
    """Row ``index`` of the table is template row ``row_key``, placed ``how`` (label | sequence)."""

    index: int
    row_key: str
    how: str


def _anchors(evidence: list[list[tuple[str, int]]], template: Template, table_no: int,
             position: dict[str, int], bare: set[int], refused: set[int]) -> list[tuple[int, str]]:
    """The heaviest chain of (row index, row key) label matches in template order. A row whose
    strongest readings name two rows, and whose own label beside its values names none (or which has
    none: ``bare``), is no anchor: it is put in ``refused`` (``行政许可`` printed blank above ``其他对外`` /
    ``管理服务  259 …``: the joined readings name both rows)."""
    items: list[tuple[int, int, int, str]] = []  # (row, position, weight, key)
    for index, candidates in enumerate(evidence):
        if index in refused:
            continue
        best: dict[str, int] = {}
        for text, weight in candidates:
            key = template.match(text, "row", table_no)
            if key in position:
                best[key] = max(best.get(key, 0), weight)
        top = max(best.values(), default=0)
        if (index in bare or top < _OWN) and sum(1 for weight in best.values() if weight == top) > 1:
            refused.add(index)  # no label of its own names a row, two rows named as strongly around it: no anchor
            continue
        items += [(index, position[key], weight, key) for key, weight in best.items()]
    items.sort()
    total = [0] * len(items)
    back = [-1] * len(items)
    for n, (row, pos, weight, _) in enumerate(items):
        total[n] = weight
        for m in range(n):
            if items[m][0] < row and items[m][1] < pos and total[m] + weight > total[n]:
                total[n], back[n] = total[m] + weight, m
    if not items:
        return []
    n = max(range(len(items)), key=lambda k: (total[k], -k))
    chain = []
    while n >= 0:
        chain.append((items[n][0], items[n][3]))
        n = back[n]
    return chain[::-1]


def similarity(text: str, row: Row, template: Template) -> float:
    """How well a normalised label fits a template row: 1 named, 0.8 a head or tail of it, else a ratio."""
    if template.match(text, "row", row.table_no) == row.row_key:
        return 1.0
    best = 0.0
    for alias in template.labels_of(row.table_no, row.row_key):
        if len(text) >= 2 and (alias.startswith(text) or text.startswith(alias)):
            best = max(best, _PREFIX_SCORE)
        best = max(best, SequenceMatcher(None, text, alias).ratio())
    return best


def _readings(rows: list[Row], version: str | None) -> list[tuple[Row, ...]]:
    """The distinct ways the template's rows in a gap can be printed (in the ``version`` format, or either)."""
    out: list[tuple[Row, ...]] = []
    for each in (version,) if version in ("2019", "2021") else ("2021", "2019"):
        present = [r for r in rows if r.in_format(each)]
        for local in (False, True):
            for parent in (True, False):
                reading = tuple(r for r in present if (local or r.is_template_row)
                                and (parent or not r.row_key.endswith("_handling")))
                if reading not in out:
                    out.append(reading)
    return out


def _fill(gap: list[int], rows: list[Row], evidence: list[list[tuple[str, int]]],
          template: Template, version: str | None) -> list[Placed]:
    """The gap's value rows placed in order, when exactly one reading of the template fits them."""
    if not gap:
        return []

    def fits(reading: tuple[Row, ...]) -> bool:
        for index, row in zip(gap, reading, strict=True):
            labels = [text for text, _ in evidence[index]]
            fit = max((similarity(text, row, template) for text in labels), default=0.0)
            if (labels or not row.is_template_row) and fit < _COMPATIBLE:
                return False  # an optional row is printed or not: only a label like its own can take it
        return True

    readings = [r for r in _readings(rows, version) if len(r) == len(gap)]
    fitting = [r for r in readings if fits(r)]
    if len(fitting) != 1:
        return []
    return [Placed(index, row.row_key, "sequence") for index, row in zip(gap, fitting[0], strict=True)]


def align(rows: list[Evidence], sequence: list[Row], template: Template, table_no: int,
          version: str | None = None) -> list[Placed]:
    """Template rows for the value rows that can be placed with confidence, by label or by sequence;
    with ``version``, ``sequence`` holds that format's rows and only its readings fill a gap."""
    for index, row in enumerate(rows):
        row.after = rows[index + 1].before if index + 1 < len(rows) else []
    evidence = [row.candidates(lambda fragments, tail: template.spans_two([*fragments, tail], table_no))
                for row in rows]
    position = {row.row_key: n for n, row in enumerate(sequence)}
    bare = {index for index, row in enumerate(rows) if not any(t.strip() for t in row.own)}
    refused = {index for index, row in enumerate(rows) if template.two_rows(row.own, table_no)}
    chain = _anchors(evidence, template, table_no, position, bare, refused)
    for index in refused:
        rows[index].ambiguous = True
    placed = [Placed(index, key, "label") for index, key in chain]
    bounds = [(-1, -1), *((index, position[key]) for index, key in chain), (len(rows), len(sequence))]
    for (start, start_pos), (end, end_pos) in zip(bounds, bounds[1:], strict=False):
        gap = list(range(start + 1, end))
        placed += _fill(gap, sequence[start_pos + 1 : end_pos], evidence, template, version)
    return sorted(placed, key=lambda p: p.index)
