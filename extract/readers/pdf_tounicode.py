"""A font's ToUnicode CMap read as pdfminer reads it, without pdfminer's tokenizer.

pdfminer parses a ToUnicode stream with its PostScript tokenizer in Python, a tenth of a real
report's reading time once pdfium reads the pages. :func:`to_unicode` reads the usual stream
(``bfchar`` and ``bfrange`` blocks of hex strings, arrays of them in a range) into the same
code → text map pdfminer's ``FileUnicodeMap`` gets; anything else (a literal string or glyph
name, ``usecmap``, a comment, an odd hex string, a nested array) returns ``None``, and pdfminer
reads the stream itself.
"""

from __future__ import annotations

import re
import struct

_TOKEN = re.compile(rb"\s*(?:<([0-9A-Fa-f\s]*)>|(<<|>>|\([^()\\]*\))|(\[)|(\])|(/[^\s/\[\]<>(){}%]*)|"
                    rb"([-+.0-9]+)|([A-Za-z][A-Za-z0-9_.]*)|(\S))")
_IGNORED = {b"findresource", b"begin", b"end", b"dict", b"dup", b"pop", b"def", b"defineresource",
            b"currentdict", b"begincodespacerange", b"endcodespacerange", b"CMapName", b"CMap"}
_UNSURE = {b"usecmap", b"begincidchar", b"endcidchar", b"begincidrange", b"endcidrange", b"beginnotdefrange",
           b"endnotdefrange"}


def _hex(digits: bytes) -> bytes | None:
    digits = re.sub(rb"\s", b"", digits)
    return bytes.fromhex(digits.decode("ascii")) if len(digits) % 2 == 0 else None


def _tokens(data: bytes) -> list[bytes | list[bytes] | str] | None:
    """The cmap's tokens between ``begincmap`` and ``endcmap``: hex strings (bytes), arrays of
    them, and keywords (str); ``None`` where the stream has what this reader does not read."""
    out: list[bytes | list[bytes] | str] = []
    array: list[bytes] | None = None
    inside = False
    position = 0
    while position < len(data):
        match = _TOKEN.match(data, position)
        if match is None:
            break  # only whitespace is left
        position = match.end()
        hexes, literal, opening, closing, _, _, keyword, other = match.groups()
        if other is not None or (literal is not None and array is not None):
            return None
        if keyword is not None:
            if keyword in _UNSURE or (array is not None):
                return None
            if keyword == b"begincmap":
                inside = True
            elif keyword == b"endcmap":
                inside = False
            elif inside and keyword not in _IGNORED:
                out.append(keyword.decode("ascii"))
            continue
        if not inside:
            continue
        if opening is not None:
            if array is not None:
                return None
            array = []
        elif closing is not None:
            if array is None:
                return None
            out.append(array)
            array = None
        elif hexes is not None:
            value = _hex(hexes)
            if value is None:
                return None
            (array if array is not None else out).append(value)
    return None if array is not None or inside else out


def _text(code: bytes) -> str:
    return code.decode("UTF-16BE", "ignore")


def _add(table: dict[int, str], cid: int, text: str) -> None:
    if not (text == "\u00a0" and table.get(cid) == " "):
        table[cid] = text


def to_unicode(data: bytes) -> dict[int, str] | None:
    """pdfminer's ``cid2unichr`` of a ToUnicode stream's decoded ``data``, or ``None`` (module docstring)."""
    tokens = _tokens(data)
    if tokens is None:
        return None
    table: dict[int, str] = {}
    block: list = []
    kind = None
    for token in tokens:
        if token in ("beginbfchar", "beginbfrange"):
            kind, block = token, []
        elif token == "endbfchar" and kind == "beginbfchar":
            if len(block) % 2 or not all(isinstance(t, bytes) for t in block):
                return None
            for source, code in zip(block[::2], block[1::2], strict=True):
                _add(table, int.from_bytes(source, "big"), _text(code))
            kind = None
        elif token == "endbfrange" and kind == "beginbfrange":
            if len(block) % 3:
                return None
            for start_code, end_code, code in zip(block[::3], block[1::3], block[2::3], strict=True):
                if not (isinstance(start_code, bytes) and isinstance(end_code, bytes)
                        and len(start_code) == len(end_code)):
                    return None
                start, end = int.from_bytes(start_code, "big"), int.from_bytes(end_code, "big")
                if isinstance(code, list):
                    for cid, value in zip(range(start, end + 1), code, strict=False):
                        _add(table, cid, _text(value))
                    continue
                var, prefix = code[-4:], code[:-4]
                base = int.from_bytes(var, "big")
                for i in range(end - start + 1):
                    _add(table, start + i, _text(prefix + struct.pack(">L", base + i)[-len(var):]))
            kind = None
        elif isinstance(token, str):
            return None  # a keyword this reader does not know
        elif kind is not None:
            block.append(token)
    return table if kind is None else None
