"""Operator mistakes never empty or poison the published warehouse (issue 13, items 1–3, 9–11).

Each test makes the mistake for real against a published warehouse built from three seed
reports, checks it was refused or confined to the files concerned, then runs an ordinary
refresh and checks the marts equal a clean build's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import duckdb
import pytest
from conftest import REPORTS, SEEDS
from sites import GONGKAI, GOOD, build_baseline, checksum, copy_site, refresh_cli, summary_of

from extract.run.refresh import read_run_log


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return build_baseline(tmp_path_factory)


def test_a_missing_or_mistyped_reports_folder_is_refused_and_withdraws_nothing(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    for wrong, words in ((tmp_path / "mnt" / "typo", "does not exist"), (folder / SEEDS["001"], "is not a folder")):
        result = refresh_cli(wrong, db)
        assert result.returncode == 2, result.stderr
        assert words in result.stderr and "refused" in result.stderr
        assert checksum(db) == clean
    runs = read_run_log(db)
    assert [(r["status"], r["refused"]) for r in runs[-2:]] == [("refused", "reports_folder_missing")] * 2
    status = subprocess.run([GONGKAI, "status", "--json", "--db", str(db)], capture_output=True, text=True, check=True)
    shown = json.loads(status.stdout)
    assert [run["status"] for run in shown["runs"][:2]] == ["refused", "refused"]
    assert shown["published"]["quarantined_files"] == 0 and sum(shown["published"]["reports_by_quality"].values()) == 3
    assert (db.parent / "logs" / "dbt" / "dbt.log").exists(), "dbt logs beside the warehouse, not in the project"
    assert summary_of(refresh_cli(folder, db))["unchanged"] == 3
    assert checksum(db) == clean


def test_an_empty_folder_is_refused_a_share_limit_holds_and_withdrawn_reports_come_back(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    held = tmp_path / "held"
    shutil.move(folder, held)
    folder.mkdir()  # an unmounted share: the mount point is there, empty

    refused = refresh_cli(folder, db)
    assert refused.returncode == 3, refused.stderr
    assert "would withdraw all 3 loaded reports" in refused.stderr
    assert checksum(db) == clean

    shutil.copy(held / SEEDS["001"], folder / SEEDS["001"])
    limited = refresh_cli(folder, db, "--max-withdraw", "0.5")
    assert limited.returncode == 3 and "2 of 3 loaded reports" in limited.stderr
    assert checksum(db) == clean

    one_left = summary_of(refresh_cli(folder, db))
    assert one_left["removed"] == 2 and one_left["published"]
    (folder / SEEDS["001"]).unlink()
    assert refresh_cli(folder, db).returncode == 3
    everything = summary_of(refresh_cli(folder, db, "--allow-withdraw-all"))
    assert everything["removed"] == 1 and everything["published"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from marts.dim_reports where report_status = 'active'").fetchone()[0] == 0
        assert con.execute("select count(*) from marts.fct_report_cells").fetchone()[0] == 0
    finally:
        con.close()

    shutil.rmtree(folder)
    shutil.move(held, folder)
    back = summary_of(refresh_cli(folder, db))
    assert (back["reparsed"], back["unchanged"], back["dbt_status"]) == (3, 0, "success")
    assert checksum(db) == clean


def test_every_fact_drops_a_withdrawn_report_and_its_agency_stays_listed(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    con = duckdb.connect(str(db), read_only=True)
    gone_id, gone_agency, gone_year = con.execute(
        "select report_id, agency_id, report_year from marts.dim_reports where source_path = ?",
        [SEEDS["002"]]).fetchone()
    con.close()
    (folder / SEEDS["002"]).unlink()
    summary_of(refresh_cli(folder, db))
    con = duckdb.connect(str(db), read_only=True)
    try:
        status, primary = con.execute("select report_status, is_primary from marts.dim_reports where report_id = ?",
                                      [gone_id]).fetchone()
        assert (status, primary) == ("withdrawn", False)
        for mart in ("fct_report_cells", "fct_proactive_disclosures", "fct_requests", "fct_request_outcomes",
                     "fct_review_litigation", "fct_report_metrics"):
            total = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
            held = con.execute(f"select count(*) from marts.{mart} where report_id = ?", [gone_id]).fetchone()[0]
            assert total > 0 and held == 0, mart
        assert con.execute("select count(*) from marts.fct_agency_year_metrics where agency_id = ? and report_year = ?",
                           [gone_agency, gone_year]).fetchone()[0] == 0
        assert con.execute("select report_count from marts.dim_agencies where agency_id = ?",
                           [gone_agency]).fetchone() == (0,)
    finally:
        con.close()
    shutil.copy(REPORTS / SEEDS["002"], folder / SEEDS["002"])
    summary_of(refresh_cli(folder, db))
    assert checksum(db) == clean


def test_a_failed_file_that_leaves_and_comes_back_is_read_again(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    (folder / "zero.txt").write_bytes(b"")
    first = summary_of(refresh_cli(folder, db))
    assert [e[:2] for e in first["errors"]] == [["zero.txt", "empty_file"]]
    shutil.move(folder / "zero.txt", tmp_path / "zero.txt")
    assert summary_of(refresh_cli(folder, db))["removed"] == 1
    shutil.move(tmp_path / "zero.txt", folder / "zero.txt")
    back = summary_of(refresh_cli(folder, db))
    assert back["reparsed"] == 1 and [e[:2] for e in back["errors"]] == [["zero.txt", "empty_file"]]
    (folder / "zero.txt").unlink()
    summary_of(refresh_cli(folder, db))
    assert checksum(db) == clean


def test_two_warehouses_in_one_folder_the_second_is_refused(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    docs = (db.parent / "docs" / "index.html").stat().st_mtime_ns
    other = db.parent / "second.duckdb"
    result = refresh_cli(folder, other)
    assert result.returncode == 2 and "holds the warehouse gongkai.duckdb" in result.stderr
    assert not other.exists() and (db.parent / "docs" / "index.html").stat().st_mtime_ns == docs
    for command in (["export"], ["status"], ["docs"]):
        refused = subprocess.run([GONGKAI, *command, "--db", str(other)], capture_output=True, text=True, check=False)
        assert refused.returncode == 2 and "holds the warehouse" in refused.stderr, command
    assert checksum(db) == clean


def test_a_warehouse_path_with_an_apostrophe_builds_exports_and_publishes(baseline, tmp_path):
    folder, _, clean = copy_site(baseline, tmp_path)
    db = tmp_path / "O'Brien's" / "gongkai.duckdb"
    summary = summary_of(refresh_cli(folder, db, "--csv"))
    assert summary["published"] and (db.parent / "export" / "fct_report_cells.csv").exists()
    assert checksum(db) == clean


def _manifest(long_name: str) -> str:
    return ("file,agency,year,url,division_code,scope\n"
            f"{SEEDS['001']},,99999999999,,,\n"
            f"{SEEDS['002']},{long_name},,,,\n"
            f"{SEEDS['003']},,,,,county\n"
            f"{SEEDS['004']},\"=cmd|'/Ccalc'!A0淄博市张店区人民政府\",,,,\n")


def test_bad_manifest_rows_are_their_files_errors_and_the_rest_loads(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    shutil.copy(REPORTS / SEEDS["004"], folder / SEEDS["004"])
    (folder / "manifest.csv").write_text(_manifest("某" * 200_000), encoding="utf-8")
    summary = summary_of(refresh_cli(folder, db, "--csv"))
    errors = {path: (error_class, message) for path, error_class, message in summary["errors"]}
    assert {path: error[0] for path, error in errors.items()} == {SEEDS[s]: "bad_manifest_row" for s in GOOD}
    assert "line 2: year" in errors[SEEDS["001"]][1] and "line 4: scope" in errors[SEEDS["003"]][1]
    assert "characters long" in errors[SEEDS["002"]][1]
    assert summary["new"] == 1 and summary["published"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        active = con.execute("select count(*) from marts.dim_reports where report_status = 'active'").fetchone()[0]
        agency = con.execute("select agency_name from marts.dim_reports where source_path = ?",
                             [SEEDS["004"]]).fetchone()[0]
    finally:
        con.close()
    assert active == 4, "a bad row keeps its file's earlier load"
    assert agency.startswith("=cmd")
    csv_text = (db.parent / "export" / "dim_reports.csv").read_text(encoding="utf-8-sig")
    assert ",'=cmd|" in csv_text and ",=cmd" not in csv_text

    (folder / "manifest.csv").write_text("agency,year\n某局,2023\n", encoding="utf-8")
    no_header = summary_of(refresh_cli(folder, db))
    assert [e[:2] for e in no_header["errors"]] == [["manifest.csv", "bad_manifest"]]
    assert (no_header["reparsed"], no_header["unchanged"]) == (3, 1), "rows once bad are read without overrides"
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select agency_name from marts.dim_reports where source_path = ?",
                           [SEEDS["004"]]).fetchone()[0].startswith("=cmd"), "an unusable manifest changes no load"
    finally:
        con.close()

    (folder / "manifest.csv").write_text("file,agency\n", encoding="utf-8")
    fixed = summary_of(refresh_cli(folder, db))
    assert fixed["errors"] == [] and fixed["changed"] == 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_load_errors").fetchone()[0] == 0
    finally:
        con.close()
    shutil.copytree(folder, tmp_path / "clean-reports")
    clean_db = tmp_path / "clean" / "gongkai.duckdb"
    summary_of(refresh_cli(tmp_path / "clean-reports", clean_db))
    assert checksum(db) == checksum(clean_db)


def test_links_out_of_the_folder_and_fifos_are_recorded_never_read(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(REPORTS / SEEDS["004"], outside / "secret.txt")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "sub").symlink_to(outside, target_is_directory=True)
    (folder / "gone.txt").symlink_to(folder / "nothing-here.txt")
    (folder / "same.txt").symlink_to(folder / SEEDS["001"])
    (folder / "loop").symlink_to(folder / "loop")
    os.mkfifo(folder / "pipe.txt")
    summary = summary_of(refresh_cli(folder, db))
    errors = {path: error_class for path, error_class, _ in summary["errors"]}
    assert errors == {"secret.txt": "link_outside_folder", "sub": "link_outside_folder", "gone.txt": "broken_link",
                      "loop": "broken_link", "pipe.txt": "not_a_regular_file"}
    con = duckdb.connect(str(db), read_only=True)
    try:
        paths = {row[0] for row in con.execute("select source_path from raw.reports").fetchall()}
    finally:
        con.close()
    assert "secret.txt" not in paths and not any(p.startswith("sub/") for p in paths)
    for name in ("secret.txt", "sub", "gone.txt", "same.txt", "loop", "pipe.txt"):
        (folder / name).unlink()
    summary_of(refresh_cli(folder, db))
    assert checksum(db) == clean


def _without_root_privileges() -> list[str]:
    """A command prefix that drops root's right to read any file (so a chmod 000 file is unreadable)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot make a file unreadable")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]


def test_an_unreadable_file_is_its_own_error_and_its_earlier_load_stays(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    locked = folder / SEEDS["001"]
    locked.chmod(0)
    command = [*_without_root_privileges(), GONGKAI, "refresh", "--reports", str(folder), "--db", str(db), "--json"]
    summary = summary_of(subprocess.run(command, capture_output=True, text=True, check=False, timeout=600))
    assert [e[:2] for e in summary["errors"]] == [[SEEDS["001"], "unreadable_file"]]
    assert "Permission denied" in summary["errors"][0][2]
    assert checksum(db) == clean, "the report read before stays published"
    locked.chmod(0o644)
    again = summary_of(refresh_cli(folder, db))
    assert again["errors"] == [] and again["reparsed"] == 1
    assert checksum(db) == clean


def test_file_names_in_gbk_bytes_are_read_under_their_chinese_name(tmp_path):
    from extract.run.scan import scan_folder

    data = (REPORTS / SEEDS["001"]).read_bytes()
    for name, raws, expected in (
        ("alone", ["年报 2023.txt".encode("gbk"), b"\xff\xfe.txt"], {"年报 2023.txt", "\\xff\\xfe.txt"}),
        ("beside", ["年报 2023.txt".encode("gbk"), "年报 2023.txt".encode()],
         {"年报 2023.txt", "\\xc4걨 2023.txt"}),  # the UTF-8 name keeps its name; the other shows its bytes
    ):
        folder = tmp_path / name
        folder.mkdir()
        for raw in raws:
            with open(os.path.join(os.fsencode(folder), raw), "wb") as handle:
                handle.write(data)
        jobs = scan_folder(folder)
        assert {job.rel for job in jobs} == expected
        assert {job.problem for job in jobs} == {None} and all(job.path.read_bytes() == data for job in jobs)


def test_a_folder_that_cannot_be_listed_withdraws_nothing(tmp_path):
    folder = tmp_path / "reports"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(REPORTS / SEEDS["001"], folder / "locked" / SEEDS["001"])
    (folder / "locked").chmod(0)
    script = ("import json, sys; from pathlib import Path; from extract.run.scan import scan_folder; "
              "jobs = scan_folder(Path(sys.argv[1]), known_sha={sys.argv[2]: 'abc'}); "
              "print(json.dumps([[job.rel, job.sha256, job.problem] for job in jobs]))")
    try:
        result = subprocess.run([*_without_root_privileges(), sys.executable, "-c", script, str(folder),
                                 f"locked/{SEEDS['001']}"], capture_output=True, text=True, check=True)
    finally:
        (folder / "locked").chmod(0o755)
    [[rel, sha256, (error_class, message)]] = json.loads(result.stdout)
    assert (rel, sha256, error_class) == (f"locked/{SEEDS['001']}", "abc", "unreadable_file")
    assert "cannot be listed: Permission denied" in message


def test_moving_every_file_into_a_subfolder_is_not_a_withdrawal(baseline, tmp_path):
    folder, db, clean = copy_site(baseline, tmp_path)
    (folder / "2023").mkdir()
    for seed in GOOD:
        shutil.move(folder / SEEDS[seed], folder / "2023" / SEEDS[seed])
    summary = summary_of(refresh_cli(folder, db))
    assert (summary["removed"], summary["new"]) == (3, 3)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select source_path, report_status from marts.dim_reports order by 1").fetchall()
    finally:
        con.close()
    assert rows == [(f"2023/{SEEDS[s]}", "active") for s in GOOD]


def test_a_memory_limit_duckdb_cannot_read_is_refused_before_anything_opens(baseline, tmp_path):
    """``GONGKAI_DUCKDB_MEMORY=8 GB`` (a space), ``lots`` or a quote: exit 2 with the variable named, the
    published warehouse untouched; a valid one bounds gongkai's own DuckDB connections, not only dbt's."""
    from extract.load.duck import open_duckdb
    from extract.load.warehouse import connect

    folder, db, clean = copy_site(baseline, tmp_path)
    for wrong in ("lots", "8 GiBs", "1GB'; drop schema marts cascade; --"):
        result = refresh_cli(folder, db, env={"GONGKAI_DUCKDB_MEMORY": wrong})
        assert result.returncode == 2, result.stderr
        assert "GONGKAI_DUCKDB_MEMORY" in result.stderr and "not a DuckDB memory limit" in result.stderr
        assert checksum(db) == clean
    os.environ["GONGKAI_DUCKDB_MEMORY"] = "700MB"
    try:
        other = duckdb.connect(str(tmp_path / "other.duckdb"))  # a connection of the user's own, left open
        for con in (open_duckdb(db, read_only=True), connect(tmp_path / "new.duckdb"),
                    open_duckdb(tmp_path / "other.duckdb")):
            assert con.execute("select current_setting('memory_limit')").fetchone()[0] == "667.5 MiB"
            con.close()
        other.close()
    finally:
        del os.environ["GONGKAI_DUCKDB_MEMORY"]
