"""Label columns of layout text: what lies in them is label, never value.

Layout text loses the table's column boundaries; two rules give them back where label
columns are narrow (labels wrapped over many lines, a group label beside its sub-labels):

* **Label characters.** 一, 无, 〇 and 空 are dashes in a value cell and characters of
  labels (``三安全一稳定``, ``（四）无法提供``). One printed in a label column is label:
  left of every value of the rows above it in its band (:func:`label_only`), or a row's
  leading values beyond the band's column count (:func:`surplus_label_values`; the row is
  then verified by its 总计, like any row whose cells were inferred).
* **Label column starts.** Two label columns a single space apart print as one piece
  (``（三）不予公 权益``: the group label, and the tail of ``4.保护第三方合法权益``). A
  piece is cut where a part of two characters or more ends and the next part starts at a
  column (give or take one: wide characters set the grid off) where label pieces of other
  lines start (:func:`column_starts`,
  :func:`split_at_starts`), so that fragments are re-joined within their column only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from extract.parse.values import looks_like_value

LABEL_DASHES = frozenset("一无〇空")
"""Dash words (:data:`~extract.parse.values.DASHES`) that are also characters of labels."""
_MIN_STARTS = 2
"""Other lines whose label pieces start at a column for it to be a label column's start."""
_MIN_PART = 2
"""Characters the part before a cut needs (a label spaced out character by character is not cut)."""
_SPACE = re.compile(r"(?<=\S) (?=\S)")

Piece = tuple[str, int]
"""A piece of text and its start column."""


def is_label_dash(text: str) -> bool:
    """A value token that may be a character of a label: 一, 无, 〇 or 空 alone."""
    return text.strip() in LABEL_DASHES


def _left_edge(rows: Sequence[tuple[list[str], list[float]]]) -> float | None:
    edges = [centres[0] - len(values[0]) / 2 for values, centres in rows if values]
    return min(edges) if edges else None


def label_only(values: list[str], centres: list[float], above: Sequence[tuple[list[str], list[float]]]) -> bool:
    """Whether a line's values are label characters: each is one of :data:`LABEL_DASHES` and ends
    left of every value of the rows ``above`` (values, centres) in its band."""
    edge = _left_edge(above)
    if edge is None or not values or not all(is_label_dash(v) for v in values):
        return False
    return max(c + len(v) / 2 for v, c in zip(values, centres, strict=True)) < edge


def surplus_label_values(values: list[str], above: Sequence[tuple[list[str], list[float]]]) -> int:
    """How many of a row's leading values are label characters: the row prints more values than
    any row ``above`` it in its band, and exactly that surplus leads it as :data:`LABEL_DASHES`."""
    width = max((len(v) for v, _ in above), default=0)
    surplus = len(values) - width
    if width < 2 or surplus <= 0 or surplus >= len(values):
        return 0
    return surplus if all(is_label_dash(v) for v in values[:surplus]) else 0


def column_starts(pieces: Sequence[Sequence[Piece]]) -> Counter[int]:
    """Columns where label pieces start: for each column, the number of lines with a piece
    (not a value) starting there."""
    count: Counter[int] = Counter()
    for line in pieces:
        count.update({start for text, start in line if not looks_like_value(text)})
    return count


def _spaced_out(text: str) -> bool:
    """A label set out one character a space apart (``（ 七 ） 总 计``: expanded character spacing or
    分散对齐), never two columns: every part between single spaces is one character."""
    parts = text.split(" ")
    return len(parts) > 2 and all(len(part) == 1 for part in parts)


SPREAD_GAP = 3
"""Widest gap (spaces) between the characters of one label spread over its cell's width."""


def _spread_parts(pieces: Sequence[Piece]) -> list[Piece] | None:
    """The characters of ``pieces`` when they are one label spread over its cell's width (分散对齐
    with expanded spacing: ``行  政 许  可``, cut by layout text at each double space): three or more
    parts, each one CJK character, no gap wider than :data:`SPREAD_GAP`. Two label columns never
    print so."""
    parts = [(part.group(), start + part.start()) for text, start in pieces for part in re.finditer(r"\S+", text)]
    if len(parts) < 3 or not all(len(t) == 1 and "\u4e00" <= t <= "\u9fff" and not looks_like_value(t)
                                 for t, _ in parts):
        return None
    gaps = [b - a - 1 for (_, a), (_, b) in zip(parts, parts[1:], strict=False)]
    return parts if max(gaps) <= SPREAD_GAP else None


def join_spread(pieces: list[Piece], vertical: Sequence[int], slack: int) -> list[Piece]:
    """A row's own label spread a character apart (:func:`_spread_parts`) as one piece, else ``pieces``;
    not when a character lies in a column of characters printed one a line (a group label set
    vertically beside the row: :mod:`extract.layout.vertical_labels`)."""
    parts = _spread_parts(pieces) if len(pieces) > 1 else None
    if not parts or any(abs(c - v) <= slack for _, c in parts for v in vertical):
        return pieces
    return [(" ".join(t for t, _ in parts), parts[0][1])]


def split_at_starts(pieces: list[Piece], starts: Counter[int], keep_spaced: bool = False) -> list[Piece]:
    """Pieces cut at single spaces where the next part starts a label column (see the module).
    ``keep_spaced``: a row's own label set out a character a space apart stays whole (a header
    line's may be two columns: ``容 本 年 制 发 件 数``, the tail of 信息内容 and a column name)."""
    out: list[Piece] = []
    for text, start in pieces:
        if keep_spaced and _spaced_out(text):
            out.append((text, start))
            continue
        cut = 0
        for space in _SPACE.finditer(text):
            at = space.end()
            column = start + at
            if at - cut - 1 >= _MIN_PART and sum(starts[c] for c in range(column - 1, column + 2)) >= _MIN_STARTS:
                out.append((text[cut:space.start()], start + cut))
                cut = at
        out.append((text[cut:], start + cut))
    return out


def glue_value_like(pieces: list[tuple[str, int, bool]], slack: int) -> list[tuple[str, int, bool]]:
    """A row's label pieces (text, start column, carried from a line above), in order, with each that
    reads as a value (``无`` of ``（四）无法提供`` wrapped a character a line) joined to the next piece of
    its column, else the one before (else its neighbour): a label cell never reads as a value. A joined
    piece is carried if both parts were."""
    out = list(pieces)
    index = 0
    while index < len(out):
        text, start, _ = out[index]
        if len(out) < 2 or not looks_like_value(text):
            index += 1
            continue
        near = [j for j in range(len(out)) if j != index and abs(out[j][1] - start) <= slack]
        after = [j for j in near if j > index]
        other = after[0] if after else near[-1] if near else index + 1 if index + 1 < len(out) else index - 1
        first, second = sorted((index, other))
        out[first] = (out[first][0] + out[second][0], out[first][1], out[first][2] and out[second][2])
        del out[second]
        index = first + 1
    return out
