"""A refresh is never frozen, orphaned or left unlogged (issue 13, items 4, 5, 8, 12).

Hangs, signals and unusable warehouse paths are made for real: a file that parses for
minutes, SIGTERM and SIGKILL to the running refresh, a read-only folder, a corrupt
warehouse file, a port already taken.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import REPORTS, SEEDS
from render import make_report, to_docx
from sites import GONGKAI, build_baseline, checksum, copy_site, refresh_cli, summary_of

import extract.run.refresh as refresh_module
from extract.run.pool import FileJob, WorkerPool, extract_file
from extract.run.refresh import read_run_log, refresh


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return build_baseline(tmp_path_factory)


def slow_text(megabytes: float = 1.0) -> bytes:
    """Lines of numbers set apart like layout text, with no report in them: the layout reader takes
    about a minute a megabyte (its sparse-row alignment is quadratic)."""
    rng = random.Random(3)
    lines = int(megabytes * 1024 * 1024 / 50)
    return "\n".join("  ".join(str(rng.randint(0, 9999)) for _ in range(10)) for _ in range(lines)).encode()


def _sleepy(path, name, overrides=None):
    """A worker that hangs on one file in a child process, as a stuck converter would (fault injection)."""
    if "hang" in name:
        subprocess.run(["sleep", "3617"], check=False)
    return extract_file(path, name, overrides)


def test_the_pool_stops_a_file_past_its_time_limit_and_goes_on(tmp_path):
    jobs = []
    for name in ("hang.txt", SEEDS["001"], SEEDS["002"]):
        path = tmp_path / name
        path.write_bytes((REPORTS / SEEDS["001" if name == "hang.txt" else name[:3]]).read_bytes())
        jobs.append(FileJob(path, name, "x", path.stat().st_size))
    started = time.monotonic()
    with WorkerPool(2, _sleepy, timeout=2.0) as pool:
        results = {job.rel: result for job, result in pool.run(jobs)}
        workers = [slot.process for slot in pool.slots]
    assert time.monotonic() - started < 60
    assert results["hang.txt"][0] == "parse_timeout" and "GONGKAI_FILE_TIMEOUT_S" in results["hang.txt"][1]
    assert not isinstance(results[SEEDS["001"]], tuple) and not isinstance(results[SEEDS["002"]], tuple)
    assert all(not process.is_alive() for process in workers)
    assert _wait_gone("sleep 3617", 10) == [], "the converter the hung worker started was stopped with it"


def test_a_file_that_parses_for_minutes_times_out_and_the_run_completes(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    (folder / "digits.txt").write_bytes(slow_text(1.0))
    started = time.monotonic()
    summary = summary_of(refresh_cli(folder, db, env={"GONGKAI_FILE_TIMEOUT_S": "3"}))
    assert time.monotonic() - started < 120
    assert [e[:2] for e in summary["errors"]] == [["digits.txt", "parse_timeout"]]
    assert checksum(db) == clean
    again = summary_of(refresh_cli(folder, db, env={"GONGKAI_FILE_TIMEOUT_S": "3"}))
    assert again["unchanged"] == 4 and again["dbt_status"] == "skipped", "a timed-out file is not retried every run"


def _html_of_huge_spans() -> bytes:
    row = "<tr>" + '<td rowspan="200" colspan="200">1</td>' * 20 + "</tr>"
    return f"<html><body><p>某局2023年政府信息公开工作年度报告</p><table>{row * 14}</table></body></html>".encode()


def _docx_of_one_huge_span() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(to_docx(make_report("2021"))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="100000000"/>', 1)
            target.writestr(item, data)
    return out.getvalue()


def test_small_files_with_huge_grids_are_too_large_in_a_refresh(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    (folder / "spans.html").write_bytes(_html_of_huge_spans())
    (folder / "span.docx").write_bytes(_docx_of_one_huge_span())
    assert (folder / "spans.html").stat().st_size < 12_000
    measure = ("import resource, subprocess, sys; run = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
               "sys.exit(run.returncode)")
    result = subprocess.run([sys.executable, "-c", measure, GONGKAI, "refresh", "--reports", str(folder), "--db",
                             str(db), "--json"], capture_output=True, text=True, check=False, timeout=600)
    summary = summary_of(result)
    assert {path: error_class for path, error_class, _ in summary["errors"]} == {
        "spans.html": "too_large", "span.docx": "too_large"}
    assert int(result.stderr.strip().splitlines()[-1]) < 600_000, "no process of the run grew past 600 MB"
    assert checksum(db) == clean


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = next((line for line in (entry / "status").read_text().splitlines()
                              if line.startswith("State:")), "")
            except OSError:
                continue
            if text in cmdline and "zombie" not in state:
                found.append(int(entry.name))
    return found


def _wait_gone(text: str, seconds: float = 20.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _processes_mentioning(text)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def _start(folder: Path, db: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([GONGKAI, "refresh", "--reports", str(folder), "--db", str(db), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})


def _read_until(process: subprocess.Popen, marker: str) -> None:
    for line in process.stdout:
        if marker in line:
            return
    raise AssertionError(f"the run ended before printing {marker!r}: {process.stderr.read()[-2000:]}")


def test_sigterm_during_dbt_build_stops_dbt_and_logs_the_run(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    shutil.copy(REPORTS / SEEDS["004"], folder / SEEDS["004"])
    run = _start(folder, db)
    _read_until(run, "building the marts")
    staging = str(db.parent / ".staging-")
    deadline = time.monotonic() + 30
    while not any("dbt" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
                  for pid in _processes_mentioning(staging) if Path(f"/proc/{pid}").exists()):
        assert time.monotonic() < deadline, "dbt never started"
        time.sleep(0.1)
    run.send_signal(signal.SIGTERM)  # to the refresh alone, as systemd's KillMode=mixed would
    assert run.wait(timeout=60) == 143, run.stderr.read()
    assert _wait_gone(staging) == [], "dbt or a worker outlived the refresh"
    assert not list(db.parent.glob(".staging-*"))
    assert read_run_log(db)[-1]["status"] == "interrupted"
    assert checksum(db) == clean
    summary = summary_of(refresh_cli(folder, db))
    assert summary["new"] == 1 and summary["published"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        statuses = [r[0] for r in con.execute("select run_status from marts.fct_refresh_runs order by started_at")
                    .fetchall()]
    finally:
        con.close()
    assert statuses[-2:] == ["interrupted", "success"]


def test_sigterm_and_sigkill_during_extraction_leave_no_worker_and_the_next_run_logs_them(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    (folder / "digits-1.txt").write_bytes(slow_text(1.0))
    (folder / "digits-2.txt").write_bytes(slow_text(1.0) + b"\n2")
    for sig, code in ((signal.SIGTERM, 143), (signal.SIGKILL, -signal.SIGKILL)):
        run = _start(folder, db, env={"GONGKAI_FILE_TIMEOUT_S": "600"})
        _read_until(run, "to parse")
        time.sleep(1.0)
        run.send_signal(sig)
        assert run.wait(timeout=60) == code
        assert _wait_gone(f"--db {db}") == [], f"a worker outlived the refresh after {sig.name}"
        assert checksum(db) == clean
    killed = read_run_log(db)[-1]
    assert killed["status"] == "running", "a SIGKILLed run cannot write its end"
    for name in ("digits-1.txt", "digits-2.txt"):
        (folder / name).unlink()
    summary_of(refresh_cli(folder, db))
    runs = {run["run_id"]: run["status"] for run in read_run_log(db)}
    assert runs[killed["run_id"]] == "interrupted"
    assert list(runs.values())[-3:] == ["interrupted", "interrupted", "success"]
    assert checksum(db) == clean


def test_a_failure_after_the_build_is_logged_and_publishes_nothing(baseline, tmp_path, monkeypatch):
    folder, db, clean = copy_site(baseline, tmp_path)
    shutil.copy(REPORTS / SEEDS["004"], folder / SEEDS["004"])

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(refresh_module, "export_marts", full_disk)
    with pytest.raises(OSError, match="No space left"):
        refresh(folder, db, workers=1, log=lambda *_: None)
    last = read_run_log(db)[-1]
    assert last["status"] == "failed" and "No space left" in last["message"]
    assert checksum(db) == clean and not list(db.parent.glob(".staging-*"))
    monkeypatch.undo()
    assert refresh(folder, db, workers=1, log=lambda *_: None).published


def test_an_unwritable_warehouse_folder_is_refused_with_exit_73(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for target in (blocker / "gongkai.duckdb", Path("/proc/gongkai-test/gongkai.duckdb")):
        result = refresh_cli(folder, target)
        assert result.returncode == 73, result.stderr
        assert "cannot be written" in result.stderr and "Traceback" not in result.stderr
    assert checksum(db) == clean


def test_a_read_only_published_folder_is_refused_with_exit_73(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    mounted = db.parent
    remount = subprocess.run(["mount", "--bind", str(mounted), str(mounted)], capture_output=True, check=False)
    if remount.returncode != 0:
        pytest.skip(f"no read-only mount here to try the published folder read-only: {remount.stderr!r}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mounted)], check=True)
        shutil.copy(REPORTS / SEEDS["004"], folder / SEEDS["004"])
        result = refresh_cli(folder, db)
        assert result.returncode == 73 and "Read-only file system" in result.stderr, result.stderr
    finally:
        subprocess.run(["umount", str(mounted)], check=False)
    assert checksum(db) == clean


def test_a_corrupt_warehouse_is_refused_by_every_command_and_left_as_it_is(baseline, tmp_path):
    folder, db, _ = copy_site(baseline, tmp_path)
    data = bytearray(db.read_bytes())
    data[:4096] = os.urandom(4096)
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    for command in (["refresh", "--reports", str(folder)], ["status"], ["export"], ["docs"]):
        result = subprocess.run([GONGKAI, *command, "--db", str(db)], capture_output=True, text=True, check=False)
        assert result.returncode == 65, (command, result.stderr)
        assert "cannot be opened" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_a_busy_docs_port_is_a_message_and_exit_69(baseline, tmp_path):
    _, db, _ = copy_site(baseline, tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([GONGKAI, "docs", "--serve", "--port", str(port), "--db", str(db)],
                                capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 69, result.stderr
    assert f"127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_a_limit_setting_that_is_not_a_number_is_refused_before_anything_runs(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    for name, value in (("GONGKAI_FILE_TIMEOUT_S", "ten minutes"), ("GONGKAI_WORKER_MEMORY_MB", "nan"),
                        ("GONGKAI_MAX_FILE_MB", "40MB")):
        result = refresh_cli(folder, db, env={name: value})
        assert result.returncode == 2 and name in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert checksum(db) == clean
