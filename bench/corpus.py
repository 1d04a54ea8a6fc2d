"""A seeded, reproducible corpus of synthetic reports in every supported format.

Each report is drawn by :func:`render.make_report` (values satisfy the accounting
identities) for an agency of a real county and a year; a chosen share has one published
total changed, so that it breaks identity I2 the way real reports do.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

from render import (
    Report,
    make_report,
    to_docx,
    to_html,
    to_layout_text,
    to_pdf,
    to_tab_text,
)

RENDERERS = {
    "pdf": ("pdf", lambda r: to_pdf(r)),
    "html": ("html", lambda r: to_html(r, "gbk")),
    "docx": ("docx", to_docx),
    "txt": ("txt", to_tab_text),
    "layout": ("txt", to_layout_text),
}
COUNTIES = ("张店区", "洪泽区", "沭阳县", "泗阳县", "平潭县", "兰山区", "淄川区", "周村区", "临淄区", "博山区")
BODIES = ("人民政府", "公安局", "教育局", "市场监督管理局", "卫生健康委员会", "交通运输局", "自然资源局", "民政局")


def break_total(report: Report) -> None:
    """Publish a wrong 总计 for 表三 （七）总计 (identity I2 then fails for the 总计 column)."""
    for kind, block in report.blocks:
        if kind != "table":
            continue
        for row in block:
            if row and row[0][0].endswith("总计") and len(row) == 8:
                text, rowspan, colspan = row[-1]
                row[-1] = (str(int(text) + 1), rowspan, colspan)
                report.expected[(3, "total_processed", "total")] = str(int(text) + 1)
                return


def draw(count: int, seed: int = 2026, formats: tuple[str, ...] = tuple(RENDERERS),
         broken_share: float = 0.05) -> Iterator[tuple[str, Report, bool]]:
    """The corpus's reports, in order: (format, report, whether a total was broken)."""
    rng = random.Random(seed)
    for index in range(count):
        fmt = formats[index % len(formats)]
        year = rng.choice([2019, 2020, 2021, 2022, 2023, 2024])
        agency = f"{rng.choice(COUNTIES)}{rng.choice(BODIES)}"
        report = make_report("2019" if year <= 2020 else "2021", year=year, agency=agency,
                             seed=rng.randrange(1 << 30), narrative_paragraphs=rng.randint(1, 4))
        broken = rng.random() < broken_share
        if broken:
            break_total(report)
        yield fmt, report, broken


def generate(out_dir: Path, count: int, seed: int = 2026, formats: tuple[str, ...] = tuple(RENDERERS),
             broken_share: float = 0.05) -> list[Path]:
    """Write ``count`` reports, formats in rotation; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, (fmt, report, _) in enumerate(draw(count, seed, formats, broken_share)):
        extension, render = RENDERERS[fmt]
        path = out_dir / f"{index:06d}-{fmt}.{extension}"
        path.write_bytes(render(report))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--formats", default=",".join(RENDERERS))
    parser.add_argument("--broken-share", type=float, default=0.05)
    args = parser.parse_args()
    paths = generate(args.out, args.count, args.seed, tuple(args.formats.split(",")), args.broken_share)
    print(f"{len(paths)} reports in {args.out}")


if __name__ == "__main__":
    main()
