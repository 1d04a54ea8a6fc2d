"""Rows aligned to the template's sequence: real numbers in layouts with no row structure, and the traps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import FIXTURES, cell_map, parse
from render import expected_cells, make_report, to_layout_text

from extract.parse import extract_report
from extract.parse.template import load_template, normalize_label

PORTAL = FIXTURES / "portal_text" / "pingtan_2024_lines.txt"
ZERO = (Decimal(0), "number")


def _one(n: int) -> list[int]:
    return [n, 0, 0, 0, 0, 0, n]


APPLICANTS = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org", "total")
PINGTAN_T3 = {
    "new_received": [217, 1, 0, 0, 0, 0, 218], "carried_over": [0] * 7, "granted": _one(71),
    "partially_granted": _one(29), "denied_state_secret": _one(4), "denied_law_prohibited": [0] * 7,
    "denied_security_stability": [0] * 7, "denied_third_party": _one(3), "denied_internal_affairs": _one(32),
    "denied_process_info": [0] * 7, "denied_enforcement_file": [0] * 7, "denied_admin_query": [0] * 7,
    "unable_not_held": _one(75), "unable_need_creation": [0] * 7, "unable_unclear_after_correction": [0] * 7,
    "not_processed_petition": [0] * 7, "not_processed_duplicate": _one(1), "not_processed_publication": [0] * 7,
    "not_processed_excessive": [0] * 7, "not_processed_confirm_reissue": [0] * 7,
    "other_no_correction": _one(1), "other_fee_unpaid": [0] * 7, "other_other": [1, 1, 0, 0, 0, 0, 2],
    "total_processed": [217, 1, 0, 0, 0, 0, 218], "carried_forward": [0] * 7,
}


def test_portal_text_copy_one_cell_a_line_reads_every_cell_of_a_real_report():
    report = parse(PORTAL)
    cells = cell_map(report)
    assert (report.metadata.agency_name, report.metadata.report_year) == ("平潭综合实验区", 2024)
    assert report.metadata.template_version == "2021"
    assert cells[(2, "normative_documents", "issued")] == (Decimal(62), "number")
    assert cells[(2, "normative_documents", "in_force")] == (Decimal(440), "number")
    assert cells[(2, "regulations", "repealed")] == ZERO
    assert cells[(2, "admin_licensing", "decisions")] == (Decimal(4529), "number")
    assert cells[(2, "admin_fees", "fee_amount_10k_yuan")] == (Decimal("18651.06"), "number")
    for row_key, values in PINGTAN_T3.items():
        for col_key, value in zip(APPLICANTS, values, strict=True):
            assert cells[(3, row_key, col_key)] == (Decimal(value), "number"), (row_key, col_key)
    assert cells[(4, "litigation_after_reconsideration", "total")] == (Decimal(19), "number")
    assert len(report.cells) == 10 + 25 * 7 + 15
    assert not [i for i in report.issues if i.severity != "info"]


def test_portal_text_copy_with_equal_lines_collapsed_stores_no_wrong_number():
    lines = PORTAL.read_text(encoding="utf-8").split("\n")
    collapsed = [line for n, line in enumerate(lines) if n == 0 or line != lines[n - 1]]
    report = extract_report("\n".join(collapsed).encode(), "collapsed.txt")
    truth = cell_map(parse(PORTAL))
    stored = {k: v for k, v in cell_map(report).items() if v[1] == "number"}
    assert stored, "rows whose lines were not collapsed are still read"
    assert all(truth[key] == value for key, value in stored.items())
    assert stored[(2, "normative_documents", "in_force")] == (Decimal(440), "number")
    assert (3, "carried_over", "total") not in stored, "0,0,0,0,0,0,0 saved as one 0 is refused"
    assert any(i.code == "unplaceable_values" and i.row_key == "carried_over" for i in report.issues)


def test_numbers_split_over_two_lines_are_refused():
    text = PORTAL.read_text(encoding="utf-8").replace("\n218\n", "\n2\n18\n", 1)
    report = extract_report(text.encode(), "split.txt")
    cells = cell_map(report)
    assert not any(key[1] == "new_received" for key in cells), "8 values for 7 columns: not stored"
    assert cells[(3, "total_processed", "total")] == (Decimal(218), "number")


def test_a_loose_row_whose_total_is_not_its_sum_is_refused():
    """Collapse and split together can give the right count; the row's own total refuses it."""
    text = PORTAL.read_text(encoding="utf-8").replace("\n71\n0\n0\n0\n0\n0\n71\n", "\n7\n1\n0\n0\n0\n0\n71\n", 1)
    report = extract_report(text.encode(), "both.txt")
    assert not any(c.row_key == "granted" for c in report.cells)
    assert any(i.code == "row_unverified" and i.row_key == "granted" for i in report.issues)


def test_a_truncated_label_that_names_another_row_is_placed_by_sequence():
    """``2.其他`` (the head of 2.其他法律行政法规禁止公开, wrapped at 4 characters) is also the
    full label of （六）3.其他: it must land under denied_law_prohibited, never other_other."""
    report = make_report("2021", seed=7)
    parsed = extract_report(to_layout_text(report, label_chars=4), "narrow.txt")
    expected = expected_cells(report)
    cells = cell_map(parsed)
    assert {k: cells.get(k) for k in expected} == expected
    assert cells[(3, "denied_law_prohibited", "total")] == expected[(3, "denied_law_prohibited", "total")]


@pytest.mark.parametrize(("label", "kind", "table_no", "key"), [
    ("本年新作数量", "col", 2, "new_made"),
    ("本年收费金颔", "col", 2, "fee_amount_10k_yuan"),
    ("结果维待", "col", 4, None),
    ("行政法复议", "row", 4, "admin_reconsideration"),
    ("第二十条第一项", "block", 2, "art20_1"),
    ("本年废止件数", "col", 2, "repealed"),
    ("其他处", "row", 3, None),
    ("本年新公开量", "col", 2, "new_published"),
])
def test_one_typo_rule_for_headers(label, kind, table_no, key):
    assert load_template().match(normalize_label(label), kind, table_no) == key


def test_headings_found_but_no_cell_read_is_an_error():
    text = ("某县民政局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n见附件一\n"
            "三、收到和处理政府信息公开申请情况\n见附件二\n四、政府信息公开行政复议、行政诉讼情况\n见附件三\n")
    report = extract_report(text.encode(), "no_tables.txt")
    assert report.cells == []
    assert [i.code for i in report.issues if i.severity == "error"] == ["no_cells_read"]


def test_a_cut_label_naming_a_row_already_placed_is_refused_when_order_cannot_place_it():
    """With 3.危及… missing and 2.其他法律… cut to ``2.其他``, the gap between 1.属于国家秘密 and
    4.保护… has one row for two template rows, so ``2.其他`` cannot be placed by order; as a label it
    names （六）3.其他, which ``3.其他`` already has: it is refused, never stored as a second 其他."""
    report = make_report("2021", seed=7)
    text = to_layout_text(report, label_chars=4).decode()
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("3.危及"))
    del lines[start:start + 3]
    cut = next(n for n, line in enumerate(lines) if line.startswith("2.其他"))
    del lines[cut + 1:cut + 4]  # its label's continuation (法律行政/法规禁止/公开): only ``2.其他`` is left
    parsed = extract_report("\n".join(lines).encode(), "narrow.txt")
    expected = expected_cells(report)
    cells = cell_map(parsed)
    assert all(cells[key] == value for key, value in expected.items() if key in cells and value[1] == "number")
    assert cells[(3, "other_other", "total")] == expected[(3, "other_other", "total")]
    assert (3, "denied_law_prohibited", "total") not in cells
    assert any(i.code in ("row_out_of_order", "unmatched_row") and "2.其他" in i.message for i in parsed.issues)


def test_a_group_label_printed_one_character_a_line_belongs_to_no_row():
    """三、本年度办理结果 set vertically beside 表三's sub-rows: its characters go before the row's own
    label pieces, whatever line they share, so 8.属于行政查 / 询事项 is re-joined and 年 is not its label."""
    from extract.layout.columns import layout_lines

    texts = [
        "           7.属于行政执      1    1    1",
        "   三、    法案卷",
        "   本",
        "           8.属于行政查",
        "   年                        1    0    0",
        "           询事项",
        "   度",
        "   办      1.本机关不掌",
        "   理      握相关政府信      0    3    4",
    ]
    rows = [line for line in layout_lines(texts, None, "positional", 1) if line.cells and "0" in line.cells]
    assert rows[0].cells == ("三、", "本", "年", "法案卷", "8.属于行政查", "1", "0", "0")
    assert rows[0].lead == 5  # no piece of this row's own line is its label: 年 is the group's
    assert rows[1].cells[-6:] == ("询事项", "1.本机关不掌", "握相关政府信", "0", "3", "4")
    assert rows[1].cells[:3] == ("度", "办", "理")


def test_label_pieces_above_a_page_break_go_to_the_first_row_of_the_next_page():
    """A block heading at the foot of a page without ruling belongs to the row at the top of the next."""
    page1 = "第二十条第（八）项\n信息内容      上一年项目数量   本年增/减\n行政事业性收费       86       —\n" \
            "第二十条第（九）项\n信息内容      采购项目数量     采购总金额\n"
    page2 = "政府集\n              315        50754.59\n中采购\n"
    from extract.readers.text import read_layout_text

    lines = read_layout_text(page1 + "\f" + page2)
    row = next(line for line in lines if line.cells and "315" in line.cells)
    assert row.page == 2 and "第二十条第（九）项" in row.cells[:row.lead]


def test_a_spanned_header_printed_in_each_column_it_covers_gives_one_cell_per_key():
    """处理决定数量 | 处理决定数量 | 处理决定数量 (a merged header cell unmerged by 'fill'), the value in the
    first cell: one cell per key, the printed value, never three cells with one key."""
    from collections import Counter

    from render import to_tab_text

    report = make_report("2021", seed=1)
    text = to_tab_text(report).decode().replace("信息内容\t处理决定数量\t\t", "信息内容\t处理决定数量\t处理决定数量\t处理决定数量")
    parsed = extract_report(text.encode(), "r.txt")
    keys = Counter((c.table_no, c.row_key, c.col_key) for c in parsed.cells)
    assert max(keys.values()) == 1
    cells = cell_map(parsed)
    expected = expected_cells(report)
    for row_key in ("admin_licensing", "admin_penalty"):
        assert cells[(2, row_key, "decisions")] == expected[(2, row_key, "decisions")]


def test_a_line_of_stray_numbers_takes_no_optional_row_by_sequence():
    """``pdftotext -layout`` of a portal stamp over 表二 leaves ``0 2    110`` (two stamp digits and a
    value) on a line of its own below 行政规范性文件. By count alone it would fill the gap before
    行政许可 with the local row 其他主动公开文件, which the page does not print: refused, not stored."""
    report = make_report("2021", seed=3)
    lines = to_layout_text(report).decode().split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("行政规范性文件"))
    lines.insert(at + 1, " " * 38 + "0 2    110")
    parsed = extract_report("\n".join(lines).encode(), "stamped.txt")
    cells = cell_map(parsed)
    expected = expected_cells(report)
    assert not [key for key in cells if key[1] == "other_proactive_documents"]
    assert {key: value for key, value in cells.items() if key[0] == 2} == {
        key: value for key, value in expected.items() if key[0] == 2}
    assert any(i.code == "unmatched_row" and "'110'" in i.message for i in parsed.issues)
