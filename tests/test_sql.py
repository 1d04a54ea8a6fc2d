"""The SQL shell: the DuckDB CLI installed by setup and ``gongkai sql``, as subprocesses on a real warehouse."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import GONGKAI

from extract.cli.render import Result, display_width, table_lines, vertical_lines, write_json

DUCKDB_CLI = str(Path(sys.executable).with_name("duckdb"))
CELLS = "select count(*) from marts.fct_report_cells"


def _count(db: Path, sql: str = CELLS) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _sql(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([GONGKAI, "sql", "--db", str(db), *args], input=stdin, capture_output=True, text=True,
                          check=False, timeout=120)


def test_the_duckdb_cli_reads_the_warehouse_the_python_side_wrote(sample_warehouse):
    expected = _count(sample_warehouse.db)
    assert expected > 600
    result = subprocess.run([DUCKDB_CLI, "-readonly", str(sample_warehouse.db), "-csv", "-noheader", "-c", CELLS],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(expected)
    boxed = subprocess.run([DUCKDB_CLI, "-readonly", str(sample_warehouse.db), "-c", CELLS],
                           capture_output=True, text=True, check=False, timeout=120)
    assert boxed.returncode == 0 and [expected] == [int(line.strip("│ ")) for line in boxed.stdout.splitlines()
                                                    if line.strip("│ ").isdigit()]


def test_gongkai_sql_prints_the_count_and_the_summary_matches_the_marts(sample_warehouse):
    expected = _count(sample_warehouse.db)
    result = _sql(sample_warehouse.db, CELLS)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "count_star()"
    assert lines[2].strip() == str(expected) and lines[3] == "(1 row)"
    summary = sample_warehouse.refresh.stdout
    issues = {s: _count(sample_warehouse.db, f"select count(*) from marts.fct_parse_issues where severity = '{s}'")
              for s in ("error", "warning", "info")}
    assert (f"reports loaded: {_count(sample_warehouse.db, 'select count(*) from marts.dim_reports')}, "
            f"cells: {expected}, ") in summary
    assert (f"parse issues: {sum(issues.values())} ({issues['error']} error, {issues['warning']} warning, "
            f"{issues['info']} info)") in summary


def test_csv_and_json_parse_and_hold_every_row(sample_warehouse):
    query = ("select agency_name, report_year, cell_count, area_name from marts.dim_reports "
             "order by agency_name")
    con = duckdb.connect(str(sample_warehouse.db), read_only=True)
    try:
        expected = con.execute(query).fetchall()
    finally:
        con.close()
    as_csv = _sql(sample_warehouse.db, query, "--csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["agency_name", "report_year", "cell_count", "area_name"]
    assert rows[1:] == [[a, str(y), str(n), "" if z is None else z] for a, y, n, z in expected]
    as_json = _sql(sample_warehouse.db, query, "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == [
        {"agency_name": a, "report_year": y, "cell_count": n, "area_name": z} for a, y, n, z in expected]
    empty = _sql(sample_warehouse.db, "select 1 as a where false", "--json")
    assert json.loads(empty.stdout) == []


def test_a_wide_row_is_shown_whole(sample_warehouse):
    """``select *`` of the 35-column dim_reports: every column is printed, none hidden."""
    con = duckdb.connect(str(sample_warehouse.db), read_only=True)
    try:
        columns = [r[0] for r in con.execute("select column_name from duckdb_columns() where schema_name = 'marts' "
                                             "and table_name = 'dim_reports' order by column_index").fetchall()]
    finally:
        con.close()
    assert len(columns) > 30
    table = _sql(sample_warehouse.db, "select * from marts.dim_reports order by source_path")
    header = [name.strip() for name in table.stdout.splitlines()[0].split("|")]
    assert header == columns
    assert table.stdout.splitlines()[-1] == "(5 rows)"
    records = _sql(sample_warehouse.db, "select * from marts.dim_reports order by source_path", "--vertical",
                   "--max-rows", "2")
    named = [line.split(" | ")[0].strip() for line in records.stdout.splitlines() if " | " in line]
    assert named == columns * 2
    assert records.stdout.splitlines()[-1].startswith("(first 2 rows shown; there are more")


def test_a_write_statement_is_refused_and_changes_nothing(sample_warehouse):
    before = _count(sample_warehouse.db)
    for statement in ("delete from marts.fct_report_cells", "insert into raw.cells select * from raw.cells limit 1",
                      "drop table raw.cells"):
        result = _sql(sample_warehouse.db, statement)
        assert result.returncode == 77, (statement, result.stderr)
        assert "refused" in result.stderr and "read-only" in result.stderr
        assert result.stdout == ""
    assert _count(sample_warehouse.db) == before
    bad = _sql(sample_warehouse.db, "select count(*) from marts.no_such_mart")
    assert bad.returncode == 1 and "no_such_mart" in bad.stderr


def test_without_a_query_the_duckdb_shell_opens_the_warehouse_read_only(sample_warehouse):
    expected = _count(sample_warehouse.db)
    result = _sql(sample_warehouse.db, stdin=f".mode csv\n{CELLS};\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == str(expected)
    refused = _sql(sample_warehouse.db, stdin="delete from raw.cells;\n")
    assert "read-only" in refused.stdout + refused.stderr
    assert _count(sample_warehouse.db) == expected


def test_no_warehouse_is_a_usage_error(tmp_path):
    result = _sql(tmp_path / "gongkai.duckdb", CELLS)
    assert result.returncode == 2 and "gongkai refresh" in result.stderr


def test_layouts_measure_chinese_text_and_keep_decimals_exact():
    result = Result(["agency_name", "amount"], [("张店公安分局", Decimal("6727.4100")), ("x", None)])
    table = table_lines(result)
    # the wide characters count two columns: the separator is in one column on every line
    assert len({display_width(line[:line.index("|" if "|" in line else "+")]) for line in table}) == 1
    assert display_width(table[2]) == display_width(table[3])
    assert table[2].endswith("6727.4100") and table[3].endswith("NULL")
    assert vertical_lines(result)[1:3] == ["agency_name | 张店公安分局", "amount      | 6727.4100"]
    out = io.StringIO()
    write_json(["v"], [(Decimal("6727.4100"),), (Decimal("12345678901234.5678"),), (Decimal(23),)], out)
    assert json.loads(out.getvalue(), parse_float=Decimal) == [
        {"v": Decimal("6727.41")}, {"v": "12345678901234.5678"}, {"v": 23}]


@pytest.mark.parametrize("flag", ["--csv", "--json"])
def test_csv_and_json_cannot_be_combined(sample_warehouse, flag):
    result = _sql(sample_warehouse.db, CELLS, flag, "--vertical")
    assert result.returncode == 2


def test_on_a_terminal_a_table_wider_than_it_is_printed_as_records(sample_warehouse):
    import os
    import pty

    def on_terminal(query: str) -> str:
        master, slave = pty.openpty()
        process = subprocess.Popen([GONGKAI, "sql", "--db", str(sample_warehouse.db), query], stdin=slave,
                                   stdout=slave, stderr=slave, env={**os.environ, "COLUMNS": "100"}, close_fds=True)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        assert process.wait(timeout=120) == 0
        return b"".join(chunks).decode().replace("\r\n", "\n")

    wide = on_terminal("select * from marts.dim_reports order by source_path limit 1")
    assert wide.startswith("-[ RECORD 1 ]") and "\nquality_status           | incomplete\n" in wide
    narrow = on_terminal("select report_year, count(*) as n from marts.dim_reports group by 1 order by 1")
    assert narrow.splitlines()[:2] == [" report_year | n", "-------------+---"]
