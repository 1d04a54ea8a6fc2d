"""What the extractor returns: cells, parse issues and report metadata."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple


@dataclass(frozen=True)
class ExtractedCell:
    """One statistical cell as published, with its provenance."""

    table_no: int
    row_key: str
    col_key: str
    raw_text: str
    value: Decimal | None
    cell_state: str
    unit: str | None
    line_no: int | None
    page: int | None
    read_method: str  # how the source was read: grid | positional | text | ocr
    placement: str  # how the value got its column: header | template_order | column_positions | row_sequence | …
    row_label: str
    ocr_confidence: float | None = None  # the OCR engine's confidence (0–1) of an OCR-read cell


@dataclass(frozen=True)
class ParseIssue:
    """Something the parser could not read with confidence (never silently guessed)."""

    severity: str  # info | warning | error
    code: str
    message: str
    table_no: int | None = None
    row_key: str | None = None
    line_no: int | None = None
    page: int | None = None


@dataclass
class ReportMetadata:
    title: str | None = None
    agency_name: str | None = None
    report_year: int | None = None
    template_version: str | None = None
    version_basis: str | None = None
    report_scope: str = "agency"
    region_name: str | None = None
    published_date: str | None = None
    division_code: str | None = None
    area_name: str | None = None
    region_basis: str | None = None
    agency_key: str | None = None
    source_url: str | None = None


@dataclass
class ExtractedReport:
    """Everything one file yields; the loader stores it as one report."""

    source_format: str
    read_method: str
    metadata: ReportMetadata
    cells: list[ExtractedCell] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for cell in data["cells"]:
            cell["value"] = None if cell["value"] is None else str(cell["value"])
        return data


class FileError(NamedTuple):
    """Why a file yielded no report: an error class (``corrupt_pdf``, ``parse_timeout`` …) and a message."""

    error_class: str
    message: str
