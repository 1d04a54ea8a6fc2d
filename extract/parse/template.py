"""The template spec, loaded from the dbt seeds (the one source of truth).

``seeds/template_rows.csv``, ``seeds/template_columns.csv`` and
``seeds/label_aliases.csv`` define the rows, columns and label variants of
表二/表三/表四 in the 2019 and 2021 formats. Python never lists labels itself.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from extract.paths import SEEDS_DIR

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_NUMBERING = re.compile(
    r"^(?:第?[一二三四五六七八九十]+[、.,]|\([一二三四五六七八九十\d]+\)|\d+(?:[.、,](?!\d)|\))|\d{1,2}(?=[\u4e00-\u9fff]))"
)
_PUNCT = re.compile(r"[、,，。.：:；;“”\"'‘’「」『』|#*`>]")
_TRUNCATION_MIN_CHARS = 4
_TRUNCATION_ALWAYS_CHARS = 8
_FUZZY_MARGIN = 0.1
TYPO_SIMILARITY = 0.8
"""One rule for misprinted headers (``本年新作数量``, ``行政法复议``): similarity to exactly one key's alias."""
_TYPO_MIN_CHARS = 4
_TYPO_MAX_CHARS = 40
_TYPO_KINDS = frozenset({"col", "header", "group", "block", "table"})
"""Rows of 表二/表三 are not here: the alignment judges their labels by similarity and records it."""


def normalize_label(text: str) -> str:
    """Canonical form of a label: NFKC, no spaces, numbering prefixes, quotes or punctuation."""
    label = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    previous = None
    while previous != label:
        previous = label
        label = _NUMBERING.sub("", label)
    return _PUNCT.sub("", label)


@dataclass(frozen=True)
class Alias:
    table_no: int
    kind: str
    key: str
    alias: str
    match: str

    def matches(self, label: str) -> bool:
        if self.match == "exact":
            return label == self.alias
        if self.match == "prefix":
            return label.startswith(self.alias)
        return self.alias in label

    def truncated_match(self, label: str) -> bool:
        """A label cut short by a line wrap: a long enough prefix of the alias."""
        return (
            len(label) >= _TRUNCATION_MIN_CHARS
            and (len(label) * 2 >= len(self.alias) or len(label) >= _TRUNCATION_ALWAYS_CHARS)
            and self.alias.startswith(label)
            and label != self.alias
        )


    def near_match(self, label: str) -> bool:
        """A printed header with one typo: an alias of 4+ characters one edit from the label
        (or, for ``contains`` aliases, from a piece of it), at :data:`TYPO_SIMILARITY` or more.
        A piece that is the alias cut short (a wrapped label) is not a typo."""
        if len(self.alias) < _TYPO_MIN_CHARS or len(label) > _TYPO_MAX_CHARS:
            return False
        if len(set(self.alias) - set(label)) > 2:
            return False  # a typo (or a pair of brackets) leaves at most two of the alias's characters out
        widths = (len(self.alias) - 1, len(self.alias), len(self.alias) + 1)
        if self.match == "exact":
            pieces = [label]
        else:
            pieces = [label[i : i + w] for w in widths for i in range(max(1, len(label) - w + 1))]
        for piece in pieces:
            if self.alias.startswith(piece) or self.alias.endswith(piece):
                continue
            matcher = SequenceMatcher(None, piece, self.alias)
            if matcher.quick_ratio() >= TYPO_SIMILARITY and matcher.ratio() >= TYPO_SIMILARITY:
                return True
        return False


@dataclass(frozen=True)
class Column:
    table_no: int
    block: str
    col_key: str
    unit: str
    in_2019: bool
    in_2021: bool
    sort_order: int


@dataclass(frozen=True)
class Row:
    table_no: int
    block: str
    row_key: str
    in_2019: bool
    in_2021: bool
    sort_order: int
    row_role: str
    is_template_row: bool
    group: str = ""

    def in_format(self, version: str | None) -> bool:
        """Whether the row is printed in the ``2019`` or ``2021`` format (any row for another or none)."""
        return {"2019": self.in_2019, "2021": self.in_2021}.get(version or "", True)


_MATCHES_KEPT = 200_000
"""Answers of :meth:`Template.match` kept at most (then forgotten, so that memory stays bounded)."""


@dataclass
class Template:
    rows: dict[tuple[int, str], Row]
    columns: list[Column]
    aliases: list[Alias] = field(default_factory=list)
    _matched: dict[tuple[str, str, int | None], str | None] = field(default_factory=dict, repr=False, compare=False)
    _alias_keys: dict[int, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)
    _by_key: dict[tuple[int, str, str], Column] = field(default_factory=dict, repr=False, compare=False)
    _indexed: int = field(default=-1, repr=False, compare=False)

    def match(self, label: str, kind: str, table_no: int | None = None) -> str | None:
        """Key of the best alias of ``kind`` matching ``label`` (already normalised).

        The longest matching alias wins; a truncated row label or column header matches when
        no full alias does and exactly one key shares the prefix. Answers are kept: the same
        labels come back in every report (the aliases are not changed once loaded).
        """
        if (label, kind, table_no) not in self._matched:
            if len(self._matched) >= _MATCHES_KEPT:
                self._matched.clear()
            self._matched[(label, kind, table_no)] = self._match(label, kind, table_no)
        return self._matched[(label, kind, table_no)]

    def _match(self, label: str, kind: str, table_no: int | None) -> str | None:
        if not label:
            return None
        candidates = [
            a for a in self.aliases if a.kind == kind and (table_no is None or a.table_no == table_no)
        ]
        hits = [a for a in candidates if a.matches(label)]
        if hits:
            return max(hits, key=lambda a: len(a.alias)).key
        if kind in ("row", "col"):  # a header cell wrapped too (``上一年项目数`` / ``量``)
            keys = {a.key for a in candidates if a.truncated_match(label)}
            if len(keys) == 1:
                return keys.pop()
        if kind in _TYPO_KINDS or (kind == "row" and table_no == 4):
            keys = {a.key for a in candidates if a.near_match(label)}
            if len(keys) == 1:
                return keys.pop()
        return None

    def match_table(self, label: str, kind: str) -> tuple[int, str] | None:
        """(table_no, key) of the best alias of ``kind`` in any table."""
        hits = [a for a in self.aliases if a.kind == kind and a.matches(label)]
        if not hits and kind in _TYPO_KINDS:
            hits = [a for a in self.aliases if a.kind == kind and a.near_match(label)]
            if len({(a.table_no, a.key) for a in hits}) != 1:
                return None
        if not hits:
            return None
        best = max(hits, key=lambda a: len(a.alias))
        return best.table_no, best.key

    def block_columns(self, table_no: int, block: str, version: str) -> list[Column]:
        """The template's columns of one block in one format, in order."""
        cols = [c for c in self.columns if c.table_no == table_no and c.block == block]
        if version == "2019":
            cols = [c for c in cols if c.in_2019]
        elif version == "2021":
            cols = [c for c in cols if c.in_2021]
        return sorted(cols, key=lambda c: c.sort_order)

    def column(self, table_no: int, block: str, col_key: str) -> Column | None:
        if self._indexed != len(self.columns):
            self._by_key.clear()
            for col in reversed(self.columns):  # the first of equal keys wins, as a scan finds it
                self._by_key[(col.table_no, col.block, col.col_key)] = col
            self._indexed = len(self.columns)
        return self._by_key.get((table_no, block, col_key))

    def unit_of(self, table_no: int, row_key: str, col_key: str) -> str | None:
        """The unit the template prints in a cell's column (件, 项, 万元), ``None`` if not a template cell."""
        row = self.row(table_no, row_key)
        column = self.column(table_no, row.block, col_key) if row else None
        return column.unit if column else None

    def row(self, table_no: int, row_key: str) -> Row | None:
        return self.rows.get((table_no, row_key))

    def numbered_sibling(self, table_no: int, row_key: str, number: int) -> Row | None:
        """The ``number``-th (1-based) numbered sub-row of ``row_key``'s outcome group.

        A group's numbered sub-rows are its rows in template order, without a
        parent row whose key names the whole group (``other_handling``).
        """
        row = self.row(table_no, row_key)
        if row is None or not row.group:
            return None
        siblings = sorted(
            (r for r in self.rows.values()
             if r.table_no == table_no and r.group == row.group and r.is_template_row
             and not r.row_key.endswith("_handling")),
            key=lambda r: r.sort_order,
        )
        return siblings[number - 1] if 0 < number <= len(siblings) else None

    def is_group_parent(self, table_no: int, row_key: str, version: str | None) -> bool:
        """Whether the row names a whole outcome group whose sub-rows the ``version`` format prints
        (2021's （六）其他处理 over its three sub-rows; in 2019 it is a row of its own)."""
        row = self.row(table_no, row_key)
        return bool(row and row.group and row.row_key.endswith("_handling")) and any(
            r.table_no == table_no and r.group == row.group and r.sort_order > row.sort_order and r.in_format(version)
            for r in self.rows.values())

    def fuzzy_row(self, label: str, table_no: int, threshold: float) -> tuple[str, float] | None:
        """The row whose alias is most similar to ``label`` (an OCR misreading), if clearly best."""
        scores: dict[str, float] = {}
        for alias in self.aliases:
            if alias.table_no == table_no and alias.kind == "row" and len(alias.alias) >= 2:
                ratio = SequenceMatcher(None, label, alias.alias).ratio()
                scores[alias.key] = max(scores.get(alias.key, 0.0), ratio)
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < threshold:
            return None
        if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - _FUZZY_MARGIN:
            return None
        return ranked[0]

    def sequence(self, table_no: int, block: str | None = None, version: str | None = None) -> list[Row]:
        """The rows of a table (or of one block) in print order, local rows included: those of the
        ``version`` format (``2019`` or ``2021``), or of both."""
        rows = [r for r in self.rows.values() if r.table_no == table_no and (block is None or r.block == block)
                and r.in_format(version)]
        return sorted(rows, key=lambda r: r.sort_order)

    def spans_two(self, fragments: list[str], table_no: int) -> bool:
        """Whether label fragments joined in order are two labels: they begin with a row's label word for
        word (one of its aliases) and the rest begins another row's (``行政处`` ``罚`` ``行政强``: a row
        printed blank above the next row's label), though the joined text may name the first row by an
        alias's prefix. ``申请人无正当理由逾期不补正`` ``行政机`` is one label: no row's begins ``行政机``."""
        aliases = self._row_aliases(table_no)
        for cut in range(1, len(fragments)):
            key = aliases.get(normalize_label("".join(fragments[:cut])))
            rest = normalize_label("".join(fragments[cut:]))
            if key is not None and len(rest) >= 2 and any(
                    other != key and (alias.startswith(rest) or rest.startswith(alias))
                    for alias, other in aliases.items()):
                return True
        return False

    def two_rows(self, texts: list[str], table_no: int) -> bool:
        """Whether two label pieces printed on a row's own line each name a row, of different groups
        (``四、结转下年度继续办理`` beside ``（七）总计``: a row printed blank whose label the layout set after
        this row's): which is the row's cannot be told. A group label beside its sub-row's is one label."""
        found = {self.match(label, "row", table_no) for label in map(normalize_label, texts) if len(label) >= 2}
        rows = [row for key in found if key and (row := self.row(table_no, key))]
        return len(rows) > 1 and not (rows[0].group and all(row.group == rows[0].group for row in rows))

    def _row_aliases(self, table_no: int) -> dict[str, str]:
        """Each row alias of ``table_no`` → its row key."""
        if table_no not in self._alias_keys:
            self._alias_keys[table_no] = {a.alias: a.key for a in self.aliases
                                          if a.table_no == table_no and a.kind == "row"}
        return self._alias_keys[table_no]

    def labels_of(self, table_no: int, row_key: str) -> list[str]:
        """The normalised aliases of one row."""
        return [a.alias for a in self.aliases if a.table_no == table_no and a.kind == "row" and a.key == row_key]


def _bool(text: str) -> bool:
    return text.strip().lower() == "true"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=4)
def load_template(seeds_dir: Path = SEEDS_DIR) -> Template:
    """Read the three seed CSVs into a :class:`Template`."""
    rows = {
        (int(r["table_no"]), r["row_key"]): Row(
            int(r["table_no"]), r["block"], r["row_key"], _bool(r["in_2019"]),
            _bool(r["in_2021"]), int(r["sort_order"]), r["row_role"], _bool(r["is_template_row"]),
            r["outcome_group"],
        )
        for r in _read(seeds_dir / "template_rows.csv")
    }
    columns = [
        Column(
            int(c["table_no"]), c["block"], c["col_key"], c["unit"], _bool(c["in_2019"]),
            _bool(c["in_2021"]), int(c["sort_order"]),
        )
        for c in _read(seeds_dir / "template_columns.csv")
    ]
    aliases = [
        Alias(int(a["table_no"]), a["kind"], a["key"], normalize_label(a["alias"]), a["match"])
        for a in _read(seeds_dir / "label_aliases.csv")
    ]
    return Template(rows, columns, aliases)
