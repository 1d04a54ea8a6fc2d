"""Agency and year from titles as real portals print them: full-width digits, chrome, site names."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from extract.parse import extract_report
from extract.parse.metadata import WORD_KINDS, load_words, read_metadata
from extract.parse.region import detect_region
from extract.paths import SEEDS_DIR
from extract.readers import read_document

BODY = "根据《中华人民共和国政府信息公开条例》要求，编制本报告。本报告数据统计期限自2023年1月1日起。\n"
METADATA = FIXTURES / "metadata"


def _meta(text: str, name: str = "report.txt") -> tuple[str | None, int | None]:
    meta = extract_report(text.encode("utf-8"), name).metadata
    return meta.agency_name, meta.report_year


@pytest.mark.parametrize(("title", "agency", "year"), [
    ("昆明市五华区民政局２０２２年度政府信息公开工作年度报告", "昆明市五华区民政局", 2022),
    ("某县（市）人民政府办公室２０２２年度政府信息公开工作年度报告", "某县（市）人民政府办公室", 2022),
    ("某县(市)人民政府办公室2022年度政府信息公开工作年度报告", "某县（市）人民政府办公室", 2022),
    ("长者模式退出长者模式无障碍浏览平潭综合实验区2024年度政府信息公开工作年度报告", "平潭综合实验区", 2024),
    ("|莆田市城市管理局返回首页莆田市城市管理局2023年政府信息公开工作年度报告", "莆田市城市管理局", 2023),
    ("首页 > 政务公开 > 政府信息公开年报 > 莆田市城市管理局2023年政府信息公开工作年度报告", "莆田市城市管理局", 2023),
    ("莆田市城市管理局莆田市城市管理局2023年政府信息公开工作年度报告", "莆田市城市管理局", 2023),
    ("当前位置： 首页政务公开政府信息公开政府信息公开年报 平潭综合实验区2021年度政府信息公开工作年度报告 来源：平潭县人民政府",
     "平潭综合实验区", 2021),
    ("长者模式\n退出长者模式\n无障碍浏览\n平潭综合实验区2024年度政府信息公开工作年度报告", "平潭综合实验区", 2024),
    ("宿迁市民政局2019年度政府信息公开工作报告", "宿迁市民政局", 2019),
    ("宿迁市民政局政府信息公开工作2020年度报告", "宿迁市民政局", 2020),
    ("宿迁市民政局关于2021年度政府信息公开工作的报告", "宿迁市民政局", 2021),
    ("宿迁市民政局2022年政府信息公开年报", "宿迁市民政局", 2022),
    ("政务公开\n宿迁市民政局2022年政府信息公开工作年度报告", "宿迁市民政局", 2022),
    ("关于公布宿迁市民政局2023年度政府信息公开工作年度报告的通知", "宿迁市民政局", 2023),
    ("宿迁市人民政府关于印发《宿迁市民政局2023年政府信息公开工作年度报告》的通知", "宿迁市民政局", 2023),
    ("宿迁市民政局文件\n宿民〔2024〕3号\n宿迁市民政局关于发布宿迁市民政局2023年政府信息公开工作年度报告的公告",
     "宿迁市民政局", 2023),
    ("0 2 宿迁市民政局2023年政府信息公开工作年度报告", "宿迁市民政局", 2023),
])
def test_real_title_strings(title, agency, year):
    assert _meta(title + "\n" + BODY) == (agency, year)


def test_full_width_digits_in_text_and_html():
    title = "昆明市五华区民政局２０２２年度政府信息公开工作年度报告"
    assert _meta(f"{title}\n{BODY}", "report.txt") == ("昆明市五华区民政局", 2022)
    page = f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><p>{title}</p><p>{BODY}</p></body></html>"
    assert _meta(page, "report.html") == ("昆明市五华区民政局", 2022)
    meta = extract_report(f"{title}\n{BODY}２０２３年１月２０日\n".encode(), "report.txt").metadata
    assert meta.published_date == "2023-01-20"
    assert meta.division_code == "530102"


@pytest.mark.parametrize(("name", "year", "published"), [
    ("pingtan_2021_page_head.txt", 2021, "2022-02-08"),
    ("pingtan_2024_page_head.txt", 2024, "2025-03-10"),
])
def test_portal_text_copy_header(name, year, published):
    data = (METADATA / name).read_bytes()
    meta = extract_report(data, name).metadata
    assert (meta.agency_name, meta.report_year, meta.published_date) == ("平潭综合实验区", year, published)
    assert meta.title == f"平潭综合实验区{year}年度政府信息公开工作年度报告"
    assert meta.area_name == "平潭综合实验区"


def test_portal_breadcrumb_without_the_header():
    """The 2021 copy's body alone starts with 当前位置： 首页政务公开…政府信息公开年报 before the title."""
    body = (METADATA / "pingtan_2021_page_head.txt").read_text(encoding="utf-8").split("\n")[9]
    assert _meta(body + "\n" + BODY) == ("平潭综合实验区", 2021)


def _page(head: str, body: str) -> str:
    return (f"<html><head><meta charset='utf-8'>{head}</head><body>"
            "<div class='top'>长者模式 退出长者模式 无障碍浏览</div>"
            "<div>|莆田市城市管理局 返回首页</div>"
            "<div class='position'>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>"
            "<div class='list'><a href='/2022.htm'>莆田市城市管理局2022年政府信息公开工作年度报告</a></div>"
            f"<div class='content'>{body}<p>{BODY}</p></div></body></html>")


TITLE_2023 = "莆田市城市管理局2023年政府信息公开工作年度报告"


@pytest.mark.parametrize("head, body", [
    (f"<meta name='ArticleTitle' content='{TITLE_2023}'><title>莆田市人民政府</title>", ""),
    (f"<meta property='og:title' content='{TITLE_2023}'>", ""),
    (f"<title>{TITLE_2023} - 莆田市人民政府</title>", ""),
    ("<title>莆田市人民政府</title>", f"<h1>{TITLE_2023}</h1>"),
    ("", f"<div class='article-title'>{TITLE_2023}</div>"),
    ("<meta name='ArticleTitle' content='2023年度政府信息公开工作年度报告'>", f"<h1>{TITLE_2023}</h1>"),
])
def test_web_page_prefers_declared_titles_over_chrome(head, body):
    """The chrome and a link to last year's report come first in the text; the page's own title wins."""
    assert _meta(_page(head, body), "page.html") == ("莆田市城市管理局", 2023)


def test_web_page_title_site_suffix_is_cut():
    page = ("<html><head><meta charset='utf-8'><title>平潭综合实验区2024年度政府信息公开工作年度报告_平潭综合实验区"
            f"</title></head><body><div>长者模式退出长者模式无障碍浏览</div><p>{BODY}</p></body></html>")
    meta = extract_report(page.encode(), "page.html").metadata
    assert (meta.agency_name, meta.report_year) == ("平潭综合实验区", 2024)
    assert meta.title == "平潭综合实验区2024年度政府信息公开工作年度报告"


def test_a_year_without_an_agency_is_no_agency():
    """``2023年政府信息公开…`` does not make ``政府`` an agency; the printed title is read instead."""
    page = ("<html><head><meta charset='utf-8'><meta name='ArticleTitle' content='2023年政府信息公开工作年度报告'>"
            f"</head><body><p>{TITLE_2023}</p><p>{BODY}</p></body></html>")
    assert _meta(page, "page.html") == ("莆田市城市管理局", 2023)


def test_words_are_data(tmp_path: Path):
    words = load_words()
    assert set(words.by_kind) == set(WORD_KINDS)
    assert all(words[kind] for kind in WORD_KINDS)
    assert "长者模式" in words["portal_chrome"] and "综合实验区" in words["zone_word"]
    for name in ("metadata_words.csv", "agency_types.csv", "admin_divisions.csv"):
        shutil.copy(SEEDS_DIR / name, tmp_path / name)
    with (tmp_path / "metadata_words.csv").open("a", encoding="utf-8") as handle:
        handle.write("portal_chrome,智能问答,test line\n")
    assert "智能问答" in load_words(tmp_path)["portal_chrome"]
    (tmp_path / "metadata_words.csv").write_text("kind,word,note\nagency_sufix,局,typo\n", encoding="utf-8")
    load_words.cache_clear()
    with pytest.raises(ValueError, match="agency_sufix"):
        load_words(tmp_path)
    load_words.cache_clear()


def test_region_reads_normalised_text():
    region = detect_region("淄博高新技术产业开发区管理委员会", "淄博高新技术产业开发区２０２３年政府信息公开工作年度报告", [])
    assert (region.division_code, region.area_name) == ("370300", "淄博高新技术产业开发区")
    assert detect_region("昆明市五华区民政局", None, []).agency_key == "530102::民政局"


def test_template_spec_lists_every_seed_key():
    """docs/template_spec.md §2 explains the seeds: every row and column key of the seeds is in its tables."""
    spec = (Path(__file__).resolve().parents[1] / "docs" / "template_spec.md").read_text(encoding="utf-8")
    for seed, key in (("template_rows.csv", "row_key"), ("template_columns.csv", "col_key")):
        with (SEEDS_DIR / seed).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                assert f"| `{row[key]}` | {row['label_zh']} |" in spec, (seed, row[key])


def test_a_title_naming_no_agency_takes_the_signature():
    """A subpage's ``2023年政府信息公开工作年度报告`` (the menu item 政务公开 printed before it is no
    agency): the report's signature names the agency; without one, there is none (never the menu)."""
    signed = f"政务公开\n2023年政府信息公开工作年度报告\n{BODY}宿迁市民政局\n2024年1月20日\n"
    assert _meta(signed) == ("宿迁市民政局", 2023)
    page = (f"<html><head><meta charset='utf-8'><title>2023年政府信息公开工作年度报告_宿迁市人民政府</title></head>"
            f"<body><ul><li>首页</li><li>政务公开</li></ul><h1>2023年政府信息公开工作年度报告</h1><p>{BODY}</p>"
            "<p>宿迁市民政局</p><p>2024年1月20日</p></body></html>")
    assert _meta(page, "page.html") == ("宿迁市民政局", 2023)
    unsigned = f"政务公开\n2023年政府信息公开工作年度报告\n{BODY}特此报告。\n2024年1月20日\n"
    meta = read_metadata(read_document(unsigned.encode("utf-8"), "report.txt"))
    assert (meta.agency_name, meta.report_year) == (None, 2023)
