"""The scheduled refresh under faults: SIGKILL mid-run, two runs at once, bad inputs, readers."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import REPORTS, SEEDS
from render import make_report, to_docx, to_html, to_pdf, to_scanned_pdf
from sites import GOOD, build_baseline

import extract.run.build as build_module
from extract.run.refresh import read_run_log, refresh

GONGKAI = str(Path(sys.executable).with_name("gongkai"))


def _checksum(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (con.execute("select count(*), sum(hash(report_id, report_status)) from marts.dim_reports").fetchone(),
                con.execute("select count(*), sum(hash(cell_id, value, cell_state)) from marts.fct_report_cells")
                .fetchone())
    finally:
        con.close()


def _start(folder: Path, db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _kill_after(process: subprocess.Popen, marker: str, delay: float = 0.0) -> list[str]:
    """Read the run's output until ``marker``, then SIGKILL it and everything it started."""
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            time.sleep(delay)
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    return seen


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A published warehouse built from three seed reports."""
    return build_baseline(tmp_path_factory)[0]


def _copy(baseline: Path, tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(baseline, tmp_path / "site")
    return tmp_path / "site" / "reports", tmp_path / "site" / "warehouse" / "gongkai.duckdb"


def _add_pdf_copies(folder: Path, count: int) -> None:
    data = (REPORTS / "szfgs2024.pdf").read_bytes()
    for n in range(count):
        (folder / f"copy-{n:02d}.pdf").write_bytes(data + f"\n%% copy {n}\n".encode())


def test_sigkill_during_extraction_and_during_dbt_build_loses_nothing(baseline, tmp_path):
    folder, db = _copy(baseline, tmp_path)
    before = _checksum(db)
    _add_pdf_copies(folder, 8)

    _kill_after(_start(folder, db, "--workers", "1"), "  loaded  ")
    assert _checksum(db) == before, "a run killed during extraction must not touch the published warehouse"
    assert list(db.parent.glob(".staging-*")), "the killed run's private copy is left behind"

    _kill_after(_start(folder, db, "--workers", "2"), "building the marts", delay=2.0)
    assert _checksum(db) == before, "a run killed during dbt build must not touch the published warehouse"

    done = subprocess.run([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db), "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "success" and summary["published"]
    assert (summary["new"], summary["unchanged"]) == (8, 3)
    assert not list(db.parent.glob(".staging-*"))
    reports, cells = _checksum(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        raw_cells = con.execute("select count(*) from raw.cells").fetchone()[0]
        primaries = con.execute("select count(*) from marts.dim_reports where source_path like 'copy-%' "
                                "and is_primary").fetchone()[0]
    finally:
        con.close()
    assert reports[0] == 3 + 8 and raw_cells == before[1][0] + 8 * 200
    assert primaries == 1 and cells[0] == before[1][0] + 200, "eight copies of one report are one report"


def test_two_refreshes_at_once_one_runs_the_other_exits_clearly(baseline, tmp_path):
    folder, db = _copy(baseline, tmp_path)
    shutil.copy(REPORTS / SEEDS["004"], folder / SEEDS["004"])
    first = _start(folder, db)
    lock = db.parent / ".gongkai-refresh.lock"
    deadline = time.time() + 60
    while f"pid {first.pid} " not in (lock.read_text() if lock.exists() else ""):
        assert time.time() < deadline and first.poll() is None, "the first refresh never took the lock"
        time.sleep(0.05)
    second = subprocess.run([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db)],
                            capture_output=True, text=True, check=False)
    first_out, _ = first.communicate(timeout=300)
    assert first.returncode == 0, first_out
    assert second.returncode == 75
    assert "another refresh is running (pid" in second.stderr
    after_one = _checksum(db)
    waited = subprocess.run([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db), "--wait", "60", "--json"],
                            capture_output=True, text=True, check=False)
    assert waited.returncode == 0
    assert json.loads(waited.stdout)["new"] == 0
    assert _checksum(db) == after_one
    assert after_one[0][0] == 4


def test_analyst_connection_stays_valid_and_next_one_sees_new_data(baseline, tmp_path):
    folder, db = _copy(baseline, tmp_path)
    analyst = duckdb.connect(str(db), read_only=True)
    try:
        old = analyst.execute("select count(*) from marts.dim_reports").fetchone()[0]
        shutil.copy(REPORTS / SEEDS["004"], folder / SEEDS["004"])
        result = subprocess.run([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db), "--quiet"],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert analyst.execute("select count(*) from marts.dim_reports").fetchone()[0] == old
    finally:
        analyst.close()
    fresh = subprocess.run([sys.executable, "-c", "import duckdb,sys; print(duckdb.connect(sys.argv[1], "
                            "read_only=True).execute('select count(*) from marts.dim_reports').fetchone()[0])",
                            str(db)], capture_output=True, text=True, check=True)
    assert int(fresh.stdout) == old + 1


def test_failed_build_keeps_the_last_good_warehouse_and_is_logged(baseline, tmp_path, monkeypatch):
    folder, db = _copy(baseline, tmp_path)
    before = _checksum(db)
    shutil.copy(REPORTS / SEEDS["004"], folder / SEEDS["004"])
    real_run_dbt = build_module.run_dbt

    def failing_build(args, db_path, log_path=None, on_event=None):
        return subprocess.CompletedProcess(args, 1, stdout="Failure in test not_null_dim_reports_report_id", stderr="")

    monkeypatch.setattr(build_module, "run_dbt", failing_build)
    summary = refresh(folder, db, workers=1, log=lambda *_: None)
    assert (summary.status, summary.published) == ("failed", False)
    assert "not_null_dim_reports_report_id" in summary.message
    assert _checksum(db) == before
    assert read_run_log(db)[-1]["status"] == "failed"
    monkeypatch.setattr(build_module, "run_dbt", real_run_dbt)
    again = refresh(folder, db, workers=1, log=lambda *_: None)
    assert again.status == "success" and again.new == 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = dict(con.execute("select run_id, run_status from marts.fct_refresh_runs").fetchall())
    finally:
        con.close()
    assert runs[summary.run_id] == "failed" and runs[again.run_id] == "success"
    assert (db.parent / "export" / "fct_refresh_runs.parquet").exists()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<w:document>" + b" " * (400 * 1024 * 1024))
    return buffer.getvalue()


def _pdf_encrypted(user_password: str) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption(user_password, ownerPassword="owner",
                                                                       canPrint=1, canCopy=0))
    page.setFont("STSong-Light", 14)
    page.drawString(72, 760, "某市某局2023年政府信息公开工作年度报告")
    page.save()
    return buffer.getvalue()


def test_a_folder_of_bad_inputs_beside_good_reports(baseline, tmp_path):
    folder, db = _copy(baseline, tmp_path)
    report = make_report("2021", agency="某县交通运输局", year=2023)
    good_pdf = to_pdf(report)
    bad = {
        "truncated.pdf": good_pdf[: len(good_pdf) // 3],
        "password.pdf": _pdf_encrypted("secret"),
        "bomb.docx": _zip_bomb(),
        "zero.txt": b"",
        "junk.txt": os.urandom(4096).replace(b"\n", b"\x00"),
        "junk.pdf": b"%PDF-1.7\n" + os.urandom(8192),
        "big.pdf": b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024),
        "notice.html": "<html><head><script>alert('x')</script></head><body><p>关于停水的通知</p></body></html>"
        .encode("gbk"),
        "zip-named.pdf": to_docx(report),
        "fake.doc": b"this is not a word file at all",
        "corrupt.docx": to_docx(report)[:2000],
        "picture.png": b"\x89PNG\r\n\x1a\n" + os.urandom(256),
        "empty.html": b"",
        "memo.txt": "会议纪要：本周五下午召开例会。".encode("gb18030"),
        "scanned.pdf": to_scanned_pdf(to_pdf(make_report("2021", narrative_paragraphs=0)), dpi=60),
        "latin1.md": b"\xe9t\xe9 \xe0 Paris " * 20,
        "owner-encrypted.pdf": _pdf_encrypted(""),
    }
    good = {
        "gbk without declaration.txt": None,
        "年报 \"终稿\" 'v2' (2023).html": None,
        "page with scripts.html": None,
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    gbk = (REPORTS / SEEDS["004"]).read_text(encoding="utf-8").encode("gb18030")
    (folder / "gbk without declaration.txt").write_bytes(gbk)
    (folder / "年报 \"终稿\" 'v2' (2023).html").write_bytes(to_html(report, "utf-8"))
    page = to_html(make_report("2019", agency="某县教育局", year=2020), "gbk", declare=False)
    page = page.replace(b"</body>", b"<script>document.write('<table><tr><td>99</td></tr></table>')</script></body>")
    (folder / "page with scripts.html").write_bytes(page)
    assert len(bad) + len(good) == 20
    env = {**os.environ, "GONGKAI_OCR": "0"}
    measure = ("import resource, subprocess, sys; run = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
               "sys.exit(run.returncode)")
    result = subprocess.run([sys.executable, "-c", measure, GONGKAI, "refresh", "--reports", str(folder), "--db",
                             str(db), "--json", "--workers", "2"], capture_output=True, text=True, check=False, env=env)
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    errors = {path: error_class for path, error_class, _ in summary["errors"]}
    assert errors == {
        "truncated.pdf": "corrupt_pdf", "password.pdf": "encrypted_pdf", "bomb.docx": "zip_bomb",
        "zero.txt": "empty_file", "junk.txt": "binary_file", "junk.pdf": "corrupt_pdf", "big.pdf": "too_large",
        "notice.html": "not_a_report", "zip-named.pdf": "not_a_pdf", "fake.doc": "not_a_document",
        "corrupt.docx": "corrupt_docx", "picture.png": "unsupported_format", "empty.html": "empty_file",
        "memo.txt": "not_a_report", "scanned.pdf": "needs_ocr", "latin1.md": "undecodable_text",
        "owner-encrypted.pdf": "needs_ocr",
    }
    assert all(len(message) > 15 for _, _, message in summary["errors"])
    con = duckdb.connect(str(db), read_only=True)
    try:
        loaded = dict(con.execute("select source_path, cell_count from marts.dim_reports").fetchall())
        statuses = dict(con.execute("select source_path, status from raw.source_files").fetchall())
    finally:
        con.close()
    assert set(loaded) == {SEEDS[s] for s in GOOD} | set(good)
    assert loaded["年报 \"终稿\" 'v2' (2023).html"] == 200 and loaded["page with scripts.html"] == 198
    assert loaded["gbk without declaration.txt"] > 0
    assert statuses["scanned.pdf"] == "needs_ocr"
    assert peak_kb < 1_500_000, f"the largest process of the run peaked at {peak_kb} KB"


def test_a_warehouse_named_like_a_schema_is_refused_clearly(tmp_path, capsys):
    from extract.cli import main

    for name in ("raw.duckdb", "marts.duckdb"):
        with pytest.raises(SystemExit) as exit_info:
            main(["refresh", "--reports", str(tmp_path), "--db", str(tmp_path / name)])
        assert exit_info.value.code == 2
        assert "the name of a schema in it" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
