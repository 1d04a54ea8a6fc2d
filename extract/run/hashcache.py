"""The hashes a folder scan already took: a file whose stat is as it was is not read again.

A refresh scans the whole reports folder each run; reading every byte of a national folder to
learn that nothing changed costs minutes. :class:`HashCache` keeps, beside the warehouse
(``<warehouse folder>/logs/scan_cache.parquet``, never published), each file's sha256 with the
stat it had when it was hashed (:class:`Stamp`: size, mtime, ctime, inode, device). A scan
takes a cached hash only when the file's stat now is that stamp exactly; on any doubt it hashes
the file again:

- any field differs (a write changes mtime and ctime; ``touch -d`` or a copy that keeps mtime
  still changes ctime, or the inode; a folder moved to another disk changes the device);
- the file was changed less than :data:`RACY_NS` before it was hashed (a write in the same
  clock tick as the stat could leave the stat unchanged: such a hash is not kept);
- the stat before and after hashing differ (the file was being written);
- the cache was written for another reports folder, or cannot be read (then it is empty).

The cache only saves reading: a file it misses is hashed as before. It is written (by rename,
under the refresh lock) only when an entry was added or dropped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import polars as pl

RACY_NS = 2_000_000_000  # a hash is kept once the file is this much older than the hashing (FAT's 2 s clock)
_SCHEMA = {"root": pl.String, "rel": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "ctime_ns": pl.Int64,
           "ino": pl.UInt64, "dev": pl.UInt64, "sha256": pl.String}  # a Stamp's fields between rel and sha256


class Stamp(NamedTuple):
    """What a file's stat says of its bytes."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    dev: int

    @classmethod
    def of(cls, stat: os.stat_result) -> Stamp:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


class HashCache:
    """path → (stamp, sha256) of the files one reports folder held when last scanned."""

    def __init__(self, path: Path | None, root: str, entries: dict[str, tuple[Stamp, str]] | None = None) -> None:
        self.path = path
        self.root = root
        self.entries = entries or {}
        self.seen: dict[str, tuple[Stamp, str]] = {}
        self.hashed = 0  # files read in full by this scan
        self.reused = 0  # files whose hash came from the cache

    @classmethod
    def load(cls, path: Path, reports_dir: Path) -> HashCache:
        """The cache at ``path`` for ``reports_dir`` (empty when missing, unreadable or another folder's)."""
        root = str(reports_dir.resolve())
        try:
            frame = pl.read_parquet(path, columns=list(_SCHEMA)).filter(pl.col("root") == root)
            columns = {name: frame[name].to_list() for name in _SCHEMA}
        except (OSError, pl.exceptions.PolarsError):
            return cls(path, root)
        stamps = zip(*(columns[name] for name in Stamp._fields), strict=True)
        return cls(path, root, dict(zip(columns["rel"], zip(stamps, columns["sha256"], strict=True), strict=True)))

    def hash_file(self, path: Path, rel: str, sha256: Callable[[Path], str],
                  stat: os.stat_result | None = None) -> tuple[str, int]:
        """``path``'s sha256 and size: from the cache when its stat (``stat``, taken now) is the cached
        stamp, else read with ``sha256`` (and kept, unless the file changed too recently or while it was read)."""
        stamp = Stamp.of(stat or os.stat(path))
        cached = self.entries.get(rel)
        if cached is not None and cached[0] == stamp:
            self.seen[rel] = cached
            self.reused += 1
            return cached[1], stamp.size
        self.seen.pop(rel, None)
        started = time.time_ns()
        digest = sha256(path)
        self.hashed += 1
        if max(stamp.mtime_ns, stamp.ctime_ns) < started - RACY_NS and Stamp.of(os.stat(path)) == stamp:
            self.seen[rel] = (stamp, digest)
        return digest, stamp.size

    @property
    def changed(self) -> bool:
        return self.seen != self.entries

    def save(self) -> None:
        """Keep the files this scan saw (by rename), when that differs from what the cache held."""
        if self.path is None or not self.changed:
            return
        rows = [(self.root, rel, *stamp, sha) for rel, (stamp, sha) in sorted(self.seen.items())]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.partial")
        pl.DataFrame(rows, schema=_SCHEMA, orient="row").write_parquet(partial)
        partial.replace(self.path)
        self.entries = dict(self.seen)
