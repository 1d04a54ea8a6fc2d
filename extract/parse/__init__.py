"""Parse: a Document → cells under the template's keys, parse issues and report metadata."""

from extract.parse.report import extract_report

__all__ = ["extract_report"]
