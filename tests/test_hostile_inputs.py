"""Hostile files and names never freeze, exhaust or poison anything (issue 13).

Small files that ask for huge table grids are refused as ``too_large`` before any grid
is built; CSV exports cannot carry spreadsheet formulas; folder names with quotes in
them reach DuckDB as values, never as SQL.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import shutil
import zipfile

import duckdb
import pytest
from conftest import REPORTS, SEEDS
from render import make_report, to_docx, to_html

from extract.layout.grid import MAX_DOCUMENT_POSITIONS, MAX_SPAN, MAX_TABLE_POSITIONS, span_value
from extract.load.sql import quote_identifier, quote_literal
from extract.parse.report import extract_report
from extract.readers import ReaderError
from extract.run.export import export_marts

BOM = b"\xef\xbb\xbf"


def _page(body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'><title>t</title></head><body>{body}</body></html>".encode()


def _too_large(data: bytes, name: str) -> str:
    with pytest.raises(ReaderError) as error:
        extract_report(data, name)
    assert error.value.code == "too_large", error.value.message
    return error.value.message


def test_an_11_kb_page_of_200_by_200_spans_is_too_large_before_any_grid_is_built():
    row = "<tr>" + "<td rowspan=200 colspan=200>x</td>" * 20 + "</tr>"
    data = _page("<table>" + row * 16 + "</table>")
    assert 10_000 < len(data) < 12_000
    message = _too_large(data, "big.html")
    assert f"over the limit of {MAX_TABLE_POSITIONS:,} per table" in message


def test_a_span_over_the_per_cell_limit_is_too_large():
    message = _too_large(_page("<table><tr><td colspan=100000000>x</td><td>1</td></tr></table>"), "wide.html")
    assert message == f"a table cell has colspan 100000000, over the limit of {MAX_SPAN} per cell"
    _too_large(_page(f"<table><tr><td rowspan='{MAX_SPAN + 1}'>x</td></tr></table>"), "tall.html")


def test_hundreds_of_small_tables_over_the_document_limit_are_too_large():
    table = f"<table><tr><td colspan={MAX_SPAN}>x</td></tr></table>"
    count = MAX_DOCUMENT_POSITIONS // MAX_SPAN + 1
    message = _too_large(_page(table * count), "many.html")
    assert f"over the limit of {MAX_DOCUMENT_POSITIONS:,} per document" in message
    with pytest.raises(ReaderError) as error:  # exactly at the limit the page is read (and is not a report)
        extract_report(_page(table * (count - 1)), "fewer.html")
    assert error.value.code == "not_a_report"


def test_span_values_follow_the_html_rule_and_the_shared_limit():
    assert [span_value(v, 1, "colspan") for v in (None, "", "abc", "0", "-3", "2", " 3 ", "+4", "2.5", "007")] == \
        [1, 1, 1, 1, 1, 2, 3, 4, 2, 7]
    assert [span_value(v, 0, "gridBefore") for v in (None, "x", "0", "2")] == [0, 0, 0, 2]
    assert span_value(str(MAX_SPAN), 1, "colspan") == MAX_SPAN
    with pytest.raises(ReaderError, match="gridSpan 9{20}…, over the limit"):
        span_value("9" * 5000, 1, "gridSpan")


def test_a_report_with_a_span_at_the_limit_reads_whole_and_one_over_is_too_large():
    page = to_html(make_report("2021"), "utf-8")

    def with_note(span: int) -> bytes:
        note = f'<table><tr><td colspan="{span}">备注：本表数据截至12月31日</td></tr></table>'.encode()
        return page.replace(b"</body>", note + b"</body>")

    assert len(extract_report(with_note(MAX_SPAN), "report.html").cells) == 200
    _too_large(with_note(MAX_SPAN + 1), "report.html")


@functools.cache
def _report_docx() -> bytes:
    return to_docx(make_report("2021"))


def _docx_with(xml_edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_report_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                edited = xml_edit(data.decode())
                assert edited != data.decode()
                data = edited.encode()
            target.writestr(info, data)
    return out.getvalue()


def _grid_span(value: str):
    return lambda xml: re.sub(r'<w:gridSpan w:val="\d+"/>', f'<w:gridSpan w:val="{value}"/>', xml, count=1)


def _row_props(props: str):
    return lambda xml: re.sub(r"(<w:tr\b[^>]*>)", rf"\1<w:trPr>{props}</w:trPr>", xml, count=1)


def test_a_docx_cell_spanning_100_million_columns_is_too_large():
    data = _docx_with(_grid_span("100000000"))
    assert len(data) < 60_000
    assert _too_large(data, "big.docx") == f"a table cell has gridSpan 100000000, over the limit of {MAX_SPAN} per cell"
    _too_large(_docx_with(_row_props('<w:gridBefore w:val="100000000"/>')), "before.docx")


def test_docx_counts_that_are_not_whole_numbers_do_not_crash():
    assert extract_report(_docx_with(_grid_span("abc")), "abc.docx").cells
    props = '<w:gridBefore w:val="x"/><w:gridAfter w:val="1.5e9"/>'
    assert len(extract_report(_docx_with(_row_props(props)), "rows.docx").cells) == 200


VALUES = [
    ("=cmd|'/Ccalc'!A0淄博市", "'=cmd|'/Ccalc'!A0淄博市"),
    ("+1+1", "'+1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3", "'-2+3"),
    ("\t=1+1", "'\t=1+1"),
    ("-5", "-5"),
    ("+3.2", "+3.2"),
    ("-1,234.5", "-1,234.5"),
    ("-", "-"),
    ("--", "--"),
    ("—", "—"),
    ("普通文本", "普通文本"),
    (None, ""),
]


def _mart_db(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute('create schema marts; create table marts.labels (n integer, "raw text" varchar, amount integer)')
    con.executemany("insert into marts.labels values (?, ?, ?)",
                    [(n, text, -5 if n == 0 else n) for n, (text, _) in enumerate(VALUES)])
    con.execute("create view marts.label_view as select * from marts.labels")
    con.close()


def test_csv_export_neutralises_formulas_and_starts_with_a_bom(tmp_path):
    _mart_db(tmp_path / "gongkai.duckdb")
    out = tmp_path / "export"
    written = export_marts(tmp_path / "gongkai.duckdb", out, csv=True)
    assert sorted(p.name for p in written) == ["label_view.csv", "label_view.parquet", "labels.csv", "labels.parquet"]
    # no temporary files left; the manifest says what the files hold
    assert sorted(p.name for p in out.iterdir()) == sorted([p.name for p in written] + ["_manifest.json"])
    for name in ("labels", "label_view"):
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(BOM) and not raw.startswith(BOM * 2)
        rows = list(csv.DictReader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))
        assert [r["raw text"] for r in sorted(rows, key=lambda r: int(r["n"]))] == [want for _, want in VALUES]
        assert rows[0]["amount"] == "-5"
        parquet = duckdb.connect().execute("select \"raw text\", amount from read_parquet(?) order by n",
                                           [str(out / f"{name}.parquet")]).fetchall()
        assert [text for text, _ in parquet] == [text for text, _ in VALUES]
        assert parquet[0][1] == -5


def test_export_from_and_into_folders_with_an_apostrophe(tmp_path):
    db = tmp_path / "O'Brien" / "gongkai.duckdb"
    _mart_db(db)
    out = tmp_path / "O'Brien" / "it's out"
    written = export_marts(db, out, csv=True)
    assert len(written) == 4 and all(p.parent == out and p.stat().st_size > 0 for p in written)


def test_shards_written_and_loaded_under_a_folder_with_an_apostrophe(tmp_path):
    from extract.load.shard_load import load_shards
    from extract.load.shards import write_shard
    from extract.load.warehouse import connect
    from extract.run.refresh import scan_folder

    root = tmp_path / "O'Brien's shards"
    folder = root / "reports"
    folder.mkdir(parents=True)
    shutil.copy(REPORTS / SEEDS["000"], folder / SEEDS["000"])
    write_shard(scan_folder(folder), root / "shards", "test-run")
    cells = duckdb.connect().execute("select count(*) from read_parquet(?)",
                                     [str(root / "shards" / "cells" / "*.parquet")]).fetchone()[0]
    assert cells > 0
    warehouse = connect(root / "gongkai.duckdb")
    try:
        counts = load_shards(warehouse, root / "shards")
        assert (counts.files, counts.new, counts.loaded, counts.cells) == (1, 1, 1, cells)
        assert warehouse.execute("select count(*) from raw.cells").fetchone()[0] == cells
    finally:
        warehouse.close()


NASTY = ["", "O'Brien", "''", "'; drop table x; --", 'say "hi"', "back\\slash\\'", "淄博市'\n\t", "$1 ? %s {x}"]


def test_quote_literal_and_identifier():
    assert quote_literal("O'Brien") == "'O''Brien'"
    assert quote_identifier('a "b"') == '"a ""b"""'
    for quote in (quote_literal, quote_identifier):
        with pytest.raises(ValueError, match="NUL"):
            quote("a\0b")


@pytest.mark.parametrize("value", NASTY)
def test_quoted_values_round_trip_through_duckdb(value):
    con = duckdb.connect()
    assert con.execute(f"select {quote_literal(value)}").fetchone()[0] == value
    if value:
        con.execute(f"create table {quote_identifier(value)} ({quote_identifier(value + 'c')} varchar)")
        assert con.execute("select table_name, column_name from duckdb_columns() where not internal").fetchall() == [
            (value, value + "c")]


def test_a_number_too_large_for_the_warehouse_is_text_with_an_issue():
    lines = (REPORTS / SEEDS["001"]).read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines) if n > 20 and "\t" in line and re.search(r"\t\s*\d+\s*(\t|$)", line))
    lines[row] = re.sub(r"(\t\s*)\d+", r"\g<1>123456789012345678901234", lines[row], count=1)
    parsed = extract_report("\n".join(lines).encode(), "huge.txt")
    [cell] = [c for c in parsed.cells if c.raw_text == "123456789012345678901234"]
    assert (cell.value, cell.cell_state) == (None, "text")
    assert any(i.code == "value_out_of_range" and i.row_key == cell.row_key for i in parsed.issues)
    assert len(parsed.cells) == 198


def _overflowing_worker(path, name, overrides=None):
    """A parser bug: a value the warehouse's DECIMAL(20, 6) cannot hold (fault injection)."""
    import dataclasses
    from decimal import Decimal

    from extract.run.pool import extract_file

    report = extract_file(path, name, overrides)
    if name.startswith("001"):
        report.cells[0] = dataclasses.replace(report.cells[0], value=Decimal("1e30"))
    return report


def _huge_line_worker(path, name, overrides=None):
    """A line number no INTEGER column holds (fault injection): refused before it reaches DuckDB."""
    import dataclasses

    from extract.run.pool import extract_file

    report = extract_file(path, name, overrides)
    if name.startswith("001"):
        report.cells[0] = dataclasses.replace(report.cells[0], line_no=2**40)
    return report


@pytest.mark.parametrize("worker", [_overflowing_worker, _huge_line_worker], ids=["decimal", "integer"])
def test_a_value_the_warehouse_refuses_is_that_files_error(tmp_path, monkeypatch, worker):
    import extract.run.ingest as ingest_module
    import extract.run.refresh as refresh_module

    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in ("001", "002"):
        shutil.copy(REPORTS / SEEDS[seed], folder / SEEDS[seed])
    real = ingest_module.extract_parallel
    monkeypatch.setattr(ingest_module, "extract_parallel",
                        lambda jobs, workers: real(jobs, workers, worker=worker))
    summary = refresh_module.refresh(folder, tmp_path / "w" / "g.duckdb", workers=1, run_dbt_build=False,
                                     log=lambda *_: None)
    assert summary.status == "success" and summary.new == 2
    assert [e[:2] for e in summary.errors] == [(SEEDS["001"], "load_failed")]
    assert summary.cells_loaded == 172


def test_one_long_line_of_labels_and_numbers_without_a_table_heading_is_read_as_nothing():
    """A 640,000-character line repeating 规章 and numbers, after a table heading printed on its own
    line: no crash (it once raised from the run splitter), no cell, the tables reported missing."""
    text = "某市某区人民政府2022年政府信息公开工作年度报告\n二、主动公开政府信息情况\n" + "规章   12   34   56   " * 32000
    report = extract_report(text.encode("utf-8"), "x.txt")
    assert report.cells == []
    assert sorted(i.code for i in report.issues) == ["table_missing"] * 3
