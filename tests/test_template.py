import csv

from extract.parse.template import load_template, normalize_label
from extract.paths import SEEDS_DIR


def test_normalize_label_variants():
    assert normalize_label("（三） 不予公开") == "不予公开"
    assert normalize_label("1．属于国家秘密") == normalize_label("1.属于国家秘密") == "属于国家秘密"
    assert normalize_label('3.危及"三安全一稳定"') == normalize_label("3.危及“三安全一稳定”")
    assert normalize_label("三、 本 年 度 办 理 结 果") == "本年度办理结果"
    assert normalize_label("本年新 制作数量") == "本年新制作数量"


def test_seed_keys_unique_and_aliases_point_at_keys():
    template = load_template()
    rows = {(r.table_no, r.row_key) for r in template.rows.values()}
    cols = {(c.table_no, c.col_key) for c in template.columns}
    with (SEEDS_DIR / "label_aliases.csv").open(encoding="utf-8") as handle:
        for alias in csv.DictReader(handle):
            if alias["kind"] == "row":
                assert (int(alias["table_no"]), alias["key"]) in rows, alias
            if alias["kind"] == "col":
                assert (int(alias["table_no"]), alias["key"]) in cols, alias


def test_both_formats_complete():
    template = load_template()
    t3_2019 = [r for r in template.rows.values() if r.table_no == 3 and r.in_2019]
    t3_2021 = [r for r in template.rows.values() if r.table_no == 3 and r.in_2021 and r.row_key != "other_handling"]
    assert len(t3_2019) == 23
    assert len(t3_2021) == 25
    assert [c.col_key for c in template.block_columns(2, "art20_1", "2021")] == ["issued", "repealed", "in_force"]
    assert [c.col_key for c in template.block_columns(2, "art20_8", "2019")] == ["prior_year_items", "change"]
    assert len(template.block_columns(3, "requests", "2019")) == 7
    assert len(template.block_columns(4, "review", "2021")) == 5


def test_match_wrapped_and_variant_labels():
    template = load_template()
    assert template.match(normalize_label("其他法律行政法规禁止公"), "row", 3) == "denied_law_prohibited"
    assert template.match(normalize_label("2.其他法律法规禁止公开"), "row", 3) == "denied_law_prohibited"
    assert template.match(normalize_label("3. 危及“三安全一”"), "row", 3) == "denied_security_stability"
    assert template.match(normalize_label("1、申请人无正当理由逾期不补正，行政机关不再处理"), "row", 3) == "other_no_correction"
    assert template.match(normalize_label("四、结转下一年度继续办理"), "row", 3) == "carried_forward"
    assert template.match(normalize_label("规范性文件"), "row", 2) == "normative_documents"
    assert template.match(normalize_label("其他处"), "row", 3) is None
