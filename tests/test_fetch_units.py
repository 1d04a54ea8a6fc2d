"""The fetcher's pure parts: names, content sniffing, SOURCES.csv, listing pages, the manifest merge, the scheduler."""

from __future__ import annotations

import io
import re
import threading
import time
import zipfile

import pytest
from conftest import REPORTS, ROOT
from render import make_report, to_docx

from extract.cli import build_parser
from extract.fetch.client import user_agent
from extract.fetch.log import FetchRecord, outcome_codes
from extract.fetch.manifest import ManifestRow, write_manifest
from extract.fetch.naming import file_name
from extract.fetch.pages import decode_page, read_links
from extract.fetch.schedule import Handled, Scheduler
from extract.fetch.sources import DEFAULT_LINK_PATTERN, SourcesError, parse_sources
from extract.readers.sniff import OLE, sniff_extension
from extract.run.manifest import read_manifest

PATTERN = re.compile(DEFAULT_LINK_PATTERN)


@pytest.mark.parametrize(("url", "extension", "name"), [
    ("https://www.siyang.gov.cn/art/2024/1/10/art_123.html", ".html", "www.siyang.gov.cn/art/2024/1/10/art_123.html"),
    ("http://www.siyang.gov.cn/art/2024/1/10/art_123.html", ".html", "www.siyang.gov.cn/art/2024/1/10/art_123.html"),
    ("http://127.0.0.1:8080/files/2020", ".docx", "127.0.0.1_8080/files/2020.docx"),
    ("https://x.gov.cn:443/a/", ".html", "x.gov.cn/a/index.html"),
    ("https://x.gov.cn/download.jsp?id=3", ".pdf", "x.gov.cn/download_{h}.jsp.pdf"),
    ("https://x.gov.cn/download?id=3", ".pdf", "x.gov.cn/download_{h}.pdf"),
    ("https://x.gov.cn/nb/%E5%B9%B4%E6%8A%A5.pdf", ".pdf", "x.gov.cn/nb/年报.pdf"),
    ("https://x.gov.cn/a/../../.hidden/b.pdf", ".docx", "x.gov.cn/a/_hidden/b.pdf.docx"),
    ("https://X.GOV.CN/nb/2023.htm", ".html", "x.gov.cn/nb/2023.htm"),
])
def test_file_names_come_from_host_and_path(url, extension, name):
    got = file_name(url, extension)
    if "{h}" in name:
        assert re.fullmatch(name.replace(".", r"\.").replace("{h}", "[0-9a-f]{8}"), got), got
        assert got != file_name(url.replace("id=3", "id=4"), extension)
    else:
        assert got == name


def test_a_long_segment_is_cut_with_a_hash():
    name = file_name("https://x.gov.cn/" + "年" * 200 + ".pdf", ".pdf")
    last = name.rsplit("/", 1)[1]
    assert len(last.encode()) <= 120 and last.endswith(".pdf")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_the_bytes_decide_the_format_not_the_name():
    pdf = (REPORTS / "hzq2023_working.pdf").read_bytes()
    assert sniff_extension(pdf, "download.jsp") == ".pdf"
    assert sniff_extension(to_docx(make_report("2021")), "report.pdf") == ".docx"
    assert sniff_extension(_zip({"xl/workbook.xml": b"<x/>"}), "a.docx") is None  # a spreadsheet
    assert sniff_extension(_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "x") == ".odt"
    word = OLE + b"\x00" * 500 + "WordDocument".encode("utf-16-le") + b"\x00" * 100
    assert sniff_extension(word, "a.doc") == ".doc" and sniff_extension(word, "a.wps") == ".wps"
    assert sniff_extension(OLE + b"\x00" * 600, "a.xls") is None  # an Excel file is OLE too
    assert sniff_extension(b"{\\rtf1\\ansi hello}", "x") == ".rtf"
    assert sniff_extension("<HTML><body>年报</body></html>".encode("gbk"), "index.shtml") == ".shtml"
    assert sniff_extension("<html><body>年报</body></html>".encode("gbk"), "download.do") == ".html"
    assert sniff_extension(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.pdf") is None
    assert sniff_extension(b"", "a.pdf") is None
    assert sniff_extension("一、总体情况\n".encode(), "a.txt") == ".txt"
    assert sniff_extension("一、总体情况\n".encode(), "a.jsp") is None
    assert sniff_extension("<li>2023年年报</li>".encode("gbk"), "list.jsp", "text/html; charset=gbk") == ".html"
    assert sniff_extension(b"%PDF-1.7 ...", "a.pdf", "text/html") == ".pdf"  # magic beats the header


def test_sources_csv_rows_and_bad_rows():
    sources = parse_sources(
        "url,kind,agency,year,link_pattern\n"
        "https://a.gov.cn/nb/,listing,,,\n"
        "https://a.gov.cn/2023.pdf,,某县人民政府,2023,\n"
        "ftp://a.gov.cn/x.pdf,file,,,\n"
        "https://a.gov.cn/y,feed,,,\n"
        "https://a.gov.cn/z,file,,1899,\n"
        "https://a.gov.cn/w,listing,,,年报(\n"
        "https://a.gov.cn/nb/,listing,,,\n"
        "# a comment,,,,\n".encode("gbk"))
    assert [(s.url, s.kind, s.line) for s in sources.rows] == [
        ("https://a.gov.cn/nb/", "listing", 2), ("https://a.gov.cn/2023.pdf", "file", 3)]
    assert sources.rows[1].overrides == {"agency": "某县人民政府", "year": "2023"}
    assert sources.rows[0].link_pattern.search("泗阳县2023年政府信息公开工作年度报告")
    problems = {bad.line: bad.problem for bad in sources.bad}
    assert set(problems) == {4, 5, 6, 7, 8}
    assert "http(s)" in problems[4] and "kind" in problems[5] and "year" in problems[6]
    assert "regular expression" in problems[7] and "earlier row" in problems[8]
    with pytest.raises(SourcesError, match="url"):
        parse_sources(b"address,kind\nhttps://a.gov.cn/,file\n")


def test_gbk_listing_pages_give_report_links_pagination_and_attachments():
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
            '<a href="/">首页</a><a href="javascript:void(0)">打印</a>'
            '<a href="t20240120_1.html" title="泗阳县2023年政府信息公开工作年度报告">泗阳县2023年政府信息…</a>'
            '<a href="/zwgk/t2.html">关于做好节日期间安全工作的通知</a>'
            '<a href="index_1.html">2</a><a href="list.html?page=3">下一页</a>'
            '<script>createPageHTML(4, 0, "index", "html");</script></body></html>').encode("gbk")
    text = decode_page(page, "iso-8859-1")  # HTTP's old default is no charset: the meta tag is read
    assert "泗阳县" in text
    links = read_links(text, "http://a.gov.cn/xxgk/nb/index.html", PATTERN)
    assert links.reports == ["http://a.gov.cn/xxgk/nb/t20240120_1.html"]
    assert links.next_pages == ["http://a.gov.cn/xxgk/nb/index_1.html", "http://a.gov.cn/xxgk/nb/list.html?page=3",
                                "http://a.gov.cn/xxgk/nb/index_2.html", "http://a.gov.cn/xxgk/nb/index_3.html"]
    report = ('<p>附件：<a href="/u/P0202301.pdf">下载</a></p><p><a href="/u/2.docx">2022年年报.docx</a></p>'
              '<div><a href="/u/form.doc">政府信息公开申请表.doc</a></div>')
    found = read_links(report, "http://a.gov.cn/nb/2022.html", PATTERN)
    assert found.attachments == ["http://a.gov.cn/u/P0202301.pdf", "http://a.gov.cn/u/2.docx"]
    assert decode_page("<p>年报</p>".encode(), "gbk") == "<p>年报</p>"  # UTF-8 declared GBK is read as UTF-8
    assert decode_page("<p>年報</p>".encode("big5"), "big5") == "<p>年報</p>"  # another declared charset


def test_manifest_rows_are_merged_keeping_the_users_rows_and_columns(tmp_path):
    (tmp_path / "manifest.csv").write_bytes(
        "\ufefffile,agency,year,url,division_code,scope,note\n"
        "mine.pdf,某局,2022,,,agency,by hand\n"
        "a.gov.cn/nb/2023.pdf,泗阳县人民政府,,,321323,,\n".encode())
    rows = [ManifestRow("a.gov.cn/nb/2023.pdf", "https://a.gov.cn/nb/2023.pdf", year="2023"),
            ManifestRow("b.gov.cn/x.html", "https://b.gov.cn/x.html")]
    assert write_manifest(tmp_path, rows) is None
    manifest = read_manifest(tmp_path)
    assert manifest.usable and not manifest.problems
    assert manifest.overrides["mine.pdf"] == {"agency": "某局", "year": "2022", "scope": "agency"}
    assert manifest.overrides["a.gov.cn/nb/2023.pdf"] == {
        "agency": "泗阳县人民政府", "year": "2023", "url": "https://a.gov.cn/nb/2023.pdf", "division_code": "321323"}
    assert manifest.overrides["b.gov.cn/x.html"] == {"url": "https://b.gov.cn/x.html"}
    data = (tmp_path / "manifest.csv").read_bytes()
    assert data.startswith("\ufefffile,agency,year,url,division_code,scope,note\n".encode()) and b"by hand" in data
    mtime = (tmp_path / "manifest.csv").stat().st_mtime_ns
    time.sleep(0.01)
    assert write_manifest(tmp_path, rows) is None
    assert (tmp_path / "manifest.csv").stat().st_mtime_ns == mtime  # nothing changed: not rewritten
    (tmp_path / "manifest.csv").write_bytes(b"path,agency\nx,y\n")
    assert "not used" in write_manifest(tmp_path, rows)
    assert (tmp_path / "manifest.csv").read_bytes() == b"path,agency\nx,y\n"  # an unusable manifest is left alone


def test_scheduler_keeps_one_request_per_host_with_the_delay_and_runs_hosts_side_by_side():
    starts: dict[str, list[tuple[float, float]]] = {"a": [], "b": []}
    running: dict[str, int] = {"a": 0, "b": 0}
    overlap = threading.Event()
    lock = threading.Lock()

    def handle(task: tuple[str, int, int]) -> Handled:
        host, number, attempt = task
        with lock:
            running[host] += 1
            assert running[host] == 1, "two requests at once on one host"
            if running["a"] and running["b"]:
                overlap.set()
        began = time.monotonic()
        time.sleep(0.05)
        with lock:
            running[host] -= 1
            starts[host].append((began, time.monotonic()))
        if number == 0 and attempt == 1:
            return Handled(retry=(host, number, 2), retry_at=time.monotonic() + 0.3)
        return Handled(found=[(host, number + 1, 1)] if number < 3 else [])

    scheduler = Scheduler(handle, lambda task: task[0], delay=0.1, workers=4)
    scheduler.add(("a", 0, 1))
    scheduler.add(("b", 0, 1))
    scheduler.run()
    for host, spans in starts.items():
        assert len(spans) == 5, host  # four tasks, one retried
        gaps = [later[0] - earlier[1] for earlier, later in zip(spans, spans[1:], strict=False)]
        assert min(gaps) >= 0.1 - 0.005, (host, gaps)
        assert gaps[0] >= 0.3 - 0.005  # the retry waited for its backoff
    assert overlap.is_set()


def test_outcomes_are_the_seeds_and_the_user_agent_names_gongkai():
    assert {"fetched", "not_modified", "robots_disallowed", "http_404", "timeout", "too_large",
            "not_a_report"} <= set(outcome_codes())
    assert outcome_codes()["timeout"] and not outcome_codes()["not_modified"]
    with pytest.raises(ValueError, match="unknown fetch outcome"):
        FetchRecord("http://a/", "lost")
    agent = user_agent("mailto:desk@example.org")
    assert agent.startswith("gongkai/") and agent.endswith("+mailto:desk@example.org)")


def test_the_scheduled_jobs_in_deploy_run_refresh_with_fetch():
    service = (ROOT / "deploy" / "gongkai-refresh.service").read_text(encoding="utf-8")
    cron = (ROOT / "deploy" / "crontab").read_text(encoding="utf-8")
    commands = [line.split("=", 1)[1] for line in service.splitlines() if line.startswith("ExecStart=")]
    commands += [line.split("&&", 1)[1].split(">>")[0] for line in cron.splitlines() if line[:1].isdigit()]
    assert len(commands) == 2
    for command in commands:
        args = build_parser().parse_args(command.split()[1:])
        assert args.command == "refresh" and args.fetch == "/srv/gongkai/SOURCES.csv" and args.contact


def test_robots_rules_for_gongkai():
    from extract.fetch.robots import disallow_all, rules_from_text

    rules = rules_from_text("User-agent: *\nDisallow: /private/\n\nUser-agent: gongkai\nDisallow: /cms/\n"
                            "Request-rate: 1/5\n")
    assert not rules.allows("http://a.gov.cn/cms/x.pdf") and rules.allows("http://a.gov.cn/private/x.pdf")
    assert rules.crawl_delay() == 5.0
    assert not disallow_all("503", "robots_disallowed").allows("http://a.gov.cn/")
