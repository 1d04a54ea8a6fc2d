"""Rows printed blank in the layout families: every row of 表二 and 表三 the agency left unfilled prints
only its label, so a reader that attaches labels to values by position can give the next row's
numbers to it. Renders each family's variants with ``k`` randomly chosen rows blank and prints cells
read, wrong numbers and wrong blanks per family (no wrong number is the target; the blank rows' own
cells may be missed: a label alone on a line says nothing certain).

    .venv/bin/python bench/blank_rows.py [FAMILY ...] [--seeds 6] [--rows 1 3]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from layouts import report_for, score  # noqa: E402
from render.families import FAMILIES  # noqa: E402
from render.reshape import with_blank_rows  # noqa: E402
from render.template import _rows  # noqa: E402
from render.tools import RenderSkipped  # noqa: E402

from extract.parse import extract_report  # noqa: E402

DEFAULT = ("pdftotext_layout", "pdftotext_unseen", "pdftotext_watermark", "pdf_borderless",
           "pdf_tiny_labels_borderless", "pdf_aligned_labels", "pdf_row_shading", "pdf_header_footer_rules",
           "pdf_number_font_size")


def blank_labels(version: str, seed: int, rows: int) -> list[str]:
    """``rows`` labels of 表二 and 表三 rows, chosen by ``seed``."""
    labels = [row["label_zh"] for table_no in (2, 3) for row in _rows(version, table_no)]
    return random.Random(seed * 31 + rows).sample(labels, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("families", nargs="*", default=list(DEFAULT))
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--rows", type=int, nargs="+", default=[1, 3])
    args = parser.parse_args()
    print("| family | renders | cells read / printed | wrong numbers | wrong blank/dash |")
    print("|---|---|---|---|---|")
    for family in args.families:
        renders = printed = right = wrong = wrong_blank = 0
        for variant in FAMILIES[family].variants.values():
            for version in ("2021", "2019"):
                for seed in range(args.seeds):
                    for rows in args.rows:
                        report = with_blank_rows(report_for(version, seed), blank_labels(version, seed, rows))
                        try:
                            data, extension = variant.render(report, seed)
                        except RenderSkipped:
                            continue
                        got = score(report, extract_report(data, f"report.{extension}"), variant.omits_blanks)
                        renders += 1
                        printed, right = printed + got.printed, right + got.right
                        wrong, wrong_blank = wrong + len(got.wrong_numbers), wrong_blank + len(got.wrong_blank_dash)
        share = 100 * right / printed if printed else 0.0
        print(f"| {family} | {renders} | {right} / {printed} ({share:.1f} %) | {wrong} | {wrong_blank} |", flush=True)


if __name__ == "__main__":
    main()
