"""Quoting for the few values that cannot be bound as ``?`` parameters in DuckDB SQL.

Bind a value as a parameter wherever DuckDB accepts one. Where it does not (the file
target of ``COPY … TO`` in the DuckDB versions this project supports, table and
column names), quote it with these helpers, never paste it into an f-string raw.
"""

from __future__ import annotations


def quote_literal(value: str) -> str:
    """``value`` as a SQL string literal: single-quoted, each ``'`` doubled; NUL is refused."""
    if "\0" in value:
        raise ValueError("a SQL string literal cannot hold a NUL character")
    return "'" + value.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    """``name`` as a SQL identifier: double-quoted, each ``"`` doubled; NUL is refused."""
    if "\0" in name:
        raise ValueError("a SQL identifier cannot hold a NUL character")
    return '"' + name.replace('"', '""') + '"'
