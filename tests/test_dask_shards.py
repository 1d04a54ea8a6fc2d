"""``gongkai shard --engine dask``: shards from a two-worker Dask cluster build the marts a folder refresh builds,
and a worker killed mid-batch leaves a missing shard (never a partial one) that a rerun fills."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import duckdb
import pytest
from conftest import GONGKAI, REPORTS, SEEDS
from sites import marts_of

from extract.load.shards import SHARD_TABLES, complete_shards, plan_batches
from extract.run.manifest import read_manifest
from extract.run.scan import scan_folder

# the cluster extra, which scripts/setup.sh installs (so CI runs these tests)
distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed: pip install -e '.[cluster]'")

# cut by the paths (--batch 3): 000-002 | 003 | 004 | broken.pdf and the three PDFs (about 2 s: the batch the
# test kills)
FILES = [*SEEDS.values(), "hzq2023_working.pdf", "hzq2024_working.pdf", "szfgs2024.pdf"]
AGENCY = "泗阳县测试局"


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([GONGKAI, *args], capture_output=True, text=True, check=False, timeout=300,
                          env={**os.environ, "GONGKAI_OCR": "0", **(env or {})})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    folder = root / "reports"
    folder.mkdir()
    for name in FILES:
        shutil.copy(REPORTS / name, folder / name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    # an override, which the workers must apply as the local pool does
    (folder / "manifest.csv").write_text(f"file,agency\n{SEEDS['004']},{AGENCY}\n", encoding="utf-8")
    db = root / "folder" / "gongkai.duckdb"
    result = _run("refresh", "--reports", str(folder), "--db", str(db), "--workers", "2", "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    return folder, db


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes; a task whose worker dies fails at once (no retry)."""
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                         dashboard_address=":0")
    with local, distributed.Client(local) as client:
        yield client


def _kill_when_running(client, key: str, process: subprocess.Popen, timeout: float = 90) -> int:
    """SIGKILL the worker process running task ``key``; its pid."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        for address, keys in client.processing().items():
            if key in keys:
                pid = client.run(os.getpid, workers=[address])[address]
                os.kill(pid, signal.SIGKILL)
                return pid
        time.sleep(0.01)
    raise AssertionError(f"task {key} was never seen running: {process.communicate()}")


def test_a_killed_worker_leaves_a_missing_shard_that_a_rerun_fills_and_the_marts_equal_a_folder_refresh(
        site, cluster, tmp_path):
    folder, by_folder = site
    shards = tmp_path / "shards"
    batches = plan_batches(scan_folder(folder, read_manifest(folder)), 3)  # as gongkai shard plans them
    assert [len(batch.jobs) for batch in batches] == [3, 1, 1, 4]
    killed = batches[3].name
    shard = subprocess.Popen([GONGKAI, "shard", "--reports", str(folder), "--out", str(shards), "--batch", "3",
                              "--engine", "dask", "--scheduler", cluster.scheduler.address],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pid = _kill_when_running(cluster, killed, shard)
    out, err = shard.communicate(timeout=120)
    assert shard.returncode == 5, out + err
    assert f"failed batch {killed} (broken.pdf and 3 more): its worker died" in err
    assert "3 shards written, 0 already complete, 1 failed (4 batches of 9 files)" in out
    assert complete_shards(shards) == {batch.name for batch in batches[:3]}
    for table in SHARD_TABLES:  # nothing of the killed batch is visible, not even a partial file
        assert [name for name in os.listdir(shards / table) if killed in name] == [], table
    assert pid not in cluster.run(os.getpid).values(), "the killed worker was replaced by a fresh one"

    written = {path: path.stat().st_mtime_ns for path in shards.glob("*/*.parquet")}
    rerun = _run("shard", "--reports", str(folder), "--out", str(shards), "--batch", "3", "--engine", "dask",
                 "--workers", "2")  # a LocalCluster of its own
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "1 shards written, 3 already complete, 0 failed" in rerun.stdout
    assert complete_shards(shards) == {batch.name for batch in batches}
    assert all(path.stat().st_mtime_ns == mtime for path, mtime in written.items()), "complete shards are kept"

    by_shards = tmp_path / "sharded" / "gongkai.duckdb"
    loaded = _run("refresh", "--from-shards", str(shards), "--db", str(by_shards), "--quiet")
    assert loaded.returncode == 0 and "9 seen, 9 new" in loaded.stdout, loaded.stdout + loaded.stderr
    marts = marts_of(by_folder)
    assert marts_of(by_shards) == marts
    con = duckdb.connect(str(by_shards), read_only=True)
    try:
        assert con.execute("select agency_name from marts.dim_reports where source_path = ?",
                           [SEEDS["004"]]).fetchall() == [(AGENCY,)]
    finally:
        con.close()
    assert len(marts["cells"]) > 685 and [row[:2] for row in marts["errors"]] == [("broken.pdf", "corrupt_pdf")]


def test_the_dask_engine_without_dask_says_how_to_install_it(site, tmp_path):
    folder, _ = site
    hidden = tmp_path / "no-dask" / "distributed"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('No module named distributed')\n")
    result = _run("shard", "--reports", str(folder), "--out", str(tmp_path / "shards"), "--engine", "dask",
                  env={"PYTHONPATH": str(hidden.parent)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--engine dask needs Dask, which is not installed: pip install -e '.[cluster]'" in result.stderr
    assert not (tmp_path / "shards").exists()


def test_a_file_past_its_time_limit_stops_its_worker_and_fails_only_its_batch(tmp_path):
    from test_run_faults import slow_text  # about 8 s of layout reading

    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REPORTS / SEEDS["001"], folder / SEEDS["001"])
    (folder / "digits.txt").write_bytes(slow_text(0.3))
    started = time.monotonic()
    result = _run("shard", "--reports", str(folder), "--out", str(tmp_path / "shards"), "--batch", "1",
                  "--engine", "dask", "--workers", "1", env={"GONGKAI_FILE_TIMEOUT_S": "2"})
    assert result.returncode == 5, result.stdout + result.stderr
    assert time.monotonic() - started < 60
    assert "1 shards written, 0 already complete, 1 failed (2 batches of 2 files)" in result.stdout
    # the worker says why it stopped (twice: the batch is tried once more on a fresh worker)
    assert result.stderr.count("digits.txt took more than 2 s (GONGKAI_FILE_TIMEOUT_S): stopping this worker") == 2
    assert "(digits.txt): its worker died while extracting it" in result.stderr
