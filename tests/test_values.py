from decimal import Decimal

import pytest

from extract.parse.values import looks_like_value, parse_value


@pytest.mark.parametrize(
    ("raw", "value", "state", "unit"),
    [
        ("0", Decimal(0), "number", None),
        ("4427", Decimal(4427), "number", None),
        ("  \u3000 176454\u3000", Decimal(176454), "number", None),
        ("\xa02", Decimal(2), "number", None),
        ("减72462", Decimal(-72462), "number", None),
        ("减 105", Decimal(-105), "number", None),
        ("-8", Decimal(-8), "number", None),
        ("增5", Decimal(5), "number", None),
        ("+5", Decimal(5), "number", None),
        ("１２３", Decimal(123), "number", None),
        ("59237.2449", Decimal("59237.2449"), "number", None),
        ("1,234", Decimal(1234), "number", None),
        ("", None, "blank", None),
        ("   ", None, "blank", None),
        ("-", None, "dash", None),
        ("—", None, "dash", None),
        ("/", None, "dash", None),
        ("无", None, "dash", None),
        ("不详", None, "text", None),
        ("22（其中修订 16 件）", None, "text", None),
    ],
)
def test_parse_value(raw, value, state, unit):
    parsed = parse_value(raw)
    assert (parsed.value, parsed.state, parsed.unit) == (value, state, unit)
    assert parsed.raw == raw


def test_amounts_normalise_to_10k_yuan():
    assert parse_value("6727.41万", "万元").value == Decimal("6727.41")
    assert parse_value("6727.41万", "万元").unit == "万元"
    assert parse_value("251000元", "万元").value == Decimal("25.1")
    assert parse_value("251000元", "万元").unit == "元"
    assert parse_value("96171.6", "万元").value == Decimal("96171.6")


def test_labels_are_not_values():
    assert not looks_like_value("1.属于国家秘密")
    assert not looks_like_value("（七）总计")
    assert looks_like_value("22（其中修订 16 件）")
    assert looks_like_value("—")
    assert not looks_like_value("")


def test_a_count_printed_with_a_fraction_is_text_with_an_issue_never_rounded():
    """A real report with one count misprinted as 4427.5: stored as text (no value) with a count_not_whole
    issue, the rest of its row as printed."""
    from conftest import REPORTS, SEEDS, cell_map

    from extract.parse.report import extract_report

    text = (REPORTS / SEEDS["000"]).read_text(encoding="utf-8")
    assert "行政许可\t5\t6\t4427\n" in text
    report = extract_report(text.replace("行政许可\t5\t6\t4427\n", "行政许可\t5\t6\t4427.5\n").encode(), "x.txt")
    cells = {(c.table_no, c.row_key, c.col_key): c for c in report.cells}
    misprinted = cells[(2, "admin_licensing", "decisions")]
    assert (misprinted.value, misprinted.cell_state, misprinted.raw_text) == (None, "text", "4427.5")
    assert [i.code for i in report.issues if i.row_key == "admin_licensing"] == ["count_not_whole"]
    assert cell_map(report)[(2, "admin_licensing", "change")] == (Decimal(6), "number")


def test_an_amount_with_decimals_stays_a_number():
    from render import expected_cells, make_report, to_tab_text

    from extract.parse.report import extract_report

    report = make_report("2021", seed=7)
    amount = expected_cells(report)[(2, "admin_fees", "fee_amount_10k_yuan")]
    parsed = {(c.table_no, c.row_key, c.col_key): c for c in extract_report(to_tab_text(report), "r.txt").cells}
    cell = parsed[(2, "admin_fees", "fee_amount_10k_yuan")]
    assert (cell.value, cell.cell_state) == amount and cell.value != cell.value.to_integral_value()


def test_a_unit_of_the_other_kind_is_text_with_an_issue():
    """274万元 printed under a 件 column, or 3件 under 万元: which is wrong, the unit or the column,
    cannot be known, so the cell is text with a unit_mismatch issue; an amount in 万元 is a number."""
    from render import make_report, to_tab_text

    from extract.parse.report import extract_report

    text = to_tab_text(make_report("2021", seed=7)).decode("utf-8")
    assert "行政许可\t274\t\t\n" in text and "行政事业性收费\t76487.08\t\t\n" in text

    def read(licensing: str, fees: str) -> tuple[dict, list]:
        changed = text.replace("行政许可\t274\t", f"行政许可\t{licensing}\t").replace(
            "行政事业性收费\t76487.08\t", f"行政事业性收费\t{fees}\t")
        report = extract_report(changed.encode("utf-8"), "r.txt")
        cells = {c.row_key: (c.value, c.cell_state) for c in report.cells if c.row_key in ("admin_licensing", "admin_fees")}
        return cells, sorted(i.row_key for i in report.issues if i.code == "unit_mismatch")

    assert read("274万元", "76487.08万元") == (
        {"admin_licensing": (None, "text"), "admin_fees": (Decimal("76487.08"), "number")}, ["admin_licensing"])
    assert read("274件", "3件") == ({"admin_licensing": (274, "number"), "admin_fees": (None, "text")}, ["admin_fees"])
