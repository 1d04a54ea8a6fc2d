"""A refresh that changes nothing decides so on the published warehouse, read-only: no copy, no staging
folder, the published file untouched, and the run logged as the copying path logged it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import REPORTS, SEEDS
from sites import GOOD

import extract.run.refresh as refresh_module
from extract.fetch.log import fetch_log_dir
from extract.paths import STAGING_PREFIX
from extract.run.hashcache import HashCache
from extract.run.nochange import NOTHING_CHANGED, Decision, decide
from extract.run.refresh import read_run_log, refresh
from extract.run.summary import RefreshOptions, RefreshSummary

VOLATILE = ("run_id", "started_at", "finished_at", "pid")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path]:
    """A published warehouse of three seed reports, a broken link, a bad manifest row and a rejected
    correction (each recorded again by every refresh), and a snapshot of it."""
    root = tmp_path_factory.mktemp("nochange")
    folder = root / "site" / "reports"
    folder.mkdir(parents=True)
    for seed in GOOD:
        shutil.copy(REPORTS / SEEDS[seed], folder / SEEDS[seed])
    (folder / "gone.pdf").symlink_to(folder / "nowhere.pdf")
    (folder / "manifest.csv").write_text(f"file,year\n{SEEDS[GOOD[0]]},not a year\n", encoding="utf-8")
    (folder / "corrections.csv").write_text(f"file,table_no,row_key,col_key,value,note\n"
                                            f"{SEEDS[GOOD[1]]},2,no_such_row,x,5,\n", encoding="utf-8")
    summary = refresh(folder, root / "site" / "warehouse" / "gongkai.duckdb", workers=2, log=lambda _: None)
    assert summary.published and summary.dbt_status == "success"
    shutil.copytree(root / "site", root / "snapshot", symlinks=True)
    return root / "site", root / "snapshot"


def _copy(site: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """The site as it was built, at the path it was built at (a broken link's error names its path)."""
    where, snapshot = site
    shutil.rmtree(where)
    shutil.copytree(snapshot, where, symlinks=True)
    return where / "reports", where / "warehouse" / "gongkai.duckdb"


def _file_state(db: Path) -> tuple:
    stat = db.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size, hashlib.sha256(db.read_bytes()).hexdigest()


def _outcome(db: Path) -> dict:
    last = read_run_log(db)[-1]
    return {key: value for key, value in last.items() if key not in VOLATILE}


def _watch_copies(monkeypatch) -> list[Path]:
    copies: list[Path] = []
    real = refresh_module.start_staging

    def start_staging(db_path: Path, staging: Path) -> None:
        copies.append(staging)
        real(db_path, staging)

    monkeypatch.setattr(refresh_module, "start_staging", start_staging)
    return copies


def test_a_no_change_refresh_copies_nothing_and_is_logged_as_the_copying_path_logs_it(site, tmp_path, monkeypatch):
    folder, db = _copy(site, tmp_path)
    copies = _watch_copies(monkeypatch)
    before = _file_state(db)
    lines: list[str] = []
    summary = refresh(folder, db, workers=2, log=lines.append)
    assert copies == [] and not list(db.parent.glob(f"{STAGING_PREFIX}*"))
    assert _file_state(db) == before, "the published file is untouched: same inode, mtime and bytes"
    assert (summary.status, summary.dbt_status, summary.published, summary.message) == (
        "success", "skipped", False, NOTHING_CHANGED)
    assert (summary.files_seen, summary.unchanged, summary.failed, summary.corrections_applied) == (4, 2, 2, 0)
    assert [error[:2] for error in summary.errors] == [(SEEDS[GOOD[0]], "bad_manifest_row"), ("gone.pdf", "broken_link")]
    assert [line for line, _ in summary.correction_problems] == [2] and summary.marts["reports"] == 2
    fast = _outcome(db)
    assert fast["status"] == "success" and fast["dbt_status"] == "skipped" and fast["published"] is False

    # the same run through the copy (the decision taken on the staging copy, as before): the same record
    monkeypatch.setattr(refresh_module, "decide", lambda *args: Decision(None))
    copied_lines: list[str] = []
    copied = refresh(folder, db, workers=2, log=copied_lines.append)
    assert len(copies) == 1 and not copies[0].parent.exists()
    assert _file_state(db) == before
    assert _outcome(db) == fast
    assert (copied.errors, copied.correction_problems, copied.marts) == (
        summary.errors, summary.correction_problems, summary.marts)
    assert copied_lines == lines


@pytest.mark.parametrize(("change", "why"), [
    ("new file", "1 files to parse"), ("changed file", "1 files to parse"), ("removed file", "1 removed"),
    ("override", "1 files to parse"), ("manifest fixed", "1 files to parse"), ("corrections", "the corrections"),
    ("link fixed", "1 files to parse"), ("fetch log", "1 fetch log records"), ("project", "the project")])
def test_any_change_is_seen_before_the_copy(site, tmp_path, monkeypatch, change, why):
    folder, db = _copy(site, tmp_path)
    seed = folder / SEEDS[GOOD[2]]
    if change == "new file":
        shutil.copy(REPORTS / SEEDS["004"], folder / "new.txt")
    elif change == "changed file":
        seed.write_bytes(seed.read_bytes() + "\n（补充说明）\n".encode())
    elif change == "removed file":
        seed.unlink()
    elif change == "override":
        (folder / "manifest.csv").write_text(f"file,year\n{SEEDS[GOOD[0]]},not a year\n{seed.name},2024\n",
                                             encoding="utf-8")
    elif change == "manifest fixed":
        (folder / "manifest.csv").unlink()
    elif change == "corrections":
        (folder / "corrections.csv").write_text("file,table_no,row_key,col_key,value,note\n", encoding="utf-8")
    elif change == "link fixed":
        (folder / "gone.pdf").unlink()
        shutil.copy(REPORTS / "szfgs2024.pdf", folder / "gone.pdf")
    elif change == "fetch log":
        fetch_log_dir(db).mkdir(parents=True, exist_ok=True)
        record = {"fetch_run_id": "f1", "seq": 1, "url": "https://example.gov.cn/a.pdf", "outcome": "not_found"}
        (fetch_log_dir(db) / "f1.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    elif change == "project":
        monkeypatch.setattr("extract.run.nochange.build_fingerprint", lambda: "another project")
    summary = RefreshSummary(run_id="test")
    decision = decide(db, folder, RefreshOptions(), HashCache(None, str(folder)), summary, lambda _: None)
    assert not decision.unchanged and why in decision.why and decision.scan is not None
    assert summary.status == "running" and summary.files_seen == 0, "the summary is left to the load"


def test_runs_that_fetch_load_shards_or_skip_dbt_always_copy(site, tmp_path):
    folder, db = _copy(site, tmp_path)
    for options in (RefreshOptions(fetch_sources=tmp_path / "SOURCES.csv"), RefreshOptions(shards=tmp_path),
                    RefreshOptions(run_dbt_build=False)):
        assert decide(db, folder, options, HashCache(None, str(folder)), RefreshSummary(run_id="x"),
                      lambda _: None) == Decision(None)
    assert decide(db, folder, RefreshOptions(), HashCache(None, str(folder)), RefreshSummary(run_id="x"),
                  lambda _: None).unchanged
    empty = tmp_path / "empty.duckdb"  # a warehouse file without raw (or an older raw): the load decides
    duckdb.connect(str(empty)).close()
    assert decide(empty, folder, RefreshOptions(), HashCache(None, str(folder)), RefreshSummary(run_id="x"),
                  lambda _: None) == Decision(None)


def test_the_withdrawal_guard_refuses_before_any_copy(site, tmp_path, monkeypatch):
    folder, db = _copy(site, tmp_path)
    copies = _watch_copies(monkeypatch)
    for seed in GOOD:
        (folder / SEEDS[seed]).unlink()
    before = _file_state(db)
    with pytest.raises(refresh_module.Refused) as refused:
        refresh(folder, db, workers=2, log=lambda _: None)
    assert refused.value.reason == "withdraw_all" and copies == [] and _file_state(db) == before
    assert _outcome(db)["status"] == "refused" and _outcome(db)["refused"] == "withdraw_all"


def test_the_scan_reads_a_file_again_only_when_its_stat_changed(tmp_path):
    from extract.run.scan import scan_folder

    folder = tmp_path / "reports"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(f"report {n}\n", encoding="utf-8")
    old = 1_600_000_000_000_000_000  # files last written long ago: their hashes are kept
    for path in folder.iterdir():
        os.utime(path, ns=(old, old))
    cache_path = tmp_path / "logs" / "scan_cache.parquet"
    first = HashCache.load(cache_path, folder)
    jobs = scan_folder(folder, cache=first)
    first.save()
    assert (first.hashed, first.reused) == (3, 0)
    # ctime is the moment of the utime call (now): racy, so re-read on the next scan until it ages
    again = HashCache.load(cache_path, folder)
    scan_folder(folder, cache=again)
    assert again.hashed == 3, "a file changed within RACY_NS of its hashing is hashed again"

    monkey = HashCache.load(cache_path, folder)
    monkey.entries = {job.rel: (_stamp(folder / job.rel), job.sha256) for job in jobs}  # as if aged
    same = scan_folder(folder, cache=monkey)
    assert (monkey.hashed, monkey.reused) == (0, 3) and same == jobs
    (folder / "1.txt").write_text("report 1, corrected\n", encoding="utf-8")  # new size, mtime, ctime
    os.utime(folder / "1.txt", ns=(old, old))  # even with its old mtime back: ctime moved
    changed = scan_folder(folder, cache=monkey)
    assert monkey.hashed == 1 and changed[1].sha256 == hashlib.sha256(b"report 1, corrected\n").hexdigest()
    assert [job.sha256 for job in changed if job.rel != "1.txt"] == [job.sha256 for job in jobs if job.rel != "1.txt"]
    # another folder at the same cache, or a cache cut short: nothing is taken from it
    assert HashCache.load(cache_path, tmp_path).entries == {}
    assert len(HashCache.load(cache_path, folder).entries) == 0  # every hash so far was racy: none kept
    monkey.save()  # the corrected file was hashed just now: kept from a later scan on
    assert set(HashCache.load(cache_path, folder).entries) == {"0.txt", "2.txt"}
    cache_path.write_bytes(cache_path.read_bytes()[:40])
    assert HashCache.load(cache_path, folder).entries == {}


def _stamp(path: Path):
    from extract.run.hashcache import Stamp

    return Stamp.of(path.stat())
