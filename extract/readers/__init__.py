"""Readers: bytes of one file → :class:`~extract.readers.document.Document`.

One module per format. Each reader raises :class:`ReaderError` with a clear
message when it cannot read a file; the caller records it as a load error.

The names are loaded lazily from :mod:`extract.readers.registry`, so that the layout stage can
import :mod:`extract.readers.document` without importing every reader (which import the layout).
"""

from __future__ import annotations

__all__ = ["READERS", "ReaderError", "read_document", "source_format"]


def __getattr__(name: str):
    if name in __all__:
        from extract.readers import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'extract.readers' has no attribute {name!r}")
