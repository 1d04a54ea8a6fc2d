"""``gongkai refresh --fetch`` and ``gongkai fetch`` against real HTTP servers on the loopback address.

Two portals (127.0.0.1 and 127.0.0.2) and a dead host (127.0.0.3, nothing listening) serve a GBK
listing with pagination, an HTML report, a page that links its PDF as an attachment, a DOCX
behind a wrong Content-Type and no extension, a PDF that fails twice with 500, one that times
out, a 404, an oversized file and a page that is no report; robots.txt disallows /private/.
The run is the real command in a real process; the warehouse is the real DuckDB file.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import REPORTS
from fetch_site import Resource, Site
from render import make_report, to_docx, to_html

from extract.fetch.run import FetchOptions, fetch

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
DELAY = 0.3
FLAGS = ["--delay", str(DELAY), "--timeout", "0.5", "--retries", "2", "--max-bytes", "500000", "--max-pages", "2",
         "--contact", "mailto:data-desk@example.org"]
NO_PROXY_ENV = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


def _listing(links: list[tuple[str, str]], title: str = "政府信息公开年报") -> bytes:
    items = "\n".join(f'<li><a href="{href}" title="{text}">{text}</a><span>2024-01-20</span></li>'
                      for href, text in links)
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>{title}</title>'
            f'</head><body><div class="nav"><a href="/">首页</a> <a href="/xxgk/">政务公开</a></div>'
            f'<ul class="list">{items}</ul></body></html>').encode("gbk")


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    root = tmp_path_factory.mktemp("fetch")
    a, b = Site("127.0.0.1").start(), Site("127.0.0.2").start()
    html_report = to_html(make_report("2021", agency="泗阳县人民政府", year=2023), "gbk")
    docx_report = to_docx(make_report("2021", agency="沭阳县人民政府", year=2020, seed=3))
    a.resources.update({
        "/robots.txt": Resource(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/xxgk/nb/index.html": Resource(_listing([
            ("2023.html", "泗阳县2023年政府信息公开工作年度报告"),
            ("/xxgk/nb/2022.html", "泗阳县2022年政府信息公开工作年度报告"),
            ("/private/2021.html", "2021年政府信息公开年报"),
            ("/xxgk/tz/1.html", "关于做好节日期间安全工作的通知"),
            ("index_1.html", "下一页"),
        ])),
        "/xxgk/nb/index_1.html": Resource(_listing([
            ("/files/2020", "2020年年报"),
            ("/flaky/2019.pdf", "2019年年报"),
            ("/slow/2018.pdf", "2018年年报"),
            ("/missing/2017.pdf", "2017年年报"),
            ("/big/2016.pdf", "2016年年报"),
            ("/xxgk/nb/2015.html", "2015年年报"),
            ("index_2.html", "下一页"),
        ])),
        "/xxgk/nb/index_2.html": Resource(_listing([("/files/2014.pdf", "2014年年报")])),
        "/xxgk/nb/2023.html": Resource(html_report),
        "/xxgk/nb/2022.html": Resource(
            '<html><head><meta charset="gbk"><title>洪泽区2022年政府信息公开工作年度报告</title></head><body>'
            '<h1>洪泽区2022年政府信息公开工作年度报告</h1><p>发布日期：2023-01-30</p>'
            '<p>附件：<a href="/files/P020230130.pdf">下载</a></p>'
            '<div class="side"><a href="/files/form.doc">政府信息公开申请表.doc</a></div></body></html>'.encode("gbk")),
        "/files/P020230130.pdf": Resource((REPORTS / "hzq2023_working.pdf").read_bytes(), "application/octet-stream"),
        "/files/2020": Resource(docx_report, "text/html", etag=False),
        "/flaky/2019.pdf": Resource((REPORTS / "hzq2024_working.pdf").read_bytes(), "application/pdf", fail_first=2),
        "/slow/2018.pdf": Resource(b"%PDF-1.4 never sent", "application/pdf", sleep=2.0),
        "/big/2016.pdf": Resource(b"%PDF-1.4\n" + b"0" * 800_000, "application/pdf", send_length=False),
        "/xxgk/nb/2015.html": Resource("<html><body><p>2015年年报已移至档案馆。</p></body></html>".encode("gbk")),
        "/private/2021.html": Resource(html_report),
        "/xxgk/tz/1.html": Resource(b"<html><body>notice</body></html>"),
        "/files/2014.pdf": Resource((REPORTS / "hzq2024_working.pdf").read_bytes(), "application/pdf"),
    })
    b.resources["/nb/2024.pdf"] = Resource((REPORTS / "szfgs2024.pdf").read_bytes(), "application/pdf")
    sources = root / "SOURCES.csv"
    with sources.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["url", "kind", "agency", "year", "link_pattern"])
        writer.writerow([f"{a.base}/xxgk/nb/index.html", "listing", "", "", ""])
        writer.writerow([f"{b.base}/nb/2024.pdf", "file", "淮安市人民政府办公室", "2024", ""])
        writer.writerow(["http://127.0.0.3:9/nb/2024.pdf", "file", "", "", ""])
        writer.writerow(["ftp://127.0.0.1/nb.pdf", "file", "", "", ""])
    reports = root / "reports"
    reports.mkdir()
    db = root / "warehouse" / "gongkai.duckdb"
    first = subprocess.run([GONGKAI, "refresh", "--fetch", str(sources), "--reports", str(reports), "--db", str(db),
                            "--json", *FLAGS], capture_output=True, text=True, timeout=600, check=False,
                           env={**NO_PROXY_ENV, "GONGKAI_OCR": "0"})
    first_hits = {"a": list(a.hits), "b": list(b.hits)}
    files_before = {p.relative_to(reports).as_posix(): p.stat().st_mtime_ns for p in reports.rglob("*") if p.is_file()}
    a.hits.clear()
    b.hits.clear()
    second = subprocess.run([GONGKAI, "fetch", "--sources", str(sources), "--reports", str(reports), "--db", str(db),
                             "--json", *FLAGS], capture_output=True, text=True, timeout=600, check=False,
                            env=NO_PROXY_ENV)
    third = subprocess.run([GONGKAI, "refresh", "--reports", str(reports), "--db", str(db), "--json"],
                           capture_output=True, text=True, timeout=600, check=False, env={**NO_PROXY_ENV, "GONGKAI_OCR": "0"})
    yield {"a": a, "b": b, "reports": reports, "db": db, "first": first, "second": second, "third": third,
           "first_hits": first_hits, "files_before": files_before}
    a.close()
    b.close()


def _port(site: Site) -> str:
    return f"{site.host}_{site.server.server_address[1]}"


def test_refresh_fetch_loads_exactly_the_allowed_reports_with_their_urls(portal):
    first = portal["first"]
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    summary = json.loads(first.stdout)
    assert summary["published"] and summary["dbt_status"] == "success"
    a, b = portal["a"], portal["b"]
    expected = {
        f"{_port(a)}/xxgk/nb/2023.html": f"{a.base}/xxgk/nb/2023.html",
        f"{_port(a)}/files/P020230130.pdf": f"{a.base}/files/P020230130.pdf",
        f"{_port(a)}/files/2020.docx": f"{a.base}/files/2020",
        f"{_port(a)}/flaky/2019.pdf": f"{a.base}/flaky/2019.pdf",
        f"{_port(b)}/nb/2024.pdf": f"{b.base}/nb/2024.pdf",
    }
    on_disk = {p.relative_to(portal["reports"]).as_posix() for p in portal["reports"].rglob("*")
               if p.is_file() and not p.name.startswith(".") and p.name != "manifest.csv"}
    assert on_disk == set(expected)
    con = duckdb.connect(str(portal["db"]), read_only=True)
    try:
        loaded = dict(con.execute("select source_path, source_url from marts.dim_reports").fetchall())
        formats = dict(con.execute("select source_path, source_format from marts.dim_reports").fetchall())
        override = con.execute("select agency_name, report_year from marts.dim_reports where source_path = ?",
                               [f"{_port(b)}/nb/2024.pdf"]).fetchone()
        errors = con.execute("select count(*) from marts.fct_load_errors").fetchone()[0]
    finally:
        con.close()
    assert loaded == expected
    assert formats[f"{_port(a)}/files/2020.docx"] == "docx"  # served as text/html: the bytes decide
    assert override == ("淮安市人民政府办公室", 2024)
    assert errors == 0
    assert summary["fetch"]["failures"] == 7


def test_every_failure_is_recorded_with_its_reason_in_the_mart(portal):
    a = portal["a"]
    con = duckdb.connect(str(portal["db"]), read_only=True)
    try:
        rows = con.execute("select url, url_role, outcome, is_failure, http_status, attempts, message, report_id "
                           "from marts.fct_fetch_log where refresh_run_id is not null").fetchall()
    finally:
        con.close()
    log = {url: (role, outcome, failed, status, attempts, message, report) for url, role, outcome, failed, status,
           attempts, message, report in rows}
    assert log[f"{a.base}/private/2021.html"][1:5] == ("robots_disallowed", True, None, 0)
    assert "disallows" in log[f"{a.base}/private/2021.html"][5]
    assert log[f"{a.base}/missing/2017.pdf"][1:4] == ("http_404", True, 404)
    assert log[f"{a.base}/missing/2017.pdf"][4] == 1  # a 4xx is never retried
    assert log[f"{a.base}/slow/2018.pdf"][1:5] == ("timeout", True, None, 3)
    assert log[f"{a.base}/big/2016.pdf"][1:4] == ("too_large", True, 200)
    assert "500000" in log[f"{a.base}/big/2016.pdf"][5]
    assert log[f"{a.base}/xxgk/nb/2015.html"][1] == "not_a_report"
    assert log[f"{a.base}/flaky/2019.pdf"][1:5] == ("fetched", False, 200, 3)
    assert log[f"{a.base}/flaky/2019.pdf"][6] is not None  # loaded: tied to its report
    assert log[f"{a.base}/xxgk/nb/2022.html"][:2] == ("page", "followed")
    assert log[f"{a.base}/files/P020230130.pdf"][:2] == ("attachment", "fetched")
    assert "served as text/html, read as docx" in log[f"{a.base}/files/2020"][5]
    assert log["http://127.0.0.3:9/nb/2024.pdf"][1:3] == ("connection_error", True)
    assert log["http://127.0.0.3:9/nb/2024.pdf"][4] == 3
    assert log["ftp://127.0.0.1/nb.pdf"][1] == "bad_source"
    assert f"{a.base}/files/form.doc" not in log  # a side-bar form is no attachment of the report
    assert sum(failed for _, _, failed, *_ in log.values()) == 7


def test_robots_pattern_and_page_limit_keep_requests_to_the_allowed_pages(portal):
    paths = [hit.path for hit in portal["first_hits"]["a"] + portal["a"].hits]  # both runs
    assert not [p for p in paths if p.startswith("/private/")]
    assert "/xxgk/tz/1.html" not in paths  # the link does not match the pattern
    assert "/xxgk/nb/index_2.html" not in paths and "/files/2014.pdf" not in paths  # --max-pages 2
    assert "/files/form.doc" not in paths
    agents = {hit.headers.get("User-Agent") for hits in portal["first_hits"].values() for hit in hits}
    assert len(agents) == 1 and agents.pop().startswith("gongkai/")
    assert all("mailto:data-desk@example.org" in hit.headers["User-Agent"] for hit in portal["first_hits"]["a"])


def test_one_request_at_a_time_per_host_with_the_delay(portal):
    for name, hits in portal["first_hits"].items():
        times = sorted(hit.at for hit in hits)
        assert len(times) >= 2, name
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert min(gaps) >= DELAY - 0.01, (name, min(gaps))
    flaky = [hit.at for hit in portal["first_hits"]["a"] if hit.path == "/flaky/2019.pdf"]
    assert len(flaky) == 3 and flaky[2] - flaky[1] > flaky[1] - flaky[0]  # backoff grows


def test_second_fetch_sends_conditional_requests_and_downloads_nothing(portal):
    second = portal["second"]
    assert second.returncode == 4, second.stdout[-2000:] + second.stderr[-2000:]  # some URLs failed
    summary = json.loads(second.stdout)
    assert "fetched" not in summary["outcomes"] and "unchanged" not in summary["outcomes"]
    hits = portal["a"].hits + portal["b"].hits
    downloads = [hit.path for hit in hits if hit.status == 200 and not hit.path.startswith("/slow/")]
    assert downloads == []
    not_modified = [hit for hit in hits if hit.status == 304]
    assert {hit.path for hit in not_modified} == {
        "/robots.txt", "/xxgk/nb/index.html", "/xxgk/nb/index_1.html", "/xxgk/nb/2023.html", "/xxgk/nb/2022.html",
        "/files/P020230130.pdf", "/files/2020", "/flaky/2019.pdf", "/big/2016.pdf", "/xxgk/nb/2015.html",
        "/nb/2024.pdf"}
    docx = next(hit for hit in not_modified if hit.path == "/files/2020")
    assert "If-Modified-Since" in docx.headers and "If-None-Match" not in docx.headers  # no ETag: the date
    after = {p.relative_to(portal["reports"]).as_posix(): p.stat().st_mtime_ns for p in portal["reports"].rglob("*")
             if p.is_file() and not p.name.startswith(".")}
    assert after == {k: v for k, v in portal["files_before"].items() if not Path(k).name.startswith(".")}
    manifest = list(csv.DictReader((portal["reports"] / "manifest.csv").open(encoding="utf-8")))
    assert len(manifest) == 5 and all(row["url"].startswith("http://127.0.0.") for row in manifest)


def test_the_next_refresh_publishes_a_fetch_alone_without_rebuilding(portal):
    third = portal["third"]
    assert third.returncode == 0, third.stdout[-2000:] + third.stderr[-2000:]
    summary = json.loads(third.stdout)
    assert summary["dbt_status"] == "skipped" and summary["published"], summary["message"]
    assert "fct_fetch_log" in summary["message"]
    second_run = json.loads(portal["second"].stdout)["fetch_run_id"]
    con = duckdb.connect(str(portal["db"]), read_only=True)
    try:
        outcomes = dict(con.execute("select outcome, count(*) from marts.fct_fetch_log where fetch_run_id = ? "
                                    "and refresh_run_id is null group by outcome", [second_run]).fetchall())
        tied = con.execute("select count(*) from marts.fct_fetch_log where fetch_run_id = ? and outcome = "
                           "'not_modified' and report_id is not null", [second_run]).fetchone()[0]
        runs = con.execute("select count(distinct fetch_run_id) from marts.fct_fetch_log").fetchone()[0]
    finally:
        con.close()
    assert outcomes == json.loads(portal["second"].stdout)["outcomes"]
    assert tied == 5  # every unchanged file is tied to its loaded report
    assert runs == 2
    status = subprocess.run([GONGKAI, "status", "--db", str(portal["db"])], capture_output=True, text=True,
                            timeout=120, check=False)
    fetch_run = json.loads(portal["first"].stdout)["fetch"]["fetch_run_id"]
    assert f"fetch {fetch_run}: " in status.stdout and "5 fetched" in status.stdout, status.stdout


@pytest.mark.parametrize("content", [None, b"address,kind\nhttp://127.0.0.1:9/,file\n"])
def test_an_unusable_sources_file_is_refused_before_anything_is_fetched(tmp_path, content):
    sources = tmp_path / "SOURCES.csv"
    if content is not None:
        sources.write_bytes(content)
    (tmp_path / "reports").mkdir()
    db = tmp_path / "warehouse" / "gongkai.duckdb"
    common = ["--reports", str(tmp_path / "reports"), "--db", str(db)]
    alone = subprocess.run([GONGKAI, "fetch", "--sources", str(sources), *common], capture_output=True, text=True,
                           timeout=120, check=False, env=NO_PROXY_ENV)
    assert alone.returncode == 2 and "refused" in alone.stderr, alone.stderr
    refresh = subprocess.run([GONGKAI, "refresh", "--fetch", str(sources), *common, "--json"], capture_output=True,
                             text=True, timeout=120, check=False, env=NO_PROXY_ENV)
    assert refresh.returncode == 2 and "SOURCES.csv" in refresh.stderr, refresh.stderr
    runs = [json.loads(line) for line in (db.parent / "logs" / "refresh_runs.jsonl").read_text().splitlines()]
    assert runs[-1]["status"] == "refused" and runs[-1]["refused"] == "bad_sources"
    assert not db.exists() and not list((tmp_path / "reports").iterdir())


def test_crawl_delay_redirects_and_a_server_without_validators(tmp_path, monkeypatch):
    for name in [k for k in os.environ if "proxy" in k.lower()]:
        monkeypatch.delenv(name)
    site = Site("127.0.0.1").start()
    pdf = (REPORTS / "hzq2024_working.pdf").read_bytes()
    site.resources.update({
        "/robots.txt": Resource(b"User-agent: gongkai\nCrawl-delay: 1\nDisallow:\n", "text/plain"),
        "/old/2024.pdf": Resource(b"", status=301, location="/nb/2024.pdf"),
        "/nb/2024.pdf": Resource(pdf, "application/pdf", etag=False, last_modified=False),
    })
    try:
        sources = tmp_path / "SOURCES.csv"
        sources.write_text(f"url,kind\n{site.base}/old/2024.pdf,file\n", encoding="utf-8")
        reports, db = tmp_path / "reports", tmp_path / "warehouse" / "gongkai.duckdb"
        reports.mkdir()
        options = FetchOptions(delay=0.0, timeout=2, retries=0)
        first = fetch(sources, reports, db, options, log=lambda *_: None)
        saved = reports / f"127.0.0.1_{site.server.server_address[1]}" / "nb" / "2024.pdf"
        assert first.outcomes == {"redirected": 1, "fetched": 1} and saved.read_bytes() == pdf
        mtime = saved.stat().st_mtime_ns
        runs = [list(site.hits)]
        site.hits.clear()
        second = fetch(sources, reports, db, options, log=lambda *_: None)
        assert second.outcomes == {"redirected": 1, "unchanged": 1}  # downloaded again, same bytes: not rewritten
        assert saved.stat().st_mtime_ns == mtime
        runs.append(list(site.hits))
        for hits in runs:  # robots.txt, the redirect, the file: Crawl-delay apart (--delay is 0)
            times = [hit.at for hit in hits]
            assert len(times) == 3
            assert min(later - earlier for earlier, later in zip(times, times[1:], strict=False)) >= 1 - 0.01
        rows = list(csv.DictReader((reports / "manifest.csv").open(encoding="utf-8")))
        assert [(r["file"], r["url"]) for r in rows] == [(saved.relative_to(reports).as_posix(), f"{site.base}/nb/2024.pdf")]
    finally:
        site.close()


def test_sigterm_during_a_fetch_keeps_what_was_saved_and_a_second_fetch_waits_for_the_lock(tmp_path):
    import signal
    import time

    site = Site("127.0.0.1").start()
    pdf = (REPORTS / "hzq2023_working.pdf").read_bytes()
    site.resources.update({"/a.pdf": Resource(pdf, "application/pdf"),
                           "/slow.pdf": Resource(pdf, "application/pdf", sleep=30)})
    try:
        sources = tmp_path / "SOURCES.csv"
        sources.write_text(f"url\n{site.base}/a.pdf\n{site.base}/slow.pdf\n", encoding="utf-8")
        reports, db = tmp_path / "reports", tmp_path / "warehouse" / "gongkai.duckdb"
        reports.mkdir()
        common = ["--reports", str(reports), "--db", str(db), "--delay", "0", "--timeout", "60"]
        process = subprocess.Popen([GONGKAI, "refresh", "--fetch", str(sources), *common], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=NO_PROXY_ENV)
        deadline = time.monotonic() + 60
        while not any(hit.path == "/slow.pdf" for hit in site.hits):
            assert time.monotonic() < deadline and process.poll() is None, process.communicate()
            time.sleep(0.1)
        busy = subprocess.run([GONGKAI, "fetch", "--sources", str(sources), *common], capture_output=True,
                              text=True, timeout=120, check=False, env=NO_PROXY_ENV)
        assert busy.returncode == 75 and "another refresh is running" in busy.stderr, busy.stderr
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 143, err
    finally:
        site.close()
    saved = f"127.0.0.1_{site.server.server_address[1]}/a.pdf"
    assert (reports / saved).read_bytes() == pdf
    rows = list(csv.DictReader((reports / "manifest.csv").open(encoding="utf-8")))
    assert [(r["file"], r["url"]) for r in rows] == [(saved, f"{site.base}/a.pdf")]
    assert json.loads((reports / ".gongkai-fetch.json").read_text())["urls"][f"{site.base}/a.pdf"]["file"] == saved
    runs = [json.loads(line) for line in (db.parent / "logs" / "refresh_runs.jsonl").read_text().splitlines()]
    assert runs[-1]["status"] == "interrupted" and not runs[-1]["published"]
    logged = [json.loads(line) for path in (db.parent / "logs" / "fetch").glob("*.jsonl")
              for line in path.read_text().splitlines()]
    assert [(r["url"], r["outcome"]) for r in logged] == [(f"{site.base}/a.pdf", "fetched")]
    assert not db.exists()  # nothing was published
