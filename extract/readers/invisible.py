"""Characters a page does not show: soft hyphens (U+00AD, which web editors put inside long words), zero-width
spaces and joiners (U+200B–U+200D), word joiners (U+2060), byte-order marks left inside text (U+FEFF) and
direction marks. A cell holding only such characters is an empty cell, and ``万\u00ad元`` is ``万元``: every reader's
Document goes through :func:`visible` before the parser reads it."""

from __future__ import annotations

import re
from dataclasses import replace

from extract.readers.document import Document

INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def _shown(text: str) -> str:
    return INVISIBLE.sub("", text)


def visible(doc: Document) -> Document:
    """``doc`` without invisible characters in its lines, cells and titles (itself when it has none)."""
    texts = (doc.title_hint or "", *doc.title_candidates,
             *(text for line in doc.lines for text in (line.text, *(line.cells or ()))))
    if not any(INVISIBLE.search(text) for text in texts):
        return doc
    lines = [replace(line, text=_shown(line.text), cells=tuple(map(_shown, line.cells)) if line.cells else line.cells)
             for line in doc.lines]
    return replace(doc, lines=lines, title_hint=_shown(doc.title_hint) if doc.title_hint else doc.title_hint,
                   title_candidates=tuple(map(_shown, doc.title_candidates)))
