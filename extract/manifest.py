"""``manifest.csv`` in the reports folder: what a user knows better than detection.

Columns (header required, any may be empty): ``file`` (path relative to the folder),
``agency``, ``year``, ``url``, ``division_code`` (6-digit national code), ``scope``
(``agency`` or ``region_aggregate``). A non-empty value replaces what the parser detected
for that file; a changed manifest row re-parses its file at the next refresh.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from extract.model import ReportMetadata
from extract.readers.decoding import decode_text

MANIFEST_NAME = "manifest.csv"
FIELDS = ("agency", "year", "url", "division_code", "scope")


class ManifestError(Exception):
    """The manifest cannot be used; the message says which line and why."""


def read_manifest(reports_dir: Path) -> dict[str, dict[str, str]]:
    """file → non-empty override values; {} when there is no manifest."""
    path = reports_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    rows = csv.DictReader(io.StringIO(decode_text(path.read_bytes())))
    if rows.fieldnames is None or "file" not in rows.fieldnames:
        raise ManifestError(f"{path}: the header must name a 'file' column")
    manifest: dict[str, dict[str, str]] = {}
    for line, row in enumerate(rows, 2):
        file = (row.get("file") or "").strip()
        if not file:
            continue
        values = {k: (row.get(k) or "").strip() for k in FIELDS if (row.get(k) or "").strip()}
        if "year" in values and not values["year"].isdigit():
            raise ManifestError(f"{path}:{line}: year {values['year']!r} is not a number")
        if "scope" in values and values["scope"] not in ("agency", "region_aggregate"):
            raise ManifestError(f"{path}:{line}: scope must be agency or region_aggregate")
        if "division_code" in values and not (values["division_code"].isdigit() and len(values["division_code"]) == 6):
            raise ManifestError(f"{path}:{line}: division_code must be the 6-digit national code")
        manifest[file] = values
    return manifest


def overrides_hash(values: dict[str, str] | None) -> str | None:
    """A stable hash of one file's overrides (NULL when it has none)."""
    if not values:
        return None
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def apply_overrides(meta: ReportMetadata, values: dict[str, str]) -> None:
    if "agency" in values:
        meta.agency_name = values["agency"]
    if "year" in values:
        meta.report_year = int(values["year"])
    if "scope" in values:
        meta.report_scope = values["scope"]
    if "url" in values:
        meta.source_url = values["url"]
