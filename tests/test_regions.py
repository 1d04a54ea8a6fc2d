"""Divisions, development zones and agency identity (extract/region.py), on names seen in real reports."""

from __future__ import annotations

import pytest
from conftest import REPORTS, SEEDS, parse

from extract.parse.region import detect_region, load_gazetteer


def _chain(name: str, title: str | None = None, lines: tuple[str, ...] = ()) -> tuple:
    region = detect_region(name, title, list(lines))
    return (*load_gazetteer().chain(region.division_code), region.division_code, region.area_name)


@pytest.mark.parametrize(("seed", "expected"), [
    ("000", ("山东省", "淄博市", "张店区", "370303", None)),
    ("001", ("山东省", "淄博市", "张店区", "370303", None)),
    ("002", ("山东省", "淄博市", None, "370300", "高新区")),
    ("003", ("山东省", "临沂市", None, "371300", None)),
    ("004", ("青海省", "海东市", None, "630200", None)),
])
def test_seed_reports_get_their_province_and_prefecture(seed, expected):
    meta = parse(REPORTS / SEEDS[seed]).metadata
    assert (*load_gazetteer().chain(meta.division_code), meta.division_code, meta.area_name) == expected
    assert meta.region_basis == "agency_name"


def test_the_real_pdfs_resolve_to_hongze_and_huaian():
    first, second = (parse(REPORTS / name).metadata for name in ("hzq2023_working.pdf", "hzq2024_working.pdf"))
    assert (first.agency_name, second.agency_name) == ("洪泽区人民政府", "淮安市洪泽区人民政府")
    assert first.division_code == second.division_code == "320813"
    assert first.agency_key == second.agency_key == "320813::人民政府"
    assert parse(REPORTS / "szfgs2024.pdf").metadata.agency_key == "320800::人民政府"


def test_name_variants_meet_and_different_bodies_stay_apart():
    key = lambda name: detect_region(name, None, []).agency_key  # noqa: E731
    assert key("张店公安分局") == key("淄博市公安局张店分局") == "370303::公安分局"
    assert key("淄博市公安局交通警察支队张店大队") != key("张店公安分局")
    assert key("宿迁市") != key("宿迁市人民政府办公室")
    assert key("洪泽区政府") == key("淮安市洪泽区人民政府")


def test_development_zones_keep_their_name_under_their_parent():
    assert _chain("平潭综合实验区") == ("福建省", "福州市", "平潭县", "350128", "平潭综合实验区")
    assert _chain("淄博高新技术产业开发区管理委员会") == ("山东省", "淄博市", None, "370300", "淄博高新技术产业开发区")
    assert _chain("上海市浦东新区人民政府")[:4] == ("上海市", "上海市", "浦东新区", "310115")


def test_short_names_inside_agency_words_and_ambiguous_names():
    assert _chain("临沂市公安局")[3] == "371300", "公安 (公安县) inside 公安局 is not a place"
    assert _chain("中山市公安局")[3] == "442000"
    assert _chain("朝阳区人民政府")[3] is None, "two 朝阳区 (Beijing, Changchun): not guessed"
    assert _chain("北京市朝阳区教育委员会")[:4] == ("北京市", "北京市", "朝阳区", "110105")
    assert _chain("上海市人民政府办公厅")[:4] == ("上海市", None, None, "310000")


def test_report_text_names_the_place_when_the_agency_does_not():
    region = detect_region("区政府办公室", "区政府办公室2023年政府信息公开工作年度报告",
                           ["本报告由区政府办公室编制。", "淄博市张店区人民政府门户网站", "地址：张店区华光路92号"])
    assert (region.division_code, region.basis) == ("370303", "report_text")
    assert detect_region("某办公室", None, ["本年度工作平稳。"]).basis == "not_found"


def test_the_division_list_records_its_version():
    gazetteer = load_gazetteer()
    assert len(gazetteer.by_code) > 3400
    assert gazetteer.by_code["370303"].name == "张店区" and gazetteer.by_code["370303"].is_current
