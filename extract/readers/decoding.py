"""Bytes → text with the encodings Chinese government sites use."""

from __future__ import annotations

from extract.readers.errors import ReaderError

_ENCODINGS = ("utf-8-sig", "utf-16", "gb18030")
MAX_TEXT_BYTES = 20 * 1024 * 1024


def check_text_bytes(data: bytes, what: str = "text file") -> None:
    """Refuse bytes that are empty, too large, or binary (NUL bytes without a UTF-16 BOM)."""
    if not data.strip():
        raise ReaderError("empty_file", "the file is empty")
    if len(data) > MAX_TEXT_BYTES:
        raise ReaderError("too_large", f"{what} of {len(data)} bytes exceeds {MAX_TEXT_BYTES}")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReaderError("binary_file", f"the file holds binary data, not a {what}")


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK."""
    check_text_bytes(data)
    for encoding in _ENCODINGS:
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReaderError("undecodable_text", "the text is neither UTF-8, UTF-16 nor GB18030")
