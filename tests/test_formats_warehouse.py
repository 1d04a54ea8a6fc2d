"""Every format through the real refresh (extract → raw → dbt build) into the marts."""

from __future__ import annotations

import io
import shutil

import duckdb
import pytest
from conftest import REPORTS
from render import make_report, to_docx, to_html, to_layout_text, to_pdf, to_tab_text

from extract.refresh import refresh

SAME_REPORT = {
    "same/report.pdf": lambda r: to_pdf(r),
    "same/report.html": lambda r: to_html(r, "gbk"),
    "same/report.docx": to_docx,
    "same/report.txt": to_tab_text,
    "same/report-layout.txt": to_layout_text,
}


def _encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    page.drawString(100, 700, "report")
    page.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    folder = root / "reports"
    (folder / "same").mkdir(parents=True)
    (folder / "bad").mkdir()
    for name in ("hzq2023_working.pdf", "hzq2024_working.pdf", "szfgs2024.pdf"):
        shutil.copy(REPORTS / name, folder / name)
    report = make_report("2021", agency="某县人民政府", year=2022)
    for name, render in SAME_REPORT.items():
        (folder / name).write_bytes(render(report))
    bad = {
        "bad/corrupt.pdf": (REPORTS / "szfgs2024.pdf").read_bytes()[:5000],
        "bad/locked.pdf": _encrypted_pdf(),
        "bad/notice.html": "<html><body><div class='nav'>首页</div><p>关于做好节日期间安全工作的通知</p></body></html>"
        .encode("gbk"),
        "bad/empty.html": b"",
        "bad/really a zip.pdf": to_docx(report),
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    db = root / "warehouse" / "gongkai.duckdb"
    summary = refresh(folder, db, workers=2, log=lambda *_: None)
    con = duckdb.connect(str(db), read_only=True)
    yield summary, con
    con.close()


def test_good_reports_load_and_bad_ones_are_recorded(warehouse):
    summary, con = warehouse
    assert summary.dbt_status == "success", summary.message
    assert summary.failed == 5
    errors = dict(con.execute("select source_path, error_class from marts.fct_load_errors").fetchall())
    assert errors == {"bad/corrupt.pdf": "corrupt_pdf", "bad/locked.pdf": "encrypted_pdf",
                      "bad/notice.html": "not_a_report", "bad/empty.html": "empty_file",
                      "bad/really a zip.pdf": "not_a_pdf"}
    messages = [m for (m,) in con.execute("select message from marts.fct_load_errors").fetchall()]
    assert all(len(m) > 15 for m in messages)
    assert con.execute("select count(*) from marts.dim_reports").fetchone()[0] == 3 + len(SAME_REPORT)


def test_same_report_in_every_format_gives_identical_marts(warehouse):
    _, con = warehouse
    cells = {}
    for name in SAME_REPORT:
        rows = con.execute(
            "select table_no, row_key, col_key, value, cell_state from marts.fct_report_cells c "
            "join marts.dim_reports d using (report_id) where d.source_path = ? order by all", [name]).fetchall()
        cells[name] = rows
    assert len(cells["same/report.pdf"]) == 200
    assert all(rows == cells["same/report.pdf"] for rows in cells.values())
    methods = dict(con.execute(
        "select d.source_path, string_agg(distinct c.read_method) from marts.fct_report_cells c "
        "join marts.dim_reports d using (report_id) where d.source_path like 'same/%' group by 1").fetchall())
    assert methods == {"same/report.pdf": "grid", "same/report.html": "grid", "same/report.docx": "grid",
                       "same/report.txt": "text", "same/report-layout.txt": "positional"}
    formats = dict(con.execute("select source_path, source_format from marts.dim_reports "
                               "where source_path like 'same/%'").fetchall())
    assert formats["same/report.html"] == "html" and formats["same/report.docx"] == "docx"


def test_published_contradictions_of_real_pdfs_are_flagged(warehouse):
    _, con = warehouse
    failed = con.execute(
        "select d.source_path, q.check_id, q.subject, q.expected, q.actual from marts.fct_data_quality q "
        "join marts.dim_reports d using (report_id) where not q.passed and d.source_path like 'hzq%' "
        "or (not q.passed and d.source_path = 'szfgs2024.pdf') order by all").fetchall()
    assert [(p, c, s, int(e), int(a)) for p, c, s, e, a in failed] == [
        ("hzq2023_working.pdf", "I4", "admin_reconsideration", 11, 0),
        ("hzq2023_working.pdf", "I4", "litigation_after_reconsideration", 5, 0),
    ]
    status = dict(con.execute("select source_path, quality_status from marts.dim_reports "
                              "where source_path like '%.pdf' and source_path not like 'same/%'").fetchall())
    assert status == {"hzq2023_working.pdf": "inconsistent", "hzq2024_working.pdf": "consistent",
                      "szfgs2024.pdf": "consistent"}


def test_cells_keep_page_and_provenance(warehouse):
    _, con = warehouse
    row = con.execute(
        "select c.page, c.raw_text, c.source_format, c.read_method, c.placement from marts.fct_report_cells c "
        "join marts.dim_reports d using (report_id) where d.source_path = 'szfgs2024.pdf' "
        "and c.row_key = 'carried_forward' and c.col_key = 'total'").fetchone()
    assert row == (5, "103", "pdf", "grid", "template_order")
    missing_page = con.execute(
        "select count(*) from marts.fct_report_cells c join marts.dim_reports d using (report_id) "
        "where d.source_format = 'pdf' and c.page is null").fetchone()[0]
    assert missing_page == 0
