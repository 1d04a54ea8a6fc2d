"""CJK radicals a font's character map gives for an ideograph it draws with the same glyph.

PDFs printed by browsers and some office suites with Noto / Source Han fonts carry ``⺠`` (U+2EA0
CJK RADICAL CIVILIAN) for 民, ``⼀`` (U+2F00 KANGXI RADICAL ONE) for 一, ``⻓`` for 长 …: the page shows
the ideograph, the text layer the radical. NFKC maps the Kangxi radicals (U+2F00–U+2FD5) back, but
not the CJK Radicals Supplement (U+2E80–U+2EFF); :data:`SUPPLEMENT` holds those of the supplement
that stand for a whole character (Unicode's EquivalentUnifiedIdeograph.txt), components such as
氵 or 扌 left out: they are not words a report prints. :func:`unify` maps both blocks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from extract.readers.document import Document

SUPPLEMENT = {
    "\u2e81": "厂", "\u2e87": "几", "\u2e8c": "小", "\u2e8e": "兀", "\u2e92": "巳", "\u2e93": "幺", "\u2e9d": "月",
    "\u2e9f": "母", "\u2ea0": "民", "\u2ea9": "王", "\u2eaa": "疋", "\u2eae": "竹", "\u2ebb": "聿", "\u2ebd": "臼",
    "\u2ec1": "虎", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec9": "贝", "\u2ecb": "车", "\u2ed1": "長",
    "\u2ed3": "长", "\u2ed4": "门", "\u2ed7": "雨", "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风",
    "\u2edc": "飞", "\u2edd": "食", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟",
    "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾", "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯",
    "\u2eee": "齿", "\u2eef": "竜", "\u2ef0": "龙", "\u2ef1": "龜", "\u2ef2": "亀", "\u2ef3": "龟",
}
_TABLE = str.maketrans({**SUPPLEMENT, **{chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}})


def unify(text: str) -> str:
    """``text`` with CJK radicals that stand for an ideograph replaced by it (nothing else changes)."""
    return text.translate(_TABLE)


def _has_radicals(text: str | None) -> bool:
    return bool(text) and any("\u2e80" <= ch <= "\u2fdf" for ch in text)


def unified(doc: Document) -> Document:
    """``doc`` with its lines, cells and titles :func:`unify`-ed (itself when none has a radical)."""
    if not any(_has_radicals(line.text) or any(map(_has_radicals, line.cells or ())) for line in doc.lines) \
            and not any(map(_has_radicals, (doc.title_hint, *doc.title_candidates))):
        return doc
    lines = [replace(line, text=unify(line.text), cells=tuple(map(unify, line.cells)) if line.cells else line.cells)
             for line in doc.lines]
    return replace(doc, lines=lines, title_hint=unify(doc.title_hint) if doc.title_hint else doc.title_hint,
                   title_candidates=tuple(map(unify, doc.title_candidates)))
