"""Readers and layouts beyond the seeds: Markdown pipe tables, encodings, bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import cell_map

from extract.parse.report import extract_report
from extract.readers import ReaderError

MARKDOWN_2021 = """# 某市生态环境局2022年政府信息公开工作年度报告

## 二、主动公开政府信息情况

| 第二十条第（一）项 | | | |
|---|---|---|---|
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 0 | 0 | 0 |
| 行政规范性文件 | 5 | 2 | 40 |
| 第二十条第（八）项 | | | |
| 信息内容 | 本年收费金额（单位：万元） | | |
| 行政事业性收费 | 59237.2449 | | |

## 三、收到和处理政府信息公开申请情况

| 本列数据的勾稽关系 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
|---|---|---|---|---|---|---|---|
| 一、本年新收政府信息公开申请数量 | 10 | 2 | 0 | 0 | 1 | 0 | 13 |
| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| （一）予以公开 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |
| （六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 1 | - | 0 | 0 | 0 | 0 | 1 |
| 3.其他 | 无 | 0 | 0 | 0 | 0 | 0 | 0 |
| （七）总计 | 10 | 2 | 0 | 0 | 1 | 0 | 13 |
| 四、结转下一年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |

## 四、政府信息公开行政复议、行政诉讼情况

| 行政复议 | 1 | 0 | 0 | 0 | 1 |
|---|---|---|---|---|---|
| 未经复议直接起诉 | 0 | 1 | 0 | 0 | 1 |
| 复议后起诉 | 0 | 0 | 0 | 1 | 1 |

## 五、存在的主要问题及改进情况

无。

某市生态环境局
2023年1月20日
"""


def test_markdown_pipe_tables():
    report = extract_report(MARKDOWN_2021.encode("utf-8"), "report.md")
    cells = cell_map(report)
    meta = report.metadata
    assert (meta.agency_name, meta.report_year, meta.template_version) == ("某市生态环境局", 2022, "2021")
    assert meta.published_date == "2023-01-20"
    assert cells[(2, "normative_documents", "in_force")] == (Decimal(40), "number")
    assert cells[(2, "admin_fees", "fee_amount_10k_yuan")] == (Decimal("59237.2449"), "number")
    assert cells[(3, "new_received", "legal_service_org")] == (Decimal(1), "number")
    assert cells[(3, "other_no_correction", "commercial_enterprise")] == (None, "dash")
    assert cells[(3, "other_other", "natural_person")] == (None, "dash")
    assert cells[(3, "carried_forward", "total")] == (Decimal(1), "number")
    assert cells[(4, "litigation_after_reconsideration", "pending")] == (Decimal(1), "number")
    assert cells[(4, "litigation_direct", "corrected")] == (Decimal(1), "number")


def test_gbk_text_is_decoded():
    text = "某县人民政府2021年政府信息公开工作年度报告\n二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t2\t3\n"
    report = extract_report(text.encode("gb18030"), "gbk.txt")
    assert report.metadata.agency_name == "某县人民政府"
    assert cell_map(report)[(2, "regulations", "in_force")] == (Decimal(3), "number")


def test_row_with_values_that_do_not_fit_is_a_parse_issue():
    text = ("某局2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "一、本年新收政府信息公开申请数量\t5\t3\n（七）总计\t1\t0\t0\t0\t0\t0\t1\n")
    report = extract_report(text.encode(), "r.txt")
    cells = cell_map(report)
    assert not [k for k in cells if k[1] == "new_received"]
    assert cells[(3, "total_processed", "total")] == (Decimal(1), "number")
    assert "unplaceable_values" in {i.code for i in report.issues}


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [(b"", "empty.txt", "empty_file"), (b"\x00\x01\x02\x03binary", "junk.txt", "binary_file"),
     (b"%PDF-1.4", "report.xyz", "unsupported_format")],
)
def test_bad_input_raises_reader_error(data, name, code):
    with pytest.raises(ReaderError) as error:
        extract_report(data, name)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("head", "agency", "year"),
    [
        ("# 张店公安分局 2020 年政府信息公开 工作年度报告\n", "张店公安分局", 2020),
        ("临沂市公安局2020年政府信息\n公开工作年度报告\n", "临沂市公安局", 2020),
        ("\n海东市公安局\n\n2020 年度政府信息公开工作年度报告\n", "海东市公安局", 2020),
        ("正文\n2024 年上海市科委政府信息公开工作\n年度报告\n", "上海市科委", 2024),
        ("正文\n2025 年上海市人民政府办公厅政府信息公开\n工作年度报告\n", "上海市人民政府办公厅", 2025),
    ],
)
def test_title_forms(head, agency, year):
    from extract.parse.metadata import read_metadata
    from extract.readers.text import read_text

    meta = read_metadata(read_text((head + "根据《条例》要求，编制本报告。本报告数据统计期限自2024年1月1日起。\n").encode()))
    assert (meta.agency_name, meta.report_year) == (agency, year)
