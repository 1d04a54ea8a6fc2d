"""Where a report comes from: its administrative division, and a stable agency key.

Names come from ``seeds/admin_divisions.csv`` (the national division codes, with the list's
version in its ``source`` column; earlier names of changed divisions are kept with
``is_current = false``). A division is found in the agency name, else the title, else the
report's own lines naming its portal or address (``淄博市张店区人民政府门户网站``,
``地址：张店区华光路92号``). Names match in full (``张店区``) or short (``张店``); a short
name inside a full one does not count (``淮安`` in ``淮安市``). Of the divisions found, the
deepest one whose chain contains every name found wins; two unrelated candidates at the
same depth (``朝阳区`` in Beijing and in Changchun) fall back to what they share, or to
nothing. Development zones (高新区, 综合实验区 …) are not divisions: they keep their own
name in ``area_name`` and take the division found beside them as parent.

Division suffixes, zone words and the agency words a short name does not count inside are
data (``seeds/metadata_words.csv``, read by :func:`extract.parse.metadata.load_words`); the
texts are NFKC-normalised before matching.

The agency key is the division code, the zone, and what is left of the name once division
and zone names are removed (``淄博市公安局张店分局`` and ``张店公安分局`` both give
``370303::公安分局``), so name variants of one body meet and two bodies stay two.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extract.parse.metadata import alternation, load_words
from extract.paths import SEEDS_DIR

_ZONE_BOUNDARY = "市县区局省州盟旗委府处厅、，"
_CORE_RULES = ((re.compile(r"公安局分局"), "公安分局"), (re.compile(r"^政府"), "人民政府"),
               (re.compile(r"[\s\u3000（）()]"), ""))
_TEXT_HINT = re.compile(r"门户网站|政府网站|地址[:：]|邮编|通讯地址|联系地址")
_LEVELS = {"province": 0, "prefecture": 1, "county": 2}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    is_current: bool

    def contains(self, other: Division) -> bool:
        """True when ``self`` is ``other`` or one of its ancestors."""
        width = {"province": 2, "prefecture": 4, "county": 6}[self.level]
        return other.code[:width] == self.code[:width] and _LEVELS[self.level] <= _LEVELS[other.level]


@dataclass(frozen=True)
class Region:
    division_code: str | None
    area_name: str | None
    basis: str
    agency_key: str | None


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    divisions: tuple[Division, ...]
    full: bool


def short_name(name: str) -> str | None:
    """The name without its division suffix (``张店区`` → ``张店``), if two characters are left."""
    for suffix in load_words()["division_suffix"]:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


class Gazetteer:
    """The division list, indexed by full and short names.

    A short name that is part of a common agency word (``公安`` of 公安县 in ``公安局``) is
    not indexed: ``words`` are the agency-type patterns of ``seeds/agency_types.csv``.
    """

    def __init__(self, divisions: list[Division], words: tuple[str, ...] = ()) -> None:
        self.by_code = {}
        for division in divisions:
            if division.code not in self.by_code or division.is_current:
                self.by_code[division.code] = division
        self.names: dict[str, list[Division]] = {}
        self.full_names: set[str] = {d.name for d in divisions}
        for division in divisions:
            short = short_name(division.name)
            if short and any(short in word for word in words):
                short = None
            for name in {division.name, short}:
                if name and len(name) >= 2:
                    self.names.setdefault(name, []).append(division)
        self._longest = max(len(n) for n in self.names)

    def matches(self, text: str) -> list[_Match]:
        """Division names in ``text``, longest first, never overlapping."""
        found: list[_Match] = []
        taken = [False] * len(text)
        for length in range(min(self._longest, len(text)), 1, -1):
            for start in range(len(text) - length + 1):
                if any(taken[start : start + length]):
                    continue
                piece = text[start : start + length]
                candidates = self.names.get(piece)
                if candidates:
                    found.append(_Match(start, start + length, tuple(candidates), piece in self.full_names))
                    for i in range(start, start + length):
                        taken[i] = True
        return sorted(found, key=lambda m: m.start)

    def resolve(self, matches: list[_Match]) -> Division | None:
        """The deepest division whose chain holds every name found (or what the best candidates share)."""
        candidates = {d.code: d for m in matches for d in m.divisions}
        if not candidates:
            return None

        def support(division: Division) -> int:
            """Names found on the division's chain; a full name weighs more than a short one."""
            return sum(2 if m.full else 1 for m in matches if any(d.contains(division) for d in m.divisions))

        best = max(support(d) for d in candidates.values())
        top = [d for d in candidates.values() if support(d) == best]
        deepest = max(_LEVELS[d.level] for d in top)
        top = [d for d in top if _LEVELS[d.level] == deepest]
        codes = {d.code for d in top}
        if len(codes) == 1:
            chosen = top[0]
            province = self.by_code.get(chosen.code[:2] + "0000")
            if chosen.level == "prefecture" and province and province.name == chosen.name and \
                    not any(m.divisions[0].level == "county" for m in matches):
                return province  # a municipality named alone (上海市): province level
            return chosen
        for width in (4, 2):
            prefixes = {code[:width] for code in codes}
            if len(prefixes) == 1:
                return self.by_code.get(prefixes.pop().ljust(6, "0"))
        return None

    def chain(self, code: str | None) -> tuple[str | None, str | None, str | None]:
        """(province, prefecture, county) names of a division code; NULL above its level."""
        division = self.by_code.get(code or "")
        if division is None:
            return None, None, None
        province = self.by_code.get(code[:2] + "0000")
        prefecture = self.by_code.get(code[:4] + "00") if division.level != "province" else None
        county = division if division.level == "county" else None
        return (province.name if province else None,
                prefecture.name if prefecture and prefecture.level == "prefecture" else None,
                county.name if county else None)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=2)
def load_gazetteer(seeds_dir: Path = SEEDS_DIR) -> Gazetteer:
    words = tuple(word for row in _read(seeds_dir / "agency_types.csv") for word in row["pattern"].split("|")
                  if len(word) >= 2 and word.isalnum())
    divisions = [Division(r["division_code"], r["name"], r["level"], r["is_current"] == "true")
                 for r in _read(seeds_dir / "admin_divisions.csv")]
    return Gazetteer(divisions, words + load_words(seeds_dir)["not_a_place"])


def _zone(name: str) -> tuple[str, int, int] | None:
    """A development zone named in ``name``: (its name with place prefix, start, end)."""
    for match in alternation(load_words()["zone_word"]).finditer(name):
        start = match.start()
        while start > 0 and name[start - 1] not in _ZONE_BOUNDARY:
            start -= 1
        return name[start : match.end()], start, match.end()
    return None


def agency_core(name: str, spans: list[tuple[int, int]]) -> str:
    """The agency name without its division and zone names, normalised."""
    keep = [ch for i, ch in enumerate(name) if not any(s <= i < e for s, e in spans)]
    core = "".join(keep)
    for pattern, replacement in _CORE_RULES:
        core = pattern.sub(replacement, core)
    return core


def detect_region(agency_name: str | None, title: str | None, lines: list[str],
                  gazetteer: Gazetteer | None = None, division_override: str | None = None) -> Region:
    """Division, zone and agency key of a report."""
    gazetteer = gazetteer or load_gazetteer()
    name = unicodedata.normalize("NFKC", agency_name or "")
    title = unicodedata.normalize("NFKC", title) if title else title
    lines = [unicodedata.normalize("NFKC", line) for line in lines]
    zone = _zone(name)
    if zone and zone[0] in gazetteer.names:
        zone = None
    name_matches = gazetteer.matches(name)
    division = gazetteer.by_code.get(division_override) if division_override else None
    basis = "manifest" if division else "agency_name"
    if division is None:
        division = gazetteer.resolve(name_matches)
    if division is None and title:
        division, basis = gazetteer.resolve(gazetteer.matches(title)), "title"
    if division is None:
        for line in lines:
            if _TEXT_HINT.search(line):
                division = gazetteer.resolve(gazetteer.matches(line))
                if division is not None:
                    basis = "report_text"
                    break
    if division is None:
        basis = "not_found"
    spans = [(m.start, m.end) for m in name_matches]
    if zone:
        spans.append((zone[1], zone[2]))
    core = agency_core(name, spans) if name else None
    key = None
    if name:
        key = f"{division.code}:{zone[0] if zone else ''}:{core}" if division else \
            "unknown::" + agency_core(name, [])
    return Region(division.code if division else None, zone[0] if zone else None, basis, key)
