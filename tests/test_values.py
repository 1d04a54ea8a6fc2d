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
