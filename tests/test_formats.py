"""Every published format gives the same cells: PDF (ruled, unruled, scanned), HTML, DOCX, DOC, text.

Fixtures are rendered here from one report (tests/render.py) in the official layout,
so every number is known; the real PDFs in data/reports are checked number by number.
"""

from __future__ import annotations

import collections
import shutil
import subprocess
from decimal import Decimal

import pytest
from conftest import FIXTURES, REPORTS, cell_map, parse
from render import (
    expected_cells,
    make_report,
    to_docx,
    to_html,
    to_layout_text,
    to_pdf,
    to_scanned_pdf,
    to_tab_text,
    with_scanned_pages,
)

from extract.parse.report import extract_report
from extract.readers import ReaderError

REAL_PDFS = ("hzq2023_working.pdf", "hzq2024_working.pdf", "szfgs2024.pdf")


def _renderings(version: str) -> dict[str, tuple[str, bytes]]:
    report = make_report(version)
    return {
        "pdf": ("report.pdf", to_pdf(report)),
        "pdf_unruled": ("report.pdf", to_pdf(report, ruled=False)),
        "pdf_repeated_header": ("report.pdf", to_pdf(report, repeat_header=True)),
        "html_gbk": ("report.html", to_html(report, "gbk")),
        "html_gbk_undeclared": ("report.shtml", to_html(report, "gbk", declare=False)),
        "html_utf8": ("report.htm", to_html(report, "utf-8")),
        "docx": ("report.docx", to_docx(report)),
        "tab_text": ("report.txt", to_tab_text(report)),
        "layout_text": ("report.txt", to_layout_text(report)),
    }


READ_METHOD = {"pdf": "grid", "pdf_unruled": "positional", "pdf_repeated_header": "grid", "html_gbk": "grid", "html_gbk_undeclared": "grid",
               "html_utf8": "grid", "docx": "grid", "tab_text": "text", "layout_text": "positional"}


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_every_format_gives_every_cell(version):
    report = make_report(version)
    expected = expected_cells(report)
    assert len(expected) == (200 if version == "2021" else 198)
    for name, (file_name, data) in _renderings(version).items():
        parsed = extract_report(data, file_name)
        assert cell_map(parsed) == expected, name
        assert parsed.metadata.agency_name == "某市某区人民政府", name
        assert (parsed.metadata.report_year, parsed.metadata.template_version) == (2023, version), name
        assert {c.read_method for c in parsed.cells} == {READ_METHOD[name]}, name
        assert not [i for i in parsed.issues if i.severity != "info"], (name, parsed.issues)


def test_pdf_table_three_breaks_across_pages_with_page_numbers():
    parsed = extract_report(to_pdf(make_report("2021")), "report.pdf")
    pages = collections.Counter(c.page for c in parsed.cells if c.table_no == 3)
    assert len(pages) == 2 and sum(pages.values()) == 175
    assert all(c.page is not None and c.line_no is not None for c in parsed.cells)
    assert parsed.source_format == "pdf" and parsed.read_method == "grid"


def test_pdf_cell_text_is_exactly_pdfplumbers_table_extract():
    """The one-pass cell reader (the PDF speed-up) gives table.extract()'s text, cell for cell."""
    import io

    import pdfplumber

    from extract.readers.pdf import table_texts

    files = [(REPORTS / name).read_bytes() for name in REAL_PDFS]
    files += [to_pdf(make_report(version), repeat_header=repeat) for version in ("2021", "2019")
              for repeat in (False, True)]
    compared = 0
    for data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for table in page.find_tables():
                    assert table_texts(table, page.chars) == table.extract()
                    compared += 1
    assert compared >= 3 * 2 + 4 * 2


def test_cell_text_is_exactly_pdfplumbers_extract_text():
    """The direct cell text gives extract_text()'s result on runs of chars of the real PDFs:
    one or several words, spaces, lines of text and table rows, numbers and labels."""
    import random

    import pdfplumber
    from pdfplumber.utils import extract_text

    from extract.readers.pdf import cell_text

    rng = random.Random(7)
    compared = 0
    for name in REAL_PDFS:
        with pdfplumber.open(REPORTS / name) as pdf:
            for page in pdf.pages:
                chars = page.chars
                for _ in range(300):
                    start = rng.randrange(len(chars))
                    group = chars[start:start + rng.randint(1, 12)]
                    assert cell_text(group) == extract_text(group), group
                    compared += 1
    assert compared > 3000


def test_fixtures_cover_blank_dash_and_signed_cells():
    """The equality test above covers the states that matter: blank, dash, and 减N (negative)."""
    cells_2021 = expected_cells(make_report("2021"))
    cells_2019 = expected_cells(make_report("2019"))
    assert cells_2021[(2, "regulations", "repealed")] == (None, "blank")
    assert {state for _, state in cells_2019.values()} == {"number", "dash"}
    assert any(value is not None and value < 0 for value, _ in cells_2019.values())


def test_html_page_chrome_is_ignored():
    data = to_html(make_report("2021"), "gbk")
    parsed = extract_report(data, "page.html")
    assert parsed.metadata.title.startswith("某市某区人民政府2023年")
    assert not any("首页" in c.raw_text or "备案号" in c.raw_text for c in parsed.cells)


def test_docx_merged_cells_are_not_repeated():
    from extract.readers import read_document

    doc = read_document(to_docx(make_report("2021")), "report.docx")
    rows = [line.cells for line in doc.lines if line.cells]
    result_rows = [r for r in rows if r and r[0] == "三、本年度办理结果"]
    assert len(result_rows) == 1
    assert not any("三、本年度办理结果" in cell for r in rows if r[0] != "三、本年度办理结果" for cell in r)


def test_legacy_doc_through_libreoffice(tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: .doc conversion cannot be tested here")
    source = tmp_path / "report.docx"
    source.write_bytes(to_docx(make_report("2021")))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "out"), str(source)],
                   capture_output=True, check=True, timeout=180)
    parsed = extract_report((tmp_path / "out" / "report.doc").read_bytes(), "年报 'final'.doc")
    assert parsed.source_format == "doc"
    assert cell_map(parsed) == expected_cells(make_report("2021"))


def test_legacy_doc_without_libreoffice_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("GONGKAI_SOFFICE", "/nonexistent/soffice")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(ReaderError) as error:
        extract_report(ole, "report.doc")
    assert error.value.code == "converter_missing"
    assert "LibreOffice" in error.value.message


def test_scanned_pdf_without_ocr_is_needs_ocr(monkeypatch):
    monkeypatch.setenv("GONGKAI_OCR", "0")
    with pytest.raises(ReaderError) as error:
        extract_report(to_scanned_pdf(to_pdf(make_report("2021", narrative_paragraphs=0)), dpi=60), "s.pdf")
    assert error.value.code == "needs_ocr"
    assert "scanned PDF" in error.value.message


def test_scanned_page_inside_a_text_pdf_is_a_warning_without_ocr(monkeypatch):
    monkeypatch.setenv("GONGKAI_OCR", "0")
    pdf = with_scanned_pages(to_pdf(make_report("2021")), {2})
    parsed = extract_report(pdf, "mixed.pdf")
    assert {c.page for c in parsed.cells} == {1}
    warning = [i for i in parsed.issues if i.code == "page_needs_ocr"]
    assert len(warning) == 1 and warning[0].page == 2 and "GONGKAI_OCR=0" in warning[0].message


@pytest.mark.parametrize(("name", "data", "code"), [
    ("empty.pdf", b"", "empty_file"),
    ("zip.pdf", b"PK\x03\x04" + b"\x00" * 100, "not_a_pdf"),
    ("truncated.pdf", None, "corrupt_pdf"),
    ("notice.html", "<html><head><title>关于停水的通知</title></head><body><p>明天停水。</p></body></html>"
     .encode(), "not_a_report"),
    ("empty.html", b"   ", "empty_file"),
    ("bomb.docx", None, "zip_bomb"),
    ("junk.docx", b"not a zip at all", "corrupt_docx"),
])
def test_bad_inputs_are_clear_errors(name, data, code):
    if name == "truncated.pdf":
        data = (REPORTS / "szfgs2024.pdf").read_bytes()[:3000]
    if name == "bomb.docx":
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("word/document.xml", b"<" + b"a" * (300 * 1024 * 1024))
        data = buffer.getvalue()
    with pytest.raises(ReaderError) as error:
        extract_report(data, name)
    assert error.value.code == code
    assert error.value.message


def test_encrypted_pdf_is_a_clear_error():
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    page.drawString(100, 700, "2023 annual report")
    page.save()
    with pytest.raises(ReaderError) as error:
        extract_report(buffer.getvalue(), "locked.pdf")
    assert error.value.code == "encrypted_pdf"


# --- the real PDFs ---------------------------------------------------------------------------------

def _table4(report) -> list[list[Decimal | None]]:
    cells = cell_map(report)
    return [[cells[(4, block, col)][0] for col in ("upheld", "corrected", "other_result", "pending", "total")]
            for block in ("admin_reconsideration", "litigation_direct", "litigation_after_reconsideration")]


def test_real_pdf_huaian_2024_every_cell():
    report = parse(REPORTS / "szfgs2024.pdf")
    cells = cell_map(report)
    assert (report.metadata.agency_name, report.metadata.report_year) == ("淮安市人民政府", 2024)
    assert len(cells) == 200 and report.read_method == "grid"
    assert cells[(2, "admin_licensing", "decisions")] == (Decimal(447228), "number")
    assert cells[(2, "admin_penalty", "decisions")] == (Decimal(3985758), "number")
    assert cells[(2, "admin_fees", "fee_amount_10k_yuan")] == (Decimal("96171.6"), "number")
    totals = {row: cells[(3, row, "total")][0] for row in
              ("new_received", "carried_over", "granted", "partially_granted", "total_processed", "carried_forward",
               "other_no_correction", "other_fee_unpaid", "other_other", "unable_unclear_after_correction")}
    assert totals == {"new_received": 3119, "carried_over": 34, "granted": 1362, "partially_granted": 454,
                      "total_processed": 3050, "carried_forward": 103, "other_no_correction": 71,
                      "other_fee_unpaid": 6, "other_other": 110, "unable_unclear_after_correction": 1}
    assert cells[(3, "new_received", "legal_service_org")] == (Decimal(61), "number")
    assert _table4(report) == [[72, 64, 178, 37, 351], [13, 4, 8, 1, 26], [12, 1, 1, 6, 20]]
    pages = {c.page for c in report.cells if c.table_no == 3}
    assert pages == {4, 5}
    assert not [i for i in report.issues if i.severity != "info"]


def test_real_pdf_hongze_2023_and_2024():
    report_2023 = parse(REPORTS / "hzq2023_working.pdf")
    cells = cell_map(report_2023)
    assert (report_2023.metadata.agency_name, report_2023.metadata.report_year) == ("洪泽区人民政府", 2023)
    assert len(cells) == 186
    assert cells[(2, "admin_fees", "fee_amount_10k_yuan")] == (Decimal("7730.28"), "number")
    assert cells[(3, "unable_not_held", "natural_person")] == (Decimal(10), "number")
    assert cells[(3, "other_handling", "total")] == (Decimal(0), "number")
    assert cells[(3, "denied_law_prohibited", "total")] == (Decimal(0), "number")
    assert any(i.code == "row_matched_by_number" and i.row_key == "denied_law_prohibited" for i in report_2023.issues)
    assert _table4(report_2023) == [[10, 1, 0, 0, 0], [0, 0, 0, 0, 0], [5, 0, 0, 0, 0]]
    report_2024 = parse(REPORTS / "hzq2024_working.pdf")
    assert report_2024.metadata.report_year == 2024
    assert _table4(report_2024) == [[1, 1, 0, 0, 2], [1, 0, 0, 0, 1], [2, 0, 1, 0, 3]]
    assert len(cell_map(report_2024)) == 186


@pytest.mark.parametrize("name", REAL_PDFS)
def test_real_pdf_layout_text_matches_the_pdf(name):
    """The same report as ``pdftotext -layout`` text gives the cells the PDF gives."""
    from_pdf = parse(REPORTS / name)
    text = FIXTURES / "layout" / name.replace(".pdf", ".pdftotext.txt")
    from_text = extract_report(text.read_bytes(), text.name)
    assert {c.read_method for c in from_text.cells} == {"positional"}
    assert cell_map(from_text) == cell_map(from_pdf)
