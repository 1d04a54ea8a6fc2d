"""The reports folder → one :class:`FileJob` per file, each with its hash, in path order.

Hidden files and folders (a leading ``.``), ``manifest.csv`` and ``corrections.csv`` are not reports. A file
that cannot be taken is still a job, with a ``problem`` the refresh records as that
file's error (it is never read, and an earlier good load of it is kept):

- ``link_outside_folder``: a symbolic link that resolves outside the reports folder (so
  no file the service can read elsewhere reaches the warehouse);
- ``broken_link``: a link to nothing;
- ``unreadable_file``: permission denied or an I/O error while hashing;
- ``not_a_regular_file``: a FIFO, socket or device (opening a FIFO would wait forever);
- ``broken_link``: also a link loop;
- ``bad_manifest_row``: its manifest row is invalid (:mod:`extract.run.manifest`).

Links to folders are not followed (a link inside the folder would list files twice, or
loop); a link to a file inside the folder is read like the file. A file name in bytes that are
not UTF-8 (an archive unpacked with GBK names) is stored decoded as GB18030.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import NamedTuple

from extract.load.corrections import CORRECTIONS_NAME
from extract.parse.model import FileError
from extract.run.hashcache import HashCache
from extract.run.manifest import MANIFEST_NAME, Manifest
from extract.run.pool import FileJob


class ReportsFolderMissing(Exception):
    """The reports folder does not exist or is not a folder."""


def require_folder(folder: Path, what: str = "reports") -> None:
    """Raise :class:`ReportsFolderMissing` unless ``folder`` is a folder."""
    if not folder.is_dir():
        state = "is not a folder" if folder.exists() else "does not exist"
        raise ReportsFolderMissing(f"the {what} folder {folder} {state} (a typo, or a share not mounted?)")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


class _Found(NamedTuple):
    """A candidate file (or link to a folder) the walk found."""

    path: Path
    rel: str  # relative posix path, as listed
    link: bool  # a symbolic link


def _walk(reports_dir: Path) -> tuple[list[_Found], dict[str, str]]:
    """Every candidate file and link to a folder, in path order; and the folders that could not be
    listed (relative path → why). One ``scandir`` a folder: no stat of a plain file here."""
    found: list[_Found] = []
    unlisted: dict[str, str] = {}
    root = str(reports_dir)
    folders = [""]
    while folders:
        folder = folders.pop()
        base = reports_dir / folder if folder else reports_dir
        try:
            with os.scandir(os.path.join(root, folder) if folder else root) as listing:
                entries = list(listing)
        except OSError as error:
            unlisted[folder] = error.strerror or str(error)
            continue
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            try:
                is_dir = entry.is_dir()  # a link to a folder counts as a folder (not followed below)
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name.startswith("."):
                    continue
                if entry.is_symlink():
                    found.append(_Found(base / entry.name, rel, True))
                else:
                    folders.append(rel)
            elif not entry.name.startswith(".") and rel not in (MANIFEST_NAME, CORRECTIONS_NAME):
                found.append(_Found(base / entry.name, rel, entry.is_symlink()))
    return sorted(found, key=lambda item: item.rel), unlisted


def _problem(path: Path, root: Path) -> FileError | None:
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as error:  # RuntimeError: a link loop (Python 3.11)
        return FileError("broken_link", f"a symbolic link that leads nowhere ({error})")
    if not _inside(target, root):
        return FileError("link_outside_folder", f"a symbolic link to {target}, outside the reports folder: "
                         "not read (copy the file into the folder to include it)")
    return None


def _display(rel: str, taken: set[str]) -> str:
    """A path that can be stored: a name in bytes that are not UTF-8 (an archive unpacked with
    GBK names) is read as GB18030, else its bytes are shown as ``\\xNN``."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        data = rel.encode("utf-8", "surrogateescape")
    try:
        name = data.decode("gb18030")
    except UnicodeDecodeError:
        name = ""
    return name if name and name not in taken else data.decode("utf-8", "backslashreplace")


def scan_folder(reports_dir: Path, manifest: Manifest | None = None,
                known_sha: dict[str, str] | None = None, cache: HashCache | None = None) -> list[FileJob]:
    """Every report file under the folder; raises :class:`ReportsFolderMissing` when there is no folder.

    With ``cache`` (:mod:`extract.run.hashcache`), a file whose stat is the one it had when last
    hashed is not read again; the caller saves the cache.

    ``known_sha`` (path → sha256 seen before) gives a file that cannot be hashed now the
    hash it had, so its earlier load stays tied to it; a known file under a folder that
    cannot be listed is kept as ``unreadable_file`` (never withdrawn because a folder's
    permissions changed).
    """
    require_folder(reports_dir)
    root = reports_dir.resolve()
    manifest = manifest or Manifest()
    known_sha = known_sha or {}
    found, unlisted = _walk(reports_dir)
    jobs = []
    taken = {item.rel for item in found}
    for path, raw_rel, link in found:
        problem = _problem(path, root) if link else None
        rel = _display(raw_rel, taken)
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        if problem is None and link and stat is not None and S_ISDIR(stat.st_mode):
            continue  # a link to a folder inside the reports folder: its files are listed there
        sha256, size = known_sha.get(rel, ""), 0
        if problem is None and (stat is None or not (S_ISREG(stat.st_mode) or S_ISDIR(stat.st_mode))):
            problem = FileError("not_a_regular_file", "a FIFO, socket or device, not a file: not read")
        if problem is None:
            try:
                sha256, size = (cache.hash_file(path, rel, _sha256, stat) if cache is not None
                                else (_sha256(path), stat.st_size))
            except OSError as error:
                problem = FileError("unreadable_file", f"the file cannot be read: {error.strerror or error}")
        if problem is None and rel in manifest.problems:
            problem = FileError("bad_manifest_row", manifest.problems[rel])
        jobs.append(FileJob(path, rel, sha256, size, manifest.overrides.get(rel), problem))
    listed = {job.rel for job in jobs}
    for folder, why in unlisted.items():
        prefix = f"{folder}/" if folder else ""
        for rel, sha256 in known_sha.items():
            if rel.startswith(prefix) and rel not in listed:
                jobs.append(FileJob(reports_dir / rel, rel, sha256, 0, manifest.overrides.get(rel),
                                    ("unreadable_file", f"its folder {folder or reports_dir} cannot be listed: {why}")))
    return sorted(jobs, key=lambda job: job.rel)
