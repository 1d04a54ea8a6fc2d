"""Every format through the real refresh (extract → raw → dbt build) into the marts."""

from __future__ import annotations

import io
import shutil

import duckdb
import pytest
from conftest import REPORTS
from render import make_report, to_docx, to_html, to_layout_text, to_pdf, to_tab_text

from extract.run.refresh import refresh

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
    report = make_report("2021", agency="沭阳县人民政府", year=2022)
    for name, render in SAME_REPORT.items():
        (folder / name).write_bytes(render(report))
    issued = report.expected[(2, "normative_documents", "issued")]
    text = to_tab_text(report).decode()
    assert f"行政规范性文件\t{issued}\t" in text
    (folder / "same" / "republished.txt").write_text(
        text.replace(f"行政规范性文件\t{issued}\t", f"行政规范性文件\t{int(issued) + 1}\t"), encoding="utf-8")
    anonymous = make_report("2021", agency="某县人民政府", year=2021, seed=5)
    (folder / "anon.docx").write_bytes(to_docx(anonymous))
    (folder / "manifest.csv").write_text(
        "file,agency,year,url,division_code,scope\n"
        "anon.docx,泗阳县人民政府,2021,https://www.siyang.gov.cn/nb/2021.html,321323,agency\n", encoding="utf-8")
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
    assert con.execute("select count(*) from marts.dim_reports").fetchone()[0] == 3 + len(SAME_REPORT) + 2


def test_same_report_in_every_format_is_one_report_with_identical_cells(warehouse):
    _, con = warehouse
    docs = {path: rest for path, *rest in con.execute(
        "select source_path, is_primary, duplicate_of_report_id, documents_in_report, quality_status, report_id "
        "from marts.dim_reports where source_path like 'same/%'").fetchall()}
    primary = docs["same/report.pdf"]
    assert primary[0] is True and primary[2] == len(SAME_REPORT) + 1
    assert all(not d[0] and d[1] == primary[4] for path, d in docs.items() if path != "same/report.pdf")
    conflicts = dict(con.execute(
        "select d.source_path, q.actual from marts.fct_data_quality q join marts.dim_reports d using (report_id) "
        "where q.check_id = 'D1'").fetchall())
    assert conflicts == {**{name: 0 for name in SAME_REPORT if name != "same/report.pdf"}, "same/republished.txt": 1}
    assert docs["same/republished.txt"][3] == "inconsistent"
    counted = con.execute("select count(*) from marts.fct_report_cells where report_id = ?", [primary[4]]).fetchone()[0]
    duplicated = con.execute("select count(*) from marts.fct_report_cells c join marts.dim_reports d using (report_id) "
                             "where d.source_path like 'same/%' and not d.is_primary").fetchone()[0]
    assert (counted, duplicated) == (200, 0), "facts hold the primary document only"
    methods = dict(con.execute(
        "select d.source_path, string_agg(distinct c.read_method) from raw.cells c "
        "join marts.dim_reports d using (report_id) where d.source_path like 'same/%' group by 1").fetchall())
    assert methods == {"same/report.pdf": "grid", "same/report.html": "grid", "same/report.docx": "grid",
                       "same/report.txt": "text", "same/report-layout.txt": "positional", "same/republished.txt": "text"}
    agency = con.execute("select agency_name, county, agency_type, agency_level, report_count from marts.dim_agencies "
                         "where agency_id = (select agency_id from marts.dim_reports where report_id = ?)",
                         [primary[4]]).fetchone()
    assert agency == ("沭阳县人民政府", "沭阳县", "government", "county", 1)


def test_manifest_overrides_detection(warehouse):
    _, con = warehouse
    row = con.execute("select agency_name, report_year, division_code, province, prefecture, county, region_basis, "
                      "source_url from marts.dim_reports where source_path = 'anon.docx'").fetchone()
    assert row == ("泗阳县人民政府", 2021, "321323", "江苏省", "宿迁市", "泗阳县", "manifest",
                   "https://www.siyang.gov.cn/nb/2021.html")


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


def test_hongze_2023_and_2024_are_one_agency_with_a_carry_over_check(warehouse):
    _, con = warehouse
    agency = con.execute("select agency_name, name_variants, province, prefecture, county, division_code, report_count "
                         "from marts.dim_agencies where county = '洪泽区'").fetchall()
    assert agency == [("淮安市洪泽区人民政府", ["洪泽区人民政府", "淮安市洪泽区人民政府"], "江苏省", "淮安市", "洪泽区",
                       "320813", 2)]
    carried = con.execute(
        "select q.check_id, count(*), bool_and(q.passed) from marts.fct_data_quality q join marts.dim_reports d "
        "using (report_id) where d.source_path = 'hzq2024_working.pdf' and q.check_family = 'cross_year' "
        "group by 1 order by 1").fetchall()
    assert carried == [("S1", 7, True), ("S2", 2, True)]
    yoy = con.execute("select new_received_previous_year, new_received from marts.fct_agency_year_metrics m "
                      "join marts.dim_reports d using (report_id) where d.source_path = 'hzq2024_working.pdf'").fetchone()
    assert yoy == (21, 95)
