"""Write the fetched files' rows into the reports folder's ``manifest.csv`` (:mod:`extract.run.manifest`).

Each fetched file gets ``file`` and ``url`` (so ``dim_reports.source_url`` shows where its numbers
came from), and the source's ``agency`` / ``year`` when SOURCES.csv gives them. The user's rows
and columns are kept: a file's existing row is updated in place (its other values stay), new
files are appended, and the header gains only the columns it lacks. The file is rewritten
(atomically, UTF-8, a BOM kept if it had one) only when a row changed. A manifest the refresh
cannot use (``bad_manifest``) is left untouched and the fetch says so.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from extract.readers.decoding import decode_text
from extract.readers.errors import ReaderError
from extract.run.manifest import FIELDS, MANIFEST_NAME, parse_manifest

BASE_HEADER = ["file", "agency", "year", "url"]


@dataclass(frozen=True)
class ManifestRow:
    file: str
    url: str
    agency: str = ""
    year: str = ""


def merge_rows(text: str, rows: list[ManifestRow]) -> tuple[list[str], list[dict[str, str]], bool]:
    """The manifest's header and rows with ``rows`` merged in, and whether anything changed."""
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    existing = [{k: (v or "") for k, v in row.items() if k} for row in reader]
    before = (list(header), [dict(row) for row in existing])
    header = header or list(BASE_HEADER)
    for name in BASE_HEADER + [f for f in FIELDS if f not in BASE_HEADER and f in header]:
        if name not in header:
            header.append(name)
    by_file = {row.get("file", "").strip(): row for row in existing if row.get("file", "").strip()}
    for row in rows:
        target = by_file.get(row.file)
        if target is None:
            target = {"file": row.file}
            existing.append(target)
            by_file[row.file] = target
        target["url"] = row.url
        if row.agency:
            target["agency"] = row.agency
        if row.year:
            target["year"] = row.year
    return header, existing, (header, existing) != before


def write_manifest(reports_dir: Path, rows: list[ManifestRow]) -> str | None:
    """Merge ``rows`` into the folder's manifest; returns why it was left untouched, if it was."""
    path = reports_dir / MANIFEST_NAME
    data = path.read_bytes() if path.is_file() else b""
    if data.strip():
        problem = parse_manifest(data).error
        if problem is not None:
            return f"{problem}; the fetched files' rows were not written (fix it and fetch again)"
        try:
            text = decode_text(data)
        except ReaderError as error:
            return f"{MANIFEST_NAME} cannot be read: {error.message}"
    else:
        text = ""
    header, merged, changed = merge_rows(text.lstrip("\ufeff"), rows)
    if not changed:
        return None
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(merged)
    new = ("\ufeff" if data.startswith(b"\xef\xbb\xbf") else "") + out.getvalue()
    fd, partial = tempfile.mkstemp(prefix=".manifest.", dir=reports_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(new)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
    return None
