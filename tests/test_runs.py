"""Tables run together on one line (the 平潭 archive's text copies): split only where one split fits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import FIXTURES, cell_map, parse

from extract.parse.runs import split_run

PORTAL = FIXTURES / "portal_text"


@pytest.mark.parametrize(("run", "count", "blocks", "expected"), [
    ("21710000218", 7, 1, ["217", "1", "0", "0", "0", "0", "218"]),
    ("0000000", 7, 1, ["0"] * 7),
    ("110000011", 7, 1, None),  # 1,1,0,0,0,0,… and 11,0,0,0,0,0,11 both sum: two readings
    ("000", 3, 0, ["0", "0", "0"]),
    ("6233440", 3, 0, None),
    ("4529", 1, 0, ["4529"]),
    ("18651.06", 1, 0, ["18651.06"]),
    ("24252.311082", 1, 0, None),  # six decimals: no amount is printed so
    ("21317000001324019", 15, 3, ["2", "1", "3", "1", "7", "0", "0", "0", "0", "0", "13", "2", "4", "0", "19"]),
    ("21-5", 3, 0, None),
])
def test_a_run_is_split_only_where_exactly_one_split_fits(run, count, blocks, expected):
    assert split_run(run, count, blocks) == expected


def test_the_real_2024_copy_splits_into_the_numbers_of_the_page():
    run_together = parse(PORTAL / "pingtan_2024_page.txt")
    truth = cell_map(parse(PORTAL / "pingtan_2024_lines.txt"))
    cells = cell_map(run_together)
    assert (run_together.metadata.agency_name, run_together.metadata.report_year) == ("平潭综合实验区", 2024)
    assert len(cells) == 197 and all(truth[key] == value for key, value in cells.items())
    assert not any(key[1] == "normative_documents" for key in cells), "6233440 has many readings as 3 numbers"
    assert {c.placement for c in run_together.cells} == {"split_run"}
    assert [i.code for i in run_together.issues if i.severity != "info"] == ["run_not_split"]


@pytest.mark.parametrize("year", [2020, 2021])
def test_the_other_real_copies_store_only_sums_that_hold(year):
    report = parse(PORTAL / f"pingtan_{year}_page.txt")
    cells = cell_map(report)
    assert report.metadata.report_year == year
    assert report.metadata.template_version == ("2019" if year == 2020 else "2021")
    rows = {key[1] for key in cells if key[0] == 3}
    assert len(rows) >= 20
    for row in rows:
        parts = [v for (t, r, c), (v, _) in cells.items() if t == 3 and r == row and c != "total"]
        assert sum(parts) == cells[(3, row, "total")][0]
    signed = [i for i in report.issues if i.code == "run_not_split" and "run on into" in i.message]
    assert year != 2020 or signed, "2019's 本年增/减 prints signs (35-15): such runs are never cut"
    assert cells.get((2, "admin_fees", "fee_amount_10k_yuan")) is None or year != 2021
    assert all(value is None or value == value.quantize(Decimal("0.0001")) for value, _ in cells.values())
