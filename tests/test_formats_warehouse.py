"""Every format through the real refresh (extract → raw → dbt build) into the marts."""

from __future__ import annotations

import io
import shutil

import duckdb
import pytest
from conftest import REPORTS
from render import make_report, to_docx, to_html, to_layout_text, to_pdf, to_tab_text

from extract.readers.ocr import ocr_missing
from extract.run.refresh import refresh

SCAN = "scans/suqian-2023.pdf"
"""A scanned report (typeset in WenQuanYi Zen Hei, skewed, noisy) whose 表三 first row prints a total one
more than its parts: a misprint the OCR path must keep, flag, and never call consistent."""


def _scan_with_a_misprint() -> bytes | None:
    from render.report import is_table3
    from render.scan import ScanStyle, font_file, scanned_report
    from render.tools import RenderSkipped

    try:
        font_file("wqy_zenhei")
    except RenderSkipped:
        return None
    report = make_report("2021", agency="宿迁市人民政府", year=2023, seed=21, narrative_paragraphs=0)
    table3 = next(block for kind, block in report.blocks if kind == "table" and is_table3(block))
    row = next(row for row in table3 if any("本年新收" in text for text, _, _ in row))
    text, rowspan, colspan = row[-1]
    row[-1] = (str(int(text) + 1), rowspan, colspan)
    return scanned_report(report, ScanStyle("wqy_zenhei", 200, 0.8, blur=0.5, noise=6, jpeg_quality=70, seed=5))

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
    scan = _scan_with_a_misprint() if ocr_missing() is None else None
    if scan is not None:
        (folder / "scans").mkdir()
        (folder / SCAN).write_bytes(scan)
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
    assert con.execute("select count(*) from marts.dim_reports where source_path not like 'scans/%'"
                       ).fetchone()[0] == 3 + len(SAME_REPORT) + 2


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
                              "where source_path like '%.pdf' and source_path not like 'same/%' "
                              "and source_path not like 'scans/%'").fetchall())
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


def test_scanned_cells_keep_their_ocr_confidence_and_a_misprint_is_flagged(warehouse):
    _, con = warehouse
    if con.execute("select count(*) from marts.dim_reports where source_path = ?", [SCAN]).fetchone()[0] == 0:
        pytest.skip(f"no scan in this warehouse: OCR or the font is not available ({ocr_missing()})")
    confidence = con.execute(
        "select c.read_method, count(*), count(c.ocr_confidence), min(c.ocr_confidence), max(c.ocr_confidence) "
        "from marts.fct_report_cells c join marts.dim_reports d using (report_id) "
        "where d.source_path in (?, 'szfgs2024.pdf') and c.cell_state = 'number' group by all order by all",
        [SCAN]).fetchall()
    assert [(m, n == with_confidence) for m, n, with_confidence, _, _ in confidence] == [("grid", False), ("ocr", True)]
    assert confidence[0][2] == 0, "cells not read by OCR have no OCR confidence"
    assert 0.8 <= confidence[1][3] <= confidence[1][4] <= 1
    status, = con.execute("select quality_status from marts.dim_reports where source_path = ?", [SCAN]).fetchone()
    assert status != "consistent"
    check = con.execute(
        "select q.check_status, q.ocr_cells, q.failed_with_ocr_cells from marts.fct_data_quality q "
        "join marts.dim_reports d using (report_id) where d.source_path = ? and q.check_id = 'I3' "
        "and q.subject = 'new_received'", [SCAN]).fetchone()
    assert check is not None
    if check[0] == "failed":  # every cell of the row was read: the misprint itself is flagged
        assert check[1] == 7 and check[2] is True and status == "inconsistent"
    else:  # a cell of the row could not be read: the check cannot be evaluated, and says so
        assert check[0] == "not_evaluable" and status == "incomplete"
        unreadable = con.execute(
            "select count(*) from marts.fct_parse_issues i join marts.dim_reports d using (report_id) "
            "where d.source_path = ? and i.issue_code = 'ocr_unreadable'", [SCAN]).fetchone()[0]
        assert unreadable > 0
    others = con.execute("select count(*) from marts.fct_data_quality where check_family <> 'identity' "
                         "and (ocr_cells is not null or failed_with_ocr_cells)").fetchone()[0]
    assert others == 0
