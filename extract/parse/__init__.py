"""Parse: a Document → cells under the template's keys, parse issues and report metadata.

``extract_report`` is imported on first use, so that the layout stage can use
:mod:`extract.parse.values` without importing the whole parser.
"""

from __future__ import annotations

from typing import Any

__all__ = ["extract_report"]


def __getattr__(name: str) -> Any:
    if name == "extract_report":
        from extract.parse.report import extract_report

        return extract_report
    raise AttributeError(name)
