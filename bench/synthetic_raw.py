"""A synthetic ``raw`` layer of N reports, written straight into DuckDB (for timing the warehouse side).

Every report has every cell of its format's template (2019 format for 2019–2020, 2021 after),
agencies report for several years, and values are drawn from a seeded hash so runs repeat.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import duckdb

from extract import PARSER_VERSION
from extract.load.sql import quote_literal
from extract.load.warehouse import connect
from extract.paths import SEEDS_DIR

# report i of the first build: agency i // 6, year 2019 + i % 6 (each agency reports for six years)
FIRST_AGENCY, FIRST_YEAR = "i // 6", "2019 + i % 6"
# report i added later (i from the first build's size on): a 2025 report of agency i - first
NEXT_AGENCY, NEXT_YEAR = "i - {first}", "2025"


def build_raw(db_path: Path, reports: int, seed: int = 1) -> int:
    """Create ``raw`` with ``reports`` synthetic reports; returns the number of cells."""
    if db_path.exists():
        db_path.unlink()
    con = connect(db_path)
    try:
        # the same bound as the build's (profiles.yml)
        con.execute(f"set memory_limit = {quote_literal(os.environ.get('GONGKAI_DUCKDB_MEMORY', '3GB'))}")
        return add_reports(con, 0, reports, FIRST_AGENCY, FIRST_YEAR, seed)
    finally:
        con.close()


def add_reports(con: duckdb.DuckDBPyConnection, first: int, count: int, agency: str, year: str,
                seed: int = 1, run_id: str = "synthetic") -> int:
    """Insert reports ``first`` … ``first + count - 1`` with their cells and files; ``agency`` and ``year``
    are this module's SQL expressions of ``i`` (:data:`FIRST_AGENCY` …). Returns the cells in raw."""
    con.execute(f"""
        create or replace temp table template_cells as
        select r.table_no, r.row_key, c.col_key, r.label_zh, r.in_2019 and c.in_2019 as in_2019,
               r.in_2021 and c.in_2021 as in_2021, c.unit
        from read_csv({quote_literal(str(SEEDS_DIR / "template_rows.csv"))}, header = true, all_varchar = true) r
        join read_csv({quote_literal(str(SEEDS_DIR / "template_columns.csv"))}, header = true, all_varchar = true) c
          on r.table_no = c.table_no and r.block = c.block
        where r.is_template_row = 'true'
    """)
    con.execute(f"""
        create or replace temp table new_reports as
        select
            'r_' || lpad(i::varchar, 16, '0') as report_id,
            sha256(i::varchar || '{int(seed)}') as sha256,
            'synthetic/' || i || '.' || ['pdf', 'html', 'docx', 'txt'][1 + i % 4] as source_path,
            ['pdf', 'html', 'docx', 'txt'][1 + i % 4] as source_format,
            ['grid', 'grid', 'grid', 'text'][1 + i % 4] as read_method,
            {agency} as agency,
            {year} as report_year
        from range({int(first)}, {int(first) + int(count)}) t(i)
    """)
    con.execute("""
        insert into raw.reports (report_id, sha256, source_path, source_format, read_method, title, agency_name,
            report_year, template_version, version_basis, report_scope, region_name, published_date,
            parser_version, status, run_id, extracted_at, division_code, region_basis, agency_key)
        select report_id, sha256, source_path, source_format, read_method,
            '机关' || agency || report_year || '年政府信息公开工作年度报告', '机关' || agency, report_year,
            case when report_year <= 2020 then '2019' else '2021' end,
            'table_headers', 'agency', NULL, NULL, ?, 'active', ?, now(),
            '370303', 'agency_name', '370303::机关' || agency
        from new_reports
    """, [PARSER_VERSION, run_id])
    con.execute(f"""
        insert into raw.cells (report_id, table_no, row_key, col_key, raw_text, value, unit, cell_state, page,
            line_no, read_method, row_label, placement)
        select
            r.report_id, t.table_no::integer, t.row_key, t.col_key,
            (abs(hash(r.report_id, t.row_key, t.col_key, {int(seed)})) % 50)::varchar,
            (abs(hash(r.report_id, t.row_key, t.col_key, {int(seed)})) % 50)::decimal(20, 6),
            t.unit, 'number', 1 + t.table_no::integer, 1, r.read_method, t.label_zh, 'template_order'
        from new_reports r
        join template_cells t
          on (r.report_year <= 2020 and t.in_2019 = 'true')
          or (r.report_year > 2020 and t.in_2021 = 'true')
    """)
    con.execute("""
        insert into raw.source_files (source_path, sha256, source_format, size_bytes, status, report_id,
            parser_version, first_seen_run, last_changed_run, last_seen_run, updated_at)
        select source_path, sha256, source_format, 100000, 'loaded', report_id, ?, ?, ?, ?, now()
        from new_reports
    """, [PARSER_VERSION, *[run_id] * 3])  # read by this parser, as raw.reports says: no-change re-reads none
    cells = con.execute("select count(*) from raw.cells").fetchone()[0]
    con.execute("checkpoint")
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--reports", type=int, default=100_000)
    args = parser.parse_args()
    print(f"{build_raw(args.db, args.reports)} cells")


if __name__ == "__main__":
    duckdb.execute("select 1")
    main()
