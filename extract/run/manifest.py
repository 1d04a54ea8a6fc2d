"""``manifest.csv`` in the reports folder: what a user knows better than detection.

Columns (header required, any may be empty): ``file`` (path relative to the folder),
``agency``, ``year``, ``url``, ``division_code`` (6-digit national code), ``scope``
(``agency`` or ``region_aggregate``). A non-empty value replaces what the parser detected
for that file; a changed manifest row re-parses its file at the next refresh.

A bad row never stops a refresh: it is that file's error (``bad_manifest_row``: the file is
not re-read and an earlier good load of it is kept) and every other row still applies.
A manifest that cannot be used at all (no ``file`` column, not text, over 50 MB) is
recorded as ``bad_manifest``; files are then read without overrides, and files loaded
with overrides before keep that load (see :attr:`Manifest.usable`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from extract.readers.operator_csv import OperatorCsvError, operator_rows

MANIFEST_NAME = "manifest.csv"
FIELDS = ("agency", "year", "url", "division_code", "scope")
MAX_MANIFEST_BYTES = 50 * 1024 * 1024
MAX_FIELD_CHARS = {"file": 1024, "agency": 200, "url": 2048}
YEARS = range(2000, 2101)


@dataclass
class Manifest:
    """Overrides by file, the files whose row is invalid, and whether the manifest could be used at all."""

    overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def usable(self) -> bool:
        return self.error is None


def _row_problem(values: dict[str, str]) -> str | None:
    for name, value in values.items():
        if len(value) > MAX_FIELD_CHARS.get(name, 64):
            return f"{name} is {len(value)} characters long (at most {MAX_FIELD_CHARS.get(name, 64)})"
    year = values.get("year")
    if year is not None and not (year.isascii() and year.isdigit() and int(year) in YEARS):
        return f"year {year[:20]!r} is not a year from {YEARS.start} to {YEARS.stop - 1}"
    if "scope" in values and values["scope"] not in ("agency", "region_aggregate"):
        return f"scope {values['scope'][:40]!r} must be agency or region_aggregate"
    code = values.get("division_code")
    if code is not None and not (code.isascii() and code.isdigit() and len(code) == 6):
        return f"division_code {code[:20]!r} must be the 6-digit national code"
    return None


def parse_manifest(data: bytes) -> Manifest:
    """The manifest's bytes → overrides and per-file problems (never raises)."""
    manifest = Manifest()
    if not data.strip():
        return manifest
    seen: dict[str, dict[str, str]] = {}
    try:
        for row in operator_rows(data, MANIFEST_NAME, MAX_MANIFEST_BYTES, ("file",), "a 'file' column"):
            file = row.values["file"]
            if not file:
                continue
            values = {k: v for k in FIELDS if (v := row.values.get(k, ""))}
            problem = _row_problem({"file": file, **values})
            if problem is None and file in seen and seen[file] != values:
                problem = f"{file} has two rows that disagree"
            if problem is not None:
                manifest.problems[file] = f"{MANIFEST_NAME} line {row.line}: {problem}"
                manifest.overrides.pop(file, None)
                continue
            seen[file] = values
            if file not in manifest.problems:
                manifest.overrides[file] = values
    except OperatorCsvError as error:
        return Manifest(error=f"{error.message}: not used")
    return manifest


def read_manifest(reports_dir: Path) -> Manifest:
    """The folder's manifest; an empty one when there is none or it cannot be opened."""
    path = reports_dir / MANIFEST_NAME
    if not path.is_file():
        return Manifest()
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as error:
        return Manifest(error=f"{MANIFEST_NAME} cannot be read: {error.strerror or error}: not used")
    return parse_manifest(data)


def overrides_hash(values: dict[str, str] | None) -> str | None:
    """A stable hash of one file's overrides (NULL when it has none)."""
    if not values:
        return None
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
